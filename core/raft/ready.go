package raft

// The Ready/Advance handshake: the node never does I/O itself; it hands
// the caller a batch of work (Ready, whose comment in types.go gives the
// order: persist, send, apply) and learns through Advance that the batch is
// done.
//
//	  Tick/Step/Propose ...          Ready()               Advance(rd)
//	state changes, output queued ──> batch handed out ──> applied index moves,
//	                                  (marked as given)    conf changes take effect
//
// Ready marks what it hands out as given, so calling it twice never hands
// the same entry, message or event out twice. Committed entries are handed
// out only up to the end of the log being handed out in the same or an
// earlier Ready: the caller persists Entries before applying.

// HasReady reports whether Ready would return any work.
func (n *Node) HasReady() bool {
	return n.hardState() != n.prevHard ||
		n.log.lastIndex() > n.log.stable ||
		n.pendingSnap != nil ||
		n.log.committed > n.applying ||
		len(n.msgs) > 0 || len(n.readStates) > 0 || len(n.events) > 0
}

// Ready returns the work to do and marks it as handed out.
func (n *Node) Ready() Ready {
	rd := Ready{Role: n.reportedRole(), Lead: n.lead}
	if hs := n.hardState(); hs != n.prevHard {
		rd.HardState = hs
		rd.MustSync = hs.Term != n.prevHard.Term || hs.Vote != n.prevHard.Vote
		n.prevHard = hs
	}
	if n.pendingSnap != nil {
		rd.Snapshot = n.pendingSnap
		rd.MustSync = true
		n.pendingSnap = nil
	}
	if ents := n.log.unstable(); len(ents) > 0 {
		rd.Entries = ents
		rd.MustSync = true
		n.log.stable = n.log.lastIndex()
	}
	if n.log.committed > n.applying {
		lo := max(n.applying+1, n.log.firstIndex())
		rd.CommittedEntries, _ = n.log.slice(lo, n.log.committed+1, ^uint64(0))
		n.applying = n.log.committed
	}
	rd.Messages, n.msgs = n.msgs, nil
	rd.ReadStates, n.readStates = n.readStates, nil
	rd.Events, n.events = n.events, nil
	return rd
}

// Advance records that the caller carried out rd: the snapshot is
// installed and the committed entries are applied. Membership changes
// among them take effect now. Ready batches must be advanced in the order
// they were handed out.
func (n *Node) Advance(rd Ready) {
	if rd.Snapshot != nil {
		n.applied = max(n.applied, rd.Snapshot.Meta.Index)
	}
	for _, e := range rd.CommittedEntries {
		if e.Index <= n.applied {
			continue // covered by a snapshot installed meanwhile
		}
		if e.Index != n.applied+1 {
			panic("Node.Advance: committed entries out of order: advance each Ready once, in order (applied " + itoa(n.applied) + ", got " + itoa(e.Index) + ")")
		}
		n.applied = e.Index
		if e.Type == EntryConfChange && e.Index > n.confIndex {
			n.applyConfChange(e)
		}
	}
}
