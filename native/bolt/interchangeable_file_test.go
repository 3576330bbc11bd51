package bolt

// The shared behaviours that concern the file as a whole: page packing,
// sizes, defragmentation, hashes and snapshots, and a randomized comparison
// with a plain map.

import (
	"bytes"
	"fmt"
	"sort"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/rng"
)

func testSeqPut(t *testing.T, impl implementation) {
	sizeAfter := func(seq bool) int64 {
		b := impl.open(t)
		w := begin(t, b, "kv")
		for i := 0; i < 5000; i++ {
			put := w.Put
			if seq {
				put = w.SeqPut
			}
			must(t, put("kv", key(i), bytes.Repeat([]byte{'v'}, 100)))
		}
		must(t, w.Commit())
		r := b.BeginRead()
		defer r.Rollback()
		keys, _ := r.Range("kv", nil, []byte{}, 0)
		equal(t, 5000, len(keys), "keys written")
		return b.Size()
	}
	put, seq := sizeAfter(false), sizeAfter(true)
	t.Logf("5000 pairs: %d bytes with Put, %d with SeqPut", put, seq)
	if seq*10 > put*7 {
		t.Fatalf("SeqPut file %d bytes is not well under Put's %d (pages at 90%% vs 50%%)", seq, put)
	}
}

func testSizesAndDefrag(t *testing.T, impl implementation) {
	b := impl.open(t)
	fill(t, b, 0, 5000, 100, 500)
	grown := b.Size()
	if grown < 150*4096 {
		t.Fatalf("size %d is too small for 5000 pairs of 100 bytes", grown)
	}
	inUse := b.SizeInUse()
	w := b.BeginWrite()
	for i := 0; i < 5000; i++ {
		if i%10 != 0 {
			must(t, w.Delete("kv", key(i)))
		}
	}
	must(t, w.Commit())
	b.BeginWrite().Rollback() // frees the pages the delete left pending
	if b.Size() < grown {
		t.Fatalf("size %d -> %d after deleting 90%%: a bbolt file never shrinks", grown, b.Size())
	}
	if b.SizeInUse() > inUse/2 {
		t.Fatalf("size in use %d did not drop well below %d after deleting 90%%", b.SizeInUse(), inUse)
	}
	hash := b.Hash(nil)
	must(t, b.Defrag())
	t.Logf("defrag: size %d -> %d, in use %d", grown, b.Size(), b.SizeInUse())
	if b.Size() > grown/4 {
		t.Fatalf("defrag left size %d of %d", b.Size(), grown)
	}
	equal(t, hash, b.Hash(nil), "hash after defrag")
	r := b.BeginRead()
	defer r.Rollback()
	keys, _ := r.Range("kv", nil, []byte{}, 0)
	equal(t, 500, len(keys), "keys after defrag")
	fill(t, b, 9000, 100, 10, 100) // the new file takes writes
}

func testDefragUnderReader(t *testing.T, impl implementation) {
	b := impl.open(t)
	fill(t, b, 0, 1000, 50, 1000)
	w := b.BeginWrite()
	if err := b.Defrag(); err == nil {
		t.Fatal("defrag ran while a write transaction was open")
	}
	w.Rollback()
	old := b.BeginRead()
	must(t, b.Defrag())
	putKeys(t, b, "kv", "after-defrag")
	keys, _ := old.Range("kv", nil, []byte{}, 0)
	equal(t, 1000, len(keys), "keys an old reader sees after defrag")
	isNil(t, old.Get("kv", []byte("after-defrag")), "an old reader sees a later write")
	old.Rollback()
	r := b.BeginRead()
	defer r.Rollback()
	equal(t, "value of after-defrag", string(r.Get("kv", []byte("after-defrag"))), "a new reader")
}

func testHash(t *testing.T, impl implementation) {
	b := impl.open(t)
	putKeys(t, b, "kv", "a", "b")
	all := b.Hash(nil)
	noB := b.Hash(func(bucket string, key []byte) bool { return string(key) == "b" })
	if all == noB {
		t.Fatal("ignoring a key did not change the hash")
	}
	w := b.BeginWrite()
	must(t, w.CreateBucket("empty"))
	must(t, w.Commit())
	if b.Hash(nil) == all {
		t.Fatal("an empty bucket did not change the hash")
	}
	withEmpty := b.Hash(nil)
	ignoreB := func(bucket string, key []byte) bool { return string(key) == "b" }
	withEmptyNoB := b.Hash(ignoreB)
	putKeys(t, b, "kv", "b") // same value again: same hash
	equal(t, withEmpty, b.Hash(nil), "hash after rewriting the same value")
	w = b.BeginWrite()
	must(t, w.Put("kv", []byte("b"), []byte("other")))
	must(t, w.Commit())
	if b.Hash(nil) == withEmpty {
		t.Fatal("a changed value did not change the hash")
	}
	equal(t, withEmptyNoB, b.Hash(ignoreB), "hash ignoring the changed key")
}

