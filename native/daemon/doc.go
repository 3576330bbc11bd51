// Package daemon is one etcd member as a process: the pure state machine of
// core/server given a disk (native/wal, native/snap, native/bolt), a
// network (native/transport) and a clock. It is to core/server what etcd's
// raftNode and EtcdServer are to raft's RawNode: one goroutine, the loop,
// owns the member and does all its I/O in the order the core prescribes.
//
// # Basics
//
//	      native/api (gRPC)              peers (native/transport)
//	Do / watch / status │                        │ Handler    ▲ Send
//	                    v                        v            │
//	┌──────────────── the loop (loop.go) ──────────────────────────┐
//	│ ticker: member.Tick every --heartbeat-interval               │
//	│ select: message | request | control call | unreachable      │
//	│ for member.HasReady():                                       │
//	│   rd := member.Ready()                                       │
//	│   1. snap.Save + WAL marker, wal.Save (fsync if MustSync),   │
//	│      created snapshot + marker, wal.Release  (storage.go)    │
//	│   2. transport.Send(rd.Messages)                             │
//	│   3. member.Advance(rd): apply entries into bbolt            │
//	│   4. answer waiting requests (request.go), feed watches      │
//	└──────────────────────────────────────────────────────────────┘
//
// Steps 1 to 4 overlap where Raft allows (pipeline.go): a leader sends
// before its own fsync (thesis §10.2.1), and entries already on disk are
// applied and answered while the next fsync runs.
//
// Start opens the member in one of three modes (storage.go): new (bootstrap
// from --initial-cluster), restart (a WAL exists: snapshot + WAL, the flags
// about the cluster are ignored), join (--initial-cluster-state=existing
// after `member add`: start empty, learn the log or a snapshot from the
// leader). Stop stops accepting, lets the loop finish its Ready, then
// closes the transport, the WAL and the backend.
//
// Restore (restore.go, `etcdlab snapshot restore`) builds the data dir of
// a member of a NEW cluster from a snapshot file — of etcdlab, or of real
// etcd v3.4 to v3.6, whose protobuf records native/etcdimport converts —
// which Start then opens as a restart.
//
// The consistent index in bbolt makes re-applying idempotent: after a
// crash the WAL replays entries the backend may already hold, and the
// member skips them (core/server apply.go).
//
// # Deviations from etcd, and why
//
//   - A member's name and client URLs are published through Raft, as
//     etcd's publishV3 does (attrs.go, server.MemberAttributesRequest), but
//     the loop checks every 200 ms whether the applied membership already
//     holds them and proposes again until it does; a restart with unchanged
//     flags proposes nothing. Until then `member list` shows the member as
//     unstarted (no name, no client URLs), as etcd does.
//   - The peer listener serves the Raft streams and GET /members (etcd's
//     peer API; peerapi.go), nothing else of etcd's peer HTTP API. A
//     joining member reads /members to learn its ID (which has the time of
//     its `member add` in it, as etcd's) and the cluster ID (discover.go).
//   - --max-wals is applied when a snapshot releases the WAL behind it
//     (wal.Release), not by etcd's purge loop every 30 s.
//   - --max-request-bytes is capped at MaxRequestBytesCeiling (one request
//     must fit one WAL record and one peer message); etcd only warns above
//     10 MiB.
//   - A watch stream opened before this member installed a snapshot from
//     the leader ends with Unavailable; clients watch again.
//   - A storage error stops the member (Err says why) where etcd panics.
package daemon
