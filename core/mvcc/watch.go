package mvcc

// Watch streams: the consumer's side of watching. A Stream is one client
// connection's worth of watchers (etcd: one gRPC Watch stream, multiplexing
// many watch IDs); responses for all of them come out of the stream, in
// order, when the consumer calls Responses. The stream holds at most
// core.WatchStreamBufferResponses undelivered event responses: a watcher
// whose response does not fit waits as a victim (watch_hub.go), so a
// consumer that does not read slows nobody but itself.
//
// Interface:
//
//	(*Store).NewWatchStream() *Stream
//	(*Stream).Watch(WatchRequest) (WatchID, error)
//	(*Stream).Cancel(id) error
//	(*Stream).RequestProgress()
//	(*Stream).Responses() []WatchResponse   pull everything pending
//	(*Stream).Close()

import (
	"bytes"
	"sort"

	"github.com/etcdlab/etcdlab/core"
)

// EventType is what happened to a key.
type EventType uint8

const (
	EventPut EventType = iota
	EventDelete
)

func (t EventType) String() string {
	if t == EventDelete {
		return "DELETE"
	}
	return "PUT"
}

// Event is one change seen by a watcher. A delete event's Kv has only Key and
// ModRevision set (etcd: mvccpb.Event).
type Event struct {
	Type   EventType
	Kv     KeyValue
	PrevKv *KeyValue // the key before the change, if asked for and not compacted
}

// WatchID names a watcher within its stream.
type WatchID int64

const (
	// AutoWatchID asks the stream to choose the ID (etcd: AutoWatchID = 0;
	// the first ID it chooses is also 0).
	AutoWatchID WatchID = 0
	// InvalidWatchID marks a response that is about no one watcher: a
	// stream-wide progress notification, or a refused watch (etcd: -1).
	InvalidWatchID WatchID = -1
)

// WatchRequest creates a watcher (etcd: WatchCreateRequest).
type WatchRequest struct {
	ID            WatchID // AutoWatchID: let the stream choose
	Key, RangeEnd []byte  // as for Range
	// StartRevision is the first revision to report; 0 means "from the
	// next revision", a past revision replays history from there.
	StartRevision  int64
	PrevKV         bool // attach the previous key/value to each event
	Fragment       bool // split large responses (see Responses)
	ProgressNotify bool // periodic progress when quiet (Store.NotifyProgress)
	NoPut          bool // filter out put events
	NoDelete       bool // filter out delete events
}

// WatchResponse is one message of a stream (etcd: WatchResponse).
type WatchResponse struct {
	WatchID  WatchID
	Revision int64 // the store's revision when the response was made
	Created  bool  // answers a Watch
	Canceled bool  // the watcher is gone (canceled, refused or compacted)
	// CancelReason says why a watch was refused.
	CancelReason string
	// CompactRevision is set when the watcher was canceled because the
	// revision it needed next is compacted; rewatch from here or later.
	CompactRevision int64
	// Fragment: more fragments of the same response follow.
	Fragment bool
	Events   []Event
}

// Stream multiplexes watchers for one consumer.
type Stream struct {
	h        *hub
	id       uint64
	watchers map[WatchID]*watcher
	nextID   WatchID
	queue    []queued
	buffered int // event and progress responses in queue (bounded)
	// deferredProgress: a progress request waits for every watcher of the
	// stream to be synced (etcd: serverWatchStream.deferredProgress).
	deferredProgress bool
	closed           bool
}

type queued struct {
	resp     WatchResponse
	fragment bool // the watcher asked for fragmenting
}

// NewWatchStream opens a stream.
func (s *Store) NewWatchStream() *Stream {
	h := s.hub
	h.nextStream++
	st := &Stream{h: h, id: h.nextStream, watchers: map[WatchID]*watcher{}}
	h.streams[st.id] = st
	return st
}

// Watch creates a watcher and queues its Created response. A refused watch
// queues a Created+Canceled response with the reason, and returns the error.
func (st *Stream) Watch(r WatchRequest) (WatchID, error) {
	if st.closed {
		return InvalidWatchID, ErrStreamClosed
	}
	end := normEnd(r.RangeEnd)
	id, err := st.chooseID(r.ID)
	if err == nil && len(end) > 0 && bytes.Compare(r.Key, end) >= 0 {
		err = ErrEmptyWatcherRange
	}
	rev := st.h.s.currentRev
	if err != nil {
		st.control(WatchResponse{WatchID: InvalidWatchID, Revision: rev, Created: true, Canceled: true, CancelReason: err.Error()})
		return InvalidWatchID, err
	}
	if r.ID == AutoWatchID {
		st.nextID++
	}
	w := &watcher{
		id: id, st: st, key: clone(r.Key), end: clone(end), quiet: true,
		prevKV: r.PrevKV, fragment: r.Fragment, progressNotify: r.ProgressNotify,
		noPut: r.NoPut, noDelete: r.NoDelete,
	}
	st.watchers[id] = w
	st.control(WatchResponse{WatchID: id, Revision: rev, Created: true})
	st.h.add(w, r.StartRevision)
	return id, nil
}

