// Package lockelect serves etcd's two helper gRPC services on a member's
// client URLs: v3lockpb.Lock (Lock, Unlock) and v3electionpb.Election
// (Campaign, Proclaim, Leader, Observe, Resign). They are clientv3's
// concurrency package run by the server on the caller's behalf, for
// clients in languages that have no such package (etcd:
// server/etcdserver/api/v3lock/lock.go, v3election/election.go).
//
//	caller ── /v3lockpb.Lock/Lock ──> service.go ── wire.go ──> lock.go / election.go
//	                                                              │ concurrency.Mutex, Election
//	                                                              v
//	                                         self.go: clientv3 on this member's own client URLs
//	                                                              │ Txn, Watch, LeaseKeepAlive
//	                                                              v
//	                                                native/api: KV, Watch, Lease of this member
//
// # Why the descriptors are built by hand
//
// etcd generates the Go code of these services from v3lock.proto and
// v3election.proto into its server module (go.etcd.io/etcd/server/v3),
// which etcdlab must not import: it is the etcd server. The API module we
// may import has the ResponseHeader and KeyValue those files use, but not
// the files themselves. So descriptor.go writes the two files out as
// descriptorpb values — the same message names, field names, numbers and
// types — and the protobuf runtime that gRPC already brings turns them
// into descriptors; messages travel as dynamicpb messages of those
// descriptors, and message.go gives each a plain Go struct. A client with
// etcd's generated stubs and this package's client (client.go) make the
// same calls with the same bytes; the process tests run one client against
// both etcdlab and etcd 3.4.
//
// # Basics
//
//   - Lock and Campaign use the caller's lease and never keep it alive:
//     the caller does. If it lapses, the key goes, and so does the lock or
//     the leadership. Lease 0 makes a new lease with the concurrency
//     package's default TTL (60 s) that nobody keeps alive, as in etcd.
//   - Keys are name + "/" + the lease ID in hex; the oldest key (lowest
//     create revision) under name/ holds the lock or leads the election.
//   - Errors are those of clientv3 and the concurrency package, sent as
//     etcd sends them: code Unknown and the error's text ("election: not
//     leader", "election: no leader", "etcdserver: permission denied").
//   - With auth on, the services act as the caller: its token rides along
//     on the member's calls to itself.
//
// # Deviations from etcd, and why
//
//   - etcd's services call their server in process (v3client); ours dial
//     the member's own advertised client URLs over gRPC (self.go),
//     because the KV, Watch and Lease services are reachable from here
//     only as gRPC services. The advertised URLs must therefore reach the
//     member from itself; https URLs are dialed with the member's client
//     TLS configuration (--cert-file, --key-file, --trusted-ca-file).
//   - The files are named after etcd's source paths
//     ("etcdserver/api/v3lock/v3lockpb/v3lock.proto"); etcd 3.5 registers
//     them as "v3lock.proto" and "v3election.proto". Only gRPC server
//     reflection would show the difference, and etcdlab serves none.
//   - No HTTP gateway (/v3/lock/lock, /v3/election/...): etcdlab serves
//     no grpc-gateway for any service.
package lockelect
