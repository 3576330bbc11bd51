package mvcc

// Importing a key space written by another program: native/etcdimport turns
// a snapshot of real etcd into an etcdlab backend. etcd keys bucket "key"
// exactly as this package does (revision.go: main, '_', sub, and 't' for a
// deletion) but stores each value as a protobuf mvccpb.KeyValue; the
// importer decodes those and hands every change here, in revision order,
// to be written in this package's own encoding:
//
//	ParseRevisionKey(k)                        a "key" bucket key -> Revision, tombstone?
//	CheckImportedChange(rev, tombstone, kv)    would restore accept this change?
//	ImportChange(tx, rev, tombstone, kv)       one change, checked, into bucket "key"
//	ImportCompaction(tx, scheduled, finished)  the compaction progress, into "meta"
//
// Nothing else is written: New rebuilds the key index, the current revision
// and the compact revision from these two buckets when it opens the
// backend, as it does after any restart. The bytes come from a file a user
// handed in, so every check returns an error instead of panicking.

import (
	"encoding/binary"
	"fmt"

	"github.com/etcdlab/etcdlab/core/backend"
)

// ParseRevisionKey decodes a key of bucket "key" (etcd: BytesToRev plus
// isTombstone): 17 bytes, or 18 ending in the tombstone mark 't'.
func ParseRevisionKey(k []byte) (Revision, bool, error) {
	switch {
	case len(k) != revBytesLen && len(k) != markedRevBytesLen:
		return Revision{}, false, fmt.Errorf("revision key %x is %d bytes, want %d (or %d with the tombstone mark)", k, len(k), revBytesLen, markedRevBytesLen)
	case k[8] != '_':
		return Revision{}, false, fmt.Errorf("revision key %x has %q where the separator '_' belongs", k, k[8])
	case len(k) == markedRevBytesLen && k[revBytesLen] != tombstoneMark:
		return Revision{}, false, fmt.Errorf("revision key %x ends in %q, not the tombstone mark 't'", k, k[revBytesLen])
	}
	main, sub := binary.BigEndian.Uint64(k), binary.BigEndian.Uint64(k[9:])
	if main == 0 || main > 1<<63-1 || sub > 1<<63-1 {
		return Revision{}, false, fmt.Errorf("revision key %x names revision %d.%d, out of range", k, main, sub)
	}
	return Revision{Main: int64(main), Sub: int64(sub)}, isTombstone(k), nil
}

// ImportChange writes one change at rev: a put of kv, or with tombstone a
// deletion of kv.Key (stored, as write.go does, as a KeyValue with only its
// key). The change must tell the story a put tells: written at rev, created
// at or before it, at least its first version, a lease ID that is not
// negative. Changes should come in ascending revision order, as bucket
// "key" lists them, so that the backend fills its pages sequentially.
func ImportChange(tx backend.WriteTx, rev Revision, tombstone bool, kv KeyValue) error {
	if err := CheckImportedChange(rev, tombstone, kv); err != nil {
		return err
	}
	if err := tx.CreateBucket(keyBucket); err != nil {
		return err
	}
	if tombstone {
		return tx.SeqPut(keyBucket, tombstoneBytes(rev), encodeKV(KeyValue{Key: kv.Key}))
	}
	return tx.SeqPut(keyBucket, revBytes(rev), encodeKV(kv))
}

// CheckImportedChange checks a change against the invariants restore
// relies on, without writing it.
func CheckImportedChange(rev Revision, tombstone bool, kv KeyValue) error {
	if err := checkImported(rev, tombstone, kv); err != nil {
		return fmt.Errorf("change at revision %v (key %q): %w", rev, kv.Key, err)
	}
	return nil
}

func checkImported(rev Revision, tombstone bool, kv KeyValue) error {
	switch {
	case rev.Main < 1 || rev.Sub < 0:
		return fmt.Errorf("revision %v is out of range", rev)
	case len(kv.Key) == 0:
		return ErrEmptyKey
	case tombstone:
		return nil
	case kv.ModRevision != rev.Main:
		return fmt.Errorf("mod revision %d differs from the revision it is stored under", kv.ModRevision)
	case kv.CreateRevision < 1 || kv.CreateRevision > kv.ModRevision:
		return fmt.Errorf("create revision %d is not in 1..%d", kv.CreateRevision, kv.ModRevision)
	case kv.Version < 1:
		return fmt.Errorf("version %d of a put is below 1", kv.Version)
	case kv.Lease < 0:
		return fmt.Errorf("lease %d is negative", kv.Lease)
	}
	return nil
}

// ImportCompaction records the compaction progress (etcd: meta keys
// scheduledCompactRev and finishedCompactRev). finished is the compact
// revision: New restores it, and reads below it answer ErrCompacted. If
// scheduled is above finished, New finishes that compaction on open, as
// etcd's restore does. A value below 1 is "none" and is not written.
func ImportCompaction(tx backend.WriteTx, scheduled, finished int64) error {
	if err := tx.CreateBucket(metaBucket); err != nil {
		return err
	}
	for _, m := range []struct {
		key []byte
		rev int64
	}{{scheduledCompactKey, scheduled}, {finishedCompactKey, finished}} {
		if m.rev < 1 {
			continue
		}
		if err := tx.Put(metaBucket, m.key, revBytes(Revision{Main: m.rev})); err != nil {
			return err
		}
	}
	return nil
}
