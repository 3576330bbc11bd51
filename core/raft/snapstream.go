package raft

// Sending a snapshot in chunks (Raft §7, InstallSnapshot with offset and
// done; Figure 13). A follower whose next entry the leader has compacted
// gets the latest snapshot instead, SnapshotChunkBytes at a time, at most
// MaxSnapshotChunksInflight chunks unacknowledged.
//
//	leader                                  follower
//	MsgSnap off=0   ──────────────────────>  buf = chunk 0     MsgSnapResp off=c
//	MsgSnap off=c   ──────────────────────>  buf += chunk 1    MsgSnapResp off=2c
//	MsgSnap off=2c  ───────── lost ──X
//	MsgSnap off=3c  ──────────────────────>  out of order: reject, off=2c
//	MsgSnap off=2c  (resend from the follower's offset) ...
//	last chunk      ──────────────────────>  install           MsgAppResp idx=snap
//
// Recovery rule: the follower acknowledges every chunk with the bytes it
// holds; a chunk beyond that is rejected and the leader resends from the
// follower's offset. If two heartbeat answers in a row arrive with no chunk
// acknowledged in between, the leader assumes the tail of the stream was
// lost and resends from the last acknowledged offset. A follower that lost
// its partial snapshot (it restarted), or holds part of another stream (a
// stream belongs to one leader in one term), rejects a chunk at a non-zero
// offset with offset 0, and the stream starts over. A chunk of a snapshot
// the follower's commit index already covers is answered with MsgAppResp
// at once: it needs nothing more.

// snapAssembly is a snapshot a follower is receiving. A stream belongs to
// one leader in one term: two leaders may hold snapshots of the same index
// whose bytes differ (a bbolt file is not the same byte for byte on every
// member), so chunks of different streams never mix.
type snapAssembly struct {
	from  NodeID
	term  uint64
	meta  SnapshotMeta
	total uint64
	data  []byte
}

// sameStream reports whether chunk m continues the stream a.
func (a *snapAssembly) sameStream(m Message) bool {
	return a != nil && a.from == m.From && a.term == m.Term && a.total == m.SnapTotal &&
		a.meta.Index == m.SnapMeta.Index && a.meta.Term == m.SnapMeta.Term
}

// startSnapshot switches `to` to the snapshot state and starts streaming
// (in thin mode, if there is no full snapshot to send yet, `to` waits for
// the application to provide one: snapdemand.go).
func (n *Node) startSnapshot(to NodeID) {
	src := n.snapshotToStart()
	if src == nil {
		n.awaitSnapshot(to)
		return
	}
	n.prs[to].becomeSnapshot(src.Meta.Index)
	n.emit(Event{Kind: EvProgressChanged, Peer: to, Index: n.prs[to].match, Reason: "snapshot"})
	n.emit(Event{Kind: EvSnapshotSendStarted, Peer: to, Index: src.Meta.Index})
	n.sendSnapChunks(to)
}

// sendSnapChunks fills the chunk window of `to`.
func (n *Node) sendSnapChunks(to NodeID) {
	pr := n.prs[to]
	src := n.streamSource()
	if src == nil || pr.pendingSnapshot != src.Meta.Index {
		// A newer snapshot replaced the one being sent: send that one.
		n.startSnapshot(to)
		return
	}
	data, chunk := src.Data, uint64(n.cfg.SnapshotChunkBytes)
	total := uint64(len(data))
	for pr.snapInflight < maxSnapChunksInflight && !pr.snapAllSent {
		end := min(pr.snapSent+chunk, total)
		meta := src.Meta
		meta.Conf = membershipOf(meta.Conf).confState() // a copy the message owns
		n.send(Message{
			Type: MsgSnap, To: to, Index: meta.Index, LogTerm: meta.Term,
			SnapMeta: &meta, SnapOffset: pr.snapSent, SnapTotal: total,
			SnapChunk: append([]byte(nil), data[pr.snapSent:end]...),
		})
		pr.snapSent = end
		pr.snapInflight++
		pr.snapAllSent = end == total
	}
}

