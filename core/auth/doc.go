// Package auth is etcd's auth store: users, roles, the permissions roles
// carry, the switch that turns authentication on, and the simple tokens a
// user holds after authenticating (etcd: server/auth). It is pure
// (DESIGN.md): the store lives in the backend, time is ticks, and the
// caller (core/server) applies every change as part of a Raft entry, so
// that every member holds the same users, roles and revision.
//
// # Basics
//
// A user has a password (hashed by the caller: the core stores the bytes
// and never reads them) and a sorted list of role names. A role holds
// permissions; a permission grants READ, WRITE or READWRITE on one key or
// on a range of keys:
//
//	Key "foo", RangeEnd ""         the key foo
//	Key "foo", RangeEnd "fop"      [foo, fop): every key with prefix foo
//	Key "foo", RangeEnd "\x00"     [foo, ∞): foo and every key after it
//	Key "\x00", RangeEnd "\x00"    every key
//
// What a user may do is the union of the permissions of all its roles
// (permission.go; etcd: server/auth/range_perm_cache.go). A request for a range is
// allowed only if that union covers the whole range; the pieces may come
// from different roles:
//
//	role a: READ [a, c)      role b: READ [c, f)
//	union:  READ [a, f)   -> get [b, e) allowed; get [b, g) denied
//
// The user "root" with the role "root" may do everything, and only root
// administers: user and role changes, enable and disable, maintenance
// that touches the backend file.
//
// # Rules around root (etcd: server/auth/store.go)
//
//   - Auth can be enabled only if user root exists and has role root;
//     root can be granted role root before role root exists.
//   - While auth is enabled, user root cannot be deleted, role root cannot
//     be deleted, and root cannot lose role root ("invalid auth
//     management").
//
// # The auth revision
//
// Every change to the store adds one to its revision, kept in the backend
// with the data (bucket "auth", key "authRevision"; etcd starts at 1). A
// request carries the revision at which its token was checked; if the
// store changed before the request is applied, the request is refused
// with ErrAuthOldRevision and the client checks again (clientv3 does so
// by itself). A permission is therefore never used after it was revoked.
//
// # Tokens
//
// etcd's "simple" tokens (token.go): random letters chosen by the member
// the client asked, then "." and the Raft index of the Authenticate entry,
// recorded in memory on every member when that entry is applied. A token
// lives for a time-to-live counted in ticks, renewed by each use, and dies
// when auth is disabled, when its user is deleted or changes password, and
// when the member restarts or installs a snapshot (tokens are never
// persisted, as in etcd).
//
// # Buckets
//
//	"auth"       authEnabled -> {1} or {0}; authRevision -> 8 bytes big endian
//	"authUsers"  name -> CBOR(User)
//	"authRoles"  name -> CBOR(Role)
//
// The buckets are created by the first change to the store, so a cluster
// that never uses auth has none of them in its backend.
//
// # Deviations from etcd, and why
//
//   - Passwords are hashed by the caller (native/api: PBKDF2-SHA256, since
//     bcrypt is not in Go's standard library); the store keeps the hash and
//     its parameters as opaque bytes.
//   - Records are CBOR, not etcd's protobuf (authpb): the codebase has one
//     internal encoding.
//   - A permission check on an empty range (range end at or below the key)
//     checks the key alone.
//   - RoleGet of root answers what root holds, as etcd 3.4 does (3.5
//     answers a READWRITE permission on every key).
//   - The token's time-to-live is counted in ticks of the member's clock,
//     so each member expires its copy on its own clock, as etcd's per-member
//     timers do.
package auth
