package raft

// Leadership transfer (thesis §3.10): the leader stops taking proposals,
// brings the transferee's log up to its own, then sends it MsgTimeoutNow;
// the transferee campaigns at once, skipping the pre-vote, and its vote
// requests carry CampaignTransfer so voters set their leader lease aside.
// If the transferee has not taken over within an election timeout the
// leader gives up and takes proposals again.

import "fmt"

// leaderTransfer starts handing leadership to `to`.
func (n *Node) leaderTransfer(to NodeID) {
	switch {
	case to == n.id:
		return // already the leader
	case n.prs[to] == nil:
		n.emit(Event{Kind: EvTransferAborted, Peer: to, Reason: fmt.Sprintf("n%d is not a member", to)})
		return
	case n.prs[to].isLearner:
		n.emit(Event{Kind: EvTransferAborted, Peer: to, Reason: fmt.Sprintf("n%d is a learner", to)})
		return
	case n.leadTransferee == to:
		return // already under way
	case n.leadTransferee != None:
		n.abortTransfer(fmt.Sprintf("superseded by a transfer to n%d", to))
	}
	n.leadTransferee = to
	n.electionElapsed = 0 // the transfer has one election timeout
	n.emit(Event{Kind: EvTransferStarted, Peer: to})
	if n.prs[to].match == n.log.lastIndex() {
		n.sendTimeoutNow(to)
		return
	}
	n.sendAppend(to, true)
}

// sendTimeoutNow tells the transferee to campaign now.
func (n *Node) sendTimeoutNow(to NodeID) {
	n.send(Message{Type: MsgTimeoutNow, To: to})
}

// abortTransfer gives up on the transfer in progress.
func (n *Node) abortTransfer(reason string) {
	n.emit(Event{Kind: EvTransferAborted, Peer: n.leadTransferee, Reason: reason})
	n.leadTransferee = None
}
