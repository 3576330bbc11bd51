package sim

// The network model. Every message a node sends gets an id, a send time and
// a delivery time drawn from its link's latency range; it may be lost,
// duplicated or held back so that later messages overtake it (reordering
// also falls out of the jitter alone). Partitions split the nodes into
// groups that cannot talk to each other; a cut blocks one direction of one
// link; heal undoes them. A message is checked against partitions both when
// it is sent and when it arrives, so a partition also swallows what was in
// flight across it.
//
//	n1 --m12 MsgApp (due 1.004s)--> n2      group 1: n1 n2
//	n1 --m13 MsgApp  xx cut xx      n3      group 2: n3
//
// For lessons and the debugger, messages can be held instead of delivered:
// they stay in flight, marked held, until someone delivers, drops or
// duplicates them by id.

import (
	"fmt"
	"sort"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Link is one direction between two nodes.
type Link struct {
	From, To raft.NodeID
}

func (l Link) String() string { return Name(l.From) + "->" + Name(l.To) }

// flight is a message on the network.
type flight struct {
	info    MessageInfo
	msg     raft.Message
	deliver *item // the delivery event; nil while held
}

// network is the state of the simulated network.
type network struct {
	model     LinkModel
	links     map[Link]LinkModel // per-link overrides of model
	group     map[raft.NodeID]int
	nextGroup int
	cuts      map[Link]bool
	holdAll   bool
	holdLinks map[Link]bool
	flights   map[uint64]*flight
	nextID    uint64
	rand      *rng.Source
}

func newNetwork(model LinkModel, rand *rng.Source) *network {
	return &network{
		model: model, links: map[Link]LinkModel{}, group: map[raft.NodeID]int{},
		cuts: map[Link]bool{}, holdLinks: map[Link]bool{}, flights: map[uint64]*flight{},
		rand: rand,
	}
}

// modelOf is the model of link l.
func (n *network) modelOf(l Link) LinkModel {
	if m, ok := n.links[l]; ok {
		return m
	}
	return n.model
}

// canReach reports whether a message from l.From can reach l.To.
func (n *network) canReach(l Link) bool {
	return n.group[l.From] == n.group[l.To] && !n.cuts[l]
}

// held reports whether messages on l wait for manual delivery.
func (n *network) held(l Link) bool { return n.holdAll || n.holdLinks[l] }

// latency draws one message's delay on l, in whole microseconds.
func (n *network) latency(l Link) time.Duration {
	m := n.modelOf(l)
	d := m.MinLatency
	if span := (m.MaxLatency - m.MinLatency) / time.Microsecond; span > 0 {
		d += time.Duration(n.rand.Intn(int(span)+1)) * time.Microsecond
	}
	if n.rand.Chance(m.Reorder) {
		d += time.Duration(n.rand.Intn(int(m.MaxLatency/time.Microsecond)+1)) * time.Microsecond
	}
	return d
}

// partition puts each listed group apart; unlisted nodes form one more group.
func (n *network) partition(groups [][]raft.NodeID) {
	n.group = map[raft.NodeID]int{}
	for _, g := range groups {
		n.nextGroup++
		for _, id := range g {
			n.group[id] = n.nextGroup
		}
	}
}

// isolate puts id in a group of its own.
func (n *network) isolate(id raft.NodeID) {
	n.nextGroup++
	n.group[id] = n.nextGroup
}

// heal removes every partition and cut.
func (n *network) heal() {
	n.group = map[raft.NodeID]int{}
	n.cuts = map[Link]bool{}
}

// healNode brings id back into the main group and lifts its cuts.
func (n *network) healNode(id raft.NodeID) {
	delete(n.group, id)
	for l := range n.cuts {
		if l.From == id || l.To == id {
			delete(n.cuts, l)
		}
	}
}

// Partitions lists the groups of nodes that can talk, for display: each
// group sorted, groups ordered by their first node. ids are all the nodes.
func (n *network) partitions(ids []raft.NodeID) [][]raft.NodeID {
	byGroup := map[int][]raft.NodeID{}
	var order []int
	for _, id := range ids {
		g := n.group[id]
		if _, seen := byGroup[g]; !seen {
			order = append(order, g)
		}
		byGroup[g] = append(byGroup[g], id)
	}
	if len(order) <= 1 {
		return nil
	}
	out := make([][]raft.NodeID, 0, len(order))
	for _, g := range order {
		out = append(out, byGroup[g])
	}
	return out
}

// sortedCuts lists the cut links in order.
func (n *network) sortedCuts() []Link {
	out := make([]Link, 0, len(n.cuts))
	for l := range n.cuts {
		out = append(out, l)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].From != out[j].From {
			return out[i].From < out[j].From
		}
		return out[i].To < out[j].To
	})
	return out
}

// inFlight lists the messages on the network by id.
func (n *network) inFlight() []MessageInfo {
	out := make([]MessageInfo, 0, len(n.flights))
	for _, f := range n.flights {
		out = append(out, f.info)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// describe summarises the network model for the trace.
func (m LinkModel) String() string {
	return fmt.Sprintf("latency=%v..%v loss=%g dup=%g reorder=%g", m.MinLatency, m.MaxLatency, m.Loss, m.Duplicate, m.Reorder)
}

// infoOf summarises m for the trace.
func infoOf(id uint64, m raft.Message, now time.Duration) MessageInfo {
	return MessageInfo{
		ID: id, From: m.From, To: m.To, Type: m.Type, Term: m.Term,
		Index: m.Index, LogTerm: m.LogTerm, Commit: m.Commit,
		Entries: len(m.Entries), Reject: m.Reject, Sent: now,
		SnapOffset: m.SnapOffset, SnapTotal: m.SnapTotal, SnapChunk: len(m.SnapChunk),
	}
}
