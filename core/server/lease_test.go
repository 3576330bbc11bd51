package server

import (
	"errors"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

func putLease(k string, id lease.LeaseID) Request {
	return Request{Put: &mvcc.PutRequest{Key: []byte(k), Value: []byte("v"), Lease: int64(id)}}
}

// The leader's lessor finds the lease expired and proposes its revoke;
// every member deletes the lease's keys at the same revision, all of them
// in one revision.
func TestLeaseExpiryDeletesKeysEverywhere(t *testing.T) {
	c := newCluster(t, 3, 13, nil)
	l := c.leader()
	g := c.mustDo(l, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 3}}).LeaseGrant
	if g.TTLSeconds != 3 || g.ID == lease.NoLease {
		t.Fatalf("grant = %+v", g)
	}
	c.mustDo(l, putLease("a", g.ID))
	c.mustDo(l, putLease("b", g.ID))
	c.mustDo(l, put("plain", "1")) // revision 4
	if r := c.do((l+1)%3, Request{LeaseKeepAlive: &LeaseKeepAliveRequest{ID: g.ID}}); !errors.Is(r.Err, ErrNotLeader) {
		t.Fatalf("keep-alive on a follower: %v, want %v", r.Err, ErrNotLeader)
	}
	ttl := c.mustDo(l, Request{LeaseTimeToLive: &LeaseTimeToLiveRequest{ID: g.ID, Keys: true}}).LeaseTimeToLive
	if ttl.GrantedTTLSeconds != 3 || len(ttl.Keys) != 2 || ttl.TTLSeconds > 3 {
		t.Fatalf("time-to-live = %+v", ttl)
	}
	c.runUntil(func() bool {
		for _, n := range c.nodes {
			if _, ok := n.m.lessor.Lookup(g.ID); ok {
				return false
			}
		}
		return true
	}, 60)
	for _, n := range c.nodes {
		if n.m.store.Rev() != 5 {
			t.Fatalf("%s at revision %d, want the revoke at 5 (both keys in one revision)", n.info.Name, n.m.store.Rev())
		}
		r, _ := n.m.store.Range(mvcc.RangeRequest{Key: []byte("a"), RangeEnd: []byte("c")})
		if r.Count != 0 {
			t.Fatalf("%s still has the lease's keys: %+v", n.info.Name, r.Kvs)
		}
	}
	if !hasEvent(c.nodes[l].events, EvLeaseExpired) {
		t.Fatalf("no lease-expired event on the leader")
	}
	if r := c.do(l, Request{LeaseKeepAlive: &LeaseKeepAliveRequest{ID: g.ID}}); !errors.Is(r.Err, lease.ErrLeaseNotFound) {
		t.Fatalf("keep-alive of a revoked lease: %v", r.Err)
	}
}

// Keep-alives keep a lease past its TTL; an explicit revoke deletes its keys.
func TestLeaseKeepAliveAndRevoke(t *testing.T) {
	c := newCluster(t, 3, 14, nil)
	l := c.leader()
	g := c.mustDo(l, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 2}}).LeaseGrant
	c.mustDo(l, putLease("k", g.ID))
	for range 6 { // 6 × 1s > 2s TTL
		c.ticks(10)
		if ka := c.mustDo(l, Request{LeaseKeepAlive: &LeaseKeepAliveRequest{ID: g.ID}}).LeaseKeepAlive; ka.TTLSeconds != 2 {
			t.Fatalf("keep-alive = %+v", ka)
		}
	}
	if r := c.mustDo(l, get("k", false)); len(r.Range.Kvs) != 1 {
		t.Fatalf("a kept-alive lease's key is gone")
	}
	rev := c.mustDo(l, Request{LeaseRevoke: &LeaseRevokeRequest{ID: g.ID}})
	if rev.Header.Revision != 3 {
		t.Fatalf("revoke at revision %d, want 3", rev.Header.Revision)
	}
	if r := c.do(l, Request{LeaseRevoke: &LeaseRevokeRequest{ID: g.ID}}); !errors.Is(r.Err, lease.ErrLeaseNotFound) {
		t.Fatalf("second revoke: %v", r.Err)
	}
	if r := c.do(l, putLease("k2", g.ID)); !errors.Is(r.Err, mvcc.ErrLeaseNotFound) {
		t.Fatalf("put with a revoked lease: %v", r.Err)
	}
}

