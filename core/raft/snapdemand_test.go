package raft

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// thinNetwork is a 3-voter network in thin mode with 16-byte chunks; n1
// leads and n3 is cut off while the leader writes 10 entries, then takes
// a thin snapshot and compacts its whole log.
func thinNetwork(t *testing.T, seed uint64) *network {
	t.Helper()
	nw := newNetwork(t, seed, 3, func(c *Config) { c.SnapshotChunkBytes = 16 })
	for _, id := range nw.ids {
		nw.nodes[id].EnableThinSnapshots()
	}
	nw.campaign(1)
	nw.isolated[3] = true
	for i := range 10 {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	nw.snapshotAndCompact(1, []byte("thin"))
	return nw
}

// fullState is a recognizable 150-byte state (10 chunks of 16 bytes).
func fullState() []byte {
	state := make([]byte, 150)
	for i := range state {
		state[i] = byte(i)
	}
	return state
}

// answer hands the leader's pending request a full snapshot at its
// applied index, as core/server does after Advance.
func answer(t *testing.T, nw *network, id NodeID, data []byte) uint64 {
	t.Helper()
	n := nw.nodes[id]
	check(t, n.TakeSnapshotRequest(), "n%d asked for no snapshot", id)
	applied := n.Status().Applied
	if err := n.ProvideSnapshot(applied, data); err != nil {
		t.Fatalf("ProvideSnapshot: %v", err)
	}
	nw.settle()
	return applied
}

// A lagging follower gets a full snapshot at the leader's applied index —
// not the thin one's — and the leader drops it once the follower caught
// up. The follower keeps the installed snapshot's metadata only.
func TestThinModeFollowerGetsSnapshotAtApplied(t *testing.T) {
	nw := thinNetwork(t, 61)
	thinIdx := nw.nodes[1].LatestSnapshot().Meta.Index
	nw.propose(1, "after-thin")
	nw.isolated[3] = false
	nw.tick()
	check(t, nw.nodes[1].SnapshotRequested(), "the leader did not ask for a full snapshot")
	eq(t, nw.countSent(func(m Message) bool { return m.Type == MsgSnap }), 0, "chunks sent before the application answered")

	state := fullState()
	applied := answer(t, nw, 1, state)
	check(t, applied > thinIdx, "applied %d should be past the thin snapshot %d", applied, thinIdx)
	nw.ticks(3)
	got := nw.store[3].snap
	check(t, got != nil, "n3 installed no snapshot")
	eq(t, got.Meta.Index, applied, "installed snapshot index (the leader's applied index)")
	term, _ := nw.nodes[1].log.term(applied)
	eq(t, got.Meta.Term, term, "installed snapshot term")
	eq(t, fmt.Sprint(got.Meta.Conf.Voters), "[1 2 3]", "installed snapshot membership")
	check(t, bytes.Equal(got.Data, state), "n3 installed %d bytes, want the provided state", len(got.Data))
	eq(t, nw.status(3).LastIndex, nw.status(1).LastIndex, "n3 caught up")
	eq(t, nw.status(1).Progress[3].State, ProgressReplicate, "n3 progress")
	check(t, nw.nodes[1].full == nil, "the leader still holds the full snapshot after n3 caught up")
	eq(t, string(nw.nodes[1].LatestSnapshot().Data), "thin", "the leader's held snapshot stays thin")
	check(t, nw.nodes[3].LatestSnapshot().Data == nil, "n3 keeps the state of the installed snapshot in Raft")
	nw.propose(1, "later")
	eq(t, len(nw.store[3].data), 1, "n3 applied the entry after the snapshot")
}

// Without an answer the follower just waits: no entries, no chunks, and a
// bounded request — one per heartbeat answer, taken once.
func TestThinModeWithoutAnswerFollowerWaits(t *testing.T) {
	nw := thinNetwork(t, 62)
	nw.isolated[3] = false
	nw.tick() // n3 rejects the optimistic append; the leader finds it needs a snapshot
	check(t, nw.nodes[1].TakeSnapshotRequest(), "the leader did not ask for a snapshot")
	before := len(nw.sent)
	for range 20 {
		nw.tick()
		check(t, nw.nodes[1].TakeSnapshotRequest(), "the request was not raised again by the heartbeat answer")
		check(t, !nw.nodes[1].TakeSnapshotRequest(), "the request survived TakeSnapshotRequest")
	}
	toN3 := 0
	for _, m := range nw.sent[before:] {
		if m.To != 3 {
			continue
		}
		toN3++
		check(t, m.Type == MsgHeartbeat, "n3 got %v (index %d, commit %d) while waiting for a snapshot", m.Type, m.Index, m.Commit)
	}
	eq(t, toN3, 20, "messages to n3 in 20 ticks (one heartbeat each)")
	pr := nw.status(1).Progress[3]
	eq(t, pr.State, ProgressProbe, "waiting follower's progress")
	check(t, pr.Next <= nw.status(1).FirstIndex-1, "n3's next %d should be compacted (first index %d)", pr.Next, nw.status(1).FirstIndex)
	eq(t, nw.status(1).Role, Leader, "n1 still leads")

	// A late answer still works.
	nw.tick()
	applied := answer(t, nw, 1, fullState())
	nw.ticks(2)
	eq(t, nw.store[3].snap.Meta.Index, applied, "installed after the late answer")
	eq(t, nw.status(3).LastIndex, nw.status(1).LastIndex, "n3 caught up")
}

// A thin snapshot (and compaction) taken while a full snapshot is being
// streamed does not restart the stream: it resumes from the follower's
// offset and lands.
func TestThinSnapshotMidStreamDoesNotRestartIt(t *testing.T) {
	nw := thinNetwork(t, 63)
	nw.propose(1, "after-thin")
	nw.isolated[3] = false
	stall := true
	nw.drop = func(m Message) bool { return stall && m.Type == MsgSnap && m.SnapOffset >= 48 }
	nw.tick()
	full := answer(t, nw, 1, fullState())
	eq(t, nw.status(1).Progress[3].State, ProgressSnapshot, "n3 progress while the stream stalls")

	// The leader moves on and takes a thin snapshot past the full one.
	nw.propose(1, "mid-stream")
	thin, err := nw.nodes[1].CreateSnapshot([]byte("thin-2"))
	if err != nil {
		t.Fatalf("CreateSnapshot: %v", err)
	}
	check(t, thin.Meta.Index > full, "thin snapshot %d should be past the full one %d", thin.Meta.Index, full)
	if err := nw.nodes[1].Compact(full); err != nil {
		t.Fatalf("Compact: %v", err)
	}
	stall = false
	nw.ticks(6)
	starts := nw.countSent(func(m Message) bool { return m.Type == MsgSnap && m.SnapOffset == 0 })
	eq(t, starts, 1, "streams started (a restart would send offset 0 again)")
	eq(t, nw.store[3].snap.Meta.Index, full, "n3 installed the full snapshot")
	eq(t, nw.status(3).LastIndex, nw.status(1).LastIndex, "n3 caught up")
	check(t, nw.nodes[1].full == nil, "the full snapshot outlived the stream")
}

// ProvideSnapshot refuses a state that is not at the applied index, and
// a node not in thin mode; a deposed leader drops what it is given.
func TestProvideSnapshotChecks(t *testing.T) {
	nw := thinNetwork(t, 64)
	applied := nw.status(1).Applied
	err := nw.nodes[1].ProvideSnapshot(applied-1, []byte("old"))
	check(t, err != nil, "a snapshot behind the applied index was accepted")
	check(t, nw.nodes[1].full == nil, "a refused snapshot was kept")
	err = nw.nodes[2].ProvideSnapshot(nw.status(2).Applied, []byte("x"))
	check(t, err == nil && nw.nodes[2].full == nil, "a follower kept a provided snapshot (%v)", err)

	plain := newNetwork(t, 65, 1, nil)
	plain.campaign(1)
	err = plain.nodes[1].ProvideSnapshot(plain.status(1).Applied, []byte("x"))
	check(t, err != nil, "ProvideSnapshot without thin mode was accepted")
}

// Randomized runs of TestChaos in thin mode: the application answers a
// snapshot request most of the time (sometimes late or never), and the
// safety checks and the final convergence must hold as without thin mode.
func TestChaosThinSnapshots(t *testing.T) {
	seeds := 40
	if testing.Short() {
		seeds = 8
	}
	for seed := uint64(101); seed < 101+uint64(seeds); seed++ {
		runChaosThin(t, seed)
		if t.Failed() {
			return
		}
	}
}

func runChaosThin(t *testing.T, seed uint64) {
	r := rng.New(seed)
	nw := newNetwork(t, seed, 5, func(c *Config) { c.SnapshotChunkBytes = 32 })
	ck := &chaosChecker{t: t, seed: seed, leaders: map[uint64]NodeID{}, committed: map[uint64]string{}}
	nw.drop = func(m Message) bool { return r.Chance(0.05) }
	answer := func(p float64) {
		for _, id := range nw.ids {
			n := nw.nodes[id]
			if nw.down[id] || n == nil || !n.TakeSnapshotRequest() || !r.Chance(p) {
				continue
			}
			applied := n.Status().Applied
			data := []byte(fmt.Sprintf("full state of n%d at %d, padded to span several chunks", id, applied))
			if err := n.ProvideSnapshot(applied, data); err != nil {
				t.Fatalf("seed %d: n%d.ProvideSnapshot: %v", seed, id, err)
			}
		}
		nw.settle()
	}
	thinAll := func() {
		for _, n := range nw.nodes {
			n.EnableThinSnapshots() // restarted and added nodes too
		}
	}
	thinAll()
	for tick := 0; tick < 400 && !t.Failed(); tick++ {
		chaosStep(nw, r, tick)
		thinAll()
		nw.tick()
		answer(0.7)
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
	for range 60 {
		nw.tick()
		answer(1)
	}
	ck.check(nw)
	l, installs := finishChaosThin(t, nw, ck, seed, func() { nw.tick(); answer(1) })
	t.Logf("seed %d: installs=%d commit=%d", seed, installs, nw.status(l).HardState.Commit)
}

// finishChaosThin ends a thin-snapshot chaos run once the network is
// healed: a leader commits a last entry on every voter (step ticks once
// and answers snapshot requests), the safety checks hold, and no follower
// was ever sent a thin snapshot. It returns the leader and how many
// snapshots were installed.
func finishChaosThin(t *testing.T, nw *network, ck *chaosChecker, seed uint64, step func()) (NodeID, int) {
	t.Helper()
	l := nw.leader()
	if l == None {
		t.Fatalf("seed %d: no leader after healing", seed)
	}
	if err := nw.nodes[l].Propose([]byte("final")); err != nil {
		t.Fatalf("seed %d: final proposal: %v", seed, err)
	}
	for range 5 {
		step()
	}
	for _, id := range nw.status(l).Conf.Voters {
		if c := nw.status(id).HardState.Commit; c != nw.status(l).HardState.Commit {
			t.Fatalf("seed %d: n%d commit %d, leader n%d commit %d", seed, id, c, l, nw.status(l).HardState.Commit)
		}
	}
	ck.check(nw)
	for _, m := range nw.sent {
		if m.Type == MsgSnap && m.SnapOffset == 0 && !bytes.HasPrefix(m.SnapChunk, []byte("full state")) {
			t.Fatalf("seed %d: n%d sent n%d a thin snapshot: %q", seed, m.From, m.To, m.SnapChunk)
		}
	}
	installs := 0
	for _, e := range nw.events {
		if e.Kind == EvSnapshotInstalled {
			installs++
		}
	}
	return l, installs
}
