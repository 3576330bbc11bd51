package raft

// A tiny in-memory cluster for the unit tests: nodes, a fake durable
// storage per node, and a network that delivers every message
// synchronously, in FIFO order, until the cluster is quiet. Links can be
// cut, nodes isolated or crashed, and individual messages dropped. Every
// network is built from a seed; a failing test logs the seed that replays it.

import (
	"slices"
	"testing"

	"github.com/etcdlab/etcdlab/core/rng"
)

// storage is what one node persisted and applied.
type storage struct {
	hs      HardState
	snap    *Snapshot
	ents    []Entry
	applied uint64
	// data holds the Data of every applied normal entry, in order.
	data [][]byte
	// confs counts applied conf-change entries.
	confs int
}

func (s *storage) persist(rd Ready) {
	if !rd.HardState.IsEmpty() {
		s.hs = rd.HardState
	}
	if rd.Snapshot != nil {
		s.snap = cloneSnapshot(rd.Snapshot)
		s.ents = nil
	}
	if len(rd.Entries) > 0 {
		first := rd.Entries[0].Index
		keep := 0
		for keep < len(s.ents) && s.ents[keep].Index < first {
			keep++
		}
		s.ents = append(s.ents[:keep], cloneEntries(rd.Entries)...)
	}
}

func (s *storage) apply(rd Ready) {
	if rd.Snapshot != nil {
		s.applied = rd.Snapshot.Meta.Index
	}
	for _, e := range rd.CommittedEntries {
		if e.Index <= s.applied {
			continue
		}
		s.applied = e.Index
		if e.Type == EntryConfChange {
			s.confs++
		} else if len(e.Data) > 0 {
			s.data = append(s.data, e.Data)
		}
	}
}

type network struct {
	t     testing.TB
	seed  uint64
	ids   []NodeID
	nodes map[NodeID]*Node
	store map[NodeID]*storage
	cfgFn func(*Config)

	down     map[NodeID]bool      // crashed: neither sends nor receives
	isolated map[NodeID]bool      // alive but cut off from everyone
	cut      map[[2]NodeID]bool   // one-way links that drop everything
	drop     func(m Message) bool // drops a message if it returns true

	delivered  map[MsgType]int // messages delivered, by type
	sent       []Message       // every message delivered, in order
	readStates map[NodeID][]ReadState
	events     []Event
}

// newNetwork bootstraps voters 1..voters; cfgFn (may be nil) adjusts each
// node's config.
func newNetwork(t testing.TB, seed uint64, voters int, cfgFn func(*Config)) *network {
	t.Helper()
	nw := &network{
		t: t, seed: seed, nodes: map[NodeID]*Node{}, store: map[NodeID]*storage{}, cfgFn: cfgFn,
		down: map[NodeID]bool{}, isolated: map[NodeID]bool{}, cut: map[[2]NodeID]bool{},
		delivered: map[MsgType]int{}, readStates: map[NodeID][]ReadState{},
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("replay: this network was built with seed %d", seed)
		}
	})
	var boot []ConfChange
	for i := 1; i <= voters; i++ {
		boot = append(boot, ConfChange{Type: AddVoter, Node: NodeID(i)})
	}
	for i := 1; i <= voters; i++ {
		nw.add(NodeID(i), boot)
	}
	return nw
}

// add creates a brand-new node id with the given bootstrap (nil: it joins).
func (nw *network) add(id NodeID, boot []ConfChange) *Node {
	nw.t.Helper()
	cfg := Config{ID: id, ElectionTicks: 10, HeartbeatTicks: 1, Rand: rng.New(nw.seed*1000 + uint64(id)), Bootstrap: boot}
	if nw.cfgFn != nil {
		nw.cfgFn(&cfg)
	}
	n, err := New(cfg)
	if err != nil {
		nw.t.Fatalf("New(n%d): %v", id, err)
	}
	nw.nodes[id] = n
	nw.store[id] = &storage{}
	if !slices.Contains(nw.ids, id) {
		nw.ids = append(nw.ids, id)
		slices.Sort(nw.ids)
	}
	return n
}

// restart rebuilds node id from what it persisted.
func (nw *network) restart(id NodeID) *Node {
	nw.t.Helper()
	st := nw.store[id]
	cfg := Config{
		ID: id, ElectionTicks: 10, HeartbeatTicks: 1, Rand: rng.New(nw.seed*1000 + uint64(id) + 7),
		HardState: st.hs, Snapshot: cloneSnapshot(st.snap), Entries: cloneEntries(st.ents), Applied: st.applied,
	}
	if nw.cfgFn != nil {
		nw.cfgFn(&cfg)
	}
	n, err := New(cfg)
	if err != nil {
		nw.t.Fatalf("restart n%d: %v", id, err)
	}
	nw.nodes[id] = n
	delete(nw.down, id)
	return n
}

// handleReady carries out one Ready of node id and returns its messages.
func (nw *network) handleReady(id NodeID) []Message {
	n := nw.nodes[id]
	rd := n.Ready()
	st := nw.store[id]
	st.persist(rd)
	st.apply(rd)
	nw.readStates[id] = append(nw.readStates[id], rd.ReadStates...)
	nw.events = append(nw.events, rd.Events...)
	n.Advance(rd)
	return rd.Messages
}

