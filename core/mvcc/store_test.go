package mvcc

// Table tests pinning etcd's semantics, request field by request field and
// error by error. Each case names the etcd behaviour it pins.

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

func newStore(t testing.TB) *Store {
	t.Helper()
	s, err := New(backend.NewMemory(), Config{})
	require.NoError(t, err)
	return s
}

func put(t testing.TB, s *Store, key, value string) int64 {
	t.Helper()
	resp, err := s.Put(PutRequest{Key: []byte(key), Value: []byte(value)})
	require.NoError(t, err)
	return resp.Revision
}

func keysOf(kvs []KeyValue) []string {
	var out []string
	for _, kv := range kvs {
		out = append(out, string(kv.Key))
	}
	return out
}

func TestRevisionsOfAFreshStore(t *testing.T) {
	// etcd: a fresh store is at revision 1; `put foo bar` answers revision 2,
	// and foo has create_revision 2, mod_revision 2, version 1.
	s := newStore(t)
	require.EqualValues(t, 1, s.Rev())
	require.EqualValues(t, 2, put(t, s, "foo", "bar"))
	got, err := s.Range(RangeRequest{Key: []byte("foo")})
	require.NoError(t, err)
	require.Equal(t, RangeResponse{Revision: 2, Count: 1, Kvs: []KeyValue{
		{Key: []byte("foo"), Value: []byte("bar"), CreateRevision: 2, ModRevision: 2, Version: 1},
	}}, got)
	// A second put bumps version and mod revision, keeps create revision.
	require.EqualValues(t, 3, put(t, s, "foo", "baz"))
	got, _ = s.Range(RangeRequest{Key: []byte("foo")})
	require.Equal(t, KeyValue{Key: []byte("foo"), Value: []byte("baz"), CreateRevision: 2, ModRevision: 3, Version: 2}, got.Kvs[0])
	// After a delete the key is born again: new create revision, version 1.
	del, err := s.DeleteRange(DeleteRangeRequest{Key: []byte("foo")})
	require.NoError(t, err)
	require.EqualValues(t, 4, del.Revision)
	put(t, s, "foo", "again")
	got, _ = s.Range(RangeRequest{Key: []byte("foo")})
	require.Equal(t, KeyValue{Key: []byte("foo"), Value: []byte("again"), CreateRevision: 5, ModRevision: 5, Version: 1}, got.Kvs[0])
}

func TestEmptyKeyIsRefused(t *testing.T) {
	// etcd: ErrGRPCEmptyKey for range, put, delete, a txn compare and a txn op.
	s := newStore(t)
	_, err := s.Range(RangeRequest{})
	require.Equal(t, ErrEmptyKey, err)
	_, err = s.Put(PutRequest{Value: []byte("v")})
	require.Equal(t, ErrEmptyKey, err)
	_, err = s.DeleteRange(DeleteRangeRequest{})
	require.Equal(t, ErrEmptyKey, err)
	_, err = s.Txn(TxnRequest{Compare: []Compare{{}}})
	require.Equal(t, ErrEmptyKey, err)
	_, err = s.Txn(TxnRequest{Success: []Op{{Put: &PutRequest{}}}})
	require.Equal(t, ErrEmptyKey, err)
	// etcd: an empty RequestOp is "key not found".
	_, err = s.Txn(TxnRequest{Success: []Op{{}}})
	require.Equal(t, ErrKeyNotFound, err)
	require.Equal(t, "etcdserver: key is not provided", ErrEmptyKey.Error())
	require.EqualValues(t, 1, s.Rev())
}

