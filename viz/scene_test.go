package viz

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// cluster runs a real simulated cluster of n voters (plus learners) until
// it has a leader, and returns it.
func cluster(t *testing.T, n, learners int, seed uint64) *sim.Cluster {
	t.Helper()
	c, err := sim.New(sim.Options{Nodes: n, Learners: learners, Seed: seed, CheckInvariants: true})
	require.NoError(t, err, "seed %d", seed)
	ok, err := c.RunUntil(func(c *sim.Cluster) bool { return c.Leader() != raft.None }, 20*time.Second)
	require.NoError(t, err, "seed %d", seed)
	require.True(t, ok, "no leader within 20s (seed %d)", seed)
	return c
}

// upNode is a running node with the given Raft status and log.
func upNode(id raft.NodeID, role raft.Role, term, commit, applied uint64, log []raft.Entry) sim.NodeState {
	st := raft.Status{ID: id, Role: role, HardState: raft.HardState{Term: term, Commit: commit},
		Conf: raft.ConfState{Voters: []raft.NodeID{1, 2, 3}}, RandomizedElectionTimeout: 12}
	if len(log) > 0 {
		st.FirstIndex, st.LastIndex = log[0].Index, log[len(log)-1].Index
	}
	return sim.NodeState{ID: id, Name: sim.Name(id), Up: true, Status: st, Log: log, Applied: applied}
}

func entries(from uint64, terms ...uint64) []raft.Entry {
	var out []raft.Entry
	for i, t := range terms {
		out = append(out, raft.Entry{Index: from + uint64(i), Term: t, Data: []byte{1}})
	}
	return out
}

func TestBuildIsAPureFunctionOfItsInputs(t *testing.T) {
	c := cluster(t, 5, 1, 3)
	c.Put(raft.None, "x", "1")
	require.NoError(t, c.RunFor(2*time.Millisecond))
	st := c.State()
	v := DefaultView()
	v.Selected = 2
	a, b := Build(st, v, st.Time), Build(st, v, st.Time)
	require.True(t, reflect.DeepEqual(a, b), "two builds of the same input differ")
	require.Len(t, a.Nodes, 6)
}

func TestEverythingStaysOnTheCanvas(t *testing.T) {
	sizes := [][2]float64{{1280, 800}, {1920, 1080}, {800, 1000}, {640, 400}}
	for n := 1; n <= 9; n++ {
		learners := 0
		if n >= 4 {
			learners = 9 - n
			if learners > 2 {
				learners = 2
			}
		}
		c := cluster(t, n, learners, uint64(n))
		st := c.State()
		for _, sz := range sizes {
			v := DefaultView()
			v.Width, v.Height = sz[0], sz[1]
			s := Build(st, v, st.Time)
			canvas := Rect{0, 0, sz[0], sz[1]}
			for _, nd := range s.Nodes {
				for _, p := range []Point{nd.Center.Add(Point{-nd.Radius, -nd.Radius}), nd.Center.Add(Point{nd.Radius, nd.Radius})} {
					require.True(t, canvas.Contains(p), "%d nodes at %v: %s reaches %v", n, sz, nd.Name, p)
				}
			}
			for _, row := range s.Strips.Rows {
				for _, cell := range row.Cells {
					require.True(t, canvas.Contains(Point{cell.Rect.X + cell.Rect.W, cell.Rect.Y + cell.Rect.H}),
						"%d nodes at %v: cell %d of %s off the canvas", n, sz, cell.Index, row.Name.S)
				}
			}
		}
	}
}

