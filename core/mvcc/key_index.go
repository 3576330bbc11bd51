package mvcc

// The history of one key (etcd: keyIndex). A key lives in generations: a
// generation starts with the put that creates the key and ends with the
// delete (tombstone) that removes it; the next put starts a new generation.
// Each generation lists the revisions of its changes in order, remembers the
// revision that created it and how many puts it has seen (its version), so
// versions stay right after compaction has dropped the early revisions.
//
//	put@2 put@3 del@4 put@6 put@7 on "foo":
//	  generations: {created 2, ver 3, revs [2 3 4(t)]}  {created 6, ver 2, revs [6 7]}
//
// Interface: put, tombstone, restore, get (the change visible at a
// revision) and compact (doc.go draws it).

import "fmt"

// generation is one life of a key, from creation to deletion.
type generation struct {
	ver     int64      // changes in this generation (the tombstone included)
	created Revision   // the put that created it
	revs    []Revision // every change, in order; the last is the tombstone once ended
}

func (g *generation) isEmpty() bool { return len(g.revs) == 0 }

// keyIndex is the history of key. Invariant: generations is never empty;
// every generation but the last is ended by a tombstone; the last is open
// (possibly empty, right after a deletion).
type keyIndex struct {
	key         []byte
	modified    Revision // the latest change
	generations []generation
}

func newKeyIndex(key []byte) *keyIndex {
	return &keyIndex{key: key, generations: []generation{{}}}
}

// isEmpty: nothing left of the history (only an empty open generation).
func (ki *keyIndex) isEmpty() bool {
	return len(ki.generations) == 1 && ki.generations[0].isEmpty()
}

// put records a put of the key at rev.
func (ki *keyIndex) put(rev Revision) {
	if !rev.GreaterThan(ki.modified) {
		panic(fmt.Sprintf("mvcc.keyIndex.put: revision %v of %q is not after %v", rev, ki.key, ki.modified))
	}
	g := &ki.generations[len(ki.generations)-1]
	if g.isEmpty() {
		g.created = rev
	}
	g.revs = append(g.revs, rev)
	g.ver++
	ki.modified = rev
}

// restore seeds the history of a key from the first change found in the
// backend after a restart: the key was created at created and has had ver
// puts (etcd: keyIndex.restore).
func (ki *keyIndex) restore(created, modified Revision, ver int64) {
	ki.generations = []generation{{created: created, ver: ver, revs: []Revision{modified}}}
	ki.modified = modified
}

// tombstone records a deletion of the key at rev, ending its generation.
// It returns false if the key is not live.
func (ki *keyIndex) tombstone(rev Revision) bool {
	if ki.generations[len(ki.generations)-1].isEmpty() {
		return false
	}
	ki.put(rev) // counts in ver too, so get's arithmetic holds up to the tombstone
	ki.generations = append(ki.generations, generation{})
	return true
}

// get returns the change of the key visible at atRev, the generation's
// creation and the key's version at that change; ok is false if the key did
// not exist at atRev (never created yet, deleted, or compacted away).
func (ki *keyIndex) get(atRev int64) (mod, created Revision, ver int64, ok bool) {
	g := ki.findGeneration(atRev)
	if g == nil {
		return Revision{}, Revision{}, 0, false
	}
	for i := len(g.revs) - 1; i >= 0; i-- {
		if g.revs[i].Main <= atRev {
			// Later changes in the generation each added one version.
			return g.revs[i], g.created, g.ver - int64(len(g.revs)-1-i), true
		}
	}
	return Revision{}, Revision{}, 0, false
}

// findGeneration returns the generation that is live at rev, or nil.
func (ki *keyIndex) findGeneration(rev int64) *generation {
	last := len(ki.generations) - 1
	for i := last; i >= 0; i-- {
		g := &ki.generations[i]
		if g.isEmpty() {
			continue
		}
		if i != last && g.revs[len(g.revs)-1].Main <= rev {
			return nil // the key was deleted at or before rev
		}
		if g.revs[0].Main <= rev {
			return g
		}
	}
	return nil
}

// compact drops every change at or below atRev except the latest one of each
// generation, which still describes the key at atRev; a generation reduced
// to its tombstone is dropped entirely, since a deleted key has nothing left
// to show. The surviving changes at or below atRev are added to available.
// The caller removes the key if it became empty.
func (ki *keyIndex) compact(atRev int64, available map[Revision]bool) {
	gi, ri := ki.compactPoint(atRev)
	g := &ki.generations[gi]
	if ri >= 0 {
		available[g.revs[ri]] = true
		g.revs = g.revs[ri:]
		if len(g.revs) == 1 && gi != len(ki.generations)-1 {
			// Only the tombstone is left: the whole generation goes.
			delete(available, g.revs[0])
			gi++
		}
	}
	ki.generations = ki.generations[gi:]
}

// compactPoint finds the first generation that is not ended at or before
// atRev (older ones are wholly history) and, in it, the index of the latest
// change at or below atRev (-1 if there is none).
func (ki *keyIndex) compactPoint(atRev int64) (gi, ri int) {
	for gi < len(ki.generations)-1 {
		g := &ki.generations[gi]
		if g.revs[len(g.revs)-1].Main > atRev {
			break
		}
		gi++
	}
	g := &ki.generations[gi]
	ri = -1
	for i := len(g.revs) - 1; i >= 0; i-- {
		if g.revs[i].Main <= atRev {
			ri = i
			break
		}
	}
	return gi, ri
}
