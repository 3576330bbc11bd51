package lockelect

// The messages of the two services as plain Go structs, one per message
// of descriptor.go, named as etcd names them (etcd: v3lockpb, v3electionpb).
// Each field carries its proto field name in a `proto` tag; wire.go copies
// a struct to and from its dynamic protobuf message by those names. The
// header and key-value fields are etcd's own generated types.

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

// LockRequest asks for the lock called Name, held with lease Lease (0: a
// new lease of concurrency.NewSession's default TTL, never kept alive).
type LockRequest struct {
	Name  []byte `proto:"name"`
	Lease int64  `proto:"lease"`
}

// LockResponse names the key that exists while the caller holds the lock:
// Name + "/" + the lease ID in hex.
type LockResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
	Key    []byte             `proto:"key"`
}

// UnlockRequest releases a lock by deleting its key.
type UnlockRequest struct {
	Key []byte `proto:"key"`
}

// UnlockResponse answers an UnlockRequest.
type UnlockResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
}

// CampaignRequest runs for leader of election Name under lease Lease and,
// once elected, proclaims Value.
type CampaignRequest struct {
	Name  []byte `proto:"name"`
	Lease int64  `proto:"lease"`
	Value []byte `proto:"value"`
}

// CampaignResponse hands the new leader its LeaderKey.
type CampaignResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
	Leader *LeaderKey         `proto:"leader"`
}

// LeaderKey is the proof of leadership: the key the leader wrote, its
// create revision and lease. Leadership ends when the key is deleted.
type LeaderKey struct {
	Name  []byte `proto:"name"`
	Key   []byte `proto:"key"`
	Rev   int64  `proto:"rev"`
	Lease int64  `proto:"lease"`
}

// LeaderRequest names an election, for Leader and Observe.
type LeaderRequest struct {
	Name []byte `proto:"name"`
}

// LeaderResponse is the leader's key and proclaimed value.
type LeaderResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
	Kv     *mvccpb.KeyValue   `proto:"kv"`
}

// ResignRequest gives leadership up.
type ResignRequest struct {
	Leader *LeaderKey `proto:"leader"`
}

// ResignResponse answers a ResignRequest.
type ResignResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
}

// ProclaimRequest replaces the leader's value.
type ProclaimRequest struct {
	Leader *LeaderKey `proto:"leader"`
	Value  []byte     `proto:"value"`
}

// ProclaimResponse answers a ProclaimRequest.
type ProclaimResponse struct {
	Header *pb.ResponseHeader `proto:"header"`
}

// allMessages lists one value of every message type, for the checks that
// every descriptor message has its Go struct (wire_test.go).
var allMessages = []any{
	&LockRequest{}, &LockResponse{}, &UnlockRequest{}, &UnlockResponse{},
	&CampaignRequest{}, &CampaignResponse{}, &LeaderKey{}, &LeaderRequest{},
	&LeaderResponse{}, &ResignRequest{}, &ResignResponse{}, &ProclaimRequest{}, &ProclaimResponse{},
}
