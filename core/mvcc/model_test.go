package mvcc

// A model-based randomized test, in the manner of bbolt's simulation test:
// random puts, deletes, txns, ranges (at random revisions, with limits,
// sorts and filters) and compactions run against the Store and against a
// reference model that is too simple to be wrong — every revision's whole
// key space kept as a map — and the two are compared after every operation.
// Random watchers are compared with the model's event history at the end.
// A failure names the seed and the operation index that replay it.

import (
	"bytes"
	"fmt"
	"reflect"
	"sort"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/rng"
)

// model is the reference: states[rev] is the key space at revision rev.
type model struct {
	states     []map[string]KeyValue // states[0] is unused, states[1] empty
	events     [][]Event             // events[rev]: the changes of revision rev, in order
	compactRev int64
	compacted  map[int64]bool // every revision compacted at
}

func newModel() *model {
	return &model{states: []map[string]KeyValue{nil, {}}, events: [][]Event{nil, nil}, compactRev: -1, compacted: map[int64]bool{}}
}

func (m *model) rev() int64 { return int64(len(m.states) - 1) }

// inRange: etcd's key range rules over plain strings.
func inRange(k string, key, end []byte) bool {
	switch {
	case len(end) == 0:
		return k == string(key)
	case len(end) == 1 && end[0] == 0:
		return k >= string(key)
	}
	return k >= string(key) && k < string(end)
}

