package server

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TakeResponses hands the waiting answers out once: the next Ready no
// longer carries them.
func TestTakeResponsesHandsOutOnce(t *testing.T) {
	c := newCluster(t, 3, 1, nil)
	l := c.nodes[c.leader()].m
	r := put("k", "v")
	r.ID = 77
	l.Submit(r)
	l.Submit(r) // the same ID while the first waits: answered at once
	got := l.TakeResponses()
	require.Len(t, got, 1)
	require.Equal(t, uint64(77), got[0].ID)
	require.ErrorIs(t, got[0].Err, ErrDuplicateRequestID)
	require.Empty(t, l.TakeResponses())
	for l.HasReady() {
		rd := l.Ready()
		for _, resp := range rd.Responses {
			require.NotErrorIs(t, resp.Err, ErrDuplicateRequestID, "handed out twice")
		}
		c.nodes[c.leader()].disk.persist(rd)
		l.Advance(rd)
	}
}
