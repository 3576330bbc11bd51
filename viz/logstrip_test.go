package viz

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestLogStripMarks(t *testing.T) {
	log := entries(3, 1, 2, 2, 3)
	log[0].Type = raft.EntryConfChange
	log[1].Data = nil // the new leader's empty entry
	n := upNode(1, raft.Follower, 3, 4, 3, log)
	n.Snapshot = raft.SnapshotMeta{Index: 2, Term: 1}
	st := sim.State{Nodes: []sim.NodeState{n}}
	s := Build(st, DefaultView(), 0)
	cells := s.Strips.Rows[0].Cells
	require.Equal(t, uint64(1), s.Strips.First)
	byIndex := map[uint64]LogCell{}
	for _, c := range cells {
		byIndex[c.Index] = c
	}
	require.Equal(t, CellCompacted, byIndex[1].Kind)
	require.Equal(t, CellCompacted, byIndex[2].Kind)
	require.True(t, byIndex[2].SnapshotEdge, "the bar marks the snapshot's last index")
	require.False(t, byIndex[1].SnapshotEdge)

	require.Equal(t, CellEntry, byIndex[3].Kind)
	require.True(t, byIndex[3].Conf)
	require.True(t, byIndex[3].Committed && byIndex[3].Applied)
	require.True(t, byIndex[4].NoOp)
	require.True(t, byIndex[4].Committed)
	require.False(t, byIndex[4].Applied, "applied 3 < 4")
	require.False(t, byIndex[5].Committed, "commit 4 < 5")
	require.Equal(t, "3", byIndex[6].Text, "a cell shows its term")
	require.Equal(t, TermColor(3).Mix(White, 0.55), byIndex[6].Fill, "uncommitted is pale")
	require.Equal(t, TermColor(2).Mix(White, 0.55), byIndex[5].Fill)
	require.Equal(t, TermColor(2), byIndex[4].Fill, "committed has the term's full colour")
	require.Equal(t, CellSlot, byIndex[7].Kind, "beyond the log")
}

func TestLogStripsAlignIndexesAndFollowTheNewestEntries(t *testing.T) {
	var long []raft.Entry
	for i := 1; i <= 400; i++ {
		long = append(long, raft.Entry{Index: uint64(i), Term: 1 + uint64(i/100), Data: []byte{1}})
	}
	st := sim.State{Nodes: []sim.NodeState{
		upNode(1, raft.Leader, 4, 400, 400, long), upNode(2, raft.Follower, 4, 300, 300, long[:300])}}
	s := Build(st, DefaultView(), 0)
	require.Equal(t, uint64(400), s.Strips.Last, "the window ends at the newest entry")
	r1, r2 := s.Strips.Rows[0].Cells, s.Strips.Rows[1].Cells
	require.Equal(t, len(r1), len(r2))
	for i := range r1 {
		require.Equal(t, r1[i].Index, r2[i].Index)
		require.Equal(t, r1[i].Rect.X, r2[i].Rect.X, "index %d is in the same column on every row", r1[i].Index)
	}
	require.Equal(t, CellSlot, r2[len(r2)-1].Kind, "n2 lags behind")
}

func TestALongRoleFitsItsLabelColumn(t *testing.T) {
	st := sim.State{Nodes: []sim.NodeState{upNode(1, raft.PreCandidate, 2, 0, 0, nil)}}
	s := Build(st, DefaultView(), 0)
	row := s.Strips.Rows[0]
	require.Equal(t, "pre-candidate", row.Role.S)
	firstCell := row.Cells[0].Rect.X
	require.LessOrEqual(t, row.Role.At.X+textWidth(row.Role.S, row.Role.Size), firstCell, "the role runs under the cells")
}
