package sim_test

// Tests of the whole simulator on a real Raft: determinism, crash and
// restart, manual message control, client requests, options.

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func newCluster(t testing.TB, o sim.Options) *sim.Cluster {
	t.Helper()
	o.CheckInvariants, o.DigestTrace = true, true
	c, err := sim.New(o)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func runUntilLeader(t testing.TB, c *sim.Cluster) raft.NodeID {
	t.Helper()
	ok, err := c.RunUntil(func(c *sim.Cluster) bool { return c.Leader() != raft.None }, 10*time.Second)
	if err != nil || !ok {
		t.Fatalf("no leader within 10s (seed %d): %v", c.Seed(), err)
	}
	return c.Leader()
}

// workload runs a fixed client load and returns the trace digest.
func workload(t *testing.T, seed uint64) (uint64, uint64) {
	c := newCluster(t, sim.Options{Nodes: 5, Seed: seed, Network: sim.LinkModel{
		MinLatency: time.Millisecond, MaxLatency: 20 * time.Millisecond, Loss: 0.05, Duplicate: 0.05, Reorder: 0.1}})
	runUntilLeader(t, c)
	for i := 0; i < 20; i++ {
		c.Put(raft.NodeID(1+i%5), "k", strings.Repeat("v", i))
		if err := c.RunFor(30 * time.Millisecond); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RunFor(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	return c.TraceDigest()
}

func TestSameSeedSameRun(t *testing.T) {
	n1, h1 := workload(t, 99)
	n2, h2 := workload(t, 99)
	if n1 != n2 || h1 != h2 {
		t.Fatalf("seed 99 ran twice gave %d records %x and %d records %x", n1, h1, n2, h2)
	}
	_, h3 := workload(t, 100)
	if h3 == h1 {
		t.Fatalf("seeds 99 and 100 gave the same trace %x: the seed does not reach the run", h1)
	}
}

func TestCrashKeepsTheDiskAndRestartRejoins(t *testing.T) {
	c := newCluster(t, sim.Options{Nodes: 3, Seed: 1})
	lead := runUntilLeader(t, c)
	r := c.Put(raft.None, "x", "1")
	if err := c.Await(r, 10*time.Second); err != nil || r.Err != nil {
		t.Fatalf("put: %v %v", err, r.Err)
	}
	if err := c.Crash(lead); err != nil {
		t.Fatal(err)
	}
	if err := c.Crash(lead); err == nil {
		t.Fatal("crashing a node that is down must fail")
	}
	ns, _ := c.Node(lead)
	if ns.Up || ns.DiskHardState.Commit < r.Index || ns.DiskHardState.Term == 0 {
		t.Fatalf("after the crash %s: up=%v disk=%+v, want its persisted commit >= %d", ns.Name, ns.Up, ns.DiskHardState, r.Index)
	}
	newLead := runUntilLeader(t, c)
	if newLead == lead {
		t.Fatalf("the crashed node %v still leads", lead)
	}
	if err := c.Restart(lead); err != nil {
		t.Fatal(err)
	}
	if err := c.RunFor(2 * time.Second); err != nil {
		t.Fatal(err)
	}
	ns, _ = c.Node(lead)
	if !ns.Up || ns.Status.Role != raft.Follower || ns.Applied < r.Index {
		t.Fatalf("restarted %s: up=%v role=%s applied=%d, want a follower that applied %d", ns.Name, ns.Up, ns.Status.Role, ns.Applied, r.Index)
	}
}

func TestHeldMessagesWaitForTheirCue(t *testing.T) {
	c := newCluster(t, sim.Options{Nodes: 3, Seed: 2})
	runUntilLeader(t, c)
	c.Hold()
	if err := c.RunFor(300 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	st := c.State()
	if len(st.Messages) == 0 {
		t.Fatal("the leader's heartbeats should be held in flight")
	}
	for _, m := range st.Messages {
		if !m.Held {
			t.Fatalf("%s was sent after Hold but is not held", m)
		}
	}
	first := st.Messages[0]
	got, err := c.Deliver(sim.MessageFilter{ID: first.ID})
	if err != nil || got.ID != first.ID {
		t.Fatalf("deliver m%d: got %v, %v", first.ID, got, err)
	}
	if _, err := c.Deliver(sim.MessageFilter{ID: first.ID}); err == nil {
		t.Fatal("a delivered message cannot be delivered again")
	}
	dup, err := c.Duplicate(sim.MessageFilter{AnyType: true})
	if err != nil || !dup.Held {
		t.Fatalf("a copy of a held message is held too: %v %v", dup, err)
	}
	c.Release()
	if err := c.RunFor(100 * time.Millisecond); err != nil {
		t.Fatal(err)
	}
	for _, m := range c.State().Messages {
		if m.Held {
			t.Fatalf("%s still held after Release", m)
		}
	}
}

func TestRequestsFailWithReasons(t *testing.T) {
	c := newCluster(t, sim.Options{Nodes: 3, Seed: 3})
	r := c.Put(raft.None, "x", "1")
	if err := c.Await(r, time.Second); err != nil {
		t.Fatal(err)
	}
	if !errors.Is(r.Err, sim.ErrNoLeader) {
		t.Fatalf("a put before any election: want ErrNoLeader, got %v", r.Err)
	}
	lead := runUntilLeader(t, c)
	c.Isolate(lead)
	r = c.Put(lead, "y", "2")
	if err := c.Await(r, 10*time.Second); err != nil {
		t.Fatal(err)
	}
	if r.Err == nil {
		t.Fatalf("a put to an isolated leader must not succeed: %s", r)
	}
	c.Heal()
	lead = runUntilLeader(t, c)
	g := c.Get(lead, "nothing", false)
	if err := c.Await(g, 10*time.Second); err != nil || g.Err != nil || g.Found {
		t.Fatalf("linearizable get of a missing key: %s %v", g, err)
	}
}

func TestOptionsAreValidated(t *testing.T) {
	for _, o := range []sim.Options{
		{Nodes: 0},
		{Nodes: 9, Learners: 1},
		{Nodes: 3, ElectionTicks: 2, HeartbeatTicks: 2},
		{Nodes: 3, Network: sim.LinkModel{MinLatency: 5, MaxLatency: 1}},
		{Nodes: 3, Network: sim.LinkModel{Loss: 2}},
	} {
		if _, err := sim.New(o); err == nil {
			t.Errorf("options %+v should be refused", o)
		}
	}
}

func TestIdleWhenEveryNodeIsDown(t *testing.T) {
	c := newCluster(t, sim.Options{Nodes: 1, Seed: 4})
	runUntilLeader(t, c)
	if err := c.Crash(1); err != nil {
		t.Fatal(err)
	}
	if err := c.RunFor(time.Second); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Step(); !errors.Is(err, sim.ErrIdle) {
		t.Fatalf("want ErrIdle, got %v", err)
	}
}

// BenchmarkSimulatorEvents: a 5-node cluster under steady client load, with
// invariant checks on; reports simulator events per second.
func BenchmarkSimulatorEvents(b *testing.B) {
	c, err := sim.New(sim.Options{Nodes: 5, Seed: 1, CheckInvariants: true, TraceLimit: 10_000})
	if err != nil {
		b.Fatal(err)
	}
	runUntilLeader(b, c)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if i%10 == 0 {
			c.Put(raft.None, "k", "v")
		}
		if _, err := c.Step(); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
}
