package raft

// An adversarial network for the Raft state machine: every in-flight message
// sits in one pool and the test picks which one goes next, so messages are
// reordered, delayed, duplicated and lost at random. Between deliveries
// nodes tick, crash (sometimes halfway through a Ready, after persisting
// and before sending), restart from exactly what Ready told them to
// persist, are cut off by partitions, take snapshots and compact, change
// membership, transfer leadership and serve ReadIndex requests.
//
// After every single action the safety properties of Raft Figure 3 are
// checked, plus the contracts of Ready:
//
//   - Election Safety: one leader per term.
//   - Vote safety: one vote per node per term, across restarts.
//   - Log Matching: entries with the same index and term hold the same data
//     and follow the same previous term.
//   - Leader Completeness: a leader holds every entry committed before its
//     term.
//   - State Machine Safety: the application state after applying index i
//     is the same on every node (a hash chain, carried by snapshots too).
//   - commit never decreases within a node's life, applied <= commit <=
//     last index; a read index covers every write committed before the read.
//   - persist before send: a granted vote and an append acknowledgement
//     are on "disk" when they leave; committed entries handed out are too.
//
// Then the network heals and the cluster must elect a leader and commit a
// new proposal everywhere. Every failure prints the seed and the last
// actions; ETCDLAB_RAFT_SEED=n replays one seed, ETCDLAB_RAFT_SEEDS=n runs
// more of them.

import (
	"fmt"
	"hash/fnv"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// advTraceLen is how many recent actions a failure prints
// (ETCDLAB_RAFT_TRACE overrides it).
var advTraceLen = 60

func TestAdversarial(t *testing.T) {
	if s := os.Getenv("ETCDLAB_RAFT_TRACE"); s != "" {
		advTraceLen, _ = strconv.Atoi(s)
	}
	first, count := uint64(1), uint64(200)
	if testing.Short() {
		count = 20
	}
	if s := os.Getenv("ETCDLAB_RAFT_SEEDS"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("ETCDLAB_RAFT_SEEDS=%q: %v", s, err)
		}
		count = n
	}
	if s := os.Getenv("ETCDLAB_RAFT_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("ETCDLAB_RAFT_SEED=%q: %v", s, err)
		}
		first, count = n, 1
		if s := os.Getenv("ETCDLAB_RAFT_SEEDS"); s != "" {
			count, _ = strconv.ParseUint(s, 10, 64)
		}
	}
	steps := 2500
	if s := os.Getenv("ETCDLAB_RAFT_STEPS"); s != "" {
		steps, _ = strconv.Atoi(s)
	}
	total := map[string]int{}
	for seed := first; seed < first+count; seed++ {
		c := newAdvCluster(t, seed)
		c.run(steps)
		c.heal()
		for k, v := range c.stats {
			total[k] += v
		}
	}
	t.Logf("%d seeds; events: %v", count, total)
}

// advNode is one member: the running state machine (nil while crashed)
// and what it persisted and applied durably.
type advNode struct {
	id   NodeID
	node *Node
	boot []ConfChange // a node that persisted nothing bootstraps again

	// durable state, written only as Ready says
	hs      HardState
	snap    *Snapshot
	ents    []Entry
	applied uint64
	appHash uint64 // the application state after applying `applied`

	// checks within one life of the process
	lastCommit uint64
	verifiedTo uint64 // committed entries compared with the global record
	removed    bool   // a removal of this node was applied: stopped for good
}

type committedFact struct {
	term, hash uint64
	seenInTerm uint64 // a term at which some node knew it committed
}

type entryFact struct{ hash, prevTerm uint64 }

type readWait struct {
	minIndex uint64 // the highest commit anywhere when the read started
	node     NodeID
}

type advCluster struct {
	t    *testing.T
	seed uint64
	r    *rng.Source
	step int

	ids   []NodeID
	nodes map[NodeID]*advNode
	pool  []Message
	cut   map[[2]NodeID]bool
	next  NodeID // the next fresh node id

	preVote, checkQuorum bool
	chunkBytes           int
	storm                float64 // the chance that a step is a fault
	lazy                 bool    // Ready batches sometimes wait for later inputs
	healed               bool    // no more faults
	finalApplied         bool    // some node applied the proposal made after healing

	// what the whole run learned
	leaders   map[uint64]NodeID
	votes     map[[2]uint64]NodeID
	entries   map[[2]uint64]entryFact
	committed map[uint64]committedFact
	hashAt    map[uint64]uint64
	maxCommit uint64
	reads     map[string]readWait
	proposals int
	trace     []string
	stats     map[string]int
}