func testSnapshot(t *testing.T, impl implementation) {
	b := impl.open(t)
	fill(t, b, 0, 3000, 50, 300)
	w := b.BeginWrite()
	must(t, w.CreateBucket("meta"))
	must(t, w.Put("meta", []byte("consistent_index"), []byte{0, 0, 0, 7}))
	must(t, w.Put("kv", []byte("big"), bytes.Repeat([]byte{'b'}, 3*4096))) // overflow pages
	for i := 0; i < 3000; i += 3 {
		must(t, w.Delete("kv", key(i)))
	}
	must(t, w.Commit())
	var buf bytes.Buffer
	n, err := b.WriteTo(&buf)
	must(t, err)
	equal(t, int64(buf.Len()), n, "bytes written")
	restored := impl.restore(t, buf.Bytes())
	equal(t, b.Hash(nil), restored.Hash(nil), "hash of the restored file")
	fill(t, restored, 5000, 100, 10, 100) // the restored file takes writes
	if restored.Hash(nil) == b.Hash(nil) {
		t.Fatal("writes to the restored file did not change it")
	}
}

// testRandomAgainstModel runs random transactions of puts, seq puts and
// deletes, committed or rolled back, and compares the whole bucket with a
// map after each, and the reads of the writer before each commit.
func testRandomAgainstModel(t *testing.T, impl implementation) {
	for seed := uint64(1); seed <= 5; seed++ {
		r := rng.New(seed)
		b := impl.open(t)
		model := map[string]string{}
		appended := 0 // keys z000001, z000002, ... are SeqPut: each sorts after all before
		putKeys(t, b, "b")
		for op := 0; op < 120; op++ {
			w := b.BeginWrite()
			changed := randomWrites(t, r, w, model, &appended)
			if err := compare(w, changed); err != nil {
				t.Fatalf("seed %d op %d: the writer: %v", seed, op, err)
			}
			if r.Chance(0.1) {
				w.Rollback()
			} else {
				must(t, w.Commit())
				model = changed
			}
			rd := b.BeginRead()
			err := compare(rd, model)
			rd.Rollback()
			if err != nil {
				t.Fatalf("seed %d op %d: %v (replay: go test -run 'TestInterchangeable/random.*/%s')", seed, op, err, impl.name)
			}
		}
	}
}

// randomWrites applies up to 40 random writes to w and returns the model as
// w should now read.
func randomWrites(t *testing.T, r *rng.Source, w backend.WriteTx, model map[string]string, appended *int) map[string]string {
	next := make(map[string]string, len(model))
	for k, v := range model {
		next[k] = v
	}
	for i := r.Intn(40); i >= 0; i-- {
		k := fmt.Sprintf("k%04d", r.Intn(2000))
		v := string(bytes.Repeat([]byte{byte('a' + r.Intn(26))}, r.Intn(300)))
		if r.Chance(0.02) {
			v = string(bytes.Repeat([]byte{'o'}, 8192+r.Intn(4096)))
		}
		switch {
		case r.Chance(0.4):
			must(t, w.Delete("b", []byte(k)))
			delete(next, k)
		case r.Chance(0.1):
			*appended++
			k = fmt.Sprintf("z%06d", *appended)
			must(t, w.SeqPut("b", []byte(k), []byte(v)))
			next[k] = v
		default:
			must(t, w.Put("b", []byte(k), []byte(v)))
			next[k] = v
		}
	}
	return next
}

// compare checks that tx reads exactly model from bucket "b".
func compare(tx backend.ReadTx, model map[string]string) error {
	want := make([]string, 0, len(model))
	for k := range model {
		want = append(want, k)
	}
	sort.Strings(want)
	keys, values := tx.Range("b", []byte{0}, []byte{}, 0)
	if len(keys) != len(want) {
		return fmt.Errorf("%d keys, the model has %d", len(keys), len(want))
	}
	for i := range keys {
		if string(keys[i]) != want[i] || string(values[i]) != model[want[i]] {
			return fmt.Errorf("pair %d: key %q (%d bytes), the model has %q (%d bytes)", i, keys[i], len(values[i]), want[i], len(model[want[i]]))
		}
	}
	if len(want) > 3 {
		k, _ := tx.Seek("b", []byte(want[2]+"\x00"))
		if string(k) != want[3] {
			return fmt.Errorf("seek after %q: %q, want %q", want[2], k, want[3])
		}
	}
	return nil
}
