package etcdimport

// Test fixtures: etcd backends built record by record as etcd writes them
// (protobuf values under etcdlab's own revision keys), in the in-memory
// backend. Real etcd's files are exercised by the process test
// (native/cmd/etcdlab process_etcdimport_test.go).

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/authpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/etcdlab/etcdlab/core/backend"
)

// revKey is etcd's revToBytes, with the tombstone mark if del.
func revKey(main, sub int64, del bool) []byte {
	b := binary.BigEndian.AppendUint64(nil, uint64(main))
	b = append(b, '_')
	b = binary.BigEndian.AppendUint64(b, uint64(sub))
	if del {
		b = append(b, 't')
	}
	return b
}

// etcdKV is the protobuf value of one change.
func etcdKV(t testing.TB, kv mvccpb.KeyValue) []byte {
	b, err := kv.Marshal()
	require.NoError(t, err)
	return b
}

// etcdLeaseValue is a leasepb.Lease as etcd marshals it (fields in order,
// zero fields left out).
func etcdLeaseValue(id, ttl, remaining int64) []byte {
	var b []byte
	for _, f := range []struct {
		num protowire.Number
		v   int64
	}{{leaseFieldID, id}, {leaseFieldTTL, ttl}, {leaseFieldRemainingTTL, remaining}} {
		if f.v != 0 {
			b = protowire.AppendTag(b, f.num, protowire.VarintType)
			b = protowire.AppendVarint(b, uint64(f.v))
		}
	}
	return b
}

// etcdBackend is an etcd v3.4 backend under construction.
type etcdBackend struct {
	t  testing.TB
	be *backend.Memory
	tx backend.WriteTx
}

// newEtcdBackend creates etcd 3.4's buckets and its identity records.
func newEtcdBackend(t testing.TB) *etcdBackend {
	e := &etcdBackend{t: t, be: backend.NewMemory()}
	e.tx = e.be.BeginWrite()
	for _, b := range []string{"alarm", authBucket, authRolesBucket, authUsersBucket, clusterBucket, keyBucket, leaseBucket, "members", "members_removed", metaBucket} {
		require.NoError(t, e.tx.CreateBucket(b))
	}
	e.put(clusterBucket, clusterVersionKey, []byte("3.4.0"))
	e.put("members", []byte("8ddab73534be950c"), []byte(`{"id":10221683743416816908,"peerURLs":["http://127.0.0.1:2380"],"name":"e1"}`))
	e.put(metaBucket, []byte("consistent_index"), binary.BigEndian.AppendUint64(nil, 20))
	e.put(authBucket, []byte("authRevision"), binary.BigEndian.AppendUint64(nil, 1))
	return e
}

func (e *etcdBackend) put(bucket string, k, v []byte) {
	require.NoError(e.t, e.tx.Put(bucket, k, v))
}

// change writes one change of bucket "key".
func (e *etcdBackend) change(main, sub int64, kv mvccpb.KeyValue) {
	del := kv.ModRevision == 0
	e.put(keyBucket, revKey(main, sub, del), etcdKV(e.t, kv))
}

// compacted records a finished compaction at rev.
func (e *etcdBackend) compacted(rev int64) {
	e.put(metaBucket, scheduledCompactKey, revKey(rev, 0, false))
	e.put(metaBucket, finishedCompactKey, revKey(rev, 0, false))
}

func (e *etcdBackend) lease(id, ttl, remaining int64) {
	e.put(leaseBucket, binary.BigEndian.AppendUint64(nil, uint64(id)), etcdLeaseValue(id, ttl, remaining))
}

func (e *etcdBackend) role(r authpb.Role) {
	b, err := r.Marshal()
	require.NoError(e.t, err)
	e.put(authRolesBucket, r.Name, b)
}

func (e *etcdBackend) user(u authpb.User) {
	b, err := u.Marshal()
	require.NoError(e.t, err)
	e.put(authUsersBucket, u.Name, b)
}

// done commits and returns the backend.
func (e *etcdBackend) done() *backend.Memory {
	require.NoError(e.t, e.tx.Commit())
	return e.be
}

// sampleEtcd is a history as real etcd 3.4.23 left it in a snapshot
// (the same records, read back from the file): a put thrice (2, 3, 4; 2
// and 3 compacted away at 5), b put at 5 and deleted at 6, l1 and l2 on
// lease 0x150ca1fdbecde90a, c at 9, a again at 10; users root and u1, u1
// with role r1 on prefix foo.
func sampleEtcd(t testing.TB) *backend.Memory {
	const l = 0x150ca1fdbecde90a
	e := newEtcdBackend(t)
	e.change(4, 0, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")})
	e.change(5, 0, mvccpb.KeyValue{Key: []byte("b"), CreateRevision: 5, ModRevision: 5, Version: 1, Value: []byte("x")})
	e.change(6, 0, mvccpb.KeyValue{Key: []byte("b")})
	e.change(7, 0, mvccpb.KeyValue{Key: []byte("l1"), CreateRevision: 7, ModRevision: 7, Version: 1, Value: []byte("v"), Lease: l})
	e.change(8, 0, mvccpb.KeyValue{Key: []byte("l2"), CreateRevision: 8, ModRevision: 8, Version: 1, Value: []byte("v"), Lease: l})
	e.change(9, 0, mvccpb.KeyValue{Key: []byte("c"), CreateRevision: 9, ModRevision: 9, Version: 1, Value: []byte("z")})
	e.change(10, 0, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 10, Version: 4, Value: []byte("4")})
	e.compacted(5)
	e.lease(l, 3600, 0)
	e.role(authpb.Role{Name: []byte("r1"), KeyPermission: []*authpb.Permission{{PermType: authpb.READWRITE, Key: []byte("foo"), RangeEnd: []byte("fop")}}})
	e.user(authpb.User{Name: []byte("root"), Password: []byte("$2a$10$root"), Roles: []string{"root"}})
	e.user(authpb.User{Name: []byte("u1"), Password: []byte("$2a$10$u1"), Roles: []string{"r1"}})
	return e.done()
}
