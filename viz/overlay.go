package viz

// The words around the picture: the header (the clock, the term, the
// leader, whether the animation plays, the scenario's next command and the
// last event), the footer of keys, the card of the selected node, an error
// banner and the help overlay.

import (
	"fmt"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// Keys are the keyboard controls of the canvas, for the help overlay and
// the footer.
var Keys = [][2]string{
	{"Space", "play / pause"},
	{". or →", "step one event"},
	{"n", "run the next scenario command"},
	{"1 – 9", "select a node (or click it)"},
	{"c", "crash the selected node"},
	{"r", "restart the selected node"},
	{"t", "transfer leadership to the selected node"},
	{"i", "isolate the selected node"},
	{"h", "heal every partition and cut"},
	{"m", "show / hide messages"},
	{"l", "show / hide the logs"},
	{"+ / -", "faster / slower"},
	{"?", "this help"},
}

// ClockText renders a virtual time to the millisecond: "12.345s".
func ClockText(d time.Duration) string {
	return fmt.Sprintf("%d.%03ds", d/time.Second, (d%time.Second)/time.Millisecond)
}

// header is the two lines at the top.
func header(st sim.State, v View, area Rect, font float64) []Text {
	y1, y2 := area.Y+font*1.1, area.Y+font*2.45
	x0, x1 := area.X+font*0.8, area.X+area.W-font*0.8
	leader := "none"
	if st.Leader != raft.None {
		leader = sim.Name(st.Leader)
	}
	play := "paused"
	if v.Playing {
		play = fmt.Sprintf("playing ×%g", v.Speed)
	}
	status := fmt.Sprintf("time %s   term %d   leader %s   %s", ClockText(st.Time), maxTerm(st), leader, play)
	next := "scenario: no command left"
	if v.Next != "" {
		next = "next: " + v.Next
	}
	small := font * 0.8
	out := []Text{
		{S: "etcdlab", At: Point{x0, y1}, Size: font * 1.2, Color: Ink, Bold: true},
		{S: status, At: Point{x1, y1}, Size: font, Color: Ink, Align: AlignEnd, Bold: true},
		{S: next, At: Point{x0, y2}, Size: small, Color: MutedInk},
	}
	if v.Event != "" {
		budget := area.W - textWidth(next, small) - font*3
		out = append(out, Text{S: truncate(v.Event, budget, small), At: Point{x1, y2}, Size: small, Color: MutedInk, Align: AlignEnd})
	}
	return out
}

// maxTerm is the highest term any node knows of (disk included).
func maxTerm(st sim.State) uint64 {
	var t uint64
	for _, ns := range st.Nodes {
		t = max(t, ns.Status.HardState.Term, ns.DiskHardState.Term)
	}
	return t
}

// footer lists the main keys.
func footer(area Rect, font float64) []Text {
	s := "Space play/pause · → step · n next · 1–9 select · c crash · r restart · t transfer · i isolate · h heal · ? help"
	size := font * 0.75
	return []Text{{S: truncate(s, area.W-font*1.6, size), At: Point{area.X + font*0.8, area.Y + area.H/2}, Size: size, Color: MutedInk}}
}

// truncate shortens s with an ellipsis to fit width at size.
func truncate(s string, width, size float64) string {
	if textWidth(s, size) <= width {
		return s
	}
	r := []rune(s)
	// textWidth grows by the same amount per rune (geometry.go), so no
	// more runes than this can fit: cut there before trimming one by one
	// (a 200 KB value otherwise costs a quadratic loop in every frame).
	if n := int(width/textWidth("m", size)) + 2; len(r) > n {
		r = r[:n]
	}
	for len(r) > 1 && textWidth(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return string(r) + "…"
}

// detailCard describes the selected node in the corner of the cluster.
func detailCard(st sim.State, id raft.NodeID, area Rect, font float64) *Card {
	var ns *sim.NodeState
	for i := range st.Nodes {
		if st.Nodes[i].ID == id {
			ns = &st.Nodes[i]
		}
	}
	if ns == nil {
		return nil
	}
	size := font * 0.72
	lines := detailLines(*ns)
	for i := range lines {
		lines[i] = truncate(lines[i], area.W-size*2.5, size)
	}
	return card(lines, Point{area.X + font*0.2, area.Y + font*0.3}, size, Panel, Rule)
}

// detailLines are the facts of one node.
func detailLines(ns sim.NodeState) []string {
	role := roleName(ns.Up, ns.Removed, ns.Status.Role)
	lines := []string{ns.Name + " · " + role}
	if !ns.Up {
		hs := ns.DiskHardState
		return append(lines, fmt.Sprintf("disk: term %d · vote %s · commit %d", hs.Term, nameOrNone(hs.Vote), hs.Commit),
			fmt.Sprintf("disk: %d entries · snapshot %d", ns.DiskEntries, ns.Snapshot.Index))
	}
	s := ns.Status
	lines = append(lines,
		fmt.Sprintf("term %d · vote %s · lead %s", s.HardState.Term, nameOrNone(s.HardState.Vote), nameOrNone(s.Lead)),
		fmt.Sprintf("log %d..%d · commit %d · applied %d", s.FirstIndex, s.LastIndex, s.HardState.Commit, ns.Applied),
		fmt.Sprintf("snapshot %d · timer %d/%d ticks", ns.Snapshot.Index, s.ElectionElapsed, s.RandomizedElectionTimeout))
	var kv []string
	for _, p := range ns.Data {
		kv = append(kv, p.Key+"="+p.Value)
	}
	if len(kv) > 0 {
		lines = append(lines, "data: "+strings.Join(kv, " "))
	}
	return lines
}

func nameOrNone(id raft.NodeID) string {
	if id == raft.None {
		return "none"
	}
	return sim.Name(id)
}

// card lays lines out in a panel whose top-left corner is at.
func card(lines []string, at Point, size float64, fill, stroke Color) *Card {
	w := 0.0
	for _, l := range lines {
		w = max(w, textWidth(l, size))
	}
	lineH := size * 1.45
	c := &Card{Rect: Rect{at.X, at.Y, w + size*1.6, float64(len(lines))*lineH + size*0.9}, Fill: fill, Stroke: stroke}
	for i, l := range lines {
		c.Lines = append(c.Lines, Text{S: l, At: Point{at.X + size*0.8, at.Y + size*0.45 + lineH*(float64(i)+0.5)},
			Size: size, Color: InkOn(fill), Bold: i == 0})
	}
	return c
}

// banner shows an error across the bottom of the cluster.
func banner(msg string, reg regions, font float64) *Card {
	size := font * 0.8
	msg = truncate(msg, reg.cluster.W*0.9, size)
	c := card([]string{msg}, Point{}, size, Alarm, Alarm)
	c.Rect.X = reg.cluster.X + (reg.cluster.W-c.Rect.W)/2
	c.Rect.Y = reg.cluster.Y + reg.cluster.H - c.Rect.H - font*2.4
	c.Lines[0].At = Point{c.Rect.X + size*0.8, c.Rect.Y + c.Rect.H/2}
	return c
}

// helpCard lists the keys in the middle of the screen, in two columns.
func helpCard(w, h, font float64) *Card {
	size := font * 0.95
	lineH := size * 1.5
	keyW, descW := 0.0, textWidth("Click a node (or its log row) to select it.", size)
	for _, k := range Keys {
		keyW = max(keyW, textWidth(k[0], size))
		descW = max(descW, textWidth(k[1], size))
	}
	keyW += size * 1.2
	n := float64(len(Keys) + 2)
	c := &Card{Rect: Rect{0, 0, keyW + descW + size*2, n*lineH + size}, Fill: Translucid, Stroke: Translucid}
	c.Rect.X, c.Rect.Y = (w-c.Rect.W)/2, (h-c.Rect.H)/2
	x, y := c.Rect.X+size, c.Rect.Y+size*0.5+lineH*0.5
	c.Lines = append(c.Lines, Text{S: "Keys (press ? or click to close)", At: Point{x, y}, Size: size, Color: White, Bold: true})
	for i, k := range Keys {
		ky := y + lineH*float64(i+1)
		c.Lines = append(c.Lines,
			Text{S: k[0], At: Point{x, ky}, Size: size, Color: Yellow, Bold: true},
			Text{S: k[1], At: Point{x + keyW, ky}, Size: size, Color: White})
	}
	c.Lines = append(c.Lines, Text{S: "Click a node (or its log row) to select it.", At: Point{x, y + lineH*float64(len(Keys)+1)}, Size: size, Color: White})
	return c
}