func TestPutOptions(t *testing.T) {
	s := newStore(t)
	k := []byte("k")
	cases := []struct {
		name string
		req  PutRequest
		err  error
	}{
		// etcd: checkPutRequest refuses ignore_value with a value.
		{"ignore value with a value", PutRequest{Key: k, Value: []byte("x"), IgnoreValue: true}, ErrValueProvided},
		// etcd: checkPutRequest refuses ignore_lease with a lease.
		{"ignore lease with a lease", PutRequest{Key: k, Lease: 5, IgnoreLease: true}, ErrLeaseProvided},
		// etcd: applier put: ignore_* needs the key to exist.
		{"ignore value on a missing key", PutRequest{Key: k, IgnoreValue: true}, ErrKeyNotFound},
		{"ignore lease on a missing key", PutRequest{Key: k, Value: []byte("x"), IgnoreLease: true}, ErrKeyNotFound},
	}
	for _, c := range cases {
		_, err := s.Put(c.req)
		require.Equal(t, c.err, err, c.name)
	}
	require.EqualValues(t, 1, s.Rev(), "a refused put writes nothing")
	require.Equal(t, "etcdserver: value is provided", ErrValueProvided.Error())
	require.Equal(t, "etcdserver: lease is provided", ErrLeaseProvided.Error())
	require.Equal(t, "etcdserver: key not found", ErrKeyNotFound.Error())

	_, err := s.Put(PutRequest{Key: k, Value: []byte("v1"), Lease: 7})
	require.NoError(t, err)
	// ignore_value keeps the value, changes the lease; prev_kv returns the old.
	resp, err := s.Put(PutRequest{Key: k, Lease: 8, IgnoreValue: true, PrevKV: true})
	require.NoError(t, err)
	require.Equal(t, &KeyValue{Key: k, Value: []byte("v1"), CreateRevision: 2, ModRevision: 2, Version: 1, Lease: 7}, resp.PrevKV)
	// ignore_lease keeps the lease, changes the value.
	_, err = s.Put(PutRequest{Key: k, Value: []byte("v2"), IgnoreLease: true})
	require.NoError(t, err)
	got, _ := s.Range(RangeRequest{Key: k})
	require.Equal(t, KeyValue{Key: k, Value: []byte("v2"), CreateRevision: 2, ModRevision: 4, Version: 3, Lease: 8}, got.Kvs[0])
	// prev_kv on a new key is nil.
	resp, _ = s.Put(PutRequest{Key: []byte("new"), PrevKV: true})
	require.Nil(t, resp.PrevKV)
}

// fiveKeys writes a=1 b=2 c=3 (twice) d=4 e=5 at revisions 2..7.
func fiveKeys(t *testing.T) *Store {
	s := newStore(t)
	for _, kv := range []string{"a=5", "b=4", "c=3", "d=2", "e=1", "c=9"} {
		put(t, s, kv[:1], kv[2:])
	}
	return s
}

func TestRangeKeys(t *testing.T) {
	s := fiveKeys(t)
	cases := []struct {
		name string
		req  RangeRequest
		keys []string
	}{
		// etcd: range_end empty is a single key.
		{"single key", RangeRequest{Key: []byte("b")}, []string{"b"}},
		{"missing key", RangeRequest{Key: []byte("bb")}, nil},
		// etcd: [key, range_end).
		{"interval", RangeRequest{Key: []byte("b"), RangeEnd: []byte("d")}, []string{"b", "c"}},
		// etcd: range_end "\x00" is every key >= key (WithFromKey).
		{"from key", RangeRequest{Key: []byte("c"), RangeEnd: []byte{0}}, []string{"c", "d", "e"}},
		// etcd: key "\x00" with range_end "\x00" is every key (get --prefix "").
		{"all keys", RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}, []string{"a", "b", "c", "d", "e"}},
		// etcd: range_end <= key is empty.
		{"inverted", RangeRequest{Key: []byte("d"), RangeEnd: []byte("b")}, nil},
	}
	for _, c := range cases {
		got, err := s.Range(c.req)
		require.NoError(t, err, c.name)
		require.Equal(t, c.keys, keysOf(got.Kvs), c.name)
		require.EqualValues(t, len(c.keys), got.Count, c.name)
		require.EqualValues(t, 7, got.Revision, c.name)
	}
}

