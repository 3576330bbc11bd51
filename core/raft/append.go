package raft

// Log replication, the follower's side (Figure 2, AppendEntries receiver
// rules): accept entries only where the log matches the leader's at
// (Index, LogTerm), drop a conflicting suffix, and commit what the leader
// says is committed, as far as the new entries reach.
//
// On a mismatch the follower answers with a hint for fast backup: the
// largest index at or below the probed one whose term is <= the leader's
// term there, and that term (Raft §5.3, end; etcd: findConflictByTerm).

import "fmt"

// handleAppend answers MsgApp.
func (n *Node) handleAppend(m Message) {
	if m.Index < n.log.committed {
		// Everything up to committed already matches (Log Matching);
		// tell the leader so it can move on.
		n.send(Message{Type: MsgAppResp, To: m.From, Index: n.log.committed})
		return
	}
	if !n.log.matchTerm(m.Index, m.LogTerm) {
		hint, hintTerm := n.log.findConflictByTerm(min(m.Index, n.log.lastIndex()), m.LogTerm)
		n.send(Message{Type: MsgAppResp, To: m.From, Index: m.Index, Reject: true, RejectHint: hint, HintTerm: hintTerm})
		n.emit(Event{Kind: EvAppendRejected, Peer: m.From, Index: m.Index, Reason: n.mismatchReason(m)})
		return
	}
	lastNew := n.log.appendAfter(m.Index, m.Entries)
	if len(m.Entries) > 0 {
		n.emit(Event{Kind: EvAppendAccepted, Peer: m.From, Index: lastNew})
	}
	n.followerCommitTo(min(m.Commit, lastNew))
	n.send(Message{Type: MsgAppResp, To: m.From, Index: lastNew})
}

// mismatchReason says why the consistency check failed, for the trace.
func (n *Node) mismatchReason(m Message) string {
	t, ok := n.log.term(m.Index)
	switch {
	case m.Index > n.log.lastIndex():
		return "log too short: missing entry " + itoa(m.Index)
	case !ok:
		return "entry " + itoa(m.Index) + " compacted"
	}
	return "entry " + itoa(m.Index) + " has term " + itoa(t) + ", leader has " + itoa(m.LogTerm)
}

// handleHeartbeat answers MsgHeartbeat, learning the commit index.
//
// The leader sends min(its commit, our match), so a commit beyond our last
// index means we lost entries we acknowledged: refuse with ErrLogLost and do
// not answer (the heartbeat must not count towards a quorum).
func (n *Node) handleHeartbeat(m Message) error {
	if last := n.log.lastIndex(); m.Commit > last {
		return fmt.Errorf("%w: the leader n%d commits up to %d, this log ends at %d", ErrLogLost, m.From, m.Commit, last)
	}
	n.followerCommitTo(m.Commit)
	n.send(Message{Type: MsgHeartbeatResp, To: m.From, Context: m.Context})
	return nil
}

// followerCommitTo raises the commit index as the leader says, never past
// the log's end.
func (n *Node) followerCommitTo(i uint64) {
	i = min(i, n.log.lastIndex())
	if n.log.commitTo(i) {
		n.emit(Event{Kind: EvCommitted, Index: i})
	}
}
