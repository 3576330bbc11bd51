package lease

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/rng"
)

// newTestLessor returns a lessor with etcd's defaults (minimum TTL 2 s),
// adjusted by opts.
func newTestLessor(t *testing.T, opts ...func(*Config)) *Lessor {
	t.Helper()
	cfg := Config{Rand: rng.New(1), RecordEvents: true}
	for _, o := range opts {
		o(&cfg)
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// newPrimary returns a lessor promoted at time 0.
func newPrimary(t *testing.T, opts ...func(*Config)) *Lessor {
	l := newTestLessor(t, opts...)
	l.Promote(0, 0)
	return l
}

func mustGrant(t *testing.T, l *Lessor, id LeaseID, ttl int64, now time.Duration) {
	t.Helper()
	if _, _, err := l.Grant(id, ttl, now); err != nil {
		t.Fatalf("Grant(%v, %d): %v", id, ttl, err)
	}
}

// TestErrorMessages pins the texts clients match on (etcd's rpctypes).
func TestErrorMessages(t *testing.T) {
	for _, tt := range []struct {
		err  error
		want string
	}{
		{ErrLeaseNotFound, "etcdserver: requested lease not found"},
		{ErrLeaseExists, "etcdserver: lease already exists"},
		{ErrLeaseTTLTooLarge, "etcdserver: too large lease TTL"},
		{ErrNotPrimary, "lease: not a primary lessor"},
		{ErrLeaseExpired, "lease: lease expired and is being revoked; wait for the revoke or a leader change"},
	} {
		if tt.err.Error() != tt.want {
			t.Errorf("got %q, want %q", tt.err, tt.want)
		}
	}
}

func TestGrantErrors(t *testing.T) {
	for _, tt := range []struct {
		name    string
		id      LeaseID
		ttl     int64
		wantErr error
	}{
		{"new id", 7, 10, nil},
		{"id in use", 1, 10, ErrLeaseExists},
		{"largest ttl", 8, core.MaxLeaseTTLSeconds, nil},
		{"ttl too large", 9, core.MaxLeaseTTLSeconds + 1, ErrLeaseTTLTooLarge},
		{"ttl too large beats id in use", 1, core.MaxLeaseTTLSeconds + 1, ErrLeaseTTLTooLarge},
	} {
		t.Run(tt.name, func(t *testing.T) {
			for _, primary := range []bool{false, true} {
				l := newTestLessor(t)
				if primary {
					l.Promote(0, 0)
				}
				mustGrant(t, l, 1, 10, 0)
				_, _, err := l.Grant(tt.id, tt.ttl, 0)
				if !errors.Is(err, tt.wantErr) {
					t.Fatalf("primary=%v: Grant(%d, %d) = %v, want %v", primary, tt.id, tt.ttl, err, tt.wantErr)
				}
				if err != nil && len(l.Leases()) != 1 {
					t.Fatalf("a refused grant changed the leases: %v", l.Leases())
				}
			}
		})
	}
}

// TestMinTTL: a lease lives at least ceil(1.5 election timeouts) seconds.
func TestMinTTL(t *testing.T) {
	for _, tt := range []struct {
		election time.Duration
		wantMin  int64
	}{
		{0, 2}, // etcd's default 1 s: 1.5 s rounds up to 2
		{time.Second, 2},
		{100 * time.Millisecond, 1}, // 0.15 s -> 1
		{2 * time.Second, 3},
		{5 * time.Second, 8},         // 7.5 s -> 8
		{1200 * time.Millisecond, 2}, // 1.8 s -> 2
		{1400 * time.Millisecond, 3}, // 2.1 s -> 3
	} {
		l := newTestLessor(t, func(c *Config) { c.ElectionTimeout = tt.election })
		if got := l.MinTTLSeconds(); got != tt.wantMin {
			t.Errorf("election %v: min TTL %d, want %d", tt.election, got, tt.wantMin)
		}
		for _, asked := range []int64{-5, 0, 1, tt.wantMin - 1, tt.wantMin, tt.wantMin + 1, 60} {
			want := max(asked, tt.wantMin)
			id, got, err := l.Grant(NoLease, asked, 0)
			if err != nil || got != want {
				t.Errorf("election %v: Grant ttl=%d gave %d, %v; want %d", tt.election, asked, got, err, want)
			}
			if st, _ := l.Lookup(id); st.TTLSeconds != want {
				t.Errorf("election %v: stored TTL %d, want %d", tt.election, st.TTLSeconds, want)
			}
		}
	}
}

// TestGrantPicksIDs: ID 0 draws a positive ID from the seeded source,
// skipping IDs in use, identically for the same seed.
func TestGrantPicksIDs(t *testing.T) {
	first := LeaseID(rng.New(1).Uint64() & (1<<63 - 1))
	a, b := newTestLessor(t), newTestLessor(t)
	for i := 0; i < 50; i++ {
		ida, _, err := a.Grant(NoLease, 10, 0)
		if err != nil || ida <= 0 {
			t.Fatalf("Grant(0) = %v, %v; want a positive ID", ida, err)
		}
		idb, _, _ := b.Grant(NoLease, 10, 0)
		if ida != idb {
			t.Fatalf("grant %d: same seed gave IDs %v and %v", i, ida, idb)
		}
		if i == 0 && ida != first {
			t.Fatalf("first ID %v, want the source's first draw %v", ida, first)
		}
	}
	// The first draw is taken: a fresh lessor that already holds it skips it.
	c := newTestLessor(t)
	mustGrant(t, c, first, 10, 0)
	if id, _, _ := c.Grant(NoLease, 10, 0); id == first || id <= 0 {
		t.Fatalf("Grant(0) gave %v; want a positive ID other than %v", id, first)
	}
}

// recordingDeleter records each DeleteKeys call; if l is set it detaches
// the keys as it deletes them, as mvcc does.
type recordingDeleter struct {
	calls [][]string
	l     *Lessor
	id    LeaseID
}

func (d *recordingDeleter) DeleteKeys(keys []string) {
	d.calls = append(d.calls, slices.Clone(keys))
	if d.l != nil {
		if err := d.l.Detach(d.id, keys); err != nil {
			panic(err)
		}
	}
}

func TestRevoke(t *testing.T) {
	l := newPrimary(t)
	if _, err := l.Revoke(5, nil); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("Revoke of a missing lease = %v, want ErrLeaseNotFound", err)
	}
	mustGrant(t, l, 5, 10, 0)
	mustGrant(t, l, 6, 10, 0)
	if err := l.Attach(5, []string{"c", "a", "b"}); err != nil {
		t.Fatal(err)
	}
	if err := l.Attach(6, []string{"z"}); err != nil {
		t.Fatal(err)
	}
	d := &recordingDeleter{l: l, id: 5}
	keys, err := l.Revoke(5, d)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"a", "b", "c"}
	if !slices.Equal(keys, want) || len(d.calls) != 1 || !slices.Equal(d.calls[0], want) {
		t.Fatalf("Revoke returned %v and deleted %v; want %v in one call", keys, d.calls, want)
	}
	if _, ok := l.Lookup(5); ok {
		t.Fatal("lease 5 survived its revoke")
	}
	for _, k := range want {
		if got := l.GetLease(k); got != NoLease {
			t.Fatalf("key %q still attached to %v", k, got)
		}
	}
	if got := l.GetLease("z"); got != 6 {
		t.Fatalf("another lease's key lost its lease: %v", got)
	}
	if _, err := l.Revoke(5, d); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("second Revoke = %v, want ErrLeaseNotFound", err)
	}
	// A lease without keys is revoked without touching the key space.
	d2 := &recordingDeleter{}
	mustGrant(t, l, 7, 10, 0)
	if _, err := l.Revoke(7, d2); err != nil || len(d2.calls) != 0 {
		t.Fatalf("Revoke of an empty lease: err %v, deleter calls %v", err, d2.calls)
	}
}

