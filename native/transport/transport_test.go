package transport

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Three members send to each other at once; every receiver sees each
// sender's messages complete and in order.
func TestDeliveryInOrderBetweenThree(t *testing.T) {
	const perPeer = 2000
	nodes := []*testNode{startNode(t, 1, 7, nil), startNode(t, 2, 7, nil), startNode(t, 3, 7, nil)}
	mesh(t, nodes...)
	for i := uint64(1); i <= perPeer; i++ {
		for _, a := range nodes {
			for _, b := range nodes {
				if a != b {
					require.NoError(t, a.tr.Send(app(a.id, b.id, i, 64)))
				}
			}
		}
	}
	for _, b := range nodes {
		next := map[raft.NodeID]uint64{}
		for range 2 * perPeer {
			m := b.expect(t)
			require.Equal(t, b.id, m.To)
			require.Equal(t, next[m.From]+1, m.Index, "n%d: message from n%d out of order", b.id, m.From)
			require.Len(t, m.Entries, 1)
			require.Len(t, m.Entries[0].Data, 64)
			next[m.From] = m.Index
		}
		b.expectNone(t)
	}
	for _, a := range nodes {
		// Sent counters move after the flush, which may be after delivery.
		waitUntil(t, func() bool {
			for _, ps := range a.tr.Stats().Peers {
				if ps.SentMessages != perPeer {
					return false
				}
			}
			return true
		}, func() string { return fmt.Sprintf("n%d: %+v", a.id, a.tr.Stats()) })
		for _, ps := range a.tr.Stats().Peers {
			require.EqualValues(t, perPeer, ps.ReceivedMessages, "n%d from n%d", a.id, ps.ID)
			require.Zero(t, ps.DroppedQueueFull+ps.DroppedWriteFailed+ps.DroppedTooLarge)
			require.True(t, ps.Connected)
			require.False(t, a.tr.ActiveSince(ps.ID).IsZero())
		}
	}
}

// A snapshot streamed in chunks of core.SnapshotChunkBytes arrives whole
// and in order, and so does a MsgApp at the MaxSizePerMsg limit.
func TestLargeMessages(t *testing.T) {
	seed := uint64(time.Now().UnixNano())
	rng := rand.New(rand.NewPCG(seed, 0))
	a, b := startNode(t, 1, 7, nil), startNode(t, 2, 7, nil)
	mesh(t, a, b)

	snapshot := make([]byte, 40*core.SnapshotChunkBytes+123)
	for i := range snapshot {
		snapshot[i] = byte(rng.Uint32())
	}
	meta := &raft.SnapshotMeta{Index: 900, Term: 3, Conf: raft.ConfState{Voters: []raft.NodeID{1, 2, 3}}}
	for off := 0; off < len(snapshot); off += core.SnapshotChunkBytes {
		end := min(off+core.SnapshotChunkBytes, len(snapshot))
		require.NoError(t, a.tr.Send(raft.Message{
			Type: raft.MsgSnap, From: 1, To: 2, Term: 3, Index: 900, SnapMeta: meta,
			SnapOffset: uint64(off), SnapTotal: uint64(len(snapshot)), SnapChunk: snapshot[off:end],
		}))
	}
	big := app(1, 2, 1000, core.MaxSizePerMsg)
	require.NoError(t, a.tr.Send(big))

	var got bytes.Buffer
	for got.Len() < len(snapshot) {
		m := b.expect(t)
		require.Equal(t, raft.MsgSnap, m.Type)
		require.EqualValues(t, got.Len(), m.SnapOffset, "seed %d: chunk out of order", seed)
		require.Equal(t, *meta, *m.SnapMeta)
		got.Write(m.SnapChunk)
	}
	require.True(t, bytes.Equal(snapshot, got.Bytes()), "seed %d: snapshot bytes differ", seed)
	m := b.expect(t)
	require.Equal(t, uint64(1000), m.Index)
	require.Len(t, m.Entries[0].Data, core.MaxSizePerMsg)
}

