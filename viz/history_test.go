package viz

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/sim"
)

func changes(tomb int64, mains ...int64) []mvcc.Change {
	var out []mvcc.Change
	for _, m := range mains {
		out = append(out, mvcc.Change{Revision: mvcc.Revision{Main: m}, Tombstone: m == tomb})
	}
	return out
}

func TestKeysPanelShowsEveryChangeHeld(t *testing.T) {
	// a: put 2, put 3, deleted 4, put 6, put 8 (live: create 6, mod 8);
	// gone: put 5, deleted 7; compacted at 3.
	st := etcdState(sim.EtcdState{Revision: 8, CompactRevision: 3,
		Keys: []mvcc.KeyValue{{Key: []byte("a"), Value: []byte("v"), CreateRevision: 6, ModRevision: 8, Version: 2}},
		History: []mvcc.KeyHistory{
			{Key: []byte("a"), Changes: changes(4, 3, 4, 6, 8)},
			{Key: []byte("gone"), Changes: changes(7, 5, 7)},
		}})
	v := DefaultView()
	v.Width, v.Height = 1920, 1080
	k := Build(st, v, 0).Etcd.Keys
	require.Len(t, k.Rows, 2)
	a, gone := k.Rows[0], k.Rows[1]
	require.Equal(t, "a", a.Key)
	require.False(t, a.Deleted)
	require.Equal(t, []int64{3, 4}, marksOf(a), "the changes besides create and mod")
	require.True(t, a.Changes[1].Tombstone, "4 deleted the first generation")
	require.False(t, a.Changes[0].Tombstone)
	require.Equal(t, "gone", gone.Key)
	require.True(t, gone.Deleted)
	require.Equal(t, []int64{5, 7}, marksOf(gone))
	require.True(t, gone.Changes[1].Tombstone)
	require.Equal(t, "deleted", gone.Info.S)

	// Each mark sits in its revision's column, like the create cell.
	require.InDelta(t, a.Create.Center().X, a.Changes[0].Cell.Center().X+3*k.CellW, 1e-6, "3 is three columns left of 6")
	// The compact boundary is the right edge of revision 3, greyed span's end.
	require.Greater(t, k.CompactBoundary.W, 0.0)
	require.InDelta(t, k.CompactedSpan.X+k.CompactedSpan.W, k.CompactBoundary.X+1, 1e-6)
	require.Less(t, k.CompactBoundary.X, a.Changes[1].Cell.X, "4 is past the boundary")
	require.Greater(t, k.CompactBoundary.X, a.Changes[0].Cell.X, "3 is at or before it")
}

func marksOf(k KeyRow) []int64 {
	var out []int64
	for _, c := range k.Changes {
		out = append(out, c.Revision)
	}
	return out
}

func TestWatchesPanelListsRecentEventsAndFlashesNewOnes(t *testing.T) {
	w := sim.WatchState{ID: 1, Node: 1, Label: "foo", Events: 2, LastRevision: 5, Recent: []sim.WatchEvent{
		{Revision: 5, Type: "DELETE", Key: "foo"}, {Revision: 4, Type: "PUT", Key: "foo", Value: "bar"}}}
	st := etcdState(sim.EtcdState{Revision: 5})
	st.Watches = []sim.WatchState{w}
	v := DefaultView()
	v.Width, v.Height = 1920, 1080
	p := Build(st, v, 0).Etcd.Watches
	require.Len(t, p.Rows, 1)
	ev := p.Rows[0].Events
	require.Len(t, ev, 2)
	require.Equal(t, "5 DELETE foo", ev[0].Line.S, "newest first")
	require.Equal(t, "4 PUT foo = bar", ev[1].Line.S)
	require.Less(t, p.Rows[0].Line.At.Y, ev[0].Line.At.Y, "events under their watch")

	var ew EventWatch
	require.False(t, ew.Observe(Build(st, v, 0), 0), "what is there at first is not new")
	st.Watches[0].Events = 3
	st.Watches[0].Recent = append([]sim.WatchEvent{{Revision: 6, Type: "PUT", Key: "foo", Value: "x"}}, w.Recent...)
	s := Build(st, v, 0)
	require.True(t, ew.Observe(s, 100*time.Millisecond))
	ev = s.Etcd.Watches.Rows[0].Events
	require.Equal(t, 1.0, ev[0].Flash, "the new event is lit")
	require.Zero(t, ev[1].Flash, "the old ones are not")
	s = Build(st, v, 0)
	require.True(t, ew.Observe(s, 100*time.Millisecond+EventFlash/2))
	require.InDelta(t, 0.5, s.Etcd.Watches.Rows[0].Events[0].Flash, 1.0/16, "it fades")
	require.False(t, ew.Observe(Build(st, v, 0), 100*time.Millisecond+EventFlash), "and goes out")
}
