package server

import (
	"fmt"
	"testing"

	"github.com/etcdlab/etcdlab/core/mvcc"
)

// With BatchApply, a put and a txn whose compare reads that put's value
// commit in one backend transaction: the txn must see the put (batch.go:
// readers read through the open transaction), exactly as when every entry
// is its own commit.
func TestBatchApplyReadsEarlierEntriesOfTheBatch(t *testing.T) {
	for _, batched := range []bool{false, true} {
		t.Run(fmt.Sprint("batched=", batched), func(t *testing.T) {
			c := newCluster(t, 3, 5, func(cfg *Config) { cfg.BatchApply = batched })
			l := c.leader()
			m := c.nodes[l].m
			txn := &mvcc.TxnRequest{
				Compare: []mvcc.Compare{{Key: []byte("k"), Target: mvcc.CompareValue, Result: mvcc.CompareEqual, Value: []byte("v1")}},
				Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: []byte("k"), Value: []byte("v2")}}},
			}
			// Both proposals before any Ready: one MsgApp, one commit, one batch.
			m.Submit(Request{ID: 1, Put: &mvcc.PutRequest{Key: []byte("k"), Value: []byte("v1")}})
			m.Submit(Request{ID: 2, Txn: txn})
			most := 0
			c.manual = c.nodes[l]
			for range 50 {
				if m.HasReady() {
					rd := m.Ready()
					c.nodes[l].disk.persist(rd)
					c.msgs = append(c.msgs, rd.Messages...)
					most = max(most, len(rd.CommittedEntries))
					m.Advance(rd)
					for _, r := range rd.Responses {
						c.nodes[l].responses[r.ID] = r
					}
				}
				c.settle()
			}
			c.manual = nil
			if most < 2 {
				t.Fatalf("the two entries were never committed in one Ready (at most %d)", most)
			}
			resp, ok := c.nodes[l].responses[2]
			if !ok || resp.Err != nil || !resp.Txn.Succeeded || resp.Header.Revision != 3 {
				t.Fatalf("txn answer %+v (answered %v): want success at revision 3", resp, ok)
			}
			for _, n := range c.nodes {
				got, _ := n.m.store.Range(mvccRangeOf("k"))
				if len(got.Kvs) != 1 || string(got.Kvs[0].Value) != "v2" {
					t.Fatalf("%s: k = %+v, want v2", n.info.Name, got.Kvs)
				}
			}
		})
	}
}

// The random fault runs again with every member batching its applies: a
// crash between batches must lose nothing the consistent index claims.
func TestRandomFaultsBatchApply(t *testing.T) {
	for seed := uint64(200); seed < 220; seed++ {
		t.Run(fmt.Sprint("seed=", seed), func(t *testing.T) {
			randomRunTweaked(t, seed, func(cfg *Config) { cfg.BatchApply = true })
		})
	}
}
