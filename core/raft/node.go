package raft

import (
	"slices"

	"github.com/etcdlab/etcdlab/core/rng"
)

// Node is one member's Raft state machine. It does no I/O and keeps no clock:
// the caller feeds it ticks and messages and carries out the Ready batches it
// returns (see Ready for the order). The simulator and the daemon both drive
// it the same way:
//
//	for {
//	    node.Tick() / node.Step(msg) / node.Propose(data) ...
//	    if node.HasReady() {
//	        rd := node.Ready()
//	        persist(rd.HardState, rd.Snapshot, rd.Entries)
//	        send(rd.Messages)
//	        apply(rd.Snapshot, rd.CommittedEntries)
//	        node.Advance(rd)
//	    }
//	}
//
// Node keeps the whole uncompacted log in memory; the caller bounds it by
// taking snapshots (CreateSnapshot) and compacting (Compact).
//
// API CONTRACT (implemented in the other files of this package):
//
//	New(cfg Config) (*Node, error)
//	    a node from a config: brand new (Bootstrap) or restarting from
//	    persisted state. On restart the membership is rebuilt from the
//	    snapshot plus the conf-change entries up to cfg.Applied.
//	(*Node) Tick()
//	    one tick of logical time: followers count towards an election,
//	    leaders towards a heartbeat and a quorum check.
//	(*Node) Step(m Message) error
//	    deliver a message from the network (or a local one).
//	(*Node) Campaign() error
//	    start an election now (as MsgHup).
//	(*Node) Propose(data []byte) error
//	    append a normal entry (forwarded to the leader by followers).
//	(*Node) ProposeConfChange(cc ConfChange) error
//	    propose a membership change; on the leader it is refused with
//	    ErrConfChangePending, ErrLearnerNotReady, ErrNotLearner,
//	    ErrUnsafeReconfig, ErrMemberExists or ErrMemberNotFound.
//	(*Node) ReadIndex(ctx []byte)
//	    request a read index; the answer arrives as a ReadState.
//	(*Node) TransferLeader(to NodeID)
//	    ask the leader to hand leadership to `to` (thesis §3.10).
//	(*Node) ReportUnreachable(id NodeID)
//	    the transport failed to reach id; the leader probes it again.
//	(*Node) HasReady() bool
//	(*Node) Ready() Ready
//	(*Node) Advance(rd Ready)
//	    the caller has carried out rd. Conf-change entries among
//	    rd.CommittedEntries take effect in the membership here.
//	(*Node) CreateSnapshot(data []byte) (Snapshot, error)
//	    record the application's state as of the applied index as the
//	    latest snapshot (sent to followers that need it) and return it for
//	    the caller to persist.
//	(*Node) Compact(index uint64) error
//	    discard log entries up to index (at most the snapshot's index).
//	(*Node) EnableThinSnapshots()
//	    thin mode: created snapshots hold no state and are never sent; a
//	    follower that needs one waits for the application (snapdemand.go).
//	(*Node) SnapshotRequested() bool / TakeSnapshotRequest() bool
//	    thin mode: the leader waits for a full snapshot of the application.
//	(*Node) ProvideSnapshot(index uint64, data []byte) error
//	    thin mode: the application's state as of the applied index, sent
//	    to the followers that wait for it, dropped once they have it.
//	(*Node) Status() Status
//	(*Node) Log() []Entry                 the entries in memory (copies)
//	(*Node) LatestSnapshot() *Snapshot    the snapshot held (thin in thin mode), or nil
//	(ConfChange) Marshal() []byte
//	UnmarshalConfChange(b []byte) (ConfChange, error)
//	    the Data of an EntryConfChange entry (CBOR).
type Node struct {
	id   NodeID
	cfg  Config      // tuning, with defaults; the persisted-state fields are not kept
	rand *rng.Source // draws the randomized election timeout

	// Persistent state (Figure 2): the current term, the vote cast in it
	// and the log. prevHard is the HardState last handed out in a Ready.
	term     uint64
	vote     NodeID
	log      *raftLog
	prevHard HardState

	role Role   // Follower, PreCandidate, Candidate or Leader (Learner is reported, never stored)
	lead NodeID // the leader of this term, if known

	// conf is the membership in effect; confIndex the index of the last
	// conf-change entry taken into effect (entries at or below it are
	// never applied twice).
	conf      membership
	confIndex uint64

	// applied is the last index the caller has applied (Advance); applying
	// the last committed index handed out in a Ready (applied <= applying
	// <= committed).
	applied, applying uint64

	// Timers, in ticks. A follower or candidate counts electionElapsed up to
	// randomizedElectionTimeout; a leader counts it up to ElectionTicks for
	// check quorum and transfer timeouts, and heartbeatElapsed for beats.
	electionElapsed           int
	randomizedElectionTimeout int
	heartbeatElapsed          int

	votes map[NodeID]bool // candidate / pre-candidate: answers received

	// Leader only.
	prs              map[NodeID]*progress // every member, the leader included
	pendingConfIndex uint64               // last conf change appended
	leadTransferee   NodeID               // transfer target, None if none
	reads            readQueue            // ReadIndex requests awaiting a quorum

	held        *Snapshot     // the latest snapshot (created, installed or restarted from)
	pendingSnap *Snapshot     // installed from the leader, not yet handed out in a Ready
	incoming    *snapAssembly // follower: the snapshot being received in chunks

	// Thin mode (snapdemand.go): held marks the compaction only; full is
	// the state snapshot the application provided for followers (leader,
	// dropped when nobody is sent it); snapWanted asks the application for
	// one.
	thin       bool
	full       *Snapshot
	snapWanted bool

	// Output waiting for the next Ready.
	msgs       []Message
	readStates []ReadState
	events     []Event
}

