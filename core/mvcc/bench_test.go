package mvcc

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
)

// BenchmarkPut: one put per revision over 10,000 keys, values of 100 bytes.
func BenchmarkPut(b *testing.B) {
	s, _ := New(backend.NewMemory(), Config{})
	keys := make([][]byte, 10000)
	for i := range keys {
		keys[i] = []byte(fmt.Sprintf("/registry/pods/default/pod-%05d", i))
	}
	value := make([]byte, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Put(PutRequest{Key: keys[i%len(keys)], Value: value}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRange: a prefix range of 100 keys out of 10,000.
func BenchmarkRange(b *testing.B) {
	s, _ := New(backend.NewMemory(), Config{})
	value := make([]byte, 100)
	for i := 0; i < 10000; i++ {
		s.Put(PutRequest{Key: []byte(fmt.Sprintf("/registry/pods/ns%03d/pod-%05d", i/100, i)), Value: value})
	}
	req := RangeRequest{Key: []byte("/registry/pods/ns042/"), RangeEnd: []byte("/registry/pods/ns0420")}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp, err := s.Range(req)
		if err != nil || len(resp.Kvs) != 100 {
			b.Fatalf("range: %d keys, %v", len(resp.Kvs), err)
		}
	}
}
