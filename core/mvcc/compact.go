package mvcc

// Compaction: forgetting history. Compact(rev) drops every change at or
// below rev that is no longer the latest of its key at rev, and every key
// whose latest change at rev is a deletion (doc.go draws it). Reads at rev
// and later answer as before; reads below rev fail with ErrCompacted, and so
// do watches that start below it. The freed key/values leave the backend, so
// its SizeInUse drops — but its Size only after a Defrag.
//
// etcd records the compaction as scheduled, deletes in batches of 1000 keys
// in the background, then records it as finished; a restart in between
// resumes it. Here it all happens in one backend transaction, and New still
// resumes a compaction found scheduled but not finished.

// Compact compacts the store's history at rev.
func (s *Store) Compact(rev int64) error {
	if rev <= s.compactRev {
		return ErrCompacted
	}
	if rev > s.currentRev {
		return ErrFutureRev
	}
	s.compact(rev)
	return nil
}

// compact does the work: the index first, then the backend.
func (s *Store) compact(rev int64) {
	tx := s.b.BeginWrite()
	mustOK(tx.Put(metaBucket, scheduledCompactKey, revBytes(Revision{Main: rev})))
	keep := s.index.compact(rev)
	keys, _ := tx.Range(keyBucket, revBytes(Revision{}), revBytes(Revision{Main: rev + 1}), 0)
	for _, k := range keys {
		if !keep[bytesRev(k)] {
			mustOK(tx.Delete(keyBucket, k))
		}
	}
	mustOK(tx.Put(metaBucket, finishedCompactKey, revBytes(Revision{Main: rev})))
	mustCommit(tx)
	s.compactRev = rev
}
