package server

// Requests and responses of the member: one Request type with one field
// set per operation, mirroring etcd's etcdserverpb.InternalRaftRequest (and
// the client-facing requests the daemon maps onto it). The key-space
// requests are core/mvcc's own types; the rest are defined here, field for
// field etcd's.
//
// Every request carries an ID the caller chooses, unique among the
// requests waiting on this member; the Response that answers it carries the
// same ID and etcd's ResponseHeader.
//
//	writes   Put DeleteRange Txn Compaction LeaseGrant LeaseRevoke Alarm
//	         MemberAdd MemberRemove MemberUpdate MemberPromote MemberAttributes
//	         -> through the Raft log, answered when applied
//	reads    Range, read-only Txn -> ReadIndex (linearizable) or at once
//	         (Serializable)
//	leader   LeaseKeepAlive LeaseTimeToLive -> the leader's lessor
//	local    LeaseLeases MemberList -> this member's state, at once
//	auth     Auth -> through the log, or at once for a password or a check (auth.go)

import (
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Request is one client request. Exactly one operation field is set.
type Request struct {
	// ID names the request; its Response carries it back. Choose IDs unique
	// per member (etcd's ID generator mixes the member ID and the time).
	ID uint64
	// Serializable answers a Range or a read-only Txn from this member's
	// state at once, without asking the leader (possibly stale). etcd:
	// RangeRequest.serializable.
	Serializable bool

	Range       *mvcc.RangeRequest
	Put         *mvcc.PutRequest
	DeleteRange *mvcc.DeleteRangeRequest
	Txn         *mvcc.TxnRequest
	Compaction  *CompactionRequest

	LeaseGrant      *LeaseGrantRequest
	LeaseRevoke     *LeaseRevokeRequest
	LeaseKeepAlive  *LeaseKeepAliveRequest
	LeaseTimeToLive *LeaseTimeToLiveRequest
	LeaseLeases     *LeaseLeasesRequest

	Alarm *AlarmRequest

	MemberAdd     *MemberAddRequest
	MemberRemove  *MemberRemoveRequest
	MemberUpdate  *MemberUpdateRequest
	MemberPromote *MemberPromoteRequest
	MemberList    *MemberListRequest
	// MemberAttributes is a member publishing its own name and client
	// URLs after it started (the daemon sends it; clients do not).
	MemberAttributes *MemberAttributesRequest

	// Auth is a request to the auth store: enable, authenticate, users,
	// roles (auth.go).
	Auth *AuthRequest
	// Token is the simple token the client authenticated with (etcd: gRPC
	// metadata "token"). While auth is enabled the member checks the
	// request as the token's user; a request without one has no user.
	Token string
}

// ResponseHeader is etcd's: which cluster and member answered, the key
// space's revision when it did, and the member's Raft term.
type ResponseHeader struct {
	ClusterID uint64
	MemberID  uint64
	Revision  int64
	RaftTerm  uint64
}

// Response answers the Request with the same ID. Err is set if it failed;
// otherwise the field of the request's operation is set.
type Response struct {
	ID     uint64
	Header ResponseHeader
	Err    error

	Range       *mvcc.RangeResponse
	Put         *mvcc.PutResponse
	DeleteRange *mvcc.DeleteRangeResponse
	Txn         *mvcc.TxnResponse
	Compaction  *CompactionResponse

	LeaseGrant      *LeaseGrantResponse
	LeaseRevoke     *LeaseRevokeResponse
	LeaseKeepAlive  *LeaseKeepAliveResponse
	LeaseTimeToLive *LeaseTimeToLiveResponse
	LeaseLeases     *LeaseLeasesResponse

	Alarm *AlarmResponse

	Members *MembersResponse // every member request

	Auth *AuthResponse
}

// CompactionRequest compacts the key space's history at Revision (etcd:
// CompactionRequest; Physical is accepted and needs no waiting here, since
// compaction finishes when it is applied).
type CompactionRequest struct {
	Revision int64 `cbor:"1,keyasint"`
	Physical bool  `cbor:"2,keyasint,omitempty"`
}

// CompactionResponse answers a CompactionRequest (the header is all).
type CompactionResponse struct{}

// LeaseGrantRequest grants a lease of TTLSeconds. ID 0 lets the member
// choose one.
type LeaseGrantRequest struct {
	TTLSeconds int64         `cbor:"1,keyasint"`
	ID         lease.LeaseID `cbor:"2,keyasint,omitempty"`
}

// LeaseGrantResponse: the lease's ID and granted TTL (raised to the
// minimum TTL).
type LeaseGrantResponse struct {
	ID         lease.LeaseID
	TTLSeconds int64
}

// LeaseRevokeRequest revokes a lease and deletes its keys.
type LeaseRevokeRequest struct {
	ID lease.LeaseID `cbor:"1,keyasint"`
}

// LeaseRevokeResponse answers a LeaseRevokeRequest (the header is all).
type LeaseRevokeResponse struct{}

// leaseCheckpointRequest records remaining TTLs (the leader's, internal;
// etcd: LeaseCheckpointRequest).
type leaseCheckpointRequest struct {
	Checkpoints []lease.Checkpoint `cbor:"1,keyasint"`
}

// LeaseKeepAliveRequest restarts a lease's countdown (leader only).
type LeaseKeepAliveRequest struct {
	ID lease.LeaseID
}

// LeaseKeepAliveResponse: the lease's granted TTL, now counting down anew.
type LeaseKeepAliveResponse struct {
	ID         lease.LeaseID
	TTLSeconds int64
}

// LeaseTimeToLiveRequest asks how long a lease has left (leader only).
type LeaseTimeToLiveRequest struct {
	ID   lease.LeaseID
	Keys bool
}

// LeaseTimeToLiveResponse is the lessor's answer.
type LeaseTimeToLiveResponse = lease.TimeToLive

// LeaseLeasesRequest lists the leases this member holds.
type LeaseLeasesRequest struct{}

// LeaseLeasesResponse lists lease IDs, ascending.
type LeaseLeasesResponse struct {
	IDs []lease.LeaseID
}

// AlarmAction is what an AlarmRequest does (etcd: AlarmRequest.AlarmAction).
type AlarmAction uint8

const (
	AlarmGet AlarmAction = iota
	AlarmActivate
	AlarmDeactivate
)

// AlarmType names an alarm (etcd: AlarmType; NONE in a Get means all).
type AlarmType uint8

const (
	AlarmNone AlarmType = iota
	AlarmNoSpace
	AlarmCorrupt
)

var alarmNames = [...]string{"NONE", "NOSPACE", "CORRUPT"}

func (t AlarmType) String() string {
	if int(t) < len(alarmNames) {
		return alarmNames[t]
	}
	return "AlarmType(?)"
}

// AlarmRequest lists, raises or disarms an alarm; it goes through Raft so
// that every member agrees.
type AlarmRequest struct {
	Action   AlarmAction `cbor:"1,keyasint"`
	MemberID raft.NodeID `cbor:"2,keyasint,omitempty"`
	Alarm    AlarmType   `cbor:"3,keyasint,omitempty"`
}

// AlarmMember is one raised alarm: which member raised which alarm.
type AlarmMember struct {
	MemberID raft.NodeID `cbor:"1,keyasint"`
	Alarm    AlarmType   `cbor:"2,keyasint"`
}

// AlarmResponse: for Get, the alarms (by member, then type); for Activate
// and Deactivate, the alarm that changed (none if nothing did).
type AlarmResponse struct {
	Alarms []AlarmMember
}

// MemberAddRequest adds a member. ID 0 computes it as etcd does from the
// peer URLs, the cluster token and AddedAtUnixSeconds (MemberID).
type MemberAddRequest struct {
	ID                 raft.NodeID
	Name               string
	PeerURLs           []string
	IsLearner          bool
	AddedAtUnixSeconds int64
}

// MemberRemoveRequest removes a member.
type MemberRemoveRequest struct {
	ID raft.NodeID
}

// MemberUpdateRequest changes a member's peer URLs.
type MemberUpdateRequest struct {
	ID       raft.NodeID `cbor:"1,keyasint"`
	PeerURLs []string    `cbor:"2,keyasint"`
}

// MemberPromoteRequest makes a learner a voting member.
type MemberPromoteRequest struct {
	ID raft.NodeID
}

// MemberAttributesRequest publishes a started member's attributes — its
// name and the client URLs it serves — through the log, so that every
// member lists them and keeps them in its membership bucket and snapshots
// (etcd: ClusterMemberAttrSetRequest, proposed by EtcdServer.publishV3 once
// the member has a leader, retried until applied). A member publishes
// about itself only; its peer URLs and learner flag are left alone. Until
// it publishes, a member added at runtime lists an empty name and no
// client URLs, which etcdctl prints as "unstarted".
type MemberAttributesRequest struct {
	ID         raft.NodeID `cbor:"1,keyasint"`
	Name       string      `cbor:"2,keyasint,omitempty"`
	ClientURLs []string    `cbor:"3,keyasint,omitempty"`
}

// MemberListRequest lists the members.
type MemberListRequest struct{}

// MembersResponse answers every member request: the member concerned (for
// add, remove, update, promote, attributes) and the membership after the
// change.
type MembersResponse struct {
	Member  *MemberInfo
	Members []MemberInfo
}
