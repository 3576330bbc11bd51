package raft

// Trace events: every notable step of the algorithm, as typed data. The
// visualizer animates them, the debugger breaks on them, tests compare them
// against golden files and invariant checkers read them. Nobody parses log
// text (STYLE.md rule 6).

import "fmt"

// EventKind names what happened.
type EventKind uint8

const (
	EvRoleChanged         EventKind = iota // Node became Role in Term (Peer: the leader, if known)
	EvElectionTimeout                      // Node's election timer fired
	EvVoteGranted                          // Node granted its (pre-)vote to Peer in Term
	EvVoteRejected                         // Node refused Peer its (pre-)vote; Reason says why
	EvStepDown                             // Node stopped leading; Reason says why (check quorum, higher term, removed)
	EvProposalAppended                     // the leader appended a proposal at Index
	EvProposalDropped                      // a proposal was dropped; Reason says why
	EvAppendAccepted                       // Node (follower) appended entries from Peer up to Index
	EvAppendRejected                       // Node (follower) refused entries from Peer at Index (log mismatch)
	EvCommitted                            // Node's commit index advanced to Index
	EvProgressChanged                      // the leader's view of Peer changed state (Reason: new state)
	EvSnapshotSendStarted                  // the leader started streaming snapshot Index to Peer
	EvSnapshotInstalled                    // Node installed the snapshot at Index from Peer
	EvSnapshotCreated                      // Node took a state snapshot at Index
	EvLogCompacted                         // Node discarded its log up to Index
	EvConfChanged                          // Node applied a membership change (Reason: what changed)
	EvConfChangeRefused                    // the leader refused a membership change; Reason says why
	EvTransferStarted                      // the leader began handing leadership to Peer
	EvTransferAborted                      // a leadership transfer to Peer gave up
	EvReadIndexReady                       // a ReadIndex request was answered with Index
)

var eventNames = [...]string{
	"role", "election-timeout", "vote-granted", "vote-rejected", "step-down",
	"proposal-appended", "proposal-dropped", "append-accepted", "append-rejected",
	"committed", "progress", "snapshot-send", "snapshot-installed",
	"snapshot-created", "log-compacted", "conf-changed", "conf-change-refused",
	"transfer-started", "transfer-aborted", "read-index",
}

func (k EventKind) String() string {
	if int(k) < len(eventNames) {
		return eventNames[k]
	}
	return fmt.Sprintf("EventKind(%d)", k)
}

// Event is one entry of the trace. Only the fields its Kind names are set.
type Event struct {
	Kind   EventKind
	Node   NodeID // the node where it happened
	Term   uint64 // the node's term at the time
	Role   Role   // EvRoleChanged: the new role
	Peer   NodeID // the other node involved, if any
	Index  uint64 // the log index involved, if any
	Reason string // a short explanation, if any
}

// String renders an event in one stable line, as golden traces store it.
func (e Event) String() string {
	s := fmt.Sprintf("n%d %s term=%d", e.Node, e.Kind, e.Term)
	if e.Kind == EvRoleChanged {
		s += " role=" + e.Role.String()
	}
	if e.Peer != None {
		s += fmt.Sprintf(" peer=n%d", e.Peer)
	}
	if e.Index != 0 {
		s += fmt.Sprintf(" index=%d", e.Index)
	}
	if e.Reason != "" {
		s += " (" + e.Reason + ")"
	}
	return s
}
