package sim

// Invariant checks: the safety properties of Raft (Figure 3 of the paper),
// checked after every event when Options.CheckInvariants is on. Each check
// reads what the nodes hand the simulator in their Ready batches — the
// entries they persist, the commit index, their role, the entries they apply
// — so it costs a few hash lookups per entry, not a scan of every log.
//
//	election safety       at most one leader per term, over the whole run
//	log matching          two logs holding an entry with the same index and
//	                      term hold the same entries up to it (§5.3)
//	leader completeness   a committed entry is never replaced, and every new
//	                      leader's log holds every entry committed before
//	                      (§5.4)
//	state machine safety  every node applies the same entry at an index
//	commit monotonicity   a node's commit index (and term) never go back,
//	                      not even across a crash
//	applied <= committed  no node applies an entry it does not know is
//	                      committed
//
// Log matching is checked with chained hashes: the hash of the entry at i
// covers its index, term and data and the hash at i-1, so two nodes agree on
// the whole prefix up to i exactly when their hashes at i are equal. The
// checker remembers the chained hash of every (index, term) it has seen; a
// node that persists a different one breaks the property.

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
)

// InvariantError names a violated safety property, where and when.
type InvariantError struct {
	Invariant string
	Nodes     []raft.NodeID
	Index     uint64
	Term      uint64
	Time      time.Duration
	Seed      uint64
	Detail    string
}

func (e *InvariantError) Error() string {
	return fmt.Sprintf("invariant %q violated at %s (seed %d): %s: index %d term %d: %s",
		e.Invariant, FormatTime(e.Time), e.Seed, names(e.Nodes), e.Index, e.Term, e.Detail)
}

// entryID is an entry's place in the log.
type entryID struct{ index, term uint64 }

// chain is one node's persisted log as chained hashes: entry base+1+i has
// hash hashes[i] and term terms[i]; base is the snapshot's index.
type chain struct {
	base             uint64
	baseHash         uint64
	baseTerm         uint64
	valid            bool // false while the hash at base is unknown
	hashes, terms    []uint64
	commit, lastTerm uint64 // persisted commit index and term
}

// at returns the chained hash of entry i, if the node's log holds it.
func (ch *chain) at(i uint64) (uint64, bool) {
	switch {
	case !ch.valid || i < ch.base:
		return 0, false
	case i == ch.base:
		return ch.baseHash, true
	case i-ch.base <= uint64(len(ch.hashes)):
		return ch.hashes[i-ch.base-1], true
	}
	return 0, false
}

func (ch *chain) last() uint64 { return ch.base + uint64(len(ch.hashes)) }

// checker holds what the checks remember across the run.
type checker struct {
	c        *Cluster
	leaders  map[uint64]raft.NodeID // term -> its leader
	seen     map[entryID]uint64     // chained hash of every entry persisted
	logs     [core.MaxClusterSize + 1]chain
	commits  map[uint64]uint64 // committed index -> chained hash
	maxKnown uint64            // highest committed index with a known hash
	applied  map[uint64]uint64 // index -> hash of the entry applied there
	// revisions: etcd mode, index -> the key space's revision after it
	// (etcd_ready.go, revision agreement).
	revisions map[uint64]int64
}

func newChecker(c *Cluster) *checker {
	ch := &checker{c: c, leaders: map[uint64]raft.NodeID{}, seen: map[entryID]uint64{},
		commits: map[uint64]uint64{}, applied: map[uint64]uint64{}}
	for i := range ch.logs {
		ch.logs[i].valid = true
	}
	return ch
}

// fail reports a violation.
func (k *checker) fail(inv string, index, term uint64, detail string, nodes ...raft.NodeID) {
	k.c.violate(&InvariantError{Invariant: inv, Nodes: nodes, Index: index, Term: term, Detail: detail})
}

// persisted checks one Ready of p after it reached p's disk.
func (k *checker) persisted(p *process, rd *raft.Ready, wasLeader bool) {
	ch := &k.logs[p.id]
	if rd.Snapshot != nil && !rd.Snapshot.IsEmpty() {
		k.installSnapshot(ch, rd.Snapshot.Meta)
	}
	if len(rd.Entries) > 0 {
		k.appendEntries(p, ch, rd.Entries)
	}
	if !rd.HardState.IsEmpty() {
		k.hardState(p, ch, rd.HardState)
	}
	k.leadership(p, ch, rd, wasLeader)
}

// installSnapshot rebases ch on a snapshot; entries after it survive only if
// the log matched at its index (as in disk.installSnapshot).
func (k *checker) installSnapshot(ch *chain, m raft.SnapshotMeta) {
	h, known := k.seen[entryID{m.Index, m.Term}]
	if old, ok := ch.at(m.Index); ok && m.Index > ch.base && ch.terms[m.Index-ch.base-1] == m.Term {
		ch.hashes = ch.hashes[m.Index-ch.base:]
		ch.terms = ch.terms[m.Index-ch.base:]
		h, known = old, true
	} else {
		ch.hashes, ch.terms = nil, nil
	}
	ch.base, ch.baseHash, ch.baseTerm, ch.valid = m.Index, h, m.Term, known
}

