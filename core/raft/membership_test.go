package raft

import (
	"errors"
	"fmt"
	"testing"
)

// proposeConf proposes cc at id and settles; it returns the error.
func (nw *network) proposeConf(id NodeID, cc ConfChange) error {
	err := nw.nodes[id].ProposeConfChange(cc)
	nw.settle()
	return err
}

func TestConfChangeRoundTrip(t *testing.T) {
	cc := ConfChange{Type: PromoteLearner, Node: 7, Context: []byte("n7=http://x")}
	got, err := UnmarshalConfChange(cc.Marshal())
	check(t, err == nil, "unmarshal: %v", err)
	check(t, got.Type == cc.Type && got.Node == cc.Node && string(got.Context) == string(cc.Context), "round trip: %+v", got)
	_, err = UnmarshalConfChange([]byte{0xff})
	check(t, err != nil, "garbage must not decode")
}

// Add a voter that joins with an empty state: it learns the log (and the
// membership) from the leader, then votes and counts in quorums.
func TestAddVoter(t *testing.T) {
	nw := newNetwork(t, 21, 3, nil)
	nw.campaign(1)
	nw.add(4, nil)
	err := nw.proposeConf(1, ConfChange{Type: AddVoter, Node: 4})
	check(t, err == nil, "add n4: %v", err)
	nw.ticks(2)
	for _, id := range nw.ids {
		eq(t, fmt.Sprint(nw.status(id).Conf.Voters), "[1 2 3 4]", "n%d voters", id)
	}
	pr := nw.status(1).Progress[4]
	eq(t, pr.Match, nw.status(1).LastIndex, "n4 match")
	check(t, nw.hasEvent(func(e Event) bool { return e.Node == 4 && e.Kind == EvConfChanged && e.Peer == 4 }), "n4 applies its own addition")
	// Quorum is now 3 of 4: with n3 and n4 cut off nothing commits.
	nw.isolated[3], nw.isolated[4] = true, true
	commit := nw.status(1).HardState.Commit
	nw.propose(1, "x")
	eq(t, nw.status(1).HardState.Commit, commit, "commit with 2 of 4 voters")
}

func TestAddLearnerThenPromote(t *testing.T) {
	nw := newNetwork(t, 22, 3, nil)
	nw.campaign(1)
	nw.add(4, nil)
	check(t, nw.proposeConf(1, ConfChange{Type: AddLearner, Node: 4}) == nil, "add learner")
	nw.ticks(2)
	eq(t, nw.status(4).Role, Learner, "n4 role")
	eq(t, fmt.Sprint(nw.status(2).Conf.Learners), "[4]", "n2 learners")
	check(t, nw.status(1).Progress[4].IsLearner, "leader sees n4 as learner")
	check(t, nw.proposeConf(1, ConfChange{Type: PromoteLearner, Node: 4}) == nil, "promote")
	nw.ticks(2)
	for _, id := range nw.ids {
		s := nw.status(id)
		eq(t, fmt.Sprint(s.Conf.Voters, s.Conf.Learners), "[1 2 3 4] []", "n%d conf", id)
	}
	eq(t, nw.status(4).Role, Follower, "promoted n4 role")
}

func TestRemoveVoter(t *testing.T) {
	nw := newNetwork(t, 23, 3, nil)
	nw.campaign(1)
	check(t, nw.proposeConf(1, ConfChange{Type: RemoveNode, Node: 3}) == nil, "remove n3")
	nw.ticks(2)
	eq(t, fmt.Sprint(nw.status(1).Conf.Voters), "[1 2]", "voters")
	_, has := nw.status(1).Progress[3]
	check(t, !has, "n3's progress must be dropped")
	// n3 is out: it never campaigns.
	nw.isolated[3] = true
	term := nw.status(3).HardState.Term
	nw.ticks(50, 3)
	eq(t, nw.status(3).HardState.Term, term, "removed n3's term")
	eq(t, nw.status(3).Role, Follower, "removed n3's role")
}

func TestConfChangeRefusals(t *testing.T) {
	nw := newNetwork(t, 24, 3, nil)
	nw.campaign(1)
	refuse := func(cc ConfChange, want error) {
		t.Helper()
		err := nw.proposeConf(1, cc)
		check(t, errors.Is(err, want), "%s n%d: got %v, want %v", cc.Type, cc.Node, err, want)
		check(t, nw.hasEvent(func(e Event) bool { return e.Kind == EvConfChangeRefused && e.Peer == cc.Node }), "refusal event for %s n%d", cc.Type, cc.Node)
	}
	refuse(ConfChange{Type: AddVoter, Node: 2}, ErrMemberExists)
	refuse(ConfChange{Type: AddLearner, Node: 3}, ErrMemberExists)
	refuse(ConfChange{Type: RemoveNode, Node: 9}, ErrMemberNotFound)
	refuse(ConfChange{Type: PromoteLearner, Node: 9}, ErrMemberNotFound)
	refuse(ConfChange{Type: PromoteLearner, Node: 2}, ErrNotLearner)

	// A pending (appended, not applied) change blocks the next one.
	nw.isolated[2], nw.isolated[3] = true, true
	check(t, nw.proposeConf(1, ConfChange{Type: AddLearner, Node: 5}) == nil, "add learner n5")
	refuse(ConfChange{Type: AddLearner, Node: 6}, ErrConfChangePending)
	eq(t, nw.status(1).PendingConfIndex, nw.status(1).LastIndex, "pending conf index")
	delete(nw.isolated, 2)
	delete(nw.isolated, 3)
	nw.ticks(2)

	// A learner far behind the leader cannot be promoted.
	nw.add(5, nil)
	nw.isolated[5] = true
	for i := 0; i < 20; i++ {
		nw.propose(1, "x")
	}
	refuse(ConfChange{Type: PromoteLearner, Node: 5}, ErrLearnerNotReady)
	delete(nw.isolated, 5)
	nw.ticks(2)
	check(t, nw.proposeConf(1, ConfChange{Type: PromoteLearner, Node: 5}) == nil, "promote caught-up n5")
	nw.ticks(2)
}

