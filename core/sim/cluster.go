package sim

// Cluster is the simulator: N Raft nodes, their disks and state machines, a
// simulated network and clients, all advanced by one event queue on one
// virtual clock. Step carries out exactly one event, so a debugger can stop
// anywhere; RunFor and RunUntil are loops over Step.
//
//	New(opts) -> Step() / RunFor(d) / RunUntil(pred, limit)
//	          -> Put / Get / Delete (client), Crash / Restart / Partition ...
//	          -> State() (the full picture), Trace()

import (
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

// ErrIdle: the event queue is empty (every node is down and nothing is in
// flight), so time cannot advance by events.
var ErrIdle = errors.New("sim: nothing left to happen: every node is down and no message is in flight")

// Cluster is a simulated cluster. It is not safe for concurrent use (nothing
// in the core is).
type Cluster struct {
	opts  Options
	now   time.Duration
	queue eventQueue
	// procs is indexed by node id; procs[0] is unused, nil means no such node.
	procs [core.MaxClusterSize + 1]*process
	net   *network
	trace trace
	// check is the invariant checker of the cluster New built (nil: off);
	// each process holds the checker of its own cluster (process.go).
	check *checker

	// nodeSeed derives each node's election randomness from its id alone,
	// so adding a node shifts no other node's draws.
	nodeSeed uint64
	phase    *rng.Source

	requests  []*Request
	nextReqID uint64
	// watches are the etcd watches opened so far (etcd mode), by id - 1.
	watches []*watch
	// err is the first invariant violation; once set, the run is over.
	err error
}

// Event is what one Step carried out.
type Event struct {
	Time time.Duration
	Seq  uint64
	Kind EventKind
	Node raft.NodeID // the node it happened at
	// Msg is the message delivered (EvDeliver).
	Msg MessageInfo
	// Request is the client request (EvRequest, EvRequestTimeout).
	Request uint64
	// Detail describes a fault (EvFault).
	Detail string
}

func (e Event) String() string {
	s := FormatTime(e.Time) + " " + e.Kind.String()
	switch e.Kind {
	case EvDeliver:
		s += " " + e.Msg.String()
	case EvRequest, EvRequestTimeout:
		s += fmt.Sprintf(" r%d", e.Request)
	case EvFault:
		s += " " + e.Detail
	}
	if e.Node != raft.None && e.Kind != EvDeliver {
		s += " " + Name(e.Node)
	}
	return s
}

// New builds and starts a cluster: n1..nN voters plus the learners, each
// with the bootstrap membership, their clocks at random phases.
func New(opts Options) (*Cluster, error) {
	opts = opts.withDefaults()
	if err := opts.validate(); err != nil {
		return nil, err
	}
	root := rng.New(opts.Seed)
	c := &Cluster{opts: opts}
	c.net = newNetwork(opts.Network, root.Split())
	c.phase = root.Split()
	c.nodeSeed = root.Uint64()
	c.trace = trace{limit: opts.TraceLimit, digest: opts.DigestTrace, hash: fnvOffset64}
	if opts.CheckInvariants {
		c.check = newChecker(c)
	}
	var boot []raft.ConfChange
	for i := 1; i <= opts.Nodes+opts.Learners; i++ {
		t := raft.AddVoter
		if i > opts.Nodes {
			t = raft.AddLearner
		}
		boot = append(boot, raft.ConfChange{Type: t, Node: raft.NodeID(i)})
	}
	for i := 1; i <= opts.Nodes+opts.Learners; i++ {
		if err := c.addProcess(raft.NodeID(i), boot, c.check); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// Options returns the options the cluster runs with, defaults filled in.
func (c *Cluster) Options() Options { return c.opts }

// Now is the virtual time.
func (c *Cluster) Now() time.Duration { return c.now }

// Seed is the seed that replays this run.
func (c *Cluster) Seed() uint64 { return c.opts.Seed }

// Err is the first invariant violation, or nil.
func (c *Cluster) Err() error { return c.err }

// Step carries out the next event and returns it, or the invariant
// violation it caused. It returns ErrIdle if nothing is left to happen.
func (c *Cluster) Step() (Event, error) {
	if c.err != nil {
		return Event{}, c.err
	}
	it := c.queue.next()
	if it == nil {
		return Event{}, ErrIdle
	}
	if it.at < c.now {
		panic("sim.Cluster.Step: an event is scheduled in the past")
	}
	c.now = it.at
	ev := Event{Time: it.at, Seq: it.seq, Kind: it.kind, Node: it.node}
	switch it.kind {
	case EvTick:
		c.tick(it)
	case EvDeliver:
		ev.Msg, ev.Node = c.deliver(it.msg)
	case EvRequest:
		ev.Request = it.req.ID
		c.arrive(it.req)
	case EvRequestTimeout:
		ev.Request = it.req.ID
		c.timeout(it.req)
	case EvFault:
		ev.Detail = it.fault.name
		c.runFault(it.fault)
	default:
		panic(fmt.Sprintf("sim.Cluster.Step: unknown event kind %d", it.kind))
	}
	return ev, c.err
}

// RunFor steps until d of virtual time has passed (events due exactly at the
// end run too). It stops early on an invariant violation.
func (c *Cluster) RunFor(d time.Duration) error {
	end := c.now + d
	for {
		next := c.queue.peek()
		if next == nil || next.at > end {
			break
		}
		if _, err := c.Step(); err != nil {
			return err
		}
	}
	c.now = end
	return c.err
}

// RunUntil steps until pred holds (checked before every event) or limit of
// virtual time has passed; it reports whether pred held.
func (c *Cluster) RunUntil(pred func(*Cluster) bool, limit time.Duration) (bool, error) {
	end := c.now + limit
	for {
		if pred(c) {
			return true, c.err
		}
		next := c.queue.peek()
		if next == nil || next.at > end {
			c.now = end
			return false, c.err
		}
		if _, err := c.Step(); err != nil {
			return false, err
		}
	}
}

// fault is a scheduled action.
type fault struct {
	name string
	do   func(*Cluster) error
}

// Schedule arranges for do to run after delay of virtual time, as one event
// named name. An error it returns is recorded in the trace.
func (c *Cluster) Schedule(delay time.Duration, name string, do func(*Cluster) error) {
	c.queue.schedule(&item{at: c.now + delay, kind: EvFault, fault: &fault{name, do}})
}

func (c *Cluster) runFault(f *fault) {
	if err := f.do(c); err != nil {
		c.record(Record{Kind: RecAction, Detail: f.name + " failed: " + err.Error()})
	}
}

// record appends r to the trace at the current time.
func (c *Cluster) record(r Record) {
	r.Time = c.now
	c.trace.add(r)
}

// Trace returns the kept records with Seq > after (0: all kept records).
func (c *Cluster) Trace(after uint64) []Record { return c.trace.since(after) }

// TraceDigest is the number of records so far and the FNV-1a hash of their
// String() lines (Options.DigestTrace must be on).
func (c *Cluster) TraceDigest() (count uint64, hash uint64) {
	return c.trace.nextSeq, c.trace.hash
}

// violate records the first invariant violation and stops the run.
func (c *Cluster) violate(err *InvariantError) {
	if c.err != nil {
		return
	}
	err.Time, err.Seed = c.now, c.opts.Seed
	c.err = err
	c.record(Record{Kind: RecViolation, Detail: err.Error()})
}