func sortedKeys(state map[string]KeyValue) []string {
	keys := make([]string, 0, len(state))
	for k := range state {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// rangeAt answers a RangeRequest from state, read at revision cur.
func (m *model) rangeAt(r RangeRequest, state map[string]KeyValue, cur int64) (RangeResponse, error) {
	at := r.Revision
	if at > cur {
		return RangeResponse{}, ErrFutureRev
	}
	if at <= 0 {
		at = cur
	} else {
		state = m.states[at]
	}
	if at < m.compactRev {
		return RangeResponse{}, ErrCompacted
	}
	var all []KeyValue
	for _, k := range sortedKeys(state) {
		if inRange(k, r.Key, r.RangeEnd) {
			all = append(all, state[k])
		}
	}
	resp := RangeResponse{Revision: cur, Count: int64(len(all))}
	if r.CountOnly {
		return resp, nil
	}
	if r.Limit > 0 && r.SortOrder == SortNone && r.MinModRevision == 0 && r.MaxModRevision == 0 &&
		r.MinCreateRevision == 0 && r.MaxCreateRevision == 0 && int64(len(all)) > r.Limit+1 {
		// etcd's quirk: with no sort order (even with a sort target) and no
		// filter, only the first Limit+1 keys are fetched, then sorted.
		all = all[:r.Limit+1]
	}
	var kvs []KeyValue
	for _, kv := range all {
		if (r.MinModRevision == 0 || kv.ModRevision >= r.MinModRevision) &&
			(r.MaxModRevision == 0 || kv.ModRevision <= r.MaxModRevision) &&
			(r.MinCreateRevision == 0 || kv.CreateRevision >= r.MinCreateRevision) &&
			(r.MaxCreateRevision == 0 || kv.CreateRevision <= r.MaxCreateRevision) {
			kvs = append(kvs, kv)
		}
	}
	field := func(kv KeyValue) string {
		switch r.SortTarget {
		case SortByVersion:
			return fmt.Sprintf("%020d", kv.Version)
		case SortByCreate:
			return fmt.Sprintf("%020d", kv.CreateRevision)
		case SortByMod:
			return fmt.Sprintf("%020d", kv.ModRevision)
		case SortByValue:
			return string(kv.Value)
		}
		return string(kv.Key)
	}
	if r.SortTarget != SortByKey || r.SortOrder != SortNone {
		desc := r.SortOrder == SortDescend
		sort.SliceStable(kvs, func(i, j int) bool {
			if desc {
				return field(kvs[i]) > field(kvs[j])
			}
			return field(kvs[i]) < field(kvs[j])
		})
	}
	if r.Limit > 0 && int64(len(kvs)) > r.Limit {
		kvs, resp.More = kvs[:r.Limit], true
	}
	for i := range kvs {
		if r.KeysOnly {
			kvs[i].Value = nil
		}
	}
	resp.Kvs = kvs
	return resp, nil
}

// work is a txn in progress in the model: a copy of the state and changes.
type work struct {
	m       *model
	state   map[string]KeyValue
	events  []Event
	rev     int64 // the revision being written
	changed bool
}

func (m *model) begin() *work {
	state := map[string]KeyValue{}
	for k, v := range m.states[m.rev()] {
		state[k] = v
	}
	return &work{m: m, state: state, rev: m.rev() + 1}
}

func (w *work) cur() int64 {
	if w.changed {
		return w.rev
	}
	return w.rev - 1
}

func (w *work) put(r PutRequest) (PutResponse, error) {
	prev, ok := w.state[string(r.Key)]
	if (r.IgnoreValue || r.IgnoreLease) && !ok {
		return PutResponse{}, ErrKeyNotFound
	}
	kv := KeyValue{Key: r.Key, Value: r.Value, CreateRevision: w.rev, ModRevision: w.rev, Version: 1, Lease: r.Lease}
	if ok {
		kv.CreateRevision, kv.Version = prev.CreateRevision, prev.Version+1
	}
	if r.IgnoreValue {
		kv.Value = prev.Value
	}
	if r.IgnoreLease {
		kv.Lease = prev.Lease
	}
	w.state[string(r.Key)] = kv
	w.events = append(w.events, Event{Type: EventPut, Kv: kv})
	w.changed = true
	resp := PutResponse{Revision: w.rev}
	if r.PrevKV && ok {
		resp.PrevKV = &prev
	}
	return resp, nil
}

func (w *work) del(r DeleteRangeRequest) DeleteRangeResponse {
	var resp DeleteRangeResponse
	for _, k := range sortedKeys(w.state) {
		if !inRange(k, r.Key, r.RangeEnd) {
			continue
		}
		if r.PrevKV {
			resp.PrevKVs = append(resp.PrevKVs, w.state[k])
		}
		delete(w.state, k)
		w.events = append(w.events, Event{Type: EventDelete, Kv: KeyValue{Key: []byte(k), ModRevision: w.rev}})
		resp.Deleted++
		w.changed = true
	}
	resp.Revision = w.cur()
	return resp
}

func (w *work) commit() {
	if !w.changed {
		return
	}
	w.m.states = append(w.m.states, w.state)
	w.m.events = append(w.m.events, w.events)
}

// txn runs a TxnRequest in the model. Generated txns never write a key twice,
// and errors are checked before anything runs, as in the store.
func (m *model) txn(r TxnRequest) (TxnResponse, error) {
	w := m.begin()
	before := m.states[m.rev()]
	if err := m.checkTxn(r, before); err != nil {
		return TxnResponse{}, err
	}
	resp := w.txn(r, before)
	w.commit()
	resp.Revision = m.rev()
	return *resp, nil
}

func (m *model) holds(r TxnRequest, before map[string]KeyValue) bool {
	for _, c := range r.Compare {
		var kvs []KeyValue
		for _, k := range sortedKeys(before) {
			if inRange(k, c.Key, c.RangeEnd) {
				kvs = append(kvs, before[k])
			}
		}
		if len(kvs) == 0 {
			if c.Target == CompareValue {
				return false
			}
			kvs = []KeyValue{{}}
		}
		for _, kv := range kvs {
			if !compareKV(c, kv) {
				return false
			}
		}
	}
	return true
}

func (m *model) checkTxn(r TxnRequest, before map[string]KeyValue) error {
	for _, op := range branch(r, m.holds(r, before)) {
		switch {
		case op.Put != nil:
			if _, ok := before[string(op.Put.Key)]; (op.Put.IgnoreValue || op.Put.IgnoreLease) && !ok {
				return ErrKeyNotFound
			}
		case op.Range != nil:
			if rv := op.Range.Revision; rv > m.rev() {
				return ErrFutureRev
			} else if rv != 0 && rv < m.compactRev {
				return ErrCompacted
			}
		case op.Txn != nil:
			if err := m.checkTxn(*op.Txn, before); err != nil {
				return err
			}
		}
	}
	return nil
}

func (w *work) txn(r TxnRequest, before map[string]KeyValue) *TxnResponse {
	ok := w.m.holds(r, before)
	resp := &TxnResponse{Succeeded: ok}
	for _, op := range branch(r, ok) {
		var out OpResponse
		switch {
		case op.Range != nil:
			rr, _ := w.m.rangeAt(*op.Range, w.state, w.cur())
			out.Range = &rr
		case op.Put != nil:
			pr, _ := w.put(*op.Put)
			out.Put = &pr
		case op.DeleteRange != nil:
			dr := w.del(*op.DeleteRange)
			out.DeleteRange = &dr
		case op.Txn != nil:
			out.Txn = w.txn(*op.Txn, before)
		}
		resp.Responses = append(resp.Responses, out)
	}
	return resp
}

// gen draws random requests over a small key space so keys collide often.
type gen struct {
	r *rng.Source
	m *model
}

var modelKeys = []string{"a", "a/1", "a/2", "a/3", "b", "b/1", "c", "d", "e", "f"}

func (g gen) key() []byte { return []byte(modelKeys[g.r.Intn(len(modelKeys))]) }

func (g gen) rangeEnd(key []byte) []byte {
	switch g.r.Intn(4) {
	case 0:
		return nil
	case 1:
		return []byte{0}
	case 2:
		return append(append([]byte(nil), key...), 0xff) // a prefix
	}
	return g.key()
}

func (g gen) rev() int64 {
	return g.m.compactRev - 2 + int64(g.r.Intn(int(g.m.rev()-g.m.compactRev)+5))
}

func (g gen) rangeReq() RangeRequest {
	k := g.key()
	r := RangeRequest{Key: k, RangeEnd: g.rangeEnd(k)}
	if g.r.Chance(0.1) {
		r.Key, r.RangeEnd = []byte{0}, []byte{0}
	}
	if g.r.Chance(0.5) {
		r.Revision = g.rev()
	}
	if g.r.Chance(0.4) {
		r.Limit = int64(g.r.Intn(4))
	}
	if g.r.Chance(0.4) {
		r.SortOrder, r.SortTarget = SortOrder(g.r.Intn(3)), SortTarget(g.r.Intn(5))
	}
	r.KeysOnly, r.CountOnly = g.r.Chance(0.1), g.r.Chance(0.1)
	if g.r.Chance(0.2) {
		r.MinModRevision, r.MaxCreateRevision = g.rev(), g.rev()
	}
	return r
}

func (g gen) putReq() PutRequest {
	p := PutRequest{Key: g.key(), Value: []byte(fmt.Sprintf("v%d", g.r.Intn(100))), PrevKV: g.r.Chance(0.5)}
	p.Lease = int64(g.r.Intn(3))
	switch g.r.Intn(10) {
	case 0:
		p.IgnoreValue, p.Value = true, nil
	case 1:
		p.IgnoreLease, p.Lease = true, 0
	}
	return p
}

func (g gen) deleteReq() DeleteRangeRequest {
	k := g.key()
	return DeleteRangeRequest{Key: k, RangeEnd: g.rangeEnd(k), PrevKV: g.r.Chance(0.5)}
}

// txnReq draws a txn whose writes touch distinct keys: puts on keys from
// one half of the key list, single-key deletes on the other half.
func (g gen) txnReq(depth int) TxnRequest {
	var t TxnRequest
	for i := g.r.Intn(3); i > 0; i-- {
		c := Compare{Key: g.key(), Target: CompareTarget(g.r.Intn(5)), Result: CompareResult(g.r.Intn(4))}
		if g.r.Chance(0.2) {
			c.RangeEnd = g.rangeEnd(c.Key)
		}
		c.Value = []byte(fmt.Sprintf("v%d", g.r.Intn(100)))
		c.Version, c.CreateRevision, c.ModRevision, c.Lease = int64(g.r.Intn(3)), g.rev(), g.rev(), int64(g.r.Intn(3))
		t.Compare = append(t.Compare, c)
	}
	used := map[string]bool{}
	ops := func() []Op {
		var out []Op
		for i := g.r.Intn(4); i > 0; i-- {
			k := g.key()
			if used[string(k)] {
				continue
			}
			switch g.r.Intn(4) {
			case 0:
				r := g.rangeReq()
				out = append(out, Op{Range: &r})
			case 1:
				used[string(k)] = true
				d := DeleteRangeRequest{Key: k, PrevKV: g.r.Chance(0.5)}
				out = append(out, Op{DeleteRange: &d})
			case 2:
				used[string(k)] = true
				p := g.putReq()
				p.Key = k
				out = append(out, Op{Put: &p})
			case 3:
				if depth == 0 {
					sub := g.txnReq(depth + 1)
					if !collides(sub, used) {
						out = append(out, Op{Txn: &sub})
					}
				}
			}
		}
		return out
	}
	t.Success = ops()
	used = map[string]bool{}
	t.Failure = ops()
	return t
}

// collides reports whether a nested txn writes a key in used, and marks its
// keys used otherwise.
func collides(t TxnRequest, used map[string]bool) bool {
	keys := map[string]bool{}
	for _, list := range [][]Op{t.Success, t.Failure} {
		for _, op := range list {
			switch {
			case op.Put != nil:
				keys[string(op.Put.Key)] = true
			case op.DeleteRange != nil:
				keys[string(op.DeleteRange.Key)] = true
			}
		}
	}
	for k := range keys {
		if used[k] {
			return true
		}
	}
	for k := range keys {
		used[k] = true
	}
	return false
}

// The harness: one seed's run.
type modelRun struct {
	t        *testing.T
	seed     uint64
	s        *Store
	m        *model
	g        gen
	log      []func(*Store) // every op, to replay on a replica
	watchers []*modelWatcher
	streams  []*Stream
}

type modelWatcher struct {
	st       *Stream
	id       WatchID
	req      WatchRequest
	startRev int64
	got      []WatchResponse
}

func TestModelRandom(t *testing.T) {
	seeds, ops := 200, 300
	if testing.Short() {
		seeds = 20
	}
	for seed := uint64(1); seed <= uint64(seeds); seed++ {
		runModel(t, seed, ops)
	}
}

func runModel(t *testing.T, seed uint64, ops int) {
	r := rng.New(seed)
	s, err := New(backend.NewMemory(), Config{MaxWatchResponseBytes: 200})
	if err != nil {
		t.Fatal(err)
	}
	m := newModel()
	mr := &modelRun{t: t, seed: seed, s: s, m: m, g: gen{r: r, m: m}}
	mr.streams = []*Stream{s.NewWatchStream(), s.NewWatchStream()}
	for i := 0; i < ops; i++ {
		mr.step(i)
		mr.checkState(i)
		if r.Chance(0.5) {
			s.SyncWatchers()
		}
		if r.Chance(0.3) {
			mr.drain(mr.streams[r.Intn(2)])
		}
	}
	for i := 0; i < 50; i++ {
		s.SyncWatchers()
		mr.drain(mr.streams[0])
		mr.drain(mr.streams[1])
	}
	mr.checkWatchers()
	mr.checkReplica()
}

func (mr *modelRun) fail(i int, format string, args ...any) {
	mr.t.Helper()
	mr.t.Fatalf("seed %d op %d: %s", mr.seed, i, fmt.Sprintf(format, args...))
}

// step runs one random operation on both and compares the answers.
func (mr *modelRun) step(i int) {
	g, s, m := mr.g, mr.s, mr.m
	switch n := g.r.Intn(100); {
	case n < 30:
		req := g.putReq()
		got, err := s.Put(req)
		w := m.begin()
		want, werr := w.put(req)
		if werr == nil {
			w.commit()
			mr.log = append(mr.log, func(s *Store) { s.Put(req) })
		}
		mr.compare(i, "put", req, got, err, want, werr)
	case n < 45:
		req := g.deleteReq()
		got, err := s.DeleteRange(req)
		w := m.begin()
		want := w.del(req)
		w.commit()
		mr.log = append(mr.log, func(s *Store) { s.DeleteRange(req) })
		mr.compare(i, "delete", req, got, err, want, nil)
	case n < 65:
		req := g.txnReq(0)
		got, err := s.Txn(req)
		want, werr := m.txn(req)
		if werr == nil {
			mr.log = append(mr.log, func(s *Store) { s.Txn(req) })
		}
		mr.compare(i, "txn", req, got, err, want, werr)
	case n < 88:
		req := g.rangeReq()
		got, err := s.Range(req)
		want, werr := m.rangeAt(req, m.states[m.rev()], m.rev())
		mr.compare(i, "range", req, got, err, want, werr)
	case n < 93:
		rev := m.compactRev + int64(g.r.Intn(int(m.rev()-m.compactRev)+2))
		err := s.Compact(rev)
		var werr error
		switch {
		case rev <= m.compactRev:
			werr = ErrCompacted
		case rev > m.rev():
			werr = ErrFutureRev
		default:
			m.compactRev, m.compacted[rev] = rev, true
			mr.log = append(mr.log, func(s *Store) { s.Compact(rev) })
		}
		mr.compare(i, "compact", rev, nil, err, nil, werr)
	default:
		mr.watch(i)
	}
}

func (mr *modelRun) compare(i int, what string, req, got any, err error, want any, werr error) {
	mr.t.Helper()
	if err != werr {
		mr.fail(i, "%s %s: error %v, model %v", what, normalize(req), err, werr)
	}
	if err == nil && normalize(got) != normalize(want) {
		mr.fail(i, "%s %s:\n got   %s\n model %s", what, normalize(req), normalize(got), normalize(want))
	}
}

// normalize renders v canonically: pointers by what they point to, nil and
// empty slices alike.
func normalize(v any) string {
	var b strings.Builder
	canon(&b, reflect.ValueOf(v))
	return b.String()
}

func canon(b *strings.Builder, v reflect.Value) {
	switch v.Kind() {
	case reflect.Invalid:
		b.WriteString("nil")
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			b.WriteString("nil")
			return
		}
		canon(b, v.Elem())
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			fmt.Fprintf(b, "%q", v.Bytes())
			return
		}
		b.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			canon(b, v.Index(i))
			b.WriteString(" ")
		}
		b.WriteString("]")
	case reflect.Struct:
		b.WriteString("{")
		for i := 0; i < v.NumField(); i++ {
			fmt.Fprintf(b, "%s:", v.Type().Field(i).Name)
			canon(b, v.Field(i))
			b.WriteString(" ")
		}
		b.WriteString("}")
	default:
		fmt.Fprintf(b, "%v", v.Interface())
	}
}

