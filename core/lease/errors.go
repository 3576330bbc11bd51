package lease

// Operating errors: returned to the caller, with etcd's messages where a
// client sees them (etcd: api/v3rpc/rpctypes/error.go), so that etcdctl and
// the Go client recognise them. Impossible states panic instead (STYLE.md
// rule 4).

import "errors"

var (
	// ErrLeaseNotFound: no lease has this ID — it was never granted, or it
	// was revoked (by a client or because it expired). The gRPC layer turns
	// it into TTL = -1 for LeaseTimeToLive, as etcd's v3rpc does.
	ErrLeaseNotFound = errors.New("etcdserver: requested lease not found")
	// ErrLeaseExists: Grant named an ID that is in use; pick another or let
	// the server pick (ID 0).
	ErrLeaseExists = errors.New("etcdserver: lease already exists")
	// ErrLeaseTTLTooLarge: Grant asked for more than core.MaxLeaseTTLSeconds.
	ErrLeaseTTLTooLarge = errors.New("etcdserver: too large lease TTL")
	// ErrNotPrimary: only the leader's lessor renews leases and reports
	// their remaining time; the server forwards the request to the leader.
	// etcd: lease.ErrNotPrimary, "not a primary lessor".
	ErrNotPrimary = errors.New("lease: not a primary lessor")
	// ErrLeaseExpired: a keep-alive arrived for a lease that has expired and
	// whose revoke is on its way through Raft. etcd blocks the keep-alive
	// until the revoke applies (then: not found) or the leader steps down
	// (then: not primary, and the client retries); a pure lessor cannot
	// block, so it says so and the server waits (doc.go, deviations).
	ErrLeaseExpired = errors.New("lease: lease expired and is being revoked; wait for the revoke or a leader change")
)
