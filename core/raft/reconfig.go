package raft

// Membership changes on a running node, one server at a time (thesis
// §4.1), with learners (§4.2.1).
//
// The leader checks a proposed change before appending it — one change in
// flight at a time, the member must exist (or not), a learner must be
// nearly caught up before promotion, and the strict reconfig checks of etcd
// refuse a change that would leave too few started voters for a quorum.
// Every node applies a change when the caller has applied its entry (at
// Advance): from then on quorums are counted in the new configuration.
//
// A leader that removes itself keeps counting itself while the removal is
// in flight (the configuration in effect still has it); once the removal
// is applied it tells the followers its commit index once more and steps
// down, and never campaigns again.

import "fmt"

// checkConfChange refuses a proposed membership change that is unsafe or
// meaningless now (etcd: server.mayAddMember/mayRemoveMember/
// mayPromoteMember and raft's one-pending-change rule).
func (n *Node) checkConfChange(data []byte) error {
	cc, err := UnmarshalConfChange(data)
	if err == nil {
		err = n.confChangeError(cc)
	}
	if err != nil {
		n.emit(Event{Kind: EvConfChangeRefused, Peer: cc.Node, Reason: fmt.Sprintf("%s n%d: %v", cc.Type, cc.Node, err)})
	}
	return err
}

func (n *Node) confChangeError(cc ConfChange) error {
	id := cc.Node
	switch {
	case n.pendingConfIndex > n.applied:
		return ErrConfChangePending
	case (cc.Type == AddVoter || cc.Type == AddLearner) && n.conf.isMember(id):
		return ErrMemberExists
	case (cc.Type == PromoteLearner || cc.Type == RemoveNode) && !n.conf.isMember(id):
		return ErrMemberNotFound
	case cc.Type == PromoteLearner && !n.conf.isLearner(id):
		return ErrNotLearner
	case cc.Type == PromoteLearner && !n.learnerReady(id):
		return ErrLearnerNotReady
	case (cc.Type == AddVoter || cc.Type == PromoteLearner) && !n.readyToAddVoter(cc.Type):
		return ErrUnsafeReconfig
	case cc.Type == RemoveNode && n.conf.isVoter(id) && n.startedVoters(id) < quorumSize(len(n.conf.voters)-1):
		return ErrUnsafeReconfig
	}
	return nil
}

// learnerReady: the learner holds at least 90% of the leader's log (etcd:
// readyPercent = 0.9 in isLearnerReady).
func (n *Node) learnerReady(id NodeID) bool {
	pr := n.prs[id]
	return pr != nil && pr.match*10 >= n.log.lastIndex()*9
}

// startedVoters counts the voters other than except that the leader
// believes are up (heard from in this or the last check-quorum round), the
// leader included (etcd: isReadyToAddVotingMember /
// isReadyToRemoveVotingMember, with "started" read as "recently active").
func (n *Node) startedVoters(except NodeID) int {
	count := 0
	for _, id := range n.conf.voters {
		pr := n.prs[id]
		if id == except || pr == nil {
			continue
		}
		if id == n.id || pr.recentActive || pr.wasActive {
			count++
		}
	}
	return count
}

// applyConfChange puts the change in entry e into effect.
func (n *Node) applyConfChange(e Entry) {
	cc, err := UnmarshalConfChange(e.Data)
	if err != nil {
		panic(fmt.Sprintf("Node.applyConfChange: committed entry %d: %v", e.Index, err))
	}
	before := n.reportedRole()
	next, what, changed := n.conf.apply(cc)
	n.conf = next
	n.confIndex = e.Index
	n.emit(Event{Kind: EvConfChanged, Peer: cc.Node, Index: e.Index, Reason: what})
	if changed && n.role == Leader {
		n.leaderConfChanged(cc)
	}
	if r := n.reportedRole(); r != before && n.role != Leader {
		n.emit(Event{Kind: EvRoleChanged, Role: r, Peer: n.lead})
	}
}

// leaderConfChanged updates the leader's progress map after a change.
func (n *Node) leaderConfChanged(cc ConfChange) {
	id := cc.Node
	switch {
	case cc.Type == RemoveNode && id == n.id:
		// Tell the others the commit index once more (it covers the
		// removal), then leave: a removed node never leads.
		n.bcastHeartbeat()
		n.emit(Event{Kind: EvStepDown, Reason: "removed"})
		n.becomeFollower(n.term, None)
		return
	case cc.Type == RemoveNode:
		delete(n.prs, id)
		if n.leadTransferee == id {
			n.abortTransfer("transferee removed")
		}
	case n.prs[id] == nil:
		n.prs[id] = newProgress(n.log.lastIndex()+1, n.conf.isLearner(id), n.cfg.MaxInflightMsgs)
	default:
		n.prs[id].isLearner = n.conf.isLearner(id)
	}
	// The quorum changed: what it holds, and who is waited on, may too.
	if n.maybeCommit() {
		n.bcastAppend()
	}
	if n.prs[id] != nil {
		n.sendAppend(id, true)
	}
}

// readyToAddVoter is etcd's strict reconfig check for a change that adds a
// vote (etcd: RaftCluster.IsReadyToAddVotingMember and
// IsReadyToPromoteMember): the voters already started must form a quorum
// of the grown voter set. A learner being promoted counts as started (it is
// running: its log is caught up), and a one-voter cluster may always grow
// to two (etcd allows it for restoring a cluster from a backup).
func (n *Node) readyToAddVoter(t ConfChangeType) bool {
	voters, started := len(n.conf.voters), n.startedVoters(None)
	if t == PromoteLearner {
		started++
	}
	if t == AddVoter && voters == 1 && started == 1 {
		return true
	}
	return started >= quorumSize(voters+1)
}
