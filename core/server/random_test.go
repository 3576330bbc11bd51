package server

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Random runs: writes, leases and compactions while members crash,
// restart and get cut off (at most one at a time, so the cluster makes
// progress). Afterwards every member holds the same history (HashKV), and
// every successful write's revision is unique per key version. A failure
// prints the seed that replays it.
func TestRandomFaults(t *testing.T) {
	for seed := uint64(100); seed < 140; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) { randomRun(t, seed) })
	}
}

func randomRun(t *testing.T, seed uint64) { randomRunTweaked(t, seed, nil) }

func randomRunTweaked(t *testing.T, seed uint64, tweak func(*Config)) {
	c := newCluster(t, 3, seed, func(cfg *Config) {
		cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 20, 5
		if tweak != nil {
			tweak(cfg)
		}
	})
	r := rng.New(seed)
	down := -1
	okRevs := map[int64]bool{}
	for step := range 400 {
		switch x := r.Intn(100); {
		case x < 60:
			i := r.Intn(3)
			if c.nodes[i].m == nil {
				continue
			}
			id := c.submit(i, put(fmt.Sprintf("k%d", r.Intn(10)), fmt.Sprint(step)))
			c.ticks(1 + r.Intn(3))
			if resp, ok := c.nodes[i].responses[id]; ok && resp.Err == nil {
				if okRevs[resp.Header.Revision] {
					t.Fatalf("two puts answered with revision %d (seed %d)", resp.Header.Revision, seed)
				}
				okRevs[resp.Header.Revision] = true
			}
		case x < 65 && down < 0:
			down = r.Intn(3)
			c.crash(down)
		case x < 70 && down < 0:
			down = r.Intn(3) + 10
			c.isolate(down - 10)
		case x < 80 && down >= 0:
			if down >= 10 {
				c.heal()
			} else {
				c.restart(down)
			}
			down = -1
		case x < 83:
			if l := c.leader(); l >= 0 {
				c.submit(l, Request{Compaction: &CompactionRequest{Revision: c.nodes[l].m.store.Rev() - 3}})
			}
		default:
			c.ticks(r.Intn(20))
		}
	}
	if down >= 10 {
		c.heal()
	} else if down >= 0 {
		c.restart(down)
	}
	c.runUntil(func() bool { return c.leader() >= 0 }, 300)
	c.mustDo(c.leader(), put("final", "x"))
	c.ticks(75) // past the request timeout: every waiter is answered
	want, _, rev, _ := c.nodes[0].m.HashKV(0)
	for _, n := range c.nodes {
		h, _, r, err := n.m.HashKV(0)
		if err != nil || h != want || r != rev {
			t.Fatalf("%s HashKV %x at %d, %s %x at %d (seed %d)", n.info.Name, h, r, c.nodes[0].info.Name, want, rev, seed)
		}
		got, _ := n.m.store.Range(mvcc.RangeRequest{Key: []byte("final")})
		if len(got.Kvs) != 1 {
			t.Fatalf("%s lacks the final write (seed %d)", n.info.Name, seed)
		}
		if len(n.m.waits) != 0 || len(n.m.reads) != 0 {
			t.Fatalf("%s leaks %d waiters, %d reads (seed %d)", n.info.Name, len(n.m.waits), len(n.m.reads), seed)
		}
	}
}