func TestNodeLookPerRole(t *testing.T) {
	roles := []string{"follower", "pre-candidate", "candidate", "leader", "learner", "down"}
	seen := map[Color]string{}
	for _, r := range roles {
		c := RoleColor(r)
		require.NotContains(t, seen, c, "%s and %s share a colour", r, seen[c])
		seen[c] = r
		ink := InkOn(c)
		require.GreaterOrEqual(t, contrast(c, ink), 4.5, "role %s: text on %s is hard to read", r, c.Hex())
	}
	st := sim.State{Leader: 2, Nodes: []sim.NodeState{
		upNode(1, raft.Follower, 2, 0, 0, nil), upNode(2, raft.Leader, 2, 0, 0, nil),
		upNode(3, raft.Candidate, 3, 0, 0, nil)}}
	s := Build(st, DefaultView(), 0)
	for i, want := range []string{"follower", "leader", "candidate"} {
		n := s.Nodes[i]
		require.Equal(t, want, n.Role, "node %s", n.Name)
		require.Equal(t, RoleColor(want), n.Fill)
		require.False(t, n.Dashed)
	}
	require.Equal(t, "term 3", s.Nodes[2].Term)
}

// contrast is the WCAG contrast ratio of two colours.
func contrast(a, b Color) float64 {
	la, lb := a.luminance(), b.luminance()
	if la < lb {
		la, lb = lb, la
	}
	return (la + 0.05) / (lb + 0.05)
}

func TestADownNodeLooksDown(t *testing.T) {
	c := cluster(t, 3, 0, 5)
	lead := c.Leader()
	require.NoError(t, c.Crash(lead))
	st := c.State()
	s := Build(st, DefaultView(), st.Time)
	n, ok := s.Node(lead)
	require.True(t, ok)
	require.Equal(t, "down", n.Role)
	require.True(t, n.Dashed, "a down node has a dashed outline")
	require.Equal(t, DownGrey, n.Fill)
	require.Less(t, n.Timer, 0.0, "a down node has no election timer")
	require.Contains(t, n.Captions[0], "disk:")
	require.NotEqual(t, "term 0", n.Term, "a down node shows the term its disk kept")
	for _, row := range s.Strips.Rows {
		if row.Node == lead {
			require.True(t, row.Down)
			require.Contains(t, row.Info.S, "down")
		}
	}
}

func TestElectionTimerArc(t *testing.T) {
	f := upNode(1, raft.Follower, 1, 0, 0, nil)
	f.Status.ElectionElapsed = 3
	l := upNode(2, raft.Leader, 1, 0, 0, nil)
	l.Status.ElectionElapsed = 3
	s := Build(sim.State{Leader: 2, Nodes: []sim.NodeState{f, l}}, DefaultView(), 0)
	require.InDelta(t, 0.25, s.Nodes[0].Timer, 1e-9)
	require.Less(t, s.Nodes[1].Timer, 0.0, "the leader runs no election timer")
}

func TestLeaderProgressIsShownUnderEachFollower(t *testing.T) {
	l := upNode(1, raft.Leader, 2, 5, 5, entries(1, 1, 1, 2, 2, 2))
	l.Status.Progress = map[raft.NodeID]raft.Progress{
		1: {Match: 5, Next: 6, State: raft.ProgressReplicate},
		2: {Match: 5, Next: 6, State: raft.ProgressReplicate},
		3: {Match: 0, Next: 3, State: raft.ProgressProbe},
	}
	st := sim.State{Leader: 1, Nodes: []sim.NodeState{l,
		upNode(2, raft.Follower, 2, 5, 5, entries(1, 1, 1, 2, 2, 2)), upNode(3, raft.Follower, 2, 2, 2, entries(1, 1, 1))}}
	s := Build(st, DefaultView(), 0)
	require.Contains(t, s.Strips.Rows[2].Info.S, "leader sees match 0 · next 3 · probe")
	require.NotContains(t, s.Strips.Rows[0].Info.S, "leader sees", "the leader has no progress of its own")
	require.Equal(t, []string{"commit 5 · applied 5"}, s.Nodes[1].Captions, "with the logs shown, progress is in the rows")

	v := DefaultView()
	v.ShowLog = false
	s = Build(st, v, 0)
	require.Nil(t, s.Strips)
	require.Contains(t, s.Nodes[1].Captions, "match 5 · next 6 · replicate")
	require.Contains(t, s.Nodes[2].Captions, "match 0 · next 3 · probe")
	for _, c := range s.Nodes[0].Captions {
		require.NotContains(t, c, "match", "the leader has no progress caption of its own")
	}
}

