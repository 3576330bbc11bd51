package main

// Process tests: the real binary as operators run it — `etcdlab server`
// members, `etcdlab up`, `etcdlab snapshot restore` — driven by Debian's
// etcdctl over free 127.0.0.1 ports. The test binary doubles as the etcdlab
// binary: with ETCDLAB_RUN_AS_MAIN=1 in its environment it runs main()
// (TestMain), so `up` re-executing os.Executable() starts members too.
// Processes are stopped by PID; every wait polls with a deadline.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const (
	runAsMainEnv     = "ETCDLAB_RUN_AS_MAIN"
	procReadyTimeout = 30 * time.Second
	procStopTimeout  = 15 * time.Second
	procPoll         = 100 * time.Millisecond
)

func TestMain(m *testing.M) {
	if os.Getenv(runAsMainEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// proc is one child process of the test binary acting as etcdlab.
type proc struct {
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	err  error
}

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsMainEnv+"=1")
	p := &proc{cmd: cmd, out: &syncBuffer{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	require.NoError(t, cmd.Start())
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(t) })
	return p
}

// stop sends SIGTERM and waits; it reports a member that needed SIGKILL.
func (p *proc) stop(t *testing.T) error {
	select {
	case <-p.done:
		return p.err
	default:
	}
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(procStopTimeout):
		p.cmd.Process.Kill()
		<-p.done
		t.Errorf("pid %d did not stop within %v after SIGTERM; killed. Output:\n%s", p.cmd.Process.Pid, procStopTimeout, p.out.String())
	}
	return p.err
}

// member is one `etcdlab server` with its URLs.
type member struct {
	name, client, peer, metrics, dataDir string
	p                                    *proc
}

func newMember(t *testing.T, dir, name string) *member {
	url := func() string { return fmt.Sprintf("http://127.0.0.1:%d", freePort(t)) }
	return &member{name: name, client: url(), peer: url(), metrics: url(), dataDir: filepath.Join(dir, name)}
}

// start runs the member with etcd's flags.
func (m *member) start(t *testing.T, initialCluster, state, token string, extra ...string) {
	args := append([]string{"server", "--name", m.name, "--data-dir", m.dataDir,
		"--listen-client-urls", m.client, "--advertise-client-urls", m.client,
		"--listen-peer-urls", m.peer, "--initial-advertise-peer-urls", m.peer,
		"--listen-metrics-urls", m.metrics, "--initial-cluster", initialCluster,
		"--initial-cluster-state", state, "--initial-cluster-token", token}, extra...)
	m.p = startProc(t, args...)
}

func (m *member) host() string { return strings.TrimPrefix(m.client, "http://") }

func clusterFlag(ms ...*member) string {
	var parts []string
	for _, m := range ms {
		parts = append(parts, m.name+"="+m.peer)
	}
	return strings.Join(parts, ",")
}

func endpoints(ms ...*member) string {
	var hosts []string
	for _, m := range ms {
		hosts = append(hosts, m.host())
	}
	return strings.Join(hosts, ",")
}

// eventually polls cond until it holds or the deadline passes.
func eventually(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after %v: %s", timeout, what)
		}
		time.Sleep(procPoll)
	}
}

func healthy(m *member) bool {
	resp, err := http.Get(m.metrics + "/health")
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

func waitHealthyMembers(t *testing.T, ms ...*member) {
	t.Helper()
	for _, m := range ms {
		eventually(t, procReadyTimeout, m.name+" healthy; output:\n"+m.p.out.String(), func() bool { return healthy(m) })
	}
}

// ctl runs Debian's etcdctl.
func etcdctl(t *testing.T, eps string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(etcdctlPath, append([]string{"--endpoints=" + eps, "--dial-timeout=2s", "--command-timeout=5s"}, args...)...)
	cmd.Env = append(os.Environ(), "ETCDCTL_API=3")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

func mustCtl(t *testing.T, eps string, args ...string) string {
	t.Helper()
	out, err := etcdctl(t, eps, args...)
	require.NoError(t, err, "etcdctl %v:\n%s", args, out)
	return out
}

// etcdlabCmd runs an etcdlab client command to the end.
func etcdlabCmd(t *testing.T, args ...string) (string, error) {
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(os.Environ(), runAsMainEnv+"=1")
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// putRevision puts key=value and returns the revision of the write.
func putRevision(t *testing.T, eps, key, value string) int64 {
	var r struct {
		Header struct{ Revision int64 } `json:"header"`
	}
	out := mustCtl(t, eps, "put", key, value, "-w", "json")
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	return r.Header.Revision
}

// getJSON returns the value of key ("" if none) and the header revision.
func getJSON(t *testing.T, eps, key string) (string, int64) {
	var r struct {
		Header struct{ Revision int64 } `json:"header"`
		Kvs    []struct{ Value []byte } `json:"kvs"`
	}
	out := mustCtl(t, eps, "get", key, "-w", "json")
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	if len(r.Kvs) == 0 {
		return "", r.Header.Revision
	}
	return string(r.Kvs[0].Value), r.Header.Revision
}

// leadersInTable counts "true" in the IS LEADER column of etcdctl's table.
func leadersInTable(t *testing.T, table string) int {
	col, leaders := -1, 0
	for _, line := range strings.Split(table, "\n") {
		if !strings.HasPrefix(line, "|") {
			continue
		}
		cells := strings.Split(line, "|")
		for i, c := range cells {
			c = strings.TrimSpace(c)
			if c == "IS LEADER" {
				col = i
			} else if i == col && c == "true" {
				leaders++
			}
		}
	}
	require.NotEqual(t, -1, col, "no IS LEADER column in:\n%s", table)
	return leaders
}

func requireEtcdctlBinary(t *testing.T) {
	if _, err := os.Stat(etcdctlPath); err != nil {
		t.Skipf("process tests with etcdctl need %s (apt-get install etcd-client)", etcdctlPath)
	}
}

// startCluster starts n members of a new cluster and waits for health.
func startCluster(t *testing.T, dir, token string, n int, extra ...string) []*member {
	var ms []*member
	for i := 1; i <= n; i++ {
		ms = append(ms, newMember(t, dir, fmt.Sprintf("n%d", i)))
	}
	for _, m := range ms {
		m.start(t, clusterFlag(ms...), "new", token, extra...)
	}
	waitHealthyMembers(t, ms...)
	return ms
}
