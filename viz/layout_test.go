package viz

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
)

func ids(from, n int) []raft.NodeID {
	var out []raft.NodeID
	for i := 0; i < n; i++ {
		out = append(out, raft.NodeID(from+i))
	}
	return out
}

func TestLayoutOneToNineNodesNeitherOverlapsNorLeaves(t *testing.T) {
	areas := []Rect{{0, 60, 640, 680}, {10, 10, 1900, 900}, {0, 0, 360, 300}, {0, 0, 1000, 380}}
	for _, area := range areas {
		for total := 1; total <= 9; total++ {
			for apart := 0; apart <= min(total-1, 3); apart++ {
				voters, others := ids(1, total-apart), ids(total-apart+1, apart)
				p := Layout(voters, others, area)
				require.Len(t, p, total)
				checkPlacements(t, p, area, total, apart)
			}
		}
	}
}

func checkPlacements(t *testing.T, p map[raft.NodeID]Placement, area Rect, total, apart int) {
	t.Helper()
	for id, a := range p {
		require.Greater(t, a.Radius, 4.0, "%d nodes (%d apart) in %v: n%d too small", total, apart, area, id)
		lo := Point{a.Center.X - a.Radius, a.Center.Y - a.Radius}
		hi := Point{a.Center.X + a.Radius, a.Center.Y + a.Radius}
		require.True(t, area.Contains(lo) && area.Contains(hi), "%d nodes (%d apart) in %v: n%d at %v r=%.1f leaves the area", total, apart, area, id, a.Center, a.Radius)
		for id2, b := range p {
			if id2 <= id {
				continue
			}
			d := Dist(a.Center, b.Center)
			require.Greater(t, d, a.Radius+b.Radius+4, "%d nodes (%d apart) in %v: n%d and n%d overlap", total, apart, area, id, id2)
		}
	}
}

func TestLayoutIsStableAndClockwiseFromTheTop(t *testing.T) {
	area := Rect{0, 0, 600, 600}
	a := Layout(ids(1, 5), nil, area)
	b := Layout(ids(1, 5), nil, area)
	require.Equal(t, a, b)
	require.Less(t, a[1].Center.Y, a[2].Center.Y, "n1 is at the top")
	require.InDelta(t, area.Center().X, a[1].Center.X, 1e-9)
	require.Greater(t, a[2].Center.X, a[1].Center.X, "n2 follows clockwise, to the right")
	one := Layout(ids(1, 1), nil, area)
	require.InDelta(t, area.Center().X, one[1].Center.X, 1e-9, "a single node sits in the middle")
}
