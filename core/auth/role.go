package auth

// Roles and their permissions (etcd: server/auth/store.go, RoleAdd ... RoleList). A
// role is a name and a list of permissions sorted by key; bucket
// "authRoles" maps the name to the CBOR record. A permission is found
// again by its exact key and range end: revoking [a, c) does not touch
// [a, b).

import (
	"bytes"
	"slices"
	"sort"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
)

// PermType is what a permission allows, numbered as etcd's authpb.
type PermType uint8

const (
	Read PermType = iota
	Write
	ReadWrite
)

var permNames = [...]string{"READ", "WRITE", "READWRITE"}

func (t PermType) String() string {
	if int(t) < len(permNames) {
		return permNames[t]
	}
	return "PermType(?)"
}

// allows reports whether t includes want (Read or Write).
func (t PermType) allows(want PermType) bool { return t == ReadWrite || t == want }

// Permission allows Type on one key (RangeEnd empty), on [Key, RangeEnd),
// or on every key from Key on (RangeEnd "\x00"). etcd: authpb.Permission.
type Permission struct {
	Type     PermType `cbor:"1,keyasint,omitempty"`
	Key      []byte   `cbor:"2,keyasint"`
	RangeEnd []byte   `cbor:"3,keyasint,omitempty"`
}

// Role is one role (etcd: authpb.Role). Perms is sorted by key, then range
// end.
type Role struct {
	Name  string       `cbor:"1,keyasint"`
	Perms []Permission `cbor:"2,keyasint,omitempty"`
}

// RoleAdd adds a role without permissions.
func (s *Store) RoleAdd(tx backend.WriteTx, name string) error {
	switch {
	case name == "":
		return ErrRoleEmpty
	case len(name) > core.BackendMaxKeyBytes:
		return ErrNameTooLong
	case s.roles[name] != nil:
		return ErrRoleAlreadyExist
	}
	s.putRole(tx, &Role{Name: name})
	s.changed(tx)
	return nil
}

// RoleDelete deletes a role and revokes it from every user holding it.
// Role root cannot be deleted while auth is enabled.
func (s *Store) RoleDelete(tx backend.WriteTx, name string) error {
	if s.enabled && name == rootName {
		return ErrInvalidAuthMgmt
	}
	if s.roles[name] == nil {
		return ErrRoleNotFound
	}
	ensureBuckets(tx)
	mustWrite(tx.Delete(rolesBucket, []byte(name)))
	delete(s.roles, name)
	for _, userName := range s.UserList() {
		u := s.users[userName]
		if !u.hasRole(name) {
			continue
		}
		c := *u
		c.Roles = slices.DeleteFunc(slices.Clone(u.Roles), func(r string) bool { return r == name })
		s.putUser(tx, &c)
	}
	s.changed(tx)
	return nil
}

// RoleGrantPermission adds a permission to a role, or changes the type of
// the one with the same key and range end.
func (s *Store) RoleGrantPermission(tx backend.WriteTx, name string, p Permission) error {
	old := s.roles[name]
	if old == nil {
		return ErrRoleNotFound
	}
	if p.Type > ReadWrite || !validRange(p.Key, p.RangeEnd) {
		return ErrInvalidAuthMgmt
	}
	r := Role{Name: name, Perms: slices.Clone(old.Perms)}
	if i := r.find(p.Key, p.RangeEnd); i >= 0 {
		r.Perms[i].Type = p.Type
	} else {
		r.Perms = append(r.Perms, Permission{Type: p.Type, Key: bytes.Clone(p.Key), RangeEnd: nonEmpty(p.RangeEnd)})
		slices.SortFunc(r.Perms, comparePerms)
	}
	s.putRole(tx, &r)
	s.changed(tx)
	return nil
}

// RoleRevokePermission removes the permission with exactly this key and
// range end.
func (s *Store) RoleRevokePermission(tx backend.WriteTx, name string, key, rangeEnd []byte) error {
	old := s.roles[name]
	if old == nil {
		return ErrRoleNotFound
	}
	i := old.find(key, rangeEnd)
	if i < 0 {
		return ErrPermissionNotGranted
	}
	r := Role{Name: name, Perms: slices.Delete(slices.Clone(old.Perms), i, i+1)}
	s.putRole(tx, &r)
	s.changed(tx)
	return nil
}

// Role returns a copy of a role.
func (s *Store) Role(name string) (Role, error) {
	r := s.roles[name]
	if r == nil {
		return Role{}, ErrRoleNotFound
	}
	return Role{Name: r.Name, Perms: slices.Clone(r.Perms)}, nil
}

// RoleList lists the role names, sorted.
func (s *Store) RoleList() []string {
	names := make([]string, 0, len(s.roles))
	for name := range s.roles {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// find returns the index of the permission on exactly [key, rangeEnd), or -1.
func (r *Role) find(key, rangeEnd []byte) int {
	return slices.IndexFunc(r.Perms, func(p Permission) bool {
		return bytes.Equal(p.Key, key) && bytes.Equal(p.RangeEnd, rangeEnd)
	})
}

// nonEmpty copies b, or is nil for an empty b: a record read back from
// the backend holds nil there too.
func nonEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return bytes.Clone(b)
}

func comparePerms(a, b Permission) int {
	if c := bytes.Compare(a.Key, b.Key); c != 0 {
		return c
	}
	return bytes.Compare(a.RangeEnd, b.RangeEnd)
}

// putRole writes a role to the backend and to memory.
func (s *Store) putRole(tx backend.WriteTx, r *Role) {
	ensureBuckets(tx)
	mustWrite(tx.Put(rolesBucket, []byte(r.Name), encode(r)))
	s.roles[r.Name] = r
}