func TestLearnersAreDrawnApartAndMarked(t *testing.T) {
	c := cluster(t, 3, 1, 9)
	require.NoError(t, c.RunFor(time.Second))
	st := c.State()
	s := Build(st, DefaultView(), st.Time)
	n4, _ := s.Node(4)
	require.True(t, n4.Apart && n4.Learner, "n4 is a learner: apart and marked")
	n1, _ := s.Node(1)
	require.False(t, n1.Apart || n1.Learner)
	require.Greater(t, n4.Center.Y, n1.Center.Y, "the learners' row is under the circle")
}

func TestBlockedLinks(t *testing.T) {
	st := sim.State{Nodes: []sim.NodeState{upNode(1, raft.Follower, 1, 0, 0, nil), upNode(2, raft.Follower, 1, 0, 0, nil),
		upNode(3, raft.Follower, 1, 0, 0, nil)},
		Partitions: [][]raft.NodeID{{1}, {2, 3}}, Cuts: []sim.Link{{From: 2, To: 3}}}
	s := Build(st, DefaultView(), 0)
	kinds := map[string]LinkKind{}
	for _, l := range s.Links {
		if l.Kind != LinkOpen {
			require.True(t, l.Dashed, "blocked links are dashed")
			require.Equal(t, Alarm, l.Color)
		}
		if l.Kind != LinkCut {
			kinds[fmt.Sprintf("%d-%d", l.From, l.To)] = l.Kind
		}
	}
	require.Equal(t, map[string]LinkKind{"1-2": LinkPartitioned, "1-3": LinkPartitioned, "2-3": LinkOpen}, kinds)
	var cut *LinkLook
	for i := range s.Links {
		if s.Links[i].Kind == LinkCut {
			cut = &s.Links[i]
		}
	}
	require.NotNil(t, cut, "a cut is drawn on its own lane")
	require.Equal(t, raft.NodeID(2), cut.From)
	require.Equal(t, raft.NodeID(3), cut.To)
}

func TestFontScalesWithTheWindow(t *testing.T) {
	require.InDelta(t, 18, FontSize(1280, 800), 1e-9)
	require.Greater(t, FontSize(1920, 1080), FontSize(1280, 800), "a projector gets larger text")
	require.GreaterOrEqual(t, FontSize(320, 200), 11.0, "text never shrinks below legibility")
}

func TestOverlays(t *testing.T) {
	c := cluster(t, 3, 0, 11)
	st := c.State()
	v := DefaultView()
	s := Build(st, v, st.Time)
	require.Nil(t, s.Card)
	require.Nil(t, s.Banner)
	require.Nil(t, s.Help)

	v.Selected, v.Help, v.Error = 2, true, "scenario:4: expect leader = n3: actual n2"
	s = Build(st, v, st.Time)
	require.NotNil(t, s.Card)
	require.Equal(t, "n2 · "+s.Nodes[1].Role, s.Card.Lines[0].S)
	require.NotNil(t, s.Banner)
	require.Contains(t, s.Banner.Lines[0].S, "expect leader")
	require.NotNil(t, s.Help)
	canvas := Rect{0, 0, v.Width, v.Height}
	for _, cd := range []*Card{s.Card, s.Banner, s.Help} {
		require.True(t, canvas.Contains(Point{cd.Rect.X, cd.Rect.Y}) && canvas.Contains(Point{cd.Rect.X + cd.Rect.W, cd.Rect.Y + cd.Rect.H}),
			"card %q leaves the canvas", cd.Lines[0].S)
		for _, l := range cd.Lines {
			require.True(t, cd.Rect.Contains(l.At), "line %q outside its card", l.S)
		}
	}
	var texts []string
	for _, l := range s.Help.Lines {
		texts = append(texts, l.S)
	}
	for _, k := range Keys {
		require.Contains(t, texts, k[0])
		require.Contains(t, texts, k[1])
	}
	require.Contains(t, s.Header[1].S, "leader "+sim.Name(st.Leader))
}
