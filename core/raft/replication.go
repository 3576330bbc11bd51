package raft

// Log replication, the leader's side (Raft §5.3): append proposals to the
// own log, send each follower what it lacks as MsgApp, learn from the
// answers where its log matches, and commit what a quorum holds.
//
//	leader log  1 2 3 4 5 6 7        follower n2: Match=4, Next=6 (replicate,
//	n2 has      1 2 3 4              MsgApp 5 in flight, 6..7 next)
//
// A rejected MsgApp carries a hint (RejectHint, HintTerm) so that the leader
// skips a whole term of mismatched entries per round trip rather than one
// entry (§5.3, end; etcd: findConflictByTerm). Heartbeats carry the commit
// index and double as the probe's retry timer.

// leaderPropose appends a proposal (MsgProp) and replicates it.
func (n *Node) leaderPropose(m Message) error {
	if n.leadTransferee != None {
		n.emit(Event{Kind: EvProposalDropped, Peer: n.leadTransferee, Reason: "leadership transfer in progress"})
		return ErrProposalDropped
	}
	if !n.conf.isVoter(n.id) {
		n.emit(Event{Kind: EvProposalDropped, Reason: "leader is no longer a voter"})
		return ErrProposalDropped
	}
	for _, e := range m.Entries {
		if e.Type != EntryConfChange {
			continue
		}
		if err := n.checkConfChange(e.Data); err != nil {
			return err
		}
		n.pendingConfIndex = n.log.lastIndex() + 1
	}
	first := n.appendEntries(m.Entries)
	for i := range m.Entries {
		n.emit(Event{Kind: EvProposalAppended, Peer: m.From, Index: first + uint64(i)})
	}
	n.bcastAppend()
	return nil
}

// appendEntries stamps ents with the leader's term and the next indexes,
// appends them and counts them as the leader's own match. It returns the
// first index used.
func (n *Node) appendEntries(ents []Entry) uint64 {
	first := n.log.lastIndex() + 1
	stamped := make([]Entry, len(ents))
	for i, e := range ents {
		e.Term, e.Index = n.term, first+uint64(i)
		stamped[i] = e
	}
	n.log.truncateAndAppend(stamped)
	if pr := n.prs[n.id]; pr != nil {
		pr.maybeUpdate(n.log.lastIndex())
	}
	n.maybeCommit()
	return first
}

// bcastAppend sends every follower what it is missing.
func (n *Node) bcastAppend() {
	for _, id := range n.peers() {
		n.sendAppend(id, true)
	}
}

// peers returns the other members, sorted (determinism: never range over
// the progress map).
func (n *Node) peers() []NodeID {
	var ids []NodeID
	for _, id := range n.conf.members() {
		if id != n.id && n.prs[id] != nil {
			ids = append(ids, id)
		}
	}
	return ids
}

// sendAppend sends one MsgApp to `to` if its progress allows; sendIfEmpty
// sends even without new entries (to carry the commit index or probe). It
// reports whether a message went out. A follower that needs compacted
// entries gets the snapshot instead.
func (n *Node) sendAppend(to NodeID, sendIfEmpty bool) bool {
	pr := n.prs[to]
	if pr.isPaused() {
		return false
	}
	prevTerm, okTerm := n.log.term(pr.next - 1)
	ents, okEnts := n.log.slice(pr.next, n.log.lastIndex()+1, n.cfg.MaxSizePerMsg)
	if !okTerm || !okEnts {
		n.startSnapshot(to)
		return true
	}
	if len(ents) == 0 && !sendIfEmpty {
		return false
	}
	n.send(Message{Type: MsgApp, To: to, Index: pr.next - 1, LogTerm: prevTerm, Entries: ents, Commit: n.log.committed})
	switch pr.state {
	case ProgressReplicate:
		if len(ents) > 0 {
			last := ents[len(ents)-1].Index
			pr.next = last + 1
			pr.inflights.add(last)
		}
	case ProgressProbe:
		pr.probeSent = true
	}
	return true
}

// sendAppendsWhileAllowed streams entries to a replicating follower until
// its window is full or it has everything.
func (n *Node) sendAppendsWhileAllowed(to NodeID) {
	for n.sendAppend(to, false) {
		if n.prs[to].state != ProgressReplicate {
			return
		}
	}
}

// handleAppendResponse learns from a follower's answer to MsgApp (or to an
// installed snapshot).
func (n *Node) handleAppendResponse(m Message) {
	pr := n.prs[m.From]
	pr.recentActive = true
	if m.Reject {
		n.handleAppendRejection(m, pr)
		return
	}
	oldState, wasPaused := pr.state, pr.isPaused()
	if !pr.maybeUpdate(m.Index) {
		return
	}
	switch {
	case pr.state == ProgressProbe:
		pr.becomeReplicate()
	case pr.state == ProgressSnapshot && pr.match+1 >= n.log.firstIndex():
		pr.becomeReplicate()
	case pr.state == ProgressSnapshot && pr.match >= pr.pendingSnapshot:
		pr.becomeProbe() // installed, but we compacted past it meanwhile
	case pr.state == ProgressReplicate:
		pr.inflights.freeTo(m.Index)
	}
	if pr.state != oldState {
		n.emit(Event{Kind: EvProgressChanged, Peer: m.From, Index: pr.match, Reason: pr.state.String()})
	}
	switch {
	case n.maybeCommit():
		n.bcastAppend()
	case wasPaused:
		// It may have missed the commit index while we waited on it.
		n.sendAppend(m.From, true)
	}
	n.sendAppendsWhileAllowed(m.From)
	if m.From == n.leadTransferee && pr.match == n.log.lastIndex() {
		n.sendTimeoutNow(m.From)
	}
}

