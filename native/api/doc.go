// Package api serves etcd's v3 gRPC API (go.etcd.io/etcd/api/v3
// etcdserverpb) for one native/daemon member, so that etcdctl and the
// official Go client work against etcdlab unchanged.
//
//	client ── gRPC ──> kv.go watch.go lease.go cluster.go maintenance.go
//	                     │ convert.go: etcdserverpb <-> core/mvcc, core/server
//	                     v
//	                   daemon.Do(ctx, server.Request) ──> the member's loop
//	                     │
//	                   errors.go: core error ──> etcd's rpctypes status
//
// Every request is one server.Request; the core answers it in a later
// Ready and the daemon hands the answer back. Errors keep etcd's exact
// gRPC codes and messages (rpctypes), which is what clients match on.
//
// # Deviations from etcd, and why
//
//   - Auth, Lock and Election answer codes.Unimplemented with a message
//     saying so: the core has no auth store yet, and the Lock/Election
//     helpers live in etcd's server module, not in the API module.
//   - Lease keep-alive and time-to-live on a follower are forwarded to the
//     leader's client URL over gRPC (forward.go); etcd uses the peer HTTP
//     API. Until the leader has published its client URLs through Raft
//     (native/daemon attrs.go, shortly after it starts) a follower answers
//     "no leader", which clients retry.
//   - Membership changes on a follower (add, remove, update, promote) are
//     forwarded to the leader the same way, so that the leader's checks
//     answer from any member; etcd forwards only promote and checks the
//     others on the member that got them. If the leader's client URLs are
//     not known yet, the follower proposes the change itself, and a
//     refusal by the leader then reaches the client as a timeout.
//   - Health and metrics are served on --listen-metrics-urls only, not on
//     the client URLs (etcd multiplexes HTTP and gRPC on one port).
//   - --max-request-bytes and --max-txn-ops above the core's limits
//     (core.MaxRequestBytes, core.MaxTxnOps) do not raise them.
//   - Status reports version 3.5.0, the etcd API level etcdlab speaks.
package api
