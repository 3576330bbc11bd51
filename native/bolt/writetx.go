package bolt

// The write transaction: bbolt's single read-write transaction. bbolt keeps
// the changed nodes in memory and writes them at Commit to newly allocated
// pages (copy-on-write), then writes and fsyncs the meta page that points at
// them — the one write that makes the commit durable and atomic:
//
//	Commit:  spill dirty nodes ─► write pages ─► fdatasync ─► write meta ─► fdatasync
//	         a crash before the meta write leaves the old meta, the old tree
//
// Keys and values are copied on the way in: bbolt keeps the caller's slices
// until Commit, and the interface lets callers reuse their buffers.

import (
	"errors"
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

type writeTx struct {
	readTx
}

func (w *writeTx) CreateBucket(bucket string) error {
	if w.closed {
		return backend.ErrTxClosed
	}
	if _, err := w.tx.CreateBucketIfNotExists([]byte(bucket)); err != nil {
		return fmt.Errorf("bolt: creating bucket %q: %w", bucket, err)
	}
	return nil
}

func (w *writeTx) Put(bucket string, key, value []byte) error {
	b, err := w.writable(bucket, key)
	if err != nil {
		return err
	}
	return mapPutError(b.Put(clone(key), clone(value)))
}

// SeqPut packs pages at 90% instead of bbolt's 50%: the caller promises key
// sorts after every key of the bucket, so the pages on its left never grow
// again (etcd: batchTx.UnsafeSeqPut). The fill percent holds for the
// bucket until Commit.
func (w *writeTx) SeqPut(bucket string, key, value []byte) error {
	b, err := w.writable(bucket, key)
	if err != nil {
		return err
	}
	b.FillPercent = seqFillPercent
	return mapPutError(b.Put(clone(key), clone(value)))
}

// writable checks a put before bbolt sees it and returns the bucket.
func (w *writeTx) writable(bucket string, key []byte) (*bbolt.Bucket, error) {
	if w.closed {
		return nil, backend.ErrTxClosed
	}
	b := w.bucket(bucket)
	switch {
	case b == nil:
		return nil, backend.ErrBucketNotFound
	case len(key) == 0:
		return nil, backend.ErrKeyRequired
	case len(key) > core.BackendMaxKeyBytes:
		return nil, backend.ErrKeyTooLarge
	}
	return b, nil
}

// mapPutError turns bbolt's errors into the interface's.
func mapPutError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, bolterrors.ErrKeyRequired):
		return backend.ErrKeyRequired
	case errors.Is(err, bolterrors.ErrKeyTooLarge):
		return backend.ErrKeyTooLarge
	default:
		return fmt.Errorf("bolt: put: %w", err)
	}
}

func (w *writeTx) Delete(bucket string, key []byte) error {
	if w.closed {
		return backend.ErrTxClosed
	}
	b := w.bucket(bucket)
	if b == nil {
		return backend.ErrBucketNotFound
	}
	if len(key) == 0 {
		return nil // no such key can exist
	}
	if err := b.Delete(key); err != nil {
		return fmt.Errorf("bolt: delete: %w", err)
	}
	return nil
}

// Commit writes the transaction to disk and ends it. When it returns nil,
// the writes survive a crash; when it returns an error, bbolt has rolled
// them back and the file still holds the previous commit.
func (w *writeTx) Commit() error {
	if w.closed {
		return backend.ErrTxClosed
	}
	// The writer is released only after the commit, so that Defrag (which
	// waits for no writer) cannot copy the file without it.
	defer w.end()
	if err := w.tx.Commit(); err != nil {
		return fmt.Errorf("bolt: commit to %s failed, the writes are rolled back (is the disk full or failing?): %w", w.b.path, err)
	}
	w.b.size.Store(highWater(w.db))
	return nil
}

// Rollback discards the transaction's writes.
func (w *writeTx) Rollback() {
	if w.closed {
		return
	}
	defer w.end()
	_ = w.tx.Rollback() // only fails on a closed transaction
}

// end marks the transaction closed and lets the next writer begin.
func (w *writeTx) end() {
	w.closed = true
	w.b.mu.Lock()
	w.b.writer = nil
	w.b.mu.Unlock()
}
