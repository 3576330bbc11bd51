package etcdimport

import (
	"fmt"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/authpb"
	"go.etcd.io/etcd/api/v3/mvccpb"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/server"
)

func convert(t *testing.T, src backend.Backend) (*backend.Memory, Report, error) {
	dst := backend.NewMemory()
	tx := src.BeginRead()
	defer tx.Rollback()
	r, err := Convert(tx, dst)
	return dst, r, err
}

// openMember opens the converted backend as restore.go does.
func openMember(t *testing.T, be backend.Backend) *server.Member {
	m, err := server.New(server.Config{
		ID: 1, Name: "m1", ClusterToken: "t", Backend: be, Rand: rng.New(1),
		InitialCluster: []server.MemberInfo{{ID: 1, Name: "m1", PeerURLs: []string{"http://127.0.0.1:1"}}},
		TickMillis:     100, ElectionTicks: 10, HeartbeatTicks: 1, QuotaBackendBytes: -1,
	})
	require.NoError(t, err)
	return m
}

// TestConvertSample converts the process test's history and reads it back
// through the core: every version, the compaction, the lease with its
// keys, users and roles.
func TestConvertSample(t *testing.T) {
	dst, r, err := convert(t, sampleEtcd(t))
	require.NoError(t, err)
	require.Equal(t, Report{Layout: r.Layout, Changes: 7, Revision: 10, CompactRevision: 5, Leases: 1, Users: 2, Roles: 1}, r)
	require.Equal(t, "converted an etcd v3.4 backend (cluster version 3.4.0): 7 changes up to revision 10 (compacted at 5), 1 leases, 2 users, 1 roles", r.String())

	m := openMember(t, dst)
	s := m.Store()
	require.Equal(t, []int64{10, 5}, []int64{s.Rev(), s.CompactRev()})
	all := func(rev int64) ([]mvcc.KeyValue, error) {
		resp, err := s.Range(mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: rev})
		return resp.Kvs, err
	}
	_, err = all(4)
	require.ErrorIs(t, err, mvcc.ErrCompacted)
	kvs, err := all(5)
	require.NoError(t, err)
	require.Equal(t, []mvcc.KeyValue{
		{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")},
		{Key: []byte("b"), CreateRevision: 5, ModRevision: 5, Version: 1, Value: []byte("x")},
	}, kvs)
	kvs, err = all(10)
	require.NoError(t, err)
	const l = lease.LeaseID(0x150ca1fdbecde90a)
	require.Equal(t, []mvcc.KeyValue{
		{Key: []byte("a"), CreateRevision: 2, ModRevision: 10, Version: 4, Value: []byte("4")},
		{Key: []byte("c"), CreateRevision: 9, ModRevision: 9, Version: 1, Value: []byte("z")},
		{Key: []byte("l1"), CreateRevision: 7, ModRevision: 7, Version: 1, Value: []byte("v"), Lease: int64(l)},
		{Key: []byte("l2"), CreateRevision: 8, ModRevision: 8, Version: 1, Value: []byte("v"), Lease: int64(l)},
	}, kvs)

	st, ok := m.Lessor().Lookup(l)
	require.True(t, ok, "lease %v imported", l)
	require.Equal(t, int64(3600), st.TTLSeconds)
	require.Equal(t, []string{"l1", "l2"}, st.Keys)

	tx := dst.BeginRead()
	defer tx.Rollback()
	as, err := auth.Open(tx, 1)
	require.NoError(t, err)
	require.Equal(t, []string{"root", "u1"}, as.UserList())
	u1, err := as.User("u1")
	require.NoError(t, err)
	require.Equal(t, []string{"r1"}, u1.Roles)
	require.Equal(t, auth.Password{Scheme: "bcrypt", Hash: []byte("$2a$10$u1")}, u1.Password)
	r1, err := as.Role("r1")
	require.NoError(t, err)
	require.Equal(t, []auth.Permission{{Type: auth.ReadWrite, Key: []byte("foo"), RangeEnd: []byte("fop")}}, r1.Perms)
	require.False(t, as.Enabled())
}

// TestConvertAuthEnabled: etcd's enabled auth is imported disabled and
// reported.
func TestConvertAuthEnabled(t *testing.T) {
	src := withPut(t, sampleEtcd(t), authBucket, "authEnabled", []byte{1})
	dst, r, err := convert(t, src)
	require.NoError(t, err)
	require.True(t, r.AuthWasEnabled)
	tx := dst.BeginRead()
	defer tx.Rollback()
	as, err := auth.Open(tx, 1)
	require.NoError(t, err)
	require.False(t, as.Enabled())
}

// TestConvertRoundTrip: a random history written by etcdlab's own store,
// re-encoded as etcd stores it, converted back: every revision from the
// compaction on reads the same, and writing goes on at the same revision.
func TestConvertRoundTrip(t *testing.T) {
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			t.Logf("seed %d", seed)
			want := randomStore(t, seed)
			dst, r, err := convert(t, asEtcd(t, want.Backend()))
			require.NoError(t, err)
			got, err := mvcc.New(dst, mvcc.Config{})
			require.NoError(t, err)
			require.Equal(t, []int64{want.Rev(), want.CompactRev()}, []int64{got.Rev(), got.CompactRev()}, "seed %d", seed)
			require.Equal(t, want.Rev(), r.Revision, "seed %d", seed)
			for rev := want.CompactRev(); rev <= want.Rev(); rev++ {
				req := mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: rev}
				w, err1 := want.Range(req)
				g, err2 := got.Range(req)
				require.Equal(t, err1, err2, "seed %d rev %d", seed, rev)
				require.Equal(t, w.Kvs, g.Kvs, "seed %d rev %d", seed, rev)
			}
			_, err = got.Range(mvcc.RangeRequest{Key: []byte("k"), Revision: want.CompactRev() - 1})
			require.ErrorIs(t, err, mvcc.ErrCompacted, "seed %d", seed)
			w, _ := want.Put(mvcc.PutRequest{Key: []byte("k01"), Value: []byte("next")})
			g, _ := got.Put(mvcc.PutRequest{Key: []byte("k01"), Value: []byte("next")})
			require.Equal(t, w, g, "seed %d", seed)
		})
	}
}