func TestAttachDetach(t *testing.T) {
	l := newTestLessor(t)
	if err := l.Attach(1, []string{"k"}); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("Attach to a missing lease = %v", err)
	}
	if err := l.Detach(1, []string{"k"}); !errors.Is(err, ErrLeaseNotFound) {
		t.Fatalf("Detach from a missing lease = %v", err)
	}
	mustGrant(t, l, 1, 10, 0)
	mustGrant(t, l, 2, 10, 0)
	steps := []struct {
		do     func() error
		keys1  []string
		keys2  []string
		owners map[string]LeaseID
	}{
		{func() error { return l.Attach(1, []string{"k2", "k1"}) }, []string{"k1", "k2"}, []string{}, map[string]LeaseID{"k1": 1, "k2": 1}},
		{func() error { return l.Attach(1, []string{"k1"}) }, []string{"k1", "k2"}, []string{}, map[string]LeaseID{"k1": 1, "k2": 1}},
		{func() error { return l.Attach(2, []string{"k1"}) }, []string{"k2"}, []string{"k1"}, map[string]LeaseID{"k1": 2, "k2": 1}},
		{func() error { return l.Detach(1, []string{"k1"}) }, []string{"k2"}, []string{"k1"}, map[string]LeaseID{"k1": 2, "k2": 1}},
		{func() error { return l.Detach(1, []string{"k2", "nope"}) }, []string{}, []string{"k1"}, map[string]LeaseID{"k1": 2, "k2": NoLease}},
	}
	for i, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("step %d: %v", i, err)
		}
		st1, _ := l.Lookup(1)
		st2, _ := l.Lookup(2)
		if !slices.Equal(st1.Keys, s.keys1) || !slices.Equal(st2.Keys, s.keys2) {
			t.Fatalf("step %d: keys %v / %v, want %v / %v", i, st1.Keys, st2.Keys, s.keys1, s.keys2)
		}
		for k, want := range s.owners {
			if got := l.GetLease(k); got != want {
				t.Fatalf("step %d: GetLease(%q) = %v, want %v", i, k, got, want)
			}
		}
	}
}

