package server

// Admitting a client request (etcd: v3_server.go and the v3rpc checks in
// front of it). Submit never blocks and never answers by return value:
// every answer, error or not, comes out in a later Ready's Responses.
//
//	Submit(r) ── one op? ID free? valid (mvcc.Validate*)? ──> no: error now
//	   │
//	   ├─ Range / read-only Txn ───────> read.go (ReadIndex, or at once if Serializable)
//	   ├─ LeaseKeepAlive / TimeToLive ─> leases.go (the leader's lessor)
//	   ├─ LeaseLeases / MemberList ────> answered at once from local state
//	   ├─ MemberAdd/Remove/Promote ────> a Raft conf change (membership checks first)
//	   ├─ Auth ────────────────────────> auth.go (through the log, or at once)
//	   └─ every other write ───────────> leader known? apply lag ok? quota ok? encode ≤ MaxRequestBytes?
//	                                     ──> raft.Propose ──> wait.go

import (
	"errors"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Submit takes a client request; its answer comes out in a later Ready.
func (m *Member) Submit(r Request) {
	if m.busy[r.ID] {
		m.responses = append(m.responses, Response{ID: r.ID, Header: m.header(), Err: ErrDuplicateRequestID})
		return
	}
	if err := validate(r, m.cfg.MaxTxnOps); err != nil {
		m.fail(r, err)
		return
	}
	if err := m.authorizeSubmit(r); err != nil {
		m.fail(r, err)
		return
	}
	switch {
	case r.Range != nil || (r.Txn != nil && readOnlyTxn(*r.Txn)):
		m.submitRead(r)
	case r.LeaseKeepAlive != nil || r.LeaseTimeToLive != nil:
		m.submitLeaseQuery(r)
	case r.LeaseLeases != nil:
		m.respond(Response{ID: r.ID, LeaseLeases: &LeaseLeasesResponse{IDs: m.lessor.Leases()}})
	case r.MemberList != nil:
		m.respond(Response{ID: r.ID, Members: &MembersResponse{Members: m.cluster.list()}})
	case r.MemberAdd != nil || r.MemberRemove != nil || r.MemberPromote != nil:
		m.submitConfChange(r)
	case r.Auth != nil:
		m.submitAuth(r)
	default:
		m.submitWrite(r)
	}
}

// validate checks what needs no state: one operation, and the request
// checks etcd runs before proposing (a txn against --max-txn-ops).
func validate(r Request, maxTxnOps int) error {
	ops := 0
	for _, set := range []bool{
		r.Range != nil, r.Put != nil, r.DeleteRange != nil, r.Txn != nil, r.Compaction != nil,
		r.LeaseGrant != nil, r.LeaseRevoke != nil, r.LeaseKeepAlive != nil, r.LeaseTimeToLive != nil,
		r.LeaseLeases != nil, r.Alarm != nil, r.MemberAdd != nil, r.MemberRemove != nil,
		r.MemberUpdate != nil, r.MemberPromote != nil, r.MemberList != nil, r.MemberAttributes != nil,
		r.Auth != nil,
	} {
		if set {
			ops++
		}
	}
	switch {
	case ops != 1 || (r.Auth != nil && authOps(r.Auth) != 1):
		return ErrEmptyRequest
	case r.Range != nil:
		return mvcc.ValidateRange(*r.Range)
	case r.Put != nil:
		return mvcc.ValidatePut(*r.Put)
	case r.DeleteRange != nil:
		return mvcc.ValidateDeleteRange(*r.DeleteRange)
	case r.Txn != nil:
		return mvcc.ValidateTxnWithin(*r.Txn, maxTxnOps)
	case r.LeaseGrant != nil && r.LeaseGrant.TTLSeconds > core.MaxLeaseTTLSeconds:
		return lease.ErrLeaseTTLTooLarge
	}
	return nil
}

// submitWrite proposes a write through the log.
func (m *Member) submitWrite(r Request) {
	if err := m.admitWrite(r); err != nil {
		m.fail(r, err)
		return
	}
	env := envelope{
		ID: r.ID, Proposer: m.id, Put: r.Put, DeleteRange: r.DeleteRange, Txn: r.Txn,
		Compaction: r.Compaction, LeaseRevoke: r.LeaseRevoke, Alarm: r.Alarm, MemberAttrs: r.MemberAttributes,
	}
	if g := r.LeaseGrant; g != nil {
		grant := *g
		if grant.ID == lease.NoLease {
			grant.ID = m.lessor.NextID() // chosen before proposing, so every member applies the same ID
		}
		env.LeaseGrant = &grant
	}
	if u := r.MemberUpdate; u != nil {
		if err := m.cluster.checkUpdate(u.ID, u.PeerURLs); err != nil {
			m.fail(r, err)
			return
		}
		env.MemberUpdate = u
	}
	m.propose(r, env)
}

// admitWrite: a leader to propose to, an apply loop that keeps up, space.
func (m *Member) admitWrite(r Request) error {
	switch {
	case m.lead == raft.None:
		return ErrNoLeader
	case m.committed > m.applied+core.MaxGapBetweenApplyAndCommitIndex:
		return ErrTooManyRequests
	}
	return m.checkQuota(r)
}

// propose encodes env within --max-request-bytes and hands it to Raft,
// then waits.
func (m *Member) propose(r Request, env envelope) {
	data, err := encodeWithin(m.entryData(r, env), m.cfg.MaxRequestBytes)
	if err == nil {
		err = m.node.Propose(data)
	}
	if err != nil {
		m.fail(r, err)
		return
	}
	m.wait(r)
}

// submitConfChange checks a membership change against the membership,
// then proposes it as a Raft conf change carrying the member's attributes.
func (m *Member) submitConfChange(r Request) {
	if m.lead == raft.None {
		m.fail(r, ErrNoLeader)
		return
	}
	cc, member, err := m.confChangeFor(r)
	if err == nil {
		cc.Context, err = encode(confContext{ID: r.ID, Proposer: m.id, Member: member})
	}
	if err == nil {
		err = raftConfError(m.node.ProposeConfChange(cc))
	}
	if err != nil {
		m.fail(r, err)
		return
	}
	m.wait(r)
}

// confChangeFor builds the conf change of a member request.
func (m *Member) confChangeFor(r Request) (raft.ConfChange, MemberInfo, error) {
	switch {
	case r.MemberAdd != nil:
		a := r.MemberAdd
		member := MemberInfo{ID: a.ID, Name: a.Name, PeerURLs: a.PeerURLs, IsLearner: a.IsLearner}
		if member.ID == raft.None {
			member.ID = MemberID(a.PeerURLs, m.cfg.ClusterToken, a.AddedAtUnixSeconds)
		}
		typ := raft.AddVoter
		if a.IsLearner {
			typ = raft.AddLearner
		}
		return raft.ConfChange{Type: typ, Node: member.ID}, member, m.cluster.checkAdd(member)
	case r.MemberRemove != nil:
		id := r.MemberRemove.ID
		member, _ := m.cluster.get(id)
		return raft.ConfChange{Type: raft.RemoveNode, Node: id}, member, m.cluster.checkRemove(id)
	default:
		id := r.MemberPromote.ID
		member, _ := m.cluster.get(id)
		member.IsLearner = false
		return raft.ConfChange{Type: raft.PromoteLearner, Node: id}, member, m.cluster.checkPromote(id)
	}
}

// raftConfError turns the leader's refusal of a conf change into etcd's
// error.
func raftConfError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, raft.ErrUnsafeReconfig):
		return ErrNotEnoughStarted
	case errors.Is(err, raft.ErrLearnerNotReady):
		return ErrLearnerNotReady
	case errors.Is(err, raft.ErrNotLearner):
		return ErrMemberNotLearner
	case errors.Is(err, raft.ErrMemberExists):
		return ErrMemberIDExists
	case errors.Is(err, raft.ErrMemberNotFound):
		return ErrMemberNotFound
	}
	return err
}
