package bolt

// One table of behaviours, run against both implementations of
// core/backend.Backend — the simulator's Memory and this package's bbolt
// file — so that whatever core/mvcc relies on holds on both, and a member
// behaves the same in the browser and on disk.

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
)

// implementation is a way to make an empty backend and to restore one from
// a snapshot stream.
type implementation struct {
	name    string
	open    func(t *testing.T) backend.Backend
	restore func(t *testing.T, snapshot []byte) backend.Backend
}

var implementations = []implementation{
	{
		name: "memory",
		open: func(t *testing.T) backend.Backend { return backend.NewMemory() },
		restore: func(t *testing.T, snapshot []byte) backend.Backend {
			m, err := backend.Restore(bytes.NewReader(snapshot))
			must(t, err)
			return m
		},
	},
	{
		name: "bolt",
		open: func(t *testing.T) backend.Backend { return openTemp(t) },
		restore: func(t *testing.T, snapshot []byte) backend.Backend {
			path := filepath.Join(t.TempDir(), "restored.db")
			must(t, Restore(path, bytes.NewReader(snapshot)))
			return openPath(t, path)
		},
	},
}

var behaviours = []struct {
	name string
	run  func(t *testing.T, impl implementation)
}{
	{"a new file is empty", testNewFileIsEmpty},
	{"buckets are created once and listed in order", testCreateBucket},
	{"put then get, with copies both ways", testPutGet},
	{"bad puts are refused with the interface's errors", testPutErrors},
	{"range follows etcd's end semantics", testRange},
	{"seek finds the first key at or after", testSeek},
	{"for each walks in order and stops at an error", testForEach},
	{"delete removes, missing keys are no error", testDelete},
	{"readers see one commit, the writer its own writes", testIsolation},
	{"a closed transaction refuses everything", testClosedTx},
	{"only one writer at a time", testOneWriter},
	{"seq put packs pages fuller", testSeqPut},
	{"deletes free pages, defrag shrinks the file", testSizesAndDefrag},
	{"defrag keeps old readers reading", testDefragUnderReader},
	{"hash covers bucket names, keys and values", testHash},
	{"a snapshot restores the same contents", testSnapshot},
	{"random transactions agree with a map", testRandomAgainstModel},
}

func TestInterchangeable(t *testing.T) {
	for _, b := range behaviours {
		for _, impl := range implementations {
			t.Run(b.name+"/"+impl.name, func(t *testing.T) { b.run(t, impl) })
		}
	}
}

func testNewFileIsEmpty(t *testing.T, impl implementation) {
	b := impl.open(t)
	// bbolt's init writes two meta pages, a freelist and the root bucket.
	equal(t, int64(4*core.BackendPageBytes), b.Size(), "size of a new file")
	equal(t, b.Size(), b.SizeInUse(), "size in use of a new file")
	equal(t, uint32(0), b.Hash(nil), "hash of nothing")
	r := b.BeginRead()
	defer r.Rollback()
	equal(t, 0, len(r.Buckets()), "buckets")
	isNil(t, r.Get("kv", []byte("k")), "get from a missing bucket")
	k, v := r.Seek("kv", nil)
	isNil(t, k, "seek key in a missing bucket")
	isNil(t, v, "seek value in a missing bucket")
	keys, _ := r.Range("kv", []byte("a"), []byte{}, 0)
	equal(t, 0, len(keys), "range over a missing bucket")
	isErr(t, backend.ErrBucketNotFound, r.ForEach("kv", func(k, v []byte) error { return nil }))
}

func testCreateBucket(t *testing.T, impl implementation) {
	b := impl.open(t)
	w := b.BeginWrite()
	for _, name := range []string{"kv", "meta", "alarm", "kv"} {
		must(t, w.CreateBucket(name))
	}
	equal(t, []string{"alarm", "kv", "meta"}, w.Buckets(), "the writer's buckets")
	r := b.BeginRead()
	equal(t, 0, len(r.Buckets()), "a reader's buckets before the commit")
	must(t, w.Commit())
	equal(t, 0, len(r.Buckets()), "an old reader's buckets after the commit")
	r.Rollback()
	r = b.BeginRead()
	defer r.Rollback()
	equal(t, []string{"alarm", "kv", "meta"}, r.Buckets(), "buckets after the commit")
}

