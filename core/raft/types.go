package raft

// The data that crosses the boundary of the Raft state machine: log entries,
// the state that must be persisted, messages between nodes, snapshots and the
// configuration of the cluster. Everything here is plain data: the simulator
// keeps it in memory, the daemon encodes it with CBOR (field tags below).

import "fmt"

// NodeID names a member of the cluster. None (0) is "no node".
type NodeID uint64

// None is the NodeID of no node: no vote cast, no leader known.
const None NodeID = 0

// Role is what a node is doing in its current term (Raft Figure 4, extended
// with the thesis' PreVote §9.6 and learners §4.2.1).
type Role uint8

const (
	Follower Role = iota
	PreCandidate
	Candidate
	Leader
	// Learner is the role of a node that is a non-voting member: it receives
	// the log but neither votes nor campaigns (thesis §4.2.1).
	Learner
)

var roleNames = [...]string{"follower", "pre-candidate", "candidate", "leader", "learner"}

func (r Role) String() string {
	if int(r) < len(roleNames) {
		return roleNames[r]
	}
	return fmt.Sprintf("Role(%d)", r)
}

// EntryType says how the application reads an entry's Data.
type EntryType uint8

const (
	// EntryNormal carries an application command (Data may be empty: the
	// no-op a new leader appends, Raft §8).
	EntryNormal EntryType = iota
	// EntryConfChange carries an encoded ConfChange (see ConfChange.Marshal).
	EntryConfChange
)

func (t EntryType) String() string {
	switch t {
	case EntryNormal:
		return "normal"
	case EntryConfChange:
		return "confchange"
	}
	return fmt.Sprintf("EntryType(%d)", t)
}

// Entry is one record of the replicated log.
type Entry struct {
	Term  uint64    `cbor:"1,keyasint"`
	Index uint64    `cbor:"2,keyasint"`
	Type  EntryType `cbor:"3,keyasint,omitempty"`
	Data  []byte    `cbor:"4,keyasint,omitempty"`
}

// HardState is what a node must persist before it sends any message of the
// same Ready (Raft Figure 2, "Persistent state on all servers"; Commit is
// persisted too so that a restart does not re-apply from zero).
type HardState struct {
	Term   uint64 `cbor:"1,keyasint"`
	Vote   NodeID `cbor:"2,keyasint,omitempty"`
	Commit uint64 `cbor:"3,keyasint,omitempty"`
}

// IsEmpty reports whether h is the zero HardState.
func (h HardState) IsEmpty() bool { return h == HardState{} }

// ConfState is the membership: who votes and who only learns. Both lists are
// sorted ascending and disjoint.
type ConfState struct {
	Voters   []NodeID `cbor:"1,keyasint,omitempty"`
	Learners []NodeID `cbor:"2,keyasint,omitempty"`
}

// SnapshotMeta says which prefix of the log a snapshot replaces.
type SnapshotMeta struct {
	Index uint64    `cbor:"1,keyasint"` // last entry the snapshot covers
	Term  uint64    `cbor:"2,keyasint"` // term of that entry
	Conf  ConfState `cbor:"3,keyasint"` // membership as of Index
}

// Snapshot is the application's state as of Meta.Index, opaque to Raft.
// Data is immutable once the snapshot is made: the node, its Readies and
// the caller share one copy (a snapshot is the whole state machine — tens
// of megabytes in a real member — and copying it on every hand-over would
// cost more than taking it). Nobody may write into Data. In thin mode
// (snapdemand.go) the application's own snapshots carry only a marker in
// Data, and only the full snapshots it provides on request hold the state.
type Snapshot struct {
	Meta SnapshotMeta `cbor:"1,keyasint"`
	Data []byte       `cbor:"2,keyasint,omitempty"`
}

// IsEmpty reports whether s holds no snapshot.
func (s *Snapshot) IsEmpty() bool { return s == nil || s.Meta.Index == 0 }

// ConfChangeType is one kind of single-member change (thesis §4.1: one
// server at a time; §4.2.1 learners).
type ConfChangeType uint8

const (
	AddVoter ConfChangeType = iota
	AddLearner
	// PromoteLearner turns a caught-up learner into a voter. It is an
	// AddVoter for a node that is a learner; the leader refuses it unless the
	// learner's log is close enough to its own (etcd: "learner not ready").
	PromoteLearner
	RemoveNode
)

var confChangeNames = [...]string{"add-voter", "add-learner", "promote", "remove"}

func (t ConfChangeType) String() string {
	if int(t) < len(confChangeNames) {
		return confChangeNames[t]
	}
	return fmt.Sprintf("ConfChangeType(%d)", t)
}

// ConfChange asks to change the membership by one node. Context is opaque to
// Raft (the server keeps the member's name and peer URLs there).
type ConfChange struct {
	Type    ConfChangeType `cbor:"1,keyasint"`
	Node    NodeID         `cbor:"2,keyasint"`
	Context []byte         `cbor:"3,keyasint,omitempty"`
}

