package mvcc

// The history a key still has: every change the key index holds for it,
// oldest first — the puts of each generation and the tombstone that ended
// it (key_index.go). Compaction drops changes at or below the compact
// revision except the one that still describes the key there, so what is
// listed is exactly what a read at some revision can still find. Nothing
// here is in etcd's API (a client sees one revision at a time); it is for
// the visualizer, which draws each key's changes on the revision axis.
//
//	put@2 put@3 del@4 put@6, compacted at 3:  [3 4(t) 6]

// Change is one change of a key still held in the index.
type Change struct {
	Revision Revision
	// Tombstone: the change deleted the key, ending a generation.
	Tombstone bool
}

// KeyHistory is the history of one key.
type KeyHistory struct {
	Key     []byte
	Changes []Change
}

// History returns the changes of key still held, oldest first (nil for a
// key the index does not know).
func (s *Store) History(key []byte) []Change {
	ki := s.index.keyIndex(key)
	if ki == nil {
		return nil
	}
	return ki.changes()
}

// Histories returns the history of every key in [key, end) the index
// still knows — deleted keys whose tombstone is not compacted away
// included — in key order. end as in RangeRequest: nil is key alone,
// []byte{0} every key from key on.
func (s *Store) Histories(key, end []byte) []KeyHistory {
	var out []KeyHistory
	s.index.visit(key, normEnd(end), func(ki *keyIndex) bool {
		if ch := ki.changes(); len(ch) > 0 {
			out = append(out, KeyHistory{Key: append([]byte(nil), ki.key...), Changes: ch})
		}
		return true
	})
	return out
}

// changes lists ki's changes, oldest first; the last change of every
// generation but the open one is a tombstone (keyIndex's invariant).
func (ki *keyIndex) changes() []Change {
	var out []Change
	last := len(ki.generations) - 1
	for gi, g := range ki.generations {
		for ri, rev := range g.revs {
			out = append(out, Change{Revision: rev, Tombstone: gi != last && ri == len(g.revs)-1})
		}
	}
	return out
}
