package server

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/mvcc"
)

// The NOSPACE story end to end: fill past a tiny quota -> the alarm is
// raised through Raft on every member -> puts, txn puts and lease grants
// are refused, reads and deletes work -> compact, defragment every member,
// disarm -> puts work again.
func TestQuotaEndToEnd(t *testing.T) {
	const quota = 160 << 10
	c := newCluster(t, 3, 9, func(cfg *Config) { cfg.QuotaBackendBytes = quota })
	l := c.leader()
	value := strings.Repeat("v", 2048)
	var full Response
	for i := 0; ; i++ {
		if i > 200 {
			t.Fatalf("never ran out of space (size %d)", c.nodes[l].m.be.Size())
		}
		full = c.do(l, put(fmt.Sprintf("k%03d", i), value))
		if full.Err != nil {
			break
		}
	}
	if !errors.Is(full.Err, ErrNoSpace) {
		t.Fatalf("filling: %v, want %v", full.Err, ErrNoSpace)
	}
	c.ticks(3)
	for _, n := range c.nodes {
		if !n.m.alarms.has(AlarmNoSpace) {
			t.Fatalf("%s has no NOSPACE alarm: %+v", n.info.Name, n.m.alarms.list)
		}
	}
	alarms := c.mustDo(l, Request{Alarm: &AlarmRequest{Action: AlarmGet}}).Alarm.Alarms
	if len(alarms) != 1 || alarms[0] != (AlarmMember{MemberID: c.nodes[l].info.ID, Alarm: AlarmNoSpace}) {
		t.Fatalf("alarm list = %+v, want NOSPACE of the leader", alarms)
	}

	// Limited mode: no puts, no txn puts, no grants; reads and deletes work.
	for i, n := range c.nodes {
		if resp := c.do(i, put("tiny", "1")); !errors.Is(resp.Err, ErrNoSpace) {
			t.Fatalf("%s put under NOSPACE: %v", n.info.Name, resp.Err)
		}
	}
	txn := &mvcc.TxnRequest{Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: []byte("t"), Value: []byte("1")}}}}
	if resp := c.do(l, Request{Txn: txn}); !errors.Is(resp.Err, ErrNoSpace) {
		t.Fatalf("txn put under NOSPACE: %v", resp.Err)
	}
	if resp := c.do(l, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 10}}); !errors.Is(resp.Err, ErrNoSpace) {
		t.Fatalf("lease grant under NOSPACE: %v", resp.Err)
	}
	if resp := c.mustDo(l, get("k000", false)); len(resp.Range.Kvs) != 1 {
		t.Fatalf("read under NOSPACE: %+v", resp.Range)
	}
	del := c.mustDo(l, Request{DeleteRange: &mvcc.DeleteRangeRequest{Key: []byte("k"), RangeEnd: []byte("l")}})
	if del.DeleteRange.Deleted == 0 {
		t.Fatalf("delete under NOSPACE deleted nothing")
	}

	// Recovery: compact, defragment everywhere, disarm.
	c.mustDo(l, Request{Compaction: &CompactionRequest{Revision: del.Header.Revision}})
	c.tick()
	for _, n := range c.nodes {
		before := n.m.be.Size()
		if err := n.m.Defrag(); err != nil {
			t.Fatal(err)
		}
		if n.m.be.Size() >= before || n.m.be.Size() >= quota/2 {
			t.Fatalf("%s: defrag %d -> %d bytes, want well under the quota", n.info.Name, before, n.m.be.Size())
		}
	}
	if resp := c.do(l, put("tiny", "1")); !errors.Is(resp.Err, ErrNoSpace) {
		t.Fatalf("put before disarm: %v, want still %v", resp.Err, ErrNoSpace)
	}
	for _, am := range alarms {
		c.mustDo(l, Request{Alarm: &AlarmRequest{Action: AlarmDeactivate, MemberID: am.MemberID, Alarm: am.Alarm}})
	}
	c.tick()
	for i, n := range c.nodes {
		if n.m.alarms.has(AlarmNoSpace) {
			t.Fatalf("%s still has the alarm", n.info.Name)
		}
		c.mustDo(i, put(fmt.Sprintf("after-%d", i), "1"))
	}
}

// etcd's cost estimate: 256 bytes + key + value per put; the costlier txn
// branch; 64 bytes per lease.
func TestRequestCost(t *testing.T) {
	p := &mvcc.PutRequest{Key: []byte("ab"), Value: []byte("cde")}
	tests := []struct {
		r    Request
		want int
	}{
		{Request{Put: p}, 261},
		{Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 5}}, 64},
		{Request{DeleteRange: &mvcc.DeleteRangeRequest{Key: []byte("a")}}, 0},
		{Request{Txn: &mvcc.TxnRequest{Success: []mvcc.Op{{Put: p}, {Put: p}}, Failure: []mvcc.Op{{Put: p}}}}, 522},
		{Request{Txn: &mvcc.TxnRequest{Success: []mvcc.Op{{Range: &mvcc.RangeRequest{Key: []byte("a")}}}}}, 0},
	}
	for i, tt := range tests {
		if got := requestCost(tt.r); got != tt.want {
			t.Errorf("case %d: cost %d, want %d", i, got, tt.want)
		}
	}
}