// appendEntries extends ch with ents and checks log matching.
func (k *checker) appendEntries(p *process, ch *chain, ents []raft.Entry) {
	first := ents[0].Index
	if first <= ch.base || first > ch.last()+1 {
		panic(fmt.Sprintf("sim.checker.appendEntries: %s persists entry %d, its log is %d..%d", Name(p.id), first, ch.base+1, ch.last()))
	}
	keep := first - ch.base - 1
	ch.hashes, ch.terms = ch.hashes[:keep], ch.terms[:keep]
	prev, _ := ch.at(first - 1)
	for _, e := range ents {
		if e.Index != first+uint64(len(ch.hashes))-keep {
			panic(fmt.Sprintf("sim.checker.appendEntries: %s persists entries that are not contiguous", Name(p.id)))
		}
		h := chainHash(prev, e)
		ch.hashes, ch.terms = append(ch.hashes, h), append(ch.terms, e.Term)
		prev = h
		if !ch.valid {
			continue
		}
		id := entryID{e.Index, e.Term}
		if old, ok := k.seen[id]; ok && old != h {
			k.fail("log matching", e.Index, e.Term, "a node holds an entry with this index and term but a different log up to it", p.id)
			return
		}
		k.seen[id] = h
	}
}

// hardState checks that term and commit never go back and records what the
// newly committed entries are.
func (k *checker) hardState(p *process, ch *chain, hs raft.HardState) {
	if hs.Term < ch.lastTerm {
		k.fail("term monotonicity", 0, hs.Term, fmt.Sprintf("term went back from %d", ch.lastTerm), p.id)
	}
	if hs.Commit < ch.commit {
		k.fail("commit monotonicity", hs.Commit, hs.Term, fmt.Sprintf("commit index went back from %d", ch.commit), p.id)
	}
	if hs.Commit > ch.last() {
		k.fail("commit within log", hs.Commit, hs.Term, fmt.Sprintf("commit index is beyond the last entry %d", ch.last()), p.id)
	}
	for i := max(ch.commit, ch.base) + 1; i <= hs.Commit; i++ {
		h, ok := ch.at(i)
		if !ok {
			continue
		}
		if old, seen := k.commits[i]; seen && old != h {
			k.fail("leader completeness", i, ch.terms[i-ch.base-1], "a committed entry was replaced by a different one", p.id)
			return
		}
		k.commits[i] = h
		k.maxKnown = max(k.maxKnown, i)
	}
	ch.commit, ch.lastTerm = max(ch.commit, hs.Commit), max(ch.lastTerm, hs.Term)
}

// leadership checks election safety, and leader completeness for a node
// that has just become leader.
func (k *checker) leadership(p *process, ch *chain, rd *raft.Ready, wasLeader bool) {
	for _, e := range rd.Events {
		if e.Kind == raft.EvRoleChanged && e.Role == raft.Leader {
			k.oneLeader(e.Node, e.Term)
		}
	}
	if rd.Role != raft.Leader {
		return
	}
	k.oneLeader(p.id, p.term)
	if wasLeader || k.maxKnown <= ch.base {
		return
	}
	if h, ok := ch.at(k.maxKnown); !ok || h != k.commits[k.maxKnown] {
		k.fail("leader completeness", k.maxKnown, p.term, "the new leader's log lacks a committed entry", p.id)
	}
}

// oneLeader records that id leads term and checks it is the only one.
func (k *checker) oneLeader(id raft.NodeID, term uint64) {
	if other, ok := k.leaders[term]; ok && other != id {
		k.fail("election safety", 0, term, "two leaders in one term", other, id)
		return
	}
	k.leaders[term] = id
}

// appliedEntry checks state machine safety and applied <= committed for one
// entry p applied.
func (k *checker) appliedEntry(p *process, e raft.Entry) {
	if e.Index > k.logs[p.id].commit {
		k.fail("applied <= committed", e.Index, e.Term, fmt.Sprintf("applied beyond the commit index %d", k.logs[p.id].commit), p.id)
	}
	h := chainHash(0, e)
	if old, ok := k.applied[e.Index]; ok && old != h {
		k.fail("state machine safety", e.Index, e.Term, "two nodes applied different entries at this index", p.id)
		return
	}
	k.applied[e.Index] = h
}

// restarting and stopped: the chain models the disk, which a crash keeps.
func (k *checker) restarting(p *process) {}
func (k *checker) stopped(p *process)    {}

// chainHash is the FNV-1a hash of an entry and the hash before it.
func chainHash(prev uint64, e raft.Entry) uint64 {
	h := uint64(fnvOffset64)
	for _, v := range [...]uint64{prev, e.Index, e.Term, uint64(e.Type)} {
		for i := 0; i < 8; i++ {
			h ^= (v >> (8 * i)) & 0xff
			h *= fnvPrime64
		}
	}
	for _, b := range e.Data {
		h ^= uint64(b)
		h *= fnvPrime64
	}
	return h
}
