package mvcc

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

// eventsOf flattens the events of responses for one watch ID.
func eventsOf(resps []WatchResponse, id WatchID) []string {
	var out []string
	for _, r := range resps {
		if r.WatchID != id {
			continue
		}
		for _, e := range r.Events {
			out = append(out, fmt.Sprintf("%s %s=%s@%d", e.Type, e.Kv.Key, e.Kv.Value, e.Kv.ModRevision))
		}
	}
	return out
}

func TestWatchFromNowAndFromThePast(t *testing.T) {
	s := newStore(t)
	put(t, s, "a", "1") // rev 2
	put(t, s, "b", "1") // rev 3
	st := s.NewWatchStream()
	now, err := st.Watch(WatchRequest{Key: []byte("a"), RangeEnd: []byte{0}})
	require.NoError(t, err)
	past, err := st.Watch(WatchRequest{Key: []byte("a"), RangeEnd: []byte("b"), StartRevision: 2})
	require.NoError(t, err)
	// etcd: IDs chosen by the stream start at 0; Created comes first.
	require.Equal(t, []WatchID{0, 1}, []WatchID{now, past})
	resps := st.Responses()
	require.Equal(t, []WatchResponse{{WatchID: 0, Revision: 3, Created: true}, {WatchID: 1, Revision: 3, Created: true}}, resps)
	s.DeleteRange(DeleteRangeRequest{Key: []byte("a")}) // rev 4
	// The synced watcher hears at once; the past one only after a sync.
	require.Equal(t, []string{"DELETE a=@4"}, eventsOf(st.Responses(), now))
	s.SyncWatchers()
	require.Equal(t, []string{"PUT a=1@2", "DELETE a=@4"}, eventsOf(st.Responses(), past))
	// Now synced, it hears live events; never an event before its start.
	put(t, s, "a", "2")
	resps = st.Responses()
	require.Equal(t, []string{"PUT a=2@5"}, eventsOf(resps, now))
	require.Equal(t, []string{"PUT a=2@5"}, eventsOf(resps, past))
	// A future start revision waits for it.
	fut, _ := st.Watch(WatchRequest{Key: []byte("a"), StartRevision: 7})
	put(t, s, "a", "3") // rev 6
	put(t, s, "a", "4") // rev 7
	require.Equal(t, []string{"PUT a=4@7"}, eventsOf(st.Responses(), fut))
}