func testPutGet(t *testing.T, impl implementation) {
	b := impl.open(t)
	key, value := []byte("k1"), []byte("v1")
	w := begin(t, b, "kv")
	must(t, w.Put("kv", key, value))
	key[1], value[1] = '9', '9' // the caller reuses its buffers
	must(t, w.Put("kv", []byte("empty"), nil))
	must(t, w.Commit())

	r := b.BeginRead()
	got := r.Get("kv", []byte("k1"))
	equal(t, "v1", string(got), "value of k1")
	empty := r.Get("kv", []byte("empty"))
	if empty == nil || len(empty) != 0 {
		t.Fatalf("a key put with a nil value reads as %#v, want present and empty", empty)
	}
	isNil(t, r.Get("kv", []byte("k9")), "a key never put")
	r.Rollback()

	// Overwrite: the slice read earlier stays valid and unchanged.
	w = b.BeginWrite()
	must(t, w.Put("kv", []byte("k1"), []byte("v2")))
	equal(t, "v2", string(w.Get("kv", []byte("k1"))), "the writer reads its overwrite")
	must(t, w.Commit())
	equal(t, "v1", string(got), "a slice read before the overwrite")
}

func testPutErrors(t *testing.T, impl implementation) {
	b := impl.open(t)
	w := begin(t, b, "kv")
	defer w.Rollback()
	isErr(t, backend.ErrBucketNotFound, w.Put("nope", []byte("k"), []byte("v")))
	isErr(t, backend.ErrBucketNotFound, w.SeqPut("nope", []byte("k"), []byte("v")))
	isErr(t, backend.ErrBucketNotFound, w.Delete("nope", []byte("k")))
	isErr(t, backend.ErrKeyRequired, w.Put("kv", nil, []byte("v")))
	isErr(t, backend.ErrKeyRequired, w.SeqPut("kv", []byte{}, []byte("v")))
	long := bytes.Repeat([]byte{'k'}, core.BackendMaxKeyBytes)
	must(t, w.Put("kv", long, []byte("v")))
	isErr(t, backend.ErrKeyTooLarge, w.Put("kv", append(long, 'k'), []byte("v")))
	equal(t, "v", string(w.Get("kv", long)), "the longest key")
}

func testRange(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "a", "b", "c", "d", "e", "f")
	r := b.BeginRead()
	defer r.Rollback()
	cases := []struct {
		start, end string
		nilEnd     bool
		limit      int
		want       string
	}{
		{start: "c", nilEnd: true, want: "c"},
		{start: "cc", nilEnd: true, want: ""},
		{start: "b", end: "e", want: "bcd"},
		{start: "b", end: "", want: "bcdef"},
		{start: "", end: "", want: "abcdef"},
		{start: "bb", end: "z", want: "cdef"},
		{start: "b", end: "", limit: 2, want: "bc"},
		{start: "b", end: "e", limit: 10, want: "bcd"},
		{start: "e", end: "b", want: ""},
		{start: "g", end: "", want: ""},
	}
	for _, c := range cases {
		end := []byte(c.end)
		if c.nilEnd {
			end = nil
		}
		keys, values := r.Range("kv", []byte(c.start), end, c.limit)
		got := ""
		for i, k := range keys {
			got += string(k)
			equal(t, "value of "+string(k), string(values[i]), "range value")
		}
		equal(t, c.want, got, fmt.Sprintf("Range(%q, %q nil=%v, limit %d)", c.start, c.end, c.nilEnd, c.limit))
	}
}

func testSeek(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "b", "d", "f")
	r := b.BeginRead()
	defer r.Rollback()
	for _, c := range []struct{ at, want string }{
		{"", "b"}, {"b", "b"}, {"b\x00", "d"}, {"e", "f"}, {"f", "f"}, {"g", ""},
	} {
		k, v := r.Seek("kv", []byte(c.at))
		equal(t, c.want, string(k), "seek "+c.at)
		if k != nil {
			equal(t, "value of "+c.want, string(v), "seek value")
		} else {
			isNil(t, v, "value past the end")
		}
	}
}

