package server

// Auto-compaction on the logical clock: the leader compacts the key
// space's history so that it does not grow without bound (etcd:
// --auto-compaction-mode and --auto-compaction-retention, v3compactor).
// Only the leader proposes; a follower's compactor is paused, as etcd's is.
// The compaction goes through Raft like a client's, so every member
// compacts at the same revision.
//
// Periodic mode keeps `retention` of history. The compactor records the
// current revision every tenth of the interval and, once per interval,
// compacts to the oldest recorded revision — the one from about
// `retention` ago. The interval is the retention, capped at one hour (etcd
// 3.4+):
//
//	retention 30m: record every 3m; compact every 30m to the revision of ~30m ago
//	retention 72h: record every 6m; first compaction at 72h, then every hour,
//	               each to the revision recorded ~72h before
//
//	time ─────0────6m───12m── ... ──60m──────66m── ... ─120m──>   (retention 1h)
//	samples   r0   r1   r2         r10     r11         r20
//	compact                        r0                  r10
//
// Revision mode keeps `retention` revisions: every 5 minutes it compacts
// to current revision − retention, unless that is not positive or was
// already compacted (current 30000, retention 1000: compact 29000).
//
// The compactor is a pure function of the clock: step(now, rev, leading)
// says when to propose; failed() says the proposal never applied, so that
// the next point retries.

import (
	"errors"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
)

// autoCompactor decides when the leader proposes a compaction.
type autoCompactor struct {
	mode string

	// Periodic mode (etcd: v3compactor.Periodic).
	period       time.Duration // the retention
	sampleEvery  time.Duration // a tenth of the compaction interval
	compactEvery time.Duration // min(period, 1h)
	keep         int           // samples kept: the window covers `period`
	revs         []int64       // recorded revisions, oldest first
	baseInterval time.Duration // period before the first compaction, compactEvery after
	lastSuccess  time.Duration
	prevSuccess  time.Duration

	// Revision mode (etcd: v3compactor.Revision).
	retention int64
	prevRev   int64
	prevPrev  int64

	started bool
	next    time.Duration // the next point at which the compactor acts
}

// newAutoCompactor returns the compactor for etcd's two flags, or nil if
// auto-compaction is off.
func newAutoCompactor(mode, retention string) (*autoCompactor, error) {
	period, revs, err := parseRetention(mode, retention)
	if err != nil {
		return nil, err
	}
	switch {
	case mode == "" || (period == 0 && revs == 0):
		return nil, nil
	case mode == CompactionRevision:
		return &autoCompactor{mode: mode, retention: revs}, nil
	case period < time.Second:
		return nil, errors.New("server: config: periodic auto-compaction retention must be at least 1s")
	}
	every := min(period, core.PeriodicCompactionMaxIntervalSeconds*time.Second)
	sample := every / core.PeriodicCompactionSamplesPerInterval
	return &autoCompactor{
		mode: mode, period: period, compactEvery: every, sampleEvery: sample,
		keep: int(period/sample) + 1, baseInterval: period,
	}, nil
}

// step is called on every tick with the member's clock and current
// revision. It returns the revision to compact and true when the leader
// should propose a compaction now.
func (a *autoCompactor) step(now time.Duration, rev int64, leading bool) (int64, bool) {
	if !a.started {
		a.started = true
		a.lastSuccess = now
		if a.mode == CompactionRevision {
			a.next = now + core.RevisionCompactionIntervalSeconds*time.Second
			return 0, false
		}
		a.revs = append(a.revs, rev)
		a.next = now + a.sampleEvery
		return 0, false
	}
	if now < a.next {
		return 0, false
	}
	if a.mode == CompactionRevision {
		a.next += core.RevisionCompactionIntervalSeconds * time.Second
		return a.revisionPoint(rev, leading)
	}
	a.next += a.sampleEvery
	return a.periodicPoint(now, rev, leading)
}

// periodicPoint: at each sample point, first the compaction check (with
// the samples recorded so far), then the new sample — etcd's loop order.
func (a *autoCompactor) periodicPoint(now time.Duration, rev int64, leading bool) (int64, bool) {
	target, compact := int64(0), false
	if leading && now-a.lastSuccess >= a.baseInterval {
		a.baseInterval = a.compactEvery
		target, compact = a.revs[0], true
		a.prevSuccess, a.lastSuccess = a.lastSuccess, now
	}
	a.revs = append(a.revs, rev)
	if len(a.revs) > a.keep {
		a.revs = a.revs[1:]
	}
	return target, compact
}

// revisionPoint: compact to rev − retention unless pointless.
func (a *autoCompactor) revisionPoint(rev int64, leading bool) (int64, bool) {
	target := rev - a.retention
	if !leading || target <= 0 || target == a.prevRev {
		return 0, false
	}
	a.prevPrev, a.prevRev = a.prevRev, target
	return target, true
}

// failed reports that the last proposed compaction did not apply (dropped
// or timed out; mvcc's "already compacted" counts as done, as in etcd), so
// the next point tries again.
func (a *autoCompactor) failed() {
	a.lastSuccess = a.prevSuccess
	a.prevRev = a.prevPrev
}

// autoCompact runs the compactor on every tick; only the leader proposes.
func (m *Member) autoCompact() {
	if m.compactor == nil {
		return
	}
	if rev, ok := m.compactor.step(m.now, m.store.Rev(), m.role == raft.Leader); ok {
		m.proposeInternal(envelope{Compaction: &CompactionRequest{Revision: rev}}, internalCompaction)
	}
}
