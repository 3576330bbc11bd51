package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/core/sim"
)

// etcdCluster is a real etcd-mode cluster of three members after puts of
// x, y and x again.
func etcdCluster(t *testing.T, seed uint64) sim.State {
	t.Helper()
	c, err := sim.New(sim.Options{Nodes: 3, Seed: seed, Etcd: &sim.EtcdOptions{}, CheckInvariants: true})
	require.NoError(t, err, "seed %d", seed)
	ok, err := c.RunUntil(func(c *sim.Cluster) bool { return c.Leader() != raft.None }, 20*time.Second)
	require.NoError(t, err, "seed %d", seed)
	require.True(t, ok, "no leader (seed %d)", seed)
	for _, kv := range [][2]string{{"x", "1"}, {"y", "2"}, {"x", "3"}} {
		c.Put(raft.None, kv[0], kv[1])
		require.NoError(t, c.RunFor(100*time.Millisecond), "seed %d", seed)
	}
	return c.State()
}

func TestEtcdPanelsShowARealMembersState(t *testing.T) {
	st := etcdCluster(t, 11)
	s := Build(st, DefaultView(), st.Time)
	require.NotNil(t, s.Etcd, "etcd mode draws the etcd panels")
	require.Equal(t, st.Leader, s.Etcd.Node, "with nothing selected, the leader is shown")
	k := s.Etcd.Keys
	require.Len(t, k.Rows, 2)
	x, y := k.Rows[0], k.Rows[1]
	require.Equal(t, "x", x.Key)
	require.Equal(t, int64(2), x.Version)
	require.Less(t, x.CreateRevision, x.ModRevision)
	require.Less(t, x.Create.X, x.Mod.X, "x's create cell is left of its mod cell")
	require.Greater(t, x.Life.W, 0.0, "a bar joins x's create and mod revisions")
	require.Equal(t, y.CreateRevision, y.ModRevision)
	require.Zero(t, y.Life.W, "y was written once: no bar")
	require.Contains(t, x.Info.S, "= 3 · v2")
	require.Contains(t, k.Title.S, "revision 4")

	var lead sim.NodeState
	for _, ns := range st.Nodes {
		if ns.ID == st.Leader {
			lead = ns
		}
	}
	b := s.Etcd.Backend
	require.Len(t, b.Pages, len(lead.Etcd.Pages))
	require.LessOrEqual(t, b.InUseBar.W, b.SizeBar.W)
	require.Greater(t, b.InUseBar.W, 0.0)
	require.Contains(t, b.Sizes.S, "file")
	require.Equal(t, "no leases", s.Etcd.Leases.Empty.S)
	require.Equal(t, "no watches", s.Etcd.Watches.Empty.S)

	// Selecting a follower shows its state.
	v := DefaultView()
	v.Selected = st.Leader%3 + 1
	require.Equal(t, v.Selected, Build(st, v, st.Time).Etcd.Node)
}

// etcdState is one synthetic member with etcd data e, leading alone.
func etcdState(e sim.EtcdState) sim.State {
	ns := upNode(1, raft.Leader, 2, 5, 5, nil)
	ns.Etcd = &e
	return sim.State{Leader: 1, Nodes: []sim.NodeState{ns}}
}

func TestCompactedRevisionsAreGreyed(t *testing.T) {
	st := etcdState(sim.EtcdState{Revision: 12, CompactRevision: 5, Keys: []mvcc.KeyValue{
		{Key: []byte("old"), CreateRevision: 3, ModRevision: 9, Version: 4},
		{Key: []byte("new"), CreateRevision: 11, ModRevision: 12, Version: 2}}})
	v := DefaultView()
	v.Width, v.Height = 1920, 1080
	k := Build(st, v, 0).Etcd.Keys
	require.Equal(t, int64(1), k.First, "12 revisions fit")
	require.Equal(t, int64(5), k.Compacted)
	old := k.Rows[0]
	span := k.CompactedSpan
	require.InDelta(t, old.Create.X-1, span.X+2*k.CellW, 1e-6, "revision 3 is the third column of the grey span")
	require.InDelta(t, span.X+5*k.CellW, span.X+span.W, 1e-6, "the span covers revisions 1 to 5")
	require.Greater(t, old.Mod.X, span.X+span.W, "revision 9 is not compacted")
	require.Contains(t, k.Note.S, "compacted at 5")

	// Never compacted: no grey.
	st.Nodes[0].Etcd.CompactRevision = -1
	require.Zero(t, Build(st, v, 0).Etcd.Keys.CompactedSpan.W)

	// A narrow panel follows the newest revisions, like the log strips.
	st.Nodes[0].Etcd.Revision, st.Nodes[0].Etcd.Keys[1].ModRevision = 40, 40
	v.Width, v.Height = 1280, 800
	k = Build(st, v, 0).Etcd.Keys
	require.Equal(t, int64(40), k.Last)
	require.Greater(t, k.First, int64(1))
	require.Zero(t, k.Rows[0].Create.W, "old's create revision is left of the window")
}

