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

func TestHitTestLinksPickTheLaneOnTheClickedSide(t *testing.T) {
	s := Build(threeNodes(), DefaultView(), 0)
	for _, pair := range [][2]raft.NodeID{{1, 2}, {2, 1}, {2, 3}, {3, 2}, {1, 3}, {3, 1}} {
		p, ok := s.LinkPoint(pair[0], pair[1])
		require.True(t, ok)
		require.Equal(t, Hit{LinkFrom: pair[0], LinkTo: pair[1]}, s.HitTest(p), "the middle of lane %v", pair)
	}
	a, _ := s.Node(1)
	b, _ := s.Node(2)
	mid := Lerp(a.Center, b.Center, 0.5)
	off := b.Center.Sub(a.Center).unit().normal().Scale(laneGap(s.Font) * 3)
	require.Equal(t, Hit{}, s.HitTest(mid.Add(off.Scale(3))), "far beside the link")
	require.Equal(t, Hit{Node: 1}, s.HitTest(a.Center), "a node wins over its links")
	_, ok := s.LinkPoint(1, 9)
	require.False(t, ok, "no such node")
}

func TestOneWayCutIsDrawnOnItsLaneWithAnArrow(t *testing.T) {
	st := threeNodes()
	st.Cuts = []sim.Link{{From: 1, To: 2}}
	s := Build(st, DefaultView(), 0)
	var cuts []LinkLook
	for _, l := range s.Links {
		if l.Kind == LinkCut {
			cuts = append(cuts, l)
		}
	}
	require.Len(t, cuts, 1)
	c := cuts[0]
	require.NotNil(t, c.Arrow)
	b, _ := s.Node(2)
	a, _ := s.Node(1)
	require.Less(t, Dist(c.Arrow[0], b.Center), Dist(c.Arrow[0], a.Center), "the arrow points at n2, the blocked way")
	p, _ := s.LinkPoint(1, 2)
	require.InDelta(t, 0, Dist(c.Cross, p), 1e-6, "the cut is drawn on lane n1->n2")
	back, _ := s.LinkPoint(2, 1)
	require.Greater(t, Dist(c.Cross, back), laneGap(s.Font), "not on the open lane n2->n1")
	for _, l := range s.Links {
		if l.Kind != LinkCut {
			require.Nil(t, l.Arrow, "open links have no arrow")
		}
	}
}