// ReadState answers a ReadIndex request: once the application has applied
// Index, a read that started with RequestCtx may be served linearizably
// (thesis §6.4).
type ReadState struct {
	Index      uint64
	RequestCtx []byte
}

// MsgType names a message. Local messages (MsgHup, MsgBeat, MsgProp, ...)
// are how a node's own intents enter Step, so every input goes through one
// door.
type MsgType uint8

const (
	MsgHup            MsgType = iota // local: start an election (timeout or Campaign)
	MsgBeat                          // local: the leader should send heartbeats
	MsgProp                          // propose entries; a follower forwards it to the leader
	MsgApp                           // AppendEntries (Raft Figure 2)
	MsgAppResp                       // reply to MsgApp (and to a snapshot install)
	MsgVote                          // RequestVote
	MsgVoteResp                      // reply to MsgVote
	MsgPreVote                       // PreVote request (thesis §9.6)
	MsgPreVoteResp                   // reply to MsgPreVote
	MsgHeartbeat                     // heartbeat: commit index, no entries
	MsgHeartbeatResp                 // reply to MsgHeartbeat
	MsgSnap                          // one chunk of an InstallSnapshot (Raft §7)
	MsgSnapResp                      // a follower acknowledges a snapshot chunk
	MsgTransferLeader                // ask the leader to hand leadership to From
	MsgTimeoutNow                    // leader to transferee: campaign now (thesis §3.10)
	MsgReadIndex                     // ask the leader for a read index (thesis §6.4)
	MsgReadIndexResp                 // the leader's read index
	MsgCheckQuorum                   // local: the leader checks it heard from a quorum
	MsgUnreachable                   // local: the transport could not reach From
)

var msgNames = [...]string{
	"MsgHup", "MsgBeat", "MsgProp", "MsgApp", "MsgAppResp", "MsgVote", "MsgVoteResp",
	"MsgPreVote", "MsgPreVoteResp", "MsgHeartbeat", "MsgHeartbeatResp", "MsgSnap",
	"MsgSnapResp", "MsgTransferLeader", "MsgTimeoutNow", "MsgReadIndex",
	"MsgReadIndexResp", "MsgCheckQuorum", "MsgUnreachable",
}

func (t MsgType) String() string {
	if int(t) < len(msgNames) {
		return msgNames[t]
	}
	return fmt.Sprintf("MsgType(%d)", t)
}

// IsLocal reports whether a message of type t never crosses the network.
func (t MsgType) IsLocal() bool {
	return t == MsgHup || t == MsgBeat || t == MsgCheckQuorum || t == MsgUnreachable
}

// Message is everything one node says to another. Which fields are set
// depends on Type; the field comments say where each is used.
type Message struct {
	Type MsgType `cbor:"1,keyasint"`
	From NodeID  `cbor:"2,keyasint"`
	To   NodeID  `cbor:"3,keyasint"`
	// Term is the sender's term; 0 for local messages and for MsgProp.
	// For MsgPreVote it is the term the sender would campaign in.
	Term uint64 `cbor:"4,keyasint,omitempty"`

	// MsgApp: Index/LogTerm identify the entry before Entries (prevLogIndex,
	// prevLogTerm). MsgVote/MsgPreVote: the candidate's last index and term.
	// MsgAppResp: the follower's last matching index (or, with Reject, the
	// rejected prevLogIndex). MsgSnap/MsgSnapResp: the snapshot's index.
	Index   uint64  `cbor:"5,keyasint,omitempty"`
	LogTerm uint64  `cbor:"6,keyasint,omitempty"`
	Entries []Entry `cbor:"7,keyasint,omitempty"`
	// Commit is the leader's commit index (MsgApp, MsgHeartbeat).
	Commit uint64 `cbor:"8,keyasint,omitempty"`

	// Reject marks a refusal (MsgAppResp, MsgVoteResp, MsgPreVoteResp,
	// MsgSnapResp). For a rejected MsgAppResp, RejectHint and HintTerm are the
	// fast-backup hints: the follower's guess of the last index that can
	// match and the term of its entry there (Raft §5.3, "the follower can
	// include the term of the conflicting entry").
	Reject     bool   `cbor:"9,keyasint,omitempty"`
	RejectHint uint64 `cbor:"10,keyasint,omitempty"`
	HintTerm   uint64 `cbor:"11,keyasint,omitempty"`

	// MsgSnap: the snapshot being streamed. SnapMeta is set on every chunk;
	// SnapChunk is the bytes at SnapOffset of the whole SnapTotal bytes.
	SnapMeta   *SnapshotMeta `cbor:"12,keyasint,omitempty"`
	SnapOffset uint64        `cbor:"13,keyasint,omitempty"`
	SnapTotal  uint64        `cbor:"14,keyasint,omitempty"`
	SnapChunk  []byte        `cbor:"15,keyasint,omitempty"`

	// Context: MsgReadIndex/MsgReadIndexResp carry the request's context;
	// MsgVote/MsgPreVote/MsgHup carry CampaignTransfer when the election
	// comes from a leadership transfer (so voters skip their lease check).
	Context []byte `cbor:"16,keyasint,omitempty"`
}

