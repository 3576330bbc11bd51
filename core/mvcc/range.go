package mvcc

// Range: reading the key space at a revision. A read goes to the key index
// for the revision of each key visible at the requested revision, then to
// the backend for the key/value stored under that revision.
//
// The order of work follows etcd (apply.go Range over mvcc rangeKeys): the
// index counts every matching key (Count) and, when neither sorting nor a
// min/max filter needs them all, fetches Limit+1 keys so More can be told;
// then the filters prune, the sort orders, and Limit truncates. So Count
// ignores the filters and the limit, while More is about what survived the
// filters.

import (
	"bytes"
	"sort"

	"github.com/etcdlab/etcdlab/core/backend"
)

// view is one consistent reading of the store: a backend transaction and
// the revision that counts as current in it.
type view struct {
	s   *Store
	tx  backend.ReadTx
	rev int64
}

// Range reads keys as the request says.
func (s *Store) Range(r RangeRequest) (RangeResponse, error) {
	if err := ValidateRange(r); err != nil {
		return RangeResponse{}, err
	}
	tx := s.b.BeginRead()
	defer tx.Rollback()
	return view{s: s, tx: tx, rev: s.currentRev}.rangeRequest(r)
}

// normEnd turns the wire's "\x00" range end ("every key >= key") into the
// index's empty end (etcd: mkGteRange); an empty end stays nil (one key).
func normEnd(end []byte) []byte {
	switch {
	case len(end) == 0:
		return nil
	case len(end) == 1 && end[0] == 0:
		return []byte{}
	}
	return end
}

func (v view) rangeRequest(r RangeRequest) (RangeResponse, error) {
	limit := r.Limit
	if r.SortOrder != SortNone || r.MinModRevision != 0 || r.MaxModRevision != 0 ||
		r.MinCreateRevision != 0 || r.MaxCreateRevision != 0 {
		limit = 0 // all keys are needed before sorting or filtering
	}
	if limit > 0 {
		limit++ // one more, to tell whether there are more
	}
	kvs, count, err := v.rangeKeys(r.Key, normEnd(r.RangeEnd), r.Revision, int(limit), r.CountOnly)
	if err != nil {
		return RangeResponse{}, err
	}
	kvs = filterKVs(kvs, r)
	sortKVs(kvs, r)
	resp := RangeResponse{Revision: v.rev, Count: int64(count)}
	if r.Limit > 0 && int64(len(kvs)) > r.Limit {
		kvs, resp.More = kvs[:r.Limit], true
	}
	if r.KeysOnly {
		for i := range kvs {
			kvs[i].Value = nil
		}
	}
	resp.Kvs = kvs
	return resp, nil
}

// rangeKeys returns the key/values in [key, end) at revision atRev (0 or
// less: the view's revision), at most limit (<= 0: all), and the count of all
// matching keys (etcd: storeTxnRead.rangeKeys).
func (v view) rangeKeys(key, end []byte, atRev int64, limit int, countOnly bool) ([]KeyValue, int, error) {
	if atRev > v.rev {
		return nil, 0, ErrFutureRev
	}
	if atRev <= 0 {
		atRev = v.rev
	}
	if atRev < v.s.compactRev {
		return nil, 0, ErrCompacted
	}
	if countOnly {
		_, total := v.s.index.revisions(key, end, atRev, 1)
		return nil, total, nil
	}
	revs, total := v.s.index.revisions(key, end, atRev, limit)
	kvs := make([]KeyValue, 0, len(revs))
	for _, rev := range revs {
		kvs = append(kvs, v.kvAt(rev))
	}
	return kvs, total, nil
}

// kvAt reads the key/value written at rev; the index only names revisions
// the backend holds, so a missing one is an impossible state.
func (v view) kvAt(rev Revision) KeyValue {
	b := v.tx.Get(keyBucket, revBytes(rev))
	if b == nil {
		panic("mvcc.view.kvAt: the index names revision " + rev.String() + " but the backend does not hold it")
	}
	return decodeKV(b)
}

// get returns the live key/value of key in the view, or nil.
func (v view) get(key []byte) *KeyValue {
	kvs, _, _ := v.rangeKeys(key, nil, 0, 0, false)
	if len(kvs) == 0 {
		return nil
	}
	return &kvs[0]
}

// filterKVs applies the min/max create/mod revision filters (etcd:
// pruneKVs; 0 means no filter).
func filterKVs(kvs []KeyValue, r RangeRequest) []KeyValue {
	out := kvs[:0]
	for _, kv := range kvs {
		switch {
		case r.MaxModRevision != 0 && kv.ModRevision > r.MaxModRevision,
			r.MinModRevision != 0 && kv.ModRevision < r.MinModRevision,
			r.MaxCreateRevision != 0 && kv.CreateRevision > r.MaxCreateRevision,
			r.MinCreateRevision != 0 && kv.CreateRevision < r.MinCreateRevision:
			continue
		}
		out = append(out, kv)
	}
	return out
}

// sortKVs orders results as etcd does: results come in ascending key order,
// so a sort by key ascending is a no-op, and a target other than the key
// with no order given sorts ascending. Ties keep ascending key order (etcd's
// sort is not stable, so there the order of ties is unspecified).
func sortKVs(kvs []KeyValue, r RangeRequest) {
	order := r.SortOrder
	switch {
	case r.SortTarget != SortByKey && order == SortNone:
		order = SortAscend
	case r.SortTarget == SortByKey && order == SortAscend:
		order = SortNone
	}
	if order == SortNone {
		return
	}
	cmp := func(a, b KeyValue) int {
		switch r.SortTarget {
		case SortByVersion:
			return cmpInt(a.Version, b.Version)
		case SortByCreate:
			return cmpInt(a.CreateRevision, b.CreateRevision)
		case SortByMod:
			return cmpInt(a.ModRevision, b.ModRevision)
		case SortByValue:
			return bytes.Compare(a.Value, b.Value)
		}
		return bytes.Compare(a.Key, b.Key)
	}
	sort.SliceStable(kvs, func(i, j int) bool {
		if order == SortDescend {
			return cmp(kvs[i], kvs[j]) > 0
		}
		return cmp(kvs[i], kvs[j]) < 0
	})
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
