package sim

// The Ready loop: how the simulator carries out what a Raft node asks for,
// in the order raft.Ready prescribes —
//
//	persist (hard state, snapshot, entries)   -> disk.go
//	send messages                             -> transport.go
//	install the snapshot, apply committed     -> the Application
//	entries, answer the clients waiting
//	Advance                                   (membership changes take effect)
//	serve reads whose index is applied
//
// and then, outside any Ready, the application's log-retention policy: take
// a snapshot every SnapshotCount applied entries and compact the log, keeping
// CatchUpEntries behind it (etcd: EtcdServer.triggerSnapshot).

import (
	"encoding/binary"
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
)

// drive handles p's Ready batches until it has none.
func (c *Cluster) drive(p *process) {
	if p.member != nil {
		c.driveMember(p)
		return
	}
	for p.up {
		for p.up && p.node.HasReady() {
			c.handleReady(p)
		}
		if !p.up || !c.maybeSnapshot(p) {
			break
		}
	}
	if c.followUps(p, p.node.ReportUnreachable) {
		c.drive(p)
	}
}

// followUps is what drive does once p has no Ready left, in either mode:
// stop a node that applied its own removal, or hand raft the peers the
// network could not reach. It reports whether p must be driven again (the
// reports may produce a Ready).
func (c *Cluster) followUps(p *process, reportUnreachable func(raft.NodeID)) (again bool) {
	if p.up && p.removed {
		c.stop(p, errRemoved(p.id))
		return false
	}
	if !p.up || len(p.unreachable) == 0 {
		return false
	}
	peers := p.unreachable
	p.unreachable = nil
	for _, id := range peers {
		reportUnreachable(id)
	}
	return true
}

// handleReady carries out one Ready of p.
func (c *Cluster) handleReady(p *process) {
	rd := p.node.Ready()
	for _, e := range rd.Events {
		c.record(Record{Kind: RecRaft, Node: e.Node, Raft: e})
	}
	p.disk.persist(&rd)
	wasLeader := p.role == raft.Leader
	p.role, p.lead = rd.Role, rd.Lead
	if !rd.HardState.IsEmpty() {
		p.term = rd.HardState.Term
	}
	if p.check != nil {
		p.check.persisted(p, &rd, wasLeader)
	}
	if !rd.HardState.IsEmpty() {
		p.commit = rd.HardState.Commit
	}
	for _, m := range rd.Messages {
		c.send(p, m)
	}
	confMayChange := c.apply(p, &rd)
	p.node.Advance(rd)
	if confMayChange {
		c.membershipApplied(p)
	}
	for _, rs := range rd.ReadStates {
		c.readStateReady(p, rs)
	}
	c.serveReads(p)
}

// apply installs rd's snapshot and applies its committed entries to p's
// state machine, answering the clients that wait here. It reports whether
// the membership may have changed.
func (c *Cluster) apply(p *process, rd *raft.Ready) bool {
	confMayChange := false
	if rd.Snapshot != nil && !rd.Snapshot.IsEmpty() {
		if err := p.app.Restore(rd.Snapshot.Data); err != nil {
			panic(fmt.Sprintf("sim.Cluster.apply: %s cannot restore snapshot %d: %v", Name(p.id), rd.Snapshot.Meta.Index, err))
		}
		p.applied = rd.Snapshot.Meta.Index
		p.snapIndex = rd.Snapshot.Meta.Index
		confMayChange = true
	}
	for _, e := range rd.CommittedEntries {
		if e.Index <= p.applied {
			continue // covered by a snapshot installed in this Ready
		}
		if e.Index != p.applied+1 {
			panic(fmt.Sprintf("sim.Cluster.apply: %s got entry %d after applying %d", Name(p.id), e.Index, p.applied))
		}
		res := p.app.Apply(e)
		p.applied = e.Index
		if p.check != nil {
			p.check.appliedEntry(p, e)
		}
		if e.Type == raft.EntryConfChange {
			confMayChange = true
		}
		if r, ok := p.pending[res.RequestID]; ok && res.RequestID != 0 {
			delete(p.pending, res.RequestID)
			r.Index, r.Found = res.Index, res.Found
			c.finish(r, nil)
		}
	}
	return confMayChange
}