// A peer that is down: the queue fills, further messages are dropped,
// counted and reported; when the peer comes up on its address the queued
// messages are delivered first, in order, and delivery resumes.
func TestPeerDownDropsThenReconnects(t *testing.T) {
	const queue = 8
	addr := reservePort(t)
	a := startNode(t, 1, 7, func(c *Config) { c.QueueMessages = queue })
	require.NoError(t, a.tr.AddPeer(2, []string{"http://" + addr}))

	for i := uint64(1); i <= 20; i++ {
		err := a.tr.Send(app(1, 2, i, 64))
		if i <= queue {
			require.NoError(t, err, "message %d", i)
		} else {
			require.ErrorIs(t, err, ErrQueueFull, "message %d", i)
		}
	}
	ps, _ := a.tr.PeerStats(2)
	require.EqualValues(t, 12, ps.DroppedQueueFull)
	require.Equal(t, queue, ps.QueuedMessages)
	require.False(t, ps.Connected)
	require.True(t, a.tr.ActiveSince(2).IsZero())
	for range 12 {
		select {
		case id := <-a.unreachable:
			require.Equal(t, raft.NodeID(2), id)
		case <-time.After(waitTimeout):
			t.Fatal("peer 2 not reported unreachable")
		}
	}
	a.logs.waitFor(t, "sending buffer is full")
	a.logs.waitFor(t, "cannot reach peer", "connection refused")

	b := startNode(t, 2, 7, func(c *Config) { c.ListenURLs = []string{"http://" + addr} })
	require.NoError(t, b.tr.AddPeer(1, a.tr.URLs()))
	for i := uint64(1); i <= queue; i++ {
		require.Equal(t, i, b.expect(t).Index)
	}
	for i := uint64(21); i <= 20+queue; i++ {
		require.NoError(t, a.tr.Send(app(1, 2, i, 64)))
	}
	for i := uint64(21); i <= 20+queue; i++ {
		require.Equal(t, i, b.expect(t).Index)
	}
	// The counters move after the flush, which may be after the delivery.
	waitUntil(t, func() bool { ps, _ = a.tr.PeerStats(2); return ps.SentMessages == 2*queue },
		func() string { return fmt.Sprintf("%+v", ps) })
	require.True(t, ps.Connected)
	require.Empty(t, ps.LastError)
}

// A peer restarted on the same address: the writer notices the broken
// stream, redials and delivery resumes.
func TestPeerRestartReconnects(t *testing.T) {
	a := startNode(t, 1, 7, nil)
	b := startNode(t, 2, 7, nil)
	mesh(t, a, b)
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))
	require.EqualValues(t, 1, b.expect(t).Index)

	url := b.tr.URLs()[0]
	b.tr.Stop()
	a.logs.waitFor(t, "lost stream to peer")
	select {
	case <-a.unreachable:
	case <-time.After(waitTimeout):
		t.Fatal("lost stream not reported unreachable")
	}
	b2 := startNode(t, 2, 7, func(c *Config) { c.ListenURLs = []string{url} })
	require.NoError(t, b2.tr.AddPeer(1, a.tr.URLs()))
	require.NoError(t, a.tr.Send(app(1, 2, 2, 8)))
	require.EqualValues(t, 2, b2.expect(t).Index)
}

// UpdatePeer moves a peer to a new URL; queued messages follow it.
func TestUpdatePeer(t *testing.T) {
	a := startNode(t, 1, 7, nil)
	b := startNode(t, 2, 7, nil)
	require.NoError(t, a.tr.AddPeer(2, []string{"http://" + reservePort(t)}))
	require.NoError(t, b.tr.AddPeer(1, a.tr.URLs()))
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))
	require.NoError(t, a.tr.UpdatePeer(2, b.tr.URLs()))
	require.EqualValues(t, 1, b.expect(t).Index)
	ps, _ := a.tr.PeerStats(2)
	require.Equal(t, b.tr.URLs(), ps.URLs)
	require.ErrorIs(t, a.tr.UpdatePeer(9, b.tr.URLs()), ErrUnknownPeer)
}

