// Package mvcc is etcd's key space: a multi-version store where every write
// makes a new revision, any recent revision can be read back, history is
// dropped by compaction, and watchers hear every change in order.
//
// # Revisions
//
// The store has one logical clock, the revision. A fresh store is at
// revision 1 — nothing has happened yet, and revision 1 stands for "the
// empty store". Each request that changes something moves the clock by
// exactly one, so `put foo bar` on a fresh store answers revision 2 (etcd's
// famous first example), and foo is created at 2, modified at 2, version 1.
// A txn with ten writes is still one revision: its changes are told apart by
// a sub revision (2.0, 2.1, ...). A request that changes nothing — a read, a
// txn whose branch only reads, a delete of a missing key — does not move it.
//
// Each key carries three numbers: CreateRevision (the put that created it),
// ModRevision (the put that wrote this version) and Version (puts since its
// creation). A delete ends the key's life; the next put creates it anew with
// a new CreateRevision and Version 1.
//
// # Where things live
//
// The backend (core/backend) holds every change under its revision, in
// bucket "key" (store.go); nothing is ever overwritten, so reading "foo at
// revision 5" is finding which revision of foo was current at 5 and reading
// it. That finding is the key index (key_index.go, tree_index.go): per key,
// its generations of revisions, in a B-tree ordered by key.
//
//	keyIndex "foo": put@2 put@3 del@4 put@6 put@7 del@8 put@9
//
//	before compaction:          generation 0        generation 1        generation 2
//	                            [2  3  4(t)]        [6  7  8(t)]        [9]
//
//	compact(3):                 [3  4(t)]           [6  7  8(t)]        [9]
//	  2 is gone: 3 still tells what foo was at 3
//
//	compact(7):                                     [7  8(t)]           [9]
//	  generation 0 ended at 4 <= 7: nothing of it can be read any more
//
//	compact(8):                                                         [9]
//	  a generation whose last change <= 8 is a tombstone goes whole
//
// Compaction (compact.go) keeps, for each key, the latest change at or
// below the compact revision — unless that change is a deletion — and drops
// the rest from the index and from the backend, which frees pages
// (SizeInUse drops; Size drops after Defrag). A read below the compact
// revision fails with ErrCompacted; at or above it, it answers as before.
//
// # Requests
//
// Range, Put, DeleteRange, Txn, Compact and HashKV take and return etcd's
// request fields (request.go) with etcd's semantics and error strings
// (errors.go); the table tests in store_test.go pin each one to the etcd
// behaviour it copies. Validation that etcd does in its gRPC layer is
// exported (validate.go) and also run on entry.
//
// # Watch
//
// A watch Stream (watch.go) multiplexes watchers for one consumer; the hub
// (watch_hub.go) keeps each watcher synced, unsynced or a victim, as etcd's
// watchableStore does. The core has no goroutines, so where etcd has
// background loops this package has calls:
//
//	writes            notify synced watchers at once, into bounded stream buffers
//	SyncWatchers()    the caller calls it every tick: victims retry, unsynced
//	                  watchers catch up from the backend in bounded batches,
//	                  deferred progress requests are answered
//	NotifyProgress()  the caller calls it periodically: progress for quiet
//	                  ProgressNotify watchers
//	Responses()       the consumer pulls everything pending
//
// Guarantees, as etcd's: events come in revision order, without gaps, never
// from before the start revision, and all events of one revision in one
// response (unless the watcher asked for fragments). Memory is bounded by
// the limits in core/limits.go (WatchStreamBufferResponses,
// WatchBatchMaxRevisions, MaxWatchersPerSync).
//
// # etcd quirks kept on purpose
//
//   - Range Count ignores the min/max revision filters and the limit; More
//     is about what passed the filters.
//   - A sort target without a sort order and without filters fetches only
//     Limit+1 keys (in key order) before sorting them.
//   - Inside a txn, a range with a negative revision is ErrCompacted (etcd's
//     checkRequestRange compares it with the first revision), while a plain
//     Range reads it as "now".
//   - A deletion at exactly the compact revision is compacted away, so a
//     watch that starts at the compact revision does not see it.
//
// # Deviations from etcd, and why
//
//   - Compaction runs in one backend transaction when called; etcd deletes
//     in batches of 1000 in the background. (No goroutines; a teaching store
//     does not need the latency trick.) Hence HashKV needs no "keep" set.
//   - Every write request is one backend commit; etcd batches commits (100
//     ms / 10,000 writes). The page map then animates every write.
//   - Values in the backend are CBOR, not protobuf: HashKV agrees between
//     etcdlab members, not with etcd's numbers.
//   - Duplicate-key check: a delete with range_end "\x00" covers every key
//     after its key; etcd's interval tree takes "\x00" literally and lets a
//     put in such a range through (and would panic on it with ignore_value).
//   - Nested txns share the op budget as in etcd main (a nested txn gets
//     MaxTxnOps minus its parent's ops); etcd 3.5 gave every level 128.
//   - Ties in a sort keep ascending key order (etcd's sort is unstable).
//   - Watch control responses (created, canceled) bypass the stream buffer;
//     fragment sizes are estimated, not exact protobuf sizes; a negative
//     start revision means "now".
//   - Leases are checked through the Lessor interface (core/lease
//     implements it); without one, every lease ID is accepted.
package mvcc
