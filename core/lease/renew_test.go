package lease

import (
	"errors"
	"slices"
	"testing"
	"time"
)

func TestRenewOnPrimaryOnly(t *testing.T) {
	l := newTestLessor(t)
	mustGrant(t, l, 1, 10, 0)
	if _, err := l.Renew(1, 0); !errors.Is(err, ErrNotPrimary) {
		t.Fatalf("Renew on a follower = %v, want ErrNotPrimary", err)
	}
	if _, err := l.TimeToLive(1, false, 0); !errors.Is(err, ErrNotPrimary) {
		t.Fatalf("TimeToLive on a follower = %v, want ErrNotPrimary", err)
	}
	l.Promote(0, 0)
	if ttl, err := l.Renew(1, 3*time.Second); err != nil || ttl != 10 {
		t.Fatalf("Renew on the primary = %d, %v; want 10, nil", ttl, err)
	}
	if _, err := l.Renew(2, 0); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("Renew of a missing lease = %v, want ErrLeaseNotFound", err)
	}
	if _, err := l.TimeToLive(2, false, 0); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("TimeToLive of a missing lease = %v, want ErrLeaseNotFound", err)
	}
	l.Demote()
	if _, err := l.Renew(1, 4*time.Second); !errors.Is(err, ErrNotPrimary) {
		t.Fatalf("Renew after Demote = %v, want ErrNotPrimary", err)
	}
}

// TestRenewResetsCountdown walks one lease through grant, keep-alives and
// expiry, reading TimeToLive (truncated seconds, as etcd) on the way.
func TestRenewResetsCountdown(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 1, 10, 0)
	if err := l.Attach(1, []string{"b", "a"}); err != nil {
		t.Fatal(err)
	}
	steps := []struct {
		at      time.Duration
		renew   bool
		wantTTL int64
		wantErr error
	}{
		{0, false, 10, nil},
		{500 * time.Millisecond, false, 9, nil}, // 9.5 s left reads 9
		{4 * time.Second, true, 10, nil},        // keep-alive: expiry 14 s
		{6500 * time.Millisecond, false, 7, nil},
		{13999 * time.Millisecond, false, 0, nil},
		{13 * time.Second, true, 10, nil}, // expiry 23 s
		{23 * time.Second, false, 0, nil}, // expired, revoke in flight
		{23 * time.Second, true, 0, ErrLeaseExpired},
		{25500 * time.Millisecond, false, -2, nil},
	}
	for i, s := range steps {
		if s.renew {
			ttl, err := l.Renew(1, s.at)
			if !errors.Is(err, s.wantErr) {
				t.Fatalf("step %d: Renew = %d, %v; want error %v", i, ttl, err, s.wantErr)
			}
			continue
		}
		got, err := l.TimeToLive(1, true, s.at)
		if err != nil || got.TTLSeconds != s.wantTTL || got.GrantedTTLSeconds != 10 || !slices.Equal(got.Keys, []string{"a", "b"}) {
			t.Fatalf("step %d at %v: TimeToLive = %+v, %v; want TTL %d", i, s.at, got, err, s.wantTTL)
		}
	}
	if got, _ := l.TimeToLive(1, false, 0); got.Keys != nil {
		t.Fatalf("keys returned without asking: %v", got.Keys)
	}
}

// TestRenewedLeaseDoesNotExpire: keep-alives every few seconds keep a lease
// off the expired list indefinitely; when they stop, it expires TTL later.
func TestRenewedLeaseDoesNotExpire(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 1, 5, 0)
	now := time.Duration(0)
	for ; now < time.Minute; now += 500 * time.Millisecond {
		if now%(3*time.Second) == 0 {
			if _, err := l.Renew(1, now); err != nil {
				t.Fatalf("Renew at %v: %v", now, err)
			}
		}
		if got := l.ExpiredLeases(now); len(got) != 0 {
			t.Fatalf("renewed lease expired at %v", now)
		}
	}
	// Last keep-alive at 57 s: expiry at 62 s.
	if got := l.ExpiredLeases(62*time.Second - 1); len(got) != 0 {
		t.Fatalf("expired early: %v", got)
	}
	if got := l.ExpiredLeases(62 * time.Second); !slices.Equal(got, []LeaseID{1}) {
		t.Fatalf("ExpiredLeases(62s) = %v, want [1]", got)
	}
}
