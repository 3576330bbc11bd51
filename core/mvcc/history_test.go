package mvcc

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// mains lists the main revisions of ch, a tombstone marked with a "t".
func mains(ch []Change) []string {
	var out []string
	for _, c := range ch {
		s := Revision{Main: c.Revision.Main}.String()
		if c.Tombstone {
			s += "t"
		}
		out = append(out, s)
	}
	return out
}

func TestHistoryListsEveryChangeHeld(t *testing.T) {
	s := newStore(t)
	put(t, s, "foo", "a") // 2
	put(t, s, "foo", "b") // 3
	_, err := s.DeleteRange(DeleteRangeRequest{Key: []byte("foo")})
	require.NoError(t, err) // 4
	put(t, s, "bar", "x")   // 5
	put(t, s, "foo", "c")   // 6
	require.Equal(t, []string{"2.0", "3.0", "4.0t", "6.0"}, mains(s.History([]byte("foo"))))
	require.Nil(t, s.History([]byte("nope")))

	// Compaction at 3 keeps the change that describes foo at 3.
	require.NoError(t, s.Compact(3))
	require.Equal(t, []string{"3.0", "4.0t", "6.0"}, mains(s.History([]byte("foo"))))
	// At 4 the first generation is only its tombstone: it goes.
	require.NoError(t, s.Compact(4))
	require.Equal(t, []string{"6.0"}, mains(s.History([]byte("foo"))))

	all := s.Histories([]byte{0}, []byte{0})
	require.Len(t, all, 2)
	require.Equal(t, "bar", string(all[0].Key))
	require.Equal(t, []string{"5.0"}, mains(all[0].Changes))
	require.Equal(t, "foo", string(all[1].Key))
}

func TestHistoriesKeepDeletedKeysUntilCompacted(t *testing.T) {
	s := newStore(t)
	put(t, s, "gone", "1") // 2
	_, err := s.DeleteRange(DeleteRangeRequest{Key: []byte("gone")})
	require.NoError(t, err) // 3
	h := s.Histories([]byte{0}, []byte{0})
	require.Len(t, h, 1)
	require.Equal(t, []string{"2.0", "3.0t"}, mains(h[0].Changes))
	require.NoError(t, s.Compact(3))
	require.Empty(t, s.Histories([]byte{0}, []byte{0}), "a compacted tombstone leaves nothing")
}
