package server

import (
	"errors"
	"testing"
)

// Proposals that never commit are answered with a timeout within the
// request timeout, and nothing is left waiting.
func TestWaitersTimeOut(t *testing.T) {
	c := newCluster(t, 3, 6, nil)
	l := c.leader()
	f := (l + 1) % 3
	c.isolate(f)
	// The follower still believes in the leader for a while: its proposal is
	// forwarded into the void.
	id := c.submit(f, put("lost", "1"))
	timeout := int(c.nodes[f].m.cfg.requestTimeoutTicks())
	if timeout != 70 {
		t.Fatalf("request timeout = %d ticks, want etcd's 5s + 2 × 1s = 70", timeout)
	}
	for range timeout - 1 {
		c.tick()
		if _, ok := c.nodes[f].responses[id]; ok {
			t.Fatalf("answered before the timeout: %+v", c.nodes[f].responses[id])
		}
	}
	c.tick()
	resp, ok := c.nodes[f].responses[id]
	if !ok || !(errors.Is(resp.Err, ErrTimeout) || errors.Is(resp.Err, ErrTimeoutDueToLeaderFail)) {
		t.Fatalf("after the timeout: %+v, %v; want a timeout", resp, ok)
	}
	if n := len(c.nodes[f].m.waits); n != 0 {
		t.Fatalf("%d waiters leaked", n)
	}
	// A member that knows no leader refuses at once.
	c.runUntil(func() bool { return c.nodes[f].m.lead == 0 }, 100)
	if resp := c.do(f, put("x", "1")); !errors.Is(resp.Err, ErrNoLeader) {
		t.Fatalf("put without a leader: %v, want %v", resp.Err, ErrNoLeader)
	}
}

// A write lost with a deposed leader times out "due to previous leader
// failure".
func TestWaiterOfDeposedLeader(t *testing.T) {
	c := newCluster(t, 3, 7, nil)
	old := c.leader()
	c.isolate(old)
	id := c.submit(old, put("z", "1"))
	c.runUntil(func() bool { _, ok := c.nodes[old].responses[id]; return ok }, 100)
	if resp := c.nodes[old].responses[id]; !errors.Is(resp.Err, ErrTimeoutDueToLeaderFail) {
		t.Fatalf("deposed leader's write: %v, want %v", resp.Err, ErrTimeoutDueToLeaderFail)
	}
	c.heal()
	c.ticks(30)
	for _, n := range c.nodes {
		if r, _ := n.m.store.Range(mvccRangeOf("z")); len(r.Kvs) != 0 {
			t.Fatalf("%s holds the lost write", n.info.Name)
		}
	}
	if resp := c.do(old, Request{ID: 1, Put: put("a", "b").Put}); resp.Err != nil {
		t.Fatalf("write after heal: %v", resp.Err)
	}
}

// Duplicate request IDs are refused while the first waits.
func TestDuplicateRequestID(t *testing.T) {
	c := newCluster(t, 3, 8, nil)
	f := (c.leader() + 1) % 3
	c.isolate(f)
	r := put("d", "1")
	r.ID = 42
	c.nodes[f].m.Submit(r)
	c.nodes[f].m.Submit(r)
	c.settle()
	if resp := c.nodes[f].responses[42]; !errors.Is(resp.Err, ErrDuplicateRequestID) {
		t.Fatalf("duplicate: %+v, want %v", resp, ErrDuplicateRequestID)
	}
	if !c.nodes[f].m.busy[42] {
		t.Fatalf("the duplicate's refusal forgot the first request")
	}
}