func TestLeaseBarsDrainAndFollowersDoNotCount(t *testing.T) {
	st := etcdState(sim.EtcdState{Leases: []sim.LeaseState{
		{ID: 0x491f127efb617570, TTLSeconds: 3, RemainingSeconds: 1, Keys: []string{"a", "b"}},
		{ID: 7, TTLSeconds: 10, RemainingSeconds: 10}}})
	l := Build(st, DefaultView(), 0).Etcd.Leases
	require.Len(t, l.Rows, 2)
	short, full := l.Rows[0], l.Rows[1]
	require.InDelta(t, short.Track.W/3, short.Left.W, 1e-6, "1 s of 3 left: a third of the bar")
	require.Equal(t, Vermillion, short.Fill, "a lease about to expire is drawn in warning colour")
	require.Equal(t, "keys a b", short.Keys.S)
	require.Equal(t, "491f12…", short.Name.S)
	require.InDelta(t, full.Track.W, full.Left.W, 1e-6)
	require.Equal(t, BluishGreen, full.Fill)

	// A follower shown, a leader elsewhere: the leader's countdown is used.
	f := upNode(2, raft.Follower, 2, 5, 5, nil)
	f.Etcd = &sim.EtcdState{Leases: []sim.LeaseState{{ID: 9, TTLSeconds: 5, RemainingSeconds: -1}}}
	st.Nodes = append(st.Nodes, f)
	v := DefaultView()
	v.Selected = 2
	s := Build(st, v, 0)
	require.Equal(t, raft.NodeID(2), s.Etcd.Node)
	require.Len(t, s.Etcd.Leases.Rows, 2, "the leader's leases")
	st.Leader = raft.None
	s = Build(st, v, 0)
	row := s.Etcd.Leases.Rows[0]
	require.Zero(t, row.Left.W, "a follower does not count down")
	require.Contains(t, row.Time.S, "not counted")
}

func TestPageMapKeepsItsCellsWhileDefragShrinksTheFile(t *testing.T) {
	pages := func(n int) []backend.PageInfo {
		var out []backend.PageInfo
		for i := 0; i < n; i++ {
			k := backend.PageLeaf
			switch {
			case i < 2:
				k = backend.PageMeta
			case i%3 == 0:
				k = backend.PageFree
			case i%5 == 0:
				k = backend.PagePending
			}
			out = append(out, backend.PageInfo{ID: uint64(i), Kind: k, Bucket: "key", FillBytes: 2048})
		}
		return out
	}
	// n1 is defragmented, n2 not yet (defrag is local to one member).
	st := etcdState(sim.EtcdState{DBSize: 40 * 4096, DBSizeInUse: 10 * 4096, Pages: pages(40)})
	n2 := upNode(2, raft.Follower, 2, 5, 5, nil)
	n2.Etcd = &sim.EtcdState{DBSize: 40 * 4096, DBSizeInUse: 10 * 4096, Pages: pages(40)}
	st.Nodes = append(st.Nodes, n2)
	before := Build(st, DefaultView(), 0).Etcd.Backend
	st.Nodes[0].Etcd = &sim.EtcdState{DBSize: 10 * 4096, DBSizeInUse: 10 * 4096, Pages: pages(10)}
	after := Build(st, DefaultView(), 0).Etcd.Backend
	require.Len(t, before.Pages, 40)
	require.Len(t, after.Pages, 10)
	require.Equal(t, before.Pages[3].Rect, after.Pages[3].Rect, "page 3 stays where it was: the map empties out")
	require.InDelta(t, before.SizeBar.W/4, before.InUseBar.W, 1e-6, "a quarter of the file in use")
	require.InDelta(t, after.SizeBar.W, after.InUseBar.W, 1e-6, "after defrag all of it")
	require.Equal(t, pageFree, before.Pages[3].Fill)
	require.Equal(t, pagePending, before.Pages[5].Fill)
	require.Equal(t, pageKeys, before.Pages[4].Fill)
	require.InDelta(t, 0.5, before.Pages[4].Filled, 1e-6, "half the page's bytes used")
	for i := 1; i < len(before.Pages); i++ {
		a, b := before.Pages[i-1].Rect, before.Pages[i].Rect
		require.False(t, a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H, "pages %d and %d overlap", i-1, i)
	}
	alarmed := Build(etcdState(sim.EtcdState{Alarms: []server.AlarmMember{{MemberID: 1, Alarm: server.AlarmNoSpace}}}), DefaultView(), 0)
	require.Contains(t, alarmed.Etcd.Backend.Alarm.S, "raised by n1")
}

