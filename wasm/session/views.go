package session

// What the page sees: the JSON shapes of state() and trace(), exactly as the
// bridge contract names them (wasm/README.md). Fields may be added, never
// removed. Maps are encoded with sorted keys by encoding/json, so the same
// state always gives the same bytes.

import (
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
	"github.com/etcdlab/etcdlab/viz"
)

// MaxLogEntriesInState bounds the entries state() lists per node (the
// newest are kept; logOmitted counts the others).
const MaxLogEntriesInState = 1000

// MaxTraceRecords bounds what one trace() call returns (the newest).
const MaxTraceRecords = 500

// StateView is state().
type StateView struct {
	Time       string        `json:"time"`
	TimeNanos  int64         `json:"timeNanos"`
	ShownNanos int64         `json:"shownNanos"`
	Seed       uint64        `json:"seed"`
	Leader     string        `json:"leader"`
	Term       uint64        `json:"term"`
	Playing    bool          `json:"playing"`
	Speed      float64       `json:"speed"`
	Selected   string        `json:"selected"`
	Next       *NextView     `json:"next"`
	Failed     string        `json:"failed,omitempty"`
	Nodes      []NodeView    `json:"nodes"`
	Messages   []MessageView `json:"messages"`
	Partitions [][]string    `json:"partitions"`
	Cuts       [][]string    `json:"cuts"`
	Requests   []string      `json:"requests"`
}

// NextView is the scenario command next() would run.
type NextView struct {
	Line    int    `json:"line"`
	Command string `json:"command"`
}

// NodeView is one node.
type NodeView struct {
	ID              string                  `json:"id"`
	Up              bool                    `json:"up"`
	Removed         bool                    `json:"removed"`
	Role            string                  `json:"role"`
	Term            uint64                  `json:"term"`
	Vote            string                  `json:"vote"`
	Lead            string                  `json:"lead"`
	Commit          uint64                  `json:"commit"`
	Applied         uint64                  `json:"applied"`
	FirstIndex      uint64                  `json:"firstIndex"`
	LastIndex       uint64                  `json:"lastIndex"`
	SnapshotIndex   uint64                  `json:"snapshotIndex"`
	SnapshotTerm    uint64                  `json:"snapshotTerm"`
	ElectionElapsed int                     `json:"electionElapsed"`
	ElectionTimeout int                     `json:"electionTimeout"`
	Voters          []string                `json:"voters"`
	Learners        []string                `json:"learners"`
	Log             []EntryView             `json:"log"`
	LogOmitted      int                     `json:"logOmitted"`
	KV              map[string]string       `json:"kv"`
	Progress        map[string]ProgressView `json:"progress"`
	DiskEntries     int                     `json:"diskEntries"`
}

// EntryView is one log entry.
type EntryView struct {
	Index uint64 `json:"index"`
	Term  uint64 `json:"term"`
	Type  string `json:"type"`
	Text  string `json:"text"`
}

// ProgressView is the leader's view of one follower.
type ProgressView struct {
	Match    uint64 `json:"match"`
	Next     uint64 `json:"next"`
	State    string `json:"state"`
	Inflight int    `json:"inflight"`
	Active   bool   `json:"active"`
	Learner  bool   `json:"learner"`
}

// MessageView is one message in flight.
type MessageView struct {
	ID           uint64 `json:"id"`
	From         string `json:"from"`
	To           string `json:"to"`
	Type         string `json:"type"`
	Term         uint64 `json:"term"`
	Index        uint64 `json:"index"`
	LogTerm      uint64 `json:"logTerm"`
	Commit       uint64 `json:"commit"`
	Entries      int    `json:"entries"`
	Reject       bool   `json:"reject"`
	SentNanos    int64  `json:"sentNanos"`
	DeliverNanos int64  `json:"deliverNanos"`
	Held         bool   `json:"held"`
}

// TraceView is one trace record.
type TraceView struct {
	Seq     uint64 `json:"seq"`
	Time    string `json:"time"`
	Text    string `json:"text"`
	Kind    string `json:"kind"`
	Node    string `json:"node,omitempty"`
	Notable bool   `json:"notable"`
}

