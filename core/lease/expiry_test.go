package lease

import (
	"slices"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

// TestExpiryOrder: leases come out in expiry order, ties by ID, and only
// once their expiry has passed.
func TestExpiryOrder(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 50, 9, 0)
	mustGrant(t, l, 40, 5, 0)
	mustGrant(t, l, 30, 7, 0)
	mustGrant(t, l, 20, 5, 0)
	mustGrant(t, l, 10, 3, 2*time.Second) // expires at 5 s, with 40 and 20
	steps := []struct {
		at   time.Duration
		want []LeaseID
	}{
		{4999 * time.Millisecond, nil},
		{5 * time.Second, []LeaseID{10, 20, 40}},
		{6 * time.Second, nil}, // in flight: not offered again yet
		{7 * time.Second, []LeaseID{30}},
		{8 * time.Second, []LeaseID{10, 20, 40}}, // retry interval (3 s) passed
		{9 * time.Second, []LeaseID{50}},
	}
	for _, s := range steps {
		if got := l.ExpiredLeases(s.at); !slices.Equal(got, s.want) {
			t.Fatalf("ExpiredLeases(%v) = %v, want %v", s.at, got, s.want)
		}
	}
}

// TestExpiredRetry: a lease whose revoke never applies is offered again
// after the retry interval; once revoked, never again.
func TestExpiredRetry(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 1, 10, 0)
	retry := core.LeaseExpiredRetryMillis * time.Millisecond
	if got := l.ExpiredLeases(10 * time.Second); !slices.Equal(got, []LeaseID{1}) {
		t.Fatalf("first offer: %v", got)
	}
	for at := 10 * time.Second; at < 10*time.Second+retry; at += 100 * time.Millisecond {
		if got := l.ExpiredLeases(at); len(got) != 0 {
			t.Fatalf("offered again at %v while in flight: %v", at, got)
		}
	}
	if got := l.ExpiredLeases(10*time.Second + retry); !slices.Equal(got, []LeaseID{1}) {
		t.Fatalf("retry offer: %v", got)
	}
	if _, err := l.Revoke(1, nil); err != nil {
		t.Fatal(err)
	}
	if got := l.ExpiredLeases(time.Hour); len(got) != 0 {
		t.Fatalf("revoked lease offered: %v", got)
	}
}

// TestExpiryBoundPerCall: a pile of expired leases drains at most
// core.MaxExpiredLeasesPerCall per call, earliest first.
func TestExpiryBoundPerCall(t *testing.T) {
	l := newPrimary(t)
	n := 2*core.MaxExpiredLeasesPerCall + 17
	for i := 1; i <= n; i++ {
		// Later IDs expire earlier, so order is by expiry, not ID.
		mustGrant(t, l, LeaseID(i), int64(10+n-i), 0)
	}
	now := time.Duration(10+n) * time.Second
	var seen []LeaseID
	for call := 0; call < 3; call++ {
		got := l.ExpiredLeases(now)
		want := core.MaxExpiredLeasesPerCall
		if call == 2 {
			want = 17
		}
		if len(got) != want {
			t.Fatalf("call %d: %d leases, want %d", call, len(got), want)
		}
		seen = append(seen, got...)
	}
	for i, id := range seen {
		if id != LeaseID(n-i) {
			t.Fatalf("position %d: lease %v, want %v (expiry order)", i, id, n-i)
		}
	}
	if got := l.ExpiredLeases(now); len(got) != 0 {
		t.Fatalf("fourth call: %d leases, want none while in flight", len(got))
	}
}

func TestFollowerNeverExpires(t *testing.T) {
	l := newTestLessor(t)
	mustGrant(t, l, 1, 2, 0)
	if got := l.ExpiredLeases(1000 * time.Hour); got != nil {
		t.Fatalf("follower expired %v", got)
	}
	if st, _ := l.Lookup(1); st.Expiry != Never {
		t.Fatalf("follower expiry %v, want Never", st.Expiry)
	}
}

// TestHugeTTL: the largest TTL does not overflow logical time.
func TestHugeTTL(t *testing.T) {
	l := newPrimary(t)
	now := 10 * 365 * 24 * time.Hour // 10 years in: 10 + 285 years overflow int64 ns
	mustGrant(t, l, 1, core.MaxLeaseTTLSeconds, now)
	if st, _ := l.Lookup(1); st.Expiry != Never {
		t.Fatalf("expiry %v, want saturated Never", st.Expiry)
	}
	if got := l.ExpiredLeases(now); len(got) != 0 {
		t.Fatalf("expired: %v", got)
	}
}