// checkState compares the whole key space now, and at a random past revision.
func (mr *modelRun) checkState(i int) {
	if mr.s.Rev() != mr.m.rev() {
		mr.fail(i, "revision %d, model %d", mr.s.Rev(), mr.m.rev())
	}
	all := RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}
	for _, rev := range []int64{0, mr.g.rev()} {
		all.Revision = rev
		got, err := mr.s.Range(all)
		want, werr := mr.m.rangeAt(all, mr.m.states[mr.m.rev()], mr.m.rev())
		mr.compare(i, "full range", all, got, err, want, werr)
	}
}

// watch creates a random watcher on a random stream.
func (mr *modelRun) watch(i int) {
	g := mr.g
	k := g.key()
	req := WatchRequest{Key: k, RangeEnd: g.rangeEnd(k), PrevKV: g.r.Chance(0.5),
		NoPut: g.r.Chance(0.1), NoDelete: g.r.Chance(0.1), Fragment: g.r.Chance(0.3)}
	if g.r.Chance(0.7) {
		req.StartRevision = mr.m.compactRev + 1 + int64(g.r.Intn(int(mr.m.rev()-mr.m.compactRev)+1))
		req.StartRevision = max(req.StartRevision, 1)
	}
	st := mr.streams[g.r.Intn(2)]
	id, err := st.Watch(req)
	if err != nil {
		if end := normEnd(req.RangeEnd); len(end) > 0 && bytes.Compare(req.Key, end) >= 0 && err == ErrEmptyWatcherRange {
			return
		}
		mr.fail(i, "watch %+v: %v", req, err)
	}
	start := req.StartRevision
	if start == 0 {
		start = mr.m.rev() + 1
	}
	mr.watchers = append(mr.watchers, &modelWatcher{st: st, id: id, req: req, startRev: start})
}

