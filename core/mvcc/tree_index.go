package mvcc

// The key index: every key's history (key_index.go), ordered by key in a
// B-tree (github.com/google/btree), as etcd's treeIndex. It answers "which
// revision holds key K at revision R" for single keys and ranges; the values
// themselves live in the backend under those revisions.
//
// Key ranges follow etcd: end == nil is the single key `key`; an empty
// non-nil end means every key >= key; otherwise [key, end).

import (
	"bytes"

	"github.com/google/btree"
)

type treeIndex struct {
	tree *btree.BTreeG[*keyIndex]
}

// btreeDegree as etcd's treeIndex.
const btreeDegree = 32

func newTreeIndex() *treeIndex {
	return &treeIndex{tree: btree.NewG(btreeDegree, func(a, b *keyIndex) bool {
		return bytes.Compare(a.key, b.key) < 0
	})}
}

func (ti *treeIndex) keyIndex(key []byte) *keyIndex {
	ki, _ := ti.tree.Get(&keyIndex{key: key})
	return ki
}

// put records a put of key at rev.
func (ti *treeIndex) put(key []byte, rev Revision) {
	ki := ti.keyIndex(key)
	if ki == nil {
		ki = newKeyIndex(key)
		ti.tree.ReplaceOrInsert(ki)
	}
	ki.put(rev)
}

// tombstone records a deletion of key at rev; false if the key is not live.
func (ti *treeIndex) tombstone(key []byte, rev Revision) bool {
	ki := ti.keyIndex(key)
	return ki != nil && ki.tombstone(rev)
}

// get returns the change of key visible at atRev (see keyIndex.get).
func (ti *treeIndex) get(key []byte, atRev int64) (mod, created Revision, ver int64, ok bool) {
	ki := ti.keyIndex(key)
	if ki == nil {
		return Revision{}, Revision{}, 0, false
	}
	return ki.get(atRev)
}

// visit calls f for each key index in the range, in key order, until f
// returns false.
func (ti *treeIndex) visit(key, end []byte, f func(ki *keyIndex) bool) {
	if end == nil {
		if ki := ti.keyIndex(key); ki != nil {
			f(ki)
		}
		return
	}
	ti.tree.AscendGreaterOrEqual(&keyIndex{key: key}, func(ki *keyIndex) bool {
		if len(end) > 0 && bytes.Compare(ki.key, end) >= 0 {
			return false
		}
		return f(ki)
	})
}

// revisions returns, in key order, the revision visible at atRev of each key
// in the range that exists at atRev — at most limit of them (limit <= 0: all)
// — and the count of all such keys (etcd: treeIndex.Revisions).
func (ti *treeIndex) revisions(key, end []byte, atRev int64, limit int) (revs []Revision, total int) {
	ti.visit(key, end, func(ki *keyIndex) bool {
		if mod, _, _, ok := ki.get(atRev); ok {
			if limit <= 0 || len(revs) < limit {
				revs = append(revs, mod)
			}
			total++
		}
		return true
	})
	return revs, total
}

// liveKeys returns the keys in the range that exist at atRev.
func (ti *treeIndex) liveKeys(key, end []byte, atRev int64) [][]byte {
	var keys [][]byte
	ti.visit(key, end, func(ki *keyIndex) bool {
		if _, _, _, ok := ki.get(atRev); ok {
			keys = append(keys, ki.key)
		}
		return true
	})
	return keys
}

// compact compacts every key's history at rev, removes keys left with
// nothing, and returns the changes at or below rev that must be kept.
func (ti *treeIndex) compact(rev int64) map[Revision]bool {
	available := map[Revision]bool{}
	var empty []*keyIndex
	ti.tree.Ascend(func(ki *keyIndex) bool {
		ki.compact(rev, available)
		if ki.isEmpty() {
			empty = append(empty, ki)
		}
		return true
	})
	for _, ki := range empty {
		ti.tree.Delete(ki)
	}
	return available
}
