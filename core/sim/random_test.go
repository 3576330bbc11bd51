package sim_test

// TestRandomized: for each seed, a random cluster under a random schedule of
// faults and client writes, with every invariant checked after every event.
// The schedule is written as a scenario (core/scenario), so a failing seed
// prints the text that replays it: save it as a .scn file and run it with
// `etcdlab sim run`, or step through it in the debugger. At the end the
// network heals, every node restarts, and every acknowledged write must be
// on every node.
//
// ETCDLAB_SOAK_SEEDS sets the number of seeds (default 500; `make soak`
// runs 100,000); ETCDLAB_SEED runs a single seed.

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/scenario"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestRandomized(t *testing.T) {
	first, n := sim.SeedRange(t, 500)
	var total stats
	for seed := first; seed < first+n; seed++ {
		script := randomScenario(seed)
		st, err := runRandom(script)
		if err != nil {
			t.Fatalf("seed %d failed: %v\nreplay with ETCDLAB_SEED=%d, step through it in the debugger (make run):\n  %s\nor run this scenario:\n%s",
				seed, err, seed, debuggerURL(script, err), script)
		}
		total.add(st)
	}
	t.Logf("%d seeds: %+v", n, total)
	// The run must have exercised what it claims to: a harness that never
	// gets a write through or never installs a snapshot proves nothing.
	if n >= 100 && (total.Acked == 0 || total.SnapshotsInstalled == 0 || total.Crashes == 0 || total.Elections < n) {
		t.Errorf("the random runs exercised too little: %+v", total)
	}
}

// stats counts what a run exercised.
type stats struct {
	Acked, Failed, Elections, SnapshotsInstalled, Crashes, Dropped, Events uint64
}

func (s *stats) add(o stats) {
	s.Acked += o.Acked
	s.Failed += o.Failed
	s.Elections += o.Elections
	s.SnapshotsInstalled += o.SnapshotsInstalled
	s.Crashes += o.Crashes
	s.Dropped += o.Dropped
	s.Events += o.Events
}

func (s *stats) count(c *sim.Cluster) {
	for _, req := range c.Requests() {
		if req.Op == sim.OpPut && req.Err == nil {
			s.Acked++
		} else {
			s.Failed++
		}
	}
	for _, rec := range c.Trace(0) {
		switch {
		case rec.Kind == sim.RecRaft && rec.Raft.Kind == raft.EvRoleChanged && rec.Raft.Role == raft.Leader:
			s.Elections++
		case rec.Kind == sim.RecRaft && rec.Raft.Kind == raft.EvSnapshotInstalled:
			s.SnapshotsInstalled++
		case rec.Kind == sim.RecCrash:
			s.Crashes++
		case rec.Kind == sim.RecDrop:
			s.Dropped++
		}
	}
	s.Events, _ = c.TraceDigest()
}

// runRandom runs one random scenario, then heals, restarts and converges
// the cluster and checks that every acknowledged write survived.
func runRandom(script string) (stats, error) {
	var st stats
	r, err := scenario.NewRunner("random.scn", []byte(script))
	if err != nil {
		return st, err
	}
	if err := r.RunAll(); err != nil {
		return st, err
	}
	c := r.Cluster()
	ok, err := c.RunUntil(converged, 60*time.Second)
	if err != nil {
		return st, err
	}
	if !ok {
		return st, fmt.Errorf("the cluster did not converge within 60s after healing: %s", describe(c.State()))
	}
	st.count(c)
	return st, checkAcknowledged(c)
}

// converged: a leader exists and has committed its whole log (so an entry
// of its own term: Raft §5.4.2), and every member runs in its term, follows
// it and has applied all of it. (A stale leader of an older term does not
// count: it has not yet heard of the newer one.)
func converged(c *sim.Cluster) bool {
	st := c.State()
	if st.Leader == raft.None {
		return false
	}
	var lead raft.Status
	for _, ns := range st.Nodes {
		if ns.ID == st.Leader {
			lead = ns.Status
		}
	}
	if lead.HardState.Commit < lead.LastIndex {
		return false
	}
	for _, ns := range st.Nodes {
		if ns.Removed {
			continue
		}
		if !ns.Up || ns.Status.HardState.Term != lead.HardState.Term || ns.Status.Lead != lead.ID || ns.Applied != lead.HardState.Commit {
			return false
		}
	}
	return true
}

// checkAcknowledged: every write a client saw succeed is on every member.
func checkAcknowledged(c *sim.Cluster) error {
	st := c.State()
	for _, req := range c.Requests() {
		if req.Op != sim.OpPut || !req.Done || req.Err != nil {
			continue
		}
		for _, ns := range st.Nodes {
			if ns.Removed {
				continue
			}
			if v, ok := lookup(ns.Data, req.Key); !ok || v != req.Value {
				return fmt.Errorf("acknowledged %s is missing on %s (has %q)", req, ns.Name, v)
			}
		}
	}
	return nil
}

