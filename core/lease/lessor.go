package lease

// The Lessor is one member's table of leases. Every member applies the same
// Raft entries to it — Grant, Revoke, Attach/Detach (through puts and
// deletes), Checkpoint — so the table is the same everywhere. Only the
// member that leads is the primary lessor: it counts expiries down, answers
// keep-alives and time-to-live questions, and tells the server which leases
// expired and which remaining TTLs to checkpoint; the server proposes those
// through Raft. Interface (files of this package):
//
//	New(cfg) (*Lessor, error)
//	Grant(id, ttlSeconds, now)          lessor.go      applied on every member
//	Revoke(id, deleter)                 lessor.go      applied on every member
//	Attach / Detach / GetLease          keys.go        applied on every member
//	Checkpoint(id, remainingTTL)        checkpoint.go  applied on every member
//	Renew(id, now)                      renew.go       primary only
//	TimeToLive(id, withKeys, now)       renew.go       primary only
//	ExpiredLeases(now)                  expiry.go      primary only
//	Checkpoints(now)                    checkpoint.go  primary only
//	Promote(extend, now) / Demote()     primary.go     on leadership changes
//	Snapshot() / Restore(data)          snapshot.go
//	Leases() / Lookup(id) / TakeEvents  lessor.go, event.go

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/google/btree"
)

// Lessor holds the leases of one member. It is not safe for concurrent use;
// the caller drives it from one loop, as it drives Raft.
type Lessor struct {
	cfg           Config
	minTTLSeconds int64
	rand          *rng.Source

	// Replicated state: the same on every member after the same entries.
	leases *btree.BTreeG[*lease] // by ID
	owner  map[string]LeaseID    // key -> the lease it is attached to; only looked up, never ranged

	// Primary state: set by Promote, emptied by Demote.
	primary     bool
	expiries    *agenda                // one entry per lease: when to offer it for revoke
	checkpoints *agenda                // when to checkpoint a lease's remaining TTL
	clears      *btree.BTreeG[LeaseID] // renewed leases whose checkpoint must be cleared

	events []Event // kept only if cfg.RecordEvents
}

// New returns a lessor with no leases, not primary (a member starts as a
// follower and is promoted when it wins an election).
func New(cfg Config) (*Lessor, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	l := &Lessor{
		cfg:           cfg,
		minTTLSeconds: MinTTLSeconds(cfg.ElectionTimeout),
		rand:          cfg.Rand,
	}
	l.reset()
	return l, nil
}

// reset empties the lessor and leaves it a follower.
func (l *Lessor) reset() {
	l.leases = btree.NewG(btreeDegree, func(a, b *lease) bool { return a.id < b.id })
	l.owner = make(map[string]LeaseID)
	l.primary = false
	l.expiries = newAgenda(true)
	l.checkpoints = newAgenda(false)
	l.clears = btree.NewOrderedG[LeaseID](btreeDegree)
}

// MinTTLSeconds is the shortest TTL this lessor grants (Config.ElectionTimeout).
func (l *Lessor) MinTTLSeconds() int64 { return l.minTTLSeconds }

// IsPrimary reports whether this lessor is the leader's.
func (l *Lessor) IsPrimary() bool { return l.primary }

// get returns the lease with id, or nil.
func (l *Lessor) get(id LeaseID) *lease {
	ls, _ := l.leases.Get(&lease{id: id})
	return ls
}

// NextID picks an unused lease ID: a random positive int64 from the
// configured source, never NoLease and never an ID in use. etcd picks the ID
// on the member that receives LeaseGrant, before proposing (v3_server.go:
// "no id given? choose one", from its request-ID generator, masked positive);
// the server should do the same with NextID, so that every replica applies
// the same ID.
func (l *Lessor) NextID() LeaseID {
	for {
		id := LeaseID(l.rand.Uint64() & (1<<63 - 1))
		if id != NoLease && l.get(id) == nil {
			return id
		}
	}
}

