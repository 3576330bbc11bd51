package lease

// Expiry: the primary does not delete an expired lease itself. It hands the
// lease to the server, which proposes a revoke through Raft, so that every
// member deletes the same keys at the same revision (a lease that expired on
// the leader's clock must not vanish on a follower's). Until that revoke
// applies, the lease is "in flight": it is not offered again for a retry
// interval, after which it is, in case the proposal was lost (a leader
// change, a dropped message).
//
//	expiry 10s                 ExpiredLeases(10s) -> [A]   (A waits until 13s)
//	revoke proposed ...        ExpiredLeases(11s) -> []
//	... lost in a leader blip  ExpiredLeases(13s) -> [A]   (offered again)
//	revoke applied             A is gone; its keys are DELETE events
//
// etcd: lessor.revokeExpiredLeases, findExpiredLeases and expireExists.

import (
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// ExpiredLeases returns the leases whose expiry has passed at now, earliest
// expiry first (ties by ID), at most core.MaxExpiredLeasesPerCall of them;
// the rest wait for the next call. The caller calls it every
// core.LeaseLoopIntervalMillis, so at most core.LeaseRevokeRate leases are
// revoked per second. Each lease returned is held back for
// Config.ExpiredRetryInterval. A follower has nothing to expire.
func (l *Lessor) ExpiredLeases(now time.Duration) []LeaseID {
	if !l.primary {
		return nil
	}
	var out []LeaseID
	for len(out) < core.MaxExpiredLeasesPerCall {
		next, ok := l.expiries.first()
		if !ok || next.at > now {
			break
		}
		ls := l.get(next.id)
		if ls == nil || !ls.expired(now) {
			// Revoke and refresh keep the agenda in step with the leases.
			panic("lease.ExpiredLeases: agenda entry for lease " + next.id.String() + " is out of step")
		}
		// Offer it, and look again after the retry interval in case the
		// revoke never applies.
		l.expiries.set(next.id, addSaturating(now, l.cfg.ExpiredRetryInterval))
		out = append(out, ls.id)
		l.record(Event{Kind: EvExpired, Lease: ls.id})
	}
	return out
}
