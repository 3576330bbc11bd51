package server

// The Member: one etcd member as a pure state machine. It owns the Raft
// node, the key space (mvcc.Store on the backend handed in), the lessor,
// the membership and the alarms, and is driven from outside — by the
// simulator in memory, by the daemon on disk and network — exactly as a
// raft.Node is:
//
//	Tick()            one tick of logical time (timeouts, leases, compaction, watchers)
//	Step(msg)         a Raft message from a peer
//	Submit(req)       a client request
//	HasReady/Ready    the work to carry out (see Ready for the order)
//	Advance(rd)       the caller persisted and sent rd: apply, answer
//
// Interface of the other files: submit.go (admitting requests), read.go
// (linearizable and serializable reads), wait.go (waiters and their
// timeouts), ready.go (the Ready/Advance contract), apply.go (applying
// entries), leases.go, quota.go and alarm.go, membership.go, compactor.go
// (auto-compaction), snapshot.go (log retention), batch.go (one entry, one
// backend commit), watch.go, status.go, event.go.

import (
	"fmt"
	"slices"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Member is one member of an etcd cluster. Not safe for concurrent use:
// the caller drives it from one loop.
type Member struct {
	cfg       Config
	id        raft.NodeID
	node      *raft.Node
	leaseRand *rng.Source // lease IDs; survives a snapshot install

	// The state the log builds, all kept in the backend (rebuilt by open).
	be        *batchBackend
	store     *mvcc.Store
	lessor    *lease.Lessor
	cluster   *cluster
	alarms    *alarmStore
	compactor *autoCompactor // nil: auto-compaction off
	auth      authState      // read from the backend on first use (auth.go)

	// Logical time: ticks since start, and the clock they make.
	ticks uint64
	now   time.Duration

	// What the member knows of Raft, from the Ready batches.
	role      raft.Role
	lead      raft.NodeID
	term      uint64
	committed uint64
	// applied is the last entry applied to the backend — the consistent
	// index: entries at or below it are never applied again.
	applied   uint64
	snapIndex uint64 // the latest state snapshot
	// With BatchApply: entries applied into the open backend transaction
	// since its begin, and the logical time of the last backend commit.
	unflushed   int
	lastFlushed time.Duration

	// Requests waiting for an answer (wait.go, read.go, leases.go).
	waits      map[waitKey]*waiter
	reads      []*readWait
	leaseWaits []*leaseWait
	busy       map[uint64]bool // client request IDs waiting anywhere
	// seq numbers internal proposals and read contexts. It starts at a
	// random point so that a restarted member does not reuse the IDs of
	// its earlier life, whose proposals may still commit.
	seq uint64

	nextLeasePoll  time.Duration
	raisingNoSpace bool // a NOSPACE alarm of ours is on its way through Raft
	streams        []*mvcc.Stream

	// Output for the next Ready.
	responses    []Response
	events       []Event
	createdSnap  *raft.Snapshot
	compactIndex uint64
}

// New returns a member for cfg: brand new (cfg.InitialCluster, or joining
// with neither), or restarting from cfg's persisted Raft state and backend.
func New(cfg Config) (*Member, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	compactor, _ := newAutoCompactor(cfg.AutoCompactionMode, cfg.AutoCompactionRetention)
	m := &Member{
		cfg: cfg, id: cfg.ID, leaseRand: cfg.Rand.Split(), compactor: compactor,
		waits: map[waitKey]*waiter{}, busy: map[uint64]bool{},
	}
	m.seq = m.leaseRand.Uint64() >> 1
	if err := m.open(cfg.Backend); err != nil {
		return nil, err
	}
	if err := m.catchUpSnapshot(cfg.Snapshot); err != nil {
		return nil, err
	}
	bootstrap, err := bootstrapChanges(cfg)
	if err != nil {
		return nil, err
	}
	var applied uint64
	if !cfg.Snapshot.IsEmpty() {
		applied = cfg.Snapshot.Meta.Index
		m.snapIndex = applied
	}
	snap := cfg.Snapshot
	if cfg.ThinSnapshots {
		// Raft keeps only the metadata of a full snapshot read from disk.
		if snap, err = thinned(snap); err != nil {
			return nil, err
		}
		m.cfg.Snapshot = snap
	}
	m.node, err = raft.New(raft.Config{
		ID: cfg.ID, ElectionTicks: cfg.ElectionTicks, HeartbeatTicks: cfg.HeartbeatTicks,
		Rand: cfg.Rand, DisablePreVote: cfg.DisablePreVote, DisableCheckQuorum: cfg.DisableCheckQuorum,
		Bootstrap: bootstrap, HardState: cfg.HardState, Snapshot: snap,
		Entries: cfg.Entries, Applied: applied,
	})
	if err != nil {
		return nil, fmt.Errorf("server: %w", err)
	}
	if cfg.ThinSnapshots {
		m.node.EnableThinSnapshots()
	}
	st := m.node.Status()
	m.role, m.term, m.committed = st.Role, st.HardState.Term, st.HardState.Commit
	return m, nil
}

// catchUpSnapshot restores the backend from the persisted snapshot when the
// backend is behind it: the member crashed after persisting a snapshot from
// the leader and before installing it. A thin snapshot holds no backend:
// the member committed its backend before taking it, so a backend behind
// it has lost writes, and nothing here can restore them.
func (m *Member) catchUpSnapshot(s *raft.Snapshot) error {
	if s.IsEmpty() || m.applied >= s.Meta.Index {
		return nil
	}
	if IsThinSnapshot(s.Data) {
		return fmt.Errorf("server: the backend is at consistent index %d, behind the thin snapshot at index %d that was taken after committing it; the backend file was replaced or lost writes: restore the member from a backup (etcdlab snapshot restore) or remove it and add it again", m.applied, s.Meta.Index)
	}
	return m.installSnapshot(*s)
}

// bootstrapChanges turns the initial cluster into Raft's bootstrap
// membership: one change per member, each carrying the member's
// attributes and the cluster ID.
func bootstrapChanges(cfg Config) ([]raft.ConfChange, error) {
	members := slices.Clone(cfg.InitialCluster)
	slices.SortFunc(members, func(a, b MemberInfo) int { return cmpID(a.ID, b.ID) })
	ids := make([]raft.NodeID, len(members))
	for i, mb := range members {
		ids[i] = mb.ID
	}
	clusterID := ClusterID(ids)
	var out []raft.ConfChange
	for _, mb := range members {
		typ := raft.AddVoter
		if mb.IsLearner {
			typ = raft.AddLearner
		}
		ctx, err := encode(confContext{Member: mb, ClusterID: clusterID})
		if err != nil {
			return nil, fmt.Errorf("server: config: member %x: %w", uint64(mb.ID), err)
		}
		out = append(out, raft.ConfChange{Type: typ, Node: mb.ID, Context: ctx})
	}
	return out, nil
}

// Tick advances logical time by one tick.
func (m *Member) Tick() {
	m.ticks++
	m.now += m.cfg.tick()
	m.node.Tick()
	if m.now-m.lastFlushed >= core.BackendBatchIntervalMillis*time.Millisecond {
		m.CommitBackend()
	}
	m.expireWaits()
	m.retryLeaseWaits()
	m.autoCompact()
	m.leaseDuties()
	m.store.SyncWatchers()
}

// Step delivers a Raft message from a peer.
func (m *Member) Step(msg raft.Message) error { return m.node.Step(msg) }

// Campaign starts an election now (for operators and tests).
func (m *Member) Campaign() error { return m.node.Campaign() }

// TransferLeader asks the leader to hand leadership to `to`.
func (m *Member) TransferLeader(to raft.NodeID) { m.node.TransferLeader(to) }

// ReportUnreachable tells Raft the transport failed to reach id.
func (m *Member) ReportUnreachable(id raft.NodeID) { m.node.ReportUnreachable(id) }

// ID is this member's ID.
func (m *Member) ID() raft.NodeID { return m.id }

// Now is the member's logical clock: ticks × tick length.
func (m *Member) Now() time.Duration { return m.now }

// header is the ResponseHeader as of now.
func (m *Member) header() ResponseHeader {
	return ResponseHeader{ClusterID: m.cluster.id, MemberID: uint64(m.id), Revision: m.store.Rev(), RaftTerm: m.term}
}

// respond queues a response for the next Ready.
func (m *Member) respond(r Response) {
	if r.Header == (ResponseHeader{}) {
		r.Header = m.header()
	}
	delete(m.busy, r.ID)
	m.responses = append(m.responses, r)
}

// fail answers request r with err.
func (m *Member) fail(r Request, err error) { m.respond(Response{ID: r.ID, Err: err}) }
