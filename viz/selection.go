package viz

// A selected message: the viewer clicked a dot (HitTest), and the card
// spells out what the message carries — who sends it to whom, its term,
// the index and term of the entry before the ones it carries (Raft
// Figure 2, AppendEntries: prevLogIndex, prevLogTerm), the sender's commit
// index, how many entries, whether it refuses — and when it left and
// arrives. The dot gets a ring, so the card and the dot can be matched.
//
//	 m17 · MsgApp n1 → n2
//	 term 2 · index 4 (log term 2) · commit 4
//	 1 entry · sent 1.180s · arrives 1.183s

import (
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/sim"
)

// SelectMessage marks message id as selected and puts its card where the
// selected node's card would go (replacing it). A message no longer in
// flight selects nothing and leaves the scene as it is; it reports whether
// the message was found.
func (s *Scene) SelectMessage(id uint64) bool {
	for i := range s.Messages {
		if s.Messages[i].ID == id {
			s.Messages[i].Selected = true
			d := s.Messages[i]
			s.SelectedMessage = &d
			s.Card = messageCard(d.Msg, s.cardArea, s.Font)
			return true
		}
	}
	return false
}

// messageCard lists the fields of m in the corner of area.
func messageCard(m sim.MessageInfo, area Rect, font float64) *Card {
	size := font * 0.72
	lines := MessageLines(m)
	for i := range lines {
		lines[i] = truncate(lines[i], area.W-size*2.5, size)
	}
	return card(lines, Point{area.X + font*0.2, area.Y + font*0.3}, size, Panel, Ink)
}

// MessageLines are the facts of one message, for its card.
func MessageLines(m sim.MessageInfo) []string {
	lines := []string{fmt.Sprintf("m%d · %s %s → %s", m.ID, m.Type, sim.Name(m.From), sim.Name(m.To))}
	l := fmt.Sprintf("term %d", m.Term)
	if m.Index != 0 || m.LogTerm != 0 {
		l += fmt.Sprintf(" · index %d (log term %d)", m.Index, m.LogTerm)
	}
	if m.Commit != 0 {
		l += fmt.Sprintf(" · commit %d", m.Commit)
	}
	lines = append(lines, l)
	var parts []string
	switch {
	case m.Entries == 1:
		parts = append(parts, "1 entry")
	case m.Entries > 1:
		parts = append(parts, fmt.Sprintf("%d entries", m.Entries))
	}
	if m.Reject {
		parts = append(parts, "REJECTS")
	}
	if m.SnapTotal > 0 {
		parts = append(parts, fmt.Sprintf("snapshot bytes %d+%d of %d", m.SnapOffset, m.SnapChunk, m.SnapTotal))
	}
	if m.Held {
		parts = append(parts, "held: waits for release or deliver")
	} else {
		parts = append(parts, "sent "+ClockText(m.Sent), "arrives "+ClockText(m.Due))
	}
	return append(lines, strings.Join(parts, " · "))
}