func lookup(data []sim.KeyValue, key string) (string, bool) {
	for _, kv := range data {
		if kv.Key == key {
			return kv.Value, true
		}
	}
	return "", false
}

func describe(st sim.State) string {
	var parts []string
	for _, ns := range st.Nodes {
		parts = append(parts, fmt.Sprintf("%s up=%v role=%s commit=%d applied=%d", ns.Name, ns.Up, ns.Status.Role, ns.Status.HardState.Commit, ns.Applied))
	}
	return strings.Join(parts, "; ")
}

// randomScenario writes the schedule of one seed as a scenario. It keeps
// track of which nodes are up so that crashes and restarts hit nodes they
// can; everything else is drawn freely.
func randomScenario(seed uint64) string {
	g := rng.New(seed)
	var b strings.Builder
	voters := 3 + g.Intn(3)
	learners := 0
	if g.Chance(0.3) {
		learners = 1
	}
	n := voters + learners
	onOff := func() string {
		if g.Chance(0.8) {
			return "on"
		}
		return "off"
	}
	fmt.Fprintf(&b, "# TestRandomized seed %d\n", seed)
	fmt.Fprintf(&b, "cluster %d seed=%d learners=%d snapshot-count=%d catch-up=%d prevote=%s checkquorum=%s latency=1ms..%dms\n",
		voters, seed, learners, 5+g.Intn(20), 1+g.Intn(5), onOff(), onOff(), 2+g.Intn(30))
	b.WriteString("run until leader within 30s\n")
	up := make([]bool, n+1)
	for i := range up {
		up[i] = i > 0
	}
	nodeWhere := func(want bool) int {
		var ids []int
		for i := 1; i <= n; i++ {
			if up[i] == want {
				ids = append(ids, i)
			}
		}
		if len(ids) == 0 {
			return 0
		}
		return ids[g.Intn(len(ids))]
	}
	node := func() int { return 1 + g.Intn(n) }
	for i, key := 0, 0; i < 60; i++ {
		switch x := g.Intn(100); {
		case x < 30:
			fmt.Fprintf(&b, "run %dms\n", 50+g.Intn(2000))
		case x < 55:
			key++
			fmt.Fprintf(&b, "put k%d v%d via n%d async\n", key, key, node())
		case x < 63:
			if id := nodeWhere(true); id != 0 {
				up[id] = false
				fmt.Fprintf(&b, "crash n%d\n", id)
			}
		case x < 73:
			if id := nodeWhere(false); id != 0 {
				up[id] = true
				fmt.Fprintf(&b, "restart n%d\n", id)
			}
		case x < 78:
			b.WriteString(randomPartition(g, n))
		case x < 81:
			fmt.Fprintf(&b, "isolate n%d\n", node())
		case x < 85:
			a := node()
			fmt.Fprintf(&b, "cut n%d->n%d\n", a, a%n+1)
		case x < 90:
			b.WriteString("heal\n")
		case x < 94:
			fmt.Fprintf(&b, "net loss=%d%% dup=%d%% reorder=%d%%\n", g.Intn(20), g.Intn(10), g.Intn(20))
		case x < 96:
			fmt.Fprintf(&b, "transfer n%d\n", node())
		case x < 97 && learners > 0:
			fmt.Fprintf(&b, "member promote n%d\n", n)
		default:
			fmt.Fprintf(&b, "snapshot n%d\n", node())
		}
	}
	b.WriteString("# the end: heal everything and bring every node back\nheal\nnet loss=0 dup=0 reorder=0\n")
	for i := 1; i <= n; i++ {
		if !up[i] {
			fmt.Fprintf(&b, "restart n%d\n", i)
		}
	}
	return b.String()
}

// randomPartition splits the n nodes, shuffled, into two groups.
func randomPartition(g *rng.Source, n int) string {
	ids := make([]int, n)
	for i := range ids {
		ids[i] = i + 1
	}
	for i := n - 1; i > 0; i-- {
		j := g.Intn(i + 1)
		ids[i], ids[j] = ids[j], ids[i]
	}
	cut := 1 + g.Intn(n-1)
	var b strings.Builder
	b.WriteString("partition")
	for i, id := range ids {
		if i == cut {
			b.WriteString(" |")
		}
		fmt.Fprintf(&b, " n%d", id)
	}
	b.WriteString("\n")
	return b.String()
}

// debuggerURL opens script in the site's debugger (debugger.html, served by
// `make run` on LESSONS_ADDR), stopped before the line that failed; an
// error after the script ran (convergence, lost writes) stops at the end.
func debuggerURL(script string, err error) string {
	line := strings.Count(script, "\n") + 1
	var serr *scenario.Error
	if errors.As(err, &serr) {
		line = serr.Line
	}
	return fmt.Sprintf("http://127.0.0.1:8380/debugger.html#s=%s&line=%d", base64.RawURLEncoding.EncodeToString([]byte(script)), line)
}
