package lease

import (
	"slices"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core"
)

func withCheckpoints(c *Config) { c.EnableCheckpoints = true }

// applyAll applies a checkpoint batch, as every member does from the log.
func applyAll(t *testing.T, batch []Checkpoint, now time.Duration, members ...*Lessor) {
	t.Helper()
	for _, m := range members {
		for _, cp := range batch {
			if err := m.Checkpoint(cp.ID, cp.RemainingTTLSeconds, now); err != nil {
				t.Fatal(err)
			}
		}
	}
}

// TestCheckpointSchedule follows one long lease through checkpoints at
// every interval; a lease shorter than the interval is never checkpointed.
func TestCheckpointSchedule(t *testing.T) {
	const interval = 300 * time.Second
	l := newPrimary(t, withCheckpoints)
	mustGrant(t, l, 1, 3600, 0)
	mustGrant(t, l, 2, 300, 0) // not longer than the interval
	steps := []struct {
		at   time.Duration
		want []Checkpoint
	}{
		{interval - time.Millisecond, nil},
		{interval, []Checkpoint{{1, 3300}}},
		{interval + time.Second, nil},
		{2*interval + 500*time.Millisecond, []Checkpoint{{1, 3000}}}, // 2999.5 s rounds up
		{3 * interval, nil},                                          // the last one was applied at 600.5 s: next due 900.5 s
		{3*interval + time.Second, []Checkpoint{{1, 2699}}},
	}
	for _, s := range steps {
		got := l.Checkpoints(s.at)
		if !slices.Equal(got, s.want) {
			t.Fatalf("Checkpoints(%v) = %v, want %v", s.at, got, s.want)
		}
		applyAll(t, got, s.at, l)
	}
	if st, _ := l.Lookup(1); st.RemainingTTLSeconds != 2699 {
		t.Fatalf("remaining TTL %d after the checkpoints, want 2699", st.RemainingTTLSeconds)
	}
}

// TestCheckpointSurvivesLeaderChange: the new leader resumes a lease from
// its checkpoint instead of its full TTL.
func TestCheckpointSurvivesLeaderChange(t *testing.T) {
	n1, n2 := newPrimary(t, withCheckpoints), newTestLessor(t, withCheckpoints)
	for _, l := range []*Lessor{n1, n2} {
		mustGrant(t, l, 1, 3600, 0)
	}
	at := 300 * time.Second
	applyAll(t, n1.Checkpoints(at), at, n1, n2)
	n1.Demote()
	n2.Promote(time.Second, 400*time.Second)
	want := 400*time.Second + 3300*time.Second + time.Second
	if st, _ := n2.Lookup(1); st.Expiry != want {
		t.Fatalf("new leader's expiry %v, want %v (from the checkpoint)", st.Expiry, want)
	}
	if n1.Checkpoints(time.Hour) != nil {
		t.Fatal("a follower produced checkpoints")
	}
}

// TestRenewClearsCheckpoint: a keep-alive restarts from the full TTL and
// queues a clearing checkpoint, so no member keeps the stale remaining TTL.
func TestRenewClearsCheckpoint(t *testing.T) {
	n1, n2 := newPrimary(t, withCheckpoints), newTestLessor(t, withCheckpoints)
	for _, l := range []*Lessor{n1, n2} {
		mustGrant(t, l, 1, 3600, 0)
	}
	at := 300 * time.Second
	applyAll(t, n1.Checkpoints(at), at, n1, n2)
	if _, err := n1.Renew(1, 310*time.Second); err != nil {
		t.Fatal(err)
	}
	if st, _ := n1.Lookup(1); st.Expiry != 3910*time.Second {
		t.Fatalf("renewed expiry %v, want %v", st.Expiry, 3910*time.Second)
	}
	got := n1.Checkpoints(311 * time.Second)
	if !slices.Equal(got, []Checkpoint{{ID: 1}}) {
		t.Fatalf("after the keep-alive: %v, want a clear of lease 1", got)
	}
	applyAll(t, got, 311*time.Second, n1, n2)
	for _, l := range []*Lessor{n1, n2} {
		if st, _ := l.Lookup(1); st.RemainingTTLSeconds != 0 {
			t.Fatalf("remaining TTL %d after the clear, want 0", st.RemainingTTLSeconds)
		}
	}
	// A second keep-alive has nothing to clear.
	if _, err := n1.Renew(1, 312*time.Second); err != nil {
		t.Fatal(err)
	}
	if got := n1.Checkpoints(312 * time.Second); len(got) != 0 {
		t.Fatalf("nothing to clear, got %v", got)
	}
}

// TestCheckpointBatchBound: a batch holds at most core.MaxLeaseCheckpointBatch
// records; the rest come in the next call, in (due, ID) order.
func TestCheckpointBatchBound(t *testing.T) {
	l := newPrimary(t, withCheckpoints)
	n := core.MaxLeaseCheckpointBatch + 10
	for i := 1; i <= n; i++ {
		mustGrant(t, l, LeaseID(i), 1000, 0)
	}
	at := 300 * time.Second
	first, second, third := l.Checkpoints(at), l.Checkpoints(at), l.Checkpoints(at)
	if len(first) != core.MaxLeaseCheckpointBatch || len(second) != 10 || len(third) != 0 {
		t.Fatalf("batches of %d, %d, %d; want %d, 10, 0", len(first), len(second), len(third), core.MaxLeaseCheckpointBatch)
	}
	all := append(first, second...)
	for i, cp := range all {
		if cp.ID != LeaseID(i+1) || cp.RemainingTTLSeconds != 700 {
			t.Fatalf("record %d: %+v, want lease %d with 700 s", i, cp, i+1)
		}
	}
}

// TestCheckpointSkips: a lease renewed just before its checkpoint (remaining
// back at the full TTL) and a revoked lease are skipped;
// checkpoints are off by default; a checkpoint for a revoked lease is ignored.
func TestCheckpointSkips(t *testing.T) {
	l := newPrimary(t, withCheckpoints)
	mustGrant(t, l, 1, 1000, 0)
	mustGrant(t, l, 2, 1000, 0)
	mustGrant(t, l, 3, 1000, 0)
	if _, err := l.Renew(1, 299500*time.Millisecond); err != nil { // 1000 s left at 300 s, rounded up
		t.Fatal(err)
	}
	if _, err := l.Revoke(2, nil); err != nil {
		t.Fatal(err)
	}
	if got := l.Checkpoints(300 * time.Second); !slices.Equal(got, []Checkpoint{{3, 700}}) {
		t.Fatalf("Checkpoints = %v, want only lease 3", got)
	}
	if err := l.Checkpoint(2, 5, 0); err != nil {
		t.Fatalf("checkpoint of a revoked lease: %v", err)
	}
	if err := l.Checkpoint(3, -1, 0); err == nil {
		t.Fatal("negative remaining TTL accepted")
	}

	off := newPrimary(t)
	mustGrant(t, off, 1, 1000, 0)
	if got := off.Checkpoints(time.Hour); got != nil {
		t.Fatalf("checkpoints while disabled: %v", got)
	}
}
