package raft

import (
	"errors"
	"fmt"
	"testing"
)

// snapshotAndCompact snapshots id at its applied index and compacts its
// log (and its storage) up to there.
func (nw *network) snapshotAndCompact(id NodeID, data []byte) Snapshot {
	nw.t.Helper()
	snap, err := nw.nodes[id].CreateSnapshot(data)
	if err != nil {
		nw.t.Fatalf("n%d.CreateSnapshot: %v", id, err)
	}
	if err := nw.nodes[id].Compact(snap.Meta.Index); err != nil {
		nw.t.Fatalf("n%d.Compact: %v", id, err)
	}
	st := nw.store[id]
	st.snap = cloneSnapshot(&snap)
	for len(st.ents) > 0 && st.ents[0].Index <= snap.Meta.Index {
		st.ents = st.ents[1:]
	}
	nw.settle()
	return snap
}

func TestCreateSnapshotAndCompact(t *testing.T) {
	nw := newNetwork(t, 51, 1, nil)
	nw.campaign(1)
	for i := 0; i < 5; i++ {
		nw.propose(1, "x")
	}
	n := nw.nodes[1]
	applied := nw.status(1).Applied
	err := n.Compact(applied)
	check(t, err != nil, "compact without a snapshot must fail")
	snap := nw.snapshotAndCompact(1, []byte("state"))
	eq(t, snap.Meta.Index, applied, "snapshot index")
	eq(t, fmt.Sprint(snap.Meta.Conf.Voters), "[1]", "snapshot conf")
	eq(t, nw.status(1).FirstIndex, applied+1, "first index after compaction")
	eq(t, len(n.Log()), 0, "entries left")
	_, err = n.CreateSnapshot([]byte("again"))
	check(t, errors.Is(err, ErrSnapOutOfDate), "second snapshot at the same index: %v", err)
	err = n.Compact(applied)
	check(t, errors.Is(err, ErrCompacted), "compact again: %v", err)
	eq(t, string(n.LatestSnapshot().Data), "state", "latest snapshot")
	// Data is shared (immutable, raft.Snapshot); the membership is copied.
	n.LatestSnapshot().Meta.Conf.Voters[0] = 99
	eq(t, fmt.Sprint(n.LatestSnapshot().Meta.Conf.Voters), "[1]", "LatestSnapshot returns a copy of the membership")
}

// A follower that missed entries the leader has compacted catches up from
// a snapshot streamed in small chunks; losing a chunk midway (and, in a
// second run, the whole tail of the stream) is recovered.
func TestLaggingFollowerCatchesUpFromChunkedSnapshot(t *testing.T) {
	for _, lose := range []string{"one chunk", "tail", "none"} {
		t.Run(lose, func(t *testing.T) {
			nw := newNetwork(t, 52, 3, func(c *Config) { c.SnapshotChunkBytes = 16 })
			nw.campaign(1)
			nw.isolated[3] = true
			for i := 0; i < 10; i++ {
				nw.propose(1, fmt.Sprintf("e%d", i))
			}
			state := make([]byte, 150) // 10 chunks of 16 bytes
			for i := range state {
				state[i] = byte(i)
			}
			nw.snapshotAndCompact(1, state)
			nw.propose(1, "after-snapshot")
			lost := 0
			nw.drop = func(m Message) bool {
				if m.Type != MsgSnap {
					return false
				}
				switch {
				case lose == "one chunk" && m.SnapOffset == 48 && lost == 0:
					lost++
					return true
				case lose == "tail" && m.SnapOffset >= 96 && lost < 3:
					lost++
					return true
				}
				return false
			}
			delete(nw.isolated, 3)
			nw.ticks(6)
			st := nw.store[3]
			check(t, st.snap != nil, "n3 installed no snapshot")
			eq(t, string(st.snap.Data), string(state), "n3's snapshot data")
			eq(t, nw.status(3).HardState.Commit, nw.status(1).HardState.Commit, "n3 commit")
			eq(t, string(st.data[len(st.data)-1]), "after-snapshot", "n3 applied the entry after the snapshot")
			eq(t, fmt.Sprint(nw.status(3).Conf.Voters), "[1 2 3]", "n3 conf from the snapshot")
			eq(t, nw.status(1).Progress[3].State, ProgressReplicate, "n3 progress")
			check(t, nw.hasEvent(func(e Event) bool { return e.Node == 3 && e.Kind == EvSnapshotInstalled }), "install event")
			for _, m := range nw.sent {
				check(t, len(m.SnapChunk) <= 16, "chunk of %d bytes", len(m.SnapChunk))
			}
			if lose != "none" {
				check(t, lost > 0, "the test dropped nothing")
			}
		})
	}
}

// The leader keeps at most MaxSnapshotChunksInflight chunks unacknowledged.
func TestSnapshotChunkWindow(t *testing.T) {
	nw := newNetwork(t, 53, 3, func(c *Config) { c.SnapshotChunkBytes = 8 })
	nw.campaign(1)
	nw.isolated[3] = true
	nw.propose(1, "x")
	nw.snapshotAndCompact(1, make([]byte, 200))
	nw.drop = func(m Message) bool { return m.Type == MsgSnapResp } // no acks
	delete(nw.isolated, 3)
	nw.tick(1)
	sent := nw.countSent(func(m Message) bool { return m.Type == MsgSnap })
	eq(t, sent, maxSnapChunksInflight, "chunks sent without acks")
	eq(t, nw.status(1).Progress[3].State, ProgressSnapshot, "n3 progress")
}

// A follower that restarts mid-stream lost its partial snapshot; the
// stream starts over from offset 0.
func TestSnapshotStreamRestartsAfterFollowerRestart(t *testing.T) {
	nw := newNetwork(t, 54, 3, func(c *Config) { c.SnapshotChunkBytes = 8 })
	nw.campaign(1)
	nw.isolated[3] = true
	nw.propose(1, "x")
	nw.snapshotAndCompact(1, make([]byte, 100))
	delete(nw.isolated, 3)
	chunks := 0
	nw.drop = func(m Message) bool {
		if m.Type == MsgSnap {
			chunks++
			return chunks > 3 // n3 gets 3 chunks, then nothing
		}
		return false
	}
	nw.tick(1)
	nw.restart(3)
	nw.drop = nil
	nw.ticks(4)
	eq(t, nw.status(3).HardState.Commit, nw.status(1).HardState.Commit, "n3 commit")
	eq(t, len(nw.store[3].snap.Data), 100, "n3 snapshot size")
}
