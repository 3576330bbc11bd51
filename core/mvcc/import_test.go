package mvcc

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

// TestParseRevisionKey reads back what revBytes and tombstoneBytes write
// and refuses keys that are not revisions.
func TestParseRevisionKey(t *testing.T) {
	for _, r := range []Revision{{1, 0}, {9, 1}, {1 << 40, 7}} {
		got, del, err := ParseRevisionKey(revBytes(r))
		require.NoError(t, err)
		require.Equal(t, r, got)
		require.False(t, del)
		got, del, err = ParseRevisionKey(tombstoneBytes(r))
		require.NoError(t, err)
		require.Equal(t, r, got)
		require.True(t, del)
	}
	bad := revBytes(Revision{Main: 3})
	bad[8] = '-'
	for _, k := range [][]byte{nil, revBytes(Revision{Main: 3})[:16], bad, append(revBytes(Revision{Main: 3}), 'x'), revBytes(Revision{}), revBytes(Revision{Main: -2})} {
		_, _, err := ParseRevisionKey(k)
		require.Error(t, err, "%x", k)
	}
}

// TestImportChange: imported changes open as a store with the same
// history, compaction included; inconsistent changes are refused unwritten.
func TestImportChange(t *testing.T) {
	b := backend.NewMemory()
	tx := b.BeginWrite()
	require.NoError(t, ImportChange(tx, Revision{Main: 4}, false, KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")}))
	require.NoError(t, ImportChange(tx, Revision{Main: 5}, true, KeyValue{Key: []byte("a"), Value: []byte("ignored")}))
	require.NoError(t, ImportChange(tx, Revision{Main: 6, Sub: 1}, false, KeyValue{Key: []byte("b"), CreateRevision: 6, ModRevision: 6, Version: 1, Lease: 9}))
	require.NoError(t, ImportCompaction(tx, 4, 4))
	for _, kv := range []KeyValue{
		{Key: []byte("c"), CreateRevision: 7, ModRevision: 6, Version: 1},
		{Key: []byte("c"), CreateRevision: 2, ModRevision: 7, Version: 1},
		{Key: []byte("c"), CreateRevision: 2, ModRevision: 6, Version: 0},
		{Key: []byte("c"), CreateRevision: 2, ModRevision: 6, Version: 1, Lease: -1},
		{CreateRevision: 2, ModRevision: 6, Version: 1},
	} {
		require.Error(t, ImportChange(tx, Revision{Main: 6, Sub: 2}, false, kv), "%v", kv)
	}
	require.NoError(t, tx.Commit())

	s, err := New(b, Config{})
	require.NoError(t, err)
	require.Equal(t, []int64{6, 4}, []int64{s.Rev(), s.CompactRev()})
	resp, err := s.Range(RangeRequest{Key: []byte("a"), Revision: 4})
	require.NoError(t, err)
	require.Equal(t, []KeyValue{{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")}}, resp.Kvs)
	resp, err = s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	require.NoError(t, err)
	require.Equal(t, []KeyValue{{Key: []byte("b"), CreateRevision: 6, ModRevision: 6, Version: 1, Lease: 9}}, resp.Kvs)
	_, err = s.Range(RangeRequest{Key: []byte("a"), Revision: 3})
	require.ErrorIs(t, err, ErrCompacted)
}
