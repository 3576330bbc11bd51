// Package bolt is the daemon's storage backend: core/backend.Backend on a
// real bbolt file, the B+tree file under etcd. The simulator keeps the same
// data in a backend.Memory, which models this file page by page; the two are
// interchangeable, and hold the same Hash for the same contents (the shared
// tests in interchangeable_test.go prove both).
//
// # Basics
//
// The interface was shaped after bbolt, so the mapping is short:
//
//	backend.Backend          bbolt
//	───────────────          ─────
//	BeginRead                DB.Begin(false): a read transaction on the last meta page
//	BeginWrite               DB.Begin(true): the one read-write transaction
//	  Put / Delete           Bucket.Put / Bucket.Delete (keys and values copied in)
//	  SeqPut                 Bucket.FillPercent = 0.9, then Put
//	  Commit                 Tx.Commit: write pages, fsync, write meta, fsync
//	Size                     Tx.Size: the high-water mark × page size
//	SizeInUse                Size − DB.Stats().FreePageN × page size
//	Defrag                   copy into a new file, rename over, reopen
//	Hash                     CRC-32C over Tx.ForEach and Bucket.ForEach
//	WriteTo / Restore        Tx.WriteTo / write, Tx.Check, rename
//
// Files are opened with etcd's settings (open.go): the hashmap freelist, a
// 10 GiB initial memory map, 4096-byte pages (core.BackendPageBytes), and an
// open timeout so that a second process gets ErrLocked instead of hanging.
//
// # Durability
//
// bbolt never overwrites a page a commit can still reach. A commit writes
// its changed nodes to free pages, fsyncs, then writes the meta page that
// points at them — alternating between two meta pages — and fsyncs again:
//
//	before:   meta0 (txid 6) ─► tree A        meta1 (txid 5)
//	commit 7: write tree B to free pages, fsync; write meta1 (txid 7) ─► tree B, fsync
//	crash before meta1 is on disk: meta0 still points at tree A, whole
//
// So when Commit returns, the commit survives a crash, and a crash at any
// moment leaves the last or the one before, never a mix. Open checks both
// meta pages itself first (header.go): bbolt opens a file shorter than its
// meta page says and then crashes on the first read past the end. crash_test.go kills a writing process
// with SIGKILL at seeded moments, mid-defrag too, and finds every
// acknowledged commit.
//
// # Defragmentation
//
// The file only grows: deleted pairs leave free pages that later commits
// reuse, but Size stays at the high-water mark. Defrag (defrag.go) copies
// the live pairs in key order into a new file packed at 90%, fsyncs it,
// renames it over the old one and opens it:
//
//	db         [m m f r L . . L . . . B . L . .]   Size 16 pages, 10 free
//	db.defrag  [m m f r L L L B]                   copy, 90% full, fsync
//	rename db.defrag → db, fsync the directory, reopen: Size 8 pages
//
// Readers still open on the old file keep reading it (its inode lives on
// until the Backend closes it with its last reader); new ones read the new.
//
// # Caveats and deviations from etcd
//
//   - etcd's batchTx commits on a timer (every 100 ms or 10,000 writes) and
//     lets readers see uncommitted writes through a read buffer. Here Commit
//     is the bbolt commit, as backend.Backend documents: visible and
//     durable when it returns. The daemon batches by applying a whole Ready's
//     committed entries in one write transaction; BenchmarkBoltBatch shows
//     what that saves over BenchmarkBoltPutCommit.
//   - etcd on linux opens bbolt with NoFreelistSync and MAP_POPULATE. This
//     backend syncs the freelist, as backend.Memory models it (a freelist
//     page in the page map), which also makes reopening a large file fast.
//   - Keys and values read are copies: the interface promises that they
//     outlive the transaction, while bbolt's point into its memory map.
//   - Hash with a nil ignore function hashes everything (etcd's hashes
//     nothing but bucket names then), as backend.Memory does.
//   - etcd's defrag makes readers wait; here old readers keep the old file.
//     Close refuses while transactions are open rather than wait for them.
//   - Restore accepts a stream with etcd's SHA-256 trailer (what etcd's
//     maintenance Snapshot RPC sends) and checks it; WriteTo writes the bare
//     file, to which the RPC layer appends the trailer.
//   - A read transaction held while the file outgrows its memory map
//     (DefaultInitialMmapBytes) makes the next commit wait for it, because
//     bbolt's re-map waits for every reader; a goroutine that holds a reader
//     and commits would wait for itself. Keep read transactions short.
//   - The crash test kills a process; the operating system's page cache
//     survives that. Power loss is covered only by bbolt's fsync order.
package bolt
