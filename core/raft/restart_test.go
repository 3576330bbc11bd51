package raft

import (
	"fmt"
	"testing"
)

// A node rebuilt from what it persisted has the same term, vote, log,
// commit and membership, and gets the committed entries it had not applied
// handed out again.
func TestRestartFromPersistedState(t *testing.T) {
	nw := newNetwork(t, 61, 3, nil)
	nw.campaign(1)
	for i := 0; i < 5; i++ {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	nw.add(4, nil)
	check(t, nw.proposeConf(1, ConfChange{Type: AddLearner, Node: 4}) == nil, "add learner")
	nw.ticks(2)
	before := nw.status(2)
	logBefore := nw.nodes[2].Log()
	// Pretend n2 applied only up to 4 before it crashed.
	nw.store[2].applied = 4
	n2 := nw.restart(2)
	after := n2.Status()
	eq(t, after.HardState, before.HardState, "hard state")
	// membership as of the applied index: the learner is added later
	eq(t, fmt.Sprint(after.Conf), "{[1 2 3] []}", "membership at restart")
	eq(t, fmt.Sprint(n2.Log()), fmt.Sprint(logBefore), "log")
	eq(t, after.Applied, uint64(4), "applied")
	rd := n2.Ready()
	check(t, rd.HardState.IsEmpty(), "unchanged hard state must not be handed out again: %+v", rd.HardState)
	eq(t, len(rd.Entries), 0, "persisted entries handed out again")
	eq(t, rd.CommittedEntries[0].Index, uint64(5), "first re-delivered entry")
	eq(t, rd.CommittedEntries[len(rd.CommittedEntries)-1].Index, before.HardState.Commit, "last re-delivered entry")
	n2.Advance(rd)
	eq(t, fmt.Sprint(n2.Status().Conf), fmt.Sprint(before.Conf), "membership after re-applying")
	nw.ticks(3)
	eq(t, nw.status(2).Lead, NodeID(1), "restarted n2 follows n1")
}

// Restart from a snapshot plus the entries after it.
func TestRestartFromSnapshot(t *testing.T) {
	nw := newNetwork(t, 62, 3, nil)
	nw.campaign(1)
	for i := 0; i < 5; i++ {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	nw.snapshotAndCompact(2, []byte("s"))
	nw.propose(1, "tail")
	before := nw.status(2)
	n2 := nw.restart(2)
	after := n2.Status()
	eq(t, after.HardState, before.HardState, "hard state")
	eq(t, after.FirstIndex, before.FirstIndex, "first index")
	eq(t, after.LastIndex, before.LastIndex, "last index")
	eq(t, fmt.Sprint(after.Conf.Voters), "[1 2 3]", "voters from the snapshot")
	eq(t, string(n2.LatestSnapshot().Data), "s", "snapshot held")
}

// A whole cluster restarts and goes on: it elects a leader and commits.
func TestWholeClusterRestart(t *testing.T) {
	nw := newNetwork(t, 63, 3, nil)
	nw.campaign(1)
	nw.propose(1, "a")
	for _, id := range nw.ids {
		nw.restart(id)
	}
	nw.ticks(40)
	l := nw.leader()
	check(t, l != None, "no leader after restart")
	nw.propose(l, "b")
	for _, id := range nw.ids {
		d := nw.store[id].data
		eq(t, string(d[len(d)-1]), "b", "n%d last applied", id)
	}
}

func TestNewRejectsBadConfig(t *testing.T) {
	_, err := New(Config{ID: 1})
	check(t, err != nil, "nil Rand must be refused")
	_, err = New(Config{ID: 1, Rand: nwRand(), HardState: HardState{Term: 2, Commit: 5}})
	check(t, err != nil, "commit beyond the log must be refused")
	_, err = New(Config{ID: 1, Rand: nwRand(), Bootstrap: []ConfChange{{Type: AddVoter, Node: 1}, {Type: AddVoter, Node: 1}}})
	check(t, err != nil, "a bootstrap that adds n1 twice must be refused")
}
