package main

// The server under test for the client commands: by default a real etcd
// (Debian's etcd-server, /usr/bin/etcd) on free 127.0.0.1 ports with a
// temporary data dir. ETCDLAB_TEST_SERVER names another command that takes
// etcd's flags — later, "etcdlab server" — so that the same tests check
// etcdlab's daemon against etcdctl.

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/etcdlab/etcdlab/native/freeport"
)

const (
	defaultTestServer = "/usr/bin/etcd"
	etcdctlPath       = "/usr/bin/etcdctl"
	serverReadyWait   = 20 * time.Second
)

// testServer is one single-member cluster.
type testServer struct {
	name       string
	clientURL  string
	peerURL    string
	dataDir    string
	clientPort int
	peerPort   int
	cmd        *exec.Cmd
	log        *syncBuffer
	exited     chan struct{}
}

// serverCommand is the command line prefix that starts the server under test.
func serverCommand(t *testing.T) []string {
	if s := os.Getenv("ETCDLAB_TEST_SERVER"); s != "" {
		return strings.Fields(s)
	}
	if _, err := os.Stat(defaultTestServer); err != nil {
		t.Skipf("client tests need a server: %s is missing (apt-get install etcd-server etcd-client, or set ETCDLAB_TEST_SERVER)", defaultTestServer)
	}
	return []string{defaultTestServer}
}

func requireEtcdctl(t *testing.T) {
	if _, err := os.Stat(etcdctlPath); err != nil {
		t.Skipf("comparison tests need etcdctl: %s is missing (apt-get install etcd-client)", etcdctlPath)
	}
}

// freePort returns a port for a test server (see native/freeport).
func freePort(t *testing.T) int { return freeport.Port(t) }

// newTestServer picks ports and a data dir; start runs it.
func newTestServer(t *testing.T) *testServer {
	s := &testServer{name: "t", clientPort: freePort(t), peerPort: freePort(t)}
	s.clientURL = fmt.Sprintf("http://127.0.0.1:%d", s.clientPort)
	s.peerURL = fmt.Sprintf("http://127.0.0.1:%d", s.peerPort)
	return s
}

// start runs the server on a fresh, empty data dir and waits until it
// answers a read. The same testServer started twice has the same member
// and cluster IDs (they derive from the peer URLs and the cluster token).
func (s *testServer) start(t *testing.T, extraFlags ...string) {
	t.Helper()
	s.dataDir = t.TempDir()
	prefix := serverCommand(t)
	args := append(prefix[1:],
		"--name", s.name, "--data-dir", s.dataDir,
		"--listen-client-urls", s.clientURL, "--advertise-client-urls", s.clientURL,
		"--listen-peer-urls", s.peerURL, "--initial-advertise-peer-urls", s.peerURL,
		"--initial-cluster", s.name+"="+s.peerURL)
	args = append(args, extraFlags...)
	s.log = &syncBuffer{}
	s.cmd = exec.Command(prefix[0], args...)
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start %v: %v", prefix, err)
	}
	s.exited = make(chan struct{})
	go func() { s.cmd.Wait(); close(s.exited) }()
	t.Cleanup(s.stop)
	s.waitReady(t)
}

// waitReady polls with a read until the server answers or the deadline passes.
func (s *testServer) waitReady(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(serverReadyWait)
	for time.Now().Before(deadline) {
		select {
		case <-s.exited:
			t.Fatalf("server exited before it was ready:\n%s", s.log.String())
		default:
		}
		c, err := clientv3.New(clientv3.Config{Endpoints: []string{s.clientURL}, DialTimeout: 300 * time.Millisecond, Logger: zap.NewNop()})
		if err == nil {
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			_, err = c.Get(ctx, "ready")
			cancel()
			c.Close()
			if err == nil {
				return
			}
		}
	}
	t.Fatalf("server at %s not ready after %v:\n%s", s.clientURL, serverReadyWait, s.log.String())
}

// stop kills the server by its PID and waits for it to exit.
func (s *testServer) stop() {
	if s.cmd == nil || s.cmd.Process == nil {
		return
	}
	select {
	case <-s.exited:
	default:
		s.cmd.Process.Kill()
		<-s.exited
	}
	s.cmd = nil
}

// client is a clientv3 client on the server, for a test's own setup.
func (s *testServer) client(t *testing.T) *clientv3.Client {
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{s.clientURL}, DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	if err != nil {
		t.Fatalf("client: %v", err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// syncBuffer is a bytes.Buffer safe for a writer and a poller.
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

// waitFor polls cond until it holds or the deadline passes.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not synchronisation
	}
}
