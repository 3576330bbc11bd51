package raft

import "testing"

func TestInitialElection(t *testing.T) {
	for _, size := range []int{1, 3, 5} {
		nw := newNetwork(t, 1, size, nil)
		nw.campaign(1)
		eq(t, nw.leader(), NodeID(1), "size %d: leader", size)
		for _, id := range nw.ids {
			s := nw.status(id)
			eq(t, s.HardState.Term, uint64(2), "size %d: n%d term", size, id)
			eq(t, s.Lead, NodeID(1), "size %d: n%d lead", size, id)
			// the bootstrap entries 1..size and the leader's no-op
			eq(t, s.HardState.Commit, uint64(size+1), "size %d: n%d commit", size, id)
		}
	}
}

func TestElectionByTimeout(t *testing.T) {
	for seed := uint64(1); seed <= 20; seed++ {
		for _, size := range []int{3, 5} {
			nw := newNetwork(t, seed, size, nil)
			nw.ticks(40)
			l := nw.leader()
			check(t, l != None, "seed %d size %d: no leader", seed, size)
			for _, id := range nw.ids {
				eq(t, nw.status(id).Lead, l, "seed %d size %d: n%d's leader", seed, size, id)
			}
		}
	}
}

// A node cut off from the others keeps timing out, but with PreVote it
// never wins a pre-vote, so its term does not grow and, back in the
// cluster, it does not depose the leader (thesis §9.6).
func TestPreVoteKeepsPartitionedNodeFromDisrupting(t *testing.T) {
	nw := newNetwork(t, 3, 3, nil)
	nw.campaign(1)
	term := nw.status(1).HardState.Term
	nw.isolated[3] = true
	nw.ticks(100)
	eq(t, nw.status(3).HardState.Term, term, "isolated n3's term")
	check(t, nw.status(3).Role == PreCandidate || nw.status(3).Role == Follower, "n3 role %v", nw.status(3).Role)
	delete(nw.isolated, 3)
	nw.ticks(5)
	eq(t, nw.leader(), NodeID(1), "leader after n3 returns")
	eq(t, nw.status(1).HardState.Term, term, "leader's term after n3 returns")
	eq(t, nw.status(3).Lead, NodeID(1), "n3 follows")
}

// Without PreVote the same partition inflates n3's term and, once back,
// it forces an election: the contrast shows what PreVote buys.
func TestWithoutPreVoteThePartitionedNodeDisrupts(t *testing.T) {
	nw := newNetwork(t, 3, 3, noPreVoteNoCheckQuorum)
	nw.campaign(1)
	term := nw.status(1).HardState.Term
	nw.isolated[3] = true
	nw.ticks(100)
	check(t, nw.status(3).HardState.Term > term+2, "isolated n3's term %d should grow", nw.status(3).HardState.Term)
	delete(nw.isolated, 3)
	nw.ticks(40)
	check(t, nw.status(nw.leader()).HardState.Term > term, "the cluster moved to a higher term")
}

// A leader that cannot hear from a quorum steps down within an election
// timeout or two (thesis §6.2), and the majority elects another.
func TestCheckQuorumStepsDownIsolatedLeader(t *testing.T) {
	nw := newNetwork(t, 4, 3, nil)
	nw.campaign(1)
	nw.isolated[1] = true
	nw.ticks(21, 1)
	eq(t, nw.status(1).Role, Follower, "isolated leader's role")
	check(t, nw.hasEvent(func(e Event) bool { return e.Node == 1 && e.Kind == EvStepDown && e.Reason == "check quorum" }),
		"n1 should record a check-quorum step-down")
	nw.ticks(40)
	l := nw.leader()
	check(t, l == 2 || l == 3, "a new leader among n2, n3; got n%d", l)
}

// With CheckQuorum, a follower that hears from its leader ignores vote
// requests (the leader lease), so a restarted node with a higher term
// cannot depose a healthy leader.
func TestLeaderLeaseIgnoresVotes(t *testing.T) {
	nw := newNetwork(t, 5, 3, func(c *Config) { c.DisablePreVote = true })
	nw.campaign(1)
	term := nw.status(1).HardState.Term
	nw.nodes[2].Tick() // n2 heard from n1 one tick ago
	_ = nw.nodes[2].Step(Message{Type: MsgVote, From: 3, To: 2, Term: term + 5, Index: 100, LogTerm: term})
	eq(t, nw.status(2).HardState.Term, term, "n2's term")
	rd := nw.nodes[2].Ready()
	found := false
	for _, e := range rd.Events {
		found = found || (e.Kind == EvVoteRejected && e.Reason == "in leader lease of n1")
	}
	check(t, found, "n2 should reject in leader lease, events %v", rd.Events)
	for _, m := range rd.Messages {
		check(t, m.Type != MsgVoteResp, "n2 must not answer: %+v", m)
	}
	nw.nodes[2].Advance(rd)
}

// Raft §5.4.1: a voter refuses a candidate whose log is behind its own.
func TestVoteRestriction(t *testing.T) {
	nw := newNetwork(t, 6, 3, noPreVoteNoCheckQuorum)
	nw.campaign(1)
	nw.isolated[3] = true
	nw.propose(1, "a")
	nw.propose(1, "b")
	delete(nw.isolated, 3)
	nw.down[1] = true
	nw.campaign(3)
	check(t, nw.status(3).Role != Leader, "n3 with a stale log must not win")
	check(t, nw.hasEvent(func(e Event) bool {
		return e.Node == 2 && e.Kind == EvVoteRejected && e.Peer == 3 && len(e.Reason) > 18 && e.Reason[:18] == "log not up to date"
	}), "n2 should reject n3: log not up to date")
	nw.campaign(2)
	eq(t, nw.leader(), NodeID(2), "the up-to-date n2 wins")
}

// One vote per term: after voting for n2, n3 refuses n1 in the same term.
func TestOneVotePerTerm(t *testing.T) {
	nw := newNetwork(t, 7, 3, noPreVoteNoCheckQuorum)
	n3 := nw.nodes[3]
	_ = n3.Step(Message{Type: MsgVote, From: 2, To: 3, Term: 2, Index: 3, LogTerm: 1})
	_ = n3.Step(Message{Type: MsgVote, From: 1, To: 3, Term: 2, Index: 3, LogTerm: 1})
	rd := n3.Ready()
	var grants []bool
	for _, m := range rd.Messages {
		if m.Type == MsgVoteResp {
			grants = append(grants, !m.Reject)
		}
	}
	eq(t, len(grants), 2, "answers")
	check(t, grants[0] && !grants[1], "n3 grants n2 then refuses n1: %v", grants)
	eq(t, rd.HardState.Vote, NodeID(2), "persisted vote")
	check(t, rd.MustSync, "a vote must be synced")
}

// Learners and nodes outside the configuration never campaign.
func TestLearnerNeverCampaigns(t *testing.T) {
	nw := newNetwork(t, 8, 0, nil)
	boot := []ConfChange{{Type: AddVoter, Node: 1}, {Type: AddLearner, Node: 2}}
	nw.add(1, boot)
	nw.add(2, boot)
	nw.add(3, nil) // knows nothing yet
	nw.isolated[1] = true
	nw.ticks(100)
	eq(t, nw.status(2).Role, Learner, "n2 role")
	eq(t, nw.status(2).HardState.Term, uint64(1), "learner's term")
	eq(t, nw.status(3).HardState.Term, uint64(0), "empty node's term")
	delete(nw.isolated, 1)
	nw.ticks(30)
	eq(t, nw.leader(), NodeID(1), "the only voter leads")
	eq(t, nw.status(2).Lead, NodeID(1), "learner follows")
}