// Tick advances logical time by one tick.
func (n *Node) Tick() {
	if n.role == Leader {
		n.tickLeader()
	} else {
		n.tickElection()
	}
	n.releaseFullSnapshot()
}

// Step delivers a message from the network. Local messages (MsgHup,
// MsgBeat, ...) are refused: use the methods instead.
func (n *Node) Step(m Message) error {
	if m.Type.IsLocal() {
		return ErrStepLocalMsg
	}
	if isResponse(m.Type) && n.role == Leader && n.prs[m.From] == nil {
		return ErrStepPeerNotFound
	}
	err := n.step(m)
	n.releaseFullSnapshot()
	return err
}

// Campaign starts an election now (with PreVote first, if enabled).
func (n *Node) Campaign() error { return n.step(Message{Type: MsgHup, From: n.id}) }

// Propose appends data to the log as a normal entry; a follower forwards it
// to the leader.
func (n *Node) Propose(data []byte) error {
	return n.step(Message{Type: MsgProp, From: n.id, Entries: []Entry{{Data: data}}})
}

// ProposeConfChange proposes a one-node membership change.
func (n *Node) ProposeConfChange(cc ConfChange) error {
	return n.step(Message{Type: MsgProp, From: n.id, Entries: []Entry{{Type: EntryConfChange, Data: cc.Marshal()}}})
}

// ReadIndex asks for a read index; the answer arrives as a ReadState.
func (n *Node) ReadIndex(ctx []byte) {
	_ = n.step(Message{Type: MsgReadIndex, From: n.id, Context: ctx})
}

// TransferLeader asks the leader to hand leadership to `to`.
func (n *Node) TransferLeader(to NodeID) {
	_ = n.step(Message{Type: MsgTransferLeader, From: to})
}

// ReportUnreachable tells the leader the transport failed to reach id.
func (n *Node) ReportUnreachable(id NodeID) {
	_ = n.step(Message{Type: MsgUnreachable, From: id})
}

// Log returns copies of the entries in memory.
func (n *Node) Log() []Entry { return cloneEntries(n.log.entries) }

// LatestSnapshot returns a copy of the snapshot held, or nil.
func (n *Node) LatestSnapshot() *Snapshot { return cloneSnapshot(n.held) }

// reportedRole is the role as the outside sees it: a follower that is a
// learner in the configuration is a Learner.
func (n *Node) reportedRole() Role {
	if n.role == Follower && n.conf.isLearner(n.id) {
		return Learner
	}
	return n.role
}

// hardState is the state to persist now.
func (n *Node) hardState() HardState {
	return HardState{Term: n.term, Vote: n.vote, Commit: n.log.committed}
}

// send queues a message, stamping it with this node's id (unless it is a
// forwarded intent that names its origin) and term (forwarded intents,
// MsgProp, MsgReadIndex and MsgTransferLeader, carry none).
func (n *Node) send(m Message) {
	if m.From == None {
		m.From = n.id
	}
	if m.Type != MsgProp && m.Type != MsgReadIndex && m.Type != MsgTransferLeader && m.Term == 0 {
		m.Term = n.term
	}
	n.msgs = append(n.msgs, m)
}

// emit records a trace event.
func (n *Node) emit(e Event) {
	e.Node = n.id
	e.Term = n.term
	n.events = append(n.events, e)
}

func isResponse(t MsgType) bool {
	switch t {
	case MsgAppResp, MsgVoteResp, MsgPreVoteResp, MsgHeartbeatResp, MsgSnapResp:
		return true
	}
	return false
}

// cloneSnapshot copies s except its Data, which is immutable and shared
// (Snapshot).
func cloneSnapshot(s *Snapshot) *Snapshot {
	if s == nil {
		return nil
	}
	c := *s
	c.Meta.Conf = ConfState{Voters: slices.Clone(s.Meta.Conf.Voters), Learners: slices.Clone(s.Meta.Conf.Learners)}
	return &c
}
