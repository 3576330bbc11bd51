// Package raft is the Raft consensus algorithm as a pure state machine
// (Ongaro and Ousterhout, "In Search of an Understandable Consensus
// Algorithm", 2014 — "Raft §n" below; Ongaro's thesis, "Consensus: Bridging
// Theory and Practice", 2014 — "thesis §n"), shaped after etcd's raft
// library.
//
// # Basics
//
// A Node does no I/O and keeps no clock. Time is Tick(); messages go in
// through Step; the node's own intents (campaign, propose, read, transfer)
// become messages to the same Step. Everything the node wants done comes
// out as a Ready batch, which the caller carries out — persist, send,
// apply — before calling Advance:
//
//	      Tick / Step / Propose / ReadIndex / TransferLeader ...
//	                            │
//	                            v
//	┌───────────── Node (term, vote, log, role, progress) ─────────────┐
//	│  HasReady? ── Ready{HardState, Entries, Snapshot, Messages,      │
//	│                     CommittedEntries, ReadStates, Events}        │
//	└───────────────────────────┬──────────────────────────────────────┘
//	                            v
//	caller: persist ──> send ──> apply ──> Advance(rd)
//
// A node is in one role at a time (election.go has the full diagram):
//
//	follower ──timeout──> pre-candidate ──pre-vote quorum──> candidate ──vote quorum──> leader
//	    ^                       │                                │                        │
//	    └───── higher term / a leader speaks / lost ─────────────┴── check quorum, removed┘
//
// The leader replicates its log to each follower through a Progress in one
// of three states (types.go, ProgressState): probe (one MsgApp at a time,
// backing up on rejections), replicate (streaming, at most MaxInflightMsgs
// in flight) and snapshot (the follower needs compacted entries and
// receives the latest snapshot in chunks). An entry is committed once a
// quorum of voters holds it and it is of the leader's term (Raft §5.4.2).
//
// Files, one idea each: node.go (the Node and its methods), start.go
// (bootstrap and restart), step.go (the door every message goes through),
// election.go, replication.go (leader) and append.go (follower), progress.go,
// quorum.go (majority math), log.go, membership.go and reconfig.go (one
// change at a time), confchange.go (the ConfChange encoding), transfer.go,
// readindex.go, snapshot.go (create, compact), snapstream.go (chunked
// InstallSnapshot) and snapdemand.go (thin snapshots, full ones on
// demand), ready.go, status.go.
//
// # Thin snapshots
//
// An application whose state is durable on its own, as etcd's backend is,
// need not copy that state into every log-retention snapshot. In thin mode
// (EnableThinSnapshots; snapdemand.go) its snapshots only mark where the
// log was compacted, and a follower that needs compacted entries gets a
// full snapshot the application encodes on request, at the leader's
// applied index:
//
//	held  thin@80 ──── compaction, Status, restart; never sent
//	full  state@95 ─── asked for when n3 needs it, streamed, then dropped
//	log   [61 ........ 95 96 97]
//
// # Deviations from the paper and from etcd, and why
//
//   - Membership changes take effect when their entry is applied (at
//     Advance), as in etcd, not when appended (thesis §4.1): every node then
//     walks the same configurations in log order, and a change is never
//     undone by log truncation. One change may be pending at a time.
//   - A leader that removes itself counts itself in quorums while the
//     removal is in flight (the configuration in effect still has it); when
//     it applies the removal it sends one last heartbeat round carrying its
//     commit index and steps down ("removed"). It never campaigns again.
//   - Learner is a reported role, not a stored one: a learner is a follower
//     that the configuration lists as a learner. Like etcd, a learner still
//     answers vote requests (it may have been promoted by an entry it has not
//     applied yet), but no candidate, commit or quorum check counts it.
//   - A node refuses to campaign while a committed membership change is not
//     yet applied (etcd): the change might remove its vote.
//   - Fast backup follows etcd's findConflictByTerm: the follower hints the
//     last index whose term is <= the leader's term there, the leader skips
//     to its own last entry of a term <= the hinted one.
//   - Snapshots travel in chunks with an acknowledgement per chunk and a
//     bounded window (MaxSnapshotChunksInflight); see snapstream.go for the
//     recovery rule. A follower whose log already holds the snapshot's last
//     entry only advances its commit; otherwise it discards its whole log
//     (etcd) rather than keeping a matching suffix (Raft §7).
//   - Thin mode keeps the full snapshot in a slot of its own next to the
//     thin one (see above); etcd's raft has one snapshot, from its Storage,
//     which may answer ErrSnapshotTemporarilyUnavailable (raft.go
//     maybeSendSnapshot), and etcd's server swaps in its current backend
//     when it sends the message (etcd server/etcdserver/snapshot_merge.go
//     createMergedSnapshotMessage). Two slots let a thin snapshot taken
//     mid-stream leave the stream alone.
//   - MaxSizePerMsg counts the bytes of entry Data only.
//   - CheckQuorum's leader lease: a node that heard from a leader within the
//     election timeout ignores vote requests of a higher term unless they
//     come from a leadership transfer; the leader ignores them too (etcd).
//     A node answers an append or heartbeat of a stale term so that a
//     deposed leader learns the new term (etcd).
//   - The strict reconfig check counts as "started" the voters the leader
//     heard from in the current or previous check-quorum round (etcd asks
//     its transport how long each peer has been connected).
//   - ReadIndex requests are matched by their context; a duplicate is
//     ignored; pending requests are lost on a leader change (the client
//     retries, as with etcd). A full inflight window frees its oldest slot
//     on a heartbeat answer, so lost appends cannot stall a follower.
//   - Committed entries may come in the same Ready as the Entries that hold
//     them (the caller persists before it applies); the leader counts its
//     own entries as matched as soon as it appends them. Ready marks what it
//     returns as handed out; Ready batches must be advanced in order.
//   - Forwarded intents (MsgProp, MsgReadIndex, MsgTransferLeader) carry no
//     term; MsgTransferLeader names the transferee in From.
package raft
