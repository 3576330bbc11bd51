package transport

// Counters for `endpoint status` and metrics: per peer, what was sent,
// received and dropped (with the reason), and since when the outgoing stream
// is up. Counters are atomics written by the goroutines that do the work and
// read by Stats at any time; a snapshot of them is consistent per counter,
// not across counters.

import (
	"slices"
	"sync/atomic"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// PeerStats is the traffic with one peer.
type PeerStats struct {
	ID   raft.NodeID
	URLs []string

	// Connected: the outgoing stream to the peer is up, since ActiveSince
	// (zero when it is down). InboundConnected: the peer's stream to us is
	// up.
	Connected        bool
	ActiveSince      time.Time
	InboundConnected bool

	SentMessages, SentBytes         uint64 // written and flushed to the stream
	ReceivedMessages, ReceivedBytes uint64 // handed to the Handler
	QueuedMessages                  int    // waiting for the writer now

	// Dropped, by reason. Raft tolerates every one of these losses.
	DroppedQueueFull   uint64 // Send found the queue full
	DroppedTooLarge    uint64 // the encoded message exceeded MaxFrameBytes
	DroppedWriteFailed uint64 // the stream broke while the message was in hand
	DroppedStopped     uint64 // still queued when the peer was removed or the transport stopped
	DroppedInvalid     uint64 // received but addressed wrongly (From/To/local type); the stream is closed

	// LastError is the latest failure to reach the peer ("" after a
	// successful connection).
	LastError string
}

// Stats is the traffic of the whole transport.
type Stats struct {
	ID    raft.NodeID
	Peers []PeerStats // sorted by ID
	// DroppedUnknownPeer counts messages Send got for members that are not
	// peers (never added, or removed).
	DroppedUnknownPeer uint64
	// RefusedStreams counts inbound streams refused at the handshake.
	RefusedStreams uint64
}

// peerCounters are one peer's atomics.
type peerCounters struct {
	sentMessages, sentBytes         atomic.Uint64
	receivedMessages, receivedBytes atomic.Uint64
	droppedQueueFull                atomic.Uint64
	droppedTooLarge                 atomic.Uint64
	droppedWriteFailed              atomic.Uint64
	droppedStopped                  atomic.Uint64
	droppedInvalid                  atomic.Uint64
}

// Stats returns a snapshot of the counters.
func (t *Transport) Stats() Stats {
	t.mu.RLock()
	peers := make([]*peer, 0, len(t.peers))
	for _, p := range t.peers {
		peers = append(peers, p)
	}
	inbound := make(map[raft.NodeID]bool, len(t.inbound))
	for id := range t.inbound {
		inbound[id] = true
	}
	t.mu.RUnlock()

	s := Stats{
		ID:                 t.cfg.ID,
		DroppedUnknownPeer: t.droppedUnknownPeer.Load(),
		RefusedStreams:     t.refusedStreams.Load(),
	}
	for _, p := range peers {
		ps := p.stats()
		ps.InboundConnected = inbound[p.id]
		s.Peers = append(s.Peers, ps)
	}
	slices.SortFunc(s.Peers, func(a, b PeerStats) int { return cmpID(a.ID, b.ID) })
	return s
}

// PeerStats returns the stats of one peer, and false if id is not a peer.
func (t *Transport) PeerStats(id raft.NodeID) (PeerStats, bool) {
	for _, ps := range t.Stats().Peers {
		if ps.ID == id {
			return ps, true
		}
	}
	return PeerStats{}, false
}

// ActiveSince returns since when the outgoing stream to id has been up, or
// the zero time if it is down or id is not a peer. etcd's strict reconfig
// check counts a member as started when this is non-zero (etcd:
// rafthttp Transport.ActiveSince, isConnectedSince).
func (t *Transport) ActiveSince(id raft.NodeID) time.Time {
	t.mu.RLock()
	p := t.peers[id]
	t.mu.RUnlock()
	if p == nil {
		return time.Time{}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.activeSince
}

// stats reads one peer's counters and state.
func (p *peer) stats() PeerStats {
	p.mu.Lock()
	ps := PeerStats{
		ID:          p.id,
		URLs:        slices.Clone(p.urls),
		Connected:   p.conn != nil,
		ActiveSince: p.activeSince,
		LastError:   p.lastErr,
	}
	p.mu.Unlock()
	c := &p.counters
	ps.SentMessages, ps.SentBytes = c.sentMessages.Load(), c.sentBytes.Load()
	ps.ReceivedMessages, ps.ReceivedBytes = c.receivedMessages.Load(), c.receivedBytes.Load()
	ps.QueuedMessages = len(p.queue)
	ps.DroppedQueueFull = c.droppedQueueFull.Load()
	ps.DroppedTooLarge = c.droppedTooLarge.Load()
	ps.DroppedWriteFailed = c.droppedWriteFailed.Load()
	ps.DroppedStopped = c.droppedStopped.Load()
	ps.DroppedInvalid = c.droppedInvalid.Load()
	return ps
}

func cmpID(a, b raft.NodeID) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
