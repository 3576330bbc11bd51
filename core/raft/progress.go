package raft

// The leader's view of one follower (Raft Figure 2, nextIndex/matchIndex)
// with etcd's flow control (etcd: tracker/progress.go). See ProgressState in
// types.go for the picture of the three states:
//
//   - probe: send one MsgApp, then wait for its answer (or a heartbeat
//     answer) before the next; each rejection moves Next back.
//   - replicate: stream MsgApp optimistically, Next running ahead of Match,
//     at most MaxInflightMsgs unacknowledged (the inflights window).
//   - snapshot: the entries the follower needs are compacted; stream the
//     snapshot in chunks and send no entries until it is installed. In
//     thin mode a follower whose snapshot the application has not provided
//     yet waits as a paused probe (awaitSnapshot; snapdemand.go).
//
// Interface: progress, becomeProbe/becomeReplicate/becomeSnapshot,
// awaitSnapshot, maybeUpdate, maybeDecrTo, isPaused, and the inflights window.

import "fmt"

type progress struct {
	match, next uint64
	state       ProgressState
	// probeSent: in probe, a MsgApp is out and the next one waits for an
	// answer.
	probeSent bool
	// inflights holds the last index of each MsgApp sent in replicate and
	// not yet acknowledged, oldest first.
	inflights inflights
	// recentActive: heard from since the last check-quorum round.
	// wasActive is its value at that round, so that the strict reconfig
	// check does not mistake a just-reset flag for a dead member.
	recentActive, wasActive bool
	isLearner               bool

	// Snapshot streaming (state == ProgressSnapshot).
	pendingSnapshot  uint64 // index of the snapshot being sent
	snapSent         uint64 // bytes sent so far (next chunk's offset)
	snapAcked        uint64 // bytes the follower confirmed holding
	snapInflight     int    // chunks sent and not acknowledged
	snapAllSent      bool   // the last chunk went out
	snapAckedAtBeat  uint64 // snapAcked at the last heartbeat answer
	snapStalledBeats int    // heartbeat answers in a row without progress
}

// rewindSnapshot resends the snapshot from offset (what the follower holds).
func (p *progress) rewindSnapshot(offset uint64) {
	p.snapSent, p.snapAcked = offset, offset
	p.snapInflight = 0
	p.snapAllSent = false
	p.snapStalledBeats = 0
}

func newProgress(next uint64, isLearner bool, maxInflight int) *progress {
	return &progress{next: next, isLearner: isLearner, inflights: inflights{max: maxInflight}}
}

func (p *progress) resetState(s ProgressState) {
	p.state = s
	p.probeSent = false
	p.inflights.reset()
	p.pendingSnapshot, p.snapSent, p.snapAcked, p.snapInflight = 0, 0, 0, 0
	p.snapAllSent, p.snapAckedAtBeat, p.snapStalledBeats = false, 0, 0
}

// becomeProbe: back to one-at-a-time, from just after what matches (or
// after the snapshot just sent).
func (p *progress) becomeProbe() {
	if p.state == ProgressSnapshot {
		pending := p.pendingSnapshot
		p.resetState(ProgressProbe)
		p.next = max(p.match+1, pending+1)
		return
	}
	p.resetState(ProgressProbe)
	p.next = p.match + 1
}

func (p *progress) becomeReplicate() {
	p.resetState(ProgressReplicate)
	p.next = p.match + 1
}

func (p *progress) becomeSnapshot(index uint64) {
	p.resetState(ProgressSnapshot)
	p.pendingSnapshot = index
}

// awaitSnapshot parks the follower until the leader has a snapshot to send
// it (thin mode, snapdemand.go): a paused probe from just after what
// matches, so that the next heartbeat answer retries.
func (p *progress) awaitSnapshot() {
	if p.state != ProgressProbe {
		p.resetState(ProgressProbe)
		p.next = p.match + 1
	}
	p.probeSent = true
}

// maybeUpdate records that the follower's log matches up to n. It reports
// whether this was news (a stale acknowledgement is not).
func (p *progress) maybeUpdate(n uint64) bool {
	updated := false
	if p.match < n {
		p.match = n
		updated = true
		p.probeSent = false
	}
	p.next = max(p.next, n+1)
	return updated
}

// maybeDecrTo moves Next back after the follower rejected the append at
// rejected; hint is where the logs may match (fast backup). It reports
// false for a stale rejection.
func (p *progress) maybeDecrTo(rejected, hint uint64) bool {
	if p.state == ProgressReplicate {
		if rejected <= p.match {
			return false // an old message, answered before the match we know
		}
		p.next = p.match + 1
		return true
	}
	if p.next-1 != rejected {
		return false // not the probe we are waiting for
	}
	p.next = max(min(rejected, hint+1), p.match+1)
	p.probeSent = false
	return true
}

// isPaused reports whether the leader must not send this follower another
// MsgApp now.
func (p *progress) isPaused() bool {
	switch p.state {
	case ProgressProbe:
		return p.probeSent
	case ProgressReplicate:
		return p.inflights.full()
	case ProgressSnapshot:
		return true
	}
	panic(fmt.Sprintf("progress.isPaused: unknown state %d", p.state))
}

// public returns the exported picture of p.
func (p *progress) public() Progress {
	inflight := p.inflights.count()
	switch {
	case p.state == ProgressProbe && p.probeSent:
		inflight = 1
	case p.state == ProgressSnapshot:
		inflight = p.snapInflight
	}
	return Progress{
		Match: p.match, Next: p.next, State: p.state, Inflight: inflight,
		RecentActive: p.recentActive, IsLearner: p.isLearner,
		PendingSnapshot: p.pendingSnapshot, SnapSent: p.snapSent,
	}
}

// inflights is the window of unacknowledged MsgApp in replicate: each slot
// holds the last index that message carried. An acknowledgement up to i
// frees every slot <= i (etcd: tracker/inflights.go).
type inflights struct {
	max   int
	queue []uint64
}

func (in *inflights) full() bool { return len(in.queue) >= in.max }
func (in *inflights) count() int { return len(in.queue) }
func (in *inflights) reset()     { in.queue = in.queue[:0] }
func (in *inflights) add(last uint64) {
	if in.full() {
		panic("inflights.add: window is full")
	}
	in.queue = append(in.queue, last)
}

// freeTo releases every message whose last index is <= i.
func (in *inflights) freeTo(i uint64) {
	n := 0
	for n < len(in.queue) && in.queue[n] <= i {
		n++
	}
	in.queue = append(in.queue[:0], in.queue[n:]...)
}

// freeFirst releases the oldest message, so that a window stuck by lost
// messages can send again (etcd frees one on a heartbeat answer).
func (in *inflights) freeFirst() {
	if len(in.queue) > 0 {
		in.queue = append(in.queue[:0], in.queue[1:]...)
	}
}
