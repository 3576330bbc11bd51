package server

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/mvcc"
)

// Watchers on a member hear applied writes in revision order, and a
// watcher started in the past catches up through SyncWatchers on ticks.
func TestWatchThroughMember(t *testing.T) {
	c := newCluster(t, 3, 18, nil)
	l := c.leader()
	f := (l + 1) % 3
	st := c.nodes[f].m.NewWatchStream()
	if _, err := st.Watch(mvcc.WatchRequest{Key: []byte("w")}); err != nil {
		t.Fatal(err)
	}
	c.mustDo(l, put("w", "1"))
	c.mustDo(l, put("w", "2"))
	c.tick()
	var revs []int64
	for _, r := range st.Responses() {
		for _, ev := range r.Events {
			revs = append(revs, ev.Kv.ModRevision)
		}
	}
	if len(revs) != 2 || revs[0] != 2 || revs[1] != 3 {
		t.Fatalf("watch events at revisions %v, want [2 3]", revs)
	}
	past := c.nodes[f].m.NewWatchStream()
	if _, err := past.Watch(mvcc.WatchRequest{Key: []byte("w"), StartRevision: 2}); err != nil {
		t.Fatal(err)
	}
	c.tick()
	n := 0
	for _, r := range past.Responses() {
		n += len(r.Events)
	}
	if n != 2 {
		t.Fatalf("catching-up watcher got %d events, want 2", n)
	}
}
