package sim_test

// Tests of etcd mode: the server.Member inside the simulator — revisions
// as etcd numbers them, crash and restart from disk + backend, snapshot
// install on a lagging member, watches, leases, and a randomized run with
// every invariant on.

import (
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/core/sim"
)

func newEtcdCluster(t testing.TB, o sim.Options) *sim.Cluster {
	t.Helper()
	if o.Etcd == nil {
		o.Etcd = &sim.EtcdOptions{}
	}
	c := newCluster(t, o)
	runUntilLeader(t, c)
	return c
}

func await(t testing.TB, c *sim.Cluster, r *sim.Request) *sim.Request {
	t.Helper()
	if err := c.Await(r, 10*time.Second); err != nil {
		t.Fatalf("%v (seed %d)", err, c.Seed())
	}
	return r
}

func put(key, value string) server.Request {
	return server.Request{Put: &mvcc.PutRequest{Key: []byte(key), Value: []byte(value)}}
}

func TestEtcdRevisionsAsEtcd(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 1})
	r := await(t, c, c.Submit(raft.None, put("foo", "bar"), "put foo bar"))
	if r.Err != nil || r.Reply.Header.Revision != 2 {
		t.Fatalf("first put on a fresh cluster: %s, want revision 2 (seed %d)", r, c.Seed())
	}
	await(t, c, c.Submit(2, put("foo", "baz"), "put foo baz"))
	g := await(t, c, c.Get(3, "foo", false))
	if g.Outcome() != "foo=baz create=2 mod=3 version=2 (revision=3)" {
		t.Fatalf("get after overwrite: %s (seed %d)", g.Outcome(), c.Seed())
	}
}

func TestEtcdCrashKeepsBackend(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 2})
	for i := 0; i < 5; i++ {
		await(t, c, c.Put(raft.None, "k", strings.Repeat("v", i+1)))
	}
	if err := c.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	for _, id := range []raft.NodeID{1, 2, 3} {
		if err := c.Crash(id); err != nil {
			t.Fatal(err)
		}
	}
	for _, id := range []raft.NodeID{1, 2, 3} {
		if err := c.Restart(id); err != nil {
			t.Fatal(err)
		}
	}
	runUntilLeader(t, c)
	g := await(t, c, c.Get(raft.None, "k", false))
	if g.Err != nil || g.Value != "vvvvv" || g.Reply.Header.Revision != 6 {
		t.Fatalf("after restarting everyone: %s, want k=vvvvv at revision 6 (seed %d)", g, c.Seed())
	}
}

func TestEtcdSnapshotInstallSameHash(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 3, SnapshotCount: 5, CatchUpEntries: 2})
	lag := raft.NodeID(1)
	if lag == c.Leader() {
		lag = 2
	}
	if err := c.Crash(lag); err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 20; i++ {
		await(t, c, c.Put(raft.None, "k"+string(rune('a'+i)), "v"))
	}
	if err := c.Restart(lag); err != nil {
		t.Fatal(err)
	}
	if err := c.RunFor(3 * time.Second); err != nil {
		t.Fatal(err)
	}
	hl, _, revl, err := c.HashKV(c.Leader(), 0)
	if err != nil {
		t.Fatal(err)
	}
	h, _, rev, err := c.HashKV(lag, 0)
	if err != nil || h != hl || rev != revl || rev != 21 {
		t.Fatalf("lagging member: hash %08x rev %d, leader %08x rev %d, want equal at 21 (%v, seed %d)", h, rev, hl, revl, err, c.Seed())
	}
	installed := 0
	for _, rec := range c.Trace(0) {
		if rec.Kind == sim.RecServer && rec.Server.Kind == server.EvSnapshotInstalled && rec.Node == lag {
			installed++
		}
	}
	if installed == 0 {
		t.Fatalf("%s caught up without installing a snapshot (seed %d)", sim.Name(lag), c.Seed())
	}
}

func TestEtcdWatchSeesEvents(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 4})
	id, err := c.Watch(2, mvcc.WatchRequest{Key: []byte("foo")}, "foo")
	if err != nil {
		t.Fatal(err)
	}
	await(t, c, c.Put(raft.None, "foo", "1"))
	await(t, c, c.Delete(raft.None, "foo"))
	if err := c.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rec := range c.Trace(0) {
		if rec.Kind == sim.RecWatch && rec.Watch.Watch == id && rec.Watch.Event != nil {
			got = append(got, rec.Watch.String())
		}
	}
	want := "watch w1 PUT foo=1 create=2 mod=2 version=1|watch w1 DELETE foo mod=3"
	if strings.Join(got, "|") != want {
		t.Fatalf("watch delivered %q, want %q (seed %d)", got, want, c.Seed())
	}
}

// TestEtcdRandomFaults runs a client load under crashes, partitions and a
// lossy network with every invariant on, then checks that all members
// agree on the key space.
func TestEtcdRandomFaults(t *testing.T) {
	for seed := uint64(1); seed <= 4; seed++ {
		c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: seed, SnapshotCount: 20, CatchUpEntries: 5,
			Network: sim.LinkModel{MinLatency: time.Millisecond, MaxLatency: 10 * time.Millisecond, Loss: 0.05, Duplicate: 0.05, Reorder: 0.1}})
		for i := 0; i < 60; i++ {
			c.Put(raft.NodeID(1+i%3), "k"+string(rune('a'+i%7)), strings.Repeat("v", i%5+1))
			if i%15 == 7 {
				_ = c.Crash(raft.NodeID(1 + i%3))
			}
			if i%15 == 12 {
				_ = c.Restart(raft.NodeID(1 + (i-5)%3))
			}
			if err := c.RunFor(50 * time.Millisecond); err != nil {
				t.Fatalf("%v (seed %d)", err, seed)
			}
		}
		for _, id := range []raft.NodeID{1, 2, 3} {
			_ = c.Restart(id)
		}
		if err := c.RunFor(5 * time.Second); err != nil {
			t.Fatalf("%v (seed %d)", err, seed)
		}
		h1, _, r1, err1 := c.HashKV(1, 0)
		for _, id := range []raft.NodeID{2, 3} {
			h, _, r, err := c.HashKV(id, 0)
			if err != nil || err1 != nil || h != h1 || r != r1 {
				t.Fatalf("n%d hash %08x rev %d, n1 hash %08x rev %d (%v %v, seed %d)", id, h, r, h1, r1, err, err1, seed)
			}
		}
	}
}
