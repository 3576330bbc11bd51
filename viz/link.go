package viz

// Links: the network between the nodes. Every pair of nodes is joined by a
// faint line; a message travels on its own lane beside it, to the right of
// its direction of travel, so that traffic n1->n2 and n2->n1 never overlap.
// What the network blocks is drawn in red and dashed, with a cross where it
// breaks: a partition (the two nodes are in different groups) blocks both
// lanes, a cut blocks one (sim: "a cut blocks one direction of one link").
// A cut is drawn on its own lane only, with an arrowhead pointing the way
// that is blocked, so n1->n2 cut and n2->n1 open reads as one-way at a
// glance (and a cut both ways shows two lanes, two arrowheads).
//
//	n1 ---------------- n2     link
//	   -- lane n1->n2 -->
//	   <-- lane n2->n1 --
//	n1 - - - -X- - - -  n3     partitioned, or cut on one lane

import (
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// LinkKind says what a LinkLook shows.
type LinkKind uint8

const (
	// LinkOpen: the two nodes can talk.
	LinkOpen LinkKind = iota
	// LinkPartitioned: the nodes are in different groups; both ways blocked.
	LinkPartitioned
	// LinkCut: one direction (From->To) is blocked; drawn on its lane.
	LinkCut
)

// LinkLook is one line of the network.
type LinkLook struct {
	Kind     LinkKind
	From, To raft.NodeID
	A, B     Point
	Color    Color
	Width    float64
	Dashed   bool
	// Cross is where a blocked link breaks (Kind != LinkOpen).
	Cross     Point
	CrossSize float64
	// Arrow is the arrowhead of a cut (LinkCut only), near its To end,
	// pointing the blocked way.
	Arrow *[3]Point
}

// laneGap is how far a lane runs beside its link.
func laneGap(font float64) float64 { return clamp(font*0.38, 3, 14) }

// lane is the segment a message from a to b travels on: offset to the
// right of the direction of travel, from rim to rim of the two nodes.
func lane(a, b NodeLook, font float64) (from, to Point) {
	dir := b.Center.Sub(a.Center).unit()
	off := dir.normal().Scale(laneGap(font))
	from = a.Center.Add(dir.Scale(a.Radius + 2)).Add(off)
	to = b.Center.Sub(dir.Scale(b.Radius + 2)).Add(off)
	return from, to
}

// linkLooks joins every pair of nodes, then adds a blocked lane per cut.
func linkLooks(st sim.State, nodes []NodeLook, font float64) []LinkLook {
	group := groupOf(st)
	var out []LinkLook
	for i := range nodes {
		for j := i + 1; j < len(nodes); j++ {
			a, b := nodes[i], nodes[j]
			l := LinkLook{Kind: LinkOpen, From: a.ID, To: b.ID, A: a.Center, B: b.Center,
				Color: Rule, Width: clamp(font*0.08, 1, 3)}
			if a.Role == "down" || b.Role == "down" || a.Role == "removed" || b.Role == "removed" {
				l.Color = Rule.Mix(Paper, 0.5)
			}
			if group[a.ID] != group[b.ID] {
				l.Kind, l.Color, l.Dashed = LinkPartitioned, Alarm, true
				l.Width = clamp(font*0.12, 1.5, 4)
				l.Cross, l.CrossSize = Lerp(a.Center, b.Center, 0.5), font*0.45
			}
			out = append(out, l)
		}
	}
	for _, c := range st.Cuts {
		a, okA := lookOf(nodes, c.From)
		b, okB := lookOf(nodes, c.To)
		if !okA || !okB {
			continue
		}
		from, to := lane(a, b, font)
		out = append(out, LinkLook{Kind: LinkCut, From: c.From, To: c.To, A: from, B: to,
			Color: Alarm, Width: clamp(font*0.12, 1.5, 4), Dashed: true,
			Cross: Lerp(from, to, 0.5), CrossSize: font * 0.4, Arrow: arrowhead(from, to, font*0.55)})
	}
	return out
}

// arrowhead is a triangle of length size whose tip is at to, pointing
// from -> to.
func arrowhead(from, to Point, size float64) *[3]Point {
	dir := to.Sub(from).unit()
	base := to.Sub(dir.Scale(size))
	side := dir.normal().Scale(size * 0.5)
	return &[3]Point{to, base.Add(side), base.Sub(side)}
}

// groupOf maps each node to the index of its partition group (all 0 when
// the network is whole).
func groupOf(st sim.State) map[raft.NodeID]int {
	g := map[raft.NodeID]int{}
	for i, ids := range st.Partitions {
		for _, id := range ids {
			g[id] = i + 1
		}
	}
	return g
}

func lookOf(nodes []NodeLook, id raft.NodeID) (NodeLook, bool) {
	for _, n := range nodes {
		if n.ID == id {
			return n, true
		}
	}
	return NodeLook{}, false
}