func TestRangeLimitCountAndFilters(t *testing.T) {
	s := fiveKeys(t)
	all := RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}
	cases := []struct {
		name  string
		mod   func(r *RangeRequest)
		keys  []string
		more  bool
		count int64
	}{
		// etcd: limit truncates, More says so, Count is the total.
		{"limit", func(r *RangeRequest) { r.Limit = 2 }, []string{"a", "b"}, true, 5},
		{"limit exact", func(r *RangeRequest) { r.Limit = 5 }, []string{"a", "b", "c", "d", "e"}, false, 5},
		// etcd: count_only returns the count and no keys.
		{"count only", func(r *RangeRequest) { r.CountOnly = true }, nil, false, 5},
		// etcd: filters prune after the read: Count still counts every key.
		{"min mod", func(r *RangeRequest) { r.MinModRevision = 5 }, []string{"c", "d", "e"}, false, 5},
		{"max mod", func(r *RangeRequest) { r.MaxModRevision = 3 }, []string{"a", "b"}, false, 5},
		{"min create", func(r *RangeRequest) { r.MinCreateRevision = 4 }, []string{"c", "d", "e"}, false, 5},
		{"max create", func(r *RangeRequest) { r.MaxCreateRevision = 4 }, []string{"a", "b", "c"}, false, 5},
		// etcd: with a filter, More is about the keys that pass it.
		{"filter and limit", func(r *RangeRequest) { r.MinModRevision = 5; r.Limit = 2 }, []string{"c", "d"}, true, 5},
		{"filter and limit, no more", func(r *RangeRequest) { r.MinModRevision = 6; r.Limit = 2 }, []string{"c", "e"}, false, 5},
	}
	for _, c := range cases {
		r := all
		c.mod(&r)
		got, err := s.Range(r)
		require.NoError(t, err, c.name)
		require.Equal(t, c.keys, keysOf(got.Kvs), c.name)
		require.Equal(t, c.more, got.More, c.name)
		require.Equal(t, c.count, got.Count, c.name)
	}
	// etcd: keys_only drops values, keeps the rest.
	got, _ := s.Range(RangeRequest{Key: []byte("c"), KeysOnly: true})
	require.Equal(t, KeyValue{Key: []byte("c"), CreateRevision: 4, ModRevision: 7, Version: 2}, got.Kvs[0])
}

func TestRangeSort(t *testing.T) {
	s := fiveKeys(t) // values a=5 b=4 c=9 d=2 e=1; c has version 2
	all := RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}
	cases := []struct {
		name   string
		order  SortOrder
		target SortTarget
		limit  int64
		keys   []string
	}{
		// etcd: results come in ascending key order by default.
		{"none", SortNone, SortByKey, 0, []string{"a", "b", "c", "d", "e"}},
		{"key ascend", SortAscend, SortByKey, 0, []string{"a", "b", "c", "d", "e"}},
		{"key descend", SortDescend, SortByKey, 0, []string{"e", "d", "c", "b", "a"}},
		{"value descend", SortDescend, SortByValue, 0, []string{"c", "a", "b", "d", "e"}},
		// etcd: a target other than key with order NONE sorts ascending.
		{"value, no order", SortNone, SortByValue, 0, []string{"e", "d", "b", "a", "c"}},
		// Ties keep key order.
		{"version descend", SortDescend, SortByVersion, 0, []string{"c", "a", "b", "d", "e"}},
		{"mod ascend", SortAscend, SortByMod, 0, []string{"a", "b", "d", "e", "c"}},
		{"create descend", SortDescend, SortByCreate, 0, []string{"e", "d", "c", "b", "a"}},
		// etcd: a sort order makes the limit apply after sorting.
		{"descend with limit", SortDescend, SortByKey, 2, []string{"e", "d"}},
		// etcd's quirk: order NONE with a target fetches only limit+1 keys
		// (in key order) before it sorts them.
		{"value, no order, limit", SortNone, SortByValue, 2, []string{"b", "a"}},
	}
	for _, c := range cases {
		r := all
		r.SortOrder, r.SortTarget, r.Limit = c.order, c.target, c.limit
		got, err := s.Range(r)
		require.NoError(t, err, c.name)
		require.Equal(t, c.keys, keysOf(got.Kvs), c.name)
	}
}

