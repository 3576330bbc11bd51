package lease

// Checkpoints carry a lease's countdown across leader changes. Without them
// a new leader restarts every lease from its full TTL: a lease of one hour
// that a crashed client stopped renewing 59 minutes ago lives another hour.
// With them, the leader records each long lease's remaining TTL in the Raft
// log every checkpoint interval; every member applies it (Checkpoint), and
// the next leader resumes from it (Promote uses the resume TTL).
//
//	grant A ttl=3600 at 0s       checkpoint due at 300s
//	Checkpoints(300s) -> [A 3300] proposed, applied everywhere; next due 600s
//	Checkpoints(600s) -> [A 3000] ...
//	leader change at 700s        new leader: A expires at 700s + 3000s + extend
//	keep-alive at 800s           expiry 800s + 3600s; clear queued: [A 0]
//
// Only leases whose resume TTL is longer than the interval are scheduled: a
// shorter lease expires (or is renewed) before its checkpoint would matter.
// etcd: lessor.scheduleCheckpointIfNeeded, findDueScheduledCheckpoints and
// checkpointScheduledLeases; off unless Config.EnableCheckpoints.

import (
	"errors"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// Checkpoint is one record of a checkpoint batch: set lease ID's remaining
// TTL (0 clears it). The server proposes a batch as one Raft entry.
type Checkpoint struct {
	ID                  LeaseID `cbor:"1,keyasint"`
	RemainingTTLSeconds int64   `cbor:"2,keyasint,omitempty"`
}

// scheduleCheckpoint puts ls on the checkpoint agenda one interval from now,
// if checkpoints are on and the lease outlives the interval.
func (l *Lessor) scheduleCheckpoint(ls *lease, now time.Duration) {
	if !l.cfg.EnableCheckpoints || !l.primary {
		return
	}
	if ls.resumeTTLSeconds() > int64(l.cfg.CheckpointInterval/time.Second) {
		l.checkpoints.set(ls.id, addSaturating(now, l.cfg.CheckpointInterval))
	}
}

// Checkpoints returns one batch of at most core.MaxLeaseCheckpointBatch
// checkpoints to propose: first the clears that keep-alives queued, then
// the scheduled checkpoints that are due at now, in (due time, ID) order.
// A lease whose remaining TTL has not moved below its TTL (it was just
// renewed) or that has already expired is skipped. The caller polls every
// core.LeaseLoopIntervalMillis and, while a batch comes back full, asks
// again — up to core.LeaseCheckpointRate/2 batches per poll, as etcd does.
// A follower has nothing to checkpoint.
func (l *Lessor) Checkpoints(now time.Duration) []Checkpoint {
	if !l.primary || !l.cfg.EnableCheckpoints {
		return nil
	}
	var out []Checkpoint
	for len(out) < core.MaxLeaseCheckpointBatch {
		id, ok := l.clears.DeleteMin()
		if !ok {
			break
		}
		out = append(out, Checkpoint{ID: id})
	}
	for len(out) < core.MaxLeaseCheckpointBatch {
		next, ok := l.checkpoints.first()
		if !ok || next.at > now {
			break
		}
		l.checkpoints.popFirst()
		ls := l.get(next.id)
		if ls == nil || ls.expired(now) {
			continue
		}
		remaining := ceilSeconds(ls.remaining(now)) // etcd: math.Ceil
		if remaining >= ls.ttlSeconds {
			continue
		}
		out = append(out, Checkpoint{ID: ls.id, RemainingTTLSeconds: remaining})
	}
	return out
}

// Checkpoint applies one checkpoint record on every member: lease id's
// remaining TTL becomes remainingTTLSeconds (0 clears it). It does not move
// the primary's expiry — only the next promotion reads it — but the primary
// schedules the next checkpoint. A lease revoked meanwhile is ignored, as
// in etcd, since a batch may trail a revoke in the log.
func (l *Lessor) Checkpoint(id LeaseID, remainingTTLSeconds int64, now time.Duration) error {
	if remainingTTLSeconds < 0 {
		return errors.New("lease: checkpoint of lease " + id.String() + " has a negative remaining TTL")
	}
	ls := l.get(id)
	if ls == nil {
		return nil
	}
	ls.remainingTTLSeconds = remainingTTLSeconds
	l.scheduleCheckpoint(ls, now)
	l.record(Event{Kind: EvCheckpointed, Lease: id, TTLSeconds: remainingTTLSeconds})
	return nil
}
