package raft

import "testing"

func TestCommittedIndex(t *testing.T) {
	cases := []struct {
		match []uint64
		want  uint64
	}{
		{nil, 0},
		{[]uint64{5}, 5},
		{[]uint64{5, 3}, 3},
		{[]uint64{9, 7, 7, 5, 3}, 7},
		{[]uint64{1, 9, 3}, 3},
		{[]uint64{4, 4, 1, 1}, 1}, // 4 voters need 3
	}
	for _, c := range cases {
		var voters []NodeID
		m := map[NodeID]uint64{}
		for i, x := range c.match {
			voters = append(voters, NodeID(i+1))
			m[NodeID(i+1)] = x
		}
		got := committedIndex(voters, func(id NodeID) uint64 { return m[id] })
		eq(t, got, c.want, "committedIndex(%v)", c.match)
	}
}

func TestVoteResult(t *testing.T) {
	voters := []NodeID{1, 2, 3}
	cases := []struct {
		votes map[NodeID]bool
		want  voteOutcome
	}{
		{map[NodeID]bool{1: true}, votePending},
		{map[NodeID]bool{1: true, 2: true}, voteWon},
		{map[NodeID]bool{1: true, 2: false}, votePending},
		{map[NodeID]bool{1: true, 2: false, 3: false}, voteLost},
		{map[NodeID]bool{1: true, 9: true, 8: true}, votePending}, // non-voters do not count
	}
	for i, c := range cases {
		eq(t, voteResult(voters, c.votes), c.want, "case %d", i)
	}
	eq(t, voteResult(nil, map[NodeID]bool{}), voteLost, "empty configuration")
}

func TestLogFindConflictByTerm(t *testing.T) {
	l := newLog(0, 0)
	// index: 1 2 3 4 5 6
	// term:  1 1 2 2 4 4
	for i, term := range []uint64{1, 1, 2, 2, 4, 4} {
		l.entries = append(l.entries, Entry{Index: uint64(i + 1), Term: term})
	}
	cases := []struct{ index, term, want, wantTerm uint64 }{
		{6, 4, 6, 4}, {6, 3, 4, 2}, {6, 1, 2, 1}, {6, 0, 0, 0}, {9, 2, 4, 2}, {3, 5, 3, 2},
	}
	for _, c := range cases {
		got, gotTerm := l.findConflictByTerm(c.index, c.term)
		check(t, got == c.want && gotTerm == c.wantTerm, "findConflictByTerm(%d, %d) = %d/%d, want %d/%d", c.index, c.term, got, gotTerm, c.want, c.wantTerm)
	}
}

func TestLogAppendTruncatesConflicts(t *testing.T) {
	l := newLog(0, 0)
	l.truncateAndAppend([]Entry{{Index: 1, Term: 1}, {Index: 2, Term: 1}, {Index: 3, Term: 1}})
	l.stable = 3
	l.commitTo(1)
	last := l.appendAfter(1, []Entry{{Index: 2, Term: 1}, {Index: 3, Term: 2}, {Index: 4, Term: 2}})
	eq(t, last, uint64(4), "last new index")
	eq(t, l.lastIndex(), uint64(4), "last index")
	eq(t, l.stable, uint64(2), "stable moves back to before the conflict")
	term, _ := l.term(3)
	eq(t, term, uint64(2), "term of 3")
	// Re-sending what is already there changes nothing.
	l.appendAfter(0, []Entry{{Index: 1, Term: 1}})
	eq(t, l.lastIndex(), uint64(4), "a prefix does not truncate")
	defer func() { check(t, recover() != nil, "overwriting a committed entry must panic") }()
	l.appendAfter(0, []Entry{{Index: 1, Term: 9}})
}

func TestInflights(t *testing.T) {
	in := inflights{max: 3}
	in.add(5)
	in.add(7)
	in.add(9)
	check(t, in.full(), "full")
	in.freeTo(7)
	eq(t, in.count(), 1, "after freeTo(7)")
	in.freeFirst()
	eq(t, in.count(), 0, "after freeFirst")
}
