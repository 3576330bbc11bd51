package lease

import (
	"strconv"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/rng"
)

func benchLessor(b *testing.B, n int) *Lessor {
	b.Helper()
	l, err := New(Config{Rand: rng.New(1), EnableCheckpoints: true})
	if err != nil {
		b.Fatal(err)
	}
	l.Promote(0, 0)
	for i := 1; i <= n; i++ {
		if _, _, err := l.Grant(LeaseID(i), int64(10+i%600), 0); err != nil {
			b.Fatal(err)
		}
		if err := l.Attach(LeaseID(i), []string{"key/" + strconv.Itoa(i)}); err != nil {
			b.Fatal(err)
		}
	}
	return l
}

func BenchmarkGrantRevoke(b *testing.B) {
	l := benchLessor(b, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		id, _, _ := l.Grant(NoLease, 60, time.Second)
		_ = l.Attach(id, []string{"k"})
		_, _ = l.Revoke(id, nil)
	}
}

func BenchmarkRenew(b *testing.B) {
	l := benchLessor(b, 100_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		_, _ = l.Renew(LeaseID(1+i%100_000), time.Second)
	}
}

// BenchmarkExpiredLeases: one full call (core.MaxExpiredLeasesPerCall
// leases) per iteration, from a pile of 100,000 expired leases.
func BenchmarkExpiredLeases(b *testing.B) {
	l := benchLessor(b, 100_000)
	now := time.Hour
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		now += 3 * time.Second // every lease is due again (retry interval)
		_ = l.ExpiredLeases(now)
	}
}

func BenchmarkSnapshot10k(b *testing.B) {
	l := benchLessor(b, 10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		data := l.Snapshot()
		if err := l.Restore(data); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPromote10k(b *testing.B) {
	l := benchLessor(b, 10_000)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l.Demote()
		l.Promote(time.Second, time.Duration(i)*time.Second)
	}
}
