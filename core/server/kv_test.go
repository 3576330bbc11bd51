package server

import (
	"errors"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// etcd's first example: `put foo bar` on a fresh cluster answers revision
// 2, with the cluster's and the member's IDs and the Raft term.
func TestPutOnFreshClusterIsRevision2(t *testing.T) {
	c := newCluster(t, 3, 1, nil)
	l := c.leader()
	resp := c.mustDo(l, put("foo", "bar"))
	ids := []raft.NodeID{c.infos[0].ID, c.infos[1].ID, c.infos[2].ID}
	if resp.Header.Revision != 2 || resp.Put.Revision != 2 {
		t.Fatalf("revision = %d/%d, want 2", resp.Header.Revision, resp.Put.Revision)
	}
	if resp.Header.ClusterID != ClusterID(ids) || resp.Header.MemberID != uint64(c.nodes[l].info.ID) {
		t.Fatalf("header = %+v, want cluster %x member %x", resp.Header, ClusterID(ids), uint64(c.nodes[l].info.ID))
	}
	if resp.Header.RaftTerm != c.nodes[l].m.term || resp.Header.RaftTerm == 0 {
		t.Fatalf("header term = %d, member term %d", resp.Header.RaftTerm, c.nodes[l].m.term)
	}
	// A follower answers too (its proposal is forwarded), and every member
	// holds foo at revision 2.
	f := (l + 1) % 3
	resp = c.mustDo(f, put("foo", "baz"))
	if resp.Header.Revision != 3 || resp.Header.MemberID != uint64(c.nodes[f].info.ID) {
		t.Fatalf("follower put header = %+v, want revision 3 from the follower", resp.Header)
	}
	c.tick()
	for _, n := range c.nodes {
		got, err := n.m.store.Range(mvcc.RangeRequest{Key: []byte("foo")})
		if err != nil || len(got.Kvs) != 1 || string(got.Kvs[0].Value) != "baz" || got.Kvs[0].CreateRevision != 2 || got.Kvs[0].Version != 2 {
			t.Fatalf("%s: foo = %+v, %v", n.info.Name, got.Kvs, err)
		}
	}
}

func TestTxnAndValidation(t *testing.T) {
	c := newCluster(t, 3, 2, nil)
	l := c.leader()
	c.mustDo(l, put("k", "v1"))
	txn := &mvcc.TxnRequest{
		Compare: []mvcc.Compare{{Key: []byte("k"), Target: mvcc.CompareValue, Result: mvcc.CompareEqual, Value: []byte("v1")}},
		Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: []byte("k"), Value: []byte("v2")}}, {Put: &mvcc.PutRequest{Key: []byte("other"), Value: []byte("x")}}},
		Failure: []mvcc.Op{{Range: &mvcc.RangeRequest{Key: []byte("k")}}},
	}
	resp := c.mustDo(l, Request{Txn: txn})
	if !resp.Txn.Succeeded || resp.Header.Revision != 3 {
		t.Fatalf("txn = %+v header %+v, want success at revision 3", resp.Txn, resp.Header)
	}
	resp = c.mustDo(l, Request{Txn: txn}) // k is v2 now: the failure branch reads
	if resp.Txn.Succeeded || string(resp.Txn.Responses[0].Range.Kvs[0].Value) != "v2" || resp.Header.Revision != 3 {
		t.Fatalf("second txn = %+v, want the failure branch reading v2 at revision 3", resp.Txn)
	}
	dup := &mvcc.TxnRequest{Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: []byte("a")}}, {Put: &mvcc.PutRequest{Key: []byte("a")}}}}
	if resp := c.do(l, Request{Txn: dup}); !errors.Is(resp.Err, mvcc.ErrDuplicateKey) {
		t.Fatalf("duplicate txn: %v, want %v", resp.Err, mvcc.ErrDuplicateKey)
	}
	big := &mvcc.TxnRequest{}
	for range core.MaxTxnOps + 1 {
		big.Success = append(big.Success, mvcc.Op{Range: &mvcc.RangeRequest{Key: []byte("a")}})
	}
	if resp := c.do(l, Request{Txn: big}); !errors.Is(resp.Err, mvcc.ErrTooManyOps) {
		t.Fatalf("big txn: %v, want %v", resp.Err, mvcc.ErrTooManyOps)
	}
	huge := put("h", string(make([]byte, core.MaxRequestBytes)))
	if resp := c.do(l, huge); !errors.Is(resp.Err, ErrRequestTooLarge) {
		t.Fatalf("huge put: %v, want %v", resp.Err, ErrRequestTooLarge)
	}
	if resp := c.do(l, Request{}); !errors.Is(resp.Err, ErrEmptyRequest) {
		t.Fatalf("empty request: %v, want %v", resp.Err, ErrEmptyRequest)
	}
	if resp := c.do(l, put("", "x")); !errors.Is(resp.Err, mvcc.ErrEmptyKey) {
		t.Fatalf("empty key: %v, want %v", resp.Err, mvcc.ErrEmptyKey)
	}
}

func TestCompactionErrors(t *testing.T) {
	c := newCluster(t, 3, 3, nil)
	l := c.leader()
	for _, v := range []string{"1", "2", "3"} {
		c.mustDo(l, put("k", v)) // revisions 2, 3, 4
	}
	if resp := c.do(l, Request{Compaction: &CompactionRequest{Revision: 9}}); !errors.Is(resp.Err, mvcc.ErrFutureRev) {
		t.Fatalf("compact future: %v, want %v", resp.Err, mvcc.ErrFutureRev)
	}
	resp := c.mustDo(l, Request{Compaction: &CompactionRequest{Revision: 3}})
	if resp.Header.Revision != 4 {
		t.Fatalf("compaction header revision = %d, want 4", resp.Header.Revision)
	}
	if resp := c.do(l, Request{Compaction: &CompactionRequest{Revision: 3}}); !errors.Is(resp.Err, mvcc.ErrCompacted) {
		t.Fatalf("compact again: %v, want %v", resp.Err, mvcc.ErrCompacted)
	}
	if resp := c.do(l, Request{Range: &mvcc.RangeRequest{Key: []byte("k"), Revision: 2}}); !errors.Is(resp.Err, mvcc.ErrCompacted) {
		t.Fatalf("read below compaction: %v, want %v", resp.Err, mvcc.ErrCompacted)
	}
	resp = c.mustDo(l, Request{Range: &mvcc.RangeRequest{Key: []byte("k"), Revision: 3}})
	if string(resp.Range.Kvs[0].Value) != "2" {
		t.Fatalf("read at the compact revision = %q, want 2", resp.Range.Kvs[0].Value)
	}
	c.tick()
	for _, n := range c.nodes {
		if n.m.store.CompactRev() != 3 {
			t.Fatalf("%s compacted at %d, want 3 on every member", n.info.Name, n.m.store.CompactRev())
		}
	}
}
