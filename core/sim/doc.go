// Package sim is the deterministic cluster simulator: N Raft nodes of
// core/raft, each with an in-memory disk and a state machine, joined by a
// simulated network, driven by one event queue on one virtual clock and one
// seeded source of randomness. The same seed gives the same run, event for
// event, on every machine and in the browser; a failure found by a random
// seed is replayed, stepped and watched.
//
// # The event queue
//
// Everything that will happen is an event in one priority queue, ordered by
// virtual time and then by the order it was scheduled (queue.go):
//
//	         time ->
//	[1.000s tick n2] [1.003s deliver m17 n1->n2 MsgApp] [1.100s tick n1] ...
//	      ^
//	    Step(): pop the earliest, set the clock to its time, carry it out,
//	    drive the Ready loop of every node it touched, check invariants
//
// Kinds: a node's clock ticks (each node has its own period, TickInterval
// scaled by its clock drift, so timers of different nodes run at different
// rates); a message arrives; a client request arrives or times out; a
// scheduled fault happens. Step carries out exactly one, so a debugger can
// stop anywhere; RunFor and RunUntil loop over it. Operator actions (crash,
// partition, membership, deliver a held message ...) take effect at once,
// between two events.
//
// Randomness: the seed is split into independent streams — one for the
// network, one for clock phases, and one per node (derived from its id) for
// Raft's election timeouts — so adding a node or a fault does not shift the
// draws of everything else.
//
// # The Ready loop and what a crash keeps
//
// After an event touches a node, the simulator carries out its Ready batches
// in the order raft.Ready prescribes (ready.go): persist the hard state, a
// received snapshot and new entries to the node's disk; send the messages;
// restore the snapshot and apply committed entries to the state machine,
// answering the clients that wait on this node; Advance; serve reads whose
// read index is applied. Then the log-retention policy of etcd's server:
// every SnapshotCount applied entries, snapshot the state machine and
// compact the log, keeping CatchUpEntries behind the snapshot.
//
// A whole Ready is handled inside one event and a crash happens between
// events, so a crash finds every Ready fully persisted. It loses what is
// volatile: the Raft node, the state machine, pending client requests and
// reads. Restart builds a new Raft node from the disk — hard state,
// snapshot, the entries after it — with Applied set to the snapshot's
// index; the state machine is restored from the snapshot and Raft
// re-delivers the committed entries after it. That is how the application's
// durability is defined here: the snapshot is durable, the rest is rebuilt
// from the log (etcd gets the same effect from its consistent index).
//
// # The network
//
// Each message gets an id, a send time and a delivery time drawn uniformly
// from its link's latency range (network.go). It may be lost (Loss),
// delivered twice (Duplicate) or held back by up to MaxLatency more
// (Reorder); jitter alone reorders too. Partitions split the nodes into
// groups; a cut blocks one direction of one link; heal undoes them. A
// message is checked against the partitions both when sent and when it
// arrives. A message that cannot be sent because the link is cut or the
// destination is down makes the sender report the peer unreachable, as
// etcd's transport does. For lessons and the debugger, links can be held:
// their messages wait in flight until delivered, dropped or duplicated by
// hand.
//
// # Invariants
//
// With Options.CheckInvariants (tests, scenarios) every event is followed by
// the safety checks of invariants.go: election safety, log matching (by
// chained hashes of index, term and data), leader completeness (committed
// entries never change, and a new leader holds the latest committed one),
// state machine safety, commit and term monotonicity (across crashes too),
// and applied <= committed. A violation stops the run with an
// *InvariantError naming the invariant, the nodes, index, term, virtual time
// and seed.
//
// # Observing
//
// State returns the full picture (nodes, logs, state machines, messages in
// flight, partitions) as plain data; Trace returns typed records — the
// simulator's own (send, deliver, drop, crash, partition, client answer,
// violation) and every raft.Event — each with a virtual time, a sequence
// number and a stable one-line String.
//
// # Etcd mode
//
// With Options.Etcd every process runs etcd's state machine, a
// server.Member (core/server), instead of a Raft node and an Application
// (etcd_member.go): ticks, messages and client requests go to the member,
// and its Ready batches are carried out in the member's order — persist,
// send, Advance (the member applies to its backend), deliver responses
// (etcd_ready.go). A crash keeps the disk (Raft's WAL and snapshots) and
// the backend (the bbolt file, committed entry by entry with the
// consistent index); a restart builds a new member from both. Clients
// submit etcd requests (etcd_client.go), watch keys (etcd_watch.go), and
// State shows each member's etcd view and page map (etcd_state.go). Every
// invariant check reads the member's Raft parts as in the default mode.
//
// # Deviations
//
//   - Persistence is instantaneous and a crash cannot tear a Ready in half;
//     a slow or torn disk is not modelled.
//   - A removed member is stopped as soon as any node applies its removal,
//     modelling etcd's peers telling a removed member it was removed.
//   - Operator actions (membership changes, transfer, campaign, snapshot,
//     compact) are proposed through whichever node leads the highest term
//     right now; client requests aimed at "the leader" choose it when they
//     arrive.
//   - Etcd mode: members are named by node number (member ID = n), not by
//     etcd's hash of peer URLs; snapshot chunk size and in-flight limit
//     are etcdlab's defaults (server.Config does not expose them); the
//     client's timeout (RequestTimeout) may fire before the member's own
//     (5s + 2 election timeouts), and a late answer is then dropped; a
//     member added at runtime is started once its MemberAdd is answered.
//   - Etcd mode: `snapshot restore` starts the new cluster on new node
//     numbers in the same simulator (member IDs are node numbers), once
//     every member of the old cluster is down; each cluster keeps its own
//     invariant checks (etcd_backup.go).
package sim
