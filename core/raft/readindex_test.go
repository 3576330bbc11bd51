package raft

import "testing"

func TestReadIndexOnLeaderAndFollower(t *testing.T) {
	nw := newNetwork(t, 41, 3, nil)
	nw.campaign(1)
	nw.propose(1, "x")
	commit := nw.status(1).HardState.Commit
	nw.nodes[1].ReadIndex([]byte("r1"))
	nw.settle()
	eq(t, len(nw.readStates[1]), 1, "leader read states")
	eq(t, nw.readStates[1][0].Index, commit, "read index")
	eq(t, string(nw.readStates[1][0].RequestCtx), "r1", "ctx")

	nw.nodes[3].ReadIndex([]byte("r2"))
	nw.settle()
	eq(t, len(nw.readStates[3]), 1, "follower read states")
	eq(t, nw.readStates[3][0].Index, commit, "follower read index")
	eq(t, string(nw.readStates[3][0].RequestCtx), "r2", "follower ctx")
}

// The leader answers only after a quorum confirmed it in a heartbeat
// round: a leader cut off from the others never answers.
func TestReadIndexNeedsQuorum(t *testing.T) {
	nw := newNetwork(t, 42, 3, nil)
	nw.campaign(1)
	nw.isolated[1] = true
	nw.nodes[1].ReadIndex([]byte("r"))
	nw.ticks(5, 1)
	eq(t, len(nw.readStates[1]), 0, "answers without a quorum")
	delete(nw.isolated, 1)
	nw.ticks(1, 1) // the next heartbeat carries the pending context
	eq(t, len(nw.readStates[1]), 1, "answers once a quorum confirms")
}

// A new leader that has not committed an entry of its term does not know
// the latest commit index yet (thesis §6.4): it defers reads until then.
func TestReadIndexWaitsForCommitInTerm(t *testing.T) {
	nw := newNetwork(t, 43, 3, nil)
	nw.drop = func(m Message) bool { return m.Type == MsgApp }
	nw.campaign(1)
	eq(t, nw.leader(), NodeID(1), "leader")
	nw.nodes[1].ReadIndex([]byte("r"))
	nw.settle()
	eq(t, len(nw.readStates[1]), 0, "answers before committing in its term")
	nw.drop = nil
	nw.ticks(2, 1)
	eq(t, len(nw.readStates[1]), 1, "answers after the no-op commits")
	eq(t, nw.readStates[1][0].Index, nw.status(1).HardState.Commit, "read index is the new commit")
}

func TestReadIndexSingleVoterAnswersAtOnce(t *testing.T) {
	nw := newNetwork(t, 44, 1, nil)
	nw.campaign(1)
	nw.nodes[1].ReadIndex([]byte("r"))
	eq(t, len(nw.nodes[1].Ready().ReadStates), 1, "read states in the very next Ready")
}
