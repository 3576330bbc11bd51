package server

// Cheap read-only accessors for a driver that asks after every Ready (the
// daemon's loop), where Status, which copies the lease and member lists,
// would cost too much.

import "github.com/etcdlab/etcdlab/core/raft"

// AppliedIndex is the consistent index: the last entry in the backend.
func (m *Member) AppliedIndex() uint64 { return m.applied }

// CommittedIndex is the commit index as of the latest Ready.
func (m *Member) CommittedIndex() uint64 { return m.committed }

// Role, Lead and Term are the Raft state as of the latest Ready.
func (m *Member) Role() raft.Role   { return m.role }
func (m *Member) Lead() raft.NodeID { return m.lead }
func (m *Member) Term() uint64      { return m.term }

// ClusterID is the cluster's ID, 0 until the member learned it.
func (m *Member) ClusterID() uint64 { return m.cluster.id }

// Removed reports that the membership no longer lists this member.
func (m *Member) Removed() bool {
	_, listed := m.cluster.get(m.id)
	return !listed && m.cluster.id != 0
}

// ActiveAlarms are the raised alarms, by member then type.
func (m *Member) ActiveAlarms() []AlarmMember { return m.alarms.get(AlarmNone) }
