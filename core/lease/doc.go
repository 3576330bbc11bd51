// Package lease is the lessor: leases with a time-to-live, the keys attached
// to them, and their expiry, on logical time.
//
// # Basics
//
// A client grants a lease of TTL seconds, attaches keys to it by putting
// them with the lease, and keeps it alive with keep-alives. If the
// keep-alives stop for TTL seconds the lease expires and its keys are
// deleted — the building block of etcd's locks, elections and service
// registrations.
//
// Everything that changes a lease's replicated state goes through Raft and
// is applied on every member: Grant, Revoke, Attach/Detach (by puts and
// deletes) and Checkpoint. The countdown does not: only the leader's lessor
// (the primary) keeps time; a follower holds every lease forever. When the
// primary sees a lease expire it does not delete it — it hands it to the
// server, which proposes a revoke, so that every member deletes the same keys
// at the same revision:
//
//	time   0s        4s            8s         9s          20s          20s+
//	       |         |             |          |            |            |
//	n1     grant A   keep-alive    crash
//	(lead) ttl=10    exp 14s
//	       put k --lease=A
//	n2     A held forever ......................promoted   A expired    apply revoke A
//	                                          extend 1s:   -> propose   DELETE k at
//	                                          exp 9+10+1   revoke A     one revision,
//	                                          = 20s        via Raft     on every member
//
// A new leader restarts each countdown from the lease's remaining TTL (the
// last checkpoint, else the full TTL) plus one election timeout, so the time
// without a leader — when no keep-alive could be served — never expires a
// lease early. The minimum TTL is one and a half election timeouts for the
// same reason. With checkpoints on, the leader records long leases'
// remaining TTLs in the log every few minutes, so that a leader change does
// not hand them their full TTL again.
//
// The lessor is pure (DESIGN.md): every call that needs the time takes now,
// the logical time since start; it never reads a clock, and it picks lease
// IDs from the seeded source in its Config. Every ordered answer is sorted
// (leases by ID, keys by bytes, agendas by time then ID), never in map order.
//
// # How the server drives it
//
//	on apply (every member): Grant, Revoke(deleter), Attach/Detach, Checkpoint
//	on becoming leader:      Promote(electionTimeout, now)
//	on losing leadership:    Demote()
//	every 500 ms on leader:  ExpiredLeases(now) -> propose revokes
//	                         Checkpoints(now)   -> propose checkpoint batches
//	on a keep-alive:         Renew(id, now)      (forward if ErrNotPrimary)
//	on a snapshot:           Snapshot() / Restore(data)
//
// # Deviations from etcd, and why
//
//   - Keep-alive of an expired lease whose revoke is in flight: etcd blocks
//     the keep-alive until the revoke applies (answering "not found") or the
//     leader steps down ("not primary"). A pure lessor cannot block, so
//     Renew returns ErrLeaseExpired and the server holds the request.
//   - A keep-alive that must clear a checkpoint: etcd proposes the clear and
//     waits for it before refreshing; here Renew refreshes from the full TTL
//     at once and queues the clear, which the next Checkpoints call returns.
//   - Leases() lists IDs in ascending order; etcd sorts by expiry, which is
//     meaningless on a follower (every expiry is "forever") and not
//     deterministic among equal expiries.
//   - The agendas break ties on the lease ID; etcd's heaps leave ties to the
//     heap, which can differ between members.
//   - TimeToLive answers only on the primary (ErrNotPrimary otherwise), as
//     etcd's server does by forwarding; etcd's lessor would answer a follower
//     with an enormous "forever" TTL.
//   - The minimum TTL is ceil(1.5 × election timeout) computed on the
//     duration; etcd computes (3 × electionTicks)/2 in whole ticks first, so
//     an odd tick count can round differently by one tick before the ceiling.
//   - Attach moves a key from its old lease itself; in etcd mvcc detaches it
//     first. Detach only removes keys attached to the named lease.
//   - Grant(0) picks an ID from the lessor's seeded source. In a cluster the
//     server must pick it before proposing (NextID), as etcd does, or
//     replicas with different sources would disagree.
//   - Snapshots carry the attached keys (etcd rebuilds them from the key
//     space) and always the remaining TTL (etcd v3.6 always persists it).
//     Restore leaves the lessor a follower; etcd keeps its primary flag.
//   - Revoke calls the deleter only when the lease has keys, so an empty
//     lease's revoke makes no revision (etcd's empty delete txn makes none
//     either).
//   - Checkpoints are off by default, as in etcd v3.4–v3.6 (v3.6: the alpha
//     LeaseCheckpoint feature gate).
//   - The revoke rate is enforced per call (at most
//     core.MaxExpiredLeasesPerCall); the caller keeps etcd's 500 ms cadence.
package lease
