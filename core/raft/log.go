package raft

// The replicated log as one node holds it in memory (Raft §5.3, §7).
//
// A snapshot stands in for the prefix 1..snapIndex; entries[0] is at
// snapIndex+1. Two marks walk up the log:
//
//	snapIndex      stable        committed          last
//	    |  entries handed to the caller  |  not yet handed out  |
//	----+--------------------+-----------+----------------------+
//	 (snapshot)              ^ Ready.Entries hands out (stable, last]
//
// committed never passes last, and a committed entry is never overwritten
// (Raft §5.4, Leader Completeness). Interface: term, matchTerm, append
// (truncating a conflicting suffix), slice, findConflictByTerm, compact and
// restore.

import "fmt"

type raftLog struct {
	// snapIndex and snapTerm identify the last entry the snapshot covers,
	// the entry just before entries[0].
	snapIndex, snapTerm uint64
	// entries are the log entries snapIndex+1 .. lastIndex().
	entries []Entry
	// committed is the highest index known to be committed (Figure 2,
	// commitIndex).
	committed uint64
	// stable is the highest index handed to the caller in Ready.Entries;
	// entries after it are unstable and go in the next Ready.
	stable uint64
}

// newLog returns a log that starts after the entry (index, term).
func newLog(index, term uint64) *raftLog {
	return &raftLog{snapIndex: index, snapTerm: term, committed: index, stable: index}
}

func (l *raftLog) firstIndex() uint64 { return l.snapIndex + 1 }

func (l *raftLog) lastIndex() uint64 { return l.snapIndex + uint64(len(l.entries)) }

func (l *raftLog) lastTerm() uint64 {
	t, _ := l.term(l.lastIndex())
	return t
}

// term returns the term of the entry at i; ok is false if i was compacted
// away or is beyond the end.
func (l *raftLog) term(i uint64) (t uint64, ok bool) {
	switch {
	case i == l.snapIndex:
		return l.snapTerm, true
	case i < l.snapIndex || i > l.lastIndex():
		return 0, false
	}
	return l.entries[i-l.snapIndex-1].Term, true
}

// matchTerm reports whether the log holds an entry at i with term t (the
// AppendEntries consistency check, Figure 2 receiver rule 2).
func (l *raftLog) matchTerm(i, t uint64) bool {
	got, ok := l.term(i)
	return ok && got == t
}

// isUpToDate reports whether a log ending at (index, term) is at least as
// up-to-date as this one (Raft §5.4.1: compare last terms, then lengths).
func (l *raftLog) isUpToDate(index, term uint64) bool {
	last := l.lastTerm()
	return term > last || (term == last && index >= l.lastIndex())
}

// appendAfter stores ents, which follow the entry at prev, skipping the
// ones already present and truncating at the first conflict (Figure 2,
// AppendEntries receiver rules 3 and 4). It returns the last new index.
func (l *raftLog) appendAfter(prev uint64, ents []Entry) uint64 {
	for i, e := range ents {
		if l.matchTerm(e.Index, e.Term) {
			continue
		}
		if e.Index <= l.committed {
			panic(fmt.Sprintf("raftLog.appendAfter: entry %d (term %d) conflicts with committed entry", e.Index, e.Term))
		}
		l.truncateAndAppend(ents[i:])
		break
	}
	return prev + uint64(len(ents))
}

// truncateAndAppend drops every entry at or after ents[0].Index and appends
// ents. Entries handed out but now replaced are handed out again.
func (l *raftLog) truncateAndAppend(ents []Entry) {
	from := ents[0].Index
	if from <= l.snapIndex || from > l.lastIndex()+1 {
		panic(fmt.Sprintf("raftLog.truncateAndAppend: index %d outside %d..%d", from, l.firstIndex(), l.lastIndex()+1))
	}
	l.entries = append(l.entries[:from-l.firstIndex()], cloneEntries(ents)...)
	if l.stable >= from {
		l.stable = from - 1
	}
}

// slice returns copies of the entries lo..hi-1, at most maxBytes of data
// (but always at least one entry); ok is false if lo was compacted away.
func (l *raftLog) slice(lo, hi, maxBytes uint64) (ents []Entry, ok bool) {
	if lo < l.firstIndex() {
		return nil, false
	}
	if hi > l.lastIndex()+1 {
		hi = l.lastIndex() + 1
	}
	var size uint64
	for i := lo; i < hi; i++ {
		e := l.entries[i-l.firstIndex()]
		size += uint64(len(e.Data))
		if len(ents) > 0 && size > maxBytes {
			break
		}
		ents = append(ents, cloneEntry(e))
	}
	return ents, true
}

// unstable returns the entries not yet handed to the caller.
func (l *raftLog) unstable() []Entry {
	ents, _ := l.slice(l.stable+1, l.lastIndex()+1, ^uint64(0))
	return ents
}

// commitTo raises the commit index to i (never lowers it).
func (l *raftLog) commitTo(i uint64) bool {
	if i <= l.committed {
		return false
	}
	if i > l.lastIndex() {
		panic(fmt.Sprintf("raftLog.commitTo: commit %d beyond last index %d", i, l.lastIndex()))
	}
	l.committed = i
	return true
}

// findConflictByTerm returns the largest index <= i whose term is <= t,
// with that term (0 if unknown). A follower rejecting an append uses it to
// hint where the leader's log may match, and the leader to skip a whole
// term per round trip (Raft §5.3, last paragraphs; etcd:
// raftLog.findConflictByTerm).
func (l *raftLog) findConflictByTerm(i, t uint64) (uint64, uint64) {
	if i > l.lastIndex() {
		i = l.lastIndex()
	}
	for {
		got, ok := l.term(i)
		if !ok {
			return i, 0
		}
		if got <= t || i == 0 {
			return i, got
		}
		i--
	}
}

// compact discards the entries up to and including i, which must be in the
// log.
func (l *raftLog) compact(i uint64) {
	t, ok := l.term(i)
	if !ok || i > l.stable || i > l.committed {
		panic(fmt.Sprintf("raftLog.compact: index %d not a stable committed entry", i))
	}
	l.entries = append([]Entry(nil), l.entries[i-l.snapIndex:]...)
	l.snapIndex, l.snapTerm = i, t
}

// restore replaces the whole log with a snapshot ending at (index, term).
func (l *raftLog) restore(index, term uint64) {
	l.entries = nil
	l.snapIndex, l.snapTerm = index, term
	l.committed, l.stable = index, index
}

func cloneEntry(e Entry) Entry {
	if e.Data != nil {
		e.Data = append([]byte(nil), e.Data...)
	}
	return e
}

func cloneEntries(ents []Entry) []Entry {
	out := make([]Entry, len(ents))
	for i, e := range ents {
		out[i] = cloneEntry(e)
	}
	return out
}
