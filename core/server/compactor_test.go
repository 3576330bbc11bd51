package server

import (
	"fmt"
	"testing"
	"time"
)

// compaction is one proposal of the auto-compactor: when, and which
// revision.
type compaction struct {
	at  time.Duration
	rev int64
}

// runCompactor drives a compactor for `total` of logical time in steps of
// `step`, the revision growing by revPerStep each step (starting at
// firstRev), and returns its proposals.
func runCompactor(t *testing.T, mode, retention string, step, total time.Duration, firstRev, revPerStep int64, leading func(time.Duration) bool) []compaction {
	t.Helper()
	a, err := newAutoCompactor(mode, retention)
	if err != nil || a == nil {
		t.Fatalf("newAutoCompactor(%q, %q) = %v, %v", mode, retention, a, err)
	}
	var out []compaction
	rev := firstRev
	for now := time.Duration(0); now <= total; now += step {
		if r, ok := a.step(now, rev, leading(now)); ok {
			out = append(out, compaction{now, r})
		}
		rev += revPerStep
	}
	return out
}

func always(time.Duration) bool { return true }

// The examples of etcd's documentation and of its compactor tests (v3.4+
// semantics): periodic compaction every min(retention, 1h) to the revision
// recorded retention ago; revision compaction every 5 minutes to current −
// retention.
func TestAutoCompactionExamples(t *testing.T) {
	h, m := time.Hour, time.Minute
	tests := []struct {
		name            string
		mode, retention string
		step, total     time.Duration
		firstRev, per   int64
		want            []compaction
	}{{
		// etcd TestPeriodicHourly: retention 2h, one revision per 6-minute
		// sample: first compaction after 2h to the first revision, then
		// every hour.
		name: "periodic 2h", mode: CompactionPeriodic, retention: "2h",
		step: 6 * m, total: 5 * h, firstRev: 1, per: 1,
		want: []compaction{{2 * h, 1}, {3 * h, 10}, {4 * h, 20}, {5 * h, 30}},
	}, {
		// etcd TestPeriodicMinutes: retention 5m, samples every 30s.
		name: "periodic 5m", mode: CompactionPeriodic, retention: "5m",
		step: 30 * time.Second, total: 20 * m, firstRev: 1, per: 1,
		want: []compaction{{5 * m, 1}, {10 * m, 10}, {15 * m, 20}, {20 * m, 30}},
	}, {
		// --auto-compaction-retention=1 (a bare number is hours): every
		// hour, keeping one hour.
		name: "periodic 1 (hour)", mode: CompactionPeriodic, retention: "1",
		step: 6 * m, total: 3 * h, firstRev: 100, per: 10,
		want: []compaction{{1 * h, 100}, {2 * h, 190}, {3 * h, 290}},
	}, {
		// --auto-compaction-retention=72h: first compaction at 72h, then
		// every hour, each keeping 72h.
		name: "periodic 72h", mode: CompactionPeriodic, retention: "72h",
		step: 6 * m, total: 74 * h, firstRev: 1, per: 1,
		want: []compaction{{72 * h, 1}, {73 * h, 10}, {74 * h, 20}},
	}, {
		// --auto-compaction-retention=30m: every 30 minutes.
		name: "periodic 30m", mode: CompactionPeriodic, retention: "30m",
		step: 3 * m, total: 90 * m, firstRev: 1, per: 1,
		want: []compaction{{30 * m, 1}, {60 * m, 10}, {90 * m, 20}},
	}, {
		// --auto-compaction-mode=revision --auto-compaction-retention=1000:
		// at revision 30000, compact 29000; every 5 minutes.
		name: "revision 1000", mode: CompactionRevision, retention: "1000",
		step: 5 * m, total: 15 * m, firstRev: 29000, per: 500,
		want: []compaction{{5 * m, 28500}, {10 * m, 29000}, {15 * m, 29500}},
	}, {
		// Nothing written: the same revision is not compacted twice.
		name: "revision unchanged", mode: CompactionRevision, retention: "10",
		step: time.Minute, total: 20 * m, firstRev: 100, per: 0,
		want: []compaction{{5 * m, 90}},
	}, {
		// Fewer revisions than the retention: nothing to compact.
		name: "revision young", mode: CompactionRevision, retention: "1000",
		step: time.Minute, total: 20 * m, firstRev: 1, per: 10,
		want: nil,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := runCompactor(t, tt.mode, tt.retention, tt.step, tt.total, tt.firstRev, tt.per, always)
			if fmt.Sprint(got) != fmt.Sprint(tt.want) {
				t.Fatalf("compactions = %v, want %v", got, tt.want)
			}
		})
	}
}

// A follower's compactor is paused (it keeps recording revisions); a
// failed proposal is retried at the next point.
func TestAutoCompactionPausedAndRetried(t *testing.T) {
	m := time.Minute
	// Not leading until 12m: the compaction due at 5m waits until the
	// first sample point at which the member leads, and uses the window as
	// recorded meanwhile.
	got := runCompactor(t, CompactionPeriodic, "5m", 30*time.Second, 12*m, 1, 1, func(now time.Duration) bool { return now >= 12*m })
	want := []compaction{{12 * m, 14}} // the sample of 6m30s: the window holds the last 11 samples
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("paused compactions = %v, want %v", got, want)
	}
	a, _ := newAutoCompactor(CompactionRevision, "10")
	a.step(0, 100, true)
	if r, ok := a.step(5*m, 100, true); !ok || r != 90 {
		t.Fatalf("first point = %d %v", r, ok)
	}
	a.failed()
	if r, ok := a.step(10*m, 100, true); !ok || r != 90 {
		t.Fatalf("after a failure the next point retries 90, got %d %v", r, ok)
	}
	for _, bad := range [][2]string{{"periodic", "-1h"}, {"revision", "1h"}, {"hourly", "1"}, {"periodic", "500ms"}} {
		if _, err := newAutoCompactor(bad[0], bad[1]); err == nil {
			t.Errorf("newAutoCompactor(%q, %q) accepted", bad[0], bad[1])
		}
	}
}

// In a cluster, the leader's revision-mode compactor compacts every
// member at the same revision through Raft.
func TestAutoCompactionInCluster(t *testing.T) {
	c := newCluster(t, 3, 10, func(cfg *Config) {
		cfg.AutoCompactionMode, cfg.AutoCompactionRetention = CompactionRevision, "5"
	})
	l := c.leader()
	for i := range 20 {
		c.mustDo(l, put(fmt.Sprintf("k%d", i%3), "v")) // revision 21
	}
	c.runUntil(func() bool { return c.nodes[l].m.store.CompactRev() > 0 }, 3100)
	want := int64(16) // 21 − 5
	c.tick()
	for _, n := range c.nodes {
		if got := n.m.store.CompactRev(); got != want {
			t.Fatalf("%s compacted at %d, want %d", n.info.Name, got, want)
		}
		if !hasEvent(n.events, EvCompacted) {
			t.Fatalf("%s has no compacted event", n.info.Name)
		}
	}
	if now := c.nodes[l].m.Now(); now < 5*time.Minute {
		t.Fatalf("compacted at %v, before the first 5-minute point", now)
	}
}

func hasEvent(evs []Event, k EventKind) bool {
	for _, e := range evs {
		if e.Kind == k {
			return true
		}
	}
	return false
}
