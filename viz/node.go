package viz

// How a node looks. The fill says its role (palette.go) and the role is
// written inside it too, in words; the term and the vote are badges; the
// arc around a follower or candidate is its election timer filling up
// (elapsed / randomized timeout, Raft §5.2: a follower that hears nothing
// for an election timeout becomes a candidate). A down node is grey with a
// dashed outline and shows what its disk kept. The leader's view of each
// follower (Match, Next and the flow-control state, etcd's tracker) is
// shown in the follower's log row, or under the follower when the logs are
// hidden.
//
//	       term 3
//	      .------.
//	     |   n2   |    <- name, bold
//	     | leader |    <- role, in words
//	      '------'  )  <- election timer arc (not on the leader)
//	    voted n2 · commit 5
//	    match 5 · next 6 · replicate

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// NodeLook is one node as drawn.
type NodeLook struct {
	ID     raft.NodeID
	Name   string
	Center Point
	Radius float64
	// Role is a raft.Role name, "down" or "removed".
	Role string
	// Fill is the role's colour, Ink the text colour on it, Ring the
	// outline; Dashed outlines a node that is down or removed.
	Fill, Ink, Ring Color
	RingWidth       float64
	Dashed          bool
	// Learner marks a non-voting member (drawn with a second, inner ring).
	Learner bool
	// Apart: on the row under the circle.
	Apart bool
	// Term and Vote are badge texts ("term 3", "voted n2"); Vote is "" when
	// no vote was cast in this term.
	Term, Vote string
	// Timer is the election timer's elapsed fraction in [0,1]; negative
	// when the node has no running election timer (leader, down).
	Timer float64
	// Captions are small lines under the node.
	Captions []string
	Selected bool
	// Font is the size of the name; captions use 0.72 of it.
	Font float64
}

// nodeLooks builds every node in state order. withProgress adds the
// leader's view of each follower under it (when the log panel, which
// shows it too, is hidden).
func nodeLooks(st sim.State, m membership, place map[raft.NodeID]Placement, selected raft.NodeID, withProgress bool, font float64) []NodeLook {
	lead := leaderStatus(st)
	out := make([]NodeLook, 0, len(st.Nodes))
	for _, ns := range st.Nodes {
		p, ok := place[ns.ID]
		if !ok {
			panic("viz.nodeLooks: node " + ns.Name + " has no place")
		}
		n := nodeLook(ns, p, m.learner[ns.ID], font)
		n.Selected = ns.ID == selected
		if pr, ok := progressOf(lead, ns.ID); ok && ns.ID != lead.ID && withProgress {
			n.Captions = append(n.Captions, pr)
		}
		out = append(out, n)
	}
	return out
}

// nodeLook is one node's look, apart from the leader's view of it.
func nodeLook(ns sim.NodeState, p Placement, learner bool, font float64) NodeLook {
	role := roleName(ns.Up, ns.Removed, ns.Status.Role)
	n := NodeLook{
		ID: ns.ID, Name: ns.Name, Center: p.Center, Radius: p.Radius, Role: role,
		Fill: RoleColor(role), Ring: Ink, RingWidth: clamp(p.Radius*0.06, 1.5, 6),
		Learner: learner || ns.Status.Role == raft.Learner, Apart: p.Apart,
		Timer: -1, Font: clamp(p.Radius*0.42, font*0.7, font*1.4),
	}
	n.Ink = InkOn(n.Fill)
	hs := ns.Status.HardState
	if !ns.Up {
		hs = ns.DiskHardState
		n.Dashed, n.Ring = true, MutedInk
	}
	n.Term = fmt.Sprintf("term %d", hs.Term)
	if hs.Vote != raft.None {
		n.Vote = "voted " + sim.Name(hs.Vote)
	}
	if ns.Up && ns.Status.Role != raft.Leader && ns.Status.RandomizedElectionTimeout > 0 {
		n.Timer = clamp(float64(ns.Status.ElectionElapsed)/float64(ns.Status.RandomizedElectionTimeout), 0, 1)
	}
	n.Captions = nodeCaptions(ns, role)
	return n
}

// nodeCaptions are the lines under a node: where its log stands, or for a
// down node what its disk kept.
func nodeCaptions(ns sim.NodeState, role string) []string {
	switch role {
	case "removed":
		return []string{"removed from the cluster"}
	case "down":
		return []string{fmt.Sprintf("disk: commit %d · %d entries", ns.DiskHardState.Commit, ns.DiskEntries)}
	}
	return []string{fmt.Sprintf("commit %d · applied %d", ns.Status.HardState.Commit, ns.Applied)}
}

// leaderStatus is the Raft status of the leader, or the zero Status.
func leaderStatus(st sim.State) raft.Status {
	for _, ns := range st.Nodes {
		if ns.ID == st.Leader && ns.Up {
			return ns.Status
		}
	}
	return raft.Status{}
}
