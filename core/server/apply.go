package server

// Applying committed entries, in log order, on every member (etcd:
// EtcdServer.applyEntries, applyEntryNormal, applyConfChange and the
// applierV3 chain). Each entry is one backend commit (with BatchApply, all
// the entries of one Ready are) that also records the last applied entry's
// index as the consistent index (batch.go), so an entry at or
// below the consistent index is already in the backend and is skipped:
// after a restart Raft re-delivers the entries after the snapshot, and the
// ones the backend holds are not applied twice.
//
//	entry ─ index <= consistent index? ─ skip
//	   ├─ empty normal entry (the leader's no-op) ─> promote the lessor if leading
//	   ├─ normal: decode the envelope ─> NOSPACE cap ─> quota ─> mvcc / lessor / alarms / members
//	   └─ conf change ─> the membership (Raft takes the change itself at Advance)
//	record the consistent index, commit, answer the proposer's waiter

import (
	"errors"
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// errAlreadyCompacted: a compaction at or below the compact revision; an
// auto-compaction counts it as done (etcd does the same).
var errAlreadyCompacted = mvcc.ErrCompacted

// applyEntries applies the committed entries of one Advance, in order.
// With Config.BatchApply they go into one open backend transaction that
// is committed every core.BackendBatchIntervalMillis or
// core.BackendBatchLimit entries (as etcd's batch transaction: the daemon
// then does one bbolt fsync per 100 ms, not one per entry); otherwise each
// entry is its own commit, which the simulator's page map animates. Either
// way the consistent index is in the commit that holds the data it covers
// (batch.go).
func (m *Member) applyEntries(ents []raft.Entry) {
	if !m.cfg.BatchApply {
		for _, e := range ents {
			m.applyEntry(e)
		}
		return
	}
	for _, e := range ents {
		if e.Index <= m.applied {
			continue
		}
		if m.be.tx == nil {
			m.be.begin()
		}
		m.applyInTx(e)
		m.unflushed++
	}
	if m.unflushed >= core.BackendBatchLimit {
		m.CommitBackend()
	}
}

// CommitBackend commits the open backend transaction of BatchApply, if
// any (etcd: backend.ForceCommit). The member calls it every
// core.BackendBatchIntervalMillis of its clock, after
// core.BackendBatchLimit entries, and before anything that reads the
// backend file itself (snapshot, hash, defrag, install); the daemon calls
// it before closing the backend and before hashing it.
func (m *Member) CommitBackend() {
	m.lastFlushed = m.now
	if m.be.tx == nil {
		return
	}
	m.be.commit()
	m.unflushed = 0
}

// applyEntry applies one committed entry in its own backend commit.
func (m *Member) applyEntry(e raft.Entry) {
	if e.Index <= m.applied {
		return // the backend holds it already (consistent index)
	}
	m.be.begin()
	m.applyInTx(e)
	m.be.commit()
}

// applyInTx applies entry e, the next one, in the open backend transaction,
// and records its index there. Its answer waits in m.responses until the
// next Ready: after the commit without BatchApply; with it, possibly
// before (as etcd answers before its batch commit) — the entry is then
// durable in the WAL of a quorum, this member's included, and a crash
// re-applies it from there (consistent index).
func (m *Member) applyInTx(e raft.Entry) {
	if e.Index != m.applied+1 {
		panic(fmt.Sprintf("Member.applyInTx: entry %d after applying %d: entries must be applied in order", e.Index, m.applied))
	}
	tx := m.be.tx
	var key waitKey
	var resp Response
	answer := false
	switch e.Type {
	case raft.EntryNormal:
		key, resp, answer = m.applyNormal(tx, e)
	case raft.EntryConfChange:
		key, resp, answer = m.applyConfChange(tx, e)
	}
	m.store.SetConsistentIndex(e.Index, e.Term)
	m.store.Commit() // into the open transaction: batch.go
	m.applied = e.Index
	if answer {
		resp.Header = m.header()
		m.answer(key, e.Index, resp)
	}
}

// applyNormal applies a normal entry; it returns the waiter to answer.
func (m *Member) applyNormal(tx backend.WriteTx, e raft.Entry) (waitKey, Response, bool) {
	if len(e.Data) == 0 {
		m.promoteLessor()
		return waitKey{}, Response{}, false
	}
	env, ae := decodeEntry(e)
	resp, what := m.applyAuthorized(tx, e.Index, env, ae) // auth_apply.go: permission checks, then applyOp
	if errors.Is(resp.Err, ErrNoSpace) && !m.alarms.has(AlarmNoSpace) {
		m.raiseNoSpace() // etcd: "message exceeded backend quota; raising alarm"
	}
	ev := Event{Kind: EvApplied, Index: e.Index, Revision: m.store.Rev(), RequestID: env.ID, Reason: what}
	if resp.Err != nil {
		ev.Kind, ev.Reason = EvApplyFailed, what+": "+resp.Err.Error()
	}
	m.emit(ev)
	return waitKey{internal: env.Internal, id: env.ID}, resp, env.Proposer == m.id
}

// applyOp applies the operation of an envelope and names it.
func (m *Member) applyOp(tx backend.WriteTx, env envelope) (Response, string) {
	switch {
	case env.Put != nil:
		return m.applyPut(*env.Put), "put"
	case env.DeleteRange != nil:
		r, err := m.store.DeleteRange(*env.DeleteRange)
		return result(Response{DeleteRange: &r}, err), "delete"
	case env.Txn != nil:
		return m.applyTxn(*env.Txn), "txn"
	case env.Compaction != nil:
		return m.applyCompaction(*env.Compaction), "compaction"
	case env.LeaseGrant != nil:
		return m.applyLeaseGrant(tx, *env.LeaseGrant), "lease-grant"
	case env.LeaseRevoke != nil:
		return m.applyLeaseRevoke(tx, *env.LeaseRevoke), "lease-revoke"
	case env.LeaseCheckpoint != nil:
		return m.applyLeaseCheckpoint(tx, *env.LeaseCheckpoint), "lease-checkpoint"
	case env.Alarm != nil:
		return m.applyAlarm(tx, *env.Alarm), "alarm"
	case env.MemberUpdate != nil:
		return m.applyMemberUpdate(tx, *env.MemberUpdate), "member-update"
	case env.MemberAttrs != nil:
		return m.applyMemberAttributes(tx, *env.MemberAttrs), "member-attributes"
	}
	panic("Member.applyOp: committed entry with no operation")
}

// result is resp, or only the error if there is one.
func result(resp Response, err error) Response {
	if err != nil {
		return Response{Err: err}
	}
	return resp
}

// applyPut: refused while NOSPACE is active (etcd: applierV3Capped); applied
// but answered ErrNoSpace if it no longer fits (etcd: quotaApplierV3).
func (m *Member) applyPut(p mvcc.PutRequest) Response {
	if m.alarms.has(AlarmNoSpace) {
		return Response{Err: ErrNoSpace}
	}
	fits := m.quotaAvailable(putCost(p))
	r, err := m.store.Put(p)
	if err == nil && !fits {
		err = ErrNoSpace
	}
	return result(Response{Put: &r}, err)
}

// applyTxn: as applyPut for a txn that puts.
func (m *Member) applyTxn(t mvcc.TxnRequest) Response {
	cost := txnCost(t)
	if cost > 0 && m.alarms.has(AlarmNoSpace) {
		return Response{Err: ErrNoSpace}
	}
	fits := m.quotaAvailable(cost)
	r, err := m.store.Txn(t)
	if err == nil && !fits {
		err = ErrNoSpace
	}
	return result(Response{Txn: &r}, err)
}

// applyCompaction compacts the key space on every member.
func (m *Member) applyCompaction(c CompactionRequest) Response {
	if err := m.store.Compact(c.Revision); err != nil {
		return Response{Err: err}
	}
	m.emit(Event{Kind: EvCompacted, Revision: c.Revision})
	return Response{Compaction: &CompactionResponse{}}
}

// applyMemberUpdate changes a member's peer URLs.
func (m *Member) applyMemberUpdate(tx backend.WriteTx, u MemberUpdateRequest) Response {
	member, ok := m.cluster.get(u.ID)
	if !ok {
		return Response{Err: ErrMemberNotFound}
	}
	member.PeerURLs = u.PeerURLs
	m.cluster.save(tx, member)
	m.emit(Event{Kind: EvMemberUpdated, Peer: u.ID})
	return m.membersResponse(member)
}

// applyConfChange updates the membership from a conf-change entry, with
// the semantics of Raft's own membership (raft: membership.apply): adding
// a voter that is a learner promotes it; a change that does nothing there
// does nothing here.
func (m *Member) applyConfChange(tx backend.WriteTx, e raft.Entry) (waitKey, Response, bool) {
	cc, err := raft.UnmarshalConfChange(e.Data)
	if err != nil {
		panic(fmt.Sprintf("Member.applyConfChange: entry %d: %v", e.Index, err))
	}
	ctx := decodeConfContext(cc, e.Index)
	if ctx.ClusterID != 0 && m.cluster.id == 0 {
		m.cluster.setID(tx, ctx.ClusterID)
	}
	member, exists := m.cluster.get(cc.Node)
	switch {
	case (cc.Type == raft.AddVoter || cc.Type == raft.PromoteLearner) && exists && member.IsLearner:
		member.IsLearner = false
		m.cluster.save(tx, member)
		m.emit(Event{Kind: EvMemberPromoted, Index: e.Index, Peer: cc.Node})
	case (cc.Type == raft.AddVoter || cc.Type == raft.AddLearner) && !exists:
		member = ctx.Member
		member.IsLearner = cc.Type == raft.AddLearner
		m.cluster.save(tx, member)
		m.emit(Event{Kind: EvMemberAdded, Index: e.Index, Peer: cc.Node, Reason: learnerOrVoter(member.IsLearner)})
	case cc.Type == raft.RemoveNode && exists:
		m.cluster.remove(tx, cc.Node)
		m.emit(Event{Kind: EvMemberRemoved, Index: e.Index, Peer: cc.Node})
	}
	return waitKey{id: ctx.ID}, m.membersResponse(member), ctx.Proposer == m.id && ctx.ID != 0
}

func (m *Member) membersResponse(member MemberInfo) Response {
	return Response{Members: &MembersResponse{Member: &member, Members: m.cluster.list()}}
}

func learnerOrVoter(learner bool) string {
	if learner {
		return "learner"
	}
	return "voter"
}
