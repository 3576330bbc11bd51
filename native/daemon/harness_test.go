package daemon_test

// The test harness: real `etcdlab server` processes on free 127.0.0.1
// ports, started with etcd's flags, stopped by PID, watched through their
// logs. TestMain builds the binary once.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/etcdlab/etcdlab/native/freeport"
)

var binary string

func TestMain(m *testing.M) {
	if b := os.Getenv("ETCDLAB_TEST_BINARY"); b != "" { // a prebuilt binary
		binary = b
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "etcdlab-daemon-test")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "etcdlab")
	build := exec.Command("go", "build", "-o", binary, "github.com/etcdlab/etcdlab/native/cmd/etcdlab")
	build.Stdout, build.Stderr = os.Stderr, os.Stderr
	if err := build.Run(); err != nil {
		fmt.Fprintln(os.Stderr, "building etcdlab:", err)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// Test timing: faster than etcd's defaults so elections take half a second.
const (
	testHeartbeatMillis = "50"
	testElectionMillis  = "500"
	waitLong            = 20 * time.Second
)

type member struct {
	name, dir, clientURL, peerURL string
	extra                         []string
	cmd                           *exec.Cmd
	log                           *syncBuffer
	exited                        chan struct{}
	exitErr                       error
}

type cluster struct {
	t       *testing.T
	token   string
	members []*member
}

// freePort returns a port for a test server (see native/freeport).
func freePort(t *testing.T) int { return freeport.Port(t) }

func newMember(t *testing.T, name string) *member {
	return &member{
		name: name, dir: filepath.Join(t.TempDir(), name+".etcd"),
		clientURL: fmt.Sprintf("http://127.0.0.1:%d", freePort(t)),
		peerURL:   fmt.Sprintf("http://127.0.0.1:%d", freePort(t)),
	}
}

// startCluster starts n members of a new cluster and waits for a leader.
func startCluster(t *testing.T, n int, extra ...string) *cluster {
	c := &cluster{t: t, token: "tok-" + t.Name()}
	for i := 1; i <= n; i++ {
		m := newMember(t, fmt.Sprintf("m%d", i))
		m.extra = extra
		c.members = append(c.members, m)
	}
	for _, m := range c.members {
		c.start(m, "new")
	}
	t.Cleanup(c.stopAll)
	c.waitLeader()
	return c
}

func (c *cluster) initialCluster() string {
	var parts []string
	for _, m := range c.members {
		parts = append(parts, m.name+"="+m.peerURL)
	}
	return strings.Join(parts, ",")
}

// start launches m's process with etcd's flags.
func (c *cluster) start(m *member, state string) {
	args := []string{"server", "--name", m.name, "--data-dir", m.dir,
		"--listen-client-urls", m.clientURL, "--advertise-client-urls", m.clientURL,
		"--listen-peer-urls", m.peerURL, "--initial-advertise-peer-urls", m.peerURL,
		"--initial-cluster", c.initialCluster(), "--initial-cluster-state", state,
		"--initial-cluster-token", c.token,
		"--heartbeat-interval", testHeartbeatMillis, "--election-timeout", testElectionMillis}
	args = append(args, m.extra...)
	m.log = &syncBuffer{}
	m.cmd = exec.Command(binary, args...)
	m.cmd.Stdout, m.cmd.Stderr = m.log, m.log
	if err := m.cmd.Start(); err != nil {
		c.t.Fatalf("start %s: %v", m.name, err)
	}
	m.exited = make(chan struct{})
	go func(cmd *exec.Cmd, done chan struct{}) {
		m.exitErr = cmd.Wait()
		close(done)
	}(m.cmd, m.exited)
}

func (m *member) running() bool {
	if m.cmd == nil {
		return false
	}
	select {
	case <-m.exited:
		return false
	default:
		return true
	}
}

// stop sends SIGTERM and waits; kill sends SIGKILL.
func (c *cluster) stop(m *member) { c.signal(m, syscall.SIGTERM) }
func (c *cluster) kill(m *member) { c.signal(m, syscall.SIGKILL) }

func (c *cluster) signal(m *member, sig syscall.Signal) {
	if !m.running() {
		return
	}
	m.cmd.Process.Signal(sig)
	select {
	case <-m.exited:
	case <-time.After(waitLong):
		m.cmd.Process.Kill()
		<-m.exited
		c.t.Errorf("%s did not exit on %v; log:\n%s", m.name, sig, m.log.String())
	}
}

func (c *cluster) stopAll() {
	for _, m := range c.members {
		c.stop(m)
	}
	if c.t.Failed() {
		for _, m := range c.members {
			if m.log != nil {
				c.t.Logf("--- log of %s (last 4000 bytes)\n%s", m.name, tail(m.log.String(), 4000))
			}
		}
	}
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

// client connects to the given members (all running ones if none).
func (c *cluster) client(ms ...*member) *clientv3.Client {
	if len(ms) == 0 {
		for _, m := range c.members {
			if m.running() {
				ms = append(ms, m)
			}
		}
	}
	var eps []string
	for _, m := range ms {
		eps = append(eps, m.clientURL)
	}
	cli, err := clientv3.New(clientv3.Config{Endpoints: eps, DialTimeout: 5 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		c.t.Fatal(err)
	}
	c.t.Cleanup(func() { cli.Close() })
	return cli
}

// leader polls the members' status until one of them reports a leader
// that the others agree on, and returns it.
func (c *cluster) waitLeader() *member {
	c.t.Helper()
	var found *member
	eventually(c.t, waitLong, "a leader", func() bool {
		found = c.leader()
		return found != nil
	})
	return found
}

func (c *cluster) leader() *member {
	for _, m := range c.members {
		if !m.running() {
			continue
		}
		cli := c.quickClient(m)
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		st, err := cli.Status(ctx, m.clientURL)
		cancel()
		cli.Close()
		if err == nil && st.Leader != 0 && st.Leader == st.Header.MemberId {
			return m
		}
	}
	return nil
}

func (c *cluster) quickClient(m *member) *clientv3.Client {
	cli, err := clientv3.New(clientv3.Config{Endpoints: []string{m.clientURL}, DialTimeout: time.Second, Logger: zap.NewNop()})
	if err != nil {
		c.t.Fatal(err)
	}
	return cli
}

// eventually polls cond every 20 ms until it holds or the deadline passes.
func eventually(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", d, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// syncBuffer is a bytes.Buffer safe for a process's two output streams.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
