package lease

// A randomized test: a lessor, a follower replica and a deliberately simple
// model (maps and sorting, no agendas) take the same random operations; after
// every step they must agree. A failure prints the seed and step, and
// `go test -run TestAgainstModel -seed N` replays that one seed.

import (
	"errors"
	"flag"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/rng"
)

var seedFlag = flag.Uint64("seed", 0, "replay one seed of TestAgainstModel")

const (
	modelSeeds = 300
	modelSteps = 400
)

var modelKeys = []string{"a", "b", "c", "d", "e", "f"}

type modelLease struct {
	ttl, remaining int64
	expiry         time.Duration // Never while not primary
	offerAt        time.Duration // when the primary next looks at it
	keys           map[string]bool
}

type model struct {
	minTTL      int64
	checkpoints bool
	primary     bool
	leases      map[LeaseID]*modelLease
}

func (m *model) resume(ml *modelLease) int64 {
	if ml.remaining > 0 {
		return ml.remaining
	}
	return ml.ttl
}

func (m *model) refresh(ml *modelLease, at time.Duration) {
	ml.expiry, ml.offerAt = at, at
}

func (m *model) owner(key string) LeaseID {
	for id, ml := range m.leases {
		if ml.keys[key] {
			return id
		}
	}
	return NoLease
}

func (m *model) ids() []LeaseID {
	var out []LeaseID
	for id := range m.leases {
		out = append(out, id)
	}
	slices.Sort(out)
	return out
}

// modelRun is one seed's run.
type modelRun struct {
	t       *testing.T
	seed    uint64
	step    int
	r       *rng.Source
	cfg     Config
	l       *Lessor // the member under test (promoted and demoted at random)
	replica *Lessor // applies only replicated operations; always a follower
	m       *model
	now     time.Duration
}

func (run *modelRun) fail(format string, args ...any) {
	run.t.Helper()
	run.t.Fatalf("seed %d (replay: go test ./core/lease -run TestAgainstModel -seed %d), step %d at %v: %s",
		run.seed, run.seed, run.step, run.now, fmt.Sprintf(format, args...))
}

func TestAgainstModel(t *testing.T) {
	seeds := make([]uint64, 0, modelSeeds)
	if *seedFlag != 0 {
		seeds = append(seeds, *seedFlag)
	} else {
		for s := uint64(1); s <= modelSeeds; s++ {
			seeds = append(seeds, s)
		}
	}
	for _, seed := range seeds {
		runModel(t, seed)
	}
}

func runModel(t *testing.T, seed uint64) {
	r := rng.New(seed)
	cfg := Config{
		Rand:               r.Split(),
		ElectionTimeout:    time.Duration(1+r.Intn(3)) * time.Second,
		EnableCheckpoints:  r.Chance(0.5),
		CheckpointInterval: 5 * time.Second,
	}
	l, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	replicaCfg := cfg
	replicaCfg.Rand = rng.New(0)
	replica, _ := New(replicaCfg)
	run := &modelRun{t: t, seed: seed, r: r, cfg: cfg, l: l, replica: replica,
		m: &model{minTTL: l.MinTTLSeconds(), checkpoints: cfg.EnableCheckpoints, leases: map[LeaseID]*modelLease{}}}
	for run.step = 0; run.step < modelSteps; run.step++ {
		run.randomStep()
		run.compare()
	}
}

func (run *modelRun) pickID() LeaseID {
	if ids := run.m.ids(); len(ids) > 0 && run.r.Chance(0.7) {
		return ids[run.r.Intn(len(ids))]
	}
	return LeaseID(1 + run.r.Intn(8))
}

func (run *modelRun) randomStep() {
	switch run.r.Intn(12) {
	case 0, 1:
		run.now += time.Duration(run.r.Intn(2500)) * time.Millisecond
	case 2:
		run.grant()
	case 3:
		run.revoke(run.pickID())
	case 4:
		run.attach()
	case 5:
		run.detach()
	case 6, 7:
		run.renew()
	case 8:
		run.checkpoint(run.pickID(), int64(run.r.Intn(15)))
	case 9:
		run.leadership()
	case 10:
		run.expire()
	case 11:
		if run.r.Chance(0.2) {
			run.restore()
		} else {
			run.checkpointBatch()
		}
	}
}

