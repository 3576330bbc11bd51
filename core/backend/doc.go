// Package backend is where the revisioned key space (core/mvcc) keeps its
// bytes: a file of named buckets of sorted keys, shaped after bbolt, the
// B+tree file under etcd.
//
// # Basics
//
// Backend (backend.go) is the interface: read transactions that see one
// committed state, a single batched write transaction, a snapshot stream,
// Size and SizeInUse, Defrag and Hash. The daemon (native/) implements it on
// bbolt. Memory implements it for the simulator and the browser, and models
// the file the way bbolt lays it out, so that the animation of a write, a
// compaction or a defragmentation shows what happens on a real disk:
//
//	page:  0      1      2        3       4     5     6       7      8
//	     [meta] [meta] [free-] [bucket] [leaf] [leaf] [branch] [free] [pend]
//	                    list     dir     "key" "key"   "key"
//	     |<------------------- Size = 9 pages × 4096 ------------------>|
//	     SizeInUse = Size − free pages (page 7)
//
// How the model works:
//
//   - The file is an array of 4096-byte pages. Each bucket is a B+tree
//     (node.go): leaves hold sorted key/value pairs, branches point to
//     children; a node bigger than a page occupies a run of pages.
//   - Committed pages are never overwritten. A write copies the nodes it
//     changes and, at commit, writes them to newly allocated pages and frees
//     the old ones (commit.go): copy-on-write, which is what makes a read
//     transaction a consistent snapshot at no cost.
//   - Freed pages are pending while an open read transaction may still read
//     them, then free, then reused (freelist.go). The file only grows: Size
//     is the high-water mark, deletes lower SizeInUse only, and Defrag
//     (defrag.go) rewrites the live data into a fresh, compact file.
//   - Pages returns the page map (id, kind, bucket, fill bytes) for drawing.
//
// # Caveats and deviations from bbolt
//
//   - It is a model, not a byte-exact bbolt file: nodes are Go values; the
//     sizes (16-byte page header, 16-byte elements, fill percent 0.5 or 0.9
//     for sequential writes, merge below a quarter page) follow bbolt, so the
//     numbers move as bbolt's do, but they are not bit-identical.
//   - bbolt keeps buckets as a tree of nested buckets with small buckets
//     inlined; here the bucket directory is one page rewritten on each commit.
//   - The snapshot stream (snapshot.go) is a CBOR image of the page map and
//     the nodes, not the file's bytes; Restore rebuilds the same file from it.
//   - Hash with a nil ignore function hashes everything (etcd's hashes
//     nothing but bucket names then).
//   - Pending pages are released when the next write transaction begins, for
//     commits older than the oldest open reader (bbolt: DB.freePages).
package backend