func TestRangeRevisions(t *testing.T) {
	s := fiveKeys(t)
	// etcd: a past revision reads history; the header says the current one.
	got, err := s.Range(RangeRequest{Key: []byte("c"), Revision: 4})
	require.NoError(t, err)
	require.Equal(t, []byte("3"), got.Kvs[0].Value)
	require.EqualValues(t, 7, got.Revision)
	got, _ = s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: 3})
	require.Equal(t, []string{"a", "b"}, keysOf(got.Kvs))
	// etcd: ErrFutureRev above the current revision.
	_, err = s.Range(RangeRequest{Key: []byte("c"), Revision: 8})
	require.Equal(t, ErrFutureRev, err)
	require.Equal(t, "mvcc: required revision is a future revision", err.Error())
	// etcd: ErrCompacted below the compact revision; the compact revision
	// itself is still readable.
	require.NoError(t, s.Compact(5))
	_, err = s.Range(RangeRequest{Key: []byte("c"), Revision: 4})
	require.Equal(t, ErrCompacted, err)
	require.Equal(t, "mvcc: required revision has been compacted", err.Error())
	got, err = s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: 5})
	require.NoError(t, err)
	require.Equal(t, []string{"a", "b", "c", "d"}, keysOf(got.Kvs))
}

func TestDeleteRange(t *testing.T) {
	s := fiveKeys(t)
	// etcd: deleting nothing does not bump the revision.
	resp, err := s.DeleteRange(DeleteRangeRequest{Key: []byte("x")})
	require.NoError(t, err)
	require.Equal(t, DeleteRangeResponse{Revision: 7}, resp)
	// etcd: prev_kv returns the deleted pairs; one revision for all.
	resp, err = s.DeleteRange(DeleteRangeRequest{Key: []byte("b"), RangeEnd: []byte("d"), PrevKV: true})
	require.NoError(t, err)
	require.EqualValues(t, 2, resp.Deleted)
	require.EqualValues(t, 8, resp.Revision)
	require.Equal(t, []string{"b", "c"}, keysOf(resp.PrevKVs))
	require.Equal(t, []byte("9"), resp.PrevKVs[1].Value)
	got, _ := s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	require.Equal(t, []string{"a", "d", "e"}, keysOf(got.Kvs))
	// A from-key delete.
	resp, _ = s.DeleteRange(DeleteRangeRequest{Key: []byte("d"), RangeEnd: []byte{0}})
	require.EqualValues(t, 2, resp.Deleted)
}

func cmp(key string, target CompareTarget, result CompareResult, operand any) Compare {
	c := Compare{Key: []byte(key), Target: target, Result: result}
	switch v := operand.(type) {
	case string:
		c.Value = []byte(v)
	case int:
		c.Version, c.CreateRevision, c.ModRevision, c.Lease = int64(v), int64(v), int64(v), int64(v)
	}
	return c
}

func TestTxnCompares(t *testing.T) {
	s := fiveKeys(t) // c: create 4, mod 7, version 2, value "9"
	cases := []struct {
		name string
		c    Compare
		want bool
	}{
		{"value equal", cmp("c", CompareValue, CompareEqual, "9"), true},
		{"value not equal", cmp("c", CompareValue, CompareNotEqual, "9"), false},
		{"value greater", cmp("c", CompareValue, CompareGreater, "8"), true},
		{"value less", cmp("c", CompareValue, CompareLess, "8"), false},
		{"version", cmp("c", CompareVersion, CompareEqual, 2), true},
		{"create", cmp("c", CompareCreate, CompareEqual, 4), true},
		{"mod", cmp("c", CompareMod, CompareGreater, 6), true},
		{"lease", cmp("c", CompareLease, CompareEqual, 0), true},
		// etcd: a missing key compares as version/revisions/lease 0 ...
		{"missing version 0", cmp("zz", CompareVersion, CompareEqual, 0), true},
		{"missing create 0", cmp("zz", CompareCreate, CompareEqual, 0), true},
		// ... but a value compare on a missing key always fails.
		{"missing value", cmp("zz", CompareValue, CompareNotEqual, "x"), false},
		{"missing empty value", cmp("zz", CompareValue, CompareEqual, ""), false},
		// etcd: with range_end, every key in the range must satisfy it.
		{"range all", Compare{Key: []byte("a"), RangeEnd: []byte("c"), Target: CompareVersion, Result: CompareEqual, Version: 1}, true},
		{"range one fails", Compare{Key: []byte("a"), RangeEnd: []byte{0}, Target: CompareVersion, Result: CompareEqual, Version: 1}, false},
	}
	for _, c := range cases {
		resp, err := s.Txn(TxnRequest{Compare: []Compare{c.c}})
		require.NoError(t, err, c.name)
		require.Equal(t, c.want, resp.Succeeded, c.name)
		require.EqualValues(t, 7, resp.Revision, "a txn without writes keeps the revision")
	}
}

