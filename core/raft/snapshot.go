package raft

// Log retention (Raft §7): the application takes a snapshot of its state
// at the applied index; the log before it can then be discarded. The node
// keeps the latest snapshot to send to followers whose next entry is gone.
//
//	before:  [1 2 3 4 5 6 7 8 9]            applied = 6
//	CreateSnapshot:  snapshot@6 (term, ConfState)
//	Compact(6):      snapshot@6 + [7 8 9]    FirstIndex = 7
//
// The caller decides when (etcd: every --snapshot-count applied entries,
// keeping SnapshotCatchUpEntries behind for slow followers). In thin mode
// (snapdemand.go) the snapshot created here holds no state and is never
// sent; followers get a full one the application provides on request.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core"
)

// CreateSnapshot records data, the application's state as of the applied
// index (in thin mode, only a marker of it), as the latest snapshot, and
// returns it for the caller to persist.
// The snapshot keeps data itself, not a copy: the caller must not modify it
// afterwards (Snapshot).
func (n *Node) CreateSnapshot(data []byte) (Snapshot, error) {
	idx := n.applied
	if idx == 0 || (n.held != nil && idx <= n.held.Meta.Index) {
		return Snapshot{}, fmt.Errorf("%w: applied index %d, snapshot at %d; apply more entries first", ErrSnapOutOfDate, idx, n.snapshotIndex())
	}
	term, ok := n.log.term(idx)
	if !ok {
		panic(fmt.Sprintf("Node.CreateSnapshot: applied entry %d is not in the log", idx))
	}
	n.held = &Snapshot{
		Meta: SnapshotMeta{Index: idx, Term: term, Conf: n.conf.confState()},
		Data: data,
	}
	n.emit(Event{Kind: EvSnapshotCreated, Index: idx})
	return *cloneSnapshot(n.held), nil
}

// Compact discards the log entries up to and including index, which the
// latest snapshot must cover.
func (n *Node) Compact(index uint64) error {
	if index <= n.log.snapIndex {
		return fmt.Errorf("%w: index %d, log starts at %d", ErrCompacted, index, n.log.firstIndex())
	}
	if index > n.snapshotIndex() {
		return fmt.Errorf("raft: cannot compact to %d: the latest snapshot is at %d; create a snapshot first", index, n.snapshotIndex())
	}
	n.log.compact(index)
	n.emit(Event{Kind: EvLogCompacted, Index: index})
	return nil
}

func (n *Node) snapshotIndex() uint64 {
	if n.held == nil {
		return 0
	}
	return n.held.Meta.Index
}

// maxSnapChunksInflight is the per-follower window of snapshot chunks.
const maxSnapChunksInflight = core.MaxSnapshotChunksInflight
