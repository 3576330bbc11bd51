package bolt

// Backend is core/backend.Backend on a real bbolt file: what the daemon's
// MVCC store writes through. A read transaction is a bbolt read transaction,
// the write transaction is bbolt's one read-write transaction, and Commit is
// bbolt's commit (data pages fsynced, then the meta page fsynced).
//
// Interface: Open and Close (open.go), the Backend methods — BeginRead,
// BeginWrite, Size, SizeInUse here; Defrag (defrag.go); Hash (hash.go);
// WriteTo and Restore (snapshot.go).
//
// Defrag swaps the file for a new one while read transactions may still be
// open on the old one, so the Backend counts readers per file generation:
//
//	b.db ──► generation 2 (the file at path)       readers[gen2] = 1
//	         generation 1 (renamed over, unlinked)  readers[gen1] = 2
//	                       closed when its last reader rolls back

import (
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/etcdlab/etcdlab/core/backend"
	bbolt "go.etcd.io/bbolt"
)

var _ backend.Backend = (*Backend)(nil)

// Backend implements backend.Backend on a bbolt file. Unlike
// backend.Memory it is safe for concurrent use: read transactions may run
// on any goroutines while one write transaction runs on another.
type Backend struct {
	path string         // the file
	opts *bbolt.Options // how it is (re)opened

	mu      sync.Mutex        // guards the fields below
	db      *bbolt.DB         // the current generation of the file
	readers map[*bbolt.DB]int // open read transactions per generation; an old generation is closed when it reaches 0
	writer  *writeTx          // the open write transaction, or nil
	closed  bool

	// size is Size as of the last commit, kept here because the core asks
	// for it on every request and every applied entry (the quota check):
	// a bbolt read transaction each time cost ~1.5 % of a busy leader's CPU.
	size atomic.Int64
}

// BeginRead starts a read transaction on the last commit. It panics if the
// Backend is closed (a programming error: Close refuses while transactions
// are open, so nobody should still be reading).
func (b *Backend) BeginRead() backend.ReadTx {
	db := b.acquire("bolt.Backend.BeginRead")
	tx, err := db.Begin(false)
	if err != nil {
		panic(fmt.Sprintf("bolt.Backend.BeginRead: %v", err))
	}
	return &readTx{b: b, db: db, tx: tx}
}

// BeginWrite starts the write transaction. A second one while the first is
// open panics, as the interface says: bbolt would block on its writer lock
// instead, forever if the first belongs to the same goroutine.
func (b *Backend) BeginWrite() backend.WriteTx {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		panic("bolt.Backend.BeginWrite: " + ErrClosed.Error())
	}
	if b.writer != nil {
		panic("bolt.Backend.BeginWrite: a write transaction is already open")
	}
	tx, err := b.db.Begin(true)
	if err != nil {
		panic(fmt.Sprintf("bolt.Backend.BeginWrite: %v", err))
	}
	b.writer = &writeTx{readTx: readTx{b: b, db: b.db, tx: tx}}
	return b.writer
}

// Size is the file's high-water mark in bytes: the pages bbolt has ever
// allocated, as of the last commit (etcd: backend.Size = Tx.Size). The file
// on disk may be longer: bbolt grows it ahead in chunks.
func (b *Backend) Size() int64 { return b.size.Load() }

// highWater reads db's Size from its last commit: at open, after each
// commit and after Defrag (the only times it changes).
func highWater(db *bbolt.DB) int64 {
	var size int64
	_ = db.View(func(tx *bbolt.Tx) error { size = tx.Size(); return nil })
	return size
}

// SizeInUse is Size minus the pages on bbolt's freelist (etcd:
// backend.SizeInUse = size - FreePageN*pageSize). Pages freed by the last
// commit are still pending, and count as in use, until the next write
// transaction begins.
func (b *Backend) SizeInUse() int64 {
	var inUse int64
	b.view(func(tx *bbolt.Tx) {
		free := int64(tx.DB().Stats().FreePageN) * int64(tx.DB().Info().PageSize)
		inUse = tx.Size() - free
	})
	return inUse
}

// view runs fn in a read transaction on the last commit, counted like any
// reader so that Defrag does not close the file under it.
func (b *Backend) view(fn func(tx *bbolt.Tx)) {
	db := b.acquire("bolt.Backend.view")
	defer b.release(db)
	tx, err := db.Begin(false)
	if err != nil {
		panic(fmt.Sprintf("bolt.Backend.view: %v", err))
	}
	defer func() { _ = tx.Rollback() }()
	fn(tx)
}

// acquire registers a reader of the current generation and returns it.
func (b *Backend) acquire(caller string) *bbolt.DB {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		panic(caller + ": " + ErrClosed.Error())
	}
	b.readers[b.db]++
	return b.db
}

// release ends a reader of generation db, and closes db if it is an old
// generation that nobody reads any more.
func (b *Backend) release(db *bbolt.DB) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.readers[db]--
	if b.readers[db] > 0 {
		return
	}
	delete(b.readers, db)
	if db != b.db {
		// Nothing useful can be done about an error closing a file that
		// was already replaced; its data lives on in the new one.
		_ = db.Close()
	}
}
