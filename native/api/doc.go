// Package api serves etcd's v3 gRPC API (go.etcd.io/etcd/api/v3
// etcdserverpb) for one native/daemon member, so that etcdctl and the
// official Go client work against etcdlab unchanged; and, on the same
// client URLs, etcd's HTTP side: the JSON gateway (POST /v3/kv/put ...),
// /version, /health and /metrics, for curl and browsers.
//
//	client URL ── mux.go: first bytes (after TLS) ──┬── HTTP/2 preface: gRPC
//	                                               └── else: HTTP (http.go)
//	HTTP ── gateway.go, gateway_stream.go: JSON <-> the same calls, in process ──┐
//	client ── gRPC ──> kv.go watch.go lease.go cluster.go maintenance.go auth.go <┘
//	                     │ auth_interceptor.go: the token rides along; root-only calls
//	                     │ convert.go: etcdserverpb <-> core/mvcc, core/server
//	                     v
//	                   daemon.Do(ctx, server.Request) ──> the member's loop
//	                     │
//	                   errors.go: core error ──> etcd's rpctypes status
//
// Every request is one server.Request; the core answers it in a later
// Ready and the daemon hands the answer back. The client's auth token
// (gRPC metadata "token", sent by clientv3 after Authenticate) goes into
// the request, and the core checks it (core/server auth_check.go). Errors keep etcd's exact
// gRPC codes and messages (rpctypes), which is what clients match on.
//
// # Deviations from etcd, and why
//
//   - The Lock and Election helper services (v3lockpb, v3electionpb) are
//     served by native/lockelect, registered next to the others. Their
//     generated code lives in etcd's server module, which etcdlab does
//     not import, so that package builds their protobuf descriptors by
//     hand; and where etcd runs them on an in-process client of its own
//     server, they dial this member's advertised client URLs over gRPC,
//     passing the caller's token on (see its doc.go).
//   - Passwords are hashed with PBKDF2-HMAC-SHA256 (600,000 iterations, a
//     random 16-byte salt; auth_password.go), not bcrypt, which is not in
//     Go's standard library. A pre-hashed (bcrypt) HashedPassword in a user
//     add or password change is refused.
//   - Authenticate checks the password against this member's store without
//     waiting for a read index first (etcd 3.5 does one); the Authenticate
//     entry carries the auth revision checked at and is refused if the
//     store changed since, and the call starts over, so a stale member
//     never issues a token for a changed password.
//   - Defragment, Hash, HashKV and Snapshot need root while auth is on, as
//     in etcd, but are refused with etcd's "permission denied" status
//     (etcd 3.4/3.5 return the bare "auth: permission denied", code
//     Unknown). Status, MoveLeader, Alarm and Compact need no root, as in
//     etcd.
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
//   - The gateway calls the services in process; etcd's dials its own
//     gRPC port. So answers carry no Grpc-Metadata-* headers, and a JSON
//     body may be up to twice gRPC's message limit (base64 and field names
//     grow it; the core still refuses a request above --max-request-bytes).
//     Bodies that are not JSON or not an object get etcd's exact error
//     texts; a field of the wrong type gets protojson's wording, not
//     golang/protobuf jsonpb's. Only /v3/ is served (etcd 3.4 also serves
//     the deprecated /v3beta/; 3.5 does not). A stream's error after it
//     started is written as grpc-gateway v1's {"error":{"grpc_code":…}}
//     chunk, from its source, not compared with etcd.
//   - On https client URLs the mux terminates TLS for both protocols and
//     ALPN prefers http/1.1: gRPC clients offer only h2 and get it, HTTP
//     clients get HTTP/1.1. etcd serves HTTP/2 to both (it routes gRPC
//     through grpc.Server.ServeHTTP there, which is slower); here an HTTP
//     client that insists on HTTP/2 reaches gRPC, which refuses it (415),
//     as plain-text HTTP/2 does on etcd's cmux too. The gRPC handlers do
//     not see the peer's certificate (nothing in etcdlab reads it).
//   - A forwarded member add carries the time it was asked at in the
//     call's metadata, so that the leader computes the ID (etcd's formula,
//     with that time) the member asked would have; etcd computes it on the
//     member asked and proposes it there.
//   - --max-request-bytes is capped at daemon.MaxRequestBytesCeiling (a
//     request must fit one WAL record and one peer message); etcd has no
//     cap and warns above 10 MiB.
//   - Status reports version 3.5.0, the etcd API level etcdlab speaks.
package api
