package server

// Waiting for the log (etcd: pkg/wait and the request timeout of
// v3_server.go). A write proposed here is answered when this member
// applies its entry; until then it waits, keyed by its request ID. Nothing
// waits forever: a proposal can be dropped on the way to the leader, lost
// with a deposed leader's log, or simply never commit while a partition
// lasts, and none of these is reported back. So every waiter has a
// deadline — the request timeout, core.RequestTimeoutBaseMillis plus two
// election timeouts, in ticks — after which it is answered with
// ErrTimeout, or ErrTimeoutDueToLeaderFail if the leader changed while it
// waited.
//
//	Submit ──propose──> waiter{afterIndex=commit, deadline=now+timeout}
//	   apply entry (Proposer=me, ID, index > afterIndex) ──> answer, forget
//	   Tick past deadline ──> ErrTimeout / ErrTimeoutDueToLeaderFail, forget
//
// afterIndex guards against answering a new request with an old entry of
// the same ID (a replay after restart): a new proposal always lands after
// the commit index the member knew when it proposed, since committed
// entries are never replaced. Internal proposals (alarms, compactions,
// lease revokes) wait in the same registry under their own IDs.

import "slices"

// internalKind says which of the member's own proposals an entry is.
type internalKind uint8

const (
	internalAlarm internalKind = iota + 1
	internalCompaction
	internalLeaseRevoke
	internalCheckpoint
)

// waitKey names a waiter: a client request ID, or an internal one.
type waitKey struct {
	internal bool
	id       uint64
}

// waiter is a proposal waiting for its entry to be applied.
type waiter struct {
	req           Request      // the client's request (zero if internal)
	kind          internalKind // internal proposals only
	afterIndex    uint64
	deadline      uint64 // in ticks
	leaderChanged bool
}

// wait registers a client proposal.
func (m *Member) wait(r Request) {
	m.busy[r.ID] = true
	m.waits[waitKey{id: r.ID}] = &waiter{req: r, afterIndex: m.committed, deadline: m.ticks + m.cfg.requestTimeoutTicks()}
}

// proposeInternal proposes one of the member's own requests.
func (m *Member) proposeInternal(env envelope, kind internalKind) {
	m.seq++
	env.ID, env.Proposer, env.Internal = m.seq, m.id, true
	data, err := encode(env)
	if err == nil {
		err = m.node.Propose(data)
	}
	if err != nil {
		m.internalDone(kind, false)
		return
	}
	m.waits[waitKey{internal: true, id: env.ID}] = &waiter{kind: kind, afterIndex: m.committed, deadline: m.ticks + m.cfg.requestTimeoutTicks()}
}

// answer resolves the waiter of an applied entry proposed here.
func (m *Member) answer(key waitKey, index uint64, resp Response) {
	w := m.waits[key]
	if w == nil || index <= w.afterIndex {
		return
	}
	delete(m.waits, key)
	if key.internal {
		m.internalDone(w.kind, resp.Err == nil || resp.Err == errAlreadyCompacted)
		return
	}
	resp.ID = key.id
	m.respond(resp)
}

// internalDone tells the part of the member that proposed whether its
// proposal took effect.
func (m *Member) internalDone(kind internalKind, ok bool) {
	switch kind {
	case internalAlarm:
		if !ok {
			m.raisingNoSpace = false
		}
	case internalCompaction:
		if !ok && m.compactor != nil {
			m.compactor.failed()
		}
	}
}

// expireWaits answers the waiters whose deadline passed, in ID order.
func (m *Member) expireWaits() {
	var due []waitKey
	for key, w := range m.waits {
		if m.ticks >= w.deadline {
			due = append(due, key)
		}
	}
	slices.SortFunc(due, func(a, b waitKey) int {
		switch {
		case a.internal != b.internal:
			if a.internal {
				return 1
			}
			return -1
		case a.id < b.id:
			return -1
		case a.id > b.id:
			return 1
		}
		return 0
	})
	for _, key := range due {
		w := m.waits[key]
		delete(m.waits, key)
		if key.internal {
			m.internalDone(w.kind, false)
			continue
		}
		err := ErrTimeout
		if w.leaderChanged {
			err = ErrTimeoutDueToLeaderFail
		}
		m.emit(Event{Kind: EvRequestTimedOut, RequestID: key.id, Reason: err.Error()})
		m.fail(w.req, err)
	}
	m.expireReads()
}

// leaderChanged marks the waiting proposals and fails the reads that have
// no read index yet (etcd: the read loop answers ErrLeaderChanged).
func (m *Member) leaderChanged() {
	for _, w := range m.waits {
		w.leaderChanged = true
	}
	m.failUnconfirmedReads(ErrLeaderChanged)
}
