package sim

// Operator actions: membership changes, leadership transfer, a forced
// election, and snapshots or compaction on demand. They take effect at once,
// between two events, and are proposed through the current leader as etcd's
// `member add/promote/remove` are.
//
// Adding a member starts its process first, with an empty disk and no
// bootstrap membership: it waits for the leader to send it the log (or a
// snapshot), just as a new etcd member starts with --initial-cluster-state
// existing. A removed member is stopped once any node applies its removal.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Leader is the running node that leads the highest term, or raft.None.
func (c *Cluster) Leader() raft.NodeID {
	var lead raft.NodeID
	var term uint64
	for _, p := range c.procs {
		if p != nil && p.up && p.role == raft.Leader && (lead == raft.None || p.term > term) {
			lead, term = p.id, p.term
		}
	}
	return lead
}

// leaderProc is the leader's process, or an error saying there is none.
func (c *Cluster) leaderProc() (*process, error) {
	id := c.Leader()
	if id == raft.None {
		return nil, fmt.Errorf("no leader: membership changes go through the leader")
	}
	return c.procs[id], nil
}

// AddVoter starts node id and proposes it as a voter.
func (c *Cluster) AddVoter(id raft.NodeID) error { return c.addMember(id, raft.AddVoter) }

// AddLearner starts node id and proposes it as a learner (thesis §4.2.1).
func (c *Cluster) AddLearner(id raft.NodeID) error { return c.addMember(id, raft.AddLearner) }

func (c *Cluster) addMember(id raft.NodeID, t raft.ConfChangeType) error {
	lead, err := c.leaderProc()
	if err != nil {
		return err
	}
	if int(id) >= 1 && int(id) < len(c.procs) && c.procs[id] != nil {
		return fmt.Errorf("%s already exists; node ids are never reused", Name(id))
	}
	if c.opts.Etcd != nil {
		c.MemberAdd(raft.None, id, t == raft.AddLearner)
		return c.err
	}
	if err := lead.node.ProposeConfChange(raft.ConfChange{Type: t, Node: id}); err != nil {
		return err
	}
	c.record(Record{Kind: RecAction, Node: id, Detail: fmt.Sprintf("member %s proposed at %s", t, Name(lead.id))})
	if err := c.addProcess(id, nil, lead.check); err != nil {
		return err
	}
	c.drive(lead)
	return c.err
}

// Promote proposes turning learner id into a voter.
func (c *Cluster) Promote(id raft.NodeID) error {
	return c.changeMember(id, raft.PromoteLearner)
}

// Remove proposes removing node id from the membership.
func (c *Cluster) Remove(id raft.NodeID) error {
	return c.changeMember(id, raft.RemoveNode)
}

func (c *Cluster) changeMember(id raft.NodeID, t raft.ConfChangeType) error {
	if _, err := c.proc(id); err != nil {
		return err
	}
	lead, err := c.leaderProc()
	if err != nil {
		return err
	}
	if c.opts.Etcd != nil {
		c.memberChange(raft.None, id, t)
		return c.err
	}
	if err := lead.node.ProposeConfChange(raft.ConfChange{Type: t, Node: id}); err != nil {
		return err
	}
	c.record(Record{Kind: RecAction, Node: id, Detail: fmt.Sprintf("member %s proposed at %s", t, Name(lead.id))})
	c.drive(lead)
	return c.err
}

// TransferLeader asks the leader to hand leadership to id (thesis §3.10).
func (c *Cluster) TransferLeader(id raft.NodeID) error {
	if _, err := c.upProc(id); err != nil {
		return err
	}
	lead, err := c.leaderProc()
	if err != nil {
		return err
	}
	c.record(Record{Kind: RecAction, Node: id, Detail: "transfer leadership from " + Name(lead.id)})
	lead.transferLeader(id)
	c.drive(lead)
	return c.err
}

// Campaign makes node id start an election now.
func (c *Cluster) Campaign(id raft.NodeID) error {
	p, err := c.upProc(id)
	if err != nil {
		return err
	}
	c.record(Record{Kind: RecAction, Node: id, Detail: "campaign"})
	if err := p.campaign(); err != nil {
		return err
	}
	c.drive(p)
	return c.err
}

// Snapshot makes node id snapshot its state machine now (without
// compacting).
func (c *Cluster) Snapshot(id raft.NodeID) error {
	p, err := c.upProc(id)
	if err != nil {
		return err
	}
	if p.member != nil {
		err = p.member.TakeSnapshot()
	} else {
		err = c.snapshotNow(p, false)
	}
	if err != nil {
		return err
	}
	c.drive(p)
	return c.err
}

// Compact makes node id discard its log up to index (at most its snapshot).
func (c *Cluster) Compact(id raft.NodeID, index uint64) error {
	p, err := c.upProc(id)
	if err != nil {
		return err
	}
	if p.member != nil {
		return errRaftCompactInEtcdMode
	}
	if err := c.compact(p, index); err != nil {
		return err
	}
	c.drive(p)
	return c.err
}
