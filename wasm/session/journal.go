package session

// The journal: everything that moved the simulation since Load, so that a
// shareable URL can rebuild the very same state. The simulator is
// deterministic, so a position is the scenario plus the list of what was
// done to it:
//
//	n            run the next scenario command (next())
//	c TEXT       run one line now (command())
//	a K T        carry out K events, then let the clock reach T nanoseconds
//	             (play and step; consecutive ones merge into one)
//
// "a" replays exactly: Step K times, then RunFor up to T — which carries
// out nothing more, because when the live session stopped at T no event
// was due by T (or T is the time of the last event it ran).
//
// A URL fragment is #s=<base64url(scenario)>&seed=<seed>&j=<base64url(journal)>&step=<events>.
// Restore also accepts a fragment without j: it loads s and carries out
// `step` events.

import (
	"encoding/base64"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/sim"
)

// MaxJournalEntries bounds the journal; beyond it the URL cannot rebuild
// the position (URL says so).
const MaxJournalEntries = 100_000

type journalEntry struct {
	op     byte // 'n', 'c' or 'a'
	text   string
	events int
	clock  time.Duration
	// last is the time of the advance's last event: the clock moved on
	// without an event after it when clock > last. Not in the URL.
	last time.Duration
}

type journal struct {
	entries  []journalEntry
	overflow bool
	// future is what was undone by stepping back (timeline.go): the moves
	// after the current position, kept so that the timeline can seek
	// forward again. A new input that differs from the future's next move
	// discards it.
	future []journalEntry
}

// moves counts the positions of entries on the timeline: one for each
// command and one for each event carried out.
func moves(entries []journalEntry) int {
	n := 0
	for _, e := range entries {
		if e.op == 'a' {
			n += e.events
		} else {
			n++
		}
	}
	return n
}

func (j *journal) add(e journalEntry) {
	if len(j.entries) >= MaxJournalEntries {
		j.overflow = true
		return
	}
	j.entries = append(j.entries, e)
}

func (j *journal) next() {
	j.follow(journalEntry{op: 'n'})
	j.add(journalEntry{op: 'n'})
}

func (j *journal) command(text string) {
	j.follow(journalEntry{op: 'c', text: text})
	j.add(journalEntry{op: 'c', text: text})
}

// follow keeps the future if a command is the future's next move, and
// discards it otherwise (the timeline branches).
func (j *journal) follow(e journalEntry) {
	if len(j.future) > 0 && j.future[0].op == e.op && j.future[0].text == e.text {
		j.future = j.future[1:]
		return
	}
	j.future = nil
}

// followEvents keeps the future if k events carried out and the clock
// reaching t are the start of the future's next advance, and discards it
// otherwise. The simulator is deterministic, so the events are the same.
func (j *journal) followEvents(k int, t time.Duration) {
	if len(j.future) == 0 {
		return
	}
	h := &j.future[0]
	if h.op != 'a' || h.events < k {
		j.future = nil
		return
	}
	h.events -= k
	switch {
	case h.events > 0 || t < h.clock:
		// the rest of the advance is still ahead
	case t == h.clock || len(j.future) == 1:
		j.future = j.future[1:]
	default:
		// the clock passed the time of the future's next command
		j.future = nil
	}
}

// advance records k events carried out, the last at time last, and then
// the clock reaching t. Consecutive advances merge into one entry, except
// that events never join an entry whose clock moved on after its last
// event: the timeline must be able to stop at that moment (timeline.go).
func (j *journal) advance(k int, last, t time.Duration) {
	j.followEvents(k, t)
	if n := len(j.entries); n > 0 && j.entries[n-1].op == 'a' {
		prev := &j.entries[n-1]
		if k == 0 || (prev.events > 0 && prev.clock == prev.last) {
			prev.events += k
			prev.clock = t
			if k > 0 {
				prev.last = last
			}
			return
		}
	}
	if k == 0 {
		last = -1
	}
	j.add(journalEntry{op: 'a', events: k, clock: t, last: last})
}

// clock is the clock of the last advance (0 if none).
func (j *journal) clock() time.Duration {
	if n := len(j.entries); n > 0 && j.entries[n-1].op == 'a' {
		return j.entries[n-1].clock
	}
	return 0
}

