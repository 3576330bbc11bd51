package server

// A small in-test cluster: N Members joined by an in-memory network, each
// with a disk that keeps what Ready said to persist and a backend that
// survives crashes (an in-memory backend commits durably). Everything is
// driven by hand, deterministically: tick every running member, then
// deliver messages and carry out Readys until nothing moves.

import (
	"fmt"
	"slices"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

// disk is what a member persisted (as core/sim's disk).
type disk struct {
	hardState raft.HardState
	snapshot  *raft.Snapshot
	entries   []raft.Entry
}

func (d *disk) persist(rd Ready) {
	if !rd.HardState.IsEmpty() {
		d.hardState = rd.HardState
	}
	if !rd.Snapshot.IsEmpty() {
		s := *rd.Snapshot
		d.snapshot = &s
		d.entries = nil // a snapshot from the leader replaces the log
	}
	if len(rd.Entries) > 0 {
		first := rd.Entries[0].Index
		keep := len(d.entries)
		for keep > 0 && d.entries[keep-1].Index >= first {
			keep--
		}
		d.entries = append(d.entries[:keep:keep], rd.Entries...)
	}
	if rd.CreatedSnapshot != nil {
		s := *rd.CreatedSnapshot
		d.snapshot = &s
	}
	if rd.CompactIndex > 0 {
		i := 0
		for i < len(d.entries) && d.entries[i].Index <= rd.CompactIndex {
			i++
		}
		d.entries = slices.Clone(d.entries[i:])
	}
}

func (d *disk) entriesAfterSnapshot() []raft.Entry {
	var si uint64
	if d.snapshot != nil {
		si = d.snapshot.Meta.Index
	}
	var out []raft.Entry
	for _, e := range d.entries {
		if e.Index > si {
			out = append(out, e)
		}
	}
	return out
}

type testNode struct {
	info      MemberInfo
	m         *Member // nil while down
	backend   backend.Backend
	disk      disk
	responses map[uint64]Response
	events    []Event
	applied   int // entries applied, counted from Ready.CommittedEntries
}

type testCluster struct {
	t       *testing.T
	seed    uint64
	nodes   []*testNode
	infos   []MemberInfo
	tweak   func(*Config)
	msgs    []raft.Message
	cut     map[[2]raft.NodeID]bool
	nextReq uint64
	manual  *testNode // settle leaves this node's Readys to the test
}

// newCluster starts n members and elects a leader (n1 campaigns).
func newCluster(t *testing.T, n int, seed uint64, tweak func(*Config)) *testCluster {
	t.Helper()
	c := &testCluster{t: t, seed: seed, tweak: tweak, cut: map[[2]raft.NodeID]bool{}, nextReq: 1000}
	for i := 1; i <= n; i++ {
		urls := []string{fmt.Sprintf("http://n%d:2380", i)}
		c.infos = append(c.infos, MemberInfo{ID: MemberID(urls, "test-token", 0), Name: fmt.Sprintf("n%d", i), PeerURLs: urls})
	}
	for _, info := range c.infos {
		node := &testNode{info: info, backend: backend.NewMemory()}
		c.nodes = append(c.nodes, node)
		c.start(node, c.infos)
	}
	c.settle()
	if err := c.nodes[0].m.Campaign(); err != nil {
		t.Fatalf("campaign: %v (seed %d)", err, seed)
	}
	c.settle()
	c.runUntil(func() bool { return c.leader() >= 0 }, 100)
	return c
}

func (c *testCluster) config(node *testNode, initial []MemberInfo) Config {
	cfg := Config{
		ID: node.info.ID, Name: node.info.Name, ClusterToken: "test-token", InitialCluster: initial,
		Backend: node.backend, Rand: rng.New(c.seed*31 + uint64(node.info.ID)),
		HardState: node.disk.hardState, Snapshot: node.disk.snapshot, Entries: node.disk.entriesAfterSnapshot(),
	}
	if c.tweak != nil {
		c.tweak(&cfg)
	}
	return cfg
}

func (c *testCluster) start(node *testNode, initial []MemberInfo) {
	c.t.Helper()
	m, err := New(c.config(node, initial))
	if err != nil {
		c.t.Fatalf("start %s: %v (seed %d)", node.info.Name, err, c.seed)
	}
	node.m = m
	node.backend = m.Backend()
	if node.responses == nil {
		node.responses = map[uint64]Response{}
	}
}

// crash stops node i: its Member is gone, its disk and backend stay.
// A transaction BatchApply left open is lost, as in a crash.
func (c *testCluster) crash(i int) {
	if m := c.nodes[i].m; m != nil {
		m.be.abandon()
	}
	c.nodes[i].m = nil
}

// restart starts node i again from what it persisted.
func (c *testCluster) restart(i int) {
	c.t.Helper()
	c.start(c.nodes[i], c.infos)
	c.settle()
}

// isolate cuts node i off from every other node (both directions).
func (c *testCluster) isolate(i int) {
	for j := range c.nodes {
		if j != i {
			a, b := c.nodes[i].info.ID, c.nodes[j].info.ID
			c.cut[[2]raft.NodeID{a, b}], c.cut[[2]raft.NodeID{b, a}] = true, true
		}
	}
}

func (c *testCluster) heal() { c.cut = map[[2]raft.NodeID]bool{} }

func (c *testCluster) byID(id raft.NodeID) *testNode {
	for _, n := range c.nodes {
		if n.info.ID == id {
			return n
		}
	}
	return nil
}

// process carries out node's Readys until it has none.
func (c *testCluster) process(node *testNode) bool {
	did := false
	for node.m != nil && node.m.HasReady() {
		did = true
		rd := node.m.Ready()
		node.disk.persist(rd)
		c.msgs = append(c.msgs, rd.Messages...)
		node.m.Advance(rd)
		node.backend = node.m.Backend()
		node.applied += len(rd.CommittedEntries)
		for _, r := range rd.Responses {
			node.responses[r.ID] = r
		}
		node.events = append(node.events, rd.Events...)
	}
	return did
}

// settle delivers messages and carries out Readys until nothing moves.
func (c *testCluster) settle() {
	for round := 0; round < 10_000; round++ {
		moved := false
		for _, n := range c.nodes {
			if n != c.manual && c.process(n) {
				moved = true
			}
		}
		msgs := c.msgs
		c.msgs = nil
		for _, msg := range msgs {
			to := c.byID(msg.To)
			if to == nil || to.m == nil || c.cut[[2]raft.NodeID{msg.From, msg.To}] {
				continue
			}
			_ = to.m.Step(msg)
			moved = true
		}
		if !moved {
			return
		}
	}
	c.t.Fatalf("cluster does not settle (seed %d)", c.seed)
}

// tick ticks every running member once and settles.
func (c *testCluster) tick() {
	for _, n := range c.nodes {
		if n.m != nil {
			n.m.Tick()
		}
	}
	c.settle()
}

func (c *testCluster) ticks(k int) {
	for range k {
		c.tick()
	}
}

// runUntil ticks until cond holds, at most limit ticks.
func (c *testCluster) runUntil(cond func() bool, limit int) {
	c.t.Helper()
	for range limit {
		if cond() {
			return
		}
		c.tick()
	}
	if !cond() {
		c.t.Fatalf("condition not reached in %d ticks (seed %d)", limit, c.seed)
	}
}

// leader is the index of the running member that leads the highest term
// and has promoted its lessor (applied its no-op), or -1.
func (c *testCluster) leader() int {
	best, term := -1, uint64(0)
	for i, n := range c.nodes {
		if n.m != nil && n.m.role == raft.Leader && n.m.lessor.IsPrimary() && n.m.term >= term {
			best, term = i, n.m.term
		}
	}
	return best
}

// submit sends r to node i and returns its ID; the answer lands in
// node.responses.
func (c *testCluster) submit(i int, r Request) uint64 {
	c.nextReq++
	r.ID = c.nextReq
	c.nodes[i].m.Submit(r)
	c.settle()
	return r.ID
}

// do submits r to node i and ticks until it is answered.
func (c *testCluster) do(i int, r Request) Response {
	c.t.Helper()
	id := c.submit(i, r)
	node := c.nodes[i]
	c.runUntil(func() bool { _, ok := node.responses[id]; return ok }, 200)
	return node.responses[id]
}

// mustDo is do, failing the test on an error.
func (c *testCluster) mustDo(i int, r Request) Response {
	c.t.Helper()
	resp := c.do(i, r)
	if resp.Err != nil {
		c.t.Fatalf("request %+v on %s: %v (seed %d)", r, c.nodes[i].info.Name, resp.Err, c.seed)
	}
	return resp
}

func put(k, v string) Request {
	return Request{Put: &mvcc.PutRequest{Key: []byte(k), Value: []byte(v)}}
}

func get(k string, serializable bool) Request {
	return Request{Range: &mvcc.RangeRequest{Key: []byte(k)}, Serializable: serializable}
}

func mvccRangeOf(k string) mvcc.RangeRequest { return mvcc.RangeRequest{Key: []byte(k)} }
