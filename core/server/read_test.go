package server

import (
	"errors"
	"testing"
)

// A leader cut off from the majority keeps answering serializable reads
// from its own state — stale once the majority moves on — while its
// linearizable reads fail: the read index needs a heartbeat quorum it
// cannot get, and it loses leadership (check quorum).
func TestPartitionedLeaderReads(t *testing.T) {
	c := newCluster(t, 3, 4, nil)
	old := c.leader()
	c.mustDo(old, put("x", "1"))
	c.isolate(old)
	lin := c.submit(old, get("x", false))
	c.runUntil(func() bool { l := c.leader(); return l >= 0 && l != old }, 200)
	c.mustDo(c.leader(), put("x", "2"))

	ser := c.do(old, get("x", true))
	if ser.Err != nil || string(ser.Range.Kvs[0].Value) != "1" {
		t.Fatalf("serializable read on the old leader = %+v, want the stale value 1", ser)
	}
	c.runUntil(func() bool { _, ok := c.nodes[old].responses[lin]; return ok }, 200)
	resp := c.nodes[old].responses[lin]
	if !errors.Is(resp.Err, ErrLeaderChanged) && !errors.Is(resp.Err, ErrTimeout) {
		t.Fatalf("linearizable read on the old leader = %+v, want leader changed or timeout", resp)
	}
	// Another linearizable read there: no leader known.
	if resp := c.do(old, get("x", false)); resp.Err == nil {
		t.Fatalf("linearizable read on the cut-off member succeeded: %+v", resp)
	}
	// Once healed it catches up and reads the new value linearizably.
	c.heal()
	c.runUntil(func() bool { return c.nodes[old].m.lead != 0 }, 100)
	resp = c.mustDo(old, get("x", false))
	if string(resp.Range.Kvs[0].Value) != "2" || resp.Header.Revision != 3 {
		t.Fatalf("linearizable read after heal = %+v, want 2 at revision 3", resp)
	}
	if len(c.nodes[old].m.reads) != 0 || len(c.nodes[old].m.busy) != 0 {
		t.Fatalf("reads left waiting: %d, busy %v", len(c.nodes[old].m.reads), c.nodes[old].m.busy)
	}
}

// A linearizable read on a follower sees a write that completed on the
// leader just before.
func TestFollowerLinearizableRead(t *testing.T) {
	c := newCluster(t, 3, 5, nil)
	l := c.leader()
	f := (l + 1) % 3
	// Hold back the follower's copy of the write: the follower has not
	// applied it when the read arrives, and must wait for it.
	c.isolate(f)
	c.mustDo(l, put("y", "new"))
	c.heal()
	resp := c.mustDo(f, get("y", false))
	if len(resp.Range.Kvs) != 1 || string(resp.Range.Kvs[0].Value) != "new" {
		t.Fatalf("follower linearizable read = %+v, want new", resp.Range)
	}
}
