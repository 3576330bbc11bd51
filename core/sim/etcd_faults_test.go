package sim

// TestEtcdGuaranteesUnderFaults: the fault workload (etcd_workload_test.go)
// on 3 and 5 members, seed after seed, with every Raft invariant on and
// then every guarantee checked — linearizability (porcupine), watches,
// leases and HashKV. A failing seed prints how to replay it.
//
// ETCDLAB_SOAK_SEEDS sets the number of seeds (default 60, about 8 s); ETCDLAB_SEED
// runs a single seed.

import (
	"fmt"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// faultStats counts what the runs exercised, so that a harness that never
// crashes anything or never expires a lease cannot pass for a test.
type faultStats struct {
	Ops, Unknown, Crashes, Elections, Revokes, WatchEvents, CompactCancels, Hashed int
}

func TestEtcdGuaranteesUnderFaults(t *testing.T) {
	first, n := SeedRange(t, 60)
	var total faultStats
	for seed := first; seed < first+n; seed++ {
		nodes := 3 + 2*int(seed%2)
		st, err := runGuarantees(seed, nodes)
		if err != nil {
			t.Fatalf("seed %d (%d members): %v\nreplay: ETCDLAB_SEED=%d go test ./core/sim/ -run TestEtcdGuaranteesUnderFaults -v",
				seed, nodes, err, seed)
		}
		total.add(st)
	}
	t.Logf("%d seeds: %+v", n, total)
	if n >= 8 && (total.Unknown == 0 || total.Crashes == 0 || total.Revokes == 0 || total.WatchEvents == 0 ||
		total.CompactCancels == 0 || total.Elections < int(n)) {
		t.Errorf("the runs exercised too little: %+v", total)
	}
}

func (s *faultStats) add(o faultStats) {
	s.Ops += o.Ops
	s.Unknown += o.Unknown
	s.Crashes += o.Crashes
	s.Elections += o.Elections
	s.Revokes += o.Revokes
	s.WatchEvents += o.WatchEvents
	s.CompactCancels += o.CompactCancels
	s.Hashed += o.Hashed
}

// runGuarantees runs one seed and every checker on what it saw.
func runGuarantees(seed uint64, nodes int) (faultStats, error) {
	var st faultStats
	w, err := newWorkload(seed, nodes)
	if err != nil {
		return st, err
	}
	if err := w.run(); err != nil {
		return st, fmt.Errorf("run: %w", err)
	}
	if err := w.finalTruth(); err != nil {
		return st, err
	}
	obs, expired, revoked, compacted := w.observe(&st)
	if err := checkLinearizable(resolveUnknown(w.ops, w.truth, w.firstApplied)); err != nil {
		return st, fmt.Errorf("linearizability: %w", err)
	}
	for _, o := range obs {
		if err := checkWatch(o, w.truth, w.truthTo, compacted); err != nil {
			return st, fmt.Errorf("watch w%d on %s (%q..%q from %d): %w", o.rec.id, Name(o.rec.node), o.rec.key, o.rec.end, o.rec.start, err)
		}
	}
	if err := checkLeases(w.leases, expired, revoked, w.truth, w.liveKeys()); err != nil {
		return st, fmt.Errorf("leases: %w", err)
	}
	hashes, err := w.hashes()
	if err != nil {
		return st, err
	}
	if err := checkHashes(hashes); err != nil {
		return st, err
	}
	for _, h := range hashes {
		st.Hashed += len(h)
	}
	st.Ops = len(w.ops)
	for _, op := range w.ops {
		if op.unknown {
			st.Unknown++
		}
	}
	return st, nil
}

// observe reads the trace: what each watcher delivered, the leases found
// expired and revoked, the compactions applied, and counts for faultStats.
func (w *workload) observe(st *faultStats) ([]watchObs, []leaseObs, []leaseObs, map[int64]bool) {
	obs := map[uint64]*watchObs{}
	for _, rec := range w.watches {
		obs[rec.id] = &watchObs{rec: rec, created: -1}
	}
	var expired, revoked []leaseObs
	compacted := map[int64]bool{}
	for _, r := range w.c.Trace(0) {
		switch {
		case r.Kind == RecCrash:
			st.Crashes++
		case r.Kind == RecRaft && r.Raft.Kind == raft.EvRoleChanged && r.Raft.Role == raft.Leader:
			st.Elections++
		case r.Kind == RecWatch:
			o := obs[r.Watch.Watch]
			if o == nil {
				continue
			}
			if r.Watch.Event != nil {
				o.events = append(o.events, *r.Watch.Event)
				st.WatchEvents++
			} else if o.created < 0 && strings.HasPrefix(r.Watch.Note, "created at revision ") {
				fmt.Sscanf(r.Watch.Note, "created at revision %d", &o.created)
			}
		case r.Kind == RecServer:
			w.serverEvent(r, &expired, &revoked, compacted, st)
		}
	}
	var out []watchObs
	for _, ws := range w.c.watchStates() {
		o := obs[ws.ID]
		if o == nil {
			continue
		}
		o.ended, o.why = ws.Ended, ws.Why
		p := w.c.procs[ws.Node]
		o.upAtEnd = p != nil && p.up
		if strings.Contains(o.why, "compact revision") {
			st.CompactCancels++
		}
		out = append(out, *o)
	}
	return out, expired, revoked, compacted
}

// serverEvent files one member event.
func (w *workload) serverEvent(r Record, expired, revoked *[]leaseObs, compacted map[int64]bool, st *faultStats) {
	e := r.Server
	switch e.Kind {
	case server.EvLeaseExpired:
		*expired = append(*expired, leaseObs{node: r.Node, lease: e.Lease, at: r.Time})
	case server.EvLeaseRevoked:
		*revoked = append(*revoked, leaseObs{node: r.Node, lease: e.Lease, revision: e.Revision, keys: e.Keys, at: r.Time})
		st.Revokes++
	case server.EvApplied:
		if t, ok := w.firstApplied[e.Revision]; !ok || r.Time < t {
			w.firstApplied[e.Revision] = r.Time
		}
	case server.EvCompacted:
		compacted[e.Revision] = true
	}
}

// liveKeys is every key each member that is up holds now.
func (w *workload) liveKeys() map[raft.NodeID]map[string]bool {
	out := map[raft.NodeID]map[string]bool{}
	for _, id := range w.c.IDs() {
		p := w.c.procs[id]
		if p == nil || !p.up {
			continue
		}
		kvs, err := kvsAt(p.member.Store(), p.member.Store().Rev())
		if err != nil {
			panic(fmt.Sprintf("sim.workload.liveKeys: %v", err))
		}
		out[id] = map[string]bool{}
		for _, kv := range kvs {
			out[id][string(kv.Key)] = true
		}
	}
	return out
}

// hashes is HashKV of every member that is up, at up to 40 revisions that
// all of them still hold, the last one included.
func (w *workload) hashes() (map[raft.NodeID]map[int64]uint32, error) {
	lo, hi := int64(1), int64(1<<62)
	var ups []raft.NodeID
	for _, id := range w.c.IDs() {
		if p := w.c.procs[id]; p != nil && p.up {
			ups = append(ups, id)
			s := p.member.Store()
			lo, hi = max(lo, s.CompactRev()+1), min(hi, s.Rev())
		}
	}
	if len(ups) < 2 || hi < lo {
		return nil, fmt.Errorf("after healing, %d members up holding revisions %d..%d: nothing to compare", len(ups), lo, hi)
	}
	step := max(1, (hi-lo)/40)
	out := map[raft.NodeID]map[int64]uint32{}
	for _, id := range ups {
		out[id] = map[int64]uint32{}
		for rev := hi; rev >= lo; rev -= step {
			h, _, _, err := w.c.HashKV(id, rev)
			if err != nil {
				return nil, fmt.Errorf("HashKV(%s, %d): %v", Name(id), rev, err)
			}
			out[id][rev] = h
		}
	}
	return out, nil
}