func TestLeasesSorted(t *testing.T) {
	l := newTestLessor(t)
	for _, id := range []LeaseID{30, -4, 7, 100, 1} {
		mustGrant(t, l, id, 10, 0)
	}
	if got, want := l.Leases(), []LeaseID{-4, 1, 7, 30, 100}; !slices.Equal(got, want) {
		t.Fatalf("Leases() = %v, want %v", got, want)
	}
}

func TestConfigValidation(t *testing.T) {
	for _, cfg := range []Config{
		{},
		{Rand: rng.New(1), ElectionTimeout: -time.Second},
		{Rand: rng.New(1), CheckpointInterval: time.Millisecond},
		{Rand: rng.New(1), ExpiredRetryInterval: -time.Second},
	} {
		if _, err := New(cfg); err == nil {
			t.Errorf("New(%+v) succeeded; want an error", cfg)
		}
	}
}

func TestEvents(t *testing.T) {
	l := newPrimary(t)
	mustGrant(t, l, 0x2a, 5, 0)
	_ = l.Attach(0x2a, []string{"a"})
	_, _ = l.Renew(0x2a, time.Second)
	l.ExpiredLeases(10 * time.Second)
	_, _ = l.Revoke(0x2a, nil)
	l.Demote()
	var got []string
	for _, e := range l.TakeEvents() {
		got = append(got, e.String())
	}
	want := []string{
		"promoted leases=0",
		"granted lease=000000000000002a ttl=5s",
		"renewed lease=000000000000002a ttl=5s",
		"expired lease=000000000000002a",
		"revoked lease=000000000000002a keys=1",
		"demoted",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("events\n got %q\nwant %q", got, want)
	}
	if len(l.TakeEvents()) != 0 {
		t.Fatal("TakeEvents did not forget")
	}
}