func testForEach(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "c", "a", "b")
	r := b.BeginRead()
	defer r.Rollback()
	var seen []string
	must(t, r.ForEach("kv", func(k, v []byte) error {
		seen = append(seen, string(k)+"="+string(v))
		return nil
	}))
	equal(t, []string{"a=value of a", "b=value of b", "c=value of c"}, seen, "for each")
	stop := errors.New("stop here")
	calls := 0
	err := r.ForEach("kv", func(k, v []byte) error {
		calls++
		if string(k) == "b" {
			return stop
		}
		return nil
	})
	isErr(t, stop, err)
	equal(t, 2, calls, "calls before the error")
}

func testDelete(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "a", "b", "c")
	w := b.BeginWrite()
	must(t, w.Delete("kv", []byte("b")))
	must(t, w.Delete("kv", []byte("never")))
	must(t, w.Delete("kv", nil))
	isNil(t, w.Get("kv", []byte("b")), "the writer reads its delete")
	must(t, w.Commit())
	r := b.BeginRead()
	defer r.Rollback()
	keys, _ := r.Range("kv", nil, []byte{}, 0)
	equal(t, [][]byte{[]byte("a"), []byte("c")}, keys, "keys after the delete")
}

func testIsolation(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "a", "b")
	old := b.BeginRead()
	w := b.BeginWrite()
	must(t, w.Put("kv", []byte("a"), []byte("new")))
	must(t, w.Delete("kv", []byte("b")))
	must(t, w.Put("kv", []byte("c"), []byte("added")))
	keys, _ := w.Range("kv", nil, []byte{}, 0)
	equal(t, [][]byte{[]byte("a"), []byte("c")}, keys, "the writer ranges over its own writes")
	k, _ := w.Seek("kv", []byte("b"))
	equal(t, "c", string(k), "the writer seeks past its delete")
	equal(t, "value of a", string(old.Get("kv", []byte("a"))), "a reader during the write")
	must(t, w.Commit())
	equal(t, "value of a", string(old.Get("kv", []byte("a"))), "an old reader after the commit")
	equal(t, "value of b", string(old.Get("kv", []byte("b"))), "an old reader sees the deleted key")
	// More commits while the old reader is open must not disturb it.
	for i := 0; i < 20; i++ {
		putKeys(t, b, "kv", fmt.Sprintf("more-%02d", i))
	}
	equal(t, "value of b", string(old.Get("kv", []byte("b"))), "an old reader after more commits")
	old.Rollback()
	now := b.BeginRead()
	equal(t, "new", string(now.Get("kv", []byte("a"))), "a new reader")
	isNil(t, now.Get("kv", []byte("b")), "a new reader sees the delete")
	now.Rollback()

	w = b.BeginWrite()
	must(t, w.Put("kv", []byte("a"), []byte("discarded")))
	w.Rollback()
	r := b.BeginRead()
	defer r.Rollback()
	equal(t, "new", string(r.Get("kv", []byte("a"))), "after a rollback")
}

func testClosedTx(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "a")
	w := b.BeginWrite()
	must(t, w.Commit())
	isErr(t, backend.ErrTxClosed, w.Commit())
	isErr(t, backend.ErrTxClosed, w.Put("kv", []byte("k"), []byte("v")))
	isErr(t, backend.ErrTxClosed, w.SeqPut("kv", []byte("k"), []byte("v")))
	isErr(t, backend.ErrTxClosed, w.Delete("kv", []byte("a")))
	isErr(t, backend.ErrTxClosed, w.CreateBucket("other"))
	isErr(t, backend.ErrTxClosed, w.ForEach("kv", func(k, v []byte) error { return nil }))
	isNil(t, w.Get("kv", []byte("a")), "get on a committed transaction")
	w.Rollback() // a no-op now
	r := b.BeginRead()
	r.Rollback()
	r.Rollback()
	isNil(t, r.Get("kv", []byte("a")), "get on a rolled back reader")
	equal(t, 0, len(r.Buckets()), "buckets of a rolled back reader")
	isErr(t, backend.ErrTxClosed, r.ForEach("kv", func(k, v []byte) error { return nil }))
}

func testOneWriter(t *testing.T, impl implementation) {
	b := impl.open(t)
	w := b.BeginWrite()
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("a second BeginWrite did not panic")
			}
		}()
		b.BeginWrite()
	}()
	must(t, w.Commit())
	b.BeginWrite().Rollback() // free again
	b.BeginWrite().Rollback()
}