func TestWatchesAreListed(t *testing.T) {
	st := etcdState(sim.EtcdState{})
	st.Watches = []sim.WatchState{{ID: 1, Node: 3, Label: "a --prefix", Events: 2, LastRevision: 4},
		{ID: 2, Node: 3, Label: "b", Events: 1, LastRevision: 4, Ended: true, Why: "canceled"}}
	v := DefaultView()
	v.Width, v.Height = 1920, 1080
	w := Build(st, v, 0).Etcd.Watches
	require.Equal(t, "w1 via n3 · a --prefix · 2 events, last rev 4", w.Rows[0].Line.S)
	require.Equal(t, "w2 via n3 · b · 1 event, last rev 4 · ended: canceled", w.Rows[1].Line.S)
	require.Equal(t, MutedInk, w.Rows[1].Line.Color, "an ended watch is greyed")
}

func TestEtcdPanelsToggleAndFitTheCanvas(t *testing.T) {
	st := etcdCluster(t, 12)
	for _, sz := range [][2]float64{{1280, 800}, {1920, 1080}, {800, 1000}} {
		v := DefaultView()
		v.Width, v.Height = sz[0], sz[1]
		s := Build(st, v, st.Time)
		canvas := Rect{0, 0, sz[0], sz[1]}
		frames := []PanelFrame{s.Etcd.Keys.PanelFrame, s.Etcd.Backend.PanelFrame, s.Etcd.Leases.PanelFrame, s.Etcd.Watches.PanelFrame}
		for i, f := range frames {
			require.True(t, canvas.Contains(Point{f.Rect.X, f.Rect.Y}) && canvas.Contains(Point{f.Rect.X + f.Rect.W, f.Rect.Y + f.Rect.H}),
				"%v: panel %q leaves the canvas", sz, f.Title.S)
			require.Greater(t, f.Rect.H, s.Font*3, "%v: panel %q is too short to read", sz, f.Title.S)
			require.False(t, overlaps(f.Rect, s.Strips.Area), "%v: panel %q covers the logs", sz, f.Title.S)
			for j := i + 1; j < len(frames); j++ {
				require.False(t, overlaps(f.Rect, frames[j].Rect), "%v: panels %q and %q overlap", sz, f.Title.S, frames[j].Title.S)
			}
		}
		for _, r := range s.Etcd.Keys.Rows {
			require.True(t, s.Etcd.Keys.Rect.Contains(r.Mod.Center()), "%v: key %s's cell is outside its panel", sz, r.Key)
		}
	}
	v := DefaultView()
	v.ShowKeys, v.ShowWatches = false, false
	s := Build(st, v, st.Time)
	require.Nil(t, s.Etcd.Keys)
	require.Nil(t, s.Etcd.Watches)
	require.NotNil(t, s.Etcd.Backend)
	v.ShowBackend, v.ShowLeases = false, false
	s = Build(st, v, st.Time)
	require.Nil(t, s.Etcd, "every panel hidden: no etcd panels")
	require.Equal(t, Build(st, v, st.Time).Strips.Area, s.Strips.Area)
	require.Nil(t, Build(fiveWithLeader(7, 7, 7), DefaultView(), 0).Etcd, "raft-only mode has no etcd panels")
}

func overlaps(a, b Rect) bool {
	return a.X < b.X+b.W && b.X < a.X+a.W && a.Y < b.Y+b.H && b.Y < a.Y+a.H
}
