package sim

// Etcd mode: every simulated process runs the real etcd state machine, a
// server.Member (core/server), in place of a bare Raft node with the
// simulator's key-value application. The member owns its Raft node, its key
// space (mvcc on a backend.Memory that models bbolt's paged file), its
// leases, alarms and membership; the simulator drives it exactly as it
// drives a Raft node — Tick per tick of the process's clock, Step per
// delivered message, Submit per client request — and carries out its Ready
// batches (etcd_ready.go).
//
// What a crash keeps, in etcd mode:
//
//	disk (disk.go)         Raft's hard state, entries and snapshots — etcd's WAL and snap/
//	backend (bbolt model)  every entry applied so far, each in its own commit
//	                       with its index (the consistent index) — etcd's db file
//	lost                   the Member: Raft in memory, the lessor's countdown,
//	                       waiting requests, watch streams
//
// A restart builds a new Member from both. Raft re-delivers the committed
// entries after the snapshot; the member skips the ones its backend already
// holds (etcd: the consistent index).
//
// Members are named n1..nN as in the default mode: a member's etcd ID is
// its node number (server.MemberInfo.ID), its peer URL http://nX:2380.

import (
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// EtcdOptions tunes the members of etcd mode; the zero value is etcd's
// defaults (server.Config). Options.SnapshotCount and CatchUpEntries become
// the members' --snapshot-count and SnapshotCatchUpEntries.
type EtcdOptions struct {
	// QuotaBackendBytes is --quota-backend-bytes (0: 2 GiB; negative: none).
	QuotaBackendBytes int64
	// AutoCompactionMode ("periodic" or "revision") and
	// AutoCompactionRetention are etcd's flags of the same names.
	AutoCompactionMode      string
	AutoCompactionRetention string
	// EnableLeaseCheckpoint is --experimental-enable-lease-checkpoint.
	EnableLeaseCheckpoint bool
}

// ClusterToken is the --initial-cluster-token of simulated etcd clusters.
const ClusterToken = "etcdlab-sim"

// errRaftCompactInEtcdMode: in etcd mode the member owns log retention.
var errRaftCompactInEtcdMode = errors.New("in etcd mode the member compacts its own Raft log (snapshot-count=, catch-up=); use `snapshot NODE`, or `compact REV` for the key space")

// validateEtcd refuses options that etcd mode cannot honour.
func (o Options) validateEtcd() error {
	switch {
	case o.NewApplication != nil:
		return errors.New("sim: etcd mode runs server.Member; it takes no NewApplication")
	case o.SnapshotChunkBytes != 0 || o.MaxInflightMsgs != 0:
		return errors.New("sim: snapshot-chunk= and max-inflight= are not available in etcd mode (server.Config uses etcdlab's defaults)")
	case o.TickInterval%time.Millisecond != 0:
		return fmt.Errorf("sim: etcd mode needs a tick of whole milliseconds, got %v", o.TickInterval)
	}
	return nil
}

// memberInfo is node id as an etcd member.
func memberInfo(id raft.NodeID, learner bool) server.MemberInfo {
	return server.MemberInfo{
		ID: id, Name: Name(id), IsLearner: learner,
		PeerURLs:   []string{fmt.Sprintf("http://%s:2380", Name(id))},
		ClientURLs: []string{fmt.Sprintf("http://%s:2379", Name(id))},
	}
}

// initialCluster is the --initial-cluster of a bootstrap process: every
// member of the initial membership. A process that joined later (no
// bootstrap) gets none and learns the membership from the leader.
func initialCluster(boot []raft.ConfChange) []server.MemberInfo {
	var out []server.MemberInfo
	for _, cc := range boot {
		out = append(out, memberInfo(cc.Node, cc.Type == raft.AddLearner))
	}
	return out
}

// startMember boots p as an etcd member from its disk and backend (etcd
// mode's start): brand new with the initial cluster if nothing was ever
// persisted, else restarting from what was.
func (c *Cluster) startMember(p *process) error {
	if p.backend == nil {
		p.backend = backend.NewMemory()
	}
	cfg := c.memberConfig(p)
	m, err := server.New(cfg)
	if err != nil {
		return fmt.Errorf("sim: start %s: %w", Name(p.id), err)
	}
	p.member, p.up = m, true
	p.backend = m.Backend()
	p.incarnation++
	st := m.RaftStatus()
	p.applied, p.snapIndex = m.AppliedIndex(), st.Snapshot.Index
	p.commit, p.term = p.disk.hardState.Commit, p.disk.hardState.Term
	p.role, p.lead, p.conf = st.Role, raft.None, st.Conf
	p.pending = map[uint64]*Request{}
	p.reads = nil
	phase := time.Duration(c.phase.Intn(int(c.period(p)/time.Microsecond)+1)) * time.Microsecond
	p.tick = c.queue.schedule(&item{at: c.now + phase, kind: EvTick, node: p.id, incarnation: p.incarnation})
	c.drive(p)
	return nil
}

// memberConfig is p's server.Config: the cluster's tuning, p's persisted
// Raft state and backend.
func (c *Cluster) memberConfig(p *process) server.Config {
	o, e := c.opts, c.opts.Etcd
	cfg := server.Config{
		ID: p.id, Name: Name(p.id), ClusterToken: ClusterToken,
		Backend: p.backend, Rand: p.rand,
		TickMillis:    int(o.TickInterval / time.Millisecond),
		ElectionTicks: o.ElectionTicks, HeartbeatTicks: o.HeartbeatTicks,
		DisablePreVote: o.DisablePreVote, DisableCheckQuorum: o.DisableCheckQuorum,
		SnapshotCount: o.SnapshotCount, SnapshotCatchUpEntries: o.CatchUpEntries,
		QuotaBackendBytes:  e.QuotaBackendBytes,
		AutoCompactionMode: e.AutoCompactionMode, AutoCompactionRetention: e.AutoCompactionRetention,
		EnableLeaseCheckpoint: e.EnableLeaseCheckpoint,
		HardState:             p.disk.hardState, Entries: p.disk.entriesAfterSnapshot(),
	}
	if p.disk.snapshot != nil {
		cp := *p.disk.snapshot
		cfg.Snapshot = &cp
	}
	if p.disk.hardState.IsEmpty() && p.disk.snapshot == nil && len(p.disk.entries) == 0 {
		cfg.InitialCluster = initialCluster(p.bootstrap) // an empty data dir bootstraps anew
	}
	return cfg
}

// step delivers a message to p's Raft node, whichever mode.
func (p *process) step(m raft.Message) error {
	if p.member != nil {
		return p.member.Step(m)
	}
	return p.node.Step(m)
}

// campaign makes p start an election now.
func (p *process) campaign() error {
	if p.member != nil {
		return p.member.Campaign()
	}
	return p.node.Campaign()
}

// transferLeader asks p (the leader) to hand leadership to id.
func (p *process) transferLeader(id raft.NodeID) {
	if p.member != nil {
		p.member.TransferLeader(id)
		return
	}
	p.node.TransferLeader(id)
}

// raftStatus is Raft's full state of the running p.
func (p *process) raftStatus() raft.Status {
	if p.member != nil {
		return p.member.RaftStatus()
	}
	return p.node.Status()
}
