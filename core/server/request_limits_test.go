package server

// Config.MaxRequestBytes and Config.MaxTxnOps (etcd: --max-request-bytes,
// --max-txn-ops) raise the limits as well as lower them; they are checked
// when a request is admitted, so a member with a lower limit still applies
// what a member with a higher one admitted.

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// putsTxn is a txn of n puts of distinct keys.
func putsTxn(n int) Request {
	t := &mvcc.TxnRequest{}
	for i := range n {
		t.Success = append(t.Success, mvcc.Op{Put: &mvcc.PutRequest{Key: []byte(fmt.Sprintf("k%03d", i)), Value: []byte("v")}})
	}
	return Request{Txn: t}
}

func TestRequestLimitsRaised(t *testing.T) {
	c := newCluster(t, 3, 11, func(cfg *Config) {
		cfg.MaxRequestBytes = 3 << 20
		cfg.MaxTxnOps = 200
	})
	l := c.leader()
	big := strings.Repeat("x", 2<<20)
	c.mustDo(l, put("big", big))
	c.mustDo(l, putsTxn(150))
	if resp := c.do(l, putsTxn(201)); !errors.Is(resp.Err, mvcc.ErrTooManyOps) {
		t.Fatalf("201-op txn: %v, want %v", resp.Err, mvcc.ErrTooManyOps)
	}
	if resp := c.do(l, put("huge", strings.Repeat("x", 3<<20))); !errors.Is(resp.Err, ErrRequestTooLarge) {
		t.Fatalf("3 MiB put: %v, want %v", resp.Err, ErrRequestTooLarge)
	}
	for i := range c.nodes {
		resp := c.mustDo(i, get("big", true))
		if len(resp.Range.Kvs) != 1 || len(resp.Range.Kvs[0].Value) != len(big) {
			t.Fatalf("%s does not hold the 2 MiB value", c.nodes[i].info.Name)
		}
		if resp := c.mustDo(i, get("k149", true)); len(resp.Range.Kvs) != 1 {
			t.Fatalf("%s did not apply the 150-op txn", c.nodes[i].info.Name)
		}
	}
}

func TestRequestLimitsDefaultAndLowered(t *testing.T) {
	c := newCluster(t, 1, 12, nil)
	if resp := c.do(0, putsTxn(core.MaxTxnOps+1)); !errors.Is(resp.Err, mvcc.ErrTooManyOps) {
		t.Fatalf("default: %d-op txn: %v, want %v", core.MaxTxnOps+1, resp.Err, mvcc.ErrTooManyOps)
	}
	c.mustDo(0, putsTxn(core.MaxTxnOps))

	low := newCluster(t, 1, 13, func(cfg *Config) { cfg.MaxRequestBytes, cfg.MaxTxnOps = 1024, 4 })
	if resp := low.do(0, putsTxn(5)); !errors.Is(resp.Err, mvcc.ErrTooManyOps) {
		t.Fatalf("lowered: 5-op txn: %v, want %v", resp.Err, mvcc.ErrTooManyOps)
	}
	if resp := low.do(0, put("k", strings.Repeat("x", 2048))); !errors.Is(resp.Err, ErrRequestTooLarge) {
		t.Fatalf("lowered: 2 KiB put: %v, want %v", resp.Err, ErrRequestTooLarge)
	}
	low.mustDo(0, putsTxn(4))
}

// TestTxnOpsCheckedOnlyOnAdmission: the leader admits 150 operations; the
// followers, whose own limit is the default 128, apply them all the same
// (etcd counts only in front of Raft), so no member diverges.
func TestTxnOpsCheckedOnlyOnAdmission(t *testing.T) {
	var leaderID = MemberID([]string{"http://n1:2380"}, "test-token", 0)
	c := newCluster(t, 3, 14, func(cfg *Config) {
		if cfg.ID == leaderID {
			cfg.MaxTxnOps = 200
		}
	})
	l := c.leader()
	if c.nodes[l].info.ID != leaderID {
		t.Fatalf("n1 should lead (it campaigned), %s does", c.nodes[l].info.Name)
	}
	c.mustDo(l, putsTxn(150))
	for i := range c.nodes {
		if resp := c.mustDo(i, get("k149", true)); len(resp.Range.Kvs) != 1 {
			t.Fatalf("%s did not apply the txn its own limit would refuse", c.nodes[i].info.Name)
		}
	}
	follower := (l + 1) % 3
	if resp := c.do(follower, putsTxn(150)); !errors.Is(resp.Err, mvcc.ErrTooManyOps) {
		t.Fatalf("a follower admits against its own limit: %v, want %v", resp.Err, mvcc.ErrTooManyOps)
	}
}
