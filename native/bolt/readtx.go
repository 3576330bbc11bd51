package bolt

// Read transactions: a bbolt read transaction sees the meta page of the last
// commit and, through it, a tree of pages that no later commit overwrites
// (bbolt is copy-on-write; pages freed after it began stay pending until it
// ends). The interface promises more than bbolt does in one respect: slices
// stay valid after the transaction. bbolt's point into its memory map, which
// a re-map or Defrag unmaps, so every key and value is copied out.

import (
	"bytes"
	"fmt"

	"github.com/etcdlab/etcdlab/core/backend"
	bbolt "go.etcd.io/bbolt"
)

type readTx struct {
	b      *Backend
	db     *bbolt.DB // the generation tx reads
	tx     *bbolt.Tx
	closed bool
}

// bucket returns the named bucket, or nil if it does not exist or the
// transaction is closed.
func (t *readTx) bucket(name string) *bbolt.Bucket {
	if t.closed {
		return nil
	}
	return t.tx.Bucket([]byte(name))
}

func (t *readTx) Get(bucket string, key []byte) []byte {
	b := t.bucket(bucket)
	if b == nil {
		return nil
	}
	// A cursor rather than Bucket.Get: Get answers nil both for a missing
	// key and for a key put with a nil value inside this write transaction.
	k, v := b.Cursor().Seek(key)
	if k == nil || !bytes.Equal(k, key) {
		return nil
	}
	return clone(v)
}

func (t *readTx) Seek(bucket string, key []byte) ([]byte, []byte) {
	b := t.bucket(bucket)
	if b == nil {
		return nil, nil
	}
	k, v := b.Cursor().Seek(key)
	if k == nil {
		return nil, nil
	}
	return clone(k), clone(v)
}

// Range follows etcd's batchTx.UnsafeRange: a nil end asks for the single
// key start, an empty end for everything from start on.
func (t *readTx) Range(bucket string, start, end []byte, limit int) (keys, values [][]byte) {
	b := t.bucket(bucket)
	if b == nil {
		return nil, nil
	}
	if end == nil {
		if v := t.Get(bucket, start); v != nil {
			return [][]byte{clone(start)}, [][]byte{v}
		}
		return nil, nil
	}
	c := b.Cursor()
	for k, v := c.Seek(start); k != nil; k, v = c.Next() {
		if len(end) > 0 && bytes.Compare(k, end) >= 0 {
			break
		}
		keys, values = append(keys, clone(k)), append(values, clone(v))
		if limit > 0 && len(keys) == limit {
			break
		}
	}
	return keys, values
}

func (t *readTx) ForEach(bucket string, fn func(k, v []byte) error) error {
	if t.closed {
		return backend.ErrTxClosed
	}
	b := t.bucket(bucket)
	if b == nil {
		return backend.ErrBucketNotFound
	}
	return b.ForEach(func(k, v []byte) error { return fn(clone(k), clone(v)) })
}

func (t *readTx) Buckets() []string {
	if t.closed {
		return nil
	}
	var names []string
	// bbolt keeps buckets as keys of its root bucket, so they come in
	// byte order, the order sort.Strings gives.
	err := t.tx.ForEach(func(name []byte, _ *bbolt.Bucket) error {
		names = append(names, string(name))
		return nil
	})
	if err != nil {
		panic(fmt.Sprintf("bolt.readTx.Buckets: %v", err))
	}
	return names
}

// Rollback ends the transaction. If Defrag replaced the file meanwhile and
// this was the old file's last reader, the old file is closed now.
func (t *readTx) Rollback() {
	if t.closed {
		return
	}
	t.closed = true
	_ = t.tx.Rollback() // a read transaction's rollback cannot fail
	t.b.release(t.db)
}

// clone copies b out of bbolt's memory map; the copy of an empty value is
// empty but not nil, so that "present and empty" differs from "absent".
func clone(b []byte) []byte {
	return append(make([]byte, 0, len(b)), b...)
}
