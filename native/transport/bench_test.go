package transport

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
)

// benchWindowMessages bounds the messages in flight during a benchmark, so
// that the sender never outruns its queue (a drop would be a lost message
// the benchmark waits for forever); for large messages the queue's byte
// bound lowers it further.
const benchWindowMessages = 1024

// benchStream sends b.N copies of m from one transport to another on
// loopback and waits until the last arrives. It reports messages/s and,
// through SetBytes, MB/s of frames.
func benchStream(b *testing.B, m raft.Message) {
	frame, err := encodeFrame(m, MaxFrameBytes)
	require.NoError(b, err)
	window := make(chan struct{}, min(benchWindowMessages, DefaultQueueBytes/len(frame)/2))
	done := make(chan struct{})
	received := 0
	quiet := func(c *Config) { c.Logger = discardLogger() }
	sender := startNode(b, 1, 7, quiet)
	receiver := startNode(b, 2, 7, func(c *Config) {
		quiet(c)
		c.Handler = func(raft.Message) {
			<-window
			if received++; received == b.N {
				close(done)
			}
		}
	})
	mesh(b, sender, receiver)
	b.SetBytes(int64(len(frame)))
	b.ResetTimer()
	start := time.Now()
	for range b.N {
		window <- struct{}{}
		if err := sender.tr.Send(m); err != nil {
			b.Fatal(err)
		}
	}
	select {
	case <-done:
	case <-time.After(time.Minute):
		b.Fatalf("received %d of %d", received, b.N)
	}
	b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "msgs/s")
}

// One MsgApp with one 64-byte entry: the steady state of a small-value
// workload.
func BenchmarkSmallMsgApp(b *testing.B) { benchStream(b, app(1, 2, 100, 64)) }

// One InstallSnapshot chunk of core.SnapshotChunkBytes (64 KiB).
func BenchmarkSnapshotChunk(b *testing.B) {
	benchStream(b, raft.Message{
		Type: raft.MsgSnap, From: 1, To: 2, Term: 3, Index: 900,
		SnapMeta:  &raft.SnapshotMeta{Index: 900, Term: 3, Conf: raft.ConfState{Voters: []raft.NodeID{1, 2, 3}}},
		SnapTotal: 1 << 30, SnapChunk: make([]byte, core.SnapshotChunkBytes),
	})
}