func newAdvCluster(t *testing.T, seed uint64) *advCluster {
	r := rng.New(seed)
	c := &advCluster{
		t: t, seed: seed, r: r, nodes: map[NodeID]*advNode{}, cut: map[[2]NodeID]bool{},
		preVote: !r.Chance(0.25), checkQuorum: !r.Chance(0.25), chunkBytes: 8 + r.Intn(40),
		leaders: map[uint64]NodeID{}, votes: map[[2]uint64]NodeID{}, entries: map[[2]uint64]entryFact{},
		committed: map[uint64]committedFact{}, hashAt: map[uint64]uint64{}, reads: map[string]readWait{},
		stats: map[string]int{}, storm: 0.005 + 0.04*r.Float64(), lazy: r.Chance(0.3),
	}
	voters := 3 + r.Intn(3)
	var boot []ConfChange
	for i := 1; i <= voters; i++ {
		boot = append(boot, ConfChange{Type: AddVoter, Node: NodeID(i)})
	}
	for i := 1; i <= voters; i++ {
		c.addNode(NodeID(i), boot)
	}
	c.next = NodeID(voters + 1)
	c.note("cluster of %d voters, prevote=%v checkquorum=%v chunk=%d storm=%.3f lazy=%v", voters, c.preVote, c.checkQuorum, c.chunkBytes, c.storm, c.lazy)
	return c
}

func (c *advCluster) config(id NodeID) Config {
	return Config{
		ID: id, ElectionTicks: 10, HeartbeatTicks: 1, Rand: rng.New(c.r.Uint64()),
		DisablePreVote: !c.preVote, DisableCheckQuorum: !c.checkQuorum,
		MaxInflightMsgs: 1 + c.r.Intn(4), MaxSizePerMsg: uint64(1 + c.r.Intn(40)),
		SnapshotChunkBytes: c.chunkBytes,
	}
}

// addNode starts a brand-new node (boot nil: it joins a running cluster).
func (c *advCluster) addNode(id NodeID, boot []ConfChange) {
	cfg := c.config(id)
	cfg.Bootstrap = boot
	n, err := New(cfg)
	if err != nil {
		c.fail("New(n%d): %v", id, err)
	}
	c.nodes[id] = &advNode{id: id, node: n, boot: boot}
	c.ids = append(c.ids, id)
	slices.Sort(c.ids)
}

// note records an action for the failure message.
func (c *advCluster) note(format string, args ...any) {
	c.trace = append(c.trace, fmt.Sprintf("%5d ", c.step)+fmt.Sprintf(format, args...))
	if len(c.trace) > advTraceLen {
		c.trace = c.trace[1:]
	}
}

func (c *advCluster) fail(format string, args ...any) {
	c.t.Helper()
	c.t.Fatalf("seed %d, step %d: %s\nreplay: ETCDLAB_RAFT_SEED=%d go test ./core/raft/ -run TestAdversarial\nlast actions:\n%s\nnodes:\n%s",
		c.seed, c.step, fmt.Sprintf(format, args...), c.seed, strings.Join(c.trace, "\n"), c.dump())
}

// dump describes every running node, its log included.
func (c *advCluster) dump() string {
	var b strings.Builder
	for _, id := range c.ids {
		nd := c.nodes[id]
		if nd.node == nil {
			fmt.Fprintf(&b, "  n%d down (removed %v)\n", id, nd.removed)
			continue
		}
		n := nd.node
		fmt.Fprintf(&b, "  n%d %v term=%d vote=%d commit=%d applied=%d snap=%d/%d conf=%v log:", id, n.role, n.term, n.vote,
			n.log.committed, n.applied, n.log.snapIndex, n.log.snapTerm, n.conf.confState())
		for _, e := range n.log.entries {
			fmt.Fprintf(&b, " %d/%d", e.Index, e.Term)
			if e.Type == EntryConfChange {
				cc, _ := UnmarshalConfChange(e.Data)
				fmt.Fprintf(&b, "(%s n%d)", cc.Type, cc.Node)
			} else if len(e.Data) > 0 {
				fmt.Fprintf(&b, "(%s)", e.Data)
			}
		}
		b.WriteString("\n")
	}
	return b.String()
}

