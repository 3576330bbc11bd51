package backend

// Read transactions: a read transaction holds the bucket roots of the commit
// it started on. Because committed nodes are never changed in place, those
// roots keep describing exactly that commit however many writes follow —
// snapshot isolation for free, as in bbolt. While it is open, the pages that
// later commits free are kept pending (freelist.go), so a long reader makes
// the file grow.

import "bytes"

type readTx struct {
	m       *Memory
	txid    uint64           // the commit this transaction reads
	roots   map[string]*node // bucket roots as of that commit (the writer's own copy for a WriteTx)
	counted bool             // registered in m.readers
	closed  bool
}

func (t *readTx) Get(bucket string, key []byte) []byte {
	root := t.roots[bucket]
	if t.closed || root == nil {
		return nil
	}
	return get(root, key)
}

func (t *readTx) Seek(bucket string, key []byte) ([]byte, []byte) {
	root := t.roots[bucket]
	if t.closed || root == nil {
		return nil, nil
	}
	return newCursor(root).seek(key)
}

func (t *readTx) Range(bucket string, start, end []byte, limit int) (keys, values [][]byte) {
	root := t.roots[bucket]
	if t.closed || root == nil {
		return nil, nil
	}
	if end == nil {
		if v := get(root, start); v != nil {
			return [][]byte{start}, [][]byte{v}
		}
		return nil, nil
	}
	c := newCursor(root)
	for k, v := c.seek(start); k != nil; k, v = c.next() {
		if len(end) > 0 && bytes.Compare(k, end) >= 0 {
			break
		}
		keys, values = append(keys, k), append(values, v)
		if limit > 0 && len(keys) == limit {
			break
		}
	}
	return keys, values
}

func (t *readTx) ForEach(bucket string, fn func(k, v []byte) error) error {
	root := t.roots[bucket]
	if t.closed {
		return ErrTxClosed
	}
	if root == nil {
		return ErrBucketNotFound
	}
	c := newCursor(root)
	for k, v := c.seek(nil); k != nil; k, v = c.next() {
		if err := fn(k, v); err != nil {
			return err
		}
	}
	return nil
}

func (t *readTx) Buckets() []string {
	if t.closed {
		return nil
	}
	return bucketNames(t.roots)
}

// Rollback ends a read transaction; pages it kept pending are released at
// the next write.
func (t *readTx) Rollback() {
	if t.closed {
		return
	}
	t.closed = true
	if t.counted {
		t.m.readers[t.txid]--
		if t.m.readers[t.txid] <= 0 {
			delete(t.m.readers, t.txid)
		}
	}
}
