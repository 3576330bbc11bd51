package server

// A member's identity in its backend: the membership (membership.go) and
// the consistent index with its term (core/mvcc store.go). A snapshot
// restore keeps the key space and wipes the identity, so that the restored
// backend starts a NEW cluster (etcd: etcdutl snapshot restore, which
// rewrites the membership and resets the consistent index). The simulator
// (core/sim etcd_backup.go) and the daemon (native/daemon restore.go) both
// restore through WipeIdentity.

import (
	"bytes"
	"fmt"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// WipeIdentity deletes the membership, the cluster ID and the consistent
// index from tx. The caller commits, or rolls back on an error.
func WipeIdentity(tx backend.WriteTx) error {
	for _, bucket := range []string{membersBucket, removedBucket, clusterBucket} {
		var keys [][]byte
		tx.ForEach(bucket, func(k, _ []byte) error {
			keys = append(keys, bytes.Clone(k))
			return nil
		})
		for _, k := range keys {
			if err := tx.Delete(bucket, k); err != nil {
				return fmt.Errorf("wiping bucket %q: %w", bucket, err)
			}
		}
	}
	if err := mvcc.ResetConsistentIndex(tx); err != nil {
		return fmt.Errorf("resetting the consistent index: %w", err)
	}
	return nil
}
