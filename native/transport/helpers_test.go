package transport

// Test fixtures: transports on 127.0.0.1 with free ports, a handler that
// collects messages in a channel, and a log recorder that tests wait on.
// Nothing here sleeps: tests wait on channels with generous timeouts.

import (
	"bufio"
	"context"
	"fmt"
	"log/slog"
	"net"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
)

// waitTimeout is how long a test waits for something that should happen
// within milliseconds; it only bounds a failing test.
const waitTimeout = 20 * time.Second

// testNode is one transport with what it received and reported.
type testNode struct {
	tr          *Transport
	id          raft.NodeID
	recv        chan raft.Message
	unreachable chan raft.NodeID
	logs        *logRecorder
}

// startNode starts a transport for member id of cluster clusterID; tweak
// may change the config before New.
func startNode(t testing.TB, id raft.NodeID, clusterID uint64, tweak func(*Config)) *testNode {
	t.Helper()
	n := &testNode{
		id:          id,
		recv:        make(chan raft.Message, 1<<16),
		unreachable: make(chan raft.NodeID, 1<<16),
		logs:        newLogRecorder(),
	}
	cfg := Config{
		ClusterID:  clusterID,
		ID:         id,
		ListenURLs: []string{"http://127.0.0.1:0"},
		Handler:    func(m raft.Message) { n.recv <- m },
		OnUnreachable: func(id raft.NodeID) {
			select {
			case n.unreachable <- id:
			default:
			}
		},
		Logger:     slog.New(n.logs),
		MinBackoff: 5 * time.Millisecond,
		MaxBackoff: 50 * time.Millisecond,
	}
	if tweak != nil {
		tweak(&cfg)
	}
	tr, err := New(cfg)
	require.NoError(t, err)
	n.tr = tr
	t.Cleanup(tr.Stop)
	return n
}

// mesh makes every node a peer of every other.
func mesh(t testing.TB, nodes ...*testNode) {
	t.Helper()
	for _, a := range nodes {
		for _, b := range nodes {
			if a != b {
				require.NoError(t, a.tr.AddPeer(b.id, b.tr.URLs()))
			}
		}
	}
}

// expect waits for the next received message.
func (n *testNode) expect(t testing.TB) raft.Message {
	t.Helper()
	select {
	case m := <-n.recv:
		return m
	case <-time.After(waitTimeout):
		t.Fatalf("n%d: no message within %s; stats %+v", n.id, waitTimeout, n.tr.Stats())
		return raft.Message{}
	}
}

// expectNone reports that nothing was received so far.
func (n *testNode) expectNone(t testing.TB) {
	t.Helper()
	select {
	case m := <-n.recv:
		t.Fatalf("n%d: unexpected message %+v", n.id, m)
	default:
	}
}

// app is a MsgApp from `from` to `to` whose Index numbers it, with one entry
// of dataBytes.
func app(from, to raft.NodeID, index uint64, dataBytes int) raft.Message {
	return raft.Message{
		Type: raft.MsgApp, From: from, To: to, Term: 1, Index: index, LogTerm: 1,
		Entries: []raft.Entry{{Term: 1, Index: index + 1, Data: make([]byte, dataBytes)}},
	}
}

// reservePort returns a loopback address that nothing listens on (now).
func reservePort(t testing.TB) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// logRecorder is a slog.Handler that keeps every record as one line
// ("LEVEL message k=v ...") and lets a test wait for a line.
type logRecorder struct {
	mu      sync.Mutex
	lines   []string
	changed chan struct{} // closed and replaced on every new line
	attrs   []slog.Attr
	shared  *logRecorder // the recorder that owns lines (for WithAttrs)
}

func newLogRecorder() *logRecorder {
	r := &logRecorder{changed: make(chan struct{})}
	r.shared = r
	return r
}

func (r *logRecorder) Enabled(context.Context, slog.Level) bool { return true }

func (r *logRecorder) Handle(_ context.Context, rec slog.Record) error {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", rec.Level, rec.Message)
	for _, a := range r.attrs {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
	}
	rec.Attrs(func(a slog.Attr) bool {
		fmt.Fprintf(&b, " %s=%v", a.Key, a.Value)
		return true
	})
	s := r.shared
	s.mu.Lock()
	s.lines = append(s.lines, b.String())
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
	return nil
}

func (r *logRecorder) WithAttrs(as []slog.Attr) slog.Handler {
	return &logRecorder{attrs: append(append([]slog.Attr{}, r.attrs...), as...), shared: r.shared}
}

func (r *logRecorder) WithGroup(string) slog.Handler { return r }

// waitFor waits until a logged line contains every one of subs.
func (r *logRecorder) waitFor(t testing.TB, subs ...string) string {
	t.Helper()
	timeout := time.After(waitTimeout)
	s := r.shared
	for {
		s.mu.Lock()
		for _, line := range s.lines {
			if containsAll(line, subs) {
				s.mu.Unlock()
				return line
			}
		}
		changed := s.changed
		all := strings.Join(s.lines, "\n")
		s.mu.Unlock()
		select {
		case <-changed:
		case <-timeout:
			t.Fatalf("no log line with %q within %s; log:\n%s", subs, waitTimeout, all)
			return ""
		}
	}
}

func containsAll(s string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(s, sub) {
			return false
		}
	}
	return true
}

// waitUntil polls cond (a deadline loop for states that no channel
// announces, such as goroutine counts) and fails with describe() after
// waitTimeout.
func waitUntil(t testing.TB, cond func() bool, describe func() string) {
	t.Helper()
	deadline := time.Now().Add(waitTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("condition not reached within %s: %s", waitTimeout, describe())
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func bufioReader(c net.Conn) *bufio.Reader { return bufio.NewReader(c) }

func discardLogger() *slog.Logger { return slog.New(slog.DiscardHandler) }