// drain hands each response of a stream to its watcher.
func (mr *modelRun) drain(st *Stream) {
	for _, resp := range st.Responses() {
		for _, w := range mr.watchers {
			if w.st == st && w.id == resp.WatchID {
				w.got = append(w.got, resp)
			}
		}
	}
}

// checkWatchers compares what each watcher received with the model's events.
func (mr *modelRun) checkWatchers() {
	for wi, w := range mr.watchers {
		var want []Event
		for rev := w.startRev; rev <= mr.m.rev(); rev++ {
			for _, e := range mr.m.events[rev] {
				if !inRange(string(e.Kv.Key), w.req.Key, w.req.RangeEnd) ||
					(w.req.NoPut && e.Type == EventPut) || (w.req.NoDelete && e.Type == EventDelete) {
					continue
				}
				want = append(want, e)
			}
		}
		got, canceled := mr.received(wi, w)
		j := 0
		for _, e := range want {
			if j < len(got) && eventEqual(got[j], e) {
				mr.checkPrevKV(wi, got[j])
				j++
				continue
			}
			if canceled {
				break
			}
			// A deletion at exactly a compaction revision is compacted away
			// (etcd drops a generation's tombstone at the compact revision).
			if e.Type == EventDelete && mr.m.compacted[e.Kv.ModRevision] {
				continue
			}
			mr.t.Fatalf("seed %d watcher %d (%+v from %d): missing or wrong event %v; got %v", mr.seed, wi, w.req, w.startRev, e, got)
		}
		if j != len(got) {
			mr.t.Fatalf("seed %d watcher %d (%+v from %d): %d unexpected events, got %v, want %v", mr.seed, wi, w.req, w.startRev, len(got)-j, got, want)
		}
	}
}

