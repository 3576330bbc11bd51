package sim_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// TestEtcdWatchKeepsRecentEvents: a watch's state lists its last events,
// newest first, bounded, with long values shortened.
func TestEtcdWatchKeepsRecentEvents(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 4})
	if _, err := c.Watch(2, mvcc.WatchRequest{Key: []byte("k")}, "k"); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= 10; i++ {
		await(t, c, c.Put(raft.None, "k", fmt.Sprint(i)))
	}
	await(t, c, c.Put(raft.None, "k", strings.Repeat("x", 40)))
	await(t, c, c.Delete(raft.None, "k"))
	if err := c.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	ws := c.State().Watches
	if len(ws) != 1 || ws[0].Events != 12 {
		t.Fatalf("watches %+v, want one with 12 events (seed %d)", ws, c.Seed())
	}
	var got []string
	for _, e := range ws[0].Recent {
		got = append(got, fmt.Sprintf("%d %s %s=%s", e.Revision, e.Type, e.Key, e.Value))
	}
	want := []string{"13 DELETE k=", "12 PUT k=" + strings.Repeat("x", 23) + "…", "11 PUT k=10", "10 PUT k=9",
		"9 PUT k=8", "8 PUT k=7", "7 PUT k=6", "6 PUT k=5"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Fatalf("recent events\n%s\nwant\n%s (seed %d)", strings.Join(got, "\n"), strings.Join(want, "\n"), c.Seed())
	}
}

// TestEtcdStateHasKeyHistory: a member's state lists each key's changes,
// the tombstone of a deleted key included.
func TestEtcdStateHasKeyHistory(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 5})
	await(t, c, c.Put(raft.None, "a", "1")) // 2
	await(t, c, c.Put(raft.None, "a", "2")) // 3
	await(t, c, c.Delete(raft.None, "a"))   // 4
	await(t, c, c.Put(raft.None, "b", "1")) // 5
	if err := c.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	for _, ns := range c.State().Nodes {
		var got []string
		for _, h := range ns.Etcd.History {
			for _, ch := range h.Changes {
				s := fmt.Sprintf("%s@%d", h.Key, ch.Revision.Main)
				if ch.Tombstone {
					s += "t"
				}
				got = append(got, s)
			}
		}
		if want := "a@2 a@3 a@4t b@5"; strings.Join(got, " ") != want {
			t.Fatalf("%s history %q, want %q (seed %d)", ns.Name, got, want, c.Seed())
		}
	}
}
