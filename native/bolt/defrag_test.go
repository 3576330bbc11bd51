package bolt

// Defrag on a real file: the file on disk shrinks, the swap leaves no
// temporary file behind, the result survives a reopen, and bbolt's own
// consistency check finds nothing wrong with it.

import (
	"os"
	"path/filepath"
	"testing"

	bbolt "go.etcd.io/bbolt"
)

func TestDefragShrinksTheFileOnDisk(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "db")
	b, err := Open(path, nil)
	must(t, err)
	fill(t, b, 0, 40_000, 500, 5000) // ~20 MB of values: past bbolt's first growth chunk
	w := b.BeginWrite()
	for i := 0; i < 40_000; i++ {
		if i%20 != 0 {
			must(t, w.Delete("kv", key(i)))
		}
	}
	must(t, w.Commit())
	before, diskBefore := b.Size(), fileBytes(t, path)
	hash := b.Hash(nil)
	must(t, b.Defrag())
	after, diskAfter := b.Size(), fileBytes(t, path)
	t.Logf("defrag: Size %d -> %d bytes, on disk %d -> %d", before, after, diskBefore, diskAfter)
	if after*10 > before || diskAfter >= diskBefore {
		t.Fatalf("defrag did not shrink the file: Size %d -> %d, on disk %d -> %d", before, after, diskBefore, diskAfter)
	}
	checkBolt(t, b)
	must(t, b.Close())

	entries, err := os.ReadDir(dir)
	must(t, err)
	if len(entries) != 1 {
		t.Fatalf("defrag left files behind: %v", entries)
	}
	b = openPath(t, path)
	equal(t, hash, b.Hash(nil), "hash after defrag and reopen")
	equal(t, after, b.Size(), "size after defrag and reopen")
}

func TestDefragRetiresTheOldFileWithItsLastReader(t *testing.T) {
	b := openTemp(t)
	fill(t, b, 0, 100, 10, 100)
	r1, r2 := b.BeginRead(), b.BeginRead()
	old := b.db
	must(t, b.Defrag())
	must(t, b.Defrag()) // a second generation while the first is still read
	equal(t, 2, b.readers[old], "readers of the first generation")
	r1.Rollback()
	equal(t, 1, b.readers[old], "readers of the first generation")
	r2.Rollback()
	equal(t, 0, len(b.readers), "generations with readers")
	if _, err := old.Begin(false); err == nil {
		t.Fatal("the first generation is still open after its last reader")
	}
}

func fileBytes(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	must(t, err)
	return info.Size()
}

// checkBolt runs bbolt's consistency check on the current file.
func checkBolt(t *testing.T, b *Backend) {
	t.Helper()
	must(t, b.db.View(func(tx *bbolt.Tx) error {
		for err := range tx.Check() {
			t.Errorf("bbolt check: %v", err)
		}
		return nil
	}))
}