// randomStore is an etcdlab store with puts, deletes, txns and a compaction.
func randomStore(t *testing.T, seed uint64) *mvcc.Store {
	s, err := mvcc.New(backend.NewMemory(), mvcc.Config{})
	require.NoError(t, err)
	r := rng.New(seed)
	for i := 0; i < 400; i++ {
		k := []byte(fmt.Sprintf("k%02d", r.Intn(25)))
		switch {
		case r.Chance(0.15):
			s.DeleteRange(mvcc.DeleteRangeRequest{Key: k})
		case r.Chance(0.1):
			_, err = s.Txn(mvcc.TxnRequest{Success: []mvcc.Op{
				{Put: &mvcc.PutRequest{Key: k, Value: []byte("t")}},
				{Put: &mvcc.PutRequest{Key: append(k, 'x'), Value: []byte("u")}},
			}})
			require.NoError(t, err)
		default:
			_, err = s.Put(mvcc.PutRequest{Key: k, Value: []byte(fmt.Sprint(i)), Lease: int64(r.Intn(3))})
			require.NoError(t, err)
		}
		if i == 250 {
			require.NoError(t, s.Compact(s.Rev()-40))
		}
	}
	return s
}

// asEtcd re-encodes an etcdlab backend's key space and compaction as etcd
// stores them: the same keys, protobuf values.
func asEtcd(t *testing.T, lab backend.Backend) *backend.Memory {
	e := newEtcdBackend(t)
	rtx := lab.BeginRead()
	defer rtx.Rollback()
	require.NoError(t, rtx.ForEach(keyBucket, func(k, v []byte) error {
		var kv mvcc.KeyValue
		require.NoError(t, cbor.Unmarshal(v, &kv))
		e.put(keyBucket, k, etcdKV(t, mvccpb.KeyValue{Key: kv.Key, CreateRevision: kv.CreateRevision,
			ModRevision: kv.ModRevision, Version: kv.Version, Value: kv.Value, Lease: kv.Lease}))
		return nil
	}))
	for _, k := range [][]byte{scheduledCompactKey, finishedCompactKey} {
		if v := rtx.Get(metaBucket, k); v != nil {
			e.put(metaBucket, k, v)
		}
	}
	return e.done()
}

// TestConvertCorruptWritesNothing: a damaged record anywhere — a change
// after good ones, a lease, a user — fails the conversion with where and
// what, and the destination stays empty.
func TestConvertCorruptWritesNothing(t *testing.T) {
	for _, tc := range []struct {
		name, bucket, key string
		value             []byte
		want              []string
	}{
		{"change", keyBucket, string(revKey(11, 0, false)), []byte{0x0a, 0x05, 'a'}, []string{`bucket "key"`, "revision 11.0", "not an etcd mvccpb.KeyValue"}},
		{"mod revision", keyBucket, string(revKey(11, 0, false)), etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 12, Version: 5}), []string{"revision 11.0", "mod revision 12 differs"}},
		{"lease", leaseBucket, "\x00\x00\x00\x00\x00\x00\x00\x07", etcdLeaseValue(7, 0, 0), []string{"lease 0000000000000007", "TTL 0 s"}},
		{"user", authUsersBucket, "u2", []byte{0x0a, 0x09, 'u'}, []string{`bucket "authUsers"`, `user "u2"`}},
		{"role of a user", authUsersBucket, "u3", mustMarshalUser(t, "u3", "nosuchrole"), []string{`user "u3", role "nosuchrole"`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dst, _, err := convert(t, withPut(t, sampleEtcd(t), tc.bucket, tc.key, tc.value))
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
			tx := dst.BeginRead()
			defer tx.Rollback()
			require.Empty(t, tx.Buckets(), "nothing may be written: %v", err)
		})
	}
}

func mustMarshalUser(t *testing.T, name, role string) []byte {
	b, err := (&authpb.User{Name: []byte(name), Password: []byte("$2a$10$x"), Roles: []string{role}}).Marshal()
	require.NoError(t, err)
	return b
}

// TestConvertRefuses: only an etcd backend, only into an empty one.
func TestConvertRefuses(t *testing.T) {
	lab := backend.NewMemory()
	s, err := mvcc.New(lab, mvcc.Config{})
	require.NoError(t, err)
	s.Put(mvcc.PutRequest{Key: []byte("foo"), Value: []byte("bar")})
	_, _, err = convert(t, lab)
	require.ErrorContains(t, err, "not an etcd backend: this is an etcdlab backend")

	tx := sampleEtcd(t).BeginRead()
	defer tx.Rollback()
	_, err = Convert(tx, lab)
	require.ErrorContains(t, err, "not empty")
}
