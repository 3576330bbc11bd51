package etcdimport

// Users and roles: etcd's buckets "authUsers" and "authRoles" map a name
// to a protobuf authpb.User or authpb.Role (etcd: auth/store.go
// putUser, putRole; go.etcd.io/etcd/api/v3/authpb), bucket "auth" holds
// authEnabled ({1} or {0}) and authRevision. They are replayed into
// etcdlab's auth store through its own methods, roles first so that users
// can be granted them:
//
//	authRoles "r1" {keyPermission: [READWRITE [foo, fop)]}  -> RoleAdd r1, RoleGrantPermission
//	authUsers "u1" {password: $2a$10$..., roles: [r1]}      -> UserAdd u1 (scheme "bcrypt"), UserGrantRole r1
//
// etcdlab cannot check a bcrypt hash (doc.go, deviations), so the hash is
// kept under the scheme "bcrypt", which no password matches, and auth is
// left disabled; etcdAuth.enabled tells the caller it was on.

import (
	"fmt"

	"go.etcd.io/etcd/api/v3/authpb"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/backend"
)

// bcryptScheme marks a password hash imported from etcd (bcrypt, cost 10).
const bcryptScheme = "bcrypt"

// etcdAuth is etcd's auth state, decoded.
type etcdAuth struct {
	enabled bool
	roles   []authpb.Role // in name order
	users   []authpb.User // in name order
}

// readAuth decodes etcd's auth buckets (any of them may be missing: etcd
// 3.4 creates them at start, a backend of another tool may not have them).
func readAuth(tx backend.ReadTx) (etcdAuth, error) {
	var a etcdAuth
	if hasBucket(tx, authBucket) {
		v := tx.Get(authBucket, authEnabledKey)
		a.enabled = len(v) == 1 && v[0] == 1
	}
	err := forEachIn(tx, authRolesBucket, func(k, v []byte) error {
		var r authpb.Role
		if err := r.Unmarshal(v); err != nil {
			return fmt.Errorf("bucket %q, role %q: the value is not an etcd authpb.Role: %v", authRolesBucket, k, err)
		}
		a.roles = append(a.roles, r)
		return nil
	})
	if err != nil {
		return a, err
	}
	err = forEachIn(tx, authUsersBucket, func(k, v []byte) error {
		var u authpb.User
		if err := u.Unmarshal(v); err != nil {
			return fmt.Errorf("bucket %q, user %q: the value is not an etcd authpb.User: %v", authUsersBucket, k, err)
		}
		a.users = append(a.users, u)
		return nil
	})
	return a, err
}

// write replays the roles and users into etcdlab's auth store in tx.
func (a etcdAuth) write(tx backend.WriteTx) error {
	if len(a.roles) == 0 && len(a.users) == 0 {
		return nil
	}
	s, err := auth.Open(tx, 1)
	if err != nil {
		return err
	}
	for _, r := range a.roles {
		name := string(r.Name)
		if err := s.RoleAdd(tx, name); err != nil {
			return fmt.Errorf("role %q: %w", name, err)
		}
		for _, p := range r.KeyPermission {
			perm := auth.Permission{Type: auth.PermType(p.PermType), Key: p.Key, RangeEnd: p.RangeEnd}
			if err := s.RoleGrantPermission(tx, name, perm); err != nil {
				return fmt.Errorf("role %q, permission %v [%q, %q): %w", name, p.PermType, p.Key, p.RangeEnd, err)
			}
		}
	}
	for _, u := range a.users {
		if err := writeUser(tx, s, u); err != nil {
			return err
		}
	}
	return nil
}

// writeUser adds one user with its etcd hash and grants its roles.
func writeUser(tx backend.WriteTx, s *auth.Store, u authpb.User) error {
	name := string(u.Name)
	noPassword := u.Options != nil && u.Options.NoPassword
	pw := auth.Password{Scheme: bcryptScheme, Hash: u.Password}
	if err := s.UserAdd(tx, name, pw, noPassword); err != nil {
		return fmt.Errorf("user %q: %w", name, err)
	}
	for _, role := range u.Roles {
		if err := s.UserGrantRole(tx, name, role); err != nil {
			return fmt.Errorf("user %q, role %q: %w", name, role, err)
		}
	}
	return nil
}
