package server

// Leases at the server layer: how the lessor (core/lease) is wired into the
// member. Grant, revoke and checkpoint are log entries applied on every
// member; the countdown runs only on the leader, whose lessor is the
// primary:
//
//	leader applies its no-op (Raft §8)  -> lessor.Promote(election timeout)   (etcd: applyEntryNormal)
//	member stops leading                -> lessor.Demote()
//	every 500 ms on the leader          -> ExpiredLeases -> propose LeaseRevoke for each
//	                                       Checkpoints   -> propose a checkpoint batch
//	LeaseKeepAlive, LeaseTimeToLive     -> the leader's lessor, at once or held
//
// Revoking a lease deletes its keys in ONE revision: the lessor hands its
// sorted keys to a KeyDeleter, which runs one mvcc txn of deletes. A txn
// holds at most core.MaxTxnOps operations per level, so more keys go into
// nested txns (deleteOps) — still one revision.
//
// Durability: bucket "lease" holds ID -> {TTL, remaining TTL}, written in
// the entry's commit; on open the lessor is rebuilt from it and mvcc
// re-attaches the keys (state.go).

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

const leaseBucket = "lease"

// leaseRecord is one lease in bucket "lease" (etcd: leasepb.Lease).
type leaseRecord struct {
	TTLSeconds          int64 `cbor:"1,keyasint"`
	RemainingTTLSeconds int64 `cbor:"2,keyasint,omitempty"`
}

func saveLease(tx backend.WriteTx, id lease.LeaseID, rec leaseRecord) {
	data, err := encoding.Marshal(rec)
	if err != nil {
		panic("server.saveLease: " + err.Error())
	}
	mustWrite(tx.Put(leaseBucket, idKey(uint64(id)), data))
}

// loadLeases grants every persisted lease again on a fresh lessor.
func loadLeases(tx backend.ReadTx, l *lease.Lessor, now time.Duration) {
	tx.ForEach(leaseBucket, func(k, v []byte) error {
		var rec leaseRecord
		if err := cbor.Unmarshal(v, &rec); err != nil {
			panic("server.loadLeases: corrupt lease record: " + err.Error())
		}
		id := lease.LeaseID(binary.BigEndian.Uint64(k))
		if _, _, err := l.Grant(id, rec.TTLSeconds, now); err != nil {
			panic(fmt.Sprintf("server.loadLeases: lease %v: %v", id, err))
		}
		if rec.RemainingTTLSeconds > 0 {
			_ = l.Checkpoint(id, rec.RemainingTTLSeconds, now)
		}
		return nil
	})
}

// mvccLessor lets the key space check and attach leases (mvcc.Lessor).
type mvccLessor struct{ l *lease.Lessor }

func (a mvccLessor) Exists(id int64) bool {
	_, ok := a.l.Lookup(lease.LeaseID(id))
	return ok
}

// Attach: a key of a missing lease (it cannot happen: mvcc checks Exists
// first, and a revoke deletes the keys in the same commit) is ignored.
func (a mvccLessor) Attach(id int64, key []byte) {
	_ = a.l.Attach(lease.LeaseID(id), []string{string(key)})
}

func (a mvccLessor) Detach(id int64, key []byte) {
	_ = a.l.Detach(lease.LeaseID(id), []string{string(key)})
}

func (a mvccLessor) LeaseOf(key []byte) int64 { return int64(a.l.GetLease(string(key))) }

// keyDeleter deletes a revoked lease's keys in one revision
// (lease.KeyDeleter; etcd: lease.TxnDelete).
type keyDeleter struct{ s *mvcc.Store }

func (d keyDeleter) DeleteKeys(keys []string) {
	if _, err := d.s.Txn(mvcc.TxnRequest{Success: deleteOps(keys, core.MaxTxnOps)}); err != nil {
		panic("server.keyDeleter.DeleteKeys: " + err.Error())
	}
}

// deleteOps returns one delete per key, within budget operations per txn
// level: if the keys do not fit, half the budget goes to nested txns, each
// taking a share of the keys with the budget that is left (mvcc's rule:
// a nested txn gets its parent's budget minus the parent's ops).
func deleteOps(keys []string, budget int) []mvcc.Op {
	if len(keys) <= budget {
		ops := make([]mvcc.Op, len(keys))
		for i, k := range keys {
			ops[i] = mvcc.Op{DeleteRange: &mvcc.DeleteRangeRequest{Key: []byte(k)}}
		}
		return ops
	}
	if budget < 2 {
		panic("server.deleteOps: budget exhausted")
	}
	children := budget / 2
	per := (len(keys) + children - 1) / children
	var ops []mvcc.Op
	for start := 0; start < len(keys); start += per {
		end := min(start+per, len(keys))
		ops = append(ops, mvcc.Op{Txn: &mvcc.TxnRequest{Success: deleteOps(keys[start:end], budget-children)}})
	}
	return ops
}

// applyLeaseGrant grants a lease on every member (etcd: applierV3.LeaseGrant).
func (m *Member) applyLeaseGrant(tx backend.WriteTx, r LeaseGrantRequest) Response {
	if m.alarms.has(AlarmNoSpace) {
		return Response{Err: ErrNoSpace}
	}
	fits := m.quotaAvailable(core.QuotaLeaseOverheadBytes)
	id, ttl, err := m.lessor.Grant(r.ID, r.TTLSeconds, m.now)
	if err != nil {
		return Response{Err: err}
	}
	saveLease(tx, id, leaseRecord{TTLSeconds: ttl})
	m.emit(Event{Kind: EvLeaseGranted, Lease: id, Reason: fmt.Sprintf("ttl=%ds", ttl)})
	if !fits {
		return Response{Err: ErrNoSpace}
	}
	return Response{LeaseGrant: &LeaseGrantResponse{ID: id, TTLSeconds: ttl}}
}

