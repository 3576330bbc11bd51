package lease

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// TestLeaderChangeExtends: a lease one tick from expiry on the old leader
// survives the leader change; the new leader gives it its TTL plus one
// election timeout, and the client's next keep-alive at the new leader works.
func TestLeaderChangeExtends(t *testing.T) {
	const election = time.Second
	n1, n2 := newPrimary(t), newTestLessor(t)
	for _, l := range []*Lessor{n1, n2} { // the grant applies on both members
		mustGrant(t, l, 1, 10, 0)
	}
	if got := n1.ExpiredLeases(9900 * time.Millisecond); len(got) != 0 {
		t.Fatalf("expired early: %v", got)
	}
	n1.Demote() // n1 loses leadership at 9.9 s, 100 ms before expiry
	if got := n1.ExpiredLeases(10 * time.Second); got != nil {
		t.Fatalf("demoted lessor expired %v", got)
	}
	n2.Promote(election, 10500*time.Millisecond)
	want := 10500*time.Millisecond + 10*time.Second + election
	if st, _ := n2.Lookup(1); st.Expiry != want {
		t.Fatalf("expiry after promotion %v, want %v", st.Expiry, want)
	}
	if got := n2.ExpiredLeases(want - time.Millisecond); len(got) != 0 {
		t.Fatalf("expired before the extended deadline: %v", got)
	}
	if ttl, err := n2.Renew(1, 12*time.Second); err != nil || ttl != 10 {
		t.Fatalf("keep-alive at the new leader = %d, %v", ttl, err)
	}
	if _, err := n1.Renew(1, 12*time.Second); !errors.Is(err, ErrNotPrimary) {
		t.Fatalf("keep-alive at the old leader = %v, want ErrNotPrimary", err)
	}
}

// TestPromoteResumesFromCheckpoint: a checkpointed remaining TTL, not the
// full TTL, is what a new leader counts down from.
func TestPromoteResumesFromCheckpoint(t *testing.T) {
	l := newTestLessor(t)
	mustGrant(t, l, 1, 100, 0)
	mustGrant(t, l, 2, 100, 0)
	if err := l.Checkpoint(1, 30, 0); err != nil {
		t.Fatal(err)
	}
	l.Promote(time.Second, time.Minute)
	for id, want := range map[LeaseID]time.Duration{1: time.Minute + 31*time.Second, 2: time.Minute + 101*time.Second} {
		if st, _ := l.Lookup(id); st.Expiry != want {
			t.Errorf("lease %v: expiry %v, want %v", id, st.Expiry, want)
		}
	}
}

func TestDemoteHoldsForever(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 1, 5, 0)
	mustGrant(t, l, 2, 50, 0)
	l.Demote()
	for _, id := range []LeaseID{1, 2} {
		if st, _ := l.Lookup(id); st.Expiry != Never {
			t.Fatalf("lease %v: expiry %v after Demote, want Never", id, st.Expiry)
		}
	}
	if l.IsPrimary() || l.ExpiredLeases(time.Hour) != nil {
		t.Fatal("a demoted lessor still acts as primary")
	}
	l.Promote(0, time.Hour)
	if got := l.ExpiredLeases(time.Hour + 5*time.Second); !slices.Equal(got, []LeaseID{1}) {
		t.Fatalf("after re-promotion: %v, want [1]", got)
	}
}

// TestPromoteSpreadsPile: when at least core.LeaseRevokeRate leases would
// expire together, the new leader lets 3/4 of the rate expire per second and
// pushes the rest back; below that count it changes nothing.
func TestPromoteSpreadsPile(t *testing.T) {
	const extend = time.Second
	base := 11 * time.Second // now 0 + TTL 10 s + extend 1 s
	target := 3 * core.LeaseRevokeRate / 4

	small := newTestLessor(t)
	for i := 1; i < core.LeaseRevokeRate; i++ {
		mustGrant(t, small, LeaseID(i), 10, 0)
	}
	small.Promote(extend, 0)
	for _, id := range small.Leases() {
		if st, _ := small.Lookup(id); st.Expiry != base {
			t.Fatalf("%d leases: lease %v moved to %v", core.LeaseRevokeRate-1, id, st.Expiry)
		}
	}

	n := 4 * core.LeaseRevokeRate
	pile := newTestLessor(t)
	for i := 1; i <= n; i++ {
		mustGrant(t, pile, LeaseID(i), 10, 0)
	}
	pile.Promote(extend, 0)
	perSecond := map[int64]int{}
	last := time.Duration(0)
	for _, id := range pile.Leases() { // ascending ID = the order they were spread in
		st, _ := pile.Lookup(id)
		if st.Expiry < base {
			t.Fatalf("lease %v expires at %v, before the extended deadline %v", id, st.Expiry, base)
		}
		if st.Expiry < last {
			t.Fatalf("lease %v moved before an earlier one", id)
		}
		last = st.Expiry
		perSecond[int64((st.Expiry-base)/time.Second)]++
	}
	if perSecond[0] != target {
		t.Fatalf("first second: %d expiries, want %d", perSecond[0], target)
	}
	for sec, count := range perSecond {
		if count > target+1 {
			t.Fatalf("second %d after the deadline: %d expiries, want at most %d", sec, count, target+1)
		}
	}
	if want := int64(n/target) + 1; int64(len(perSecond)) > want {
		t.Fatalf("spread over %d seconds, want at most %d", len(perSecond), want)
	}
}