// membershipApplied compares p's membership after Advance with before: a
// node that left it was removed, and the simulator stops it (etcd: a removed
// member learns it from its peers and exits).
func (c *Cluster) membershipApplied(p *process) {
	before := p.conf
	p.conf = p.raftStatus().Conf
	for _, id := range append(append([]raft.NodeID(nil), before.Voters...), before.Learners...) {
		if contains(p.conf.Voters, id) || contains(p.conf.Learners, id) {
			continue
		}
		q := c.procs[id]
		if q == nil || q.removed {
			continue
		}
		q.removed = true
		c.record(Record{Kind: RecRemoved, Node: id})
		if q.up && q != p {
			c.stop(q, errRemoved(id))
		}
		// A node that applied its own removal is stopped by drive once its
		// Ready batches are done: a leader still steps down and sends the
		// last heartbeat round that carries the commit (raft/doc.go).
	}
}

// errRemoved is what the clients waiting on a removed node are told.
func errRemoved(id raft.NodeID) error {
	return fmt.Errorf("%s was removed from the cluster", Name(id))
}

// readStateReady attaches a ReadState to the read request it answers.
func (c *Cluster) readStateReady(p *process, rs raft.ReadState) {
	if len(rs.RequestCtx) != 8 {
		return
	}
	id := binary.BigEndian.Uint64(rs.RequestCtx)
	for _, r := range p.reads {
		if r.ID == id && r.readIndex == 0 {
			r.readIndex = rs.Index
			if r.readIndex == 0 {
				r.readIndex = 1 // an empty log: any applied state will do
			}
		}
	}
}

// serveReads answers the reads whose read index p has applied (thesis §6.4:
// the read is linearizable once the state machine reaches the read index).
func (c *Cluster) serveReads(p *process) {
	if !p.up {
		return
	}
	kept := p.reads[:0]
	for _, r := range p.reads {
		if r.readIndex != 0 && p.applied >= r.readIndex {
			r.Index = r.readIndex
			r.Value, r.Found = p.app.Get(r.Key)
			c.finish(r, nil)
			continue
		}
		kept = append(kept, r)
	}
	p.reads = kept
}

// maybeSnapshot takes a snapshot of p's state machine once SnapshotCount
// entries were applied since the last one, and compacts the log keeping
// CatchUpEntries. It reports whether it did.
func (c *Cluster) maybeSnapshot(p *process) bool {
	if p.applied < p.snapIndex+c.opts.SnapshotCount {
		return false
	}
	return c.snapshotNow(p, true) == nil
}

// snapshotNow records p's state as of its applied index as its latest
// snapshot (persisted to its disk) and, if compact, discards the log up to
// CatchUpEntries before it.
func (c *Cluster) snapshotNow(p *process, compact bool) error {
	snap, err := p.node.CreateSnapshot(p.app.Snapshot())
	if err != nil {
		return err
	}
	p.disk.snapshot = &snap
	p.snapIndex = snap.Meta.Index
	if compact && snap.Meta.Index > c.opts.CatchUpEntries {
		return c.compact(p, snap.Meta.Index-c.opts.CatchUpEntries)
	}
	return nil
}

// compact discards p's log up to index, in memory and on disk.
func (c *Cluster) compact(p *process, index uint64) error {
	if err := p.node.Compact(index); err != nil {
		return err
	}
	p.disk.compact(index)
	return nil
}

func contains(ids []raft.NodeID, id raft.NodeID) bool {
	for _, x := range ids {
		if x == id {
			return true
		}
	}
	return false
}
