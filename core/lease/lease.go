package lease

// A lease is a promise with a deadline: "keep these keys until TTL seconds
// pass without a keep-alive". Its replicated part — ID, granted TTL, the last
// checkpointed remaining TTL and the attached keys — is the same on every
// member, because it only changes when a Raft entry is applied. Its expiry is
// local: only the leader (the primary lessor) counts it down; followers hold
// every lease forever (expiry = Never) until they are promoted.

import (
	"math"
	"time"

	"github.com/google/btree"
)

// LeaseID names a lease. NoLease (0) is "no lease" (a key without a lease).
type LeaseID int64

// NoLease is the LeaseID of no lease.
const NoLease LeaseID = 0

// Never is the expiry of a lease held by a follower: it never expires there.
// etcd: forever (the zero time.Time).
const Never time.Duration = math.MaxInt64

// btreeDegree is the fan-out of the lessor's B-trees (google/btree's usual
// choice for small in-memory sets).
const btreeDegree = 16

// lease is one lease. The fields above the blank line are replicated; expiry
// is the primary's local countdown.
type lease struct {
	id         LeaseID
	ttlSeconds int64 // granted TTL, at least the minimum TTL
	// remainingTTLSeconds is the last checkpointed remaining TTL; 0 means
	// none, and the full TTL is used (etcd: Lease.remainingTTL).
	remainingTTLSeconds int64
	keys                *btree.BTreeG[string] // attached keys, sorted

	expiry time.Duration // logical time at which it expires; Never on followers
}

func newLease(id LeaseID, ttlSeconds int64) *lease {
	return &lease{
		id:         id,
		ttlSeconds: ttlSeconds,
		keys:       btree.NewOrderedG[string](btreeDegree),
		expiry:     Never,
	}
}

// resumeTTLSeconds is the TTL a refresh counts down from: the checkpointed
// remaining TTL if there is one, else the granted TTL. etcd:
// Lease.getRemainingTTL.
func (l *lease) resumeTTLSeconds() int64 {
	if l.remainingTTLSeconds > 0 {
		return l.remainingTTLSeconds
	}
	return l.ttlSeconds
}

// refresh restarts the countdown at now: the lease expires resumeTTL seconds
// plus extend from now. etcd: Lease.refresh.
func (l *lease) refresh(extend, now time.Duration) {
	l.expiry = addSaturating(now, extend, time.Duration(l.resumeTTLSeconds())*time.Second)
}

// expired reports whether the lease's deadline has come (a lease expiring
// exactly at now has expired, as etcd's Remaining() <= 0).
func (l *lease) expired(now time.Duration) bool { return l.expiry <= now }

// remaining is the time left before expiry (Never on a follower).
func (l *lease) remaining(now time.Duration) time.Duration {
	if l.expiry == Never {
		return Never
	}
	return l.expiry - now
}

// keyList returns the attached keys in ascending order.
func (l *lease) keyList() []string {
	out := make([]string, 0, l.keys.Len())
	l.keys.Ascend(func(k string) bool {
		out = append(out, k)
		return true
	})
	return out
}

// addSaturating adds non-negative durations, answering Never instead of
// overflowing (a 9e9-second TTL is within 3% of int64 nanoseconds).
func addSaturating(ds ...time.Duration) time.Duration {
	var sum time.Duration
	for _, d := range ds {
		if d < 0 {
			panic("lease.addSaturating: negative duration")
		}
		if sum > Never-d {
			return Never
		}
		sum += d
	}
	return sum
}
