package ctl

// The answers of `user`, `role` and `auth` (etcd: etcdctl/ctlv3/command
// printer_simple.go). etcdctl prints them in simple and json only; -w
// fields and -w table are refused after the request, with exit code 4.
// `auth enable` and `auth disable` print their one line whatever -w says.

import (
	"go.etcd.io/etcd/api/v3/authpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// UserAdd prints a new user.
func (p *Printer) UserAdd(name string, r *clientv3.AuthUserAddResponse) error {
	return p.dispatch(func() { p.printf("User %s created\n", name) }, nil, func() { p.json(r) }, nil)
}

// UserDelete prints a deleted user.
func (p *Printer) UserDelete(name string, r *clientv3.AuthUserDeleteResponse) error {
	return p.dispatch(func() { p.printf("User %s deleted\n", name) }, nil, func() { p.json(r) }, nil)
}

// UserChangePassword prints a changed password.
func (p *Printer) UserChangePassword(r *clientv3.AuthUserChangePasswordResponse) error {
	return p.dispatch(func() { p.println("Password updated") }, nil, func() { p.json(r) }, nil)
}

// UserGrantRole prints a role granted to a user.
func (p *Printer) UserGrantRole(user, role string, r *clientv3.AuthUserGrantRoleResponse) error {
	return p.dispatch(func() { p.printf("Role %s is granted to user %s\n", role, user) }, nil, func() { p.json(r) }, nil)
}

// UserRevokeRole prints a role revoked from a user.
func (p *Printer) UserRevokeRole(user, role string, r *clientv3.AuthUserRevokeRoleResponse) error {
	return p.dispatch(func() { p.printf("Role %s is revoked from user %s\n", role, user) }, nil, func() { p.json(r) }, nil)
}

// UserGet prints a user and its roles on one line.
func (p *Printer) UserGet(name string, r *clientv3.AuthUserGetResponse) error {
	simple := func() {
		p.printf("User: %s\nRoles:", name)
		for _, role := range r.Roles {
			p.printf(" %s", role)
		}
		p.println()
	}
	return p.dispatch(simple, nil, func() { p.json(r) }, nil)
}

// UserList prints one user name per line.
func (p *Printer) UserList(r *clientv3.AuthUserListResponse) error {
	return p.dispatch(func() { p.lines(r.Users) }, nil, func() { p.json(r) }, nil)
}

// RoleAdd prints a new role.
func (p *Printer) RoleAdd(name string, r *clientv3.AuthRoleAddResponse) error {
	return p.dispatch(func() { p.printf("Role %s created\n", name) }, nil, func() { p.json(r) }, nil)
}

// RoleDelete prints a deleted role.
func (p *Printer) RoleDelete(name string, r *clientv3.AuthRoleDeleteResponse) error {
	return p.dispatch(func() { p.printf("Role %s deleted\n", name) }, nil, func() { p.json(r) }, nil)
}

// RoleList prints one role name per line.
func (p *Printer) RoleList(r *clientv3.AuthRoleListResponse) error {
	return p.dispatch(func() { p.lines(r.Roles) }, nil, func() { p.json(r) }, nil)
}

// RoleGrantPermission prints a role whose permissions changed.
func (p *Printer) RoleGrantPermission(name string, r *clientv3.AuthRoleGrantPermissionResponse) error {
	return p.dispatch(func() { p.printf("Role %s updated\n", name) }, nil, func() { p.json(r) }, nil)
}

// RoleRevokePermission prints a revoked permission: a key, a range, or an
// open-ended range (end "\x00").
func (p *Printer) RoleRevokePermission(name, key, end string, r *clientv3.AuthRoleRevokePermissionResponse) error {
	simple := func() {
		switch end {
		case "":
			p.printf("Permission of key %s is revoked from role %s\n", key, name)
		case "\x00":
			p.printf("Permission of range [%s, <open ended> is revoked from role %s\n", key, name)
		default:
			p.printf("Permission of range [%s, %s) is revoked from role %s\n", key, end, name)
		}
	}
	return p.dispatch(simple, nil, func() { p.json(r) }, nil)
}

// RoleGet prints a role's permissions, those that read, then those that
// write:
//
//	Role app
//	KV Read:
//		[/app, /apq) (prefix /app)
//		/x
//		[/z, <open ended>
//	KV Write:
//		/x
func (p *Printer) RoleGet(name string, r *clientv3.AuthRoleGetResponse) error {
	simple := func() {
		p.printf("Role %s\n", name)
		p.println("KV Read:")
		p.permissions(r, authpb.READ)
		p.println("KV Write:")
		p.permissions(r, authpb.WRITE)
	}
	return p.dispatch(simple, nil, func() { p.json(r) }, nil)
}

// permissions prints the permissions of r that include want.
func (p *Printer) permissions(r *clientv3.AuthRoleGetResponse, want authpb.Permission_Type) {
	for _, perm := range r.Perm {
		if perm.PermType != want && perm.PermType != authpb.READWRITE {
			continue
		}
		key, end := string(perm.Key), string(perm.RangeEnd)
		switch end {
		case "":
			p.printf("\t%s\n", key)
			continue
		case "\x00":
			p.printf("\t[%s, <open ended>", key)
		default:
			p.printf("\t[%s, %s)", key, end)
		}
		if clientv3.GetPrefixRangeEnd(key) == end {
			p.printf(" (prefix %s)", key)
		}
		p.println()
	}
}

// AuthStatus prints whether auth is on and the auth revision.
func (p *Printer) AuthStatus(r *clientv3.AuthStatusResponse) error {
	simple := func() {
		p.println("Authentication Status:", r.Enabled)
		p.println("AuthRevision:", r.AuthRevision)
	}
	return p.dispatch(simple, nil, func() { p.json(r) }, nil)
}

// lines prints each item on its own line.
func (p *Printer) lines(items []string) {
	for _, s := range items {
		p.println(s)
	}
}