func TestTxnIsOneRevision(t *testing.T) {
	s := newStore(t)
	put(t, s, "x", "0")
	resp, err := s.Txn(TxnRequest{
		Compare: []Compare{cmp("x", CompareValue, CompareEqual, "0")},
		Success: []Op{
			{Put: &PutRequest{Key: []byte("a"), Value: []byte("1")}},
			{Range: &RangeRequest{Key: []byte("a")}},
			{Put: &PutRequest{Key: []byte("b"), Value: []byte("2")}},
			{DeleteRange: &DeleteRangeRequest{Key: []byte("x"), PrevKV: true}},
		},
	})
	require.NoError(t, err)
	require.True(t, resp.Succeeded)
	require.EqualValues(t, 3, resp.Revision)
	require.EqualValues(t, 3, resp.Responses[0].Put.Revision)
	// Reads inside the txn see its earlier writes, at the new revision.
	require.Equal(t, []string{"a"}, keysOf(resp.Responses[1].Range.Kvs))
	require.EqualValues(t, 3, resp.Responses[1].Range.Revision)
	require.EqualValues(t, 1, resp.Responses[3].DeleteRange.Deleted)
	// Every change has main revision 3 and sub revisions 0, 1, 2.
	tx := s.b.BeginRead()
	keys, _ := tx.Range(keyBucket, revBytes(Revision{Main: 3}), revBytes(Revision{Main: 4}), 0)
	tx.Rollback()
	require.Len(t, keys, 3)
	for i, k := range keys {
		require.Equal(t, Revision{Main: 3, Sub: int64(i)}, bytesRev(k))
	}
	require.True(t, isTombstone(keys[2]))
	// etcd: a txn whose writes change nothing keeps the revision.
	resp, _ = s.Txn(TxnRequest{Success: []Op{{DeleteRange: &DeleteRangeRequest{Key: []byte("nothing")}}}})
	require.EqualValues(t, 3, resp.Revision)
	require.EqualValues(t, 3, s.Rev())
}

func TestTxnNestedComparesSeeTheStateBefore(t *testing.T) {
	// etcd: compareToPath evaluates every compare before any op runs.
	s := newStore(t)
	resp, err := s.Txn(TxnRequest{Success: []Op{
		{Put: &PutRequest{Key: []byte("a"), Value: []byte("1")}},
		{Txn: &TxnRequest{
			Compare: []Compare{cmp("a", CompareVersion, CompareEqual, 0)},
			Success: []Op{{Put: &PutRequest{Key: []byte("seen-missing")}}},
			Failure: []Op{{Put: &PutRequest{Key: []byte("seen-present")}}},
		}},
	}})
	require.NoError(t, err)
	require.True(t, resp.Responses[1].Txn.Succeeded)
	got, _ := s.Range(RangeRequest{Key: []byte("seen-missing")})
	require.EqualValues(t, 1, got.Count)
}