func (run *modelRun) grant() {
	id := NoLease
	if run.r.Chance(0.7) {
		id = LeaseID(1 + run.r.Intn(8))
	}
	ttl := int64(run.r.Intn(14)) - 1
	if run.r.Chance(0.05) {
		ttl = core.MaxLeaseTTLSeconds + 1
	}
	got, gotTTL, err := run.l.Grant(id, ttl, run.now)
	switch {
	case ttl > core.MaxLeaseTTLSeconds:
		if !errors.Is(err, ErrLeaseTTLTooLarge) {
			run.fail("Grant ttl=%d: %v, want too large", ttl, err)
		}
		return
	case id != NoLease && run.m.leases[id] != nil:
		if !errors.Is(err, ErrLeaseExists) {
			run.fail("Grant of existing %v: %v, want exists", id, err)
		}
		return
	}
	want := max(ttl, run.m.minTTL)
	if err != nil || gotTTL != want || got <= 0 || (id != NoLease && got != id) || run.m.leases[got] != nil {
		run.fail("Grant(%v, %d) = %v, %d, %v; want TTL %d and a fresh positive ID", id, ttl, got, gotTTL, err, want)
	}
	if _, _, err := run.replica.Grant(got, ttl, run.now); err != nil {
		run.fail("replica Grant: %v", err)
	}
	ml := &modelLease{ttl: want, expiry: Never, offerAt: Never, keys: map[string]bool{}}
	if run.m.primary {
		run.m.refresh(ml, run.now+time.Duration(want)*time.Second)
	}
	run.m.leases[got] = ml
}

func (run *modelRun) revoke(id LeaseID) {
	keys, err := run.l.Revoke(id, nil)
	ml := run.m.leases[id]
	if ml == nil {
		if !errors.Is(err, ErrLeaseNotFound) {
			run.fail("Revoke of missing %v: %v", id, err)
		}
		return
	}
	var want []string
	for k := range ml.keys {
		want = append(want, k)
	}
	sort.Strings(want)
	if err != nil || !slices.Equal(keys, want) {
		run.fail("Revoke(%v) = %v, %v; want keys %v", id, keys, err, want)
	}
	if _, err := run.replica.Revoke(id, nil); err != nil {
		run.fail("replica Revoke: %v", err)
	}
	delete(run.m.leases, id)
}

func (run *modelRun) attach() {
	id, key := run.pickID(), modelKeys[run.r.Intn(len(modelKeys))]
	err := run.l.Attach(id, []string{key})
	ml := run.m.leases[id]
	if ml == nil {
		if !errors.Is(err, ErrLeaseNotFound) {
			run.fail("Attach to missing %v: %v", id, err)
		}
		return
	}
	if err != nil {
		run.fail("Attach: %v", err)
	}
	_ = run.replica.Attach(id, []string{key})
	if old := run.m.owner(key); old != NoLease {
		delete(run.m.leases[old].keys, key)
	}
	ml.keys[key] = true
}

func (run *modelRun) detach() {
	id, key := run.pickID(), modelKeys[run.r.Intn(len(modelKeys))]
	err := run.l.Detach(id, []string{key})
	ml := run.m.leases[id]
	if ml == nil {
		if !errors.Is(err, ErrLeaseNotFound) {
			run.fail("Detach from missing %v: %v", id, err)
		}
		return
	}
	if err != nil {
		run.fail("Detach: %v", err)
	}
	_ = run.replica.Detach(id, []string{key})
	delete(ml.keys, key)
}

func (run *modelRun) renew() {
	id := run.pickID()
	ttl, err := run.l.Renew(id, run.now)
	ml := run.m.leases[id]
	switch {
	case !run.m.primary:
		if !errors.Is(err, ErrNotPrimary) {
			run.fail("Renew on a follower: %v", err)
		}
	case ml == nil:
		if !errors.Is(err, ErrLeaseNotFound) {
			run.fail("Renew of missing %v: %v", id, err)
		}
	case ml.expiry <= run.now:
		if !errors.Is(err, ErrLeaseExpired) {
			run.fail("Renew of expired %v: %v", id, err)
		}
	default:
		if err != nil || ttl != ml.ttl {
			run.fail("Renew(%v) = %d, %v; want %d", id, ttl, err, ml.ttl)
		}
		from := run.m.resume(ml)
		if run.m.checkpoints {
			from = ml.ttl
		}
		run.m.refresh(ml, run.now+time.Duration(from)*time.Second)
	}
}

