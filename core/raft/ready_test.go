package raft

import (
	"errors"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// A bootstrapped node's first Ready persists the membership entries and
// hands them out as committed at once; the configuration is already in
// effect, so the node can campaign.
func TestBootstrapFirstReady(t *testing.T) {
	boot := []ConfChange{{Type: AddVoter, Node: 1}, {Type: AddVoter, Node: 2}, {Type: AddLearner, Node: 3}}
	n, err := New(Config{ID: 1, Rand: rng.New(1), Bootstrap: boot})
	check(t, err == nil, "New: %v", err)
	check(t, n.HasReady(), "a bootstrapped node has work")
	rd := n.Ready()
	eq(t, rd.HardState, HardState{Term: 1, Commit: 3}, "hard state")
	eq(t, len(rd.Entries), 3, "entries to persist")
	eq(t, len(rd.CommittedEntries), 3, "committed entries")
	check(t, rd.MustSync, "must sync")
	cc, err := UnmarshalConfChange(rd.CommittedEntries[2].Data)
	check(t, err == nil && cc.Type == AddLearner && cc.Node == 3, "entry 3: %+v %v", cc, err)
	n.Advance(rd)
	check(t, !n.HasReady(), "nothing left after Advance")
	eq(t, n.Status().Applied, uint64(3), "applied")
	check(t, n.Campaign() == nil, "campaign")
	eq(t, n.Status().Role, PreCandidate, "role after Campaign")
	// Ready hands each thing out once.
	first := n.Ready()
	second := n.Ready()
	check(t, len(first.Messages) == 1 && len(second.Messages) == 0, "messages handed out twice: %d then %d", len(first.Messages), len(second.Messages))
}

func TestStepRefusesLocalMessages(t *testing.T) {
	n, _ := New(Config{ID: 1, Rand: rng.New(1), Bootstrap: []ConfChange{{Type: AddVoter, Node: 1}}})
	for _, typ := range []MsgType{MsgHup, MsgBeat, MsgCheckQuorum, MsgUnreachable} {
		check(t, errors.Is(n.Step(Message{Type: typ, From: 1}), ErrStepLocalMsg), "%v from the network", typ)
	}
}

func TestProposalWithoutLeaderIsDropped(t *testing.T) {
	nw := newNetwork(t, 71, 3, nil)
	err := nw.nodes[2].Propose([]byte("x"))
	check(t, errors.Is(err, ErrProposalDropped), "propose with no leader: %v", err)
}
