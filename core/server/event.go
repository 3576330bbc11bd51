package server

// Trace events of the state machine layer, as typed data (STYLE.md rule
// 6), in the spirit of raft.Event: what a student should see happen above
// Raft — a request applied at a revision, history compacted, a snapshot
// taken or installed, an alarm raised, a lease granted or expired, a
// member added. The visualizer, the debugger and tests read them; nobody
// parses log text.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/raft"
)

// EventKind names what happened.
type EventKind uint8

const (
	EvApplied           EventKind = iota // entry Index applied: Reason names the request; Revision after it
	EvApplyFailed                        // entry Index applied with an error (Reason); nothing changed
	EvCompacted                          // the key space was compacted at Revision
	EvSnapshotTaken                      // a state snapshot at Index (Revision) was taken; the log compacted
	EvSnapshotInstalled                  // a snapshot at Index from the leader replaced the state
	EvAlarmRaised                        // Reason (the alarm) raised for member Peer
	EvAlarmDisarmed                      // Reason (the alarm) disarmed for member Peer
	EvLeaseGranted                       // Lease granted (Reason: its TTL)
	EvLeaseRevoked                       // Lease revoked; Keys keys deleted at Revision
	EvLeaseExpired                       // the leader found Lease expired and proposed its revoke
	EvMemberAdded                        // member Peer added (Reason: voter or learner)
	EvMemberRemoved                      // member Peer removed
	EvMemberPromoted                     // learner Peer became a voter
	EvMemberUpdated                      // member Peer's peer URLs, or its published name and client URLs, changed
	EvDefragmented                       // the backend was defragmented (Reason: sizes)
	EvRequestTimedOut                    // request ID gave up waiting (Reason: the error)
)

var eventNames = [...]string{
	"applied", "apply-failed", "compacted", "snapshot-taken", "snapshot-installed",
	"alarm-raised", "alarm-disarmed", "lease-granted", "lease-revoked", "lease-expired",
	"member-added", "member-removed", "member-promoted", "member-updated",
	"defragmented", "request-timed-out",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event is one entry of the trace. Only the fields its Kind names are set.
type Event struct {
	Kind      EventKind
	Member    raft.NodeID // where it happened
	Index     uint64      // the log index involved, if any
	Revision  int64       // the key space's revision involved, if any
	Lease     lease.LeaseID
	Keys      int
	Peer      raft.NodeID // the other member involved, if any
	RequestID uint64
	Reason    string
}

// String renders an event in one stable line, as golden traces store it.
func (e Event) String() string {
	s := fmt.Sprintf("m%x %s", uint64(e.Member), e.Kind)
	if e.Index != 0 {
		s += fmt.Sprintf(" index=%d", e.Index)
	}
	if e.Revision != 0 {
		s += fmt.Sprintf(" rev=%d", e.Revision)
	}
	if e.Lease != lease.NoLease {
		s += " lease=" + e.Lease.String()
	}
	if e.Kind == EvLeaseRevoked {
		s += fmt.Sprintf(" keys=%d", e.Keys)
	}
	if e.Peer != raft.None {
		s += fmt.Sprintf(" peer=m%x", uint64(e.Peer))
	}
	if e.RequestID != 0 {
		s += fmt.Sprintf(" req=%d", e.RequestID)
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}

// emit records a trace event.
func (m *Member) emit(e Event) {
	e.Member = m.id
	m.events = append(m.events, e)
}