// applyLeaseRevoke revokes a lease and deletes its keys in one revision.
func (m *Member) applyLeaseRevoke(tx backend.WriteTx, r LeaseRevokeRequest) Response {
	keys, err := m.lessor.Revoke(r.ID, keyDeleter{m.store})
	if err != nil {
		return Response{Err: err}
	}
	mustWrite(tx.Delete(leaseBucket, idKey(uint64(r.ID))))
	m.emit(Event{Kind: EvLeaseRevoked, Lease: r.ID, Keys: len(keys), Revision: m.store.Rev()})
	return Response{LeaseRevoke: &LeaseRevokeResponse{}}
}

// applyLeaseCheckpoint records remaining TTLs on every member.
func (m *Member) applyLeaseCheckpoint(tx backend.WriteTx, r leaseCheckpointRequest) Response {
	for _, cp := range r.Checkpoints {
		if err := m.lessor.Checkpoint(cp.ID, cp.RemainingTTLSeconds, m.now); err != nil {
			return Response{Err: err}
		}
		if st, ok := m.lessor.Lookup(cp.ID); ok {
			saveLease(tx, cp.ID, leaseRecord{TTLSeconds: st.TTLSeconds, RemainingTTLSeconds: st.RemainingTTLSeconds})
		}
	}
	return Response{}
}

// promoteLessor makes the lessor primary once the leader applies the
// no-op of its term: every lease it applied is then in its table (etcd:
// "promote lessor when the local member is leader and finished applying
// all entries from the last term"). Leases are extended by one election
// timeout, so the leaderless time never expires a lease early.
func (m *Member) promoteLessor() {
	if m.role != raft.Leader || m.lessor.IsPrimary() {
		return
	}
	m.lessor.Promote(m.cfg.electionTimeout(), m.now)
	m.nextLeasePoll = m.now
}

// leaseDuties runs the primary's loop every core.LeaseLoopIntervalMillis:
// propose revokes of expired leases and checkpoint batches.
func (m *Member) leaseDuties() {
	if m.role != raft.Leader || !m.lessor.IsPrimary() || m.now < m.nextLeasePoll {
		return
	}
	m.nextLeasePoll = m.now + core.LeaseLoopIntervalMillis*time.Millisecond
	for _, id := range m.lessor.ExpiredLeases(m.now) {
		m.emit(Event{Kind: EvLeaseExpired, Lease: id})
		m.proposeInternal(envelope{LeaseRevoke: &LeaseRevokeRequest{ID: id}}, internalLeaseRevoke)
	}
	for range core.LeaseCheckpointRate / 2 {
		cps := m.lessor.Checkpoints(m.now)
		if len(cps) == 0 {
			break
		}
		m.proposeInternal(envelope{LeaseCheckpoint: &leaseCheckpointRequest{Checkpoints: cps}}, internalCheckpoint)
		if len(cps) < core.MaxLeaseCheckpointBatch {
			break
		}
	}
}

// leaseWait is a keep-alive or time-to-live the leader's lessor cannot
// answer yet: it is not primary yet (the no-op of its term is not applied),
// or the lease expired and its revoke is on its way (etcd blocks both).
type leaseWait struct {
	req      Request
	deadline uint64
}

// submitLeaseQuery answers LeaseKeepAlive and LeaseTimeToLive on the
// leader, or holds them (etcd: EtcdServer.LeaseRenew / LeaseTimeToLive,
// which a follower forwards to the leader; the daemon does that here).
func (m *Member) submitLeaseQuery(r Request) {
	switch {
	case m.lead == raft.None:
		m.fail(r, ErrNoLeader)
	case m.role != raft.Leader:
		m.fail(r, ErrNotLeader)
	case !m.tryLeaseQuery(r):
		m.busy[r.ID] = true
		m.leaseWaits = append(m.leaseWaits, &leaseWait{req: r, deadline: m.ticks + m.cfg.requestTimeoutTicks()})
	}
}

// tryLeaseQuery answers r if the lessor can; it reports whether it did.
func (m *Member) tryLeaseQuery(r Request) bool {
	var resp Response
	var err error
	if q := r.LeaseKeepAlive; q != nil {
		var ttl int64
		ttl, err = m.lessor.Renew(q.ID, m.now)
		resp.LeaseKeepAlive = &LeaseKeepAliveResponse{ID: q.ID, TTLSeconds: ttl}
	} else {
		q := r.LeaseTimeToLive
		var t lease.TimeToLive
		t, err = m.lessor.TimeToLive(q.ID, q.Keys, m.now)
		resp.LeaseTimeToLive = &t
	}
	if errors.Is(err, lease.ErrNotPrimary) || errors.Is(err, lease.ErrLeaseExpired) {
		return false
	}
	if err != nil {
		resp = Response{Err: err}
	}
	resp.ID = r.ID
	m.respond(resp)
	return true
}

// retryLeaseWaits retries the held lease queries: answered, timed out, or
// refused because this member no longer leads.
func (m *Member) retryLeaseWaits() {
	kept := m.leaseWaits[:0]
	for _, w := range m.leaseWaits {
		switch {
		case m.role != raft.Leader:
			m.fail(w.req, ErrNotLeader)
		case m.tryLeaseQuery(w.req):
		case m.ticks >= w.deadline:
			m.fail(w.req, ErrTimeout)
		default:
			kept = append(kept, w)
		}
	}
	m.leaseWaits = kept
}