func TestTxnChecksRunBeforeAnyWrite(t *testing.T) {
	s := newStore(t)
	cases := []struct {
		name string
		op   Op
		err  error
	}{
		// etcd: checkRequestPut — ignore_value on a missing key.
		{"ignore value", Op{Put: &PutRequest{Key: []byte("missing"), IgnoreValue: true}}, ErrKeyNotFound},
		// etcd: checkRequestRange — future and compacted revisions.
		{"future range", Op{Range: &RangeRequest{Key: []byte("a"), Revision: 99}}, ErrFutureRev},
		{"negative range", Op{Range: &RangeRequest{Key: []byte("a"), Revision: -5}}, ErrCompacted},
	}
	for _, c := range cases {
		_, err := s.Txn(TxnRequest{Success: []Op{{Put: &PutRequest{Key: []byte("first")}}, c.op}})
		require.Equal(t, c.err, err, c.name)
		require.EqualValues(t, 1, s.Rev(), c.name+": nothing may be written")
	}
}

func ops(n int, mk func(i int) Op) []Op {
	out := make([]Op, n)
	for i := range out {
		out[i] = mk(i)
	}
	return out
}

func putOp(k string) Op { return Op{Put: &PutRequest{Key: []byte(k)}} }
func delOp(k, end string) Op {
	return Op{DeleteRange: &DeleteRangeRequest{Key: []byte(k), RangeEnd: []byte(end)}}
}
func txnOp(then, els []Op) Op { return Op{Txn: &TxnRequest{Success: then, Failure: els}} }

func TestTxnLimitsAndDuplicates(t *testing.T) {
	s := newStore(t)
	distinct := func(i int) Op { return putOp(fmt.Sprintf("k%03d", i)) }
	cases := []struct {
		name string
		req  TxnRequest
		err  error
	}{
		// etcd: --max-txn-ops 128 bounds compares and each branch.
		{"128 ops", TxnRequest{Success: ops(core.MaxTxnOps, distinct)}, nil},
		{"129 ops", TxnRequest{Success: ops(core.MaxTxnOps+1, distinct)}, ErrTooManyOps},
		{"129 failure ops", TxnRequest{Failure: ops(core.MaxTxnOps+1, distinct)}, ErrTooManyOps},
		{"129 compares", TxnRequest{Compare: make([]Compare, core.MaxTxnOps+1)}, ErrTooManyOps},
		// etcd main: a nested txn gets the budget its parent left (128
		// minus the parent's 101 ops, the nested txn op included).
		{"nested over budget", TxnRequest{Success: append(ops(100, distinct), txnOp(ops(28, func(i int) Op { return putOp(fmt.Sprintf("n%d", i)) }), nil))}, ErrTooManyOps},
		{"nested in budget", TxnRequest{Success: append(ops(100, distinct), txnOp(ops(27, func(i int) Op { return putOp(fmt.Sprintf("n%d", i)) }), nil))}, nil},
		// etcd: checkIntervals.
		{"put put", TxnRequest{Success: []Op{putOp("a"), putOp("a")}}, ErrDuplicateKey},
		{"put in deleted range", TxnRequest{Success: []Op{delOp("a", "c"), putOp("b")}}, ErrDuplicateKey},
		{"put then delete", TxnRequest{Success: []Op{putOp("b"), delOp("b", "")}}, ErrDuplicateKey},
		{"put outside deleted range", TxnRequest{Success: []Op{delOp("a", "c"), putOp("c")}}, nil},
		{"delete delete overlap", TxnRequest{Success: []Op{delOp("a", "c"), delOp("b", "d")}}, nil},
		{"nested then/else same key", TxnRequest{Success: []Op{txnOp([]Op{putOp("x")}, []Op{putOp("x")})}}, nil},
		{"nested and outer put", TxnRequest{Success: []Op{putOp("x"), txnOp([]Op{putOp("x")}, nil)}}, ErrDuplicateKey},
		{"nested delete, outer put", TxnRequest{Success: []Op{putOp("x"), txnOp(nil, []Op{delOp("x", "")})}}, ErrDuplicateKey},
		{"success and failure are separate", TxnRequest{Success: []Op{putOp("x")}, Failure: []Op{putOp("x")}}, nil},
		// Deviation (doc.go): a from-key delete covers every key after it.
		{"put in from-key delete", TxnRequest{Success: []Op{delOp("a", "\x00"), putOp("z")}}, ErrDuplicateKey},
	}
	for _, c := range cases {
		_, err := s.Txn(c.req)
		require.Equal(t, c.err, err, c.name)
	}
	require.Equal(t, "etcdserver: too many operations in txn request", ErrTooManyOps.Error())
	require.Equal(t, "etcdserver: duplicate key given in txn request", ErrDuplicateKey.Error())
}

