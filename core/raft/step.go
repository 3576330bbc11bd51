package raft

// Step is the one door every input goes through: messages from peers and
// the node's own intents (MsgHup, MsgBeat, MsgProp, ...). First the terms
// are compared (Figure 2, "All Servers": a higher term makes any node a
// follower; a lower one marks a stale message), then the message goes to
// the handler of the node's role.
//
//	step ── term check ──┬── MsgHup, MsgVote, MsgPreVote  (any role)
//	                     ├── stepLeader
//	                     ├── stepCandidate  (pre-candidate too)
//	                     └── stepFollower   (learners too)

import "fmt"

func (n *Node) step(m Message) error {
	switch {
	case m.Term == 0:
		// local intents and forwarded ones (MsgProp, MsgReadIndex,
		// MsgTransferLeader) carry no term
	case m.Term > n.term:
		if !n.stepHigherTerm(m) {
			return nil
		}
	case m.Term < n.term:
		n.stepLowerTerm(m)
		return nil
	}
	switch m.Type {
	case MsgHup:
		n.hup(m.Context)
		return nil
	case MsgVote, MsgPreVote:
		n.handleVoteRequest(m)
		return nil
	}
	switch n.role {
	case Leader:
		return n.stepLeader(m)
	case Candidate, PreCandidate:
		return n.stepCandidate(m)
	case Follower:
		return n.stepFollower(m)
	}
	panic(fmt.Sprintf("Node.step: unknown role %v", n.role))
}

// stepHigherTerm handles a message from a later term. It reports whether
// the message should still be processed.
func (n *Node) stepHigherTerm(m Message) bool {
	if m.Type == MsgVote || m.Type == MsgPreVote {
		// Leader lease (thesis §6.2 with §9.6; etcd: "in lease"): a node
		// that heard from a leader within the election timeout ignores
		// campaigns, unless a leadership transfer asked for this one.
		if n.inLease() && !isTransfer(m.Context) {
			n.emit(Event{Kind: EvVoteRejected, Peer: m.From, Reason: fmt.Sprintf("in leader lease of n%d", n.lead)})
			return false
		}
	}
	switch {
	case m.Type == MsgPreVote:
		// A pre-vote asks about term+1 without anyone moving to it.
	case m.Type == MsgPreVoteResp && !m.Reject:
		// A granted pre-vote echoes the term we would campaign in.
	default:
		if n.role == Leader {
			n.emit(Event{Kind: EvStepDown, Peer: m.From, Reason: fmt.Sprintf("higher term %d from n%d", m.Term, m.From)})
		}
		lead := None
		if m.Type == MsgApp || m.Type == MsgHeartbeat || m.Type == MsgSnap {
			lead = m.From
		}
		n.becomeFollower(m.Term, lead)
	}
	return true
}

// stepLowerTerm answers a message from an earlier term where the answer
// helps the sender catch up, and drops it otherwise.
func (n *Node) stepLowerTerm(m Message) {
	switch {
	case (m.Type == MsgApp || m.Type == MsgHeartbeat) && (n.cfg.isCheckQuorum() || n.cfg.isPreVote()):
		// A stale leader, cut off for a while, would never learn of the new
		// term: with check quorum or pre-vote nobody campaigns against it.
		// Tell it (etcd does the same).
		n.send(Message{Type: MsgAppResp, To: m.From})
	case m.Type == MsgPreVote:
		// Tell a stale pre-candidate our term so that it can catch up.
		n.send(Message{Type: MsgPreVoteResp, To: m.From, Reject: true})
		n.emit(Event{Kind: EvVoteRejected, Peer: m.From, Reason: fmt.Sprintf("stale term %d", m.Term)})
	}
}

// inLease reports whether this node believes a leader is alive: check
// quorum is on, a leader is known, and it spoke within the election timeout.
func (n *Node) inLease() bool {
	return n.cfg.isCheckQuorum() && n.lead != None && n.electionElapsed < n.cfg.ElectionTicks
}

func isTransfer(ctx []byte) bool { return string(ctx) == string(CampaignTransfer) }

func (n *Node) stepLeader(m Message) error {
	switch m.Type {
	case MsgBeat:
		n.bcastHeartbeat()
	case MsgCheckQuorum:
		n.checkQuorum()
	case MsgProp:
		return n.leaderPropose(m)
	case MsgReadIndex:
		n.leaderReadIndex(m)
	case MsgAppResp:
		n.handleAppendResponse(m)
	case MsgHeartbeatResp:
		n.handleHeartbeatResponse(m)
	case MsgSnapResp:
		n.handleSnapResponse(m)
	case MsgUnreachable:
		n.handleUnreachable(m.From)
	case MsgTransferLeader:
		n.leaderTransfer(m.From)
	}
	return nil
}

func (n *Node) stepCandidate(m Message) error {
	switch m.Type {
	case MsgProp:
		n.emit(Event{Kind: EvProposalDropped, Reason: "no leader: election in progress"})
		return ErrProposalDropped
	case MsgApp, MsgHeartbeat, MsgSnap:
		// Someone won this term (Raft §5.2): follow it.
		n.becomeFollower(m.Term, m.From)
		return n.stepFollower(m)
	case MsgVoteResp, MsgPreVoteResp:
		n.handleVoteResponse(m)
	case MsgReadIndex, MsgTransferLeader:
		n.emit(Event{Kind: EvProposalDropped, Reason: fmt.Sprintf("%v: no leader", m.Type)})
	}
	return nil
}

func (n *Node) stepFollower(m Message) error {
	switch m.Type {
	case MsgProp, MsgReadIndex, MsgTransferLeader:
		return n.forwardToLeader(m)
	case MsgApp:
		n.heardFromLeader(m.From)
		n.handleAppend(m)
	case MsgHeartbeat:
		n.heardFromLeader(m.From)
		return n.handleHeartbeat(m)
	case MsgSnap:
		n.heardFromLeader(m.From)
		n.handleSnapChunk(m)
	case MsgTimeoutNow:
		n.handleTimeoutNow(m)
	case MsgReadIndexResp:
		n.readStates = append(n.readStates, ReadState{Index: m.Index, RequestCtx: m.Context})
		n.emit(Event{Kind: EvReadIndexReady, Peer: m.From, Index: m.Index})
	}
	return nil
}

// heardFromLeader restarts the election timer: the leader is alive.
func (n *Node) heardFromLeader(from NodeID) {
	n.electionElapsed = 0
	if n.lead != from {
		n.lead = from
		n.emit(Event{Kind: EvRoleChanged, Role: n.reportedRole(), Peer: from})
	}
}

// forwardToLeader passes a follower's intent on to the leader.
func (n *Node) forwardToLeader(m Message) error {
	if n.lead == None {
		n.emit(Event{Kind: EvProposalDropped, Reason: fmt.Sprintf("%v: no leader known", m.Type)})
		if m.Type == MsgProp {
			return ErrProposalDropped
		}
		return nil
	}
	m.To = n.lead
	m.Term = 0
	n.send(m)
	return nil
}