// events counts the events the advances carried out.
func (j *journal) events() int {
	n := 0
	for _, e := range j.entries {
		n += e.events
	}
	return n
}

func (j *journal) String() string {
	var b strings.Builder
	for _, e := range j.entries {
		b.WriteString(e.String() + "\n")
	}
	return b.String()
}

// String is the entry as a journal line.
func (e journalEntry) String() string {
	switch e.op {
	case 'n':
		return "n"
	case 'c':
		return "c " + e.text
	case 'a':
		return fmt.Sprintf("a %d %d", e.events, int64(e.clock))
	}
	panic(fmt.Sprintf("session.journalEntry.String: unknown operation %q", e.op))
}

var b64 = base64.RawURLEncoding

// URL is the current position as a URL fragment (with its leading #).
func (s *Session) URL() string {
	f := "#s=" + b64.EncodeToString([]byte(s.src)) + "&seed=" + strconv.FormatUint(s.Cluster().Seed(), 10)
	if len(s.journal.entries) > 0 {
		f += "&j=" + b64.EncodeToString([]byte(s.journal.String()))
	}
	return f + "&step=" + strconv.Itoa(s.journal.events())
}

// JournalComplete reports whether URL can rebuild the position (false once
// the journal overflowed).
func (s *Session) JournalComplete() bool { return !s.journal.overflow }

// Restore rebuilds the position a URL fragment names. On an error the
// session keeps what it had.
func (s *Session) Restore(fragment string) error {
	v, err := url.ParseQuery(strings.TrimPrefix(fragment, "#"))
	if err != nil {
		return fmt.Errorf("restore: the fragment does not parse: %v", err)
	}
	src, err := b64.DecodeString(v.Get("s"))
	if err != nil || !v.Has("s") {
		return fmt.Errorf("restore: the fragment needs s=<base64url of the scenario>")
	}
	var lines []string
	if j := v.Get("j"); j != "" {
		raw, err := b64.DecodeString(j)
		if err != nil {
			return fmt.Errorf("restore: j= is not base64url: %v", err)
		}
		lines = strings.Split(strings.TrimRight(string(raw), "\n"), "\n")
	} else if st := v.Get("step"); st != "" && st != "0" {
		lines = []string{"a " + st + " 0"}
	}
	fresh := New("")
	fresh.view = s.view
	if err := fresh.Load(string(src)); err != nil {
		return fmt.Errorf("restore: %v", err)
	}
	for i, l := range lines {
		if err := fresh.replay(l); err != nil {
			return fmt.Errorf("restore: journal line %d (%q): %v", i+1, l, err)
		}
	}
	fresh.player.shown = fresh.Cluster().Now()
	fresh.rescanFlights()
	fresh.touch()
	fresh.version = s.version + 1
	*s = *fresh
	return nil
}

// replay carries out one journal line.
func (s *Session) replay(line string) error {
	op, rest, _ := strings.Cut(line, " ")
	switch op {
	case "n":
		s.Next()
		return nil
	case "c":
		s.Command(rest)
		return nil
	case "a":
		var k int
		var t int64
		if _, err := fmt.Sscanf(rest, "%d %d", &k, &t); err != nil || k < 0 {
			return fmt.Errorf("want `a EVENTS NANOS`")
		}
		return s.replayAdvance(k, time.Duration(t))
	case "":
		return nil
	}
	return fmt.Errorf("unknown journal operation %q", op)
}

// replayAdvance carries out k events, then lets the clock reach t.
func (s *Session) replayAdvance(k int, t time.Duration) error {
	c := s.Cluster()
	for i := 0; i < k; i++ {
		if _, err := c.Step(); err != nil && err != sim.ErrIdle {
			s.journal.advance(i+1, c.Now(), c.Now())
			return nil // the violation is the state to show
		}
	}
	last := c.Now()
	if t > c.Now() {
		if err := c.RunFor(t - c.Now()); err != nil {
			return nil
		}
	}
	s.journal.advance(k, last, c.Now())
	return nil
}
