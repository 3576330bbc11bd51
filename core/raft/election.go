package raft

// Leader election (Raft §5.2) with PreVote (thesis §9.6).
//
//	               timeout                pre-vote quorum            vote quorum
//	follower ───────────────> pre-candidate ──────────────> candidate ───────────> leader
//	   ^  ^                        │                           │  │                   │
//	   │  └────────────────────────┘ pre-vote lost             │  │ timeout:          │
//	   │                                                        │  └─> new term       │
//	   └──── higher term, or a leader of this term speaks ──────┴─────────────────────┘
//	                           (or check quorum fails / removed, for the leader)
//
// A pre-candidate asks "would you vote for me in term+1?" without raising
// its own term, so a node cut off from the cluster cannot inflate terms and
// depose a healthy leader when it returns. A voter grants a (pre-)vote only
// to a log at least as up-to-date as its own (§5.4.1) and casts one real vote
// per term (persisted in HardState.Vote).

import "fmt"

// tickElection: a follower or candidate counts towards an election.
func (n *Node) tickElection() {
	n.electionElapsed++
	if n.promotable() && n.electionElapsed >= n.randomizedElectionTimeout {
		n.electionElapsed = 0
		n.emit(Event{Kind: EvElectionTimeout})
		n.hup(nil)
	}
}

// promotable reports whether this node may campaign: only voters may, so
// learners, removed nodes and nodes still waiting to learn the membership
// never do.
func (n *Node) promotable() bool { return n.conf.isVoter(n.id) }

// hup starts an election: a pre-vote first unless disabled or the election
// comes from a leadership transfer (ctx CampaignTransfer).
func (n *Node) hup(ctx []byte) {
	switch {
	case n.role == Leader:
		return
	case !n.promotable():
		return
	case n.hasUnappliedConfChanges():
		// etcd: a conf change that is committed but not applied could make
		// this node a non-voter; wait until it is applied.
		return
	}
	if n.cfg.isPreVote() && !isTransfer(ctx) {
		n.campaign(MsgPreVote, nil)
		return
	}
	n.campaign(MsgVote, ctx)
}

func (n *Node) hasUnappliedConfChanges() bool {
	if n.log.committed <= n.applied {
		return false
	}
	ents, _ := n.log.slice(max(n.applied+1, n.log.firstIndex()), n.log.committed+1, ^uint64(0))
	for _, e := range ents {
		if e.Type == EntryConfChange && e.Index > n.confIndex {
			return true
		}
	}
	return false
}

// campaign becomes a (pre-)candidate and asks every other voter.
func (n *Node) campaign(kind MsgType, ctx []byte) {
	term := n.term + 1
	if kind == MsgPreVote {
		n.becomePreCandidate()
	} else {
		n.becomeCandidate()
		term = n.term
	}
	n.votes[n.id] = true
	if n.tallyVotes(kind) {
		return // a single-voter cluster wins alone
	}
	for _, id := range n.conf.voters {
		if id == n.id {
			continue
		}
		n.send(Message{Type: kind, To: id, Term: term, Index: n.log.lastIndex(), LogTerm: n.log.lastTerm(), Context: ctx})
	}
}

// tallyVotes acts on the election's outcome; it reports whether it ended.
func (n *Node) tallyVotes(kind MsgType) bool {
	switch voteResult(n.conf.voters, n.votes) {
	case voteWon:
		if kind == MsgPreVote {
			n.campaign(MsgVote, nil)
		} else {
			n.becomeLeader()
		}
		return true
	case voteLost:
		n.becomeFollower(n.term, None)
		return true
	}
	return false
}

