package mvcc

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/stretchr/testify/require"
)

// TestSnapshotRestore builds a store with history, deletes and a
// compaction, snapshots its backend, restores a new backend and store from
// the stream, and checks that both answer every range and HashKV the same,
// and go on writing the same revisions and versions.
func TestSnapshotRestore(t *testing.T) {
	b := backend.NewMemory()
	s, err := New(b, Config{})
	require.NoError(t, err)
	r := rng.New(7)
	for i := 0; i < 500; i++ {
		k := []byte(fmt.Sprintf("k%02d", r.Intn(30)))
		if r.Chance(0.2) {
			s.DeleteRange(DeleteRangeRequest{Key: k})
		} else {
			s.Put(PutRequest{Key: k, Value: []byte(fmt.Sprint(i)), Lease: int64(r.Intn(3))})
		}
		if i == 300 {
			require.NoError(t, s.Compact(s.Rev()-50))
		}
	}
	s.SetConsistentIndex(1234, 5)
	s.Commit()

	var buf bytes.Buffer
	_, err = b.WriteTo(&buf)
	require.NoError(t, err)
	b2, err := backend.Restore(&buf)
	require.NoError(t, err)
	s2, err := New(b2, Config{})
	require.NoError(t, err)

	require.Equal(t, s.Rev(), s2.Rev())
	require.Equal(t, s.CompactRev(), s2.CompactRev())
	idx, term := s2.ConsistentIndex()
	require.Equal(t, []uint64{1234, 5}, []uint64{idx, term})
	for rev := s.CompactRev(); rev <= s.Rev(); rev++ {
		req := RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: rev}
		want, err1 := s.Range(req)
		got, err2 := s2.Range(req)
		require.Equal(t, err1, err2)
		require.Equal(t, normalize(want), normalize(got), "range at %d", rev)
		h1, c1, r1, _ := s.HashKV(rev)
		h2, c2, r2, _ := s2.HashKV(rev)
		require.Equal(t, []any{h1, c1, r1}, []any{h2, c2, r2}, "HashKV(%d)", rev)
	}
	_, err = s2.Range(RangeRequest{Key: []byte("k01"), Revision: s.CompactRev() - 1})
	require.Equal(t, ErrCompacted, err)
	require.Equal(t, b.Hash(nil), b2.Hash(nil))
	// Both go on the same way: same revision, versions, create revisions.
	for _, st := range []*Store{s, s2} {
		st.Put(PutRequest{Key: []byte("k01"), Value: []byte("next")})
		st.Put(PutRequest{Key: []byte("fresh"), Value: []byte("x")})
	}
	a, _ := s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	c, _ := s2.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	require.Equal(t, normalize(a), normalize(c))
}

// TestRestoreFinishesScheduledCompaction: a backend whose compaction was
// scheduled but not finished is compacted on open, as etcd resumes it.
func TestRestoreFinishesScheduledCompaction(t *testing.T) {
	b := backend.NewMemory()
	s, _ := New(b, Config{})
	for i := 0; i < 10; i++ {
		put(t, s, "k", fmt.Sprint(i))
	}
	tx := b.BeginWrite()
	tx.Put(metaBucket, scheduledCompactKey, revBytes(Revision{Main: 8}))
	tx.Commit()
	s2, err := New(b, Config{})
	require.NoError(t, err)
	require.EqualValues(t, 8, s2.CompactRev())
	_, err = s2.Range(RangeRequest{Key: []byte("k"), Revision: 7})
	require.Equal(t, ErrCompacted, err)
	got, _ := s2.Range(RangeRequest{Key: []byte("k")})
	require.EqualValues(t, 10, got.Kvs[0].Version)
}