// A leader change restarts the countdown from the full TTL plus an
// election timeout on the new leader, so a lease never expires early
// because its leader died; it does expire later if nobody keeps it alive.
func TestLeaderChangeDoesNotExpireLeaseEarly(t *testing.T) {
	c := newCluster(t, 3, 15, nil)
	old := c.leader()
	g := c.mustDo(old, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 5}}).LeaseGrant
	c.mustDo(old, putLease("k", g.ID))
	granted := c.nodes[old].m.Now()
	c.ticks(30) // 3s of the 5s TTL pass
	c.isolate(old)
	c.runUntil(func() bool { l := c.leader(); return l >= 0 && l != old }, 100)
	nl := c.leader()
	// The old leader's expiry (granted + 5s) passes; the key survives.
	for c.nodes[old].m.Now() < granted+7_000_000_000 {
		c.tick()
	}
	if r := c.mustDo(nl, get("k", false)); len(r.Range.Kvs) != 1 {
		t.Fatalf("the lease expired early, 7s after its grant with a 5s TTL across a leader change")
	}
	if r := c.mustDo(nl, Request{LeaseTimeToLive: &LeaseTimeToLiveRequest{ID: g.ID}}).LeaseTimeToLive; r.TTLSeconds <= 0 {
		t.Fatalf("new leader's time-to-live = %+v", r)
	}
	c.runUntil(func() bool { _, ok := c.nodes[nl].m.lessor.Lookup(g.ID); return !ok }, 100)
	if r := c.mustDo(nl, get("k", false)); len(r.Range.Kvs) != 0 {
		t.Fatalf("the expired lease's key survived on the new leader")
	}
}

// deleteOps splits many keys into nested txns within the op budget, and
// the revoke still deletes them all in one revision.
func TestRevokeManyKeysInOneRevision(t *testing.T) {
	for _, n := range []int{1, 128, 129, 5000} {
		keys := make([]string, n)
		for i := range keys {
			keys[i] = string(rune('a'+i%26)) + string(rune(i))
		}
		if err := mvcc.ValidateTxn(mvcc.TxnRequest{Success: deleteOps(keys, 128)}); err != nil {
			t.Fatalf("%d keys: %v", n, err)
		}
	}
	c := newCluster(t, 1, 16, nil)
	g := c.mustDo(0, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 60}}).LeaseGrant
	for i := range 300 {
		c.mustDo(0, putLease(string(rune('a'+i%26))+string(rune('0'+i/26)), g.ID))
	}
	resp := c.mustDo(0, Request{LeaseRevoke: &LeaseRevokeRequest{ID: g.ID}})
	if resp.Header.Revision != 302 {
		t.Fatalf("revoke of 300 keys at revision %d, want 302 (one revision)", resp.Header.Revision)
	}
	if r := c.mustDo(0, Request{Range: &mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}}); r.Range.Count != 0 {
		t.Fatalf("%d keys left", r.Range.Count)
	}
}

// With checkpoints on, the leader records a long lease's remaining TTL in
// the log; every member applies it, so a new leader resumes from it rather
// than from the full TTL.
func TestLeaseCheckpoints(t *testing.T) {
	c := newCluster(t, 3, 20, func(cfg *Config) {
		cfg.EnableLeaseCheckpoint, cfg.LeaseCheckpointInterval = true, time.Second
	})
	l := c.leader()
	g := c.mustDo(l, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 30}}).LeaseGrant
	c.ticks(25)
	for _, n := range c.nodes {
		st, ok := n.m.lessor.Lookup(g.ID)
		if !ok || st.RemainingTTLSeconds <= 0 || st.RemainingTTLSeconds >= 30 {
			t.Fatalf("%s: lease %+v, want a checkpointed remaining TTL below 30s", n.info.Name, st)
		}
	}
	// The checkpoint is durable: a restarted member still has it.
	f := (l + 1) % 3
	c.crash(f)
	c.restart(f)
	if st, _ := c.nodes[f].m.lessor.Lookup(g.ID); st.RemainingTTLSeconds <= 0 {
		t.Fatalf("restarted member lost the checkpoint: %+v", st)
	}
}
