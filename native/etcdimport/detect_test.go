package etcdimport

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

func detect(t *testing.T, be backend.Backend) (Layout, error) {
	tx := be.BeginRead()
	defer tx.Rollback()
	return Detect(tx)
}

func withPut(t *testing.T, be *backend.Memory, bucket, key string, value []byte) *backend.Memory {
	tx := be.BeginWrite()
	require.NoError(t, tx.CreateBucket(bucket))
	require.NoError(t, tx.Put(bucket, []byte(key), value))
	require.NoError(t, tx.Commit())
	return be
}

// TestDetect tells etcd's schemas, etcdlab and anything else apart.
func TestDetect(t *testing.T) {
	l, err := detect(t, sampleEtcd(t))
	require.NoError(t, err)
	require.Equal(t, Etcd, l.Kind)
	require.Equal(t, "etcd v3.4 backend (cluster version 3.4.0)", l.String())

	l, err = detect(t, withPut(t, sampleEtcd(t), metaBucket, "term", []byte{0, 0, 0, 0, 0, 0, 0, 2}))
	require.NoError(t, err)
	require.Equal(t, "3.5", l.Schema)
	l, err = detect(t, withPut(t, sampleEtcd(t), metaBucket, "storageVersion", []byte("3.6.0")))
	require.NoError(t, err)
	require.Equal(t, "3.6.0", l.Schema)

	empty := newEtcdBackend(t).done() // no change yet: the cluster bucket decides
	l, err = detect(t, empty)
	require.NoError(t, err)
	require.Equal(t, Etcd, l.Kind)

	lab := backend.NewMemory()
	s, err := mvcc.New(lab, mvcc.Config{})
	require.NoError(t, err)
	_, err = s.Put(mvcc.PutRequest{Key: []byte("foo"), Value: []byte("bar")})
	require.NoError(t, err)
	l, err = detect(t, lab)
	require.NoError(t, err)
	require.Equal(t, Etcdlab, l.Kind)
	require.Equal(t, "etcdlab backend", l.String())

	labEmpty := backend.NewMemory()
	_, err = mvcc.New(labEmpty, mvcc.Config{})
	require.NoError(t, err)
	l, err = detect(t, withPut(t, labEmpty, clusterBucket, "clusterID", []byte{1, 2, 3, 4, 5, 6, 7, 8}))
	require.NoError(t, err)
	require.Equal(t, Etcdlab, l.Kind)
}

// TestDetectRefuses names what it found in a file that is neither.
func TestDetectRefuses(t *testing.T) {
	_, err := detect(t, backend.NewMemory())
	require.ErrorContains(t, err, "neither an etcd nor an etcdlab backend")
	require.ErrorContains(t, err, "found: no buckets")

	_, err = detect(t, withPut(t, backend.NewMemory(), "widgets", "w1", []byte("x")))
	require.ErrorContains(t, err, "found: widgets")

	odd := withPut(t, backend.NewMemory(), keyBucket, string(revKey(2, 0, false)), []byte("plain text"))
	odd = withPut(t, odd, metaBucket, "x", []byte("y"))
	l, err := detect(t, odd)
	require.Equal(t, Unknown, l.Kind)
	require.ErrorContains(t, err, "neither protobuf nor CBOR")
	require.ErrorContains(t, err, "buckets: key, meta")
}
