package bolt

// Size is cached (backend.go): it must still be exactly bbolt's Tx.Size of
// the last commit — after opening, after every commit (not before: an open
// writer's pages do not count), after a rollback (unchanged) and after
// Defrag.

import (
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

func TestSizeIsTheLastCommitsHighWaterMark(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	b, err := Open(path, nil)
	must(t, err)
	fresh := func() int64 {
		var size int64
		b.view(func(tx *bbolt.Tx) { size = tx.Size() })
		return size
	}
	equal(t, b.Size(), fresh(), "size after open")
	for round := 0; round < 3; round++ {
		before := b.Size()
		w := b.BeginWrite()
		must(t, w.CreateBucket("kv"))
		for i := 0; i < 2000; i++ {
			must(t, w.Put("kv", key(round*2000+i), make([]byte, 1000)))
		}
		equal(t, b.Size(), before, "size while the writer is open")
		must(t, w.Commit())
		if b.Size() <= before {
			t.Fatalf("round %d: size %d after committing 2 MB, was %d", round, b.Size(), before)
		}
		equal(t, b.Size(), fresh(), "size after a commit")
	}
	grown := b.Size()
	w := b.BeginWrite()
	must(t, w.Put("kv", key(-1), make([]byte, 1<<20)))
	w.Rollback()
	equal(t, b.Size(), grown, "size after a rollback")
	w = b.BeginWrite()
	for i := 0; i < 6000; i++ {
		must(t, w.Delete("kv", key(i)))
	}
	must(t, w.Commit())
	must(t, b.Defrag())
	if b.Size() >= grown {
		t.Fatalf("size %d after deleting everything and defragmenting, was %d", b.Size(), grown)
	}
	equal(t, b.Size(), fresh(), "size after defrag")
	must(t, b.Close())
}
