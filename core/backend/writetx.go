package backend

// The write transaction: puts and deletes copy the path from the root to the
// leaf they change (copy-on-write) and mark the copies as owned by this
// transaction, so that further changes to the same nodes happen in place.
// Nothing is allocated until Commit (commit.go): like bbolt, the writer
// works on nodes in memory and only decides which pages they go to when it
// spills them.

import "github.com/etcdlab/etcdlab/core"

type writeTx struct {
	readTx
	id     uint64          // owner id of the nodes this transaction may change
	seq    map[string]bool // buckets written with SeqPut (packed at 90%)
	dirty  map[string]bool // buckets whose tree changed
	freed  []pgid          // pages of committed nodes replaced or dropped
	newDir bool            // a bucket was created
}

func (w *writeTx) CreateBucket(bucket string) error {
	if w.closed {
		return ErrTxClosed
	}
	if _, ok := w.roots[bucket]; ok {
		return nil
	}
	w.roots[bucket] = &node{leaf: true, owner: w.id}
	w.dirty[bucket] = true
	w.newDir = true
	return nil
}

func (w *writeTx) Put(bucket string, key, value []byte) error {
	return w.put(bucket, key, value)
}

func (w *writeTx) SeqPut(bucket string, key, value []byte) error {
	if err := w.put(bucket, key, value); err != nil {
		return err
	}
	w.seq[bucket] = true
	return nil
}

func (w *writeTx) put(bucket string, key, value []byte) error {
	switch {
	case w.closed:
		return ErrTxClosed
	case w.roots[bucket] == nil:
		return ErrBucketNotFound
	case len(key) == 0:
		return ErrKeyRequired
	case len(key) > core.BackendMaxKeyBytes:
		return ErrKeyTooLarge
	}
	// The backend keeps its own copies: callers may reuse their buffers.
	key = append([]byte(nil), key...)
	value = append(make([]byte, 0, len(value)), value...)
	leaf := w.ownPath(bucket, key)
	i, found := leaf.leafIndex(key)
	if found {
		leaf.values[i] = value
		return nil
	}
	leaf.keys = append(leaf.keys, nil)
	copy(leaf.keys[i+1:], leaf.keys[i:])
	leaf.keys[i] = key
	leaf.values = append(leaf.values, nil)
	copy(leaf.values[i+1:], leaf.values[i:])
	leaf.values[i] = value
	return nil
}

func (w *writeTx) Delete(bucket string, key []byte) error {
	switch {
	case w.closed:
		return ErrTxClosed
	case w.roots[bucket] == nil:
		return ErrBucketNotFound
	}
	if get(w.roots[bucket], key) == nil {
		return nil // nothing to copy for a missing key
	}
	leaf := w.ownPath(bucket, key)
	i, _ := leaf.leafIndex(key)
	leaf.keys = append(leaf.keys[:i], leaf.keys[i+1:]...)
	leaf.values = append(leaf.values[:i], leaf.values[i+1:]...)
	return nil
}

// ownPath makes every node from the bucket's root down to the leaf that
// holds (or would hold) key owned by this transaction, and returns the leaf.
func (w *writeTx) ownPath(bucket string, key []byte) *node {
	w.dirty[bucket] = true
	n := w.own(w.roots[bucket])
	w.roots[bucket] = n
	for !n.leaf {
		i := n.childIndex(key)
		c := w.own(n.children[i])
		n.children[i] = c
		n = c
	}
	return n
}

// own returns n itself if this transaction may change it, or a copy that it
// may change; the copied node's pages are freed at commit.
func (w *writeTx) own(n *node) *node {
	if n.owner == w.id {
		return n
	}
	w.drop(n)
	return n.clone(w.id)
}

// drop frees the pages of n, if it was ever written.
func (w *writeTx) drop(n *node) {
	if n.id == 0 {
		return
	}
	for i := 0; i < n.pages; i++ {
		w.freed = append(w.freed, n.id+pgid(i))
	}
}

// Rollback discards the transaction's writes.
func (w *writeTx) Rollback() {
	if w.closed {
		return
	}
	w.closed = true
	w.m.writer = nil
}
