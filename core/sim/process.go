package sim

// A process is one simulated member: a Raft node, its disk and its state
// machine, and the clock that ticks it. It is either up (node and app in
// memory, its clock ticking) or down (only the disk remains). Each time it
// starts it begins a new incarnation, so that events meant for an earlier
// life are recognisably stale.
//
// Clocks drift: a node's tick period is TickInterval scaled by its drift, so
// a node whose clock runs 20% fast (+200000 ppm) times out 20% sooner.

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/server"
)

// process is one member of the simulated cluster.
type process struct {
	id        raft.NodeID
	bootstrap []raft.ConfChange // the initial membership (nil for a joiner)
	node      *raft.Node        // nil while down
	app       Application       // nil while down
	disk      disk
	rand      *rng.Source
	// check is the invariant checker of the cluster this process belongs
	// to (nil: checks off). A restored cluster (etcd_backup.go) has its
	// own: its logs and terms start over and share nothing with the old.
	check *checker

	// etcd mode (Options.Etcd): member replaces node and app (nil while
	// down); backend is its key space, which survives a crash as the disk
	// does (etcd_member.go).
	member  *server.Member
	backend backend.Backend

	up, removed bool
	incarnation int
	driftPPM    int64
	tick        *item // the next tick while up

	// What the simulator knows of the node, from its Ready batches.
	role    raft.Role
	lead    raft.NodeID
	term    uint64
	commit  uint64
	applied uint64
	// snapIndex is the index of the latest snapshot this node holds.
	snapIndex uint64
	conf      raft.ConfState

	// pending are the client writes proposed here, by request id; reads
	// wait for their ReadState (readIndex 0) and then for the apply index.
	pending map[uint64]*Request
	reads   []*Request
	// unreachable are peers the network failed to reach during this Ready.
	unreachable []raft.NodeID
}

// addProcess creates node id, checked by check (the checker of the
// cluster it joins), and starts it.
func (c *Cluster) addProcess(id raft.NodeID, bootstrap []raft.ConfChange, check *checker) error {
	p, err := c.newProcess(id, bootstrap, check)
	if err != nil {
		return err
	}
	return c.start(p)
}

// newProcess creates node id with an empty disk, not yet started.
func (c *Cluster) newProcess(id raft.NodeID, bootstrap []raft.ConfChange, check *checker) (*process, error) {
	if int(id) < 1 || int(id) >= len(c.procs) {
		return nil, fmt.Errorf("sim: node id %d out of range 1..%d", id, len(c.procs)-1)
	}
	if c.procs[id] != nil {
		return nil, fmt.Errorf("sim: %s already exists", Name(id))
	}
	p := &process{
		id: id, bootstrap: bootstrap, check: check,
		rand: rng.New(c.nodeSeed + uint64(id)*0x9e3779b97f4a7c15),
	}
	c.procs[id] = p
	return p, nil
}

// start boots p from its disk: a new Raft node, a fresh state machine
// restored from the snapshot, and the first tick at a random phase.
func (c *Cluster) start(p *process) error {
	if c.opts.Etcd != nil {
		return c.startMember(p)
	}
	app := c.opts.NewApplication()
	applied := p.disk.snapshotIndex()
	if p.disk.snapshot != nil {
		if err := app.Restore(p.disk.snapshot.Data); err != nil {
			return fmt.Errorf("sim: restart %s: %w", Name(p.id), err)
		}
	}
	var snap *raft.Snapshot
	if p.disk.snapshot != nil {
		cp := *p.disk.snapshot
		snap = &cp
	}
	node, err := raft.New(raft.Config{
		ID: p.id, ElectionTicks: c.opts.ElectionTicks, HeartbeatTicks: c.opts.HeartbeatTicks,
		Rand: p.rand, DisablePreVote: c.opts.DisablePreVote, DisableCheckQuorum: c.opts.DisableCheckQuorum,
		Bootstrap: p.bootstrap, HardState: p.disk.hardState, Snapshot: snap,
		Entries: p.disk.entriesAfterSnapshot(), Applied: applied,
		SnapshotChunkBytes: c.opts.SnapshotChunkBytes, MaxInflightMsgs: c.opts.MaxInflightMsgs,
	})
	if err != nil {
		return fmt.Errorf("sim: start %s: %w", Name(p.id), err)
	}
	p.node, p.app, p.up = node, app, true
	p.incarnation++
	p.applied, p.snapIndex = applied, applied
	p.commit = p.disk.hardState.Commit
	p.term = p.disk.hardState.Term
	p.role, p.lead = raft.Follower, raft.None
	st := node.Status()
	p.role, p.conf = st.Role, st.Conf
	p.pending = map[uint64]*Request{}
	p.reads = nil
	phase := time.Duration(c.phase.Intn(int(c.period(p)/time.Microsecond)+1)) * time.Microsecond
	p.tick = c.queue.schedule(&item{at: c.now + phase, kind: EvTick, node: p.id, incarnation: p.incarnation})
	c.drive(p)
	return nil
}

