package auth

// Users (etcd: server/auth/store.go, UserAdd ... UserList). A user is a name, a
// password hash and a sorted list of role names; bucket "authUsers" maps
// the name to the CBOR record. Deleting a user or changing its password
// ends its tokens; granting or revoking a role takes effect at once,
// because every request is checked against the current roles.

import (
	"slices"
	"sort"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
)

// Password is a password as the caller hashed it: the scheme and its
// parameters, the salt and the hash. The store keeps it and hands it back
// for checking; it never looks inside.
type Password struct {
	Scheme     string `cbor:"1,keyasint,omitempty"`
	Iterations int    `cbor:"2,keyasint,omitempty"`
	Salt       []byte `cbor:"3,keyasint,omitempty"`
	Hash       []byte `cbor:"4,keyasint,omitempty"`
}

// User is one user (etcd: authpb.User). Roles is sorted.
type User struct {
	Name       string   `cbor:"1,keyasint"`
	Password   Password `cbor:"2,keyasint"`
	Roles      []string `cbor:"3,keyasint,omitempty"`
	NoPassword bool     `cbor:"4,keyasint,omitempty"` // etcd: UserAddOptions.NoPassword (TLS common-name users)
}

func (u *User) hasRole(role string) bool {
	_, found := slices.BinarySearch(u.Roles, role)
	return found
}

// UserAdd adds a user with a password (ignored with noPassword).
func (s *Store) UserAdd(tx backend.WriteTx, name string, pw Password, noPassword bool) error {
	switch {
	case name == "":
		return ErrUserEmpty
	case len(name) > core.BackendMaxKeyBytes:
		return ErrNameTooLong
	case s.users[name] != nil:
		return ErrUserAlreadyExist
	}
	u := &User{Name: name, Password: pw, NoPassword: noPassword}
	if noPassword {
		u.Password = Password{}
	}
	s.putUser(tx, u)
	s.changed(tx)
	return nil
}

// UserDelete deletes a user and ends its tokens. User root cannot be
// deleted while auth is enabled.
func (s *Store) UserDelete(tx backend.WriteTx, name string) error {
	if s.enabled && name == rootName {
		return ErrInvalidAuthMgmt
	}
	if s.users[name] == nil {
		return ErrUserNotFound
	}
	ensureBuckets(tx)
	mustWrite(tx.Delete(usersBucket, []byte(name)))
	delete(s.users, name)
	s.tokens.InvalidateUser(name)
	s.changed(tx)
	return nil
}

// UserChangePassword sets a user's password and ends its tokens. A user
// without password keeps none.
func (s *Store) UserChangePassword(tx backend.WriteTx, name string, pw Password) error {
	old := s.users[name]
	if old == nil {
		return ErrUserNotFound
	}
	u := *old
	if !u.NoPassword {
		u.Password = pw
	}
	s.putUser(tx, &u)
	s.tokens.InvalidateUser(name)
	s.changed(tx)
	return nil
}

// UserGrantRole grants a role. Role root may be granted before it exists
// (etcd allows it, so that root can be set up first); granting a role the
// user holds already changes nothing.
func (s *Store) UserGrantRole(tx backend.WriteTx, name, role string) error {
	old := s.users[name]
	if old == nil {
		return ErrUserNotFound
	}
	if role != rootName && s.roles[role] == nil {
		return ErrRoleNotFound
	}
	if old.hasRole(role) {
		return nil
	}
	u := *old
	u.Roles = append(slices.Clone(u.Roles), role)
	sort.Strings(u.Roles)
	s.putUser(tx, &u)
	s.changed(tx)
	return nil
}

// UserRevokeRole revokes a role. Root cannot lose role root while auth is
// enabled.
func (s *Store) UserRevokeRole(tx backend.WriteTx, name, role string) error {
	if s.enabled && name == rootName && role == rootName {
		return ErrInvalidAuthMgmt
	}
	old := s.users[name]
	if old == nil {
		return ErrUserNotFound
	}
	if !old.hasRole(role) {
		return ErrRoleNotGranted
	}
	u := *old
	u.Roles = slices.DeleteFunc(slices.Clone(u.Roles), func(r string) bool { return r == role })
	s.putUser(tx, &u)
	s.changed(tx)
	return nil
}

// User returns a copy of a user.
func (s *Store) User(name string) (User, error) {
	u := s.users[name]
	if u == nil {
		return User{}, ErrUserNotFound
	}
	c := *u
	c.Roles = slices.Clone(u.Roles)
	return c, nil
}

// UserList lists the user names, sorted.
func (s *Store) UserList() []string {
	names := make([]string, 0, len(s.users))
	for name := range s.users {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// HasRole reports whether user holds role.
func (s *Store) HasRole(user, role string) bool {
	u := s.users[user]
	return u != nil && u.hasRole(role)
}

// putUser writes a user to the backend and to memory.
func (s *Store) putUser(tx backend.WriteTx, u *User) {
	ensureBuckets(tx)
	mustWrite(tx.Put(usersBucket, []byte(u.Name), encode(u)))
	s.users[u.Name] = u
}
