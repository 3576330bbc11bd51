package server

// Applying with auth (etcd: server/etcdserver/apply_auth.go, authApplierV3). While auth is
// enabled, every write of a client is checked against the store as it is
// when the entry applies, as the user the entry carries (auth_entry.go):
//
//	put          WRITE on the key; with a lease, WRITE on the lease's keys;
//	             with prev-kv, READ on the key
//	delete       WRITE on the range; with prev-kv, READ on it
//	txn          READ on every compare's range; each op as above, nested
//	             txns included
//	lease revoke WRITE on every key of the lease
//
// A refused write changes nothing and is answered ErrPermissionDenied
// (or ErrUserEmpty without a user, ErrAuthOldRevision if the store changed
// since the token was checked). The member's own entries (expired lease
// revokes, auto-compaction, alarms) are not checked; etcd runs them as
// root. Compaction, lease grant and alarms are not checked, as in etcd.
//
// Auth requests are applied here too; all but Authenticate need root while
// auth is enabled, except that a user may get itself and the roles it
// holds (etcd: needAdminPermission, UserGet, RoleGet).

import (
	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// applyAuthorized applies an entry's operation after the permission
// checks; ae is the entry's auth wrapper, if it has one.
func (m *Member) applyAuthorized(tx backend.WriteTx, index uint64, env envelope, ae *authEntry) (Response, string) {
	if ae != nil && ae.Op != nil {
		return m.applyAuthOp(tx, index, ae.Info, *ae.Op)
	}
	if s := m.authStore(); s.Enabled() && !env.Internal {
		var info *auth.Info
		if ae != nil {
			info = ae.Info
		}
		if what, err := m.checkWrite(s, info, env); err != nil {
			return Response{Err: err}, what
		}
	}
	return m.applyOp(tx, env)
}

// checkWrite runs the checks of one client write and names the write.
func (m *Member) checkWrite(s *auth.Store, info *auth.Info, env envelope) (string, error) {
	switch {
	case env.Put != nil:
		return "put", m.checkPut(s, info, *env.Put)
	case env.DeleteRange != nil:
		return "delete", checkDelete(s, info, *env.DeleteRange)
	case env.Txn != nil:
		return "txn", m.checkTxn(s, info, *env.Txn)
	case env.LeaseRevoke != nil:
		return "lease-revoke", m.checkLeasePuts(s, info, env.LeaseRevoke.ID)
	}
	return "", nil
}

func (m *Member) checkPut(s *auth.Store, info *auth.Info, p mvcc.PutRequest) error {
	if err := s.IsPutPermitted(info, p.Key); err != nil {
		return err
	}
	// A key may join a lease only if the user could revoke the lease.
	if err := m.checkLeasePuts(s, info, lease.LeaseID(p.Lease)); err != nil {
		return err
	}
	if p.PrevKV {
		return s.IsRangePermitted(info, p.Key, nil)
	}
	return nil
}

func checkDelete(s *auth.Store, info *auth.Info, d mvcc.DeleteRangeRequest) error {
	if err := s.IsDeleteRangePermitted(info, d.Key, d.RangeEnd); err != nil {
		return err
	}
	if d.PrevKV {
		return s.IsRangePermitted(info, d.Key, d.RangeEnd)
	}
	return nil
}

// checkTxn checks every compare and every op of both branches (etcd:
// checkTxnAuth; a nested txn is checked the same way).
func (m *Member) checkTxn(s *auth.Store, info *auth.Info, t mvcc.TxnRequest) error {
	for _, c := range t.Compare {
		if err := s.IsRangePermitted(info, c.Key, c.RangeEnd); err != nil {
			return err
		}
	}
	for _, ops := range [][]mvcc.Op{t.Success, t.Failure} {
		for _, op := range ops {
			var err error
			switch {
			case op.Range != nil:
				err = s.IsRangePermitted(info, op.Range.Key, op.Range.RangeEnd)
			case op.Put != nil:
				err = m.checkPut(s, info, *op.Put) // prev-kv and lease too (etcd 3.4 checks only the key here)
			case op.DeleteRange != nil:
				err = checkDelete(s, info, *op.DeleteRange)
			case op.Txn != nil:
				err = m.checkTxn(s, info, *op.Txn)
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

// checkLeasePuts checks WRITE on every key attached to a lease (etcd:
// checkLeasePuts). No lease, or no such lease, needs nothing.
func (m *Member) checkLeasePuts(s *auth.Store, info *auth.Info, id lease.LeaseID) error {
	if id == lease.NoLease {
		return nil
	}
	st, ok := m.lessor.Lookup(id)
	if !ok {
		return nil
	}
	for _, k := range st.Keys {
		if err := s.IsPutPermitted(info, []byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// applyAuthOp applies an auth request as info's user.
func (m *Member) applyAuthOp(tx backend.WriteTx, index uint64, info *auth.Info, op AuthRequest) (Response, string) {
	s := m.authStore()
	name := authOpName(op)
	if err := m.authorizeAuthOp(s, info, op); err != nil {
		return Response{Err: err}, name
	}
	var resp AuthResponse
	var err error
	switch {
	case op.Enable != nil:
		err = s.Enable(tx)
	case op.Disable != nil:
		s.Disable(tx)
	case op.Status != nil:
		resp.Enabled, resp.AuthRevision = s.Enabled(), s.Revision()
	case op.Authenticate != nil:
		resp.Token, err = m.authenticate(s, index, *op.Authenticate)
	case op.UserGet != nil, op.UserList != nil, op.RoleGet != nil, op.RoleList != nil:
		resp, err = readAuth(s, op)
	default:
		err = changeAuth(s, tx, op)
	}
	return result(Response{Auth: &resp}, err), name
}

// authorizeAuthOp: root for everything but authenticating, and a user may
// read itself and its roles.
func (m *Member) authorizeAuthOp(s *auth.Store, info *auth.Info, op AuthRequest) error {
	if op.Authenticate != nil {
		return nil
	}
	err := s.IsAdminPermitted(info)
	switch {
	case err == nil || info == nil:
	case op.UserGet != nil && op.UserGet.Name == info.Username:
		return nil
	case op.RoleGet != nil && s.HasRole(info.Username, op.RoleGet.Role):
		return nil
	}
	return err
}

// authenticate records a token, if the password was checked against the
// store as it still is.
func (m *Member) authenticate(s *auth.Store, index uint64, a AuthenticateRequest) (string, error) {
	if s.Enabled() && a.CheckedRevision != s.Revision() {
		return "", auth.ErrAuthOldRevision
	}
	return s.Authenticate(a.Name, a.Letters, index, m.ticks)
}

// readAuth answers the auth requests that read users and roles.
func readAuth(s *auth.Store, op AuthRequest) (AuthResponse, error) {
	switch {
	case op.UserGet != nil:
		u, err := s.User(op.UserGet.Name)
		return AuthResponse{Roles: u.Roles}, err
	case op.UserList != nil:
		return AuthResponse{Users: s.UserList()}, nil
	case op.RoleGet != nil:
		r, err := s.Role(op.RoleGet.Role)
		return AuthResponse{Perms: r.Perms}, err
	}
	return AuthResponse{Roles: s.RoleList()}, nil
}

// changeAuth applies the auth requests that change users and roles.
func changeAuth(s *auth.Store, tx backend.WriteTx, op AuthRequest) error {
	switch {
	case op.UserAdd != nil:
		return s.UserAdd(tx, op.UserAdd.Name, op.UserAdd.Password, op.UserAdd.NoPassword)
	case op.UserDelete != nil:
		return s.UserDelete(tx, op.UserDelete.Name)
	case op.UserChangePassword != nil:
		return s.UserChangePassword(tx, op.UserChangePassword.Name, op.UserChangePassword.Password)
	case op.UserGrantRole != nil:
		return s.UserGrantRole(tx, op.UserGrantRole.User, op.UserGrantRole.Role)
	case op.UserRevokeRole != nil:
		return s.UserRevokeRole(tx, op.UserRevokeRole.Name, op.UserRevokeRole.Role)
	case op.RoleAdd != nil:
		return s.RoleAdd(tx, op.RoleAdd.Name)
	case op.RoleDelete != nil:
		return s.RoleDelete(tx, op.RoleDelete.Role)
	case op.RoleGrantPermission != nil:
		return s.RoleGrantPermission(tx, op.RoleGrantPermission.Name, op.RoleGrantPermission.Perm)
	case op.RoleRevokePermission != nil:
		r := op.RoleRevokePermission
		return s.RoleRevokePermission(tx, r.Role, r.Key, r.RangeEnd)
	}
	panic("server.changeAuth: committed auth entry with no operation")
}

// authOpName names an auth request in trace events.
func authOpName(op AuthRequest) string {
	for _, n := range []struct {
		set  bool
		name string
	}{
		{op.Enable != nil, "auth-enable"}, {op.Disable != nil, "auth-disable"}, {op.Status != nil, "auth-status"},
		{op.Authenticate != nil, "authenticate"}, {op.UserAdd != nil, "user-add"}, {op.UserDelete != nil, "user-delete"},
		{op.UserChangePassword != nil, "user-passwd"}, {op.UserGrantRole != nil, "user-grant-role"},
		{op.UserRevokeRole != nil, "user-revoke-role"}, {op.UserGet != nil, "user-get"}, {op.UserList != nil, "user-list"},
		{op.RoleAdd != nil, "role-add"}, {op.RoleDelete != nil, "role-delete"},
		{op.RoleGrantPermission != nil, "role-grant-permission"}, {op.RoleRevokePermission != nil, "role-revoke-permission"},
		{op.RoleGet != nil, "role-get"}, {op.RoleList != nil, "role-list"},
	} {
		if n.set {
			return n.name
		}
	}
	return "auth"
}
