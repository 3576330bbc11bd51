package mvcc

// The watch hub: how changes reach watchers without ever making a writer
// wait (etcd: watchableStore). Every watcher is in exactly one group:
//
//	synced    caught up: each write hands it its events at once (notify)
//	unsynced  behind: it started in the past, or left the victims; it is
//	          caught up from the backend by SyncWatchers, in batches
//	victims   its stream's buffer was full: it holds the one response that
//	          did not fit and waits for room (SyncWatchers retries)
//
//	           write (notify)            buffer full
//	 Watch ──▶ synced ────────────────────────────▶ victims
//	   │         ▲                                   │ room again
//	   │ past    │ caught up                         ▼
//	   └──────▶ unsynced ◀──────────── (still behind) ┘
//
// Memory stays bounded: a synced watcher costs nothing between writes, a
// victim holds one response, an unsynced watcher holds nothing (its events
// are read back from the backend), and each stream buffers at most
// core.WatchStreamBufferResponses responses.
//
// The core has no goroutines, so the hub is driven by calls: writes call
// notify; the caller calls SyncWatchers periodically (every tick, as etcd's
// syncWatchersLoop runs every 100ms) and NotifyProgress for the periodic
// progress of ProgressNotify watchers (etcd: every 10 minutes).

import (
	"bytes"
	"sort"

	"github.com/etcdlab/etcdlab/core"
	"github.com/google/btree"
)

type watcher struct {
	seq      uint64 // creation order across the hub: the order watchers are served in
	id       WatchID
	st       *Stream
	key, end []byte // index form (normEnd)
	// minRev is the next revision the watcher must receive: it has had
	// every event below it.
	minRev                           int64
	prevKV, fragment, progressNotify bool
	noPut, noDelete                  bool
	group                            *watcherGroup
	pending                          *WatchResponse // a victim's undelivered response
	quiet                            bool           // no events since the last NotifyProgress
}

type watcherGroup = btree.BTreeG[*watcher]

type hub struct {
	s                         *Store
	maxResponseBytes          int
	nextSeq, nextStream       uint64
	streams                   map[uint64]*Stream
	synced, unsynced, victims *watcherGroup
}

func newHub(s *Store, maxResponseBytes int) *hub {
	if maxResponseBytes <= 0 {
		maxResponseBytes = core.MaxRequestBytes
	}
	less := func(a, b *watcher) bool { return a.seq < b.seq }
	return &hub{
		s: s, maxResponseBytes: maxResponseBytes, streams: map[uint64]*Stream{},
		synced: btree.NewG(8, less), unsynced: btree.NewG(8, less), victims: btree.NewG(8, less),
	}
}

// add places a new watcher: synced if it starts now or in the future,
// unsynced if it must replay history (etcd: watchableStore.watch).
func (h *hub) add(w *watcher, startRev int64) {
	h.nextSeq++
	w.seq = h.nextSeq
	cur := h.s.currentRev
	switch {
	case startRev <= 0:
		w.minRev = cur + 1
		h.move(w, h.synced)
	case startRev > cur:
		w.minRev = startRev
		h.move(w, h.synced)
	default:
		w.minRev = startRev
		h.move(w, h.unsynced)
	}
}

func (h *hub) move(w *watcher, to *watcherGroup) {
	if w.group != nil {
		w.group.Delete(w)
	}
	w.group = to
	to.ReplaceOrInsert(w)
}

func (h *hub) remove(w *watcher) {
	if w.group != nil {
		w.group.Delete(w)
		w.group = nil
	}
}

// notify hands the events of revision rev to every synced watcher they
// concern; a watcher whose stream is full becomes a victim.
func (h *hub) notify(rev int64, evs []Event) {
	var victims []*watcher
	h.synced.Ascend(func(w *watcher) bool {
		if w.minRev > rev {
			return true // starts at a later revision
		}
		matched := w.match(evs, rev)
		if len(matched) == 0 {
			return true
		}
		w.minRev = rev + 1
		if resp := w.response(matched, rev); resp != nil && !w.st.deliver(*resp, w.fragment) {
			w.pending = resp
			victims = append(victims, w)
		}
		return true
	})
	for _, w := range victims {
		h.move(w, h.victims)
	}
}

// match returns the events at or after the watcher's next revision (and at
// most maxRev) on its keys.
func (w *watcher) match(evs []Event, maxRev int64) []Event {
	var out []Event
	for _, e := range evs {
		if e.Kv.ModRevision < w.minRev || e.Kv.ModRevision > maxRev || !w.covers(e.Kv.Key) {
			continue
		}
		out = append(out, e)
	}
	return out
}

func (w *watcher) covers(key []byte) bool {
	switch {
	case w.end == nil:
		return bytes.Equal(key, w.key)
	case len(w.end) == 0:
		return bytes.Compare(key, w.key) >= 0
	}
	return bytes.Compare(key, w.key) >= 0 && bytes.Compare(key, w.end) < 0
}

