package sim

// The trace: everything that happened, as typed records stamped with the
// virtual time and a sequence number. It holds the simulator's own records —
// a message sent, delivered, dropped or duplicated; a crash, a restart, a
// partition; a client request and its answer; an invariant violation — and
// every raft.Event the nodes emitted, in the order they happened. The
// visualizer animates it, the scenario runner prints the notable records and
// digests all of them, tests compare them. Nobody parses log text (STYLE.md
// rule 6).

import (
	"fmt"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// RecordKind names a trace record.
type RecordKind uint8

const (
	RecRaft      RecordKind = iota // a raft.Event (Raft)
	RecSend                        // a message entered the network (Msg)
	RecDeliver                     // a message reached its destination (Msg)
	RecDrop                        // a message was lost (Msg; Detail: why)
	RecDuplicate                   // the network copied a message (Msg: the copy)
	RecHold                        // a message is held for manual delivery (Msg)
	RecCrash                       // Node crashed
	RecRestart                     // Node restarted from its disk
	RecRemoved                     // Node was removed from the cluster and stopped
	RecNetwork                     // the network changed (Detail: how)
	RecRequest                     // a client request arrived at Node (Detail)
	RecResponse                    // a client request was answered (Detail)
	RecAction                      // an operator action (Detail: membership, snapshot...)
	RecViolation                   // an invariant was violated (Detail)
	RecServer                      // a server.Event of an etcd member (Server; etcd mode)
	RecWatch                       // a watch response reached its client (Watch; etcd mode)
)

var recordKindNames = [...]string{
	"raft", "send", "deliver", "drop", "duplicate", "hold", "crash", "restart",
	"removed", "network", "request", "response", "action", "violation",
	"server", "watch",
}

func (k RecordKind) String() string {
	if int(k) < len(recordKindNames) {
		return recordKindNames[k]
	}
	return fmt.Sprintf("RecordKind(%d)", k)
}

// Record is one line of the trace. Only the fields its Kind names are set.
type Record struct {
	Seq    uint64
	Time   time.Duration
	Kind   RecordKind
	Node   raft.NodeID
	Raft   raft.Event
	Msg    MessageInfo
	Detail string
	// Server is the etcd member's event (RecServer); Watch what a watch
	// delivered (RecWatch).
	Server server.Event
	Watch  WatchDelivery
}

// String renders the record in one stable line (golden files store it).
func (r Record) String() string {
	t := FormatTime(r.Time)
	switch r.Kind {
	case RecRaft:
		return t + " " + r.Raft.String()
	case RecSend, RecDeliver, RecDuplicate, RecHold:
		return t + " " + r.Kind.String() + " " + r.Msg.String()
	case RecDrop:
		return t + " drop " + r.Msg.String() + " (" + r.Detail + ")"
	case RecServer:
		return t + " " + Name(r.Node) + " " + serverEventString(r.Server)
	case RecWatch:
		return t + " " + Name(r.Node) + " " + r.Watch.String()
	}
	s := t + " "
	if r.Node != raft.None {
		s += Name(r.Node) + " "
	}
	s += r.Kind.String()
	if r.Detail != "" {
		s += " " + r.Detail
	}
	return s
}

// Notable reports whether r is worth a line in a scenario transcript: role
// changes, votes, commits, snapshots, membership, faults and client answers
// are; the traffic of individual messages is not.
func (r Record) Notable() bool {
	switch r.Kind {
	case RecSend, RecDeliver, RecHold, RecRequest:
		return false
	case RecDrop, RecDuplicate:
		return false
	case RecRaft:
		switch r.Raft.Kind {
		case raft.EvAppendAccepted, raft.EvProposalAppended, raft.EvProgressChanged, raft.EvReadIndexReady:
			return false
		}
	case RecServer:
		return r.Server.Kind != server.EvApplied
	}
	return true
}

// FormatTime renders a virtual time as seconds with microseconds.
func FormatTime(d time.Duration) string {
	us := d / time.Microsecond
	return fmt.Sprintf("%d.%06ds", us/1_000_000, us%1_000_000)
}

// Name is a node's name: n1, n2, ...
func Name(id raft.NodeID) string { return fmt.Sprintf("n%d", id) }

// MessageInfo describes one message on the network, for the trace and the
// visualizer.
type MessageInfo struct {
	ID       uint64
	From, To raft.NodeID
	Type     raft.MsgType
	Term     uint64
	Index    uint64
	LogTerm  uint64
	Commit   uint64
	Entries  int
	Reject   bool
	// SnapOffset, SnapChunk and SnapTotal place a MsgSnap chunk in its
	// snapshot (bytes); a MsgSnapResp carries the bytes received so far in
	// SnapOffset.
	SnapOffset, SnapTotal uint64
	SnapChunk             int
	// Sent is when the message entered the network, Due when it arrives
	// (zero while held).
	Sent, Due time.Duration
	Held      bool
}

// String renders the message in one stable line.
func (m MessageInfo) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "m%d %s->%s %s term=%d", m.ID, Name(m.From), Name(m.To), m.Type, m.Term)
	if m.Index != 0 || m.LogTerm != 0 {
		fmt.Fprintf(&b, " index=%d logterm=%d", m.Index, m.LogTerm)
	}
	if m.Entries > 0 {
		fmt.Fprintf(&b, " entries=%d", m.Entries)
	}
	if m.Commit != 0 {
		fmt.Fprintf(&b, " commit=%d", m.Commit)
	}
	switch m.Type {
	case raft.MsgSnap:
		fmt.Fprintf(&b, " chunk=%d+%d/%d", m.SnapOffset, m.SnapChunk, m.SnapTotal)
	case raft.MsgSnapResp:
		fmt.Fprintf(&b, " received=%d", m.SnapOffset)
	}
	if m.Reject {
		b.WriteString(" reject")
	}
	return b.String()
}

// trace keeps the records and a running digest of their String().
type trace struct {
	records []Record // the newest records; older ones beyond limit are discarded
	nextSeq uint64
	limit   int
	digest  bool
	hash    uint64
}

const fnvOffset64, fnvPrime64 = 14695981039346656037, 1099511628211

// add stamps r and appends it.
func (t *trace) add(r Record) Record {
	t.nextSeq++
	r.Seq = t.nextSeq
	if t.digest {
		t.hash = fnvString(t.hash, r.String())
		t.hash = fnvString(t.hash, "\n")
	}
	t.records = append(t.records, r)
	if t.limit > 0 && len(t.records) > t.limit {
		keep := t.limit / 2
		t.records = append(t.records[:0:0], t.records[len(t.records)-keep:]...)
	}
	return r
}

// since returns the kept records with Seq > seq.
func (t *trace) since(seq uint64) []Record {
	i := len(t.records)
	for i > 0 && t.records[i-1].Seq > seq {
		i--
	}
	return t.records[i:]
}

// fnvString folds s into an FNV-1a hash.
func fnvString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime64
	}
	return h
}