// A member of another cluster is refused, and both sides say why.
func TestClusterIDMismatchRefused(t *testing.T) {
	a := startNode(t, 1, 7, nil)
	b := startNode(t, 2, 8, nil)
	mesh(t, a, b)
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))

	b.logs.waitFor(t, "ERROR request cluster ID mismatch", "remote-peer-id=1", "remote-peer-cluster-id=7")
	a.logs.waitFor(t, "ERROR peer refused stream", "request cluster ID mismatch", "cluster 8")
	ps, _ := a.tr.PeerStats(2)
	require.False(t, ps.Connected)
	require.Contains(t, ps.LastError, "cluster ID mismatch")
	require.GreaterOrEqual(t, b.tr.Stats().RefusedStreams, uint64(1))
	b.expectNone(t)
}

// A removed member's stream is closed and refused from then on; its ID
// cannot be added back.
func TestRemovedPeerRefused(t *testing.T) {
	a := startNode(t, 1, 7, nil)
	b := startNode(t, 2, 7, nil)
	mesh(t, a, b)
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))
	require.EqualValues(t, 1, b.expect(t).Index)

	b.tr.RemovePeer(1)
	b.logs.waitFor(t, "WARN rejected stream from remote peer because it was removed", "remote-peer-id=1")
	a.logs.waitFor(t, "ERROR peer refused stream", "rejected stream from remote peer because it was removed")
	ps, _ := a.tr.PeerStats(2)
	require.False(t, ps.Connected)
	require.Contains(t, ps.LastError, "removed")

	require.NoError(t, a.tr.Send(app(1, 2, 2, 8)))
	ps, _ = a.tr.PeerStats(2)
	require.Equal(t, 1, ps.QueuedMessages, "the message cannot leave: every stream is refused")
	b.expectNone(t)
	require.ErrorIs(t, b.tr.AddPeer(1, a.tr.URLs()), ErrPeerRemoved)
	require.ErrorIs(t, b.tr.Send(app(2, 1, 1, 8)), ErrUnknownPeer)
	require.EqualValues(t, 1, b.tr.Stats().DroppedUnknownPeer)
}

// Messages too large to frame are refused by Send; a length prefix over the
// limit from the wire ends the stream before anything is allocated.
func TestOversizedFrameRejected(t *testing.T) {
	a := startNode(t, 1, 7, nil)
	b := startNode(t, 2, 7, nil)
	mesh(t, a, b)
	err := a.tr.Send(app(1, 2, 1, MaxFrameBytes))
	require.ErrorIs(t, err, ErrFrameTooLarge)
	var tooLarge *FrameTooLargeError
	require.True(t, errors.As(err, &tooLarge))
	require.Equal(t, MaxFrameBytes, tooLarge.MaxBytes)
	ps, _ := a.tr.PeerStats(2)
	require.EqualValues(t, 1, ps.DroppedTooLarge)
	require.Equal(t, raft.NodeID(2), <-a.unreachable)

	// Speak the protocol by hand as member 3: one good frame, then a bad length.
	require.NoError(t, b.tr.AddPeer(3, []string{"http://" + reservePort(t)}))
	conn := dialStream(t, b.tr.URLs()[0], 7, 3, 2)
	good, err := encodeFrame(app(3, 2, 5, 8), MaxFrameBytes)
	require.NoError(t, err)
	_, err = conn.Write(good)
	require.NoError(t, err)
	require.EqualValues(t, 5, b.expect(t).Index)
	_, err = conn.Write([]byte{0x00, 0x80, 0x00, 0x01}) // 8 MiB + 1
	require.NoError(t, err)
	b.logs.waitFor(t, "ERROR closing stream: bad frame", "exceeds the limit of 8388608 bytes")
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(waitTimeout)))
	_, err = conn.Read(make([]byte, 1))
	require.Error(t, err, "the receiver must close the stream")
	var ne net.Error
	require.False(t, errors.As(err, &ne) && ne.Timeout(), "stream still open: %v", err)
	b.expectNone(t)
}

