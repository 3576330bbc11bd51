package raft

import (
	"fmt"
	"testing"
)

func TestProposalsCommitEverywhere(t *testing.T) {
	nw := newNetwork(t, 11, 3, nil)
	nw.campaign(1)
	for i := 0; i < 10; i++ {
		nw.propose(NodeID(1+i%3), fmt.Sprintf("v%d", i)) // followers forward
	}
	for _, id := range nw.ids {
		st := nw.store[id]
		eq(t, len(st.data), 10, "n%d applied entries", id)
		for i, d := range st.data {
			check(t, string(d) == string(nw.store[1].data[i]), "n%d entry %d differs", id, i)
		}
		eq(t, nw.status(id).Applied, nw.status(1).HardState.Commit, "n%d applied", id)
	}
}

// A follower whose log diverged over many entries but few terms is
// repaired in about one rejection per term, not one per entry (fast
// backup, Raft §5.3).
func TestFastBackupSkipsWholeTerms(t *testing.T) {
	leaderLog := append(repeat(2, 30), repeat(4, 30)...)
	diverged := append(repeat(2, 10), repeat(3, 60)...)
	nw := newNetworkFromLogs(t, 12, [][]uint64{leaderLog, leaderLog, diverged},
		[]HardState{{Term: 4}, {Term: 4}, {Term: 4}}, noPreVoteNoCheckQuorum)
	nw.campaign(1)
	eq(t, nw.leader(), NodeID(1), "leader")
	rejections := nw.countSent(func(m Message) bool { return m.Type == MsgAppResp && m.From == 3 && m.Reject })
	check(t, rejections >= 1 && rejections <= 3, "n3 needed %d rejections; fast backup should need about one per term", rejections)
	l, f := nw.nodes[1].Log(), nw.nodes[3].Log()
	eq(t, len(f), len(l), "log lengths")
	for i := range l {
		eq(t, f[i].Term, l[i].Term, "term of entry %d", l[i].Index)
	}
}

// Figure 8 (Raft §5.4.2): a leader must not commit an entry of an earlier
// term by counting replicas, even once a majority holds it; only the
// commit of an entry of its own term commits the earlier ones.
func TestFigure8NoCommitOfOldTermByCounting(t *testing.T) {
	// index 6: n1, n2, n3 hold a term-2 entry; n5 a term-3 entry; n4 none.
	logs := [][]uint64{{2}, {2}, {2}, {}, {3}}
	hs := []HardState{{Term: 3}, {Term: 3}, {Term: 3}, {Term: 3}, {Term: 3}}
	nw := newNetworkFromLogs(t, 13, logs, hs, noPreVoteNoCheckQuorum)
	nw.drop = func(m Message) bool { return m.Type == MsgApp }
	nw.campaign(1)
	eq(t, nw.leader(), NodeID(1), "leader")
	n1 := nw.nodes[1]
	term := nw.status(1).HardState.Term
	// n2 and n3 tell the new leader they hold index 6 (a majority with
	// n1), but not yet its no-op at 7.
	for _, from := range []NodeID{2, 3} {
		if err := n1.Step(Message{Type: MsgAppResp, From: from, To: 1, Term: term, Index: 6}); err != nil {
			t.Fatal(err)
		}
	}
	eq(t, nw.status(1).HardState.Commit, uint64(5), "commit after a majority holds the term-2 entry")
	nw.drop = nil
	nw.ticks(2)
	for _, id := range nw.ids {
		eq(t, nw.status(id).HardState.Commit, uint64(7), "n%d commit once the no-op is on a majority", id)
		ent := nw.nodes[id].Log()[5]
		eq(t, ent.Term, uint64(2), "n%d entry 6 term (n5's term-3 entry is overwritten)", id)
	}
}

// Learners receive the log but do not count towards a commit.
func TestLearnersNotCountedForCommit(t *testing.T) {
	nw := newNetwork(t, 14, 0, nil)
	boot := []ConfChange{{Type: AddVoter, Node: 1}, {Type: AddVoter, Node: 2}, {Type: AddVoter, Node: 3},
		{Type: AddLearner, Node: 4}, {Type: AddLearner, Node: 5}}
	for id := NodeID(1); id <= 5; id++ {
		nw.add(id, boot)
	}
	nw.campaign(1)
	commit := nw.status(1).HardState.Commit
	nw.isolated[2], nw.isolated[3] = true, true
	nw.propose(1, "x")
	eq(t, nw.status(1).HardState.Commit, commit, "commit with only learners acknowledging")
	eq(t, nw.status(4).LastIndex, commit+1, "learner n4 has the entry")
	delete(nw.isolated, 2)
	nw.tick(1)
	eq(t, nw.status(1).HardState.Commit, commit+1, "commit once voter n2 acknowledges")
}

// In replicate state the leader keeps at most MaxInflightMsgs MsgApp
// unacknowledged per follower.
func TestInflightBound(t *testing.T) {
	nw := newNetwork(t, 15, 3, func(c *Config) { c.MaxInflightMsgs = 2; c.MaxSizePerMsg = 1 })
	nw.campaign(1)
	eq(t, nw.status(1).Progress[2].State, ProgressReplicate, "n2 progress")
	nw.drop = func(m Message) bool { return m.Type == MsgAppResp && m.From == 2 }
	before := nw.countSent(func(m Message) bool { return m.Type == MsgApp && m.To == 2 && len(m.Entries) > 0 })
	for i := 0; i < 6; i++ {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	sent := nw.countSent(func(m Message) bool { return m.Type == MsgApp && m.To == 2 && len(m.Entries) > 0 }) - before
	eq(t, sent, 2, "MsgApp with entries sent to the silent n2")
	eq(t, nw.status(1).Progress[2].Inflight, 2, "n2 inflight")
	for _, m := range nw.sent {
		if m.Type == MsgApp {
			check(t, len(m.Entries) <= 1, "MaxSizePerMsg=1 allows one entry per MsgApp, got %d", len(m.Entries))
		}
	}
	nw.drop = nil
	nw.ticks(3)
	eq(t, nw.status(2).HardState.Commit, nw.status(1).HardState.Commit, "n2 catches up once acks flow")
}

// A follower cut off while entries were appended catches up through
// probing once it is back.
func TestLaggingFollowerCatchesUp(t *testing.T) {
	nw := newNetwork(t, 16, 3, nil)
	nw.campaign(1)
	nw.isolated[3] = true
	for i := 0; i < 20; i++ {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	delete(nw.isolated, 3)
	nw.ticks(2)
	eq(t, len(nw.store[3].data), 20, "n3 applied")
	eq(t, nw.status(1).Progress[3].State, ProgressReplicate, "n3 progress")
}

// A stale leader (cut off, then a new leader elected) learns the new term
// from the answer to its append and steps down.
func TestStaleLeaderStepsDown(t *testing.T) {
	nw := newNetwork(t, 17, 3, func(c *Config) { c.DisableCheckQuorum = true })
	nw.campaign(1)
	nw.isolated[1] = true
	nw.campaign(2)
	eq(t, nw.status(2).Role, Leader, "n2 role")
	delete(nw.isolated, 1)
	nw.propose(1, "stale")
	eq(t, nw.status(1).Role, Follower, "old leader's role")
	nw.tick(2)
	eq(t, nw.status(1).Lead, NodeID(2), "old leader follows n2 after the next heartbeat")
}
