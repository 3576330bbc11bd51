package server

// Benchmarks of the whole state machine of one member: a request goes
// through Submit, the Raft log (one voter: committed as soon as it is
// persisted), apply to mvcc on the in-memory backend, and comes back as a
// Response — everything but the disk and the network, which the caller
// (native/ or core/sim) provides. Run with
//
//	go test -run '^$' -bench . -benchmem ./core/server/

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/rng"
)

// benchMember is a single-voter member that leads.
func benchMember(b *testing.B) *Member {
	info := MemberInfo{ID: 1, Name: "n1", PeerURLs: []string{"http://n1:2380"}}
	m, err := New(Config{ID: 1, Name: "n1", ClusterToken: "bench", InitialCluster: []MemberInfo{info},
		Backend: backend.NewMemory(), Rand: rng.New(1)})
	if err != nil {
		b.Fatal(err)
	}
	if err := m.Campaign(); err != nil {
		b.Fatal(err)
	}
	for i := 0; i < 100 && m.RaftStatus().Role.String() != "leader"; i++ {
		drain(m)
		m.Tick()
	}
	drain(m)
	return m
}

// drain carries out m's Readys until it has none, returning the responses.
func drain(m *Member) []Response {
	var out []Response
	for m.HasReady() {
		rd := m.Ready()
		out = append(out, rd.Responses...)
		m.Advance(rd)
	}
	return out
}

// do submits r and drives m until it is answered.
func do(b *testing.B, m *Member, r Request) Response {
	m.Submit(r)
	for i := 0; i < 10; i++ {
		for _, resp := range drain(m) {
			if resp.ID == r.ID {
				if resp.Err != nil {
					b.Fatalf("request %d: %v", r.ID, resp.Err)
				}
				return resp
			}
		}
	}
	b.Fatalf("request %d not answered", r.ID)
	return Response{}
}

func BenchmarkMemberPut(b *testing.B) {
	m := benchMember(b)
	value := make([]byte, 100)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		key := []byte(fmt.Sprintf("/registry/pods/pod-%05d", i%10000))
		do(b, m, Request{ID: uint64(i + 1), Put: &mvcc.PutRequest{Key: key, Value: value}})
	}
}

// BenchmarkMemberRangeLinearizable: a linearizable get of one key among
// 1,000 (ReadIndex, then the read).
func BenchmarkMemberRangeLinearizable(b *testing.B) {
	m := benchMember(b)
	for i := 0; i < 1000; i++ {
		do(b, m, Request{ID: uint64(i + 1), Put: &mvcc.PutRequest{Key: []byte(fmt.Sprintf("k%04d", i)), Value: []byte("v")}})
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		resp := do(b, m, Request{ID: uint64(10_000 + i), Range: &mvcc.RangeRequest{Key: []byte(fmt.Sprintf("k%04d", i%1000))}})
		if len(resp.Range.Kvs) != 1 {
			b.Fatalf("get: %d keys", len(resp.Range.Kvs))
		}
	}
}

// BenchmarkMemberTxn: a compare-and-swap through the log.
func BenchmarkMemberTxn(b *testing.B) {
	m := benchMember(b)
	key := []byte("/locks/leader")
	do(b, m, Request{ID: 1, Put: &mvcc.PutRequest{Key: key, Value: []byte("v0")}})
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cur, next := []byte(fmt.Sprintf("v%d", i)), []byte(fmt.Sprintf("v%d", i+1))
		resp := do(b, m, Request{ID: uint64(i + 2), Txn: &mvcc.TxnRequest{
			Compare: []mvcc.Compare{{Key: key, Target: mvcc.CompareValue, Result: mvcc.CompareEqual, Value: cur}},
			Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: key, Value: next}}},
		}})
		if !resp.Txn.Succeeded {
			b.Fatalf("cas %s -> %s failed", cur, next)
		}
	}
}
