package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestHitTest(t *testing.T) {
	ms := time.Millisecond
	st := threeNodes(sim.MessageInfo{ID: 9, From: 1, To: 2, Type: raft.MsgApp, Sent: 0, Due: 4 * ms})
	s := Build(st, DefaultView(), 2*ms)
	for _, n := range s.Nodes {
		require.Equal(t, Hit{Node: n.ID}, s.HitTest(n.Center), "centre of %s", n.Name)
		require.Equal(t, Hit{Node: n.ID}, s.HitTest(n.Center.Add(Point{n.Radius, 0})), "rim of %s", n.Name)
	}
	require.Equal(t, Hit{Message: 9}, s.HitTest(s.Messages[0].At))
	require.Equal(t, Hit{}, s.HitTest(Point{1, s.Height / 2}), "empty space")
	row := s.Strips.Rows[2]
	require.Equal(t, Hit{Node: 3}, s.HitTest(row.Area.Center()), "a log row selects its node")
}
