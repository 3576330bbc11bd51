package mvcc

// HashKV: a checksum of the key space's history up to a revision, for
// comparing members (etcd: maintenance HashKV, used by the corruption
// checker). It covers every change in bucket "key" with a main revision at
// or below rev — the history that compaction left — so two members that
// applied the same requests and the same compactions hash the same, whatever
// their backend files look like (unlike the backend's Hash, which sees meta
// too). CRC-32C over the bucket name, then each revision key and value.
//
// etcd also skips, below the compact revision, changes that a compaction in
// progress is about to delete (the "keep" set); compaction here is never in
// progress, so the backend already holds exactly what must be hashed.

import (
	"errors"
	"hash/crc32"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var errStop = errors.New("stop")

// HashKV hashes the history up to rev (0: the current revision). It also
// returns the compact revision and the current revision.
func (s *Store) HashKV(rev int64) (hash uint32, compactRev, currentRev int64, err error) {
	compactRev, currentRev = s.compactRev, s.currentRev
	switch {
	case rev > 0 && rev < compactRev:
		return 0, compactRev, currentRev, ErrCompacted
	case rev > currentRev:
		return 0, compactRev, currentRev, ErrFutureRev
	case rev <= 0:
		rev = currentRev
	}
	h := crc32.New(castagnoli)
	h.Write([]byte(keyBucket))
	tx := s.b.BeginRead()
	defer tx.Rollback()
	tx.ForEach(keyBucket, func(k, v []byte) error {
		if bytesRev(k).Main > rev {
			return errStop
		}
		h.Write(k)
		h.Write(v)
		return nil
	})
	return h.Sum32(), compactRev, currentRev, nil
}
