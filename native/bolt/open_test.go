package bolt

// Opening: commits survive a close, a damaged file is refused with
// ErrCorrupt instead of crashing the process, and a file someone else holds
// is refused with ErrLocked instead of hanging.

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestReopenKeepsCommits(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	b, err := Open(path, nil)
	must(t, err)
	fill(t, b, 0, 2000, 64, 250)
	w := b.BeginWrite()
	must(t, w.Put("kv", []byte("uncommitted"), []byte("x")))
	w.Rollback()
	hash, size := b.Hash(nil), b.Size()
	must(t, b.Close())
	must(t, b.Close()) // twice is fine

	b = openPath(t, path)
	equal(t, hash, b.Hash(nil), "hash after reopening")
	equal(t, size, b.Size(), "size after reopening")
	r := b.BeginRead()
	defer r.Rollback()
	isNil(t, r.Get("kv", []byte("uncommitted")), "a rolled back write after reopening")
	equal(t, 64, len(r.Get("kv", key(1999))), "the last committed value")
}

func TestCloseRefusesOpenTransactions(t *testing.T) {
	b := openTemp(t)
	w := b.BeginWrite()
	if err := b.Close(); err == nil || !strings.Contains(err.Error(), "write transaction is open") {
		t.Fatalf("close with an open writer: %v", err)
	}
	w.Rollback()
	r := b.BeginRead()
	if err := b.Close(); err == nil || !strings.Contains(err.Error(), "1 read transactions are open") {
		t.Fatalf("close with an open reader: %v", err)
	}
	r.Rollback()
	must(t, b.Close())
	func() {
		defer func() {
			if recover() == nil {
				t.Fatal("BeginRead on a closed backend did not panic")
			}
		}()
		b.BeginRead()
	}()
	isErr(t, ErrClosed, b.Defrag())
}

func TestOpenLockedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "db")
	first := openPath(t, path)
	// bbolt's flock belongs to the open file description, so a second Open
	// in this process is refused just as another process would be.
	_, err := Open(path, &Options{OpenTimeout: 100 * time.Millisecond})
	isErr(t, ErrLocked, err)
	if !strings.Contains(err.Error(), "database is in use") || !strings.Contains(err.Error(), path) {
		t.Fatalf("the error does not say what is in use: %v", err)
	}
	must(t, first.Close())
	second, err := Open(path, &Options{OpenTimeout: 100 * time.Millisecond})
	must(t, err)
	must(t, second.Close())
}

func TestOpenCorruptFile(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good")
	b, err := Open(good, nil)
	must(t, err)
	fill(t, b, 0, 3000, 100, 3000)
	must(t, b.Close())
	data, err := os.ReadFile(good)
	must(t, err)
	const page = 4096

	bothMetas := clone(data)
	bothMetas[pageHeaderBytes] ^= 0xff      // meta 0's magic
	bothMetas[page+pageHeaderBytes+60] ^= 1 // meta 1's checksum
	cases := []struct {
		name, want string
		data       []byte
	}{
		{"not a bbolt file", "no valid meta page", bytes.Repeat([]byte("not a database "), 1000)},
		{"both meta pages damaged", "no valid meta page", bothMetas},
		{"truncated", "is truncated", data[:len(data)/40]},
		{"shorter than a meta page", "no valid meta page", data[:20]},
	}
	for _, c := range cases {
		path := filepath.Join(dir, strings.ReplaceAll(c.name, " ", "-"))
		must(t, os.WriteFile(path, c.data, 0o600))
		_, err := Open(path, nil)
		isErr(t, ErrCorrupt, err)
		if !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %q does not say %q", c.name, err, c.want)
		}
	}

	// One damaged meta page is survivable: bbolt falls back to the other,
	// which describes the commit before.
	oneMeta := clone(data)
	oneMeta[pageHeaderBytes+60] ^= 1
	path := filepath.Join(dir, "one-meta")
	must(t, os.WriteFile(path, oneMeta, 0o600))
	b = openPath(t, path)
	if b.Size() == 0 {
		t.Fatal("a file with one good meta page opened empty")
	}
}

func TestOpenInMissingDirectory(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "missing-dir", "db"), nil)
	if err == nil || errors.Is(err, ErrCorrupt) || errors.Is(err, ErrLocked) {
		t.Fatalf("open in a missing directory: %v", err)
	}
}
