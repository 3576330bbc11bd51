package server

// Operating errors, with etcd's messages: clients match on these strings
// (etcd: api/v3rpc/rpctypes/error.go and etcdserver/errors.go), so the
// daemon passes them through unchanged. Errors of the layers below — mvcc's
// "required revision has been compacted", the lessor's "requested lease not
// found" — reach the client as those layers return them. Impossible states
// panic instead (STYLE.md rule 4).

import "errors"

var (
	// ErrRequestTooLarge: the encoded request exceeds core.MaxRequestBytes
	// (etcd: --max-request-bytes).
	ErrRequestTooLarge = errors.New("etcdserver: request is too large")
	// ErrNoSpace: the write would take the backend past the quota, or the
	// NOSPACE alarm is active. Compact, defragment, then disarm the alarm.
	ErrNoSpace = errors.New("etcdserver: mvcc: database space exceeded")
	// ErrTimeout: the request was not applied within the request timeout
	// (it may still be applied later; the answer is lost).
	ErrTimeout = errors.New("etcdserver: request timed out")
	// ErrTimeoutDueToLeaderFail: as ErrTimeout, and the leader changed
	// while the request waited, which is the likely cause.
	ErrTimeoutDueToLeaderFail = errors.New("etcdserver: request timed out, possibly due to previous leader failure")
	// ErrLeaderChanged: a linearizable read lost its leader before the
	// leader confirmed the read index; retry.
	ErrLeaderChanged = errors.New("etcdserver: leader changed")
	// ErrNoLeader: this member knows no leader (an election is running, or
	// it is cut off from the majority); retry later or elsewhere.
	ErrNoLeader = errors.New("etcdserver: no leader")
	// ErrNotLeader: keep-alive and time-to-live are answered by the leader
	// only (the daemon forwards them there).
	ErrNotLeader = errors.New("etcdserver: not leader")
	// ErrTooManyRequests: this member is applying too far behind its commit
	// index (core.MaxGapBetweenApplyAndCommitIndex); retry later.
	ErrTooManyRequests = errors.New("etcdserver: too many requests")
	// ErrDuplicateRequestID: a request reused the ID of one still waiting
	// on this member; request IDs must be unique per member.
	ErrDuplicateRequestID = errors.New("etcdserver: request ID is already waiting on this member; choose unique IDs")
	// ErrEmptyRequest: a Request with no operation set.
	ErrEmptyRequest = errors.New("etcdserver: request has no operation; set exactly one")

	// Membership (etcd: rpctypes ErrGRPCMemberExist ... and
	// membership.ErrIDRemoved).
	ErrMemberIDExists   = errors.New("etcdserver: member ID already exist")
	ErrPeerURLExists    = errors.New("etcdserver: Peer URLs already exists")
	ErrMemberNotFound   = errors.New("etcdserver: member not found")
	ErrIDRemoved        = errors.New("etcdserver: ID removed")
	ErrMemberNotLearner = errors.New("etcdserver: can only promote a learner member")
	ErrLearnerNotReady  = errors.New("etcdserver: can only promote a learner member which is in sync with leader")
	ErrNotEnoughStarted = errors.New("etcdserver: re-configuration failed due to not enough started members")
	ErrTooManyLearners  = errors.New("etcdserver: too many learner members in cluster")
	ErrBadPeerURLs      = errors.New("etcdserver: a member needs at least one peer URL")
)
