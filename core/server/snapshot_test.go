package server

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Log retention: with a small snapshot count the members snapshot and
// compact their logs; a member that was down meanwhile needs compacted
// entries and is restored from the leader's snapshot — backend, leases,
// membership — and ends with the same HashKV as everyone else.
func TestLaggingMemberRestoredFromSnapshot(t *testing.T) {
	c := newCluster(t, 3, 11, func(cfg *Config) { cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 10, 5 })
	l := c.leader()
	lag := (l + 1) % 3
	grant := c.mustDo(l, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 3600}}).LeaseGrant
	c.crash(lag)
	for i := range 40 {
		c.mustDo(l, Request{Put: &mvcc.PutRequest{Key: []byte(fmt.Sprintf("k%02d", i)), Value: []byte("v"), Lease: int64(grant.ID)}})
	}
	c.mustDo(l, Request{Compaction: &CompactionRequest{Revision: 20}})
	st := c.nodes[l].m.RaftStatus()
	if st.Snapshot.Index == 0 || st.FirstIndex <= 2 {
		t.Fatalf("leader did not snapshot and compact: snapshot %d, first index %d", st.Snapshot.Index, st.FirstIndex)
	}
	if !hasEvent(c.nodes[l].events, EvSnapshotTaken) {
		t.Fatalf("no snapshot-taken event on the leader")
	}
	c.restart(lag)
	c.runUntil(func() bool { return c.nodes[lag].m.applied == c.nodes[l].m.applied }, 100)
	if !hasEvent(c.nodes[lag].events, EvSnapshotInstalled) {
		t.Fatalf("the lagging member caught up without a snapshot")
	}
	want, _, _, _ := c.nodes[l].m.HashKV(0)
	for _, n := range c.nodes {
		got, compact, rev, err := n.m.HashKV(0)
		if err != nil || got != want || compact != 20 || rev != 41 {
			t.Fatalf("%s HashKV = %x compact %d rev %d %v, want %x at 20/41", n.info.Name, got, compact, rev, err, want)
		}
		if ls, ok := n.m.lessor.Lookup(grant.ID); !ok || len(ls.Keys) != 40 {
			t.Fatalf("%s lease %v: %+v %v, want 40 keys", n.info.Name, grant.ID, ls, ok)
		}
		if len(n.m.cluster.list()) != 3 || n.m.cluster.id != c.nodes[l].m.cluster.id {
			t.Fatalf("%s membership = %+v", n.info.Name, n.m.cluster.list())
		}
	}
	// The restored member serves and applies on.
	c.mustDo(lag, put("after", "1"))
	resp := c.mustDo(lag, get("k39", true))
	if len(resp.Range.Kvs) != 1 || resp.Range.Kvs[0].Lease != int64(grant.ID) {
		t.Fatalf("restored member read k39 = %+v", resp.Range)
	}
	meta, _, err := DecodeSnapshot(c.nodes[lag].disk.snapshot.Data)
	if err != nil || meta.ConsistentIndex != c.nodes[lag].disk.snapshot.Meta.Index || len(meta.Members) != 3 {
		t.Fatalf("snapshot meta = %+v, %v", meta, err)
	}
}

// A restart from what Ready said to persist: Raft re-delivers the entries
// after the snapshot, and the consistent index in the backend makes the
// member skip those it already applied — no key is written twice.
func TestRestartSkipsAppliedEntries(t *testing.T) {
	c := newCluster(t, 3, 12, nil)
	l := c.leader()
	for i := range 5 {
		c.mustDo(l, put("k", fmt.Sprint(i)))
	}
	f := (l + 1) % 3
	c.tick()
	hashBefore, _, _, _ := c.nodes[f].m.HashKV(0)
	applied := c.nodes[f].m.applied
	c.crash(f)
	c.nodes[f].applied = 0
	c.restart(f)
	m := c.nodes[f].m
	if m.applied != applied {
		t.Fatalf("restarted with applied %d, want the consistent index %d", m.applied, applied)
	}
	c.ticks(5)
	if c.nodes[f].applied == 0 {
		t.Fatalf("Raft re-delivered nothing: the skip was not exercised")
	}
	r, _ := m.store.Range(mvcc.RangeRequest{Key: []byte("k")})
	if r.Kvs[0].Version != 5 || r.Revision != 6 {
		t.Fatalf("after restart k = %+v at rev %d, want version 5 at revision 6", r.Kvs[0], r.Revision)
	}
	if h, _, _, _ := m.HashKV(0); h != hashBefore {
		t.Fatalf("HashKV changed across the restart")
	}
	// The whole cluster restarts and goes on.
	for i := range c.nodes {
		c.crash(i)
	}
	for i := range c.nodes {
		c.restart(i)
	}
	c.runUntil(func() bool { return c.leader() >= 0 }, 200)
	resp := c.mustDo(c.leader(), put("k", "again"))
	if resp.Header.Revision != 7 {
		t.Fatalf("put after a full restart: revision %d, want 7", resp.Header.Revision)
	}
}