// CampaignTransfer is the Context of a vote request that a leadership
// transfer caused; voters grant it even while they believe a leader is alive.
var CampaignTransfer = []byte("transfer")

// Ready is one batch of work for the caller. Handle it in this order, then
// call Advance:
//
//  1. persist HardState (if not empty), Snapshot (if any) and Entries —
//     durably (fsync) when MustSync — BEFORE sending any Message, because a
//     vote or an acknowledgement promises that the state is on disk
//     (Raft Figure 2, "respond to RPCs only after updating stable storage");
//  2. send Messages. A leader may send before persisting its own entries
//     (thesis §10.2.1: a quorum of others can hold an entry before the
//     leader's disk does) as long as the Ready changes neither its term nor
//     its vote, and nothing is applied or answered before its own write
//     lands; the daemon does this (native/daemon/pipeline.go), the
//     simulator keeps the plain order for every role;
//  3. install Snapshot in the application (if any), then apply
//     CommittedEntries in order (an EntryConfChange entry's Data decodes
//     with UnmarshalConfChange; the node itself takes the change into
//     effect at Advance);
//  4. serve reads whose ReadStates index is now applied.
//
// Ready marks everything it returns as handed out: call Advance once per
// Ready, in order. CommittedEntries never go beyond the entries handed out
// in this or an earlier Ready.
type Ready struct {
	// Role, Term and Lead are the node's volatile state after this batch
	// (for display; they need no persisting).
	Role Role
	Lead NodeID

	// HardState to persist; empty if unchanged since the last Ready.
	HardState HardState
	// Entries to append to stable storage, replacing any persisted entries
	// at the same or higher index.
	Entries []Entry
	// Snapshot received from the leader: persist it, then discard the
	// persisted entries it covers. Nil if none.
	Snapshot *Snapshot
	// MustSync reports whether HardState or Entries must reach the disk
	// before Messages are sent.
	MustSync bool

	// CommittedEntries are committed and not yet handed out; apply them in
	// order.
	CommittedEntries []Entry
	// Messages to send, after persisting.
	Messages []Message
	// ReadStates answer ReadIndex calls.
	ReadStates []ReadState
	// Events is the trace of what happened since the last Ready.
	Events []Event
}

// Progress is the leader's view of one follower (Raft Figure 2 nextIndex and
// matchIndex, with etcd's flow-control states).
type Progress struct {
	Match, Next uint64
	State       ProgressState
	// Inflight counts MsgApp (or snapshot chunks) sent and not acknowledged.
	Inflight int
	// RecentActive: heard from within the current election timeout
	// (CheckQuorum).
	RecentActive bool
	IsLearner    bool
	// PendingSnapshot is the index of the snapshot being sent (State ==
	// ProgressSnapshot), and SnapSent how many of its bytes were sent.
	PendingSnapshot uint64
	SnapSent        uint64
}

// ProgressState is how the leader replicates to one follower:
//
//	         reject / unreachable
//	  +--------------------------------+
//	  v                                |
//	probe ---- append accepted ----> replicate
//	  |  ^
//	  |  | snapshot installed
//	  v  |
//	snapshot  (next entry was compacted away)
type ProgressState uint8

const (
	// ProgressProbe: the leader does not know where the follower's log
	// matches; it sends one MsgApp at a time and waits.
	ProgressProbe ProgressState = iota
	// ProgressReplicate: the logs match up to Match; the leader streams
	// entries optimistically, bounded by MaxInflightMsgs.
	ProgressReplicate
	// ProgressSnapshot: the follower needs entries the leader compacted;
	// the leader streams a snapshot and sends no entries until it lands.
	ProgressSnapshot
)

var progressNames = [...]string{"probe", "replicate", "snapshot"}

func (s ProgressState) String() string {
	if int(s) < len(progressNames) {
		return progressNames[s]
	}
	return fmt.Sprintf("ProgressState(%d)", s)
}

// Status is a full, read-only picture of one node, for tests, the
// visualizer and the debugger. Slices are copies.
type Status struct {
	ID        NodeID
	Role      Role
	HardState HardState
	Lead      NodeID
	Applied   uint64
	// FirstIndex..LastIndex are the entries in the log; the snapshot covers
	// everything up to FirstIndex-1.
	FirstIndex, LastIndex uint64
	Snapshot              SnapshotMeta
	Conf                  ConfState
	// ElectionElapsed and RandomizedElectionTimeout are in ticks.
	ElectionElapsed           int
	RandomizedElectionTimeout int
	HeartbeatElapsed          int
	// Progress is set on the leader only, keyed by follower (including the
	// leader itself).
	Progress map[NodeID]Progress
	// LeadTransferee is the node a leadership transfer is handing over to.
	LeadTransferee NodeID
	// PendingConfIndex is the index of the last membership change the leader
	// appended; a new one is refused until it is applied.
	PendingConfIndex uint64
}