// run performs steps random actions, checking the invariants after each.
func (c *advCluster) run(steps int) {
	for c.step = 0; c.step < steps; c.step++ {
		c.randomAction()
		c.checkAll()
	}
}

// randomAction does one thing; faults come at the seed's storm rate.
func (c *advCluster) randomAction() {
	fault := c.r.Float64() < c.storm
	switch p := c.r.Float64(); {
	case fault && p < 0.3:
		c.crash(c.randomLive())
	case fault && p < 0.6:
		c.partition()
	case fault:
		c.note("heal partitions")
		clear(c.cut)
	case p < 0.55:
		c.deliverRandom(0.05, 0.08)
	case p < 0.75:
		c.tick(c.randomLive())
	case p < 0.85:
		c.propose()
	case p < 0.87:
		c.restartRandom()
	case p < 0.90:
		c.snapshot(c.randomLive())
	case p < 0.91:
		c.reconfigure()
	case p < 0.913:
		c.transfer()
	case p < 0.93:
		c.read(c.randomLive())
	case p < 0.96:
		for _, id := range c.ids {
			c.flushReady(id)
		}
	default:
		for _, id := range c.ids {
			c.tick(id)
		}
	}
}

func (c *advCluster) live(id NodeID) bool {
	nd := c.nodes[id]
	return nd != nil && nd.node != nil && !nd.removed
}

func (c *advCluster) randomLive() NodeID {
	var live []NodeID
	for _, id := range c.ids {
		if c.live(id) {
			live = append(live, id)
		}
	}
	if len(live) == 0 {
		return None
	}
	return live[c.r.Intn(len(live))]
}

// deliverRandom takes a random message out of the pool and delivers it,
// or loses it (probability loss), or delivers it and keeps a copy for a
// later duplicate delivery (probability dup).
func (c *advCluster) deliverRandom(loss, dup float64) {
	if len(c.pool) == 0 {
		return
	}
	i := c.r.Intn(len(c.pool))
	m := c.pool[i]
	switch {
	case c.r.Chance(dup):
		m = cloneMessage(m)
	default:
		c.pool = slices.Delete(c.pool, i, i+1)
	}
	if c.r.Chance(loss) {
		c.note("lose %s", describe(m))
		return
	}
	c.deliver(m)
}

func (c *advCluster) deliver(m Message) {
	if !c.live(m.To) || c.cut[[2]NodeID{m.From, m.To}] {
		return
	}
	c.note("deliver %s", describe(m))
	_ = c.nodes[m.To].node.Step(m)
	c.handleReady(m.To)
}

func (c *advCluster) tick(id NodeID) {
	if !c.live(id) {
		return
	}
	c.nodes[id].node.Tick()
	c.handleReady(id)
}

func (c *advCluster) propose() {
	id := c.randomLive()
	if id == None {
		return
	}
	c.proposals++
	data := fmt.Sprintf("p%d", c.proposals)
	err := c.nodes[id].node.Propose([]byte(data))
	c.note("propose %s at n%d: %v", data, id, err)
	c.handleReady(id)
}

func (c *advCluster) crash(id NodeID) {
	if id == None {
		return
	}
	down := 0
	for _, other := range c.ids {
		if !c.live(other) && !c.nodes[other].removed {
			down++
		}
	}
	if down >= 2 {
		return
	}
	c.note("crash n%d", id)
	c.nodes[id].node = nil
}

func (c *advCluster) restartRandom() {
	var down []NodeID
	for _, id := range c.ids {
		if nd := c.nodes[id]; nd.node == nil && !nd.removed {
			down = append(down, id)
		}
	}
	if len(down) > 0 {
		c.restart(down[c.r.Intn(len(down))])
	}
}

// restart rebuilds a node from its durable state only.
func (c *advCluster) restart(id NodeID) {
	nd := c.nodes[id]
	if nd.snap != nil && nd.snap.Meta.Index > nd.applied {
		// It crashed after persisting a snapshot and before installing it
		// in the application: the application recovers from the file.
		c.applySnapshot(nd, nd.snap)
	}
	cfg := c.config(id)
	cfg.HardState, cfg.Snapshot, cfg.Entries, cfg.Applied = nd.hs, cloneSnapshot(nd.snap), cloneEntries(nd.ents), nd.applied
	cfg.Bootstrap = nd.boot // used only if nothing was persisted, as a daemon with an empty data dir
	n, err := New(cfg)
	if err != nil {
		c.fail("restart n%d: %v", id, err)
	}
	c.note("restart n%d (hs %+v, applied %d, %d entries)", id, nd.hs, nd.applied, len(nd.ents))
	nd.node, nd.lastCommit, nd.verifiedTo = n, 0, 0
	c.handleReady(id)
}

