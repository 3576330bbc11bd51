package mvcc

// Benchmarks of the key space beyond put and range (bench_test.go): a
// compare-and-swap transaction, watch fan-out — what one put costs when it
// is delivered to 1, 100 and 10,000 watchers of its key — and the heap a
// stored key costs. Run with
//
//	go test -run '^$' -bench . -benchmem ./core/mvcc/

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
)

// BenchmarkTxnCAS: if value(key) = current then put key next, over 1,000
// keys, every compare holding.
func BenchmarkTxnCAS(b *testing.B) {
	s, _ := New(backend.NewMemory(), Config{})
	keys := make([][]byte, 1000)
	vals := make([][]byte, len(keys))
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("/locks/lock-%04d", i))
		vals[i] = []byte("v0")
		s.Put(PutRequest{Key: keys[i], Value: vals[i]})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := i % len(keys)
		next := []byte(fmt.Sprintf("v%d", i+1))
		resp, err := s.Txn(TxnRequest{
			Compare: []Compare{{Key: keys[k], Target: CompareValue, Result: CompareEqual, Value: vals[k]}},
			Success: []Op{{Put: &PutRequest{Key: keys[k], Value: next}}},
			Failure: []Op{{Range: &RangeRequest{Key: keys[k]}}},
		})
		if err != nil || !resp.Succeeded {
			b.Fatalf("cas on %s: succeeded=%v %v", keys[k], resp.Succeeded, err)
		}
		vals[k] = next
	}
}

// BenchmarkWatchFanOut: one put of a watched key, delivered to every
// watcher (each on its own stream, as separate clients are), counted
// until every stream has handed its event out. ns/op is the cost of one
// put with its whole fan-out; ns/delivery divides it by the watchers.
func BenchmarkWatchFanOut(b *testing.B) {
	for _, n := range []int{1, 100, 10_000} {
		b.Run(fmt.Sprintf("watchers=%d", n), func(b *testing.B) {
			s, _ := New(backend.NewMemory(), Config{})
			streams := make([]*Stream, n)
			for i := range streams {
				streams[i] = s.NewWatchStream()
				if _, err := streams[i].Watch(WatchRequest{Key: []byte("/config/feature")}); err != nil {
					b.Fatal(err)
				}
				streams[i].Responses() // the created response
			}
			value := make([]byte, 100)
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.Put(PutRequest{Key: []byte("/config/feature"), Value: value}); err != nil {
					b.Fatal(err)
				}
				for _, st := range streams {
					if got := st.Responses(); len(got) != 1 || len(got[0].Events) != 1 {
						b.Fatalf("a watcher got %d responses for one put", len(got))
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/delivery")
		})
	}
}

// BenchmarkMemoryPerKey: the heap (key index, backend pages, values) one
// stored key costs, for 100,000 keys of 50-byte names and 100-byte values,
// measured with runtime.MemStats after a GC before and after loading.
func BenchmarkMemoryPerKey(b *testing.B) {
	const keys = 100_000
	value := make([]byte, 100)
	names := make([][]byte, keys)
	for i := range names {
		names[i] = []byte(fmt.Sprintf("/registry/pods/namespace-%04d/pod-%018d", i/100, i))
	}
	var perKey float64
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		s, _ := New(backend.NewMemory(), Config{})
		for _, k := range names {
			if _, err := s.Put(PutRequest{Key: k, Value: value}); err != nil {
				b.Fatal(err)
			}
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		perKey = float64(after.HeapAlloc-before.HeapAlloc) / keys
		runtime.KeepAlive(s)
	}
	b.ReportMetric(perKey, "heap-bytes/key")
}