func TestWatchTxnIsOneResponse(t *testing.T) {
	// etcd: all events of one revision come in one response, in sub order.
	s := newStore(t)
	st := s.NewWatchStream()
	id, _ := st.Watch(WatchRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	st.Responses()
	s.Txn(TxnRequest{Success: []Op{putOp("x"), putOp("y"), putOp("z")}})
	resps := st.Responses()
	require.Len(t, resps, 1)
	require.Equal(t, []string{"PUT x=@2", "PUT y=@2", "PUT z=@2"}, eventsOf(resps, id))
}

func TestWatchCompacted(t *testing.T) {
	// etcd: a watch from a compacted revision is created, then canceled
	// with compact_revision set.
	s := newStore(t)
	for i := 0; i < 5; i++ {
		put(t, s, "a", fmt.Sprint(i))
	}
	require.NoError(t, s.Compact(4))
	st := s.NewWatchStream()
	id, err := st.Watch(WatchRequest{Key: []byte("a"), StartRevision: 3})
	require.NoError(t, err)
	s.SyncWatchers()
	resps := st.Responses()
	require.Equal(t, WatchResponse{WatchID: id, Revision: 6, Canceled: true, CompactRevision: 4}, resps[1])
	require.Equal(t, ErrWatcherNotExist, st.Cancel(id))
	// At the compact revision itself, history is still there.
	id, _ = st.Watch(WatchRequest{Key: []byte("a"), StartRevision: 4})
	s.SyncWatchers()
	require.Equal(t, []string{"PUT a=2@4", "PUT a=3@5", "PUT a=4@6"}, eventsOf(st.Responses(), id))
}

func TestWatchPrevKVAndFilters(t *testing.T) {
	s := newStore(t)
	st := s.NewWatchStream()
	prev, _ := st.Watch(WatchRequest{Key: []byte("k"), PrevKV: true})
	noPut, _ := st.Watch(WatchRequest{Key: []byte("k"), NoPut: true})
	noDel, _ := st.Watch(WatchRequest{Key: []byte("k"), NoDelete: true})
	st.Responses()
	put(t, s, "k", "1")
	put(t, s, "k", "2")
	s.DeleteRange(DeleteRangeRequest{Key: []byte("k")})
	resps := st.Responses()
	var prevs []string
	for _, r := range resps {
		for _, e := range r.Events {
			if r.WatchID == prev {
				prevs = append(prevs, fmt.Sprint(e.PrevKv))
			}
		}
		// etcd: a response whose events are all filtered out is not sent.
		require.NotEmpty(t, r.Events)
	}
	// No prev_kv for a creating put; then the value before each change.
	require.Equal(t, []string{"<nil>", `"k"="1" create=2 mod=2 ver=1 lease=0`, `"k"="2" create=2 mod=3 ver=2 lease=0`}, prevs)
	require.Equal(t, []string{"DELETE k=@4"}, eventsOf(resps, noPut))
	require.Equal(t, []string{"PUT k=1@2", "PUT k=2@3"}, eventsOf(resps, noDel))
}

func TestWatchIDsAndErrors(t *testing.T) {
	s := newStore(t)
	st := s.NewWatchStream()
	id, err := st.Watch(WatchRequest{ID: 1, Key: []byte("a")})
	require.NoError(t, err)
	require.EqualValues(t, 1, id)
	// Auto IDs skip the taken ones.
	a, _ := st.Watch(WatchRequest{Key: []byte("a")})
	b, _ := st.Watch(WatchRequest{Key: []byte("a")})
	require.Equal(t, []WatchID{0, 2}, []WatchID{a, b})
	st.Responses()
	// etcd: a duplicate requested ID is refused with a created+canceled response.
	_, err = st.Watch(WatchRequest{ID: 2, Key: []byte("a")})
	require.Equal(t, ErrWatcherDuplicateID, err)
	require.Equal(t, []WatchResponse{{WatchID: -1, Revision: 1, Created: true, Canceled: true, CancelReason: ErrWatcherDuplicateID.Error()}}, st.Responses())
	// etcd: key >= range_end is an empty range.
	_, err = st.Watch(WatchRequest{Key: []byte("b"), RangeEnd: []byte("a")})
	require.Equal(t, ErrEmptyWatcherRange, err)
	st.Responses()
	require.NoError(t, st.Cancel(a))
	require.Equal(t, []WatchResponse{{WatchID: a, Revision: 1, Canceled: true}}, st.Responses())
	require.Equal(t, ErrWatcherNotExist, st.Cancel(a))
	// Another stream has its own IDs.
	other, _ := s.NewWatchStream().Watch(WatchRequest{Key: []byte("a")})
	require.EqualValues(t, 0, other)
	st.Close()
	_, err = st.Watch(WatchRequest{Key: []byte("a")})
	require.Equal(t, ErrStreamClosed, err)
}

func TestWatchProgress(t *testing.T) {
	s := newStore(t)
	put(t, s, "a", "1")
	st := s.NewWatchStream()
	st.Watch(WatchRequest{Key: []byte("a"), StartRevision: 1})
	st.Responses()
	// etcd 3.5: the progress waits until every watcher of the stream is synced.
	st.RequestProgress()
	require.Empty(t, st.Responses())
	s.SyncWatchers()
	resps := st.Responses()
	require.Len(t, resps, 2)
	require.Equal(t, WatchResponse{WatchID: InvalidWatchID, Revision: 2}, resps[1])
	// Synced: answered at once.
	st.RequestProgress()
	require.Equal(t, []WatchResponse{{WatchID: InvalidWatchID, Revision: 2}}, st.Responses())
	// Periodic progress for a quiet ProgressNotify watcher.
	id, _ := st.Watch(WatchRequest{Key: []byte("b"), ProgressNotify: true})
	st.Responses()
	s.NotifyProgress()
	require.Equal(t, []WatchResponse{{WatchID: id, Revision: 2}}, st.Responses())
	put(t, s, "b", "1")
	st.Responses()
	s.NotifyProgress() // it had an event since: no progress
	require.Empty(t, st.Responses())
}

func TestWatchFragments(t *testing.T) {
	b := backend.NewMemory()
	s, _ := New(b, Config{MaxWatchResponseBytes: 300})
	st := s.NewWatchStream()
	frag, _ := st.Watch(WatchRequest{Key: []byte{0}, RangeEnd: []byte{0}, Fragment: true})
	whole, _ := st.Watch(WatchRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	st.Responses()
	var puts []Op
	for i := 0; i < 10; i++ {
		puts = append(puts, Op{Put: &PutRequest{Key: []byte(fmt.Sprintf("k%d", i)), Value: make([]byte, 50)}})
	}
	s.Txn(TxnRequest{Success: puts})
	put(t, s, "big", string(make([]byte, 1000))) // one event over the limit
	var fragments []WatchResponse
	resps := st.Responses()
	for _, r := range resps {
		if r.WatchID == frag {
			fragments = append(fragments, r)
		}
	}
	// etcd sendFragments: every fragment but the last is marked, each stays
	// under the limit, and a single event is never split.
	require.Greater(t, len(fragments), 2)
	for i, f := range fragments {
		last := i == len(fragments)-1 || fragments[i+1].Events[0].Kv.ModRevision != f.Events[0].Kv.ModRevision
		require.Equal(t, !last, f.Fragment, "fragment %d", i)
		if len(f.Events) > 1 {
			require.Less(t, f.size(), 300)
		}
	}
	require.Equal(t, eventsOf(resps, whole), eventsOf(resps, frag))
}

func TestSlowWatcherDoesNotBlockWriters(t *testing.T) {
	s := newStore(t)
	slow := s.NewWatchStream()
	id, _ := slow.Watch(WatchRequest{Key: []byte("k")})
	fast := s.NewWatchStream()
	fid, _ := fast.Watch(WatchRequest{Key: []byte("k")})
	slow.Responses()
	var want []string
	var fastGot []string
	writes := 3 * core.WatchStreamBufferResponses
	for i := 0; i < writes; i++ {
		put(t, s, "k", fmt.Sprint(i))
		want = append(want, fmt.Sprintf("PUT k=%d@%d", i, i+2))
		fastGot = append(fastGot, eventsOf(fast.Responses(), fid)...)
		s.SyncWatchers()
	}
	require.Equal(t, want, fastGot)
	// The slow stream never buffers more than its limit; its watcher left
	// the synced group.
	require.Equal(t, core.WatchStreamBufferResponses, slow.buffered)
	require.Equal(t, WatchStats{Synced: 1, Victims: 1}, s.WatchStats())
	// Once it reads, it catches up from the backend, in order, without gaps.
	var got []string
	for i := 0; i < 10; i++ {
		got = append(got, eventsOf(slow.Responses(), id)...)
		s.SyncWatchers()
	}
	require.Equal(t, want, got)
	require.Equal(t, WatchStats{Synced: 2}, s.WatchStats())
}
