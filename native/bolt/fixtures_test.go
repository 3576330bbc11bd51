package bolt

// Test fixtures shared by this package's tests: temporary files, small
// writers, and assertions that report what was expected.

import (
	"bytes"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
)

// openTemp opens a new file in a temporary directory, closed at the end of
// the test.
func openTemp(t *testing.T) *Backend {
	t.Helper()
	return openPath(t, filepath.Join(t.TempDir(), "db"))
}

// openPath opens path, closed at the end of the test.
func openPath(t *testing.T, path string) *Backend {
	t.Helper()
	b, err := Open(path, nil)
	must(t, err)
	t.Cleanup(func() {
		if err := b.Close(); err != nil {
			t.Errorf("close: %v", err)
		}
	})
	return b
}

func key(i int) []byte { return []byte(fmt.Sprintf("key-%06d", i)) }

// begin starts a write transaction with bucket created.
func begin(t *testing.T, b backend.Backend, bucket string) backend.WriteTx {
	t.Helper()
	w := b.BeginWrite()
	must(t, w.CreateBucket(bucket))
	return w
}

// putKeys commits each key with the value "value of <key>".
func putKeys(t *testing.T, b backend.Backend, bucket string, keys ...string) {
	t.Helper()
	w := begin(t, b, bucket)
	for _, k := range keys {
		must(t, w.Put(bucket, []byte(k), []byte("value of "+k)))
	}
	must(t, w.Commit())
}

// fill writes n pairs of valueBytes each into bucket "kv", committing every
// batch pairs.
func fill(t *testing.T, b backend.Backend, from, n, valueBytes, batch int) {
	t.Helper()
	w := begin(t, b, "kv")
	for i := from; i < from+n; i++ {
		must(t, w.Put("kv", key(i), bytes.Repeat([]byte{'v'}, valueBytes)))
		if (i+1-from)%batch == 0 {
			must(t, w.Commit())
			w = b.BeginWrite()
		}
	}
	must(t, w.Commit())
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func equal(t *testing.T, want, got any, what string) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

func isNil(t *testing.T, got []byte, what string) {
	t.Helper()
	if got != nil {
		t.Fatalf("%s: got %q, want nil", what, got)
	}
}

func isErr(t *testing.T, want, got error) {
	t.Helper()
	if !errors.Is(got, want) {
		t.Fatalf("got error %v, want %v", got, want)
	}
}
