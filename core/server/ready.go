package server

// The Ready/Advance handshake of the member, wrapping Raft's. The member
// does no I/O: the caller persists and sends; the member applies — inside
// Advance, on the backend it owns — and answers.
//
//	for {
//	    m.Tick() / m.Step(msg) / m.Submit(req)
//	    for m.HasReady() {
//	        rd := m.Ready()
//	        persist rd.HardState, rd.Snapshot, rd.Entries        (1: before sending)
//	        persist rd.CreatedSnapshot; drop entries <= rd.CompactIndex
//	        send rd.Messages                                     (2)
//	        m.Advance(rd)      installs rd.Snapshot, applies rd.CommittedEntries (3)
//	        deliver rd.Responses to clients                      (any time)
//	    }
//	}
//
// Responses and Events of a Ready come from earlier work (answers of
// entries applied in the previous Advance, of reads, of requests refused
// at Submit, of timeouts); the entries applied by Advance(rd) are answered
// in the next Ready.

import "github.com/etcdlab/etcdlab/core/raft"

// Ready is one batch of work for the caller. Carry it out in this order,
// then call Advance(rd) once:
//
//  1. persist HardState (if not empty), Snapshot (if any) and Entries —
//     durably when MustSync — BEFORE sending any message (Raft Figure 2:
//     respond to RPCs only after updating stable storage; a leader whose
//     term and vote are unchanged may send first, thesis §10.2.1, as the
//     daemon does in native/daemon/pipeline.go). Then persist
//     CreatedSnapshot (if any) and only after it discard persisted entries
//     up to CompactIndex (if not 0);
//  2. send Messages;
//  3. call Advance(rd): the member installs Snapshot in its backend
//     (which may replace the backend: see Member.Backend) and applies
//     CommittedEntries in order, each in one backend commit together with
//     its index (with Config.BatchApply, into one transaction committed
//     on an interval: batch.go);
//  4. deliver Responses to the clients that wait for them (their order
//     does not matter to the member).
type Ready struct {
	// Role, Lead and Term are the member's Raft state after this batch.
	Role raft.Role
	Lead raft.NodeID
	Term uint64

	HardState raft.HardState
	Entries   []raft.Entry
	// Snapshot is a snapshot received from the leader: persist it; Advance
	// installs it.
	Snapshot *raft.Snapshot
	MustSync bool
	// CreatedSnapshot is a state snapshot this member took (log retention):
	// persist it as the latest snapshot, then discard the persisted
	// entries up to CompactIndex.
	CreatedSnapshot *raft.Snapshot
	CompactIndex    uint64

	Messages []raft.Message
	// CommittedEntries are applied by Advance; they are here to be seen,
	// not applied by the caller.
	CommittedEntries []raft.Entry

	Responses  []Response
	Events     []Event
	RaftEvents []raft.Event

	raft raft.Ready
	// snapshotWanted: Raft asked for a full snapshot (thin mode); Advance
	// encodes one and hands it over (snapshot.go provideSnapshot).
	snapshotWanted bool
}

// HasReady reports whether Ready would return any work.
func (m *Member) HasReady() bool {
	return m.node.HasReady() || len(m.responses) > 0 || len(m.events) > 0 || m.createdSnap != nil ||
		m.node.SnapshotRequested()
}

// Ready returns the work to do. Call Advance(rd) after carrying it out.
func (m *Member) Ready() Ready {
	rr := m.node.Ready()
	m.observe(rr)
	rd := Ready{
		Role: rr.Role, Lead: rr.Lead, Term: m.term,
		HardState: rr.HardState, Entries: rr.Entries, Snapshot: rr.Snapshot, MustSync: rr.MustSync,
		CreatedSnapshot: m.createdSnap, CompactIndex: m.compactIndex,
		Messages: rr.Messages, CommittedEntries: rr.CommittedEntries,
		Responses: m.responses, Events: m.events, RaftEvents: rr.Events,
		raft: rr, snapshotWanted: m.node.TakeSnapshotRequest(),
	}
	m.responses, m.events, m.createdSnap, m.compactIndex = nil, nil, nil, 0
	return rd
}

// TakeResponses hands out the answers that wait for the next Ready, for
// a caller that answers early: after Advance(rd), the answers to the
// entries it applied may go out while the caller still persists a later
// batch (those entries came in earlier Readies, so they are on disk
// already). A Ready then carries only the answers that came after.
func (m *Member) TakeResponses() []Response {
	resps := m.responses
	m.responses = nil
	return resps
}

// observe takes in what Raft reports: term, commit, role and leader
// (a leader change fails unconfirmed reads and demotes the lessor), and
// read indexes.
func (m *Member) observe(rr raft.Ready) {
	if !rr.HardState.IsEmpty() {
		m.term, m.committed = rr.HardState.Term, rr.HardState.Commit
	}
	prevLead := m.lead
	m.role, m.lead = rr.Role, rr.Lead
	if m.lead != prevLead {
		m.leaderChanged()
	}
	if m.role != raft.Leader && m.lessor.IsPrimary() {
		m.lessor.Demote()
	}
	if m.role != raft.Leader {
		m.retryLeaseWaits()
	}
	for _, rs := range rr.ReadStates {
		m.readStateArrived(rs)
	}
}

// Advance applies what rd committed, after the caller persisted and sent
// it: the leader's snapshot first, then the committed entries in order.
// Then it serves the reads that became ready, takes a state snapshot if
// one is due and, on a leader in thin mode, encodes the full snapshot a
// follower waits for (etcd does it in the same place: after applying,
// from the backend as of the applied index).
func (m *Member) Advance(rd Ready) {
	if s := rd.Snapshot; !s.IsEmpty() && s.Meta.Index > m.applied {
		if err := m.installSnapshot(*s); err != nil {
			panic("Member.Advance: " + err.Error())
		}
	}
	m.applyEntries(rd.CommittedEntries)
	m.node.Advance(rd.raft)
	m.serveReads()
	m.maybeSnapshot()
	if rd.snapshotWanted {
		m.provideSnapshot()
	}
}
