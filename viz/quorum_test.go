package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// fiveWithLeader is five voters led by n1 at commit 7, with the given
// match indexes (n1 first).
func fiveWithLeader(match ...uint64) sim.State {
	st := sim.State{Leader: 1}
	voters := []raft.NodeID{1, 2, 3, 4, 5}
	for i, id := range voters {
		role := raft.Follower
		if id == 1 {
			role = raft.Leader
		}
		ns := upNode(id, role, 2, 7, 7, nil)
		ns.Status.Conf.Voters = voters
		st.Nodes = append(st.Nodes, ns)
		_ = i
	}
	st.Nodes[0].Status.Progress = map[raft.NodeID]raft.Progress{}
	for i, m := range match {
		st.Nodes[0].Status.Progress[voters[i]] = raft.Progress{Match: m, Next: m + 1}
	}
	return st
}

func TestQuorumIsTheVotersWhoseMatchReachedTheCommit(t *testing.T) {
	st := fiveWithLeader(9, 7, 3, 8, 0)
	s := Build(st, DefaultView(), 0)
	q := s.Quorum
	require.NotNil(t, q)
	require.Equal(t, raft.NodeID(1), q.Leader)
	require.Equal(t, uint64(7), q.Commit)
	require.Equal(t, []raft.NodeID{1, 2, 4}, q.Acked, "n3 (match 3) and n5 (match 0) did not acknowledge index 7")
	require.Equal(t, 5, q.Voters)
	require.Equal(t, 3, q.Needed)
	require.Len(t, q.Marks, 3)
	require.Len(t, q.Spokes, 2, "one spoke per acknowledging follower, none for the leader")
	n4, _ := s.Node(4)
	lead, _ := s.Node(1)
	sp := q.Spokes[1]
	require.InDelta(t, n4.Radius, Dist(sp[0], n4.Center), 1e-6, "the spoke leaves n4 at its rim")
	require.InDelta(t, lead.Radius, Dist(sp[1], lead.Center), 1e-6, "the spoke reaches the leader at its rim")
	require.Contains(t, q.Note.S, "index 7 committed: n1 n2 n4")
	require.Contains(t, q.Note.S, "3 of 5")
	require.Zero(t, q.Strength, "Build alone does not light the quorum")
}

func TestNoQuorumWithoutALeaderOrACommit(t *testing.T) {
	st := fiveWithLeader(7, 7, 7)
	st.Leader = raft.None
	require.Nil(t, Build(st, DefaultView(), 0).Quorum)
	st = fiveWithLeader(0, 0)
	for i := range st.Nodes {
		st.Nodes[i].Status.HardState.Commit = 0
	}
	require.Nil(t, Build(st, DefaultView(), 0).Quorum)
}

func TestCommitWatchFlashesWhenTheCommitAdvancesThenFades(t *testing.T) {
	var w CommitWatch
	frame := func(commit uint64, now time.Duration) float64 {
		st := fiveWithLeader(commit, commit, commit)
		for i := range st.Nodes {
			st.Nodes[i].Status.HardState.Commit = commit
		}
		return w.Observe(Build(st, DefaultView(), 0), now)
	}
	require.Zero(t, frame(7, 0), "the first frame seen is no advance")
	require.Zero(t, frame(7, 100*time.Millisecond))
	require.Equal(t, 1.0, frame(8, 200*time.Millisecond), "an advance lights the quorum fully")
	mid := frame(8, 200*time.Millisecond+QuorumFlash/2)
	require.Greater(t, mid, 0.3)
	require.Less(t, mid, 0.7)
	require.Zero(t, frame(8, 200*time.Millisecond+QuorumFlash), "the flash is over")
	require.Zero(t, w.Observe(&Scene{}, time.Second*9), "no quorum: nothing to light")
}
