// Package server is etcd's replicated state machine: client requests go
// through the Raft log (core/raft) and are applied, in log order, on every
// member, to the key space (core/mvcc), the leases (core/lease), the
// membership and the alarms. A Member is pure (DESIGN.md): no goroutines,
// no clock, no I/O. The simulator and the daemon drive it the same way,
// with ticks, messages, requests, and the Ready/Advance pair.
//
// # The path of a write
//
//	client ──Submit(Put foo bar, ID 7)──> member n2 (a follower)
//	           │ validate, quota, encode envelope{ID 7, Proposer n2, Put}   submit.go, entry.go
//	           │ raft.Propose ──MsgProp──> leader n1 appends it at index 12
//	           v                                                            wait.go: waiter 7
//	Ready 1:  persist Entries / HardState ──> send MsgApp / MsgAppResp      ready.go
//	           ... a quorum holds index 12: committed
//	Ready k:  CommittedEntries [12]
//	Advance:  apply entry 12 in ONE backend commit:                         apply.go, batch.go
//	            store.Put(foo=bar) -> revision 2
//	            consistent index = 12
//	          n2 proposed it: answer waiter 7
//	Ready k+1: Responses [{ID 7, Header{ClusterID, MemberID n2, Revision 2, RaftTerm}}]
//
// Every member applies entry 12; only the proposer answers. Reads do not
// enter the log: a linearizable read waits for a Raft read index and for
// this member to apply up to it; a serializable one is answered at once
// (read.go).
//
// # The ordering contract
//
// Ready (ready.go) gives the caller, in order: what to persist (Raft's hard
// state, entries, a snapshot from the leader, a snapshot this member took
// and the index up to which the persisted log may be dropped), the messages
// to send after persisting, and the responses of earlier work. Advance(rd)
// applies rd's committed entries inside the member — the caller must have
// persisted them first — and answers them in the next Ready. Each entry is
// one backend commit with its index (the consistent index; with
// BatchApply many entries share one commit that ends with the last
// index), so a member
// that restarts skips exactly the entries its backend already holds, and a
// crash never leaves half an entry applied.
//
// # What else the member does
//
//   - quota.go, alarm.go: the backend quota and the NOSPACE alarm, raised
//     and disarmed through Raft; compact + defrag + disarm recovers.
//   - compactor.go: auto-compaction on the logical clock (periodic and
//     revision modes, etcd 3.4+ semantics); only the leader proposes.
//   - snapshot.go: every SnapshotCount applied entries a state snapshot
//     (the backend stream plus metadata) and Raft log compaction; a
//     lagging member installs the leader's and reopens from it (state.go).
//     With Config.ThinSnapshots (the daemon), as etcd: the snapshot is the
//     metadata alone (a .snap file of ~150 bytes), and the leader encodes
//     a full one from its backend at its applied index only when a
//     follower needs it (the picture is in snapshot.go).
//   - leases.go: grant, revoke, checkpoint applied everywhere; the leader's
//     lessor counts down, proposes revokes of expired leases, and answers
//     keep-alives; it is promoted when the leader applies its no-op.
//   - membership.go: members with etcd's IDs and errors; add, remove and
//     promote are Raft conf changes carrying the member in their Context.
//   - watch.go: watch streams on the key space, synced on every tick.
//   - auth.go, auth_check.go, auth_apply.go, auth_entry.go: the auth store
//     (core/auth) in the backend; users and roles changed through the log;
//     requests checked as their token's user at submit, at apply (writes)
//     and when served (reads); tokens in memory.
//   - event.go: typed trace events (applied, compacted, snapshot taken,
//     alarm raised, lease expired, member added ...).
//
// # Deviations from etcd, and why
//
//   - Requests carry caller-chosen IDs and every answer comes out of
//     Ready; etcd's gRPC handlers block on a wait registry. (No goroutines:
//     the caller owns the waiting.)
//   - With Config.BatchApply (the daemon) applied entries stay in one
//     open backend transaction, committed every 100 ms of the logical
//     clock or 10,000 entries, as etcd's batch transaction; answers go out
//     before that commit, after the entry is durable in the WAL, and a
//     crash re-applies from the WAL (consistent index). Without it (the
//     simulator) every entry is its own commit, and the page map animates
//     each apply.
//   - Linearizable reads each ask Raft for their own read index; etcd
//     batches concurrent reads behind one. (One read at a time is easier to
//     watch; the protocol is the same.)
//   - Member update is a normal log entry: our Raft has no
//     ConfChangeUpdateNode, and an update changes no quorum.
//   - A conf change a follower forwards and the leader refuses (unsafe
//     reconfiguration, learner not ready, one already pending) is dropped
//     by the leader's Raft without an answer, so the follower's request
//     times out; on the leader the refusal is answered at once with etcd's
//     error. (etcd forwards promote to the leader over HTTP.)
//   - Apply-time checks of a membership change mirror Raft's own
//     (core/raft membership.apply): a change that makes no sense there is a
//     no-op here too, since our Raft takes every committed change at
//     Advance and cannot be told to skip one as etcd's ApplyConfChange can.
//   - While NOSPACE is active, txns are refused only if they put; etcd's
//     capped applier refuses any txn that writes. Deletes free space, and a
//     plain DeleteRange is allowed in both.
//   - Lease keep-alive and time-to-live are answered by the leader only
//     (ErrNotLeader elsewhere; the daemon forwards). A keep-alive of an
//     expired lease whose revoke is in flight is held, and retried every
//     tick, until the revoke applies (lease not found), leadership moves
//     (not leader) or the request times out — etcd blocks it likewise.
//   - The leader polls for expired leases every core.LeaseLoopIntervalMillis
//     of its logical clock (etcd's lessor loop cadence), not every tick, so
//     that the revoke rate limit holds.
//   - Watch streams opened before a snapshot install are closed: mvcc's
//     hub belongs to the store the install replaces (etcd moves its
//     watchers to the restored store). Clients watch again from the
//     revision they last saw.
//   - The snapshot's metadata (members, leases, consistent index ...)
//     repeats what the backend stream holds, for readers; installing
//     reopens everything from the backend, as a restart does, and checks
//     the consistent index against the snapshot's index.
//   - Thin snapshots (Config.ThinSnapshots) travel as one Raft snapshot
//     in chunks, header and backend together; etcd sends the v2 store in
//     the raft message and the bbolt file after it over its own HTTP
//     stream (snapshot_merge.go, rafthttp snapshot sender). The simulator
//     keeps full snapshots for now (its page map shows them). A full
//     snapshot received from the leader stays full in its .snap file
//     until newer snapshots purge it; Raft keeps only its metadata.
//   - Periodic auto-compaction needs a retention of at least 1 s; a
//     compaction counts as done when proposed and is retried at the next
//     sample point if it never applies (etcd waits for it synchronously).
//   - The request timeout counts ticks of this member's clock: 5 s plus two
//     election timeouts, as etcd's ReqTimeout.
//   - Auth requests that only read (user get/list, role get/list, auth
//     status) go through the log, as in etcd; a password lookup and a
//     permission check (for a watch or a maintenance call) are answered at
//     once from this member's store.
//   - The user and auth revision of a request travel in a CBOR-tagged
//     wrapper around the entry's envelope (auth_entry.go), only while auth
//     is enabled; etcd puts them into every request's header.
//   - Entries the member proposes itself (expired lease revokes,
//     auto-compaction, NOSPACE alarms) are not permission-checked; etcd
//     runs them with a root token.
//   - Tokens die when the member restarts or installs a snapshot; etcd
//     keeps its token table across a snapshot install. A lease keep-alive
//     needs a user, and WRITE on the lease's keys (or root), as in etcd 3.6.
package server