// fakeLessor grants leases 1..9 and records attachments.
type fakeLessor struct{ attached map[string]int64 }

func (l *fakeLessor) Exists(id int64) bool { return id > 0 && id < 10 }
func (l *fakeLessor) Attach(id int64, key []byte) {
	l.attached[string(key)] = id
}
func (l *fakeLessor) LeaseOf(key []byte) int64 { return l.attached[string(key)] }
func (l *fakeLessor) Detach(id int64, key []byte) {
	if l.attached[string(key)] != id {
		panic("detach of a lease the key is not attached to")
	}
	delete(l.attached, string(key))
}

func TestLeases(t *testing.T) {
	l := &fakeLessor{attached: map[string]int64{}}
	b := backend.NewMemory()
	s, err := New(b, Config{Lessor: l})
	require.NoError(t, err)
	// etcd: a put with a lease that is not granted fails.
	_, err = s.Put(PutRequest{Key: []byte("a"), Lease: 42})
	require.Equal(t, ErrLeaseNotFound, err)
	_, err = s.Txn(TxnRequest{Success: []Op{{Put: &PutRequest{Key: []byte("a"), Lease: 42}}}})
	require.Equal(t, ErrLeaseNotFound, err)
	_, err = s.Put(PutRequest{Key: []byte("a"), Lease: 1})
	require.NoError(t, err)
	_, err = s.Put(PutRequest{Key: []byte("b"), Lease: 2})
	require.NoError(t, err)
	_, err = s.Put(PutRequest{Key: []byte("a"), Lease: 3})
	require.NoError(t, err)
	require.Equal(t, map[string]int64{"a": 3, "b": 2}, l.attached)
	s.DeleteRange(DeleteRangeRequest{Key: []byte("b")})
	require.Equal(t, map[string]int64{"a": 3}, l.attached)
	// A restored store re-attaches its keys.
	l2 := &fakeLessor{attached: map[string]int64{}}
	_, err = New(b, Config{Lessor: l2})
	require.NoError(t, err)
	require.Equal(t, map[string]int64{"a": 3}, l2.attached)
}

func TestCompact(t *testing.T) {
	s := fiveKeys(t)
	// etcd: compacting beyond the current revision is ErrFutureRev ...
	require.Equal(t, ErrFutureRev, s.Compact(8))
	require.NoError(t, s.Compact(4))
	// ... and at or below the last compaction ErrCompacted.
	require.Equal(t, ErrCompacted, s.Compact(4))
	require.Equal(t, ErrCompacted, s.Compact(3))
	require.EqualValues(t, 4, s.CompactRev())
	// Versions and create revisions survive compaction.
	put(t, s, "c", "10")
	got, _ := s.Range(RangeRequest{Key: []byte("c")})
	require.Equal(t, KeyValue{Key: []byte("c"), Value: []byte("10"), CreateRevision: 4, ModRevision: 8, Version: 3}, got.Kvs[0])
}

func TestCompactionFreesBackend(t *testing.T) {
	b := backend.NewMemory()
	s, _ := New(b, Config{})
	value := bytes.Repeat([]byte("x"), 200)
	for i := 0; i < 3000; i++ {
		s.Put(PutRequest{Key: []byte(fmt.Sprintf("key-%02d", i%20)), Value: value})
	}
	countKeys := func() int {
		tx := b.BeginRead()
		defer tx.Rollback()
		n := 0
		tx.ForEach(keyBucket, func(k, v []byte) error { n++; return nil })
		return n
	}
	require.Equal(t, 3000, countKeys())
	inUse := b.SizeInUse()
	require.NoError(t, s.Compact(s.Rev()))
	require.Equal(t, 20, countKeys(), "compaction keeps only the latest revision of each key")
	s.Put(PutRequest{Key: []byte("after"), Value: value}) // releases the pending pages
	require.Less(t, b.SizeInUse(), inUse/4, "compaction frees pages")
	size := b.Size()
	require.NoError(t, b.Defrag())
	require.Less(t, b.Size(), size/4, "defrag shrinks the file")
	got, _ := s.Range(RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}})
	require.EqualValues(t, 21, got.Count)
}