func (run *modelRun) checkpoint(id LeaseID, remaining int64) {
	if err := run.l.Checkpoint(id, remaining, run.now); err != nil {
		run.fail("Checkpoint: %v", err)
	}
	_ = run.replica.Checkpoint(id, remaining, run.now)
	if ml := run.m.leases[id]; ml != nil {
		ml.remaining = remaining
	}
}

func (run *modelRun) checkpointBatch() {
	batch := run.l.Checkpoints(run.now)
	if !run.m.primary || !run.m.checkpoints {
		if batch != nil {
			run.fail("checkpoints from a follower or with checkpoints off: %v", batch)
		}
		return
	}
	for _, cp := range batch {
		ml := run.m.leases[cp.ID]
		if ml == nil || cp.RemainingTTLSeconds < 0 || cp.RemainingTTLSeconds >= ml.ttl {
			run.fail("bad checkpoint %+v", cp)
		}
		if cp.RemainingTTLSeconds > 0 && time.Duration(cp.RemainingTTLSeconds)*time.Second < ml.expiry-run.now {
			run.fail("checkpoint %+v below the time left %v", cp, ml.expiry-run.now)
		}
		run.checkpoint(cp.ID, cp.RemainingTTLSeconds)
	}
}

func (run *modelRun) leadership() {
	if run.m.primary {
		run.l.Demote()
		run.m.primary = false
		for _, ml := range run.m.leases {
			ml.expiry, ml.offerAt = Never, Never
		}
		return
	}
	extend := time.Duration(run.r.Intn(3)) * time.Second
	run.l.Promote(extend, run.now)
	run.m.primary = true
	for _, ml := range run.m.leases {
		run.m.refresh(ml, run.now+extend+time.Duration(run.m.resume(ml))*time.Second)
	}
}

func (run *modelRun) expire() {
	got := run.l.ExpiredLeases(run.now)
	var want []LeaseID
	if run.m.primary {
		for _, id := range run.m.ids() {
			if run.m.leases[id].offerAt <= run.now {
				want = append(want, id)
			}
		}
		sort.SliceStable(want, func(i, j int) bool { return run.m.leases[want[i]].offerAt < run.m.leases[want[j]].offerAt })
	}
	if !slices.Equal(got, want) {
		run.fail("ExpiredLeases = %v, want %v", got, want)
	}
	for _, id := range want {
		run.m.leases[id].offerAt = run.now + core.LeaseExpiredRetryMillis*time.Millisecond
	}
	for _, id := range want {
		if run.r.Chance(0.5) { // the revoke commits; otherwise it is lost
			run.revoke(id)
		}
	}
}

func (run *modelRun) restore() {
	cfg := run.cfg
	cfg.Rand = run.r.Split()
	fresh, _ := New(cfg)
	if err := fresh.Restore(run.l.Snapshot()); err != nil {
		run.fail("Restore: %v", err)
	}
	run.l = fresh
	run.m.primary = false
	for _, ml := range run.m.leases {
		ml.expiry, ml.offerAt = Never, Never
	}
}

// compare checks the lessor against the model and the replica.
func (run *modelRun) compare() {
	if got, want := run.l.Leases(), run.m.ids(); !slices.Equal(got, want) {
		run.fail("Leases() = %v, want %v", got, want)
	}
	if run.l.IsPrimary() != run.m.primary {
		run.fail("IsPrimary = %v", run.l.IsPrimary())
	}
	for id, ml := range run.m.leases {
		st, _ := run.l.Lookup(id)
		var keys []string
		for k := range ml.keys {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if st.TTLSeconds != ml.ttl || st.RemainingTTLSeconds != ml.remaining || st.Expiry != ml.expiry || !slices.Equal(st.Keys, keys) {
			run.fail("lease %v: %+v, model %+v keys %v", id, st, *ml, keys)
		}
		if run.m.primary {
			ttl, err := run.l.TimeToLive(id, false, run.now)
			if err != nil || ttl.TTLSeconds != int64((ml.expiry-run.now)/time.Second) {
				run.fail("TimeToLive(%v) = %+v, %v", id, ttl, err)
			}
		}
	}
	for _, k := range modelKeys {
		if got, want := run.l.GetLease(k), run.m.owner(k); got != want {
			run.fail("GetLease(%q) = %v, want %v", k, got, want)
		}
	}
	if !slices.Equal(run.l.Snapshot(), run.replica.Snapshot()) {
		run.fail("the replica's snapshot differs from the member's")
	}
}
