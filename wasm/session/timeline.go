package session

// The timeline: stepping back in time by deterministic replay. A position
// on the timeline counts moves since Load — each scenario command (next(),
// command()) is one move, each simulator event carried out by step() or
// by playing is one move. The simulator keeps no history, and it need
// not: the same scenario, seed and journal always give the same state
// (DESIGN.md, the determinism contract), so the state at position p is
// rebuilt by loading the scenario again and replaying the journal's first
// p moves.
//
//	Load ──n──c──a(5 events)──n──a(3)──   journal: 1+1+5+1+3 = 11 moves
//	                    ▲                 Seek(5): replay n, c, a(3 of 5);
//	                    └ position 5       the rest (a 2, n, a 3) is the future
//
// What was undone is kept as the future, so the timeline can be scrubbed
// forward again without a rebuild: seeking forward replays the future's
// moves onto the live session. An input that repeats the future's next move
// (a step, the same command) keeps the rest of the future; any other input
// discards it, as a text editor's redo does.
//
// Seeking back replays from the start, so its cost grows with the position:
// BenchmarkSeekBack measures it (about 2µs an event natively, so a minute of
// a 5-node cluster replays in a few milliseconds; wasm is some times
// slower). That is fast enough not to need checkpoints of the cluster,
// which the simulator could not take without a deep copy of every node.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/sim"
)

// PositionView is position(): where the session is on its timeline.
type PositionView struct {
	// Position counts the moves since Load; End is the last position
	// recorded (greater than Position after stepping back).
	Position int `json:"position"`
	End      int `json:"end"`
	// TimeNanos is the virtual time now; Complete is false once the
	// journal overflowed (the timeline cannot go back any more).
	TimeNanos int64  `json:"timeNanos"`
	Time      string `json:"time"`
	Complete  bool   `json:"complete"`
}

// Position is the number of moves since Load.
func (s *Session) Position() int { return moves(s.journal.entries) }

// End is the last position on the timeline: the current one plus the
// moves of the future.
func (s *Session) End() int { return s.Position() + moves(s.journal.future) }

// PositionView returns position().
func (s *Session) PositionView() PositionView {
	now := s.Cluster().Now()
	return PositionView{Position: s.Position(), End: s.End(), TimeNanos: int64(now),
		Time: sim.FormatTime(now), Complete: !s.journal.overflow}
}

// Back moves the timeline n moves back (to the start at most).
func (s *Session) Back(n int) error {
	if n < 0 {
		return fmt.Errorf("back: want a number of moves >= 0, not %d", n)
	}
	return s.Seek(max(s.Position()-n, 0))
}

// Seek moves the timeline to position pos, clamped to [0, End()]: forward
// by replaying the future, back by rebuilding from the start. The
// animation pauses.
func (s *Session) Seek(pos int) error {
	if s.journal.overflow {
		return fmt.Errorf("seek: the journal is full (%d entries), so earlier positions cannot be rebuilt; load the scenario again", MaxJournalEntries)
	}
	pos = min(max(pos, 0), s.End())
	s.player.playing, s.script = false, false
	switch cur := s.Position(); {
	case pos > cur:
		return s.seekForward(pos)
	case pos < cur:
		return s.seekBack(pos)
	}
	s.touch()
	return nil
}

// seekForward replays the future's moves until the position is pos.
func (s *Session) seekForward(pos int) error {
	for need := pos - s.Position(); need > 0; need = pos - s.Position() {
		if len(s.journal.future) == 0 {
			break // an invariant violation ended the run (and the future)
		}
		e := s.journal.future[0]
		if e.op == 'a' && e.events > need {
			e = journalEntry{op: 'a', events: need}
		}
		before := s.Position()
		if err := s.replay(e.String()); err != nil {
			return fmt.Errorf("seek: %v", err)
		}
		if s.Position() == before && e.op != 'a' {
			break // the move did not run again (the run had ended)
		}
	}
	for len(s.journal.future) > 0 && s.journal.future[0].op == 'a' && s.journal.future[0].events == 0 {
		if err := s.replay(s.journal.future[0].String()); err != nil {
			return fmt.Errorf("seek: %v", err)
		}
	}
	s.settle()
	return nil
}

// seekBack rebuilds the session from the start up to position pos; the
// moves after it become the future.
func (s *Session) seekBack(pos int) error {
	all := append(append([]journalEntry{}, s.journal.entries...), s.journal.future...)
	prefix, rest := splitMoves(all, pos)
	fresh := New("")
	fresh.view = s.view
	if err := fresh.Load(s.src); err != nil {
		return fmt.Errorf("seek: the scenario no longer loads: %v", err)
	}
	fresh.player.dilate = s.player.dilate
	for i, e := range prefix {
		if err := fresh.replay(e.String()); err != nil {
			return fmt.Errorf("seek: journal line %d (%q): %v", i+1, e.String(), err)
		}
	}
	fresh.journal.future = rest
	fresh.version = s.version
	*s = *fresh
	s.settle()
	return nil
}

// settle shows the new position at once (no glide) and marks it changed.
func (s *Session) settle() {
	s.player.shown = s.Cluster().Now()
	s.rescanFlights()
	s.touch()
}

// splitMoves cuts entries after pos moves: an advance that crosses pos is
// split into its first events (its clock left at the last of them) and the
// rest. An advance of no events right at pos belongs to the prefix: the
// position shows the last moment it was shown.
func splitMoves(entries []journalEntry, pos int) (prefix, rest []journalEntry) {
	done := 0
	for i, e := range entries {
		left := pos - done
		switch {
		case left == 0 && (e.op != 'a' || e.events > 0):
			return prefix, append([]journalEntry{}, entries[i:]...)
		case e.op != 'a' || e.events <= left: // a zero-move advance when left == 0
			prefix = append(prefix, e)
			done += moves(entries[i : i+1])
		default:
			prefix = append(prefix, journalEntry{op: 'a', events: left})
			e.events -= left
			return prefix, append([]journalEntry{e}, entries[i+1:]...)
		}
	}
	return prefix, nil
}
