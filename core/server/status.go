package server

// A read-only picture of the member for tests, the visualizer, the
// debugger and the daemon's Status and HashKV calls, and the maintenance
// operations that are local to one member (etcd: Maintenance.Defragment
// and HashKV are not replicated).

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Status is the member's state. Slices are copies.
type Status struct {
	ID        raft.NodeID
	Name      string
	ClusterID uint64
	Role      raft.Role
	Lead      raft.NodeID
	Term      uint64
	// AppliedIndex is the consistent index: the last entry in the backend.
	AppliedIndex  uint64
	SnapshotIndex uint64
	Revision      int64
	// CompactRevision is -1 if the key space was never compacted.
	CompactRevision int64
	DBSize          int64
	DBSizeInUse     int64
	Leases          []lease.LeaseID
	Alarms          []AlarmMember
	Members         []MemberInfo
	// Removed reports that the membership no longer lists this member.
	Removed bool
	Now     time.Duration
}

// Status returns the member's state.
func (m *Member) Status() Status {
	_, listed := m.cluster.get(m.id)
	return Status{
		ID: m.id, Name: m.cfg.Name, ClusterID: m.cluster.id,
		Role: m.role, Lead: m.lead, Term: m.term,
		AppliedIndex: m.applied, SnapshotIndex: m.snapIndex,
		Revision: m.store.Rev(), CompactRevision: m.store.CompactRev(),
		DBSize: m.be.Size(), DBSizeInUse: m.be.SizeInUse(),
		Leases: m.lessor.Leases(), Alarms: m.alarms.get(AlarmNone), Members: m.cluster.list(),
		Removed: !listed && m.cluster.id != 0, Now: m.now,
	}
}

// RaftStatus returns the Raft node's full state.
func (m *Member) RaftStatus() raft.Status { return m.node.Status() }

// Store is the key space, for reading (writes go through Submit).
func (m *Member) Store() *mvcc.Store { return m.store }

// Lessor is the lease table, for reading.
func (m *Member) Lessor() *lease.Lessor { return m.lessor }

// Backend is the member's current backend; a snapshot install replaces it,
// so a caller that keeps the backend across restarts takes it from here.
func (m *Member) Backend() backend.Backend { return m.be.Backend }

// HashKV hashes the key space's history up to rev (0: all), for comparing
// members (etcd: Maintenance.HashKV).
func (m *Member) HashKV(rev int64) (hash uint32, compactRev, currentRev int64, err error) {
	return m.store.HashKV(rev)
}

// Defrag rewrites this member's backend compactly, so its file size drops
// to about what is in use (etcd: Maintenance.Defragment; not replicated,
// run it on every member).
func (m *Member) Defrag() error {
	m.CommitBackend()
	before := m.be.Size()
	if err := m.be.Defrag(); err != nil {
		return fmt.Errorf("server: defragment: %w", err)
	}
	m.emit(Event{Kind: EvDefragmented, Reason: fmt.Sprintf("%d -> %d bytes", before, m.be.Size())})
	return nil
}
