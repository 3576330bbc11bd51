package transport

// Operating errors of the transport, with messages an operator can act on.
// A programming error (a local message handed to Send) or an impossible
// state panics with the function's name instead.

import (
	"errors"
	"fmt"
)

var (
	// ErrStopped: the transport was stopped; nothing more is sent.
	ErrStopped = errors.New("transport: stopped")
	// ErrUnknownPeer: Send names a member that was never added (or was
	// removed). The message is dropped and counted.
	ErrUnknownPeer = errors.New("transport: unknown peer")
	// ErrQueueFull: the peer's writer is behind (slow or unreachable peer);
	// the message is dropped, counted and the peer reported unreachable.
	// Raft retransmits what matters.
	ErrQueueFull = errors.New("transport: sending buffer is full (peer slow or unreachable)")
	// ErrFrameTooLarge is matched (errors.Is) by every *FrameTooLargeError.
	ErrFrameTooLarge = errors.New("transport: frame too large")
	// ErrPeerExists: AddPeer for a member that is already a peer; use
	// UpdatePeer to change its URLs.
	ErrPeerExists = errors.New("transport: peer already added")
	// ErrPeerRemoved: AddPeer for a member ID that was removed. etcd never
	// reuses a member ID; add the member again under a new ID.
	ErrPeerRemoved = errors.New("transport: peer was removed from the cluster and its ID cannot be reused")

	// Handshake refusals, as the dialing side sees them (the refusing side
	// logs the same words).

	// ErrClusterIDMismatch: the peer belongs to another cluster. Check
	// --initial-cluster-token and that the peer URLs point at this cluster's
	// members. etcd: "request cluster ID mismatch".
	ErrClusterIDMismatch = errors.New("transport: request cluster ID mismatch")
	// ErrRemovedMember: the peer knows this member as removed from the
	// cluster. etcd: "rejected stream from remote peer because it was
	// removed". The member should stop; its data is no longer of use.
	ErrRemovedMember = errors.New("transport: rejected stream from remote peer because it was removed")
	// ErrUnknownSender: the peer does not (yet) know this member; it will
	// once the membership change that adds it is applied there.
	ErrUnknownSender = errors.New("transport: peer does not know this member (sender not found)")
	// ErrRecipientMismatch: the peer URL answers for a different member ID.
	ErrRecipientMismatch = errors.New("transport: peer URL belongs to a different member (to field mismatch)")
	// ErrHandshake: any other refused or malformed upgrade.
	ErrHandshake = errors.New("transport: stream handshake failed")
)

// FrameTooLargeError says that a frame's body is longer than the limit.
type FrameTooLargeError struct {
	Bytes    int // the length of the body
	MaxBytes int // the limit it exceeds
}

func (e *FrameTooLargeError) Error() string {
	return fmt.Sprintf("transport: frame of %d bytes exceeds the limit of %d bytes "+
		"(a raft message this large is a bug upstream: check MaxSizePerMsg and the request size limit)",
		e.Bytes, e.MaxBytes)
}

// Is makes errors.Is(err, ErrFrameTooLarge) true for a *FrameTooLargeError.
func (e *FrameTooLargeError) Is(target error) bool { return target == ErrFrameTooLarge }
