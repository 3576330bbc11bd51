// Package etcdimport turns the backend of real etcd (v3.4 to v3.6) into an
// etcdlab backend, so that `etcdlab snapshot restore` accepts a file made
// by `etcdctl snapshot save` against etcd and an operator can move a
// cluster from etcd to etcdlab.
//
// # Basics
//
// Both programs keep their state in one bbolt file with the same buckets,
// and etcdlab even keys them the same way; what differs is the encoding of
// the values:
//
//	bucket        key (both)                      etcd value            etcdlab value
//	"key"         main(8) '_' sub(8) ['t']        mvccpb.KeyValue       CBOR mvcc.KeyValue
//	"meta"        finishedCompactRev, scheduled.. main(8) '_' sub(8)    the same
//	"lease"       lease ID, 8 bytes big endian    leasepb.Lease         CBOR {TTL, remaining}
//	"authUsers"   user name                       authpb.User (bcrypt)  CBOR auth.User
//	"authRoles"   role name                       authpb.Role           CBOR auth.Role
//	"auth"        authEnabled, authRevision       1 byte, 8 bytes       the same
//	"members" "members_removed" "cluster" "alarm", meta consistent_index, term,
//	confState, storageVersion: the old cluster's identity  -> not imported
//
// Detect (detect.go) tells the two apart by the first value of bucket
// "key" (protobuf or CBOR), or, in an empty key space, by the cluster
// bucket; it names etcd's schema as etcd's own migration code does: meta
// "storageVersion" is v3.6 or later, meta "term"/"confState" v3.5, neither
// v3.4 (etcd: server/storage/schema/schema.go, bucket.go).
//
// Convert (convert.go) then copies, never in place:
//
//	pass 1, read only:  decode and check every change of "key"; decode the
//	                    leases, the auth records and the compaction progress
//	pass 2, writes:     one commit: compaction progress, leases, auth
//	                    then the changes, in revision order, in batches
//
// Every record is written through the core's own functions
// (mvcc.ImportChange, mvcc.ImportCompaction, server.ImportLease, the
// auth.Store methods), so there is one encoding of each record in the
// codebase. A corrupt record fails pass 1 with the bucket, the key and
// what is wrong, and nothing has been written. The key index, the current
// revision and each lease's keys are not copied at all: the core rebuilds
// them when it opens the converted backend, as after any restart.
//
// What survives: every revision of every key that etcd still held, with
// create revision, mod revision, version and lease; the compact revision
// (reads below it answer "required revision has been compacted"); every
// lease with its TTL and checkpointed remaining TTL; users and roles.
// What does not: membership, cluster ID and consistent index (a restore
// makes a new cluster, exactly as for an etcdlab snapshot), and alarms
// (they name the old cluster's members).
//
// # Deviations from etcd, and why
//
//   - Passwords: etcd stores bcrypt hashes; etcdlab checks PBKDF2 hashes
//     (native/api auth_password.go) and has no bcrypt (not in Go's standard
//     library). Users keep their hash under the scheme "bcrypt", which
//     etcdlab never accepts, so every password user must be given a new
//     password (`etcdlab user passwd`). For the same reason auth is
//     imported disabled even if etcd had it enabled — enabled, nobody could
//     log in, root included; Report.AuthWasEnabled tells the operator to
//     enable it again once root has a new password.
//   - The auth revision starts again from etcdlab's initial revision plus
//     one per imported change, instead of etcd's number: it only orders
//     changes to the auth store within one cluster.
//   - Leases with a TTL below etcdlab's minimum are raised to it when the
//     member opens the backend, as etcd's lessor does on recovery.
package etcdimport
