package lease

// Leadership: the lessor of the Raft leader is the primary. When a member
// wins an election it promotes its lessor; when it loses leadership it
// demotes it. A follower holds every lease forever, because it cannot know
// whether keep-alives are reaching the leader; the new leader restarts every
// countdown from the lease's remaining TTL (the last checkpoint, or the full
// TTL) plus an extension of one election timeout, so that the time the
// cluster spent without a leader — when no keep-alive could be served — is
// never charged to the client.
//
//	leader n1:  grant A ttl=10 at 0s ........ n1 crashes at 8s
//	follower n2: A held forever ............. n2 elected at 9s
//	n2 promotes with extend=1s:  A expires at 9s + 10s + 1s = 20s
//
// etcd: lessor.Promote and Demote; etcdserver promotes with extend =
// election timeout (raft.go: "when promoted, extend lease TTLs by the
// election timeout").

import (
	"sort"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// Promote makes this lessor the primary at now: every lease expires its
// resume TTL plus extend from now; if that would make too many expire
// together, they are spread out (spreadExpiries). extend must not be
// negative.
func (l *Lessor) Promote(extend, now time.Duration) {
	if extend < 0 {
		panic("lease.Promote: negative extension")
	}
	l.primary = true
	l.expiries.clear()
	l.checkpoints.clear()
	l.clears.Clear(false)
	l.leases.Ascend(func(ls *lease) bool {
		ls.refresh(extend, now)
		l.expiries.set(ls.id, ls.expiry)
		l.scheduleCheckpoint(ls, now)
		return true
	})
	if l.leases.Len() >= core.LeaseRevokeRate {
		l.spreadExpiries(extend, now)
	}
	l.record(Event{Kind: EvPromoted, Count: l.leases.Len()})
}

// Demote makes this lessor a follower: every lease is held forever and the
// primary's agendas are dropped.
func (l *Lessor) Demote() {
	l.leases.Ascend(func(ls *lease) bool {
		ls.expiry = Never
		return true
	})
	l.primary = false
	l.expiries.clear()
	l.checkpoints.clear()
	l.clears.Clear(false)
	l.record(Event{Kind: EvDemoted})
}

// spreadExpiries keeps a new leader from expiring a pile of leases at once
// (say, thousands granted together). Walking the leases in expiry order, it
// counts expiries per one-second window; past 3/4 of the revoke rate in a
// window, each further lease is pushed back in proportion to the overflow, so
// the pile drains at about that pace and leaves room for leases that expire
// on their own. etcd: the "adjust expiries in case of overlap" part of
// lessor.Promote, with targetExpiresPerSecond = 3/4 × leaseRevokeRate.
func (l *Lessor) spreadExpiries(extend, now time.Duration) {
	byExpiry := make([]*lease, 0, l.leases.Len())
	l.leases.Ascend(func(ls *lease) bool {
		byExpiry = append(byExpiry, ls)
		return true
	})
	sort.SliceStable(byExpiry, func(i, j int) bool { return byExpiry[i].expiry < byExpiry[j].expiry })

	target := int64(3 * core.LeaseRevokeRate / 4) // expiries per second
	windowStart := byExpiry[0].remaining(now)
	windowEnd := addSaturating(windowStart, time.Second)
	inWindow := int64(0)
	for _, ls := range byExpiry {
		remaining := ls.remaining(now)
		if remaining > windowEnd {
			windowStart, windowEnd, inWindow = remaining, addSaturating(remaining, time.Second), 1
			continue
		}
		inWindow++
		if inWindow <= target {
			continue
		}
		// The n-th lease of a crowded window goes n/target seconds after the
		// window's start; a lease already some way into the window needs
		// that much less.
		delay := time.Duration(int64(time.Second)*inWindow/target) - (remaining - windowStart)
		if delay < 0 {
			panic("lease.spreadExpiries: negative delay")
		}
		windowEnd = addSaturating(windowStart, delay)
		ls.refresh(addSaturating(delay, extend), now)
		l.expiries.set(ls.id, ls.expiry)
		l.scheduleCheckpoint(ls, now)
	}
}