// partition isolates one node, or splits the nodes in two groups.
func (c *advCluster) partition() {
	clear(c.cut)
	if c.r.Chance(0.5) {
		x := c.ids[c.r.Intn(len(c.ids))]
		for _, y := range c.ids {
			c.cut[[2]NodeID{x, y}], c.cut[[2]NodeID{y, x}] = true, true
		}
		c.note("isolate n%d", x)
		return
	}
	side := map[NodeID]bool{}
	for _, id := range c.ids {
		side[id] = c.r.Chance(0.5)
	}
	for _, x := range c.ids {
		for _, y := range c.ids {
			if side[x] != side[y] {
				c.cut[[2]NodeID{x, y}] = true
			}
		}
	}
	c.note("split %v", side)
}

// snapshot takes an application snapshot at the applied index and
// compacts, sometimes keeping a few entries behind it.
func (c *advCluster) snapshot(id NodeID) {
	if id == None {
		return
	}
	nd := c.nodes[id]
	if nd.applied < nd.node.snapshotIndex()+2 {
		return
	}
	snap, err := nd.node.CreateSnapshot(c.snapshotData(nd))
	if err != nil {
		c.fail("n%d.CreateSnapshot at applied %d: %v", id, nd.applied, err)
	}
	if nd.snap == nil || nd.snap.Meta.Index < snap.Meta.Index {
		nd.snap = cloneSnapshot(&snap)
		for len(nd.ents) > 0 && nd.ents[0].Index <= snap.Meta.Index {
			nd.ents = nd.ents[1:]
		}
	}
	to := snap.Meta.Index - uint64(c.r.Intn(3))
	if to > nd.node.log.snapIndex {
		if err := nd.node.Compact(to); err != nil {
			c.fail("n%d.Compact(%d): %v", id, to, err)
		}
	}
	c.note("n%d snapshot at %d, compact to %d", id, snap.Meta.Index, to)
	c.handleReady(id)
}

// snapshotData encodes the application state with the creating node's id
// and some padding (snapshots of the same index differ in bytes from node
// to node, as bbolt files do), closed by a checksum.
func (c *advCluster) snapshotData(nd *advNode) []byte {
	body := fmt.Sprintf("index=%d hash=%x by=n%d pad=%s", nd.applied, nd.appHash, nd.id, strings.Repeat("x", c.r.Intn(80)))
	return []byte(fmt.Sprintf("%s|%x", body, hashOf([]byte(body))))
}

// parseSnapshotData checks and decodes snapshotData.
func parseSnapshotData(b []byte) (index, hash uint64, err error) {
	s := string(b)
	cut := strings.LastIndexByte(s, '|')
	if cut < 0 || fmt.Sprintf("%x", hashOf([]byte(s[:cut]))) != s[cut+1:] {
		return 0, 0, fmt.Errorf("corrupt snapshot data %q", s)
	}
	_, err = fmt.Sscanf(s[:cut], "index=%d hash=%x", &index, &hash)
	return index, hash, err
}

func (c *advCluster) leader() NodeID {
	best, term := None, uint64(0)
	for _, id := range c.ids {
		if c.live(id) && c.nodes[id].node.role == Leader && c.nodes[id].node.term >= term {
			best, term = id, c.nodes[id].node.term
		}
	}
	return best
}

// reconfigure asks the leader for one membership change: add a learner or
// a voter, promote a learner, or remove a member (the leader too).
func (c *advCluster) reconfigure() {
	l := c.leader()
	if l == None {
		return
	}
	conf := c.nodes[l].node.conf
	var cc ConfChange
	switch {
	case len(conf.learners) > 0 && c.r.Chance(0.7):
		cc = ConfChange{Type: PromoteLearner, Node: conf.learners[c.r.Intn(len(conf.learners))]}
	case len(conf.voters) >= 4 || (len(conf.voters) == 3 && len(conf.learners) > 0):
		members := conf.members()
		cc = ConfChange{Type: RemoveNode, Node: members[c.r.Intn(len(members))]}
	case c.next <= 12:
		cc = ConfChange{Type: AddLearner, Node: c.next}
		if c.r.Chance(0.3) {
			cc.Type = AddVoter
		}
		if c.nodes[c.next] == nil {
			c.addNode(c.next, nil)
		}
	default:
		return
	}
	err := c.nodes[l].node.ProposeConfChange(cc)
	c.note("n%d proposes %s n%d: %v", l, cc.Type, cc.Node, err)
	if err == nil && cc.Node == c.next {
		c.next++
	}
	c.handleReady(l)
}

