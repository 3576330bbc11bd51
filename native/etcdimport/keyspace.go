package etcdimport

// The key space: bucket "key" holds every change etcd still keeps, keyed
// by its revision exactly as etcdlab keys it (etcd: mvcc/revision.go
// revToBytes, kvstore.go markedRevBytesLen), the value a protobuf
// mvccpb.KeyValue (etcd: mvcc/kvstore_txn.go put, delete):
//
//	00000000 00000004 _ 00000000 00000000     -> {key "a", create 2, mod 4, version 3, value "3"}
//	00000000 00000006 _ 00000000 00000000 t   -> {key "b"}                   a deletion
//
// decodeChange turns one pair into the revision and mvcc.KeyValue that
// mvcc.ImportChange writes, and checks it as the core will (one put per
// revision, mod revision = the revision it is stored under ...).

import (
	"fmt"

	"go.etcd.io/etcd/api/v3/mvccpb"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// change is one decoded change of bucket "key".
type change struct {
	rev       mvcc.Revision
	tombstone bool
	kv        mvcc.KeyValue
}

// decodeChange decodes and checks one pair of etcd's bucket "key".
func decodeChange(k, v []byte) (change, error) {
	rev, tombstone, err := mvcc.ParseRevisionKey(k)
	if err != nil {
		return change{}, fmt.Errorf("bucket %q: %w", keyBucket, err)
	}
	var pb mvccpb.KeyValue
	if err := pb.Unmarshal(v); err != nil {
		return change{}, fmt.Errorf("bucket %q, revision %v: the value is not an etcd mvccpb.KeyValue: %v", keyBucket, rev, err)
	}
	c := change{rev: rev, tombstone: tombstone, kv: mvcc.KeyValue{
		Key: pb.Key, CreateRevision: pb.CreateRevision, ModRevision: pb.ModRevision,
		Version: pb.Version, Value: pb.Value, Lease: pb.Lease,
	}}
	if err := mvcc.CheckImportedChange(c.rev, c.tombstone, c.kv); err != nil {
		return change{}, fmt.Errorf("bucket %q: %w", keyBucket, err)
	}
	return c, nil
}

// forEachChange decodes every change of bucket "key" in revision order and
// hands it to fn; it stops at the first error.
func forEachChange(tx backend.ReadTx, fn func(change) error) error {
	return tx.ForEach(keyBucket, func(k, v []byte) error {
		c, err := decodeChange(k, v)
		if err != nil {
			return err
		}
		return fn(c)
	})
}

// compaction reads meta's compaction progress (etcd: kvstore.go
// scheduledCompactKeyName, finishedCompactKeyName): revision keys whose
// main part is the compact revision; 0 when absent.
func compaction(tx backend.ReadTx) (scheduled, finished int64, err error) {
	read := func(key []byte) (int64, error) {
		v := tx.Get(metaBucket, key)
		if v == nil {
			return 0, nil
		}
		rev, tombstone, err := mvcc.ParseRevisionKey(v)
		if err == nil && tombstone {
			err = fmt.Errorf("it carries a tombstone mark")
		}
		if err != nil {
			return 0, fmt.Errorf("bucket %q, key %q: %w", metaBucket, key, err)
		}
		return rev.Main, nil
	}
	if scheduled, err = read(scheduledCompactKey); err != nil {
		return 0, 0, err
	}
	finished, err = read(finishedCompactKey)
	return scheduled, finished, err
}