func (nw *network) blocked(m Message) bool {
	switch {
	case nw.down[m.From] || nw.down[m.To]:
		return true
	case nw.isolated[m.From] || nw.isolated[m.To]:
		return true
	case nw.cut[[2]NodeID{m.From, m.To}]:
		return true
	case nw.drop != nil && nw.drop(m):
		return true
	}
	return false
}

// settle runs Ready loops and delivers messages until nothing is left.
func (nw *network) settle() {
	nw.t.Helper()
	for round := 0; ; round++ {
		if round > 10000 {
			for _, m := range nw.sent[len(nw.sent)-12:] {
				nw.t.Logf("%v %d->%d term=%d idx=%d logterm=%d commit=%d rej=%v hint=%d/%d ents=%d", m.Type, m.From, m.To, m.Term, m.Index, m.LogTerm, m.Commit, m.Reject, m.RejectHint, m.HintTerm, len(m.Entries))
			}
			nw.t.Fatalf("network did not settle")
		}
		var queue []Message
		for _, id := range nw.ids {
			if nw.down[id] {
				continue
			}
			if nw.nodes[id].HasReady() {
				queue = append(queue, nw.handleReady(id)...)
			}
		}
		if len(queue) == 0 {
			return
		}
		for _, m := range queue {
			if nw.blocked(m) || nw.nodes[m.To] == nil {
				continue
			}
			nw.delivered[m.Type]++
			nw.sent = append(nw.sent, m)
			_ = nw.nodes[m.To].Step(m)
		}
	}
}

// tick ticks the given nodes (all live ones if none) once and settles.
func (nw *network) tick(ids ...NodeID) {
	if len(ids) == 0 {
		ids = nw.ids
	}
	for _, id := range ids {
		if !nw.down[id] {
			nw.nodes[id].Tick()
		}
	}
	nw.settle()
}

func (nw *network) ticks(k int, ids ...NodeID) {
	for i := 0; i < k; i++ {
		nw.tick(ids...)
	}
}

// campaign makes id campaign and settles.
func (nw *network) campaign(id NodeID) {
	nw.t.Helper()
	if err := nw.nodes[id].Campaign(); err != nil {
		nw.t.Fatalf("n%d.Campaign: %v", id, err)
	}
	nw.settle()
}

// leader returns the live node that is leader in the highest term, or None.
func (nw *network) leader() NodeID {
	best, term := None, uint64(0)
	for _, id := range nw.ids {
		s := nw.nodes[id].Status()
		if !nw.down[id] && s.Role == Leader && s.HardState.Term >= term {
			best, term = id, s.HardState.Term
		}
	}
	return best
}

// propose proposes data at id, failing the test on error, and settles.
func (nw *network) propose(id NodeID, data string) {
	nw.t.Helper()
	if err := nw.nodes[id].Propose([]byte(data)); err != nil {
		nw.t.Fatalf("n%d.Propose(%q): %v", id, data, err)
	}
	nw.settle()
}

func (nw *network) status(id NodeID) Status { return nw.nodes[id].Status() }

// countSent counts delivered messages matching f.
func (nw *network) countSent(f func(Message) bool) int {
	c := 0
	for _, m := range nw.sent {
		if f(m) {
			c++
		}
	}
	return c
}

// hasEvent reports whether an event matching f was recorded.
func (nw *network) hasEvent(f func(Event) bool) bool {
	return slices.ContainsFunc(nw.events, f)
}

// eq fails the test unless got == want. (testify is in go.mod, but its
// yaml dependency is not in go.sum; plain helpers keep the test build free
// of go.sum changes.)
func eq[T comparable](t testing.TB, got, want T, format string, args ...any) {
	t.Helper()
	if got != want {
		t.Fatalf(format+": got %v, want %v", append(args, got, want)...)
	}
}

// check fails the test unless cond holds.
func check(t testing.TB, cond bool, format string, args ...any) {
	t.Helper()
	if !cond {
		t.Fatalf(format, args...)
	}
}

// newNetworkFromLogs builds a cluster of voters 1..len(logs) restarted from
// hand-made persisted logs: every node holds the bootstrap entries (term 1)
// and then entries with the given terms; hs gives each node's term and vote.
func newNetworkFromLogs(t testing.TB, seed uint64, logs [][]uint64, hs []HardState, cfgFn func(*Config)) *network {
	t.Helper()
	nw := newNetwork(t, seed, 0, cfgFn)
	voters := len(logs)
	var boot []Entry
	for i := 1; i <= voters; i++ {
		cc := ConfChange{Type: AddVoter, Node: NodeID(i)}
		boot = append(boot, Entry{Term: 1, Index: uint64(i), Type: EntryConfChange, Data: cc.Marshal()})
	}
	for i, terms := range logs {
		id := NodeID(i + 1)
		ents := cloneEntries(boot)
		for _, term := range terms {
			ents = append(ents, Entry{Term: term, Index: uint64(len(ents) + 1), Data: []byte("x")})
		}
		h := hs[i]
		h.Commit = uint64(voters)
		nw.store[id] = &storage{hs: h, ents: ents, applied: uint64(voters)}
		nw.ids = append(nw.ids, id)
		nw.restart(id)
	}
	return nw
}

// repeat returns k copies of term.
func repeat(term uint64, k int) []uint64 {
	out := make([]uint64, k)
	for i := range out {
		out[i] = term
	}
	return out
}

func noPreVoteNoCheckQuorum(c *Config) { c.DisablePreVote, c.DisableCheckQuorum = true, true }

func nwRand() *rng.Source { return rng.New(1) }
