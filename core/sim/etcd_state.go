package sim

// The etcd view of a node (etcd mode): what etcdctl's `endpoint status`,
// `get --prefix ""`, `lease list` and `alarm list` would show, plus the
// page map of the backend file for the visualizer. Raft's view — status,
// log, snapshot — is filled in as in the default mode, from the member's
// Raft node. The maintenance calls that are local to one member (etcd:
// HashKV and Defragment are not replicated) act here, at once.

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// EtcdState is one member's etcd state. While the node is down only the
// backend's sizes and pages are known (the file survives a crash).
type EtcdState struct {
	ClusterID uint64
	// Revision is the key space's current revision; CompactRevision the
	// last compaction (-1: never).
	Revision, CompactRevision int64
	// AppliedIndex is the consistent index: the last entry in the backend.
	AppliedIndex uint64
	// Keys are the live keys, sorted, with their revisions and versions.
	Keys []mvcc.KeyValue
	// History is every change the key index still holds, key by key in
	// key order — deleted keys whose tombstone is not compacted away
	// included (mvcc.Store.Histories; for the visualizer's revision axis).
	History []mvcc.KeyHistory
	Leases  []LeaseState
	Alarms  []server.AlarmMember
	Members []server.MemberInfo
	// DBSize is the backend file's size, DBSizeInUse what is not free
	// (etcd: endpoint status dbSize / dbSizeInUse); Pages the page map.
	DBSize, DBSizeInUse int64
	Pages               []backend.PageInfo
}

// LeaseState is one lease as this member's lessor holds it.
type LeaseState struct {
	ID         lease.LeaseID
	TTLSeconds int64 // granted
	// RemainingSeconds is the time left, truncated as etcd's TimeToLive
	// does; -1 on a member that does not count leases down (a follower).
	RemainingSeconds int64
	Keys             []string
}

// memberState fills ns from p's member (etcd mode's nodeState).
func (c *Cluster) memberState(p *process, ns *NodeState) {
	if p.disk.snapshot != nil {
		ns.Snapshot = p.disk.snapshot.Meta
	}
	if !p.up {
		if p.backend != nil {
			ns.Etcd = &EtcdState{DBSize: p.backend.Size(), DBSizeInUse: p.backend.SizeInUse(), Pages: pagesOf(p.backend)}
		}
		return
	}
	m := p.member
	ns.Status, ns.Log = m.RaftStatus(), m.RaftLog()
	if s := m.RaftSnapshot(); s != nil {
		ns.Snapshot = s.Meta
	}
	st := m.Status()
	all, err := m.Store().Range(mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	if err != nil {
		panic(fmt.Sprintf("sim.Cluster.memberState: %s cannot read its key space: %v", Name(p.id), err))
	}
	for _, kv := range all.Kvs {
		ns.Data = append(ns.Data, KeyValue{Key: string(kv.Key), Value: string(kv.Value)})
	}
	ns.Etcd = &EtcdState{
		ClusterID: st.ClusterID, Revision: st.Revision, CompactRevision: st.CompactRevision,
		AppliedIndex: st.AppliedIndex, Keys: all.Kvs, History: m.Store().Histories([]byte{0}, []byte{0}),
		Leases: leaseStates(m, st.Leases),
		Alarms: st.Alarms, Members: st.Members,
		DBSize: st.DBSize, DBSizeInUse: st.DBSizeInUse, Pages: pagesOf(m.Backend()),
	}
}

// leaseStates reads each lease from m's lessor.
func leaseStates(m *server.Member, ids []lease.LeaseID) []LeaseState {
	var out []LeaseState
	for _, id := range ids {
		ls, ok := m.Lessor().Lookup(id)
		if !ok {
			continue
		}
		left := int64(-1)
		if ls.Expiry != lease.Never {
			left = max(0, int64((ls.Expiry-m.Now())/time.Second))
		}
		out = append(out, LeaseState{ID: id, TTLSeconds: ls.TTLSeconds, RemainingSeconds: left, Keys: ls.Keys})
	}
	return out
}

// pagesOf is the page map of b, if b models one (backend.Memory).
func pagesOf(b backend.Backend) []backend.PageInfo {
	if mem, ok := b.(*backend.Memory); ok {
		return mem.Pages()
	}
	return nil
}

// memberProc is the running etcd member id, or an error saying why not.
func (c *Cluster) memberProc(id raft.NodeID) (*process, error) {
	if c.opts.Etcd == nil {
		return nil, errNeedEtcdMode
	}
	return c.upProc(id)
}

// HashKV hashes member id's key-space history up to rev (0: all), for
// comparing members (etcd: Maintenance.HashKV).
func (c *Cluster) HashKV(id raft.NodeID, rev int64) (hash uint32, compactRev, currentRev int64, err error) {
	p, err := c.memberProc(id)
	if err != nil {
		return 0, 0, 0, err
	}
	hash, compactRev, currentRev, err = p.member.HashKV(rev)
	if err != nil {
		err = fmt.Errorf("%s", EtcdError(err))
	}
	return hash, compactRev, currentRev, err
}

// Defrag defragments member id's backend now (etcd: Maintenance.Defragment,
// one member at a time).
func (c *Cluster) Defrag(id raft.NodeID) error {
	p, err := c.memberProc(id)
	if err != nil {
		return err
	}
	if err := p.member.Defrag(); err != nil {
		return err
	}
	c.drive(p)
	return c.err
}
