package lease

// Keep-alives and time-to-live: the two questions only the primary answers,
// because only the primary counts leases down. A follower answers
// ErrNotPrimary and the server forwards the request to the leader (etcd:
// v3_server.go LeaseRenew / LeaseTimeToLive).
//
//	grant ttl=10 at 0s      expiry 10s
//	keep-alive at 4s        expiry 14s   (the countdown restarts at the full TTL)
//	time-to-live at 6.5s    TTL 7        (14s - 6.5s = 7.5s, truncated)

import "time"

// Renew restarts lease id's countdown at now and returns its granted TTL.
// If a checkpoint had recorded a shorter remaining TTL, Renew also queues a
// checkpoint that clears it (remaining 0), handed out by the next
// Checkpoints call, so that a new leader does not resume from the stale
// value. etcd: lessor.Renew ("clear remaining TTL when we renew if it is set").
func (l *Lessor) Renew(id LeaseID, now time.Duration) (int64, error) {
	if !l.primary {
		return -1, ErrNotPrimary
	}
	ls := l.get(id)
	if ls == nil {
		return -1, ErrLeaseNotFound
	}
	if ls.expired(now) {
		return -1, ErrLeaseExpired
	}
	if l.cfg.EnableCheckpoints && ls.remainingTTLSeconds > 0 {
		// etcd proposes the clear and waits for it to apply before it
		// refreshes, so it refreshes from the full TTL; we refresh from the
		// full TTL now and let the clear follow through Raft.
		l.clears.ReplaceOrInsert(id)
		ls.expiry = addSaturating(now, time.Duration(ls.ttlSeconds)*time.Second)
	} else {
		ls.refresh(0, now)
	}
	l.expiries.set(id, ls.expiry)
	l.record(Event{Kind: EvRenewed, Lease: id, TTLSeconds: ls.ttlSeconds})
	return ls.ttlSeconds, nil
}

// TimeToLive answers LeaseTimeToLive for lease id.
type TimeToLive struct {
	ID LeaseID
	// TTLSeconds is the time left, truncated to whole seconds as etcd does
	// (int64(Remaining().Seconds())): 7.9 s left reads 7. A lease past its
	// expiry whose revoke is still in flight reads 0 or less. (A lease that
	// is gone is ErrLeaseNotFound, which the gRPC layer reports as TTL -1.)
	TTLSeconds        int64
	GrantedTTLSeconds int64
	Keys              []string // sorted; only if asked for
}

// TimeToLive reports how long lease id has left, its granted TTL and, if
// withKeys, its keys. Primary only. etcd: EtcdServer.LeaseTimeToLive.
func (l *Lessor) TimeToLive(id LeaseID, withKeys bool, now time.Duration) (TimeToLive, error) {
	if !l.primary {
		return TimeToLive{}, ErrNotPrimary
	}
	ls := l.get(id)
	if ls == nil {
		return TimeToLive{}, ErrLeaseNotFound
	}
	t := TimeToLive{
		ID:                id,
		TTLSeconds:        int64(ls.remaining(now) / time.Second),
		GrantedTTLSeconds: ls.ttlSeconds,
	}
	if withKeys {
		t.Keys = ls.keyList()
	}
	return t, nil
}