// response applies the watcher's filters and prev_kv to its events, or
// returns nil when the filters leave nothing (etcd sends nothing then).
func (w *watcher) response(evs []Event, rev int64) *WatchResponse {
	var out []Event
	for _, e := range evs {
		if (w.noPut && e.Type == EventPut) || (w.noDelete && e.Type == EventDelete) {
			continue
		}
		if w.prevKV && !(e.Type == EventPut && e.Kv.Version == 1) {
			e.PrevKv = w.st.h.s.prevKV(e.Kv.Key, e.Kv.ModRevision-1)
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return nil
	}
	w.quiet = false
	return &WatchResponse{WatchID: w.id, Revision: rev, Events: out}
}

// prevKV reads key at rev, or nil if it did not exist or is compacted.
func (s *Store) prevKV(key []byte, rev int64) *KeyValue {
	if rev <= 0 {
		return nil
	}
	tx := s.b.BeginRead()
	defer tx.Rollback()
	kvs, _, err := view{s: s, tx: tx, rev: s.currentRev}.rangeKeys(key, nil, rev, 0, false)
	if err != nil || len(kvs) == 0 {
		return nil
	}
	return &kvs[0]
}

// SyncWatchers does the hub's background work, one round of it: victims
// whose stream has room again deliver their response; up to
// core.MaxWatchersPerSync unsynced watchers catch up by at most
// core.WatchBatchMaxRevisions revisions from the backend; deferred progress
// requests are answered if their stream is now synced.
func (s *Store) SyncWatchers() {
	h := s.hub
	h.moveVictims()
	h.syncUnsynced()
	ids := make([]uint64, 0, len(h.streams))
	for id, st := range h.streams {
		if st.deferredProgress {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		if st := h.streams[id]; st.progressAll() {
			st.deferredProgress = false
		}
	}
}

// moveVictims retries the victims' pending responses (etcd: moveVictims).
func (h *hub) moveVictims() {
	var done []*watcher
	h.victims.Ascend(func(w *watcher) bool {
		if w.st.deliver(*w.pending, w.fragment) {
			done = append(done, w)
		}
		return true
	})
	for _, w := range done {
		w.pending = nil
		if w.minRev <= h.s.currentRev {
			h.move(w, h.unsynced)
		} else {
			h.move(w, h.synced)
		}
	}
}

// syncUnsynced catches unsynced watchers up from the backend (etcd:
// syncWatchers). A watcher that needs a compacted revision is canceled with
// the compact revision.
func (h *hub) syncUnsynced() {
	cur, compactRev := h.s.currentRev, h.s.compactRev
	var chosen []*watcher
	h.unsynced.Ascend(func(w *watcher) bool {
		chosen = append(chosen, w)
		return len(chosen) < core.MaxWatchersPerSync
	})
	minRev, live := int64(-1), chosen[:0]
	for _, w := range chosen {
		if w.minRev < compactRev {
			resp := WatchResponse{WatchID: w.id, Revision: cur, Canceled: true, CompactRevision: compactRev}
			if w.st.deliver(resp, false) {
				h.remove(w)
				delete(w.st.watchers, w.id)
			}
			continue
		}
		if minRev < 0 || w.minRev < minRev {
			minRev = w.minRev
		}
		live = append(live, w)
	}
	if len(live) == 0 {
		return
	}
	maxRev := min(cur, minRev+core.WatchBatchMaxRevisions-1)
	evs := h.s.eventsBetween(minRev, maxRev)
	for _, w := range live {
		h.catchUp(w, evs, maxRev)
	}
}

// catchUp delivers to w its events up to maxRev; it is synced once it has
// everything up to the current revision.
func (h *hub) catchUp(w *watcher, evs []Event, maxRev int64) {
	if w.minRev > maxRev {
		return
	}
	resp := w.response(w.match(evs, maxRev), h.s.currentRev)
	w.minRev = maxRev + 1
	switch {
	case resp != nil && !w.st.deliver(*resp, w.fragment):
		w.pending = resp
		h.move(w, h.victims)
	case w.minRev > h.s.currentRev:
		h.move(w, h.synced)
	}
}

// eventsBetween reads the changes of revisions [from, to] from the backend.
func (s *Store) eventsBetween(from, to int64) []Event {
	tx := s.b.BeginRead()
	defer tx.Rollback()
	keys, vals := tx.Range(keyBucket, revBytes(Revision{Main: from}), revBytes(Revision{Main: to + 1}), 0)
	evs := make([]Event, len(keys))
	for i := range keys {
		kv := decodeKV(vals[i])
		if isTombstone(keys[i]) {
			kv.ModRevision = bytesRev(keys[i]).Main
			evs[i] = Event{Type: EventDelete, Kv: kv}
		} else {
			evs[i] = Event{Type: EventPut, Kv: kv}
		}
	}
	return evs
}

// NotifyProgress sends a progress notification (WatchID set, no events,
// the current revision) to every synced ProgressNotify watcher that got no
// events since the previous call. The caller calls it periodically (etcd:
// the watch server's progress ticker, every 10 minutes).
func (s *Store) NotifyProgress() {
	h := s.hub
	h.synced.Ascend(func(w *watcher) bool {
		if w.progressNotify && w.quiet {
			w.st.deliver(WatchResponse{WatchID: w.id, Revision: s.currentRev}, false)
		}
		w.quiet = true
		return true
	})
}

// WatchStats counts the watchers in each group, for the visualizer.
type WatchStats struct {
	Synced, Unsynced, Victims int
}

// WatchStats returns the sizes of the hub's groups.
func (s *Store) WatchStats() WatchStats {
	h := s.hub
	return WatchStats{Synced: h.synced.Len(), Unsynced: h.unsynced.Len(), Victims: h.victims.Len()}
}