func (c *advCluster) transfer() {
	l := c.leader()
	if l == None {
		return
	}
	voters := c.nodes[l].node.conf.voters
	to := voters[c.r.Intn(len(voters))]
	c.note("n%d transfers to n%d", l, to)
	c.nodes[l].node.TransferLeader(to)
	c.handleReady(l)
}

func (c *advCluster) read(id NodeID) {
	if id == None {
		return
	}
	ctx := fmt.Sprintf("r%d", c.step)
	c.reads[ctx] = readWait{minIndex: c.maxCommit, node: id}
	c.note("n%d ReadIndex %s (max commit %d)", id, ctx, c.maxCommit)
	c.nodes[id].node.ReadIndex([]byte(ctx))
	c.handleReady(id)
}

// handleReady carries out every Ready of id as the contract says:
// persist, send, apply, Advance. Rarely the node crashes after persisting
// and before sending. In a lazy run the batch often waits, so that one
// Ready gathers the output of several inputs.
func (c *advCluster) handleReady(id NodeID) {
	if c.lazy && !c.healed && c.r.Chance(0.5) {
		return
	}
	c.flushReady(id)
}

func (c *advCluster) flushReady(id NodeID) {
	for c.live(id) && c.nodes[id].node.HasReady() {
		nd := c.nodes[id]
		rd := nd.node.Ready()
		c.persist(nd, rd)
		c.checkPersistedBeforeSend(nd, rd)
		if !c.healed && c.r.Chance(0.005) {
			c.note("crash n%d after persisting, before sending", id)
			nd.node = nil
			return
		}
		for _, m := range rd.Messages {
			c.pool = append(c.pool, cloneMessage(m))
		}
		c.applySnapshot(nd, rd.Snapshot)
		c.applyEntries(nd, rd.CommittedEntries)
		c.recordEvents(rd.Events)
		c.checkReadStates(nd, rd.ReadStates)
		nd.node.Advance(rd)
	}
}

// persist writes what rd asks to the node's "disk".
func (c *advCluster) persist(nd *advNode, rd Ready) {
	if !rd.HardState.IsEmpty() {
		nd.hs = rd.HardState
	}
	if rd.Snapshot != nil {
		nd.snap = cloneSnapshot(rd.Snapshot)
		nd.ents = nil
	}
	if len(rd.Entries) > 0 {
		first := rd.Entries[0].Index
		if last := nd.lastPersisted(); first > last+1 {
			c.fail("n%d: Ready.Entries start at %d, storage ends at %d (a gap)", nd.id, first, last)
		}
		keep := 0
		for keep < len(nd.ents) && nd.ents[keep].Index < first {
			keep++
		}
		nd.ents = append(nd.ents[:keep], cloneEntries(rd.Entries)...)
	}
	if nd.hs.Commit > nd.lastPersisted() {
		c.fail("n%d: persisted commit %d beyond the persisted log (last %d)", nd.id, nd.hs.Commit, nd.lastPersisted())
	}
}

func (nd *advNode) lastPersisted() uint64 {
	if len(nd.ents) > 0 {
		return nd.ents[len(nd.ents)-1].Index
	}
	if nd.snap != nil {
		return nd.snap.Meta.Index
	}
	return 0
}

// persistedTerm returns the term of the persisted entry at i (ok false if
// not persisted).
func (nd *advNode) persistedTerm(i uint64) (uint64, bool) {
	if nd.snap != nil && i == nd.snap.Meta.Index {
		return nd.snap.Meta.Term, true
	}
	if len(nd.ents) == 0 || i < nd.ents[0].Index || i > nd.ents[len(nd.ents)-1].Index {
		return 0, false
	}
	return nd.ents[i-nd.ents[0].Index].Term, true
}

