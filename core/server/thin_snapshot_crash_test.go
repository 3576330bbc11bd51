package server

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// Crashes around thin snapshots at the member level: crashes before a
// received full snapshot is installed, restarts of a leader that holds
// only a thin snapshot, isolation and heals, in random order. Every member
// must end with the leader's key space.

// A follower persists a full snapshot from the leader and crashes before
// installing it: the restart installs it from disk (catchUpSnapshot, before
// New thins it), and the member goes on to take thin snapshots of its own.
func TestThinCrashBeforeInstallingFullSnapshot(t *testing.T) {
	const seed = 93
	c := newCluster(t, 3, seed, thinConfig)
	l := c.leader()
	lag := (l + 1) % 3
	c.crash(lag)
	for i := range 30 {
		c.mustDo(l, put(fmt.Sprintf("k%02d", i), "v"))
	}
	node := c.nodes[lag]
	if snap := crashOnSnapshotArrival(t, c, lag); IsThinSnapshot(snap.Data) {
		t.Fatalf("the leader sent a thin snapshot (seed %d)", seed)
	}
	c.restart(lag)
	if got := node.m.applied; got != node.disk.snapshot.Meta.Index {
		t.Fatalf("restarted at applied %d, want the persisted snapshot's %d (seed %d)", got, node.disk.snapshot.Meta.Index, seed)
	}
	for i := range 30 {
		c.mustDo(l, put(fmt.Sprintf("j%02d", i), "v"))
	}
	c.crash(lag)
	c.restart(lag)
	c.ticks(10)
	checkThin(t, c)
	sameKeySpace(t, c)
}

// sameKeySpace fails unless every running member has applied what the
// leader has and holds the same key space.
func sameKeySpace(t *testing.T, c *testCluster) {
	t.Helper()
	l := c.leader()
	if l < 0 {
		t.Fatalf("no leader (seed %d)", c.seed)
	}
	lm := c.nodes[l].m
	c.runUntil(func() bool {
		for _, n := range c.nodes {
			if n.m != nil && n.m.applied != lm.applied {
				return false
			}
		}
		return true
	}, 300)
	want, _, _, _ := lm.HashKV(0)
	for _, n := range c.nodes {
		if n.m == nil {
			continue
		}
		if h, _, rev, err := n.m.HashKV(0); err != nil || h != want || rev != lm.store.Rev() {
			t.Fatalf("%s HashKV %x rev %d (%v), leader %x rev %d (seed %d)", n.info.Name, h, rev, err, want, lm.store.Rev(), c.seed)
		}
	}
}

// Random crashes (some of them between persisting a snapshot from the
// leader and installing it), restarts, isolations and writes, with thin
// snapshots every 10 entries.
func TestThinSnapshotChaos(t *testing.T) {
	seeds := 12
	if testing.Short() {
		seeds = 4
	}
	for seed := uint64(1001); seed < 1001+uint64(seeds); seed++ {
		t.Logf("seed %d", seed)
		runThinChaos(t, seed, thinConfig)
		runThinChaos(t, seed, func(cfg *Config) { thinConfig(cfg); cfg.BatchApply = true }) // as the daemon runs
		if t.Failed() {
			return
		}
	}
}

func runThinChaos(t *testing.T, seed uint64, tweak func(*Config)) {
	r := rng.New(seed)
	c := newCluster(t, 3, seed, tweak)
	down := map[int]bool{}
	for step := range 300 {
		i := r.Intn(3)
		if l := c.leader(); l >= 0 && r.Chance(0.3) {
			i = l // crash or cut off the leader more often than the others
		}
		switch p := r.Float64(); {
		case p < 0.05 && !down[i] && len(down) == 0:
			c.crash(i)
			down[i] = true
		case p < 0.12 && down[i]:
			c.restart(i)
			delete(down, i)
		case p < 0.15 && !down[i]:
			c.isolate(i)
		case p < 0.20:
			c.heal()
		default:
			if l := c.leader(); l >= 0 {
				for range 1 + r.Intn(4) {
					c.submit(l, put(fmt.Sprintf("k%03d", r.Intn(200)), fmt.Sprintf("v%d", step)))
				}
			}
		}
		c.tick()
	}
	c.heal()
	for i := range down {
		c.restart(i)
	}
	c.runUntil(func() bool { return c.leader() >= 0 }, 200)
	c.mustDo(c.leader(), put("final", "1"))
	sameKeySpace(t, c)
	checkThin(t, c)
	installs := 0
	for _, n := range c.nodes {
		for _, e := range n.events {
			if e.Kind == EvSnapshotInstalled {
				installs++
			}
		}
	}
	t.Logf("seed %d: %d snapshot installs, applied %d", seed, installs, c.nodes[c.leader()].m.applied)
}