// handleAppendRejection moves Next back using the follower's hint and
// probes again.
func (n *Node) handleAppendRejection(m Message, pr *progress) {
	hint := m.RejectHint
	if m.HintTerm > 0 {
		// Skip every entry of the leader's log after the last one whose
		// term is <= the follower's term at the hint: none can match.
		hint, _ = n.log.findConflictByTerm(m.RejectHint, m.HintTerm)
	}
	if !pr.maybeDecrTo(m.Index, hint) {
		return
	}
	if pr.state == ProgressReplicate {
		pr.becomeProbe()
		n.emit(Event{Kind: EvProgressChanged, Peer: m.From, Index: pr.match, Reason: "probe"})
	}
	n.sendAppend(m.From, true)
}

// maybeCommit advances the commit index to what a quorum of voters holds,
// if that entry is of the current term (Raft §5.4.2, Figure 8: an entry of
// an earlier term is never committed by counting replicas).
func (n *Node) maybeCommit() bool {
	idx := committedIndex(n.conf.voters, func(id NodeID) uint64 {
		if pr := n.prs[id]; pr != nil {
			return pr.match
		}
		return 0
	})
	if t, _ := n.log.term(idx); t != n.term || idx <= n.log.committed {
		return false
	}
	firstInTerm := !n.committedInTerm()
	n.log.commitTo(idx)
	n.emit(Event{Kind: EvCommitted, Index: idx})
	if firstInTerm {
		n.releaseDeferredReads()
	}
	return true
}

// committedInTerm reports whether the leader has committed an entry of its
// own term yet.
func (n *Node) committedInTerm() bool {
	t, _ := n.log.term(n.log.committed)
	return t == n.term
}

// bcastHeartbeat sends every follower a heartbeat (Raft §5.2), carrying
// the newest pending ReadIndex context so a lost round is retried.
func (n *Node) bcastHeartbeat() {
	ctx := n.reads.lastContext()
	for _, id := range n.peers() {
		n.sendHeartbeat(id, ctx)
	}
}

// sendHeartbeat tells `to` the commit index, but never beyond what it is
// known to hold (it may not have those entries yet).
func (n *Node) sendHeartbeat(to NodeID, ctx []byte) {
	commit := min(n.prs[to].match, n.log.committed)
	n.send(Message{Type: MsgHeartbeat, To: to, Commit: commit, Context: ctx})
}

// handleHeartbeatResponse: the follower is alive; resume a paused probe,
// unstick a full window, restart a stalled snapshot stream, and count the
// answer towards a pending ReadIndex.
func (n *Node) handleHeartbeatResponse(m Message) {
	pr := n.prs[m.From]
	pr.recentActive = true
	pr.probeSent = false
	switch {
	case pr.state == ProgressSnapshot:
		n.maybeRestartSnapshot(m.From, pr)
	case pr.state == ProgressReplicate && pr.inflights.full():
		pr.inflights.freeFirst()
	}
	if pr.state != ProgressSnapshot && pr.match < n.log.lastIndex() {
		n.sendAppend(m.From, true)
	}
	if len(m.Context) > 0 {
		n.readAcked(m.From, m.Context)
	}
}

// handleUnreachable: messages to `id` may be lost; probe it again.
func (n *Node) handleUnreachable(id NodeID) {
	pr := n.prs[id]
	if pr == nil || pr.state != ProgressReplicate {
		return
	}
	pr.becomeProbe()
	n.emit(Event{Kind: EvProgressChanged, Peer: id, Index: pr.match, Reason: "probe"})
}

// tickLeader: heartbeats every HeartbeatTicks; every election timeout a
// quorum check and the end of an unfinished transfer.
func (n *Node) tickLeader() {
	n.heartbeatElapsed++
	n.electionElapsed++
	if n.electionElapsed >= n.cfg.ElectionTicks {
		n.electionElapsed = 0
		if n.cfg.isCheckQuorum() {
			_ = n.step(Message{Type: MsgCheckQuorum, From: n.id})
		}
		if n.role == Leader && n.leadTransferee != None {
			n.abortTransfer("timed out")
		}
	}
	if n.role != Leader {
		return
	}
	if n.heartbeatElapsed >= n.cfg.HeartbeatTicks {
		n.heartbeatElapsed = 0
		_ = n.step(Message{Type: MsgBeat, From: n.id})
	}
}

// checkQuorum steps down if a quorum of voters has not been heard from in
// the last election timeout (thesis §6.2), then starts a new round.
func (n *Node) checkQuorum() {
	active := 0
	for _, id := range n.conf.voters {
		if pr := n.prs[id]; pr != nil && (pr.recentActive || id == n.id) {
			active++
		}
	}
	for _, id := range n.conf.members() {
		if pr := n.prs[id]; pr != nil && id != n.id {
			pr.wasActive, pr.recentActive = pr.recentActive, false
		}
	}
	if active < quorumSize(len(n.conf.voters)) {
		n.emit(Event{Kind: EvStepDown, Index: uint64(active), Reason: "check quorum"})
		n.becomeFollower(n.term, None)
	}
}