// checkPersistedBeforeSend: what a message promises is on disk.
func (c *advCluster) checkPersistedBeforeSend(nd *advNode, rd Ready) {
	for _, m := range rd.Messages {
		switch {
		case nd.hs.Term > m.Term:
			// A later term is on disk: the node will never act in m's
			// term again, whatever it promised there.
		case m.Type == MsgVoteResp && !m.Reject:
			if nd.hs.Term != m.Term || nd.hs.Vote != m.To {
				c.fail("n%d grants its vote to n%d in term %d but persisted %+v", nd.id, m.To, m.Term, nd.hs)
			}
		case m.Type == MsgAppResp && !m.Reject && m.Index > 0:
			if nd.lastPersisted() < m.Index && (nd.snap == nil || nd.snap.Meta.Index < m.Index) {
				c.fail("n%d acknowledges index %d to n%d but persisted only up to %d", nd.id, m.Index, m.To, nd.lastPersisted())
			}
		}
		if m.Type == MsgAppResp && !m.Reject && m.Index > 0 && nd.node.term == m.Term {
			c.checkAckMatches(nd, m)
		}
	}
	for _, e := range rd.CommittedEntries {
		if nd.snap != nil && e.Index <= nd.snap.Meta.Index {
			continue
		}
		if t, ok := nd.persistedTerm(e.Index); !ok || t != e.Term {
			c.fail("n%d: committed entry %d (term %d) handed out but not persisted", nd.id, e.Index, e.Term)
		}
	}
}

// checkAckMatches: an append acknowledgement up to i tells the leader
// that the logs match up to i (Figure 2, matchIndex), so the entry at i
// must be the leader's.
func (c *advCluster) checkAckMatches(nd *advNode, m Message) {
	l, ok := c.nodes[m.To]
	if !ok || l.node == nil || l.node.role != Leader || l.node.term != m.Term {
		return
	}
	want, ok := l.node.log.term(m.Index)
	if !ok {
		if m.Index > l.node.log.lastIndex() {
			c.fail("n%d acknowledges index %d to leader n%d whose log ends at %d", nd.id, m.Index, m.To, l.node.log.lastIndex())
		}
		return
	}
	if got, ok := nd.node.log.term(m.Index); ok && got != want {
		c.fail("n%d acknowledges index %d (term %d) to leader n%d which has term %d there", nd.id, m.Index, got, m.To, want)
	}
}

func (c *advCluster) applySnapshot(nd *advNode, s *Snapshot) {
	if s == nil {
		return
	}
	index, hash, err := parseSnapshotData(s.Data)
	switch {
	case err != nil:
		c.fail("n%d installs snapshot %d: %v", nd.id, s.Meta.Index, err)
	case index != s.Meta.Index:
		c.fail("n%d installs snapshot with meta index %d but data of index %d", nd.id, s.Meta.Index, index)
	case s.Meta.Index <= nd.applied:
		c.fail("n%d installs snapshot %d at or below its applied index %d", nd.id, s.Meta.Index, nd.applied)
	}
	c.recordHash(nd.id, index, hash)
	nd.applied, nd.appHash = index, hash
}

func (c *advCluster) applyEntries(nd *advNode, ents []Entry) {
	for _, e := range ents {
		if e.Index <= nd.applied {
			continue
		}
		if e.Index != nd.applied+1 {
			c.fail("n%d applies entry %d after %d", nd.id, e.Index, nd.applied)
		}
		nd.appHash = hashOf([]byte(fmt.Sprintf("%x/%d/%d/%d/%x", nd.appHash, e.Index, e.Term, e.Type, e.Data)))
		nd.applied = e.Index
		c.recordHash(nd.id, e.Index, nd.appHash)
		if e.Type == EntryConfChange {
			c.noteRemoval(e)
		}
		c.finalApplied = c.finalApplied || string(e.Data) == "final"
	}
}

// noteRemoval stops a removed node for good once its removal is applied
// somewhere (etcd shuts a removed member down).
func (c *advCluster) noteRemoval(e Entry) {
	cc, err := UnmarshalConfChange(e.Data)
	if err != nil || cc.Type != RemoveNode || c.nodes[cc.Node] == nil {
		return
	}
	if nd := c.nodes[cc.Node]; !nd.removed {
		c.note("n%d removed at %d: stopped", cc.Node, e.Index)
		nd.removed = true
	}
}

func (c *advCluster) recordHash(id NodeID, index, hash uint64) {
	if want, ok := c.hashAt[index]; ok && want != hash {
		c.fail("State Machine Safety: n%d state after %d is %x, another node had %x", id, index, hash, want)
	}
	c.hashAt[index] = hash
}

