package raft

// Review tests of thin snapshots on demand: a harsher chaos than
// TestChaosThinSnapshots — the leader sometimes crashes instead of
// answering a request, or right after answering, and every provision has
// its own bytes (same length), so that a snapshot assembled from chunks of
// two provisions, or stamped with the wrong index, is caught.

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

func TestChaosThinSnapshotsLeaderCrashes(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 10
	}
	for seed := uint64(501); seed < 501+uint64(seeds); seed++ {
		runChaosThinCrashes(t, seed)
		if t.Failed() {
			return
		}
	}
}

// provisions records every full snapshot provided: index -> the blobs.
type provisions map[uint64][][]byte

func (p provisions) has(index uint64, data []byte) bool {
	for _, b := range p[index] {
		if bytes.Equal(b, data) {
			return true
		}
	}
	return false
}

func runChaosThinCrashes(t *testing.T, seed uint64) {
	r := rng.New(seed)
	nw := newNetwork(t, seed, 5, func(c *Config) { c.SnapshotChunkBytes = 16 })
	ck := &chaosChecker{t: t, seed: seed, leaders: map[uint64]NodeID{}, committed: map[uint64]string{}}
	nw.drop = func(m Message) bool { return r.Chance(0.05) }
	provided := provisions{}
	count := 0
	answer := func(p float64, crash float64) {
		for _, id := range nw.ids {
			n := nw.nodes[id]
			if nw.down[id] || n == nil || !n.TakeSnapshotRequest() {
				continue
			}
			if r.Chance(crash) {
				nw.down[id] = true // crashed while encoding the state
				continue
			}
			if !r.Chance(p) {
				continue
			}
			applied := n.Status().Applied
			count++
			// Same length for every provision at one index, distinct bytes.
			data := []byte(fmt.Sprintf("full state at %08d, provision %06d, padded over chunks", applied, count))
			if err := n.ProvideSnapshot(applied, data); err != nil {
				t.Fatalf("seed %d: n%d.ProvideSnapshot: %v", seed, id, err)
			}
			if n.full != nil && n.full.Meta.Index == applied && bytes.Equal(n.full.Data, data) {
				provided[applied] = append(provided[applied], data)
			}
			if r.Chance(crash) {
				nw.down[id] = true // crashed right after answering
			}
		}
		nw.settle()
	}
	checkInstalled := func() {
		for _, id := range nw.ids {
			s := nw.store[id].snap
			if s == nil || !bytes.HasPrefix(s.Data, []byte("full state")) {
				continue
			}
			if !provided.has(s.Meta.Index, s.Data) {
				t.Fatalf("seed %d: n%d installed a snapshot at %d that no leader provided: %q", seed, id, s.Meta.Index, s.Data)
			}
		}
	}
	thinAll := func() {
		for _, n := range nw.nodes {
			n.EnableThinSnapshots()
		}
	}
	thinAll()
	for tick := 0; tick < 400 && !t.Failed(); tick++ {
		chaosStep(nw, r, tick)
		// Snapshot more often than chaosStep does, so followers fall
		// behind the log and need full snapshots.
		if l := nw.leader(); l != None && r.Chance(0.1) {
			if st := nw.status(l); st.Applied > st.Snapshot.Index+2 {
				nw.snapshotAndCompact(l, []byte(fmt.Sprintf("thin marker of n%d", l)))
			}
		}
		thinAll()
		nw.tick()
		answer(0.8, 0.05)
		checkInstalled()
		ck.check(nw)
	}
	nw.drop = nil
	for _, id := range nw.ids {
		delete(nw.isolated, id)
		if nw.down[id] {
			nw.restart(id)
		}
	}
	thinAll()
	for range 80 {
		nw.tick()
		answer(1, 0)
		checkInstalled()
	}
	ck.check(nw)
	l, installs := finishChaosThin(t, nw, ck, seed, func() { nw.tick(); answer(1, 0) })
	t.Logf("seed %d: installs=%d provisions=%d commit=%d", seed, installs, count, nw.status(l).HardState.Commit)
}
