package raft

// Deterministic tests for the bugs the adversarial network found (see
// adversarial_test.go). Each builds the exact situation by hand.

import (
	"errors"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// newJoiner returns a brand-new node with no membership, as one that joins
// a running cluster.
func newJoiner(t *testing.T, id NodeID) *Node {
	t.Helper()
	n, err := New(Config{ID: id, ElectionTicks: 10, HeartbeatTicks: 1, Rand: rng.New(uint64(id))})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

func snapChunk(from NodeID, term uint64, meta SnapshotMeta, offset, total uint64, chunk string) Message {
	return Message{
		Type: MsgSnap, From: from, To: 4, Term: term, Index: meta.Index, LogTerm: meta.Term,
		SnapMeta: &meta, SnapOffset: offset, SnapTotal: total, SnapChunk: []byte(chunk),
	}
}

// Two leaders may hold a snapshot of the same index whose bytes differ (a
// bbolt file is not byte-for-byte the same on every member). A follower
// that got the first chunk of one leader's snapshot must not complete it
// with the chunks of another's: it would install bytes nobody sent.
func TestSnapshotChunksOfAnotherLeaderAreNotMixed(t *testing.T) {
	n := newJoiner(t, 4)
	meta := SnapshotMeta{Index: 10, Term: 2, Conf: ConfState{Voters: []NodeID{1, 2, 3}, Learners: []NodeID{4}}}
	check(t, n.Step(snapChunk(1, 2, meta, 0, 15, "AAAAAAAAAA")) == nil, "step chunk 0 of n1")
	// n1 is deposed; n2 leads term 3 and streams its own snapshot at 10.
	check(t, n.Step(snapChunk(2, 3, meta, 10, 15, "BBBBB")) == nil, "step chunk 1 of n2")
	rd := n.Ready()
	if rd.Snapshot != nil {
		t.Fatalf("installed a snapshot mixed from two leaders: %q", rd.Snapshot.Data)
	}
	var resp *Message
	for i, m := range rd.Messages {
		if m.Type == MsgSnapResp && m.To == 2 {
			resp = &rd.Messages[i]
		}
	}
	check(t, resp != nil && resp.Reject && resp.SnapOffset == 0, "n2's chunk at offset 10 must be refused with offset 0, got %+v", resp)
	n.Advance(rd)
	// n2 starts over; its snapshot installs whole.
	check(t, n.Step(snapChunk(2, 3, meta, 0, 15, "CCCCCCCCCC")) == nil, "restart chunk 0")
	check(t, n.Step(snapChunk(2, 3, meta, 10, 15, "BBBBB")) == nil, "restart chunk 1")
	rd = n.Ready()
	check(t, rd.Snapshot != nil && string(rd.Snapshot.Data) == "CCCCCCCCCCBBBBB", "want n2's snapshot installed, got %+v", rd.Snapshot)
}

// restartWithLog restarts node id of voters 1..3 from a hand-made log: the
// bootstrap entries (term 1) followed by entries of the given terms.
func restartWithLog(t *testing.T, id NodeID, hs HardState, terms ...uint64) *Node {
	t.Helper()
	var ents []Entry
	for i := 1; i <= 3; i++ {
		cc := ConfChange{Type: AddVoter, Node: NodeID(i)}
		ents = append(ents, Entry{Term: 1, Index: uint64(i), Type: EntryConfChange, Data: cc.Marshal()})
	}
	for _, term := range terms {
		ents = append(ents, Entry{Term: term, Index: uint64(len(ents) + 1), Data: []byte("x")})
	}
	n, err := New(Config{ID: id, ElectionTicks: 10, HeartbeatTicks: 1, Rand: rng.New(uint64(id)), HardState: hs, Entries: ents, Applied: 3})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return n
}

// A follower whose log already holds a snapshot's last entry only moves
// its commit index (Raft §7: "retain log entries following it"). The
// entries after it may be stale ones of an old term that the leader does
// not have, so the answer must not claim them: the leader would take them
// as matched (Figure 2, matchIndex) and could count this follower towards
// committing entries it does not hold. etcd answers with the commit index.
func TestSnapshotAlreadyHeldAcksOnlyWhatMatches(t *testing.T) {
	// n2 holds 4 (term 2) like the leader, then 5 and 6 of term 2 that the
	// leader of term 3 never had.
	n := restartWithLog(t, 2, HardState{Term: 3, Commit: 3}, 2, 2, 2)
	meta := SnapshotMeta{Index: 4, Term: 2, Conf: ConfState{Voters: []NodeID{1, 2, 3}}}
	m := snapChunk(1, 3, meta, 0, 4, "snap")
	m.To = 2
	check(t, n.Step(m) == nil, "step snapshot")
	rd := n.Ready()
	eq(t, rd.HardState.Commit, uint64(4), "commit after the snapshot")
	for _, m := range rd.Messages {
		if m.Type == MsgAppResp && !m.Reject && m.Index > 4 {
			t.Fatalf("n2 acknowledged index %d, but only entries up to 4 are known to match the leader's", m.Index)
		}
	}
}

// A follower told to commit beyond its log lost entries it acknowledged (its
// disk lied, or its WAL was cut): Step refuses with ErrLogLost instead of
// quietly committing less, and the follower does not answer.
func TestHeartbeatBeyondLogReportsLostEntries(t *testing.T) {
	nw := newNetwork(t, 31, 3, nil)
	nw.campaign(1)
	nw.propose(1, "x")
	st := nw.status(2)
	before := nw.countSent(func(m Message) bool { return m.Type == MsgHeartbeatResp && m.From == 2 })
	err := nw.nodes[2].Step(Message{Type: MsgHeartbeat, From: 1, To: 2, Term: st.HardState.Term, Commit: st.LastIndex + 3})
	check(t, errors.Is(err, ErrLogLost), "Step of a heartbeat beyond the log: %v", err)
	eq(t, nw.status(2).HardState.Commit, st.HardState.Commit, "commit index unchanged")
	nw.settle()
	after := nw.countSent(func(m Message) bool { return m.Type == MsgHeartbeatResp && m.From == 2 })
	eq(t, after, before, "no heartbeat response from the damaged follower")
}
