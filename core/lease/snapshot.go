package lease

// The lessor's part of a state snapshot: the replicated state of every lease
// — ID, granted TTL, checkpointed remaining TTL, attached keys — encoded as
// deterministic CBOR (RFC 8949 §4.2.1, core deterministic encoding), leases by
// ID and keys in order, so that members with the same leases produce the
// same bytes. Expiries are not in it: they are the primary's local clock,
// and a member that restores a snapshot is a follower, which holds every
// lease forever until promoted.
//
//	snapshot  = {1: version, 2: [lease...]}
//	lease     = {1: ID, 2: TTL, 3: remaining TTL (omitted if 0), 4: [key...]}
//
// etcd keeps the leases in the backend's "lease" bucket (ID, TTL, remaining
// TTL) and finds the keys again by scanning the key space on recovery; we
// store the keys, so the lessor restores without the key space.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/fxamacker/cbor/v2"
)

// snapshotVersion is the format version; Restore refuses any other.
const snapshotVersion = 1

type snapshotFile struct {
	Version uint8           `cbor:"1,keyasint"`
	Leases  []snapshotLease `cbor:"2,keyasint"`
}

type snapshotLease struct {
	ID                  int64    `cbor:"1,keyasint"`
	TTLSeconds          int64    `cbor:"2,keyasint"`
	RemainingTTLSeconds int64    `cbor:"3,keyasint,omitempty"`
	Keys                [][]byte `cbor:"4,keyasint,omitempty"` // bytes, not text: keys need not be UTF-8
}

// snapshotEncoding is CBOR's core deterministic encoding.
var snapshotEncoding = func() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("lease: snapshot encoding: " + err.Error())
	}
	return em
}()

// Snapshot encodes every lease's replicated state.
func (l *Lessor) Snapshot() []byte {
	f := snapshotFile{Version: snapshotVersion, Leases: make([]snapshotLease, 0, l.leases.Len())}
	l.leases.Ascend(func(ls *lease) bool {
		sl := snapshotLease{ID: int64(ls.id), TTLSeconds: ls.ttlSeconds, RemainingTTLSeconds: ls.remainingTTLSeconds}
		for _, k := range ls.keyList() {
			sl.Keys = append(sl.Keys, []byte(k))
		}
		f.Leases = append(f.Leases, sl)
		return true
	})
	data, err := snapshotEncoding.Marshal(f)
	if err != nil {
		panic("lease.Snapshot: " + err.Error())
	}
	return data
}

// Restore replaces every lease with those of a snapshot and leaves the
// lessor a follower (call Promote if this member leads). A TTL below this
// lessor's minimum is raised to it, as etcd's recovery does. The snapshot is
// checked before anything changes: on error the lessor is as it was.
func (l *Lessor) Restore(data []byte) error {
	var f snapshotFile
	if err := cbor.Unmarshal(data, &f); err != nil {
		return fmt.Errorf("lease: restore: cannot decode snapshot: %w", err)
	}
	if err := f.validate(); err != nil {
		return fmt.Errorf("lease: restore: %w", err)
	}
	l.reset()
	for _, sl := range f.Leases {
		ls := newLease(LeaseID(sl.ID), max(sl.TTLSeconds, l.minTTLSeconds))
		ls.remainingTTLSeconds = sl.RemainingTTLSeconds
		l.leases.ReplaceOrInsert(ls)
		for _, k := range sl.Keys {
			ls.keys.ReplaceOrInsert(string(k))
			l.owner[string(k)] = ls.id
		}
	}
	return nil
}

// validate checks the invariants the lessor relies on: a known version,
// leases in ascending ID order without NoLease, TTLs in range, and each key
// sorted within its lease and attached to one lease only.
func (f *snapshotFile) validate() error {
	if f.Version != snapshotVersion {
		return fmt.Errorf("snapshot version %d, want %d", f.Version, snapshotVersion)
	}
	owner := make(map[string]int64)
	for i, sl := range f.Leases {
		switch {
		case sl.ID == int64(NoLease):
			return fmt.Errorf("lease #%d has ID 0", i)
		case i > 0 && sl.ID <= f.Leases[i-1].ID:
			return fmt.Errorf("lease %016x is out of order", sl.ID)
		case sl.TTLSeconds > core.MaxLeaseTTLSeconds:
			return fmt.Errorf("lease %016x has TTL %d above the maximum", sl.ID, sl.TTLSeconds)
		case sl.RemainingTTLSeconds < 0:
			return fmt.Errorf("lease %016x has a negative remaining TTL", sl.ID)
		}
		for j, k := range sl.Keys {
			if j > 0 && string(k) <= string(sl.Keys[j-1]) {
				return fmt.Errorf("lease %016x: key %q is out of order", sl.ID, k)
			}
			if other, ok := owner[string(k)]; ok {
				return fmt.Errorf("key %q is attached to leases %016x and %016x", k, other, sl.ID)
			}
			owner[string(k)] = sl.ID
		}
	}
	return nil
}
