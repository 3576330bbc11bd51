package sim

// Options: everything that shapes a simulated cluster, fixed when it is
// built. The zero value of a field means its default (etcd's where etcd has
// one, core/limits.go), so Options{Nodes: 3, Seed: 7} is a complete
// description, and the same Options give the same run, event for event.

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// DefaultTickInterval is the virtual time of one tick. etcd:
// --heartbeat-interval=100ms, and one tick is one heartbeat interval.
const DefaultTickInterval = 100 * time.Millisecond

// DefaultRequestTimeout is how long a client waits for its request. etcd:
// the request timeout is 5s plus twice the election timeout; the simulator
// keeps the round 5s.
const DefaultRequestTimeout = 5 * time.Second

// Options describes a cluster to simulate.
type Options struct {
	// Nodes is the number of voters, 1..core.MaxClusterSize. They are n1..nN.
	Nodes int
	// Learners are added to the initial membership as non-voting members,
	// after the voters: Nodes=3, Learners=1 makes n4 a learner.
	Learners int
	// Seed fixes every random draw of the run.
	Seed uint64

	// ElectionTicks and HeartbeatTicks tune Raft (zero: etcd's defaults).
	ElectionTicks  int
	HeartbeatTicks int
	// TickInterval is the virtual time between two ticks of a node whose
	// clock does not drift.
	TickInterval time.Duration
	// DisablePreVote and DisableCheckQuorum switch those Raft extensions off.
	DisablePreVote     bool
	DisableCheckQuorum bool

	// SnapshotCount is how many applied entries trigger a state snapshot.
	// etcd: --snapshot-count.
	SnapshotCount uint64
	// CatchUpEntries is how many entries a node keeps behind its snapshot
	// when it compacts. etcd: SnapshotCatchUpEntries.
	CatchUpEntries uint64
	// SnapshotChunkBytes is the size of one InstallSnapshot chunk, and
	// MaxInflightMsgs bounds the appends in flight to one follower; zero
	// means etcdlab's defaults (core/limits.go). Small values make the
	// chunked snapshot stream and the flow-control window visible.
	SnapshotChunkBytes int
	MaxInflightMsgs    int

	// Network is the model every link starts with.
	Network LinkModel

	// RequestTimeout bounds how long a client request may wait.
	RequestTimeout time.Duration

	// CheckInvariants runs every safety check after every event (tests do).
	CheckInvariants bool
	// TraceLimit bounds the trace records kept in memory; older records are
	// discarded (the digest still covers them). Zero keeps everything.
	TraceLimit int
	// DigestTrace keeps a running hash of every trace record's String(), so
	// that two runs can be compared by a single line (scenario goldens).
	DigestTrace bool

	// NewApplication builds the state machine of each node; nil means the
	// simulator's own key-value map (NewKV).
	NewApplication func() Application

	// Etcd, if set, runs etcd mode: every process is a server.Member
	// (core/server) instead of a Raft node with an Application
	// (etcd_member.go). Nil keeps the simple key-value application.
	Etcd *EtcdOptions
}

// LinkModel is how one direction of a link behaves.
type LinkModel struct {
	// MinLatency..MaxLatency is the uniform range of one message's delay.
	MinLatency, MaxLatency time.Duration
	// Loss is the probability that a message is lost, Duplicate that it is
	// delivered twice, Reorder that it is held back by an extra delay of up
	// to MaxLatency so that later messages overtake it.
	Loss, Duplicate, Reorder float64
}

// DefaultLinkModel: a LAN of 1–5ms, reliable.
var DefaultLinkModel = LinkModel{MinLatency: time.Millisecond, MaxLatency: 5 * time.Millisecond}

// validate returns an error a user can act on.
func (m LinkModel) validate() error {
	switch {
	case m.MinLatency < 0 || m.MaxLatency < m.MinLatency:
		return fmt.Errorf("sim: latency range %v..%v is empty or negative", m.MinLatency, m.MaxLatency)
	case m.Loss < 0 || m.Loss > 1, m.Duplicate < 0 || m.Duplicate > 1, m.Reorder < 0 || m.Reorder > 1:
		return fmt.Errorf("sim: loss=%v dup=%v reorder=%v: probabilities must be in [0,1]", m.Loss, m.Duplicate, m.Reorder)
	}
	return nil
}

// withDefaults fills every zero field.
func (o Options) withDefaults() Options {
	if o.ElectionTicks == 0 {
		o.ElectionTicks = core.DefaultElectionTicks
	}
	if o.HeartbeatTicks == 0 {
		o.HeartbeatTicks = core.DefaultHeartbeatTicks
	}
	if o.TickInterval == 0 {
		o.TickInterval = DefaultTickInterval
	}
	if o.SnapshotCount == 0 {
		o.SnapshotCount = core.DefaultSnapshotCount
	}
	if o.CatchUpEntries == 0 {
		o.CatchUpEntries = core.DefaultSnapshotCatchUpEntries
	}
	if o.Network == (LinkModel{}) {
		o.Network = DefaultLinkModel
	}
	if o.RequestTimeout == 0 {
		o.RequestTimeout = DefaultRequestTimeout
	}
	if o.NewApplication == nil && o.Etcd == nil {
		o.NewApplication = func() Application { return NewKV() }
	}
	return o
}

// validate returns an error a user can act on for options that cannot run.
func (o Options) validate() error {
	switch {
	case o.Nodes < 1:
		return fmt.Errorf("sim: a cluster needs at least 1 voter, got %d", o.Nodes)
	case o.Learners < 0 || o.Nodes+o.Learners > core.MaxClusterSize:
		return fmt.Errorf("sim: %d voters + %d learners: at most %d nodes (core.MaxClusterSize)", o.Nodes, o.Learners, core.MaxClusterSize)
	case o.HeartbeatTicks >= o.ElectionTicks:
		return fmt.Errorf("sim: heartbeat (%d ticks) must be shorter than the election timeout (%d ticks)", o.HeartbeatTicks, o.ElectionTicks)
	case o.TickInterval <= 0:
		return fmt.Errorf("sim: tick interval must be positive, got %v", o.TickInterval)
	}
	if o.Etcd != nil {
		if err := o.validateEtcd(); err != nil {
			return err
		}
	}
	return o.Network.validate()
}
