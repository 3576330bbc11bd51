package viz

// Hit testing: what is under the pointer, so that a click selects a node
// (on the circle or on its log row), a message or a link. Messages are
// small and lie on top, so they win over the node they are leaving; a hit
// on a node counts within its radius plus a few pixels, to forgive a
// trembling hand on a projector's remote. A link is hit along the stretch
// between the two rims, within a little more than its lanes; which side
// of the line the pointer is on picks the lane, and so the direction
// (link.go: a lane runs to the right of its direction of travel).
//
//	(n1) ---- lane n2->n1 <---- (n2)     click above the line: n2->n1
//	     ==== the link ======            (screen y grows downwards)
//	     ---- lane n1->n2 ---->          click below: n1->n2

import "github.com/etcdlab/etcdlab/core/raft"

// Hit is what a point touches.
type Hit struct {
	// Node is the node hit (raft.None if none); Message the message id (0
	// if none).
	Node    raft.NodeID
	Message uint64
	// LinkFrom and LinkTo name the link hit (raft.None if none), in the
	// direction of the lane nearer to the point.
	LinkFrom, LinkTo raft.NodeID
}

// HitTest returns what lies at p.
func (s *Scene) HitTest(p Point) Hit {
	best, bestD := uint64(0), 0.0
	for _, m := range s.Messages {
		d := Dist(p, m.At)
		if d <= m.Radius+3 && (best == 0 || d < bestD) {
			best, bestD = m.ID, d
		}
	}
	if best != 0 {
		return Hit{Message: best}
	}
	for _, n := range s.Nodes {
		if Dist(p, n.Center) <= n.Radius+4 {
			return Hit{Node: n.ID}
		}
	}
	if from, to, ok := s.linkAt(p); ok {
		return Hit{LinkFrom: from, LinkTo: to}
	}
	if s.Strips != nil {
		for _, r := range s.Strips.Rows {
			if r.Area.Contains(p) {
				return Hit{Node: r.Node}
			}
		}
	}
	return Hit{}
}

// linkAt finds the link nearest to p, if p is close enough to one, and the
// direction of the lane on p's side.
func (s *Scene) linkAt(p Point) (from, to raft.NodeID, ok bool) {
	reach := laneGap(s.Font)*2 + 3
	bestD := reach
	for _, l := range s.Links {
		if l.Kind == LinkCut {
			continue // drawn on a lane of a link listed too
		}
		a, okA := s.Node(l.From)
		b, okB := s.Node(l.To)
		if !okA || !okB {
			continue
		}
		d, side, along := segmentDistance(p, a.Center, b.Center)
		length := Dist(a.Center, b.Center)
		if along < a.Radius || along > length-b.Radius || d > bestD {
			continue
		}
		bestD, ok = d, true
		from, to = l.From, l.To
		if side < 0 {
			from, to = l.To, l.From
		}
	}
	return from, to, ok
}

// segmentDistance is how far p lies from the line a-b, on which side
// (positive: the side a lane from a to b runs on, link.go) and how far
// along from a its foot is.
func segmentDistance(p, a, b Point) (d, side, along float64) {
	dir := b.Sub(a).unit()
	v := p.Sub(a)
	along = v.X*dir.X + v.Y*dir.Y
	n := dir.normal()
	side = v.X*n.X + v.Y*n.Y
	if side < 0 {
		return -side, side, along
	}
	return side, side, along
}

// LinkPoint is the middle of the lane from -> to: where a click selects
// that direction of that link (for a host or a test that must click it).
func (s *Scene) LinkPoint(from, to raft.NodeID) (Point, bool) {
	a, okA := s.Node(from)
	b, okB := s.Node(to)
	if !okA || !okB || from == to {
		return Point{}, false
	}
	la, lb := lane(a, b, s.Font)
	return Lerp(la, lb, 0.5), true
}
