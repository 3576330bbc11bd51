package bolt

// Hash: a CRC-32C over every bucket name followed by its keys and values in
// order, exactly as core/backend.Memory computes it, so that a daemon and a
// simulated member holding the same data report the same hash (etcd:
// backend.Hash, the maintenance Hash RPC). It reads the last commit.

import (
	"hash/crc32"

	bbolt "go.etcd.io/bbolt"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// Hash returns the checksum of the last commit, skipping the pairs ignore
// reports true for (nil ignores nothing, as in backend.Memory; etcd's
// backend.Hash would skip everything).
func (b *Backend) Hash(ignore func(bucket string, key []byte) bool) uint32 {
	h := crc32.New(castagnoli)
	b.view(func(tx *bbolt.Tx) {
		// Hash writes cannot fail and neither callback returns an error.
		_ = tx.ForEach(func(name []byte, bucket *bbolt.Bucket) error {
			h.Write(name)
			return bucket.ForEach(func(k, v []byte) error {
				// ignore gets a copy: it may keep the key, and bbolt's
				// slices die with the transaction.
				if ignore != nil && ignore(string(name), clone(k)) {
					return nil
				}
				h.Write(k)
				h.Write(v)
				return nil
			})
		})
	})
	return h.Sum32()
}
