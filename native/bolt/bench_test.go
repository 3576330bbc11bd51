package bolt

// What a commit costs: one put per commit pays bbolt's two fsyncs (data
// pages, then the meta page) every time; a batch spreads them over many
// puts, which is why etcd applies many entries per backend commit.

import (
	"bytes"
	"testing"
)

// BenchmarkBoltPutCommit commits each 256-byte put on its own.
func BenchmarkBoltPutCommit(b *testing.B) {
	db := benchBackend(b)
	value := bytes.Repeat([]byte{'v'}, 256)
	b.SetBytes(int64(len(value)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		w := db.BeginWrite()
		if err := w.Put("kv", key(i), value); err != nil {
			b.Fatal(err)
		}
		if err := w.Commit(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkBoltBatch commits 256-byte puts 1000 at a time; one op is one
// put.
func BenchmarkBoltBatch(b *testing.B) {
	const batch = 1000
	db := benchBackend(b)
	value := bytes.Repeat([]byte{'v'}, 256)
	b.SetBytes(int64(len(value)))
	b.ResetTimer()
	w := db.BeginWrite()
	for i := 0; i < b.N; i++ {
		if err := w.Put("kv", key(i), value); err != nil {
			b.Fatal(err)
		}
		if (i+1)%batch == 0 {
			if err := w.Commit(); err != nil {
				b.Fatal(err)
			}
			w = db.BeginWrite()
		}
	}
	if err := w.Commit(); err != nil {
		b.Fatal(err)
	}
}

func benchBackend(b *testing.B) *Backend {
	db, err := Open(b.TempDir()+"/db", nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = db.Close() })
	w := db.BeginWrite()
	if err := w.CreateBucket("kv"); err != nil {
		b.Fatal(err)
	}
	if err := w.Commit(); err != nil {
		b.Fatal(err)
	}
	return db
}
