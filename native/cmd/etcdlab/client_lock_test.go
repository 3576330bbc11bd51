package main

// lock against a 3-member etcdlab cluster, with real processes: etcdlab's
// verb and Debian's etcdctl taking turns on the same lock (both are
// clients of clientv3's concurrency package; the server needs only KV,
// Lease and Watch).

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// startEtcdctlProc runs Debian's etcdctl as a long-running child.
func startEtcdctlProc(t *testing.T, eps string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(etcdctlPath, append([]string{"--endpoints=" + eps}, args...)...)
	cmd.Env = append(os.Environ(), "ETCDCTL_API=3")
	p := &proc{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	require.NoError(t, cmd.Start())
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// waitOutput waits until p's output matches re and returns the match.
func waitOutput(t *testing.T, p *proc, what string, re *regexp.Regexp) []string {
	t.Helper()
	var m []string
	eventually(t, 20*time.Second, what+"; output:\n"+p.out.String(), func() bool {
		m = re.FindStringSubmatch(p.out.String())
		return m != nil
	})
	return m
}

// stillWaiting checks that p has printed nothing matching re for a while.
func stillWaiting(t *testing.T, p *proc, what string, re *regexp.Regexp) {
	t.Helper()
	time.Sleep(time.Second) // a blocked client shows nothing; there is no event to wait for
	require.NotRegexp(t, re, p.out.String(), what)
	select {
	case <-p.done:
		t.Fatalf("%s: exited early: %v; output:\n%s", what, p.err, p.out.String())
	default:
	}
}

// interrupt sends SIGINT, as Ctrl-C does, and waits for a clean exit.
func interrupt(t *testing.T, p *proc, what string) {
	t.Helper()
	require.NoError(t, p.cmd.Process.Signal(syscall.SIGINT))
	select {
	case <-p.done:
		require.NoError(t, p.err, "%s after Ctrl-C; output:\n%s", what, p.out.String())
	case <-time.After(procStopTimeout):
		t.Fatalf("%s did not stop on SIGINT; output:\n%s", what, p.out.String())
	}
}

func TestProcessLock(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-lock", 3)
	eps := endpoints(ms...)
	held := regexp.MustCompile(`(?m)^(mylock/[0-9a-f]+)\n\n`)

	first := startProc(t, "lock", "--endpoints="+eps, "mylock")
	key1 := waitOutput(t, first, "the first lock is taken", held)[1]
	second := startProc(t, "lock", "--endpoints="+ms[1].host(), "--ttl", "2", "mylock")
	stillWaiting(t, second, "the second lock waits for the first", held)
	interrupt(t, first, "the first holder")
	key2 := waitOutput(t, second, "the second lock is taken once the first is released", held)[1]
	require.NotEqual(t, key1, key2)

	// Debian's etcdctl waits for etcdlab's holder; a holder killed without
	// unlocking loses the lock when its lease (--ttl 2) expires.
	ctlLock := startEtcdctlProc(t, ms[2].host(), "lock", "mylock")
	stillWaiting(t, ctlLock, "etcdctl lock waits for etcdlab lock", held)
	require.NoError(t, second.cmd.Process.Kill())
	key3 := waitOutput(t, ctlLock, "etcdctl takes the lock once the killed holder's lease expires", held)[1]
	require.NotEqual(t, key2, key3)
	interrupt(t, ctlLock, "etcdctl lock")

	// With a command: it runs holding the lock, which is released after.
	out, err := etcdlabCmd(t, "lock", "--endpoints="+eps, "mylock", "--", "sh", "-c", "echo key=$ETCD_LOCK_KEY rev=$ETCD_LOCK_REV")
	require.NoError(t, err, out)
	require.Regexp(t, `^key=mylock/[0-9a-f]+ rev=[1-9][0-9]*\n$`, out)
	require.Empty(t, strings.TrimSpace(mustCtl(t, eps, "get", "--prefix", "--keys-only", "mylock/")), "no holder or waiter is left")

	out, err = etcdlabCmd(t, "lock", "--endpoints="+eps, "mylock", "false")
	require.Error(t, err)
	require.Equal(t, "Error: exit status 1\n", out, "a failing command is reported as etcdctl does")
	out, err = etcdlabCmd(t, "lock", "--endpoints="+eps)
	require.Error(t, err)
	require.Equal(t, "Error: lock takes a lock name argument and an optional command to execute\n", out)
}