// received flattens a watcher's event responses, checking that revisions
// only grow, that a revision never spans two responses unless fragmented,
// and that only a compacted watcher is canceled.
func (mr *modelRun) received(wi int, w *modelWatcher) ([]Event, bool) {
	var evs []Event
	canceled, last, fragmented := false, int64(0), false
	for _, resp := range w.got {
		if resp.Canceled {
			if resp.CompactRevision == 0 {
				mr.t.Fatalf("seed %d watcher %d: canceled without a compact revision", mr.seed, wi)
			}
			canceled = true
		}
		for k, e := range resp.Events {
			rev := e.Kv.ModRevision
			if rev < last || (rev == last && k == 0 && !fragmented) {
				mr.t.Fatalf("seed %d watcher %d: revision %d after %d (atomicity or order broken): %+v", mr.seed, wi, rev, last, w.got)
			}
			last = rev
		}
		fragmented = resp.Fragment
		evs = append(evs, resp.Events...)
	}
	return evs, canceled
}

func eventEqual(a, b Event) bool {
	return a.Type == b.Type && normalize(a.Kv) == normalize(b.Kv)
}

// checkPrevKV: a previous key/value, when given, is the key at rev-1.
func (mr *modelRun) checkPrevKV(wi int, e Event) {
	if e.PrevKv == nil {
		return
	}
	want, ok := mr.m.states[e.Kv.ModRevision-1][string(e.Kv.Key)]
	if !ok || normalize(*e.PrevKv) != normalize(want) {
		mr.t.Fatalf("seed %d watcher %d: prev_kv of %v is %v, want %v", mr.seed, wi, e.Kv, e.PrevKv, want)
	}
}

// checkReplica replays the log on a second store whose backend is
// defragmented along the way and compares the hashes: a replica that applied
// the same requests must hash the same at every revision still available.
func (mr *modelRun) checkReplica() {
	mb := backend.NewMemory()
	replica, _ := New(mb, Config{})
	for i, op := range mr.log {
		op(replica)
		if i%50 == 0 {
			mb.Defrag()
		}
	}
	for rev := max(mr.m.compactRev, 1); rev <= mr.m.rev(); rev++ {
		h1, c1, r1, err1 := mr.s.HashKV(rev)
		h2, c2, r2, err2 := replica.HashKV(rev)
		if h1 != h2 || c1 != c2 || r1 != r2 || err1 != err2 {
			mr.t.Fatalf("seed %d: HashKV(%d) = %x,%d,%d,%v on the store, %x,%d,%d,%v on the replica", mr.seed, rev, h1, c1, r1, err1, h2, c2, r2, err2)
		}
	}
}
