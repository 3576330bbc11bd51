package auth

// The Store: the auth state of one member, read from the backend when the
// member opens it and changed only by applied entries, each change written
// into the entry's backend transaction (etcd: server/auth/store.go, authStore).
//
//	Open(read tx)                  users, roles, enabled, revision <- buckets
//	Enable / Disable (write tx)    the switch (root rules first)
//	UserAdd ... RoleRevokePermission (user.go, role.go)
//	IsRangePermitted ... (permission.go)     may this user do this?
//	Authenticate / TokenInfo (token.go)      tokens in memory
//
// The store keeps users and roles in memory as well: permission checks run
// on every request while auth is enabled and must not read the backend.
// Every change writes the backend and the memory together, and a new
// backend (a restart, a snapshot install) means a new Store.

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/fxamacker/cbor/v2"
)

// The buckets and keys of the store (etcd: server/storage/schema/auth.go).
const (
	authBucket  = "auth"
	usersBucket = "authUsers"
	rolesBucket = "authRoles"
)

var (
	enabledKey  = []byte("authEnabled")
	revisionKey = []byte("authRevision")
)

// rootName is the name of the administrator user and of its role.
const rootName = "root"

// initialRevision is the revision of a store that never changed (etcd's
// NewAuthStore commits revision 1 on a fresh backend).
const initialRevision = 1

// Store is the auth state of a member. Not safe for concurrent use.
type Store struct {
	enabled  bool
	revision uint64
	users    map[string]*User
	roles    map[string]*Role
	// perms caches each user's merged permissions; any change drops it.
	perms  map[string]*userPerms
	tokens *Tokens
}

// Open reads the store from the backend (an empty store if the buckets do
// not exist yet). Tokens live tokenTTLTicks ticks after their last use.
func Open(tx backend.ReadTx, tokenTTLTicks uint64) (*Store, error) {
	s := &Store{
		revision: initialRevision, users: map[string]*User{}, roles: map[string]*Role{},
		perms: map[string]*userPerms{}, tokens: NewTokens(tokenTTLTicks),
	}
	if v := tx.Get(authBucket, enabledKey); len(v) == 1 {
		s.enabled = v[0] == 1
	}
	if v := tx.Get(authBucket, revisionKey); len(v) == 8 {
		s.revision = binary.BigEndian.Uint64(v)
	}
	err := forEach(tx, usersBucket, func(v []byte) error {
		var u User
		if err := cbor.Unmarshal(v, &u); err != nil {
			return fmt.Errorf("auth: corrupt user record: %w", err)
		}
		s.users[u.Name] = &u
		return nil
	})
	if err == nil {
		err = forEach(tx, rolesBucket, func(v []byte) error {
			var r Role
			if err := cbor.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("auth: corrupt role record: %w", err)
			}
			s.roles[r.Name] = &r
			return nil
		})
	}
	return s, err
}

// forEach visits the values of a bucket that may not exist.
func forEach(tx backend.ReadTx, bucket string, fn func(v []byte) error) error {
	if !slices.Contains(tx.Buckets(), bucket) {
		return nil
	}
	return tx.ForEach(bucket, func(_, v []byte) error { return fn(v) })
}

// Enabled reports whether authentication is on.
func (s *Store) Enabled() bool { return s.enabled }

// Revision is the auth revision: one more for every change.
func (s *Store) Revision() uint64 { return s.revision }

// Enable turns authentication on. User root must exist and hold role root.
// Enabling an enabled store changes nothing; enabling does not change the
// revision (etcd: AuthEnable).
func (s *Store) Enable(tx backend.WriteTx) error {
	if s.enabled {
		return nil
	}
	root, ok := s.users[rootName]
	if !ok {
		return ErrRootUserNotExist
	}
	if !root.hasRole(rootName) {
		return ErrRootRoleNotExist
	}
	ensureBuckets(tx)
	mustWrite(tx.Put(authBucket, enabledKey, []byte{1}))
	s.enabled = true
	s.perms = map[string]*userPerms{}
	return nil
}

// Disable turns authentication off and forgets every token.
func (s *Store) Disable(tx backend.WriteTx) {
	if !s.enabled {
		return
	}
	ensureBuckets(tx)
	mustWrite(tx.Put(authBucket, enabledKey, []byte{0}))
	s.enabled = false
	s.tokens.Clear()
	s.changed(tx)
}

// changed records a change: the revision goes up in the backend and in
// memory, and the cached permissions are dropped (etcd: commitRevision).
func (s *Store) changed(tx backend.WriteTx) {
	ensureBuckets(tx)
	s.revision++
	mustWrite(tx.Put(authBucket, revisionKey, binary.BigEndian.AppendUint64(nil, s.revision)))
	s.perms = map[string]*userPerms{}
}

// ensureBuckets creates the store's buckets on its first change.
func ensureBuckets(tx backend.WriteTx) {
	for _, b := range []string{authBucket, usersBucket, rolesBucket} {
		mustWrite(tx.CreateBucket(b))
	}
}

// encoding is CBOR's core deterministic encoding: every member writes the
// same bytes for the same record, so backend hashes agree.
var encoding = func() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("auth: CBOR encoding: " + err.Error())
	}
	return em
}()

func encode(v any) []byte {
	data, err := encoding.Marshal(v)
	if err != nil {
		panic("auth.encode: " + err.Error()) // plain structs always encode
	}
	return data
}

// mustWrite: the backend refusing a write inside an entry is an impossible
// state (the buckets exist, the keys are short).
func mustWrite(err error) {
	if err != nil {
		panic("auth: backend write failed: " + err.Error())
	}
}