// A stream whose messages claim another sender is closed.
func TestMisaddressedMessageClosesStream(t *testing.T) {
	b := startNode(t, 2, 7, nil)
	require.NoError(t, b.tr.AddPeer(1, []string{"http://" + reservePort(t)}))
	conn := dialStream(t, b.tr.URLs()[0], 7, 1, 2)
	forged, err := encodeFrame(app(3, 2, 1, 8), MaxFrameBytes)
	require.NoError(t, err)
	_, err = conn.Write(forged)
	require.NoError(t, err)
	b.logs.waitFor(t, "closing stream: misaddressed message", "from=3")
	ps, _ := b.tr.PeerStats(1)
	require.EqualValues(t, 1, ps.DroppedInvalid)
	b.expectNone(t)
}

// dialStream opens a stream by hand, as member `from` of clusterID.
func dialStream(t *testing.T, peerURL string, clusterID uint64, from, to raft.NodeID) net.Conn {
	t.Helper()
	u, err := parsePeerURL(peerURL)
	require.NoError(t, err)
	conn, err := net.DialTimeout("tcp", u.Host, waitTimeout)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	require.NoError(t, writeUpgradeRequest(conn, u.Host, clusterID, from, to))
	require.NoError(t, readUpgradeResponse(bufioReader(conn)))
	return conn
}

// Config mistakes are reported, not panicked on.
func TestConfigErrors(t *testing.T) {
	ok := Config{ID: 1, ListenURLs: []string{"http://127.0.0.1:0"}, Handler: func(raft.Message) {},
		Logger: discardLogger()}
	for name, tweak := range map[string]func(*Config){
		"no id":        func(c *Config) { c.ID = 0 },
		"no handler":   func(c *Config) { c.Handler = nil },
		"no listen":    func(c *Config) { c.ListenURLs = nil },
		"bad scheme":   func(c *Config) { c.ListenURLs = []string{"tcp://127.0.0.1:0"} },
		"no port":      func(c *Config) { c.ListenURLs = []string{"http://127.0.0.1"} },
		"https no tls": func(c *Config) { c.ListenURLs = []string{"https://127.0.0.1:0"} },
		"tiny frames":  func(c *Config) { c.MaxFrameBytes = 1024 },
	} {
		c := ok
		tweak(&c)
		_, err := New(c)
		require.Error(t, err, name)
	}
	tr, err := New(ok)
	require.NoError(t, err)
	defer tr.Stop()
	require.Error(t, tr.AddPeer(1, []string{"http://127.0.0.1:1"}), "self")
	require.Error(t, tr.AddPeer(2, nil), "no URLs")
	require.NoError(t, tr.AddPeer(2, []string{"http://127.0.0.1:1"}))
	require.ErrorIs(t, tr.AddPeer(2, []string{"http://127.0.0.1:1"}), ErrPeerExists)
	require.Panics(t, func() { _ = tr.Send(raft.Message{Type: raft.MsgHup, To: 2}) })
	require.GreaterOrEqual(t, MaxFrameBytes, minFrameBudget, "a snapshot chunk must fit in a frame")
}

func ExampleTransport() {
	received := make(chan raft.Message, 1)
	a, _ := New(Config{ClusterID: 7, ID: 1, ListenURLs: []string{"http://127.0.0.1:0"},
		Handler: func(raft.Message) {}, Logger: discardLogger()})
	b, _ := New(Config{ClusterID: 7, ID: 2, ListenURLs: []string{"http://127.0.0.1:0"},
		Handler: func(m raft.Message) { received <- m }, Logger: discardLogger()})
	a.AddPeer(2, b.URLs())
	b.AddPeer(1, a.URLs())
	a.Send(raft.Message{Type: raft.MsgHeartbeat, From: 1, To: 2, Term: 4, Commit: 17})
	m := <-received
	fmt.Println(m.Type, m.From, "->", m.To, "commit", m.Commit)
	a.Stop()
	b.Stop()
	// Output: MsgHeartbeat 1 -> 2 commit 17
}
