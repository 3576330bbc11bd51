package backend

// The storage interface that core/mvcc writes through. It is shaped after
// bbolt (Tx, Bucket, Cursor, Tx.WriteTo, Tx.Size, DB.Stats) so that native/
// can implement it on a real bbolt file, while Memory (memory.go) implements
// it for the simulator and the browser.
//
//	Backend
//	  BeginRead() ReadTx     a consistent view of the last commit
//	  BeginWrite() WriteTx   the one batched writer; Commit publishes it
//	  Size() SizeInUse()     bytes of the file / bytes not on the freelist
//	  Defrag()               rewrite live data compactly; Size shrinks
//	  Hash(ignore)           CRC-32C over buckets and keys in order
//	  WriteTo(w)             a consistent snapshot as a byte stream
//
// Restore (snapshot.go) builds a Memory back from such a stream.

import (
	"errors"
	"io"
)

// Backend is a file of named buckets of sorted byte keys.
type Backend interface {
	// BeginRead starts a read transaction that sees the state of the last
	// commit, unaffected by later writes, until Rollback.
	BeginRead() ReadTx
	// BeginWrite starts the write transaction. There is at most one at a
	// time (as in bbolt); starting a second one before the first ends is a
	// programming error and panics.
	BeginWrite() WriteTx

	// Size is the size of the file in bytes: the high-water mark of pages
	// ever allocated times the page size. It never shrinks except by Defrag
	// (etcd: backend.Size, bbolt Tx.Size).
	Size() int64
	// SizeInUse is Size minus the pages on the freelist (etcd:
	// backend.SizeInUse = size - FreePageN*pageSize).
	SizeInUse() int64
	// Defrag rewrites all live data compactly into a fresh file, so that
	// Size drops to about SizeInUse (etcd: backend.Defrag).
	Defrag() error
	// Hash is a CRC-32 (Castagnoli) over every bucket name followed by its
	// keys and values in order, skipping the pairs ignore reports true for
	// (ignore may be nil). etcd: backend.Hash, the maintenance Hash RPC.
	Hash(ignore func(bucket string, key []byte) bool) uint32
	// WriteTo writes a consistent snapshot of the last commit to w (bbolt:
	// Tx.WriteTo). Restore reads it back.
	WriteTo(w io.Writer) (int64, error)
}

// ReadTx reads one consistent state. Slices it returns belong to the
// backend: they stay valid after the transaction but must not be modified.
type ReadTx interface {
	// Get returns the value of key in bucket, or nil if there is none.
	Get(bucket string, key []byte) []byte
	// Seek returns the first pair whose key is >= key, or nil, nil.
	Seek(bucket string, key []byte) (k, v []byte)
	// Range returns the pairs with start <= key < end in key order, at most
	// limit of them (limit <= 0: no limit). A nil end means the single key
	// start; an empty non-nil end means "to the end of the bucket" (etcd:
	// batchTx.UnsafeRange).
	Range(bucket string, start, end []byte, limit int) (keys, values [][]byte)
	// ForEach calls fn for every pair of bucket in key order and stops at
	// the first error, which it returns.
	ForEach(bucket string, fn func(k, v []byte) error) error
	// Buckets lists the bucket names in order.
	Buckets() []string
	// Rollback ends the transaction; for a WriteTx it discards its writes.
	Rollback()
}

// WriteTx is a batch of writes that becomes visible to new readers, all at
// once, at Commit. It reads its own writes.
type WriteTx interface {
	ReadTx
	// CreateBucket creates bucket if it does not exist yet.
	CreateBucket(bucket string) error
	// Put sets key to value in bucket.
	Put(bucket string, key, value []byte) error
	// SeqPut is Put for a key known to sort after every key of bucket; the
	// backend may pack pages fuller (etcd: UnsafeSeqPut sets bbolt's
	// FillPercent to 0.9 since the pages on the left never grow again).
	SeqPut(bucket string, key, value []byte) error
	// Delete removes key from bucket; deleting a missing key is no error.
	Delete(bucket string, key []byte) error
	// Commit makes the writes durable and visible and ends the transaction.
	Commit() error
}

// Operating errors.
var (
	ErrBucketNotFound = errors.New("backend: bucket not found")
	ErrKeyRequired    = errors.New("backend: key required")
	ErrKeyTooLarge    = errors.New("backend: key too large")
	ErrTxClosed       = errors.New("backend: transaction is closed")
	ErrBadSnapshot    = errors.New("backend: snapshot is corrupt or of another format")
)