func TestHashKV(t *testing.T) {
	build := func() *Store {
		s := fiveKeys(t)
		s.DeleteRange(DeleteRangeRequest{Key: []byte("a")})
		return s
	}
	s1, s2 := build(), build()
	h1, c1, r1, err := s1.HashKV(0)
	require.NoError(t, err)
	h2, c2, r2, _ := s2.HashKV(0)
	require.Equal(t, []any{h1, c1, r1}, []any{h2, c2, r2}, "same operations, same hash")
	require.EqualValues(t, -1, c1)
	require.EqualValues(t, 8, r1)
	// The hash at a revision ignores later writes.
	h5, _, _, _ := s1.HashKV(5)
	put(t, s1, "z", "later")
	again, _, _, _ := s1.HashKV(5)
	require.Equal(t, h5, again)
	now, _, _, _ := s1.HashKV(0)
	require.NotEqual(t, h1, now)
	// Errors: future and compacted.
	_, _, _, err = s1.HashKV(100)
	require.Equal(t, ErrFutureRev, err)
	require.NoError(t, s1.Compact(6))
	_, c, _, err := s1.HashKV(5)
	require.Equal(t, ErrCompacted, err)
	require.EqualValues(t, 6, c)
}

func TestKeyIndexCompaction(t *testing.T) {
	// The picture of doc.go: put@2 put@3 del@4 put@6 put@7 del@8 put@9.
	build := func() *keyIndex {
		ki := newKeyIndex([]byte("foo"))
		ki.put(Revision{Main: 2})
		ki.put(Revision{Main: 3})
		ki.tombstone(Revision{Main: 4})
		ki.put(Revision{Main: 6})
		ki.put(Revision{Main: 7})
		ki.tombstone(Revision{Main: 8})
		ki.put(Revision{Main: 9})
		return ki
	}
	mains := func(ki *keyIndex) [][]int64 {
		var out [][]int64
		for _, g := range ki.generations {
			var revs []int64
			for _, r := range g.revs {
				revs = append(revs, r.Main)
			}
			out = append(out, revs)
		}
		return out
	}
	cases := []struct {
		at   int64
		gens [][]int64
		kept []int64
	}{
		{1, [][]int64{{2, 3, 4}, {6, 7, 8}, {9}}, nil},
		{3, [][]int64{{3, 4}, {6, 7, 8}, {9}}, []int64{3}},
		{4, [][]int64{{6, 7, 8}, {9}}, nil}, // the tombstone at 4 goes with its generation
		{7, [][]int64{{7, 8}, {9}}, []int64{7}},
		{9, [][]int64{{9}}, []int64{9}},
	}
	for _, c := range cases {
		ki := build()
		kept := map[Revision]bool{}
		ki.compact(c.at, kept)
		require.Equal(t, c.gens, mains(ki), "compact(%d)", c.at)
		var keptMains []int64
		for r := range kept {
			keptMains = append(keptMains, r.Main)
		}
		require.Equal(t, c.kept, keptMains, "compact(%d)", c.at)
		// The version of a put after compaction still counts the whole generation.
		_, created, ver, ok := ki.get(9)
		require.True(t, ok)
		require.Equal(t, []int64{9, 1}, []int64{created.Main, ver})
	}
	// A key whose history ends with a deletion vanishes once compacted past it.
	ki := newKeyIndex([]byte("bar"))
	ki.put(Revision{Main: 2})
	ki.tombstone(Revision{Main: 3})
	ki.compact(3, map[Revision]bool{})
	require.True(t, ki.isEmpty())
	_, _, ver, _ := build().get(7)
	require.EqualValues(t, 2, ver)
}
