package raft

import (
	"errors"
	"fmt"
	"testing"
)

func TestTransferToCaughtUpNode(t *testing.T) {
	nw := newNetwork(t, 31, 3, nil)
	nw.campaign(1)
	nw.nodes[1].TransferLeader(2)
	nw.settle()
	eq(t, nw.leader(), NodeID(2), "leader after transfer")
	eq(t, nw.status(1).Lead, NodeID(2), "n1 follows n2")
	check(t, nw.hasEvent(func(e Event) bool { return e.Kind == EvTransferStarted && e.Peer == 2 }), "transfer-started event")
}

// A transferee that lags is first brought up to date, then told to
// campaign; it wins despite the other voters' leader lease.
func TestTransferToLaggingNode(t *testing.T) {
	nw := newNetwork(t, 32, 3, nil)
	nw.campaign(1)
	nw.isolated[3] = true
	for i := 0; i < 5; i++ {
		nw.propose(1, fmt.Sprintf("e%d", i))
	}
	delete(nw.isolated, 3)
	check(t, nw.status(1).Progress[3].Match < nw.status(1).LastIndex, "n3 lags")
	nw.nodes[2].TransferLeader(3) // via a follower: forwarded to n1
	nw.settle()
	eq(t, nw.leader(), NodeID(3), "leader after transfer")
	eq(t, len(nw.store[3].data), 5, "n3 has every entry")
}

// During a transfer proposals are dropped; if the transferee never takes
// over, the transfer is aborted after an election timeout.
func TestTransferAbortsAfterElectionTimeout(t *testing.T) {
	nw := newNetwork(t, 33, 3, nil)
	nw.campaign(1)
	nw.isolated[3] = true
	nw.nodes[1].TransferLeader(3)
	nw.settle()
	eq(t, nw.status(1).LeadTransferee, NodeID(3), "transferee")
	err := nw.nodes[1].Propose([]byte("x"))
	check(t, errors.Is(err, ErrProposalDropped), "propose during transfer: %v", err)
	nw.ticks(10, 1, 2)
	eq(t, nw.status(1).LeadTransferee, None, "transferee after timeout")
	check(t, nw.hasEvent(func(e Event) bool { return e.Kind == EvTransferAborted && e.Peer == 3 }), "abort event")
	nw.propose(1, "y")
	eq(t, nw.leader(), NodeID(1), "leader keeps office")
}

func TestTransferToLearnerOrSelfIsRefused(t *testing.T) {
	nw := newNetwork(t, 34, 0, nil)
	boot := []ConfChange{{Type: AddVoter, Node: 1}, {Type: AddVoter, Node: 2}, {Type: AddLearner, Node: 3}}
	for id := NodeID(1); id <= 3; id++ {
		nw.add(id, boot)
	}
	nw.campaign(1)
	nw.nodes[1].TransferLeader(3)
	nw.nodes[1].TransferLeader(1)
	nw.settle()
	eq(t, nw.leader(), NodeID(1), "leader")
	eq(t, nw.status(1).LeadTransferee, None, "no transfer under way")
	check(t, nw.hasEvent(func(e Event) bool { return e.Kind == EvTransferAborted && e.Peer == 3 }), "refusal event for the learner")
	// MsgTimeoutNow to a learner is ignored.
	_ = nw.nodes[3].Step(Message{Type: MsgTimeoutNow, From: 1, To: 3, Term: nw.status(1).HardState.Term})
	nw.settle()
	eq(t, nw.leader(), NodeID(1), "leader after a stray MsgTimeoutNow to a learner")
}