// chooseID picks the next free ID for AutoWatchID, or checks a requested
// one (etcd: watchStream.Watch).
func (st *Stream) chooseID(id WatchID) (WatchID, error) {
	if id != AutoWatchID {
		if _, taken := st.watchers[id]; taken {
			return InvalidWatchID, ErrWatcherDuplicateID
		}
		return id, nil
	}
	for st.watchers[st.nextID] != nil {
		st.nextID++
	}
	return st.nextID, nil
}

// Cancel removes a watcher and queues its Canceled response.
func (st *Stream) Cancel(id WatchID) error {
	w, ok := st.watchers[id]
	if !ok || st.closed {
		return ErrWatcherNotExist
	}
	st.h.remove(w)
	delete(st.watchers, id)
	st.control(WatchResponse{WatchID: id, Revision: st.h.s.currentRev, Canceled: true})
	return nil
}

// RequestProgress asks for a progress notification: a response with no
// events, WatchID -1 and the current revision, which promises that every
// event up to that revision was already delivered. It is sent only once all
// the stream's watchers are synced — until then it is deferred (etcd 3.5+:
// RequestProgressAll).
func (st *Stream) RequestProgress() {
	if st.closed || st.deferredProgress {
		return
	}
	if !st.progressAll() {
		st.deferredProgress = true
	}
}

// progressAll sends the stream-wide progress if every watcher is synced.
func (st *Stream) progressAll() bool {
	for _, w := range st.watchers {
		if w.group != st.h.synced {
			return false
		}
	}
	if len(st.watchers) == 0 {
		return true // etcd sends nothing for a stream without watchers
	}
	return st.deliver(WatchResponse{WatchID: InvalidWatchID, Revision: st.h.s.currentRev}, false)
}

// Responses returns and removes every pending response, in order. A response
// of a watcher that asked for fragmenting, larger than the store's
// MaxWatchResponseBytes and with more than one event, comes as several
// fragments, each but the last marked Fragment (etcd: sendFragments; as
// there, a single event is never split and the events of one revision may
// be spread over fragments).
func (st *Stream) Responses() []WatchResponse {
	var out []WatchResponse
	for _, q := range st.queue {
		if q.fragment {
			out = append(out, fragments(q.resp, st.h.maxResponseBytes)...)
		} else {
			out = append(out, q.resp)
		}
	}
	st.queue, st.buffered = nil, 0
	return out
}

// Close removes every watcher of the stream.
func (st *Stream) Close() {
	if st.closed {
		return
	}
	ids := make([]WatchID, 0, len(st.watchers))
	for id := range st.watchers {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		st.h.remove(st.watchers[id])
	}
	st.watchers, st.queue, st.closed = nil, nil, true
	delete(st.h.streams, st.id)
}

// control queues a response about the watchers themselves (created,
// canceled); these are not bounded by the buffer, as each answers a call.
func (st *Stream) control(r WatchResponse) {
	st.queue = append(st.queue, queued{resp: r})
}

// deliver queues an event or progress response if the buffer has room.
func (st *Stream) deliver(r WatchResponse, fragment bool) bool {
	if st.closed {
		return true
	}
	if st.buffered >= core.WatchStreamBufferResponses {
		return false
	}
	st.queue = append(st.queue, queued{resp: r, fragment: fragment})
	st.buffered++
	return true
}

// fragments splits r so that each part stays under maxBytes (estimated).
func fragments(r WatchResponse, maxBytes int) []WatchResponse {
	if r.size() < maxBytes || len(r.Events) < 2 {
		return []WatchResponse{r}
	}
	var out []WatchResponse
	for idx := 0; ; {
		cur := r
		cur.Fragment, cur.Events = true, nil
		size := cur.size()
		for idx < len(r.Events) {
			es := r.Events[idx].size()
			if len(cur.Events) > 0 && size+es >= maxBytes {
				break
			}
			cur.Events = append(cur.Events, r.Events[idx])
			size += es
			idx++
		}
		if idx == len(r.Events) {
			cur.Fragment = false
		}
		out = append(out, cur)
		if !cur.Fragment {
			return out
		}
	}
}

// Estimated wire sizes: a response header (cluster, member, revision, term
// and watch ID) and per key/value its bytes plus its four integers. Close to
// the protobuf size, not equal to it.
const (
	responseOverheadBytes = 40
	kvOverheadBytes       = 40
)

func (r WatchResponse) size() int {
	n := responseOverheadBytes + len(r.CancelReason)
	for _, e := range r.Events {
		n += e.size()
	}
	return n
}

func (e Event) size() int {
	n := kvOverheadBytes + len(e.Kv.Key) + len(e.Kv.Value)
	if e.PrevKv != nil {
		n += kvOverheadBytes + len(e.PrevKv.Key) + len(e.PrevKv.Value)
	}
	return n
}
