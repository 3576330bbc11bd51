package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
)

func thinConfig(cfg *Config) {
	cfg.ThinSnapshots = true
	cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 10, 5
}

// checkThin fails unless every running member's held snapshot (and the one
// on its disk) is thin: far smaller than its backend.
func checkThin(t *testing.T, c *testCluster) {
	t.Helper()
	for _, n := range c.nodes {
		if n.m == nil {
			continue
		}
		held := n.m.RaftSnapshot()
		size := n.m.Backend().Size()
		if held == nil {
			t.Fatalf("%s holds no snapshot (seed %d)", n.info.Name, c.seed)
		}
		if int64(len(held.Data))*20 > size {
			t.Fatalf("%s holds a %d-byte snapshot with a %d-byte backend; want a thin one (seed %d)", n.info.Name, len(held.Data), size, c.seed)
		}
		if d := n.disk.snapshot; d != nil && IsThinSnapshot(d.Data) && int64(len(d.Data))*20 > size {
			t.Fatalf("%s persisted a %d-byte thin snapshot (seed %d)", n.info.Name, len(d.Data), c.seed)
		}
	}
}

// With thin snapshots a member that missed compacted entries is restored
// from a full snapshot the leader encodes at its applied index; no member
// holds the backend in its Raft snapshot; a restart from a thin snapshot
// and the log works; every member ends with the same HashKV.
func TestThinSnapshotsRestoreLaggingMember(t *testing.T) {
	const seed = 71
	t.Logf("seed %d", seed)
	c := newCluster(t, 3, seed, thinConfig)
	l := c.leader()
	lag, other := (l+1)%3, (l+2)%3
	c.crash(lag)
	value := strings.Repeat("v", 200)
	for i := range 60 {
		c.mustDo(l, put(fmt.Sprintf("k%02d", i), value))
	}
	for c.nodes[l].m.applied == c.nodes[l].m.snapIndex {
		c.mustDo(l, put("extra", "1")) // the leader's applied index past its thin snapshot
	}
	lm := c.nodes[l].m
	st := lm.RaftStatus()
	if st.Snapshot.Index == 0 || st.FirstIndex <= 2 {
		t.Fatalf("leader did not snapshot and compact: snapshot %d, first index %d", st.Snapshot.Index, st.FirstIndex)
	}
	if d := c.nodes[l].disk.snapshot; d == nil || !IsThinSnapshot(d.Data) {
		t.Fatalf("the leader persisted no thin snapshot")
	}
	checkThin(t, c)
	thinIdx, applied := st.Snapshot.Index, lm.applied

	c.restart(lag)
	c.runUntil(func() bool { return c.nodes[lag].m.applied == lm.applied }, 100)
	if !hasEvent(c.nodes[lag].events, EvSnapshotInstalled) {
		t.Fatalf("the lagging member caught up without a snapshot")
	}
	got := c.nodes[lag].disk.snapshot
	if got == nil || got.Meta.Index != applied || got.Meta.Index == thinIdx {
		t.Fatalf("lagging member installed %+v, want the leader's applied index %d (its thin snapshot is at %d)", got, applied, thinIdx)
	}
	if meta, stream, err := DecodeSnapshot(got.Data); err != nil || stream == nil || meta.ConsistentIndex != applied {
		t.Fatalf("installed snapshot: meta %+v, %d stream bytes, %v", meta, len(stream), err)
	}
	checkThin(t, c)

	// A restart from a thin snapshot and the log after it.
	if d := c.nodes[other].disk.snapshot; d == nil || !IsThinSnapshot(d.Data) {
		t.Fatalf("%s has no thin snapshot on disk", c.nodes[other].info.Name)
	}
	c.crash(other)
	c.nodes[other].events = nil
	c.restart(other)
	for i := range 15 {
		c.mustDo(l, put(fmt.Sprintf("j%02d", i), value))
	}
	if hasEvent(c.nodes[other].events, EvSnapshotInstalled) {
		t.Fatalf("the member restarted from its thin snapshot needed a snapshot from the leader")
	}
	c.runUntil(func() bool {
		return c.nodes[other].m.applied == lm.applied && c.nodes[lag].m.applied == lm.applied
	}, 100)
	if d := c.nodes[other].disk.snapshot; d == nil || !IsThinSnapshot(d.Data) {
		t.Fatalf("the restarted member has no thin snapshot on disk")
	}
	checkThin(t, c)
	want, _, _, _ := lm.HashKV(0)
	for _, n := range c.nodes {
		h, _, rev, err := n.m.HashKV(0)
		if err != nil || h != want || rev != lm.store.Rev() {
			t.Fatalf("%s HashKV = %x rev %d %v, want %x rev %d (seed %d)", n.info.Name, h, rev, err, want, lm.store.Rev(), seed)
		}
	}
}

// A backend behind a thin snapshot cannot be restored from it: New fails
// and names both indexes.
func TestThinSnapshotBackendBehindFails(t *testing.T) {
	const seed = 72
	c := newCluster(t, 1, seed, thinConfig)
	for i := range 15 {
		c.mustDo(0, put(fmt.Sprintf("k%d", i), "v"))
	}
	node := c.nodes[0]
	snap := node.disk.snapshot
	if snap == nil || !IsThinSnapshot(snap.Data) {
		t.Fatalf("no thin snapshot persisted (seed %d)", seed)
	}
	c.crash(0)
	node.backend = backend.NewMemory() // the backend file was lost
	_, err := New(c.config(node, c.infos))
	want := fmt.Sprintf("consistent index 0, behind the thin snapshot at index %d", snap.Meta.Index)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("New with a backend behind the thin snapshot: %v, want an error containing %q", err, want)
	}
}

// A thin snapshot decodes to its metadata and no stream; installing one is
// refused with an explanation.
func TestThinSnapshotDecodeAndInstall(t *testing.T) {
	c := newCluster(t, 1, 73, thinConfig)
	for i := range 15 {
		c.mustDo(0, put(fmt.Sprintf("k%d", i), "v"))
	}
	m := c.nodes[0].m
	s := c.nodes[0].disk.snapshot
	meta, stream, err := DecodeSnapshot(s.Data)
	if err != nil || stream != nil || meta.ConsistentIndex != s.Meta.Index || len(meta.Members) != 1 {
		t.Fatalf("DecodeSnapshot(thin) = %+v, %d stream bytes, %v", meta, len(stream), err)
	}
	err = m.installSnapshot(raft.Snapshot{Meta: s.Meta, Data: s.Data})
	if err == nil || !strings.Contains(err.Error(), "thin") {
		t.Fatalf("installing a thin snapshot: %v", err)
	}
	full, err := m.encodeSnapshot()
	if err != nil || IsThinSnapshot(full) {
		t.Fatalf("a full snapshot reads as thin (%v)", err)
	}
}