// handleSnapResponse: the follower acknowledged (or refused) a chunk.
func (n *Node) handleSnapResponse(m Message) {
	pr := n.prs[m.From]
	pr.recentActive = true
	if pr.state != ProgressSnapshot || m.Index != pr.pendingSnapshot {
		return // about a stream that is over
	}
	if m.Reject {
		pr.rewindSnapshot(m.SnapOffset)
	} else {
		pr.snapAcked = max(pr.snapAcked, m.SnapOffset)
		pr.snapInflight = max(pr.snapInflight-1, 0)
	}
	n.sendSnapChunks(m.From)
}

// maybeRestartSnapshot resends from the last acknowledged offset when
// heartbeats show the follower alive but the stream stalled.
func (n *Node) maybeRestartSnapshot(to NodeID, pr *progress) {
	if pr.snapAcked != pr.snapAckedAtBeat {
		pr.snapAckedAtBeat = pr.snapAcked
		pr.snapStalledBeats = 0
		return
	}
	pr.snapStalledBeats++
	if pr.snapStalledBeats < 2 {
		return
	}
	pr.rewindSnapshot(pr.snapAcked)
	n.sendSnapChunks(to)
}

// handleSnapChunk receives one chunk on a follower.
func (n *Node) handleSnapChunk(m Message) {
	if m.SnapMeta == nil {
		return // malformed: every chunk names its snapshot
	}
	meta := *m.SnapMeta
	if meta.Index <= n.log.committed {
		n.send(Message{Type: MsgAppResp, To: m.From, Index: n.log.committed})
		return
	}
	a := n.incoming
	if !a.sameStream(m) {
		if m.SnapOffset != 0 {
			// Not the start of a stream we hold: ask for it from the start.
			n.send(Message{Type: MsgSnapResp, To: m.From, Index: meta.Index, Reject: true})
			return
		}
		a = &snapAssembly{from: m.From, term: m.Term, meta: meta, total: m.SnapTotal}
		n.incoming = a
	}
	held := uint64(len(a.data))
	switch {
	case m.SnapOffset > held || held+uint64(len(m.SnapChunk)) > a.total && m.SnapOffset == held:
		n.send(Message{Type: MsgSnapResp, To: m.From, Index: meta.Index, Reject: true, SnapOffset: held})
		return
	case m.SnapOffset == held:
		a.data = append(a.data, m.SnapChunk...)
	}
	if uint64(len(a.data)) < a.total {
		n.send(Message{Type: MsgSnapResp, To: m.From, Index: meta.Index, SnapOffset: uint64(len(a.data))})
		return
	}
	n.incoming = nil
	// Acknowledge only what is known to match the leader's log: after a
	// restore that is the whole log; otherwise the entries after the
	// snapshot's may be stale ones of an old term, and only the committed
	// prefix is sure (Log Matching; etcd: handleSnapshot).
	acked := n.log.committed
	if n.installSnapshot(m.From, Snapshot{Meta: a.meta, Data: a.data}) {
		acked = n.log.lastIndex()
	}
	n.send(Message{Type: MsgAppResp, To: m.From, Index: acked})
}

// installSnapshot puts a complete snapshot in place (Raft §7): if the log
// already holds its last entry, only the commit index moves; otherwise the
// log is replaced by the snapshot and its membership adopted. It reports
// whether the log was replaced.
func (n *Node) installSnapshot(from NodeID, s Snapshot) bool {
	meta := s.Meta
	if n.log.matchTerm(meta.Index, meta.Term) {
		n.followerCommitTo(meta.Index)
		return false
	}
	before := n.reportedRole()
	n.log.restore(meta.Index, meta.Term)
	n.conf = membershipOf(meta.Conf)
	n.confIndex = meta.Index
	n.applying = meta.Index
	n.held = cloneSnapshot(&s)
	if n.thin {
		n.held.Data = nil // the state is the application's now; thin mode never sends held
	}
	n.pendingSnap = cloneSnapshot(&s)
	n.emit(Event{Kind: EvSnapshotInstalled, Peer: from, Index: meta.Index})
	n.emit(Event{Kind: EvCommitted, Index: meta.Index})
	if r := n.reportedRole(); r != before {
		n.emit(Event{Kind: EvRoleChanged, Role: r, Peer: n.lead})
	}
	return true
}