// StateView returns state().
func (s *Session) StateView() StateView {
	st := s.State()
	v := StateView{
		Time: sim.FormatTime(st.Time), TimeNanos: int64(st.Time), ShownNanos: int64(s.player.shown),
		Seed: st.Seed, Leader: name(st.Leader), Playing: s.player.playing, Speed: s.player.speed,
		Selected: name(s.view.Selected), Failed: s.failure,
		Nodes: []NodeView{}, Messages: []MessageView{}, Partitions: [][]string{}, Cuts: [][]string{}, Requests: []string{},
	}
	if err := s.Cluster().Err(); err != nil {
		v.Failed = err.Error()
	}
	if cmd := s.nextCommand(); cmd != nil {
		v.Next = &NextView{Line: cmd.Line, Command: cmd.Text}
	}
	for _, ns := range st.Nodes {
		n := nodeView(ns)
		v.Term = max(v.Term, n.Term)
		v.Nodes = append(v.Nodes, n)
	}
	for _, m := range st.Messages {
		v.Messages = append(v.Messages, messageView(m))
	}
	for _, g := range st.Partitions {
		v.Partitions = append(v.Partitions, names(g))
	}
	for _, l := range st.Cuts {
		v.Cuts = append(v.Cuts, []string{sim.Name(l.From), sim.Name(l.To)})
	}
	for _, r := range st.Requests {
		v.Requests = append(v.Requests, r.String())
	}
	return v
}

func nodeView(ns sim.NodeState) NodeView {
	s := ns.Status
	hs := s.HardState
	if !ns.Up {
		hs = ns.DiskHardState
	}
	n := NodeView{
		ID: ns.Name, Up: ns.Up, Removed: ns.Removed, Role: role(ns),
		Term: hs.Term, Vote: name(hs.Vote), Lead: name(s.Lead), Commit: hs.Commit, Applied: ns.Applied,
		FirstIndex: s.FirstIndex, LastIndex: s.LastIndex, SnapshotIndex: ns.Snapshot.Index, SnapshotTerm: ns.Snapshot.Term,
		ElectionElapsed: s.ElectionElapsed, ElectionTimeout: s.RandomizedElectionTimeout,
		Voters: names(s.Conf.Voters), Learners: names(s.Conf.Learners),
		Log: []EntryView{}, KV: map[string]string{}, Progress: map[string]ProgressView{}, DiskEntries: ns.DiskEntries,
	}
	log := ns.Log
	if len(log) > MaxLogEntriesInState {
		n.LogOmitted = len(log) - MaxLogEntriesInState
		log = log[n.LogOmitted:]
	}
	for _, e := range log {
		n.Log = append(n.Log, EntryView{Index: e.Index, Term: e.Term, Type: e.Type.String(), Text: viz.DescribeEntry(e)})
	}
	for _, kv := range ns.Data {
		n.KV[kv.Key] = kv.Value
	}
	for id, pr := range s.Progress {
		n.Progress[sim.Name(id)] = ProgressView{Match: pr.Match, Next: pr.Next, State: pr.State.String(),
			Inflight: pr.Inflight, Active: pr.RecentActive, Learner: pr.IsLearner}
	}
	return n
}

func messageView(m sim.MessageInfo) MessageView {
	return MessageView{ID: m.ID, From: sim.Name(m.From), To: sim.Name(m.To), Type: m.Type.String(),
		Term: m.Term, Index: m.Index, LogTerm: m.LogTerm, Commit: m.Commit, Entries: m.Entries, Reject: m.Reject,
		SentNanos: int64(m.Sent), DeliverNanos: int64(m.Due), Held: m.Held}
}

// Trace returns trace(after): the records with Seq > after, at most
// MaxTraceRecords (the newest).
func (s *Session) Trace(after uint64) []TraceView {
	recs := s.Cluster().Trace(after)
	if len(recs) > MaxTraceRecords {
		recs = recs[len(recs)-MaxTraceRecords:]
	}
	out := make([]TraceView, 0, len(recs))
	for _, r := range recs {
		t := sim.FormatTime(r.Time)
		v := TraceView{Seq: r.Seq, Time: t, Text: strings.TrimPrefix(r.String(), t+" "), Kind: r.Kind.String(), Notable: r.Notable()}
		switch {
		case r.Kind == sim.RecRaft:
			v.Node = sim.Name(r.Raft.Node)
		case r.Node != raft.None:
			v.Node = sim.Name(r.Node)
		}
		out = append(out, v)
	}
	return out
}

// role is a node's role as state() and the conditions name it.
func role(ns sim.NodeState) string {
	switch {
	case ns.Removed:
		return "removed"
	case !ns.Up:
		return "down"
	}
	return ns.Status.Role.String()
}

func name(id raft.NodeID) string {
	if id == raft.None {
		return ""
	}
	return sim.Name(id)
}

func names(ids []raft.NodeID) []string {
	out := make([]string, 0, len(ids))
	for _, id := range ids {
		out = append(out, sim.Name(id))
	}
	return out
}
