package viz

// Messages in flight. Each is a dot on the lane from its sender to its
// receiver, a fraction (now - sent) / (due - sent) of the way along, so the
// renderer animates the network by moving the clock alone. The colour says
// the conversation (replication, election, pre-vote, snapshot, leadership
// transfer, read index), a hollow dot is the reply, and the type is written
// beside the dot while few enough messages fly to read them. A held message
// (sim: held for manual delivery) waits in the middle of its lane.
//
//	n1 ---(App ×2)--->          n2      request: solid dot
//	n1          <---(AppResp)-- n2      reply: hollow ring

import (
	"fmt"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// MessageDot is one message as drawn.
type MessageDot struct {
	ID       uint64
	From, To raft.NodeID
	Type     raft.MsgType
	At       Point
	Radius   float64
	// Fill is the colour of its conversation; Hollow marks a reply (drawn
	// as a ring of Fill on white).
	Fill   Color
	Hollow bool
	// Progress is how far along its lane it is, 0 (sent) to 1 (arriving).
	Progress float64
	Held     bool
	Reject   bool
	// Label is the short type ("App ×2"), LabelAt where to write it
	// (LabelAt is the zero Point when labels are off).
	Label     string
	LabelAt   Point
	LabelSize float64
	// Selected: the viewer clicked it (drawn with a ring, its fields in the
	// card); Msg is the message itself, for that card.
	Selected bool
	Msg      sim.MessageInfo
}

// maxLabelledMessages: above this many in flight, labels would pile up
// into noise, so only the dots are drawn.
const maxLabelledMessages = 6

// messageDots places the messages in flight at animation time now. A
// message sent after now (the simulation ran ahead of the animation) is
// not drawn yet.
func messageDots(st sim.State, nodes []NodeLook, now time.Duration, font float64) []MessageDot {
	var out []MessageDot
	heldOnLink := map[sim.Link]int{}
	for _, m := range st.Messages {
		a, okA := lookOf(nodes, m.From)
		b, okB := lookOf(nodes, m.To)
		if !okA || !okB || (!m.Held && m.Sent > now) {
			continue
		}
		from, to := lane(a, b, font)
		d := MessageDot{ID: m.ID, From: m.From, To: m.To, Type: m.Type, Held: m.Held, Reject: m.Reject,
			Radius: font * 0.42, Label: MessageLabel(m), Msg: m}
		d.Fill, d.Hollow = MessageColor(m.Type)
		if m.Type == raft.MsgHeartbeat || m.Type == raft.MsgHeartbeatResp {
			d.Radius = font * 0.32
		}
		if m.Held {
			l := sim.Link{From: m.From, To: m.To}
			d.Progress = clamp(0.5+0.12*float64(heldOnLink[l]), 0, 0.9)
			heldOnLink[l]++
		} else {
			d.Progress = Interpolate(m.Sent, m.Due, now)
		}
		d.At = Lerp(from, to, d.Progress)
		out = append(out, d)
	}
	if len(out) <= maxLabelledMessages {
		for i := range out {
			placeLabel(&out[i], nodes, font)
		}
	}
	return out
}

// Interpolate is how far along its way a message sent at sent and due at
// due is at time now, in [0,1].
func Interpolate(sent, due, now time.Duration) float64 {
	if due <= sent {
		return 1
	}
	return clamp(float64(now-sent)/float64(due-sent), 0, 1)
}

// placeLabel puts the label on the outer side of the dot's lane, unless
// the dot is so close to a node that the label would cover its captions.
func placeLabel(d *MessageDot, nodes []NodeLook, font float64) {
	a, _ := lookOf(nodes, d.From)
	b, _ := lookOf(nodes, d.To)
	if Dist(d.At, a.Center) < a.Radius+font*1.6 || Dist(d.At, b.Center) < b.Radius+font*1.6 {
		return
	}
	off := b.Center.Sub(a.Center).unit().normal()
	d.LabelSize = font * 0.66
	d.LabelAt = d.At.Add(off.Scale(d.Radius + d.LabelSize*0.8))
}

// MessageLabel is the short name of a message: its type without "Msg",
// with the entries it carries and a refusal marked.
func MessageLabel(m sim.MessageInfo) string {
	s := strings.TrimPrefix(m.Type.String(), "Msg")
	s = strings.Replace(s, "Heartbeat", "HB", 1)
	if m.Entries > 0 {
		s += fmt.Sprintf(" ×%d", m.Entries)
	}
	if m.Reject {
		s += " reject"
	}
	if m.Held {
		s += " (held)"
	}
	return s
}

// MessageColor is the colour of a message type's conversation and whether
// it is a reply.
func MessageColor(t raft.MsgType) (Color, bool) {
	switch t {
	case raft.MsgApp:
		return Blue, false
	case raft.MsgAppResp:
		return Blue, true
	case raft.MsgHeartbeat:
		return heartbeatGrey, false
	case raft.MsgHeartbeatResp:
		return heartbeatGrey, true
	case raft.MsgVote:
		return Orange, false
	case raft.MsgVoteResp:
		return Orange, true
	case raft.MsgPreVote:
		return Yellow, false
	case raft.MsgPreVoteResp:
		return Yellow, true
	case raft.MsgSnap:
		return ReddishPurple, false
	case raft.MsgSnapResp:
		return ReddishPurple, true
	case raft.MsgTimeoutNow, raft.MsgTransferLeader:
		return Vermillion, false
	case raft.MsgReadIndex:
		return BluishGreen, false
	case raft.MsgReadIndexResp:
		return BluishGreen, true
	}
	return Ink, false
}

var heartbeatGrey = Color{0x8A, 0x93, 0x9C, 255}

// LegendItem explains one message colour.
type LegendItem struct {
	At     Point
	Radius float64
	Fill   Color
	Hollow bool
	Label  Text
}

// legend lays the message key out in one row across area.
func legend(area Rect, font float64) []LegendItem {
	keys := []struct {
		label  string
		fill   Color
		hollow bool
	}{
		{"append", Blue, false}, {"heartbeat", heartbeatGrey, false}, {"vote", Orange, false},
		{"pre-vote", Yellow, false}, {"snapshot", ReddishPurple, false},
		{"transfer", Vermillion, false}, {"read index", BluishGreen, false}, {"reply", Ink, true},
	}
	size := font * 0.7
	total := 0.0
	for _, k := range keys {
		total += size*1.6 + textWidth(k.label, size) + size
	}
	scale := 1.0
	if total > area.W*0.96 && total > 0 {
		scale = area.W * 0.96 / total
	}
	size *= scale
	x := area.X + (area.W-total*scale)/2
	y := area.Y + area.H/2
	var out []LegendItem
	for _, k := range keys {
		r := size * 0.45
		item := LegendItem{At: Point{x + r, y}, Radius: r, Fill: k.fill, Hollow: k.hollow,
			Label: Text{S: k.label, At: Point{x + size*1.3, y}, Size: size, Color: MutedInk}}
		out = append(out, item)
		x += size*1.6 + textWidth(k.label, size) + size
	}
	return out
}
