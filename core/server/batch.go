package server

// One entry, one backend commit. Applying an entry may touch several parts
// of the backend — mvcc's key space, the lease, alarm and membership
// buckets — and the consistent index must land in the same commit as all
// of them: after a crash the backend either holds the whole entry and its
// index, or neither, and the entry is applied again or skipped as a whole
// (etcd gets the same from its batch transaction, which every writer
// shares and which saves the consistent index on each commit).
//
//	applyEntry(e):  batch.begin()             one real write transaction
//	                store.Put(...)            mvcc's BeginWrite -> the shared tx; its Commit is a no-op
//	                lease/alarm/member writes the shared tx
//	                store.SetConsistentIndex(e.Index); store.Commit()
//	                batch.commit()            the one real commit
//
// With Config.BatchApply the transaction stays open across Readies and
// commits every core.BackendBatchIntervalMillis or core.BackendBatchLimit
// entries (etcd: backend-batch-interval 100 ms, backend-batch-limit
// 10,000): the crash argument is the same, since the consistent index
// written last is the index of the last entry in the commit, and a crash
// loses the whole batch or nothing — the lost entries are in the WAL (they
// were committed, so persisted before Advance) and are applied again at
// restart.
// While the transaction is open, readers (mvcc's Range and its txn
// compares, the watch hub) read through it, so entry 2 of a batch sees
// entry 1's writes as it would after a commit of its own.
//
// Outside an entry the wrapper passes everything straight through.

import "github.com/etcdlab/etcdlab/core/backend"

// batchBackend wraps the member's backend; mvcc.Store writes through it.
type batchBackend struct {
	backend.Backend
	tx backend.WriteTx // the entry's transaction while applying, else nil
}

// BeginWrite hands out the entry's transaction while one is open.
func (b *batchBackend) BeginWrite() backend.WriteTx {
	if b.tx == nil {
		return b.Backend.BeginWrite()
	}
	return &sharedTx{WriteTx: b.tx}
}

// BeginRead reads through the open transaction, if there is one, so that
// the entries of a batch read each other's writes (a bbolt read
// transaction sees only the last commit).
func (b *batchBackend) BeginRead() backend.ReadTx {
	if b.tx == nil {
		return b.Backend.BeginRead()
	}
	return openTxView{WriteTx: b.tx}
}

// openTxView is the open transaction lent to a reader: its Rollback ends
// the reading, not the transaction.
type openTxView struct{ backend.WriteTx }

func (openTxView) Rollback() {}

// begin opens the entry's transaction.
func (b *batchBackend) begin() backend.WriteTx {
	if b.tx != nil {
		panic("batchBackend.begin: an entry's transaction is already open")
	}
	b.tx = b.Backend.BeginWrite()
	return b.tx
}

// abandon drops the open transaction as a crash would (tests).
func (b *batchBackend) abandon() {
	if b.tx != nil {
		b.tx.Rollback()
		b.tx = nil
	}
}

// commit commits the entry's transaction.
func (b *batchBackend) commit() {
	if b.tx == nil {
		panic("batchBackend.commit: no entry transaction is open")
	}
	tx := b.tx
	b.tx = nil
	if err := tx.Commit(); err != nil {
		panic("batchBackend.commit: backend commit failed: " + err.Error())
	}
}

// sharedTx is the entry's transaction as one writer sees it: Commit leaves
// it open for the others. mvcc rolls back only transactions in which it
// wrote nothing (a read-only txn, a failed check); a rollback after a write
// would undo other writers' work, so it is an impossible state.
type sharedTx struct {
	backend.WriteTx
	wrote bool
}

func (t *sharedTx) Put(bucket string, key, value []byte) error {
	t.wrote = true
	return t.WriteTx.Put(bucket, key, value)
}

func (t *sharedTx) SeqPut(bucket string, key, value []byte) error {
	t.wrote = true
	return t.WriteTx.SeqPut(bucket, key, value)
}

func (t *sharedTx) Delete(bucket string, key []byte) error {
	t.wrote = true
	return t.WriteTx.Delete(bucket, key)
}

func (t *sharedTx) CreateBucket(bucket string) error {
	t.wrote = true
	return t.WriteTx.CreateBucket(bucket)
}

// Commit leaves the shared transaction open: batch.commit commits it.
func (t *sharedTx) Commit() error { return nil }

// Rollback of a writer that wrote nothing is a no-op.
func (t *sharedTx) Rollback() {
	if t.wrote {
		panic("sharedTx.Rollback: a writer rolled back after writing into the entry's transaction")
	}
}
