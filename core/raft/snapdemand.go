package raft

// Thin snapshots and full snapshots on demand, as etcd runs its raft. With
// a durable state machine (etcd's bbolt backend, which holds the consistent
// index) the log-retention snapshot need not carry the state at all: it
// only marks where the log was compacted. Only when a follower needs
// entries that are gone does the leader need the state, and then the
// newest state is the best one to send (etcd: the leader's
// createMergedSnapshotMessage builds the message from the CURRENT backend,
// with the metadata rewritten to its applied index and term; etcd
// server/etcdserver/snapshot_merge.go). The node keeps two slots:
//
//	held   the latest snapshot, thin in this mode: compaction, Status and
//	       restarts use it; it is never streamed
//	full   the state as of the leader's applied index, asked for when a
//	       follower needs it; streamed, then dropped when nobody is sent it
//
//	follower n3 needs index 40, log starts at 61 (thin snapshot at 80)
//	  startSnapshot(n3): full covers 60? no ──> n3 waits (paused probe),
//	                     SnapshotRequested() = true
//	  application: TakeSnapshotRequest(); encode the state at applied 95;
//	               ProvideSnapshot(95, data)
//	  node: full = snapshot@95 ──> stream to n3 (snapstream.go)
//	  n3 installed 95, replicates from 96 ──> nobody is sent full: dropped
//
// A thin snapshot taken while a stream is in flight replaces held and
// leaves the stream alone; a newer full one (another follower needed more)
// restarts the streams of the older one, as a newer held does without
// thin mode. If the application never answers, the follower just waits:
// each heartbeat answer retries (replication.go handleHeartbeatResponse)
// and raises the request again; nothing else is sent to it. etcd's raft
// waits the same way when its storage answers
// ErrSnapshotTemporarilyUnavailable (raft.go maybeSendSnapshot).
//
// Interface: EnableThinSnapshots, SnapshotRequested, TakeSnapshotRequest,
// ProvideSnapshot.

import "fmt"

// EnableThinSnapshots puts the node in thin mode: the snapshots its
// application creates (CreateSnapshot) hold no state and are never sent to
// a follower; a follower that needs compacted entries waits until the
// application answers SnapshotRequested with ProvideSnapshot. Call it once,
// right after New; a snapshot installed from the leader is then kept by its
// metadata alone (the state lives in the application).
func (n *Node) EnableThinSnapshots() { n.thin = true }

// SnapshotRequested reports whether the leader waits for its application
// to provide a full snapshot (thin mode).
func (n *Node) SnapshotRequested() bool { return n.snapWanted }

// TakeSnapshotRequest reports whether a full snapshot is requested and
// clears the request, so that a caller that polls it does not spin: if the
// snapshot is still needed later, the next retry (a heartbeat answer)
// requests it again.
func (n *Node) TakeSnapshotRequest() bool {
	wanted := n.snapWanted
	n.snapWanted = false
	return wanted
}

// ProvideSnapshot answers a request: data is the application's whole state
// as of index, which must be the applied index (the node stamps it with the
// term of that entry and the membership in effect, both as of applied). The
// followers waiting for a snapshot start receiving it. A leader that lost
// its office meanwhile, or whose followers need nothing any more, drops it.
// As with CreateSnapshot, the node keeps data itself: do not modify it.
func (n *Node) ProvideSnapshot(index uint64, data []byte) error {
	n.snapWanted = false
	switch {
	case !n.thin:
		return fmt.Errorf("raft: ProvideSnapshot is for thin mode; call EnableThinSnapshots first")
	case n.role != Leader:
		return nil // a request of a past term: nobody to send it to
	case index != n.applied:
		return fmt.Errorf("raft: snapshot provided at index %d, but the applied index is %d; encode the state as of the applied index", index, n.applied)
	}
	if n.full == nil || n.full.Meta.Index != index {
		// Never replace a full snapshot by another of the same index: two
		// encodings of one state may differ byte for byte, and chunks are
		// matched by index (snapstream.go).
		term, ok := n.log.term(index)
		if !ok {
			panic(fmt.Sprintf("Node.ProvideSnapshot: applied entry %d is not in the log", index))
		}
		n.full = &Snapshot{Meta: SnapshotMeta{Index: index, Term: term, Conf: n.conf.confState()}, Data: data}
	}
	for _, id := range n.peers() {
		if pr := n.prs[id]; n.awaitsSnapshot(pr) {
			pr.probeSent = false
			n.startSnapshot(id)
		}
	}
	n.releaseFullSnapshot()
	return nil
}

// snapshotToStart returns the snapshot to start sending a follower that
// needs compacted entries, or nil if the application must provide one
// first. Without thin mode it is held, which always covers the log
// (Compact never passes it); in thin mode it is full, if the log goes on
// right after it.
func (n *Node) snapshotToStart() *Snapshot {
	if !n.thin {
		if n.held == nil {
			panic("Node.snapshotToStart: a follower needs compacted entries but no snapshot is held")
		}
		return n.held
	}
	if n.full != nil && n.full.Meta.Index+1 >= n.log.firstIndex() {
		return n.full
	}
	return nil
}

// streamSource is the snapshot the streams in flight send: held, or in
// thin mode full (a thin held never interrupts them). Nil if none.
func (n *Node) streamSource() *Snapshot {
	if n.thin {
		return n.full
	}
	return n.held
}

// awaitSnapshot parks `to` until the application provides a full snapshot,
// and requests one.
func (n *Node) awaitSnapshot(to NodeID) {
	pr := n.prs[to]
	was := pr.state
	pr.awaitSnapshot()
	if was != ProgressProbe {
		n.emit(Event{Kind: EvProgressChanged, Peer: to, Index: pr.match, Reason: "probe"})
	}
	n.snapWanted = true
}

// awaitsSnapshot reports whether pr is parked waiting for a snapshot: a
// probe whose next entry is compacted.
func (n *Node) awaitsSnapshot(pr *progress) bool {
	return pr.state == ProgressProbe && pr.next <= n.log.snapIndex
}

// releaseFullSnapshot drops the full snapshot once no follower is being
// sent it, and a request a deposed leader can no longer use, so that the
// memory of the state is freed (node.go calls it after every Step and
// Tick).
func (n *Node) releaseFullSnapshot() {
	if n.role != Leader {
		n.snapWanted = false
	}
	if n.full == nil {
		return
	}
	if n.role == Leader {
		for _, id := range n.peers() {
			if pr := n.prs[id]; pr.state == ProgressSnapshot && pr.pendingSnapshot == n.full.Meta.Index {
				return
			}
		}
	}
	n.full = nil
}
