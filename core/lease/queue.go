package lease

// The primary's two agendas are ordered by (time, lease ID): which lease
// expires next, and which lease is due for a checkpoint next. Ties break on
// the ID, so two members with the same leases walk them in the same order
// (etcd keeps a heap, whose order among equal times is unspecified; ours must
// not be, DESIGN.md's determinism contract).
//
//	expiries:    (3s, 0x2a) (3s, 0x7f) (5s, 0x11) ...     one entry per lease
//	checkpoints: (300s, 0x11) (300s, 0x2a) (600s, 0x11) ... a lease may wait at
//	                                                        several times, as in
//	                                                        etcd's heap

import (
	"time"

	"github.com/google/btree"
)

// timedLease is one agenda entry: lease id is due at at.
type timedLease struct {
	at time.Duration
	id LeaseID
}

func timedLeaseLess(a, b timedLease) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	return a.id < b.id
}

// agenda is a set of timed entries in (at, id) order. If unique, a lease has
// at most one entry, and set moves it (etcd: LeaseExpiredNotifier's
// RegisterOrUpdate); otherwise entries accumulate (etcd: LeaseQueue).
type agenda struct {
	unique  bool
	entries *btree.BTreeG[timedLease]
	at      map[LeaseID]time.Duration // unique only: each lease's entry; only looked up, never ranged
}

func newAgenda(unique bool) *agenda {
	a := &agenda{unique: unique, entries: btree.NewG(btreeDegree, timedLeaseLess)}
	if unique {
		a.at = make(map[LeaseID]time.Duration)
	}
	return a
}

// set schedules id at at (replacing its entry, if unique).
func (a *agenda) set(id LeaseID, at time.Duration) {
	if a.unique {
		a.remove(id)
		a.at[id] = at
	}
	a.entries.ReplaceOrInsert(timedLease{at: at, id: id})
}

// remove drops id's entry; only unique agendas can find it.
func (a *agenda) remove(id LeaseID) {
	if !a.unique {
		panic("lease.agenda.remove: only a unique agenda can remove by ID")
	}
	if at, ok := a.at[id]; ok {
		a.entries.Delete(timedLease{at: at, id: id})
		delete(a.at, id)
	}
}

// first returns the earliest entry.
func (a *agenda) first() (timedLease, bool) { return a.entries.Min() }

// popFirst removes and returns the earliest entry.
func (a *agenda) popFirst() (timedLease, bool) {
	e, ok := a.entries.DeleteMin()
	if ok && a.unique {
		delete(a.at, e.id)
	}
	return e, ok
}

func (a *agenda) len() int { return a.entries.Len() }

// clear drops every entry (Demote: a follower keeps no agenda).
func (a *agenda) clear() {
	a.entries.Clear(false)
	if a.unique {
		a.at = make(map[LeaseID]time.Duration)
	}
}