// period is the virtual time between two ticks of p's drifting clock.
func (c *Cluster) period(p *process) time.Duration {
	d := time.Duration(int64(c.opts.TickInterval) * 1_000_000 / (1_000_000 + p.driftPPM))
	if d <= 0 {
		d = 1
	}
	return d
}

// tick carries out one tick of a node and schedules the next.
func (c *Cluster) tick(it *item) {
	p := c.procs[it.node]
	if p == nil || !p.up || it.incarnation != p.incarnation {
		panic(fmt.Sprintf("sim.Cluster.tick: tick for %s that is not running", Name(it.node)))
	}
	if p.member != nil {
		p.member.Tick()
	} else {
		p.node.Tick()
	}
	c.drive(p)
	if p.up {
		p.tick = c.queue.schedule(&item{at: c.now + c.period(p), kind: EvTick, node: p.id, incarnation: p.incarnation})
	}
}

// stop takes p down: the node and the state machine are gone, its clock
// stops, and the clients waiting on it are answered with why.
func (c *Cluster) stop(p *process, why error) {
	c.queue.cancel(p.tick)
	p.tick = nil
	p.node, p.app, p.member, p.up = nil, nil, nil, false
	c.endWatches(p, why)
	for _, id := range sortedKeys(p.pending) {
		c.finish(p.pending[id], why)
	}
	for _, r := range p.reads {
		c.finish(r, why)
	}
	p.pending, p.reads = nil, nil
	if p.check != nil {
		p.check.stopped(p)
	}
}

// proc returns the process of id, or an error naming the nodes that exist.
func (c *Cluster) proc(id raft.NodeID) (*process, error) {
	if int(id) >= 1 && int(id) < len(c.procs) && c.procs[id] != nil {
		return c.procs[id], nil
	}
	return nil, fmt.Errorf("unknown node %s (cluster has %s)", Name(id), c.describeIDs())
}

// upProc returns the running process of id, or an error saying why not.
func (c *Cluster) upProc(id raft.NodeID) (*process, error) {
	p, err := c.proc(id)
	if err != nil {
		return nil, err
	}
	if p.removed {
		return nil, fmt.Errorf("%s was removed from the cluster", Name(id))
	}
	if !p.up {
		return nil, fmt.Errorf("%s is down", Name(id))
	}
	return p, nil
}

// IDs lists every node ever created, ascending.
func (c *Cluster) IDs() []raft.NodeID {
	var out []raft.NodeID
	for id, p := range c.procs {
		if p != nil {
			out = append(out, raft.NodeID(id))
		}
	}
	return out
}

// describeIDs is "n1..n3", or a list if the ids are not contiguous.
func (c *Cluster) describeIDs() string {
	ids := c.IDs()
	if len(ids) == 0 {
		return "no nodes"
	}
	if int(ids[len(ids)-1]-ids[0])+1 == len(ids) {
		return Name(ids[0]) + ".." + Name(ids[len(ids)-1])
	}
	s := ""
	for i, id := range ids {
		if i > 0 {
			s += ","
		}
		s += Name(id)
	}
	return s
}

// sortedKeys returns the keys of m ascending.
func sortedKeys(m map[uint64]*Request) []uint64 {
	out := make([]uint64, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