func (c *advCluster) recordEvents(evs []Event) {
	for _, e := range evs {
		c.stats[e.Kind.String()]++
		if e.Kind == EvProposalDropped {
			c.stats["drop: "+e.Reason]++
		}
		switch {
		case e.Kind == EvRoleChanged && e.Role == Leader:
			c.recordLeader(e.Term, e.Node)
		case e.Kind == EvVoteGranted && e.Reason == "vote":
			key := [2]uint64{uint64(e.Node), e.Term}
			if prev, ok := c.votes[key]; ok && prev != e.Peer {
				c.fail("n%d voted for n%d and n%d in term %d", e.Node, prev, e.Peer, e.Term)
			}
			c.votes[key] = e.Peer
		}
	}
}

func (c *advCluster) recordLeader(term uint64, id NodeID) {
	if prev, ok := c.leaders[term]; ok && prev != id {
		c.fail("Election Safety: n%d and n%d both lead term %d", prev, id, term)
	}
	c.leaders[term] = id
}

// checkReadStates: a read index covers every entry that was committed
// anywhere before the read was asked for (linearizability, thesis §6.4).
func (c *advCluster) checkReadStates(nd *advNode, rss []ReadState) {
	for _, rs := range rss {
		w, ok := c.reads[string(rs.RequestCtx)]
		if !ok {
			c.fail("n%d got a ReadState for unknown context %q", nd.id, rs.RequestCtx)
		}
		if rs.Index < w.minIndex {
			c.fail("n%d: read %s answered with index %d, but %d was committed before it started", nd.id, rs.RequestCtx, rs.Index, w.minIndex)
		}
	}
}

// checkAll checks every live node against what the run knows.
func (c *advCluster) checkAll() {
	for _, id := range c.ids {
		if c.live(id) {
			c.checkNode(c.nodes[id])
		}
	}
	if l := c.leader(); l != None {
		c.checkLeaderCompleteness(c.nodes[l])
	}
}

func (c *advCluster) checkNode(nd *advNode) {
	n := nd.node
	commit, last := n.log.committed, n.log.lastIndex()
	switch {
	case commit < nd.lastCommit:
		c.fail("n%d commit went back from %d to %d", nd.id, nd.lastCommit, commit)
	case commit > last:
		c.fail("n%d commit %d beyond its last index %d", nd.id, commit, last)
	case n.applied > commit:
		c.fail("n%d applied %d beyond commit %d", nd.id, n.applied, commit)
	}
	if n.role == Leader {
		c.recordLeader(n.term, nd.id)
	}
	nd.lastCommit = commit
	c.maxCommit = max(c.maxCommit, commit)
	c.checkLogMatching(nd)
	c.checkCommitted(nd)
}

// checkLogMatching: an (index, term) pair names one entry everywhere, with
// the same predecessor term (Raft §5.3, Log Matching, by induction).
func (c *advCluster) checkLogMatching(nd *advNode) {
	l := nd.node.log
	prevTerm := l.snapTerm
	for _, e := range l.entries {
		fact := entryFact{hash: entryHash(e), prevTerm: prevTerm}
		key := [2]uint64{e.Index, e.Term}
		if want, ok := c.entries[key]; ok && want != fact {
			c.fail("Log Matching: n%d entry %d term %d is %+v, elsewhere %+v", nd.id, e.Index, e.Term, fact, want)
		}
		c.entries[key] = fact
		prevTerm = e.Term
	}
}

// checkCommitted: committed entries are the same everywhere and never
// change (State Machine Safety, at the log level).
func (c *advCluster) checkCommitted(nd *advNode) {
	l := nd.node.log
	for i := max(nd.verifiedTo+1, l.firstIndex()); i <= l.committed; i++ {
		e := l.entries[i-l.firstIndex()]
		if want, ok := c.committed[i]; ok {
			if want.term != e.Term || want.hash != entryHash(e) {
				c.fail("n%d committed entry %d term %d, another node committed term %d there", nd.id, i, e.Term, want.term)
			}
			continue
		}
		c.committed[i] = committedFact{term: e.Term, hash: entryHash(e), seenInTerm: nd.node.term}
	}
	nd.verifiedTo = max(nd.verifiedTo, l.committed)
}

// checkLeaderCompleteness: a leader of term T holds every entry known
// committed in a term before T (Raft §5.4).
func (c *advCluster) checkLeaderCompleteness(nd *advNode) {
	n := nd.node
	for i := c.maxCommit; i > n.log.snapIndex; i-- {
		f, ok := c.committed[i]
		if !ok || f.seenInTerm >= n.term {
			continue
		}
		t, ok := n.log.term(i)
		if !ok || t != f.term {
			c.fail("Leader Completeness: leader n%d (term %d) lacks entry %d (term %d), committed by term %d", nd.id, n.term, i, f.term, f.seenInTerm)
		}
		return // Log Matching covers the entries before it
	}
}

