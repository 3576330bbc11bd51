package raft

import "errors"

// Operating errors: returned to the caller, with messages a user can act on.
// (Impossible states panic instead; STYLE.md rule 4.)
var (
	// ErrProposalDropped: no leader is known, or a leadership transfer is in
	// progress; the client should retry.
	ErrProposalDropped = errors.New("raft: proposal dropped")
	// ErrConfChangePending: a membership change is appended but not yet
	// applied; Raft changes one member at a time (thesis §4.1).
	ErrConfChangePending = errors.New("raft: a membership change is already in progress")
	// ErrLearnerNotReady: the learner's log is too far behind the leader's
	// to promote it. etcd: "etcdserver: can only promote a learner member
	// which is in sync with leader".
	ErrLearnerNotReady = errors.New("raft: can only promote a learner member which is in sync with leader")
	// ErrNotLearner: promote names a node that is not a learner.
	ErrNotLearner = errors.New("raft: can only promote a learner member")
	// ErrUnsafeReconfig: the change would leave too few started voters to
	// form a quorum. etcd (strict reconfig check): "etcdserver:
	// re-configuration failed due to not enough started members".
	ErrUnsafeReconfig = errors.New("raft: re-configuration failed due to not enough started members")
	// ErrMemberExists / ErrMemberNotFound: the change names a node that is
	// already a member / is not a member.
	ErrMemberExists   = errors.New("raft: member already exists")
	ErrMemberNotFound = errors.New("raft: member not found")
	// ErrNotLeader: the call only works on the leader.
	ErrNotLeader = errors.New("raft: not the leader")
	// ErrCompacted: the requested index was discarded by log compaction.
	ErrCompacted = errors.New("raft: requested index is unavailable due to compaction")
	// ErrSnapOutOfDate: a snapshot at or below the current one was asked for.
	ErrSnapOutOfDate = errors.New("raft: requested index is older than the existing snapshot")
	// ErrStepPeerNotFound: a response came from a node that is not a member.
	ErrStepPeerNotFound = errors.New("raft: cannot step as peer not found")
	// ErrLogLost: the leader says entries are committed that this node
	// acknowledged but no longer has — its persisted log was truncated,
	// corrupted or lost (a disk that lied about fsync, a hand-edited WAL).
	// Continuing would make the node vote and serve with a log it promised
	// to keep; the caller must stop it and repair it. etcd panics here:
	// "tocommit(N) is out of range [lastIndex(M)]. Was the raft log
	// corrupted, truncated, or lost?"
	ErrLogLost = errors.New("raft: entries this node acknowledged are missing from its log (was it truncated, corrupted or lost?)")
	// ErrStepLocalMsg: a local-only message arrived from the network.
	ErrStepLocalMsg = errors.New("raft: cannot step raft local message")
)
