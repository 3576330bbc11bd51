package sim

// State: the full picture of the cluster at one instant, as plain data, for
// the visualizer, the debugger and tests. It is a copy: changing it changes
// nothing in the simulation.

import (
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// State is the cluster at one instant.
type State struct {
	Time time.Duration
	Seed uint64
	// Leader is the node leading the highest term, or raft.None.
	Leader raft.NodeID
	Nodes  []NodeState
	// Messages are in flight (held ones included), by id.
	Messages []MessageInfo
	// Partitions are the groups of nodes that can talk (nil: no partition);
	// Cuts the links blocked in one direction.
	Partitions [][]raft.NodeID
	Cuts       []Link
	HoldAll    bool
	Network    LinkModel
	// Requests are the client requests still waiting.
	Requests []Request
	// Watches are the etcd watches opened (etcd mode), by id.
	Watches []WatchState
}

// NodeState is one node.
type NodeState struct {
	ID   raft.NodeID
	Name string
	// Up: running; Removed: removed from the cluster (and stopped).
	Up, Removed bool
	// Status is Raft's view (zero while down: see Disk instead).
	Status raft.Status
	// Log is the entries in memory (while up).
	Log []raft.Entry
	// Snapshot is the latest snapshot held (in memory while up, on disk
	// while down).
	Snapshot raft.SnapshotMeta
	// Applied is the index the state machine reached; Data its contents.
	Applied uint64
	Data    []KeyValue
	// Disk is what a crash would keep.
	DiskHardState raft.HardState
	DiskEntries   int
	DriftPPM      int64
	TickInterval  time.Duration
	// Etcd is the etcd member's view (etcd mode only; nil otherwise).
	Etcd *EtcdState
}

// State returns the full picture of the cluster now.
func (c *Cluster) State() State {
	s := State{
		Time: c.now, Seed: c.opts.Seed, Leader: c.Leader(),
		Messages: c.net.inFlight(), Cuts: c.net.sortedCuts(),
		Partitions: c.net.partitions(c.IDs()), HoldAll: c.net.holdAll, Network: c.net.model,
	}
	for _, id := range c.IDs() {
		s.Nodes = append(s.Nodes, c.nodeState(c.procs[id]))
	}
	for _, r := range c.requests {
		if !r.Done {
			cp := *r
			cp.timeout = nil
			s.Requests = append(s.Requests, cp)
		}
	}
	s.Watches = c.watchStates()
	return s
}

// Node returns the state of one node.
func (c *Cluster) Node(id raft.NodeID) (NodeState, error) {
	p, err := c.proc(id)
	if err != nil {
		return NodeState{}, err
	}
	return c.nodeState(p), nil
}

func (c *Cluster) nodeState(p *process) NodeState {
	ns := NodeState{
		ID: p.id, Name: Name(p.id), Up: p.up, Removed: p.removed,
		Applied: p.applied, DiskHardState: p.disk.hardState,
		DiskEntries: len(p.disk.entries), DriftPPM: p.driftPPM, TickInterval: c.period(p),
	}
	if p.disk.snapshot != nil {
		ns.Snapshot = p.disk.snapshot.Meta
	}
	if c.opts.Etcd != nil {
		c.memberState(p, &ns)
		return ns
	}
	if p.up {
		ns.Status = p.node.Status()
		ns.Log = p.node.Log()
		if s := p.node.LatestSnapshot(); s != nil {
			ns.Snapshot = s.Meta
		}
		ns.Data = p.app.Contents()
	}
	return ns
}
