package backend

// Hash: a checksum of the file's contents, bucket by bucket, key by key, so
// that two members can compare their stores (etcd: the maintenance Hash RPC,
// backend.Hash). It reads the last commit.

import "hash/crc32"

// Hash returns the CRC-32C of every bucket name followed by the keys and
// values of that bucket in order, skipping pairs for which ignore is true.
// etcd's backend.Hash skips every pair when its ignore function is nil (a
// quirk: `ignores != nil && !ignores(...)`); here nil ignores nothing.
func (m *Memory) Hash(ignore func(bucket string, key []byte) bool) uint32 {
	h := crc32.New(castagnoli)
	for _, name := range bucketNames(m.roots) {
		h.Write([]byte(name))
		c := newCursor(m.roots[name])
		for k, v := c.seek(nil); k != nil; k, v = c.next() {
			if ignore != nil && ignore(name, k) {
				continue
			}
			h.Write(k)
			h.Write(v)
		}
	}
	return h.Sum32()
}