// handleVoteRequest answers MsgVote / MsgPreVote (Figure 2, RequestVote
// receiver rules; thesis §9.6 for pre-votes). m.Term >= n.term here.
func (n *Node) handleVoteRequest(m Message) {
	resp := MsgVoteResp
	if m.Type == MsgPreVote {
		resp = MsgPreVoteResp
	}
	reason := ""
	switch {
	case n.vote != None && n.vote != m.From && m.Type == MsgVote:
		reason = fmt.Sprintf("already voted for n%d", n.vote)
	case n.lead != None && m.Type == MsgVote && m.Term == n.term:
		reason = fmt.Sprintf("n%d already leads term %d", n.lead, n.term)
	case m.Type == MsgPreVote && m.Term <= n.term:
		reason = fmt.Sprintf("pre-vote term %d is not after term %d", m.Term, n.term)
	case !n.log.isUpToDate(m.Index, m.LogTerm):
		reason = fmt.Sprintf("log not up to date (candidate %d/%d, mine %d/%d)", m.LogTerm, m.Index, n.log.lastTerm(), n.log.lastIndex())
	}
	if reason != "" {
		n.send(Message{Type: resp, To: m.From, Reject: true})
		n.emit(Event{Kind: EvVoteRejected, Peer: m.From, Reason: reason})
		return
	}
	// A granted pre-vote answers in the term asked about (etcd does too),
	// so the pre-candidate can match it to its campaign.
	n.send(Message{Type: resp, To: m.From, Term: m.Term})
	what := "vote"
	if m.Type == MsgVote {
		n.vote = m.From
		n.electionElapsed = 0
	} else {
		what = "pre-vote"
	}
	n.emit(Event{Kind: EvVoteGranted, Peer: m.From, Reason: what})
}

// handleVoteResponse counts an answer for the current campaign.
func (n *Node) handleVoteResponse(m Message) {
	want := MsgVoteResp
	if n.role == PreCandidate {
		want = MsgPreVoteResp
	}
	if m.Type != want {
		return // an answer to an earlier campaign
	}
	n.votes[m.From] = !m.Reject
	kind := MsgVote
	if n.role == PreCandidate {
		kind = MsgPreVote
	}
	n.tallyVotes(kind)
}

// handleTimeoutNow: the leader hands over; campaign at once, skipping the
// pre-vote (thesis §3.10).
func (n *Node) handleTimeoutNow(m Message) {
	if !n.promotable() {
		return
	}
	n.hup(CampaignTransfer)
}

func (n *Node) resetTimers() {
	n.electionElapsed = 0
	n.heartbeatElapsed = 0
	n.randomizedElectionTimeout = n.cfg.ElectionTicks + n.rand.Intn(n.cfg.ElectionTicks)
}

// becomeFollower moves to term (forgetting the vote if the term is new)
// and follows lead, if known.
func (n *Node) becomeFollower(term uint64, lead NodeID) {
	if term != n.term {
		n.vote = None
	}
	n.term = term
	n.lead = lead
	n.leaveLeadership()
	n.setRole(Follower)
}

func (n *Node) becomePreCandidate() {
	if n.role == Leader {
		panic("Node.becomePreCandidate: a leader does not campaign")
	}
	n.lead = None
	n.votes = map[NodeID]bool{}
	n.setRole(PreCandidate)
}

func (n *Node) becomeCandidate() {
	if n.role == Leader {
		panic("Node.becomeCandidate: a leader does not campaign")
	}
	n.term++
	n.vote = n.id
	n.lead = None
	n.votes = map[NodeID]bool{}
	n.setRole(Candidate)
}

// becomeLeader takes office: fresh progress for every member, and a no-op
// entry of the new term so that earlier entries get committed (Raft §8).
func (n *Node) becomeLeader() {
	if n.role != Candidate {
		panic("Node.becomeLeader: only a candidate can win")
	}
	n.lead = n.id
	n.votes = nil
	n.prs = map[NodeID]*progress{}
	for _, id := range n.conf.members() {
		n.prs[id] = newProgress(n.log.lastIndex()+1, n.conf.isLearner(id), n.cfg.MaxInflightMsgs)
	}
	if pr := n.prs[n.id]; pr != nil {
		pr.match = n.log.lastIndex()
		pr.becomeReplicate()
		pr.recentActive = true
	}
	// Any conf change still in the log may be unapplied: count it pending.
	n.pendingConfIndex = n.log.lastIndex()
	n.setRole(Leader)
	n.appendEntries([]Entry{{}})
	n.bcastAppend()
}

// setRole switches role, restarts the timers and records the change.
func (n *Node) setRole(r Role) {
	n.role = r
	n.resetTimers()
	n.emit(Event{Kind: EvRoleChanged, Role: n.reportedRole(), Peer: n.lead})
}

// leaveLeadership drops everything only a leader keeps. A transfer in
// progress ends without an event: stepping down is usually the transfer
// succeeding (the transferee's vote request of a higher term deposes us,
// thesis §3.10), and the role changes already tell who leads next.
func (n *Node) leaveLeadership() {
	n.prs = nil
	n.leadTransferee = None
	n.pendingConfIndex = 0
	n.reads = readQueue{}
	n.votes = nil
}