// etcd's strict reconfig check: refuse a change that would leave fewer
// started voters than a quorum.
func TestUnsafeReconfig(t *testing.T) {
	nw := newNetwork(t, 25, 3, nil)
	nw.campaign(1)
	nw.down[3] = true
	nw.ticks(21, 1, 2) // two check-quorum rounds: n3 is no longer recently active
	eq(t, nw.leader(), NodeID(1), "leader")
	// Removing n2 would leave {n1, n3} with only n1 started: 1 < 2.
	err := nw.proposeConf(1, ConfChange{Type: RemoveNode, Node: 2})
	check(t, errors.Is(err, ErrUnsafeReconfig), "remove n2: %v", err)
	// Adding a voter: 2 started < quorum of 4 (3).
	err = nw.proposeConf(1, ConfChange{Type: AddVoter, Node: 4})
	check(t, errors.Is(err, ErrUnsafeReconfig), "add n4: %v", err)
	// Removing the dead n3 is safe: {n1, n2} both started.
	check(t, nw.proposeConf(1, ConfChange{Type: RemoveNode, Node: 3}) == nil, "remove dead n3")
	// Learners are not checked.
	nw.ticks(2, 1, 2)
	check(t, nw.proposeConf(1, ConfChange{Type: AddLearner, Node: 4}) == nil, "add learner n4")
}

// etcd's two exceptions to the strict check: a one-voter cluster may grow to
// two (restoring a cluster from a backup), and a learner being promoted
// counts as started.
func TestStrictReconfigExceptions(t *testing.T) {
	nw := newNetwork(t, 27, 1, nil)
	nw.campaign(1)
	check(t, nw.proposeConf(1, ConfChange{Type: AddVoter, Node: 2}) == nil, "add a second voter to a one-voter cluster")

	nw = newNetwork(t, 28, 3, nil)
	nw.campaign(1)
	check(t, nw.proposeConf(1, ConfChange{Type: AddLearner, Node: 4}) == nil, "add learner n4")
	nw.add(4, nil)
	nw.ticks(2)
	nw.down[3] = true
	nw.ticks(21, 1, 2, 4) // n3 is no longer recently active
	// Voters {1,2,3} + n4: quorum 3; started n1, n2 and the learner n4 itself.
	check(t, nw.proposeConf(1, ConfChange{Type: PromoteLearner, Node: 4}) == nil, "promote n4 with n3 down")
}

// A leader that removes itself counts itself until the removal is applied,
// then steps down ("removed"); the rest elect a leader among themselves and
// the removed node never campaigns.
func TestLeaderRemovesItself(t *testing.T) {
	nw := newNetwork(t, 26, 3, nil)
	nw.campaign(1)
	check(t, nw.proposeConf(1, ConfChange{Type: RemoveNode, Node: 1}) == nil, "remove n1")
	eq(t, nw.status(1).Role, Follower, "n1 role after its removal applied")
	check(t, nw.hasEvent(func(e Event) bool { return e.Node == 1 && e.Kind == EvStepDown && e.Reason == "removed" }), "step-down event")
	for _, id := range []NodeID{2, 3} {
		eq(t, fmt.Sprint(nw.status(id).Conf.Voters), "[2 3]", "n%d voters", id)
	}
	nw.ticks(60)
	l := nw.leader()
	check(t, l == 2 || l == 3, "new leader among n2, n3: n%d", l)
	eq(t, nw.status(1).Role, Follower, "removed n1 stays a follower")
	nw.propose(l, "after")
	eq(t, string(nw.store[l].data[len(nw.store[l].data)-1]), "after", "the new configuration commits")
}

// A follower forwards a membership change to the leader.
func TestFollowerForwardsConfChange(t *testing.T) {
	nw := newNetwork(t, 27, 3, nil)
	nw.campaign(1)
	nw.add(4, nil)
	check(t, nw.proposeConf(2, ConfChange{Type: AddLearner, Node: 4}) == nil, "forwarded add")
	nw.ticks(2)
	eq(t, fmt.Sprint(nw.status(3).Conf.Learners), "[4]", "learners")
}
