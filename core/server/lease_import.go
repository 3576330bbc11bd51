package server

// Importing a lease written by another program: native/etcdimport turns a
// snapshot of real etcd, whose bucket "lease" holds protobuf leasepb.Lease
// records under the same 8-byte big-endian IDs, into an etcdlab backend.
// ImportLease writes one lease in this package's own record (leases.go);
// the member that opens the backend grants it again (loadLeases) and mvcc
// re-attaches the keys that name it, exactly as after a restart.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
)

// ImportLease writes lease id with its granted TTL and its checkpointed
// remaining TTL (0: none) into bucket "lease". The values come from a
// file a user handed in, so they are checked and refused with an error.
// A TTL below the cluster's minimum is accepted: the lessor raises it on
// open, as etcd's lessor does on recovery.
func ImportLease(tx backend.WriteTx, id lease.LeaseID, ttlSeconds, remainingTTLSeconds int64) error {
	switch {
	case id <= lease.NoLease:
		return fmt.Errorf("lease ID %d is not a lease (IDs are positive)", int64(id))
	case ttlSeconds < 1 || ttlSeconds > core.MaxLeaseTTLSeconds:
		return fmt.Errorf("lease %v: TTL %d s is not in 1..%d", id, ttlSeconds, int64(core.MaxLeaseTTLSeconds))
	case remainingTTLSeconds < 0 || remainingTTLSeconds > ttlSeconds:
		return fmt.Errorf("lease %v: remaining TTL %d s is not in 0..%d", id, remainingTTLSeconds, ttlSeconds)
	}
	if err := tx.CreateBucket(leaseBucket); err != nil {
		return err
	}
	data, err := encoding.Marshal(leaseRecord{TTLSeconds: ttlSeconds, RemainingTTLSeconds: remainingTTLSeconds})
	if err != nil {
		panic("server.ImportLease: " + err.Error()) // a struct of two ints always encodes
	}
	return tx.Put(leaseBucket, idKey(uint64(id)), data)
}