// A member that persisted a snapshot from the leader and crashed before
// installing it restores its backend from the persisted snapshot when it
// restarts.
func TestCrashBeforeInstallingSnapshot(t *testing.T) {
	c := newCluster(t, 3, 19, func(cfg *Config) { cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 10, 5 })
	l := c.leader()
	lag := (l + 1) % 3
	c.crash(lag)
	for i := range 30 {
		c.mustDo(l, put(fmt.Sprintf("k%02d", i), "v"))
	}
	node := c.nodes[lag]
	crashOnSnapshotArrival(t, c, lag)
	c.restart(lag)
	if got := node.m.applied; got != node.disk.snapshot.Meta.Index {
		t.Fatalf("restarted at applied %d, want the persisted snapshot's %d", got, node.disk.snapshot.Meta.Index)
	}
	c.ticks(10)
	want, _, _, _ := c.nodes[l].m.HashKV(0)
	if got, _, _, _ := node.m.HashKV(0); got != want {
		t.Fatalf("HashKV %x, leader %x", got, want)
	}
}

// A snapshot's Data is the header and then the backend stream; format 1
// (the stream inside the CBOR map) still decodes to the same thing, and an
// unknown format is refused by name.
func TestDecodeSnapshotFormats(t *testing.T) {
	c := newCluster(t, 1, 3, func(cfg *Config) { cfg.SnapshotCount = 1000 })
	m := c.nodes[0].m
	c.mustDo(0, Request{Put: &mvcc.PutRequest{Key: []byte("foo"), Value: []byte("bar")}})
	if err := m.TakeSnapshot(); err != nil {
		t.Fatal(err)
	}
	data := m.RaftSnapshot().Data
	meta, stream, err := DecodeSnapshot(data)
	if err != nil || meta.Revision != 2 || len(stream) == 0 {
		t.Fatalf("format 2: meta %+v, %d stream bytes, %v", meta, len(stream), err)
	}
	v1, err := encoding.Marshal(snapshotDataV1{Meta: meta, Backend: stream})
	if err != nil {
		t.Fatal(err)
	}
	meta1, stream1, err := DecodeSnapshot(v1)
	if err != nil || meta1.Revision != meta.Revision || string(stream1) != string(stream) {
		t.Fatalf("format 1: meta %+v, %d stream bytes, %v", meta1, len(stream1), err)
	}
	v3, _ := encoding.Marshal(snapshotHeader{Format: 3, Meta: meta})
	if _, _, err := DecodeSnapshot(v3); err == nil || !strings.Contains(err.Error(), "format 3") {
		t.Fatalf("format 3: %v, want a refusal naming the format", err)
	}
}

// crashOnSnapshotArrival restarts the crashed member lag and carries out
// its Readys by hand until one brings a snapshot from the leader: it
// persists that snapshot, then crashes before Advance installs it, and
// returns the snapshot. The member stays down.
func crashOnSnapshotArrival(t *testing.T, c *testCluster, lag int) raft.Snapshot {
	t.Helper()
	node := c.nodes[lag]
	c.manual = node
	defer func() { c.manual = nil }()
	c.start(node, c.infos)
	for range 50 {
		for _, n := range c.nodes {
			if n.m != nil {
				n.m.Tick()
			}
		}
		for node.m != nil && node.m.HasReady() {
			rd := node.m.Ready()
			node.disk.persist(rd)
			if !rd.Snapshot.IsEmpty() {
				c.crash(lag)
				return *rd.Snapshot
			}
			c.msgs = append(c.msgs, rd.Messages...)
			node.m.Advance(rd)
		}
		c.settle()
	}
	t.Fatalf("no snapshot reached the lagging member (seed %d)", c.seed)
	return raft.Snapshot{}
}
