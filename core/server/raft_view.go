package server

// A read-only window onto the member's Raft node, for the simulator's
// state pictures and the visualizer: the log and the snapshot Raft holds in
// memory (RaftStatus gives the rest). Nothing here changes the member.

import "github.com/etcdlab/etcdlab/core/raft"

// RaftLog returns copies of the entries the member's Raft node holds in
// memory (raft.Node.Log).
func (m *Member) RaftLog() []raft.Entry { return m.node.Log() }

// RaftSnapshot returns a copy of the latest snapshot the member's Raft node
// holds (created, installed or restarted from), or nil.
func (m *Member) RaftSnapshot() *raft.Snapshot { return m.node.LatestSnapshot() }