// Grant creates a lease of ttlSeconds (raised to the minimum TTL) and returns
// its ID and granted TTL. id NoLease means "pick one" (NextID). On the
// primary the lease starts counting down at now; on a follower it is held
// forever until promotion. etcd: lessor.Grant.
func (l *Lessor) Grant(id LeaseID, ttlSeconds int64, now time.Duration) (LeaseID, int64, error) {
	if ttlSeconds > core.MaxLeaseTTLSeconds {
		return NoLease, 0, ErrLeaseTTLTooLarge
	}
	if id == NoLease {
		id = l.NextID()
	}
	if l.get(id) != nil {
		return NoLease, 0, ErrLeaseExists
	}
	ls := newLease(id, max(ttlSeconds, l.minTTLSeconds))
	l.leases.ReplaceOrInsert(ls)
	if l.primary {
		ls.refresh(0, now)
		l.expiries.set(id, ls.expiry)
		l.scheduleCheckpoint(ls, now)
	}
	l.record(Event{Kind: EvGranted, Lease: id, TTLSeconds: ls.ttlSeconds})
	return id, ls.ttlSeconds, nil
}

// KeyDeleter deletes keys from the key space in one revision, so that
// watchers see all of a revoked lease's keys go in one batch of DELETE events
// (etcd: lease.TxnDelete, one DeleteRange per key inside one write txn). The
// server adapts core/mvcc to it. keys are sorted ascending and not empty.
type KeyDeleter interface {
	DeleteKeys(keys []string)
}

// Revoke deletes the lease and, through del, the keys attached to it, and
// returns those keys (sorted). It is applied on every member from a Raft
// entry: a client's LeaseRevoke, or the leader's revoke of an expired lease.
// del may be nil (no key space, as in tests). etcd: lessor.Revoke.
func (l *Lessor) Revoke(id LeaseID, del KeyDeleter) ([]string, error) {
	ls := l.get(id)
	if ls == nil {
		return nil, ErrLeaseNotFound
	}
	// Sorted, so that every member deletes in the same order (etcd sorts
	// too: "otherwise the backend hashes will be different"). The keys are
	// copied before del runs, so a deleter that detaches what it deletes
	// (as mvcc does) is welcome.
	keys := ls.keyList()
	if del != nil && len(keys) > 0 {
		del.DeleteKeys(keys)
	}
	for _, k := range keys {
		if l.owner[k] == id {
			delete(l.owner, k)
		}
	}
	l.leases.Delete(ls)
	l.expiries.remove(id)
	l.clears.Delete(id)
	l.record(Event{Kind: EvRevoked, Lease: id, Count: len(keys)})
	return keys, nil
}

// Leases returns the IDs of all leases, ascending. (etcd sorts them by
// expiry; see doc.go, deviations.)
func (l *Lessor) Leases() []LeaseID {
	out := make([]LeaseID, 0, l.leases.Len())
	l.leases.Ascend(func(ls *lease) bool {
		out = append(out, ls.id)
		return true
	})
	return out
}

// Status is a read-only picture of one lease, for the visualizer, the
// debugger and tests.
type Status struct {
	ID         LeaseID
	TTLSeconds int64 // granted
	// RemainingTTLSeconds is the last checkpoint (0: none).
	RemainingTTLSeconds int64
	// Expiry is when the primary will expire it (Never on a follower).
	Expiry time.Duration
	Keys   []string // sorted
}

// Lookup returns the status of lease id, if it exists.
func (l *Lessor) Lookup(id LeaseID) (Status, bool) {
	ls := l.get(id)
	if ls == nil {
		return Status{}, false
	}
	return Status{
		ID:                  ls.id,
		TTLSeconds:          ls.ttlSeconds,
		RemainingTTLSeconds: ls.remainingTTLSeconds,
		Expiry:              ls.expiry,
		Keys:                ls.keyList(),
	}, true
}

// String renders a lease ID as etcdctl does: 16 hex digits.
func (id LeaseID) String() string { return fmt.Sprintf("%016x", int64(id)) }