// heal ends the faults and checks the cluster recovers: a leader emerges,
// a new proposal commits (proposed again if a leader change loses it) and
// every member applies the whole log.
func (c *advCluster) heal() {
	c.note("heal: no more faults")
	c.healed = true
	clear(c.cut)
	for _, id := range c.ids {
		if nd := c.nodes[id]; nd.node == nil && !nd.removed {
			c.restart(id)
		}
	}
	c.settle(200, func() bool { return c.stableLeader() != None })
	if c.stableLeader() == None {
		c.fail("liveness: no leader after healing for 200 ticks")
	}
	c.settle(200, func() bool {
		l := c.stableLeader()
		if l != None && !c.finalApplied && !c.holdsFinal(l) {
			err := c.nodes[l].node.Propose([]byte("final"))
			c.note("n%d proposes final: %v", l, err)
			c.handleReady(l)
		}
		return c.finalApplied && c.allApplied(l)
	})
	if l := c.stableLeader(); !c.finalApplied || !c.allApplied(l) {
		c.fail("liveness: not every member applied the final entry within 200 ticks (leader n%d)", l)
	}
	c.checkAll()
}

// holdsFinal reports whether the log of id holds the final proposal.
func (c *advCluster) holdsFinal(id NodeID) bool {
	return slices.ContainsFunc(c.nodes[id].node.log.entries, func(e Entry) bool { return string(e.Data) == "final" })
}

// settle delivers everything (in random order, no loss) and ticks, until
// done or ticks run out.
func (c *advCluster) settle(ticks int, done func() bool) {
	for i := 0; i < ticks && !done(); i++ {
		for len(c.pool) > 0 {
			c.deliverRandom(0, 0)
			c.checkAll()
			c.step++
		}
		for _, id := range c.ids {
			c.tick(id)
		}
		c.checkAll()
		c.step++
	}
}

// stableLeader is the leader whose term every live member shares.
func (c *advCluster) stableLeader() NodeID {
	l := c.leader()
	if l == None {
		return None
	}
	for _, id := range c.nodes[l].node.conf.members() {
		if c.live(id) && c.nodes[id].node.term != c.nodes[l].node.term {
			return None
		}
	}
	return l
}

// allApplied: every live member holds and applied the leader's log.
func (c *advCluster) allApplied(l NodeID) bool {
	if l == None || !c.live(l) {
		return false
	}
	ln := c.nodes[l].node
	last := ln.log.lastIndex()
	if ln.log.committed != last {
		return false
	}
	for _, id := range ln.conf.members() {
		if !c.live(id) || c.nodes[id].applied != last {
			return false
		}
	}
	return true
}

func entryHash(e Entry) uint64 {
	return hashOf([]byte(fmt.Sprintf("%d/%d/%d/%x", e.Index, e.Term, e.Type, e.Data)))
}

func hashOf(b []byte) uint64 {
	h := fnv.New64a()
	h.Write(b)
	return h.Sum64()
}

func cloneMessage(m Message) Message {
	m.Entries = cloneEntries(m.Entries)
	if m.SnapMeta != nil {
		meta := *m.SnapMeta
		meta.Conf = membershipOf(meta.Conf).confState()
		m.SnapMeta = &meta
	}
	m.SnapChunk = slices.Clone(m.SnapChunk)
	m.Context = slices.Clone(m.Context)
	return m
}

func describe(m Message) string {
	s := fmt.Sprintf("%v %d->%d t%d i%d lt%d c%d", m.Type, m.From, m.To, m.Term, m.Index, m.LogTerm, m.Commit)
	if len(m.Entries) > 0 {
		s += fmt.Sprintf(" ents[%d..%d]", m.Entries[0].Index, m.Entries[len(m.Entries)-1].Index)
	}
	if m.Reject {
		s += fmt.Sprintf(" reject hint=%d/%d", m.RejectHint, m.HintTerm)
	}
	if m.Type == MsgSnap || m.Type == MsgSnapResp {
		s += fmt.Sprintf(" off=%d/%d", m.SnapOffset, m.SnapTotal)
	}
	if len(m.Context) > 0 {
		s += " ctx=" + string(m.Context)
	}
	return s
}
