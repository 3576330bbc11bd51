package sim

// The Ready loop of etcd mode: how the simulator carries out what a
// server.Member asks for, in the order server.Ready prescribes —
//
//	persist Raft's hard state, a received snapshot, new entries   -> disk.go
//	persist the snapshot the member took; drop the log it covers  -> disk.go
//	send messages                                                 -> transport.go
//	Advance: the member installs the snapshot and applies the
//	committed entries to its backend, one commit per entry        (inside the member)
//	deliver Responses to the clients waiting, by request ID
//
// The invariant checker reads the same Raft parts as in the default mode
// (the member's Ready carries Raft's hard state, entries, snapshot, role
// and events), so every safety check stays on, plus one of the key space:
// revision agreement (appliedRevision). The member's own trace
// events (applied at a revision, compacted, snapshot taken, alarm raised,
// lease revoked, member added ...) become RecServer records beside Raft's.

import (
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// driveMember handles p's Ready batches until it has none (drive, etcd
// mode), then the follow-ups: stop a removed member, report unreachable
// peers, hand watch responses to their clients.
func (c *Cluster) driveMember(p *process) {
	for p.up && p.member.HasReady() {
		c.handleMemberReady(p)
	}
	if c.followUps(p, p.member.ReportUnreachable) {
		c.drive(p)
		return
	}
	if p.up {
		c.pollWatches(p)
	}
}

// handleMemberReady carries out one Ready of p's member.
func (c *Cluster) handleMemberReady(p *process) {
	rd := p.member.Ready()
	for _, e := range rd.RaftEvents {
		c.record(Record{Kind: RecRaft, Node: e.Node, Raft: e})
	}
	for _, e := range rd.Events {
		c.record(Record{Kind: RecServer, Node: p.id, Server: e})
		if p.check != nil && (e.Kind == server.EvApplied || e.Kind == server.EvApplyFailed) {
			p.check.appliedRevision(p, e)
		}
	}
	p.disk.persistMember(&rd)
	wasLeader := p.role == raft.Leader
	p.role, p.lead = rd.Role, rd.Lead
	if !rd.HardState.IsEmpty() {
		p.term = rd.HardState.Term
	}
	if p.check != nil {
		view := raft.Ready{Role: rd.Role, Lead: rd.Lead, HardState: rd.HardState,
			Entries: rd.Entries, Snapshot: rd.Snapshot, Events: rd.RaftEvents}
		p.check.persisted(p, &view, wasLeader)
	}
	if !rd.HardState.IsEmpty() {
		p.commit = rd.HardState.Commit
	}
	for _, m := range rd.Messages {
		c.send(p, m)
	}
	confMayChange := c.checkApplied(p, &rd)
	p.member.Advance(rd)
	p.backend = p.member.Backend() // a snapshot install replaces it
	p.applied = p.member.AppliedIndex()
	p.snapIndex = p.disk.snapshotIndex()
	if confMayChange {
		c.membershipApplied(p)
	}
	for _, resp := range rd.Responses {
		c.answer(p, resp)
	}
}

// checkApplied feeds the invariant checker the entries Advance(rd) will
// apply — those after the consistent index and after a snapshot installed
// first — and reports whether the membership may change.
func (c *Cluster) checkApplied(p *process, rd *server.Ready) bool {
	from := p.member.AppliedIndex()
	confMayChange := false
	if s := rd.Snapshot; !s.IsEmpty() && s.Meta.Index > from {
		from, confMayChange = s.Meta.Index, true
	}
	for _, e := range rd.CommittedEntries {
		if e.Index <= from {
			continue
		}
		if p.check != nil {
			p.check.appliedEntry(p, e)
		}
		if e.Type == raft.EntryConfChange {
			confMayChange = true
		}
	}
	return confMayChange
}

// appliedRevision checks revision agreement, state machine safety at the
// level of the key space: every member that applies entry i reaches the
// same revision after it (etcd's revisions are the same cluster-wide).
func (k *checker) appliedRevision(p *process, e server.Event) {
	if k.revisions == nil {
		k.revisions = map[uint64]int64{}
	}
	if old, ok := k.revisions[e.Index]; ok && old != e.Revision {
		k.fail("revision agreement", e.Index, 0, fmt.Sprintf("revision %d after this entry, another member reached %d", e.Revision, old), p.id)
		return
	}
	k.revisions[e.Index] = e.Revision
}

// persistMember writes the durable parts of a member's Ready in the order
// its contract gives: Raft's hard state, snapshot and entries; then the
// snapshot the member took, and only after it the log it covers.
func (d *disk) persistMember(rd *server.Ready) {
	d.persist(&raft.Ready{HardState: rd.HardState, Snapshot: rd.Snapshot, Entries: rd.Entries})
	if s := rd.CreatedSnapshot; s != nil && s.Meta.Index > d.snapshotIndex() {
		cp := *s
		d.snapshot = &cp
	}
	if rd.CompactIndex > 0 {
		d.compact(rd.CompactIndex)
	}
}

// serverEventString renders a member's event for the trace in the words of
// Raft's events: the node first, other nodes as nX, leases in hex.
func serverEventString(e server.Event) string {
	var b strings.Builder
	b.WriteString(e.Kind.String())
	if e.Index != 0 {
		fmt.Fprintf(&b, " index=%d", e.Index)
	}
	if e.Revision != 0 {
		fmt.Fprintf(&b, " rev=%d", e.Revision)
	}
	if e.Lease != lease.NoLease {
		b.WriteString(" lease=" + e.Lease.String())
	}
	if e.Kind == server.EvLeaseRevoked {
		fmt.Fprintf(&b, " keys=%d", e.Keys)
	}
	if e.Peer != raft.None {
		b.WriteString(" peer=" + Name(e.Peer))
	}
	if e.RequestID != 0 {
		fmt.Fprintf(&b, " req=%d", e.RequestID)
	}
	if e.Reason != "" {
		b.WriteString(" (" + e.Reason + ")")
	}
	return b.String()
}
