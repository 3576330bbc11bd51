package viz

// Hit testing: what is under the pointer, so that a click selects a node
// (on the circle or on its log row) or a message. Messages are small and
// lie on top, so they win over the node they are leaving; a hit on a node
// counts within its radius plus a few pixels, to forgive a trembling hand
// on a projector's remote.

import "github.com/etcdlab/etcdlab/core/raft"

// Hit is what a point touches.
type Hit struct {
	// Node is the node hit (raft.None if none); Message the message id (0
	// if none).
	Node    raft.NodeID
	Message uint64
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
	if s.Strips != nil {
		for _, r := range s.Strips.Rows {
			if r.Area.Contains(p) {
				return Hit{Node: r.Node}
			}
		}
	}
	return Hit{}
}
