package server

// The Auth service at the member (etcd: the Authenticator of
// etcdserver/v3_server.go). Its state is core/auth's Store, kept in the
// member's backend; its requests are AuthRequest, one operation set:
//
//	Password                 a linearizable read (ReadIndex), as etcd's
//	                         Authenticate waits for one
//	Check                    answered at once from this member's store
//	Authenticate             through the log: every member records the token
//	every other operation    through the log, applied on every member
//	                         (auth_apply.go); while auth is enabled only
//	                         root may change or list users and roles
//
// Authenticating takes two requests, as in etcd, because checking a
// password is slow (a deliberately expensive hash) and must not hold up
// the log: the caller asks for the user's stored Password, checks the
// password itself, then proposes Authenticate with random letters and the
// auth revision it checked at. If the store changed in between, the entry
// is refused with ErrAuthOldRevision and the caller starts over.
//
// While auth is enabled every request is checked as the user of its Token
// (auth_check.go): at submit (the token, admin for membership changes,
// lease keys), at apply for writes (auth_apply.go), when served for reads.

import (
	"github.com/etcdlab/etcdlab/core/auth"
)

// AuthRequest is one request to the auth store. Exactly one field is set.
// The field names follow etcd's Auth service (etcdserverpb).
type AuthRequest struct {
	Enable       *AuthEnableRequest   `cbor:"1,keyasint,omitempty"`
	Disable      *AuthDisableRequest  `cbor:"2,keyasint,omitempty"`
	Status       *AuthStatusRequest   `cbor:"3,keyasint,omitempty"`
	Authenticate *AuthenticateRequest `cbor:"4,keyasint,omitempty"`

	UserAdd            *UserAddRequest            `cbor:"5,keyasint,omitempty"`
	UserDelete         *UserDeleteRequest         `cbor:"6,keyasint,omitempty"`
	UserChangePassword *UserChangePasswordRequest `cbor:"7,keyasint,omitempty"`
	UserGrantRole      *UserGrantRoleRequest      `cbor:"8,keyasint,omitempty"`
	UserRevokeRole     *UserRevokeRoleRequest     `cbor:"9,keyasint,omitempty"`
	UserGet            *UserGetRequest            `cbor:"10,keyasint,omitempty"`
	UserList           *UserListRequest           `cbor:"11,keyasint,omitempty"`

	RoleAdd              *RoleAddRequest              `cbor:"12,keyasint,omitempty"`
	RoleDelete           *RoleDeleteRequest           `cbor:"13,keyasint,omitempty"`
	RoleGrantPermission  *RoleGrantPermissionRequest  `cbor:"14,keyasint,omitempty"`
	RoleRevokePermission *RoleRevokePermissionRequest `cbor:"15,keyasint,omitempty"`
	RoleGet              *RoleGetRequest              `cbor:"16,keyasint,omitempty"`
	RoleList             *RoleListRequest             `cbor:"17,keyasint,omitempty"`

	// Served at once, never in the log.
	Password *PasswordRequest  `cbor:"-"`
	Check    *AuthCheckRequest `cbor:"-"`
}

type (
	AuthEnableRequest  struct{}
	AuthDisableRequest struct{}
	AuthStatusRequest  struct{}
	UserListRequest    struct{}
	RoleListRequest    struct{}
)

// AuthenticateRequest gives Name a token: Letters (random, chosen by the
// member the client asked) and the index of this entry. CheckedRevision
// is the auth revision at which the caller checked the password.
type AuthenticateRequest struct {
	Name            string `cbor:"1,keyasint"`
	Letters         string `cbor:"2,keyasint"`
	CheckedRevision uint64 `cbor:"3,keyasint"`
}

// UserAddRequest adds a user with a password the caller hashed.
type UserAddRequest struct {
	Name       string        `cbor:"1,keyasint"`
	Password   auth.Password `cbor:"2,keyasint"`
	NoPassword bool          `cbor:"3,keyasint,omitempty"`
}

type UserDeleteRequest struct {
	Name string `cbor:"1,keyasint"`
}

type UserChangePasswordRequest struct {
	Name     string        `cbor:"1,keyasint"`
	Password auth.Password `cbor:"2,keyasint"`
}

type UserGrantRoleRequest struct {
	User string `cbor:"1,keyasint"`
	Role string `cbor:"2,keyasint"`
}

type UserRevokeRoleRequest struct {
	Name string `cbor:"1,keyasint"`
	Role string `cbor:"2,keyasint"`
}

// UserGetRequest: root may get any user, a user itself.
type UserGetRequest struct {
	Name string `cbor:"1,keyasint"`
}

type RoleAddRequest struct {
	Name string `cbor:"1,keyasint"`
}

type RoleDeleteRequest struct {
	Role string `cbor:"1,keyasint"`
}

type RoleGrantPermissionRequest struct {
	Name string          `cbor:"1,keyasint"`
	Perm auth.Permission `cbor:"2,keyasint"`
}

// RoleRevokePermissionRequest names the permission by its exact key and
// range end.
type RoleRevokePermissionRequest struct {
	Role     string `cbor:"1,keyasint"`
	Key      []byte `cbor:"2,keyasint"`
	RangeEnd []byte `cbor:"3,keyasint,omitempty"`
}

// RoleGetRequest: root may get any role, a user the roles it holds.
type RoleGetRequest struct {
	Role string `cbor:"1,keyasint"`
}

// PasswordRequest asks for a user's stored password, to check a password
// against it (the first half of authenticating).
type PasswordRequest struct {
	Name string
}

// AuthCheckRequest asks whether the request's user may do what does not
// pass through the member as a request of its own: administer (the
// backend maintenance calls), or read [Key, RangeEnd) (a watch). With
// neither, it asks only that the token be valid.
type AuthCheckRequest struct {
	Admin    bool
	Key      []byte
	RangeEnd []byte
}

// AuthResponse answers an AuthRequest; the fields of its operation are set.
type AuthResponse struct {
	Enabled      bool              // Status, Check
	AuthRevision uint64            // Status; Password: the revision it was read at
	Token        string            // Authenticate
	Roles        []string          // UserGet: the user's roles; RoleList: every role
	Users        []string          // UserList
	Perms        []auth.Permission // RoleGet
	Password     auth.Password     // Password
}

// authState is the member's auth store and the backend it was read from.
type authState struct {
	store *auth.Store
	be    *batchBackend
}

// authStore returns the auth store of the member's backend. It reads the
// store on first use, and again when the backend was replaced (a snapshot
// install reopens everything from the new backend, state.go): tokens live
// in memory only, so a new backend starts with none (etcd: tokens are not
// persisted).
func (m *Member) authStore() *auth.Store {
	if m.auth.be == m.be {
		return m.auth.store
	}
	tx := m.be.BeginRead()
	s, err := auth.Open(tx, m.cfg.tokenTTLTicks())
	tx.Rollback()
	if err != nil {
		panic("Member.authStore: " + err.Error())
	}
	m.auth = authState{store: s, be: m.be}
	return s
}

// passwordOf answers a Password request from this member's store.
func (m *Member) passwordOf(r Request) Response {
	pw, rev, err := m.authStore().Password(r.Auth.Password.Name)
	resp := result(Response{Auth: &AuthResponse{Password: pw, AuthRevision: rev}}, err)
	resp.ID = r.ID
	return resp
}

// AuthEnabled reports whether authentication is on (for status and tests).
func (m *Member) AuthEnabled() bool { return m.authStore().Enabled() }

// submitAuth answers a password or check request at once and proposes
// every other auth request.
func (m *Member) submitAuth(r Request) {
	switch a := r.Auth; {
	case a.Password != nil:
		// As etcd's Authenticate (linearizableReadNotify first): a member
		// behind the log may not know the user, or that auth is enabled.
		r.Serializable = false
		m.submitRead(r) // read.go; execRead answers with passwordOf

	case a.Check != nil:
		m.respond(m.authCheck(r))
	default:
		if err := m.admitWrite(r); err != nil {
			m.fail(r, err)
			return
		}
		m.propose(r, envelope{ID: r.ID, Proposer: m.id})
	}
}

// authCheck answers an AuthCheckRequest from the store as it is now.
func (m *Member) authCheck(r Request) Response {
	s := m.authStore()
	c := r.Auth.Check
	info, err := s.TokenInfo(r.Token, m.ticks)
	switch {
	case err != nil:
	case c.Admin:
		err = s.IsAdminPermitted(info)
	case len(c.Key) > 0:
		err = s.IsRangePermitted(info, c.Key, c.RangeEnd)
	case s.Enabled() && info == nil:
		err = auth.ErrUserEmpty
	}
	resp := result(Response{Auth: &AuthResponse{Enabled: s.Enabled()}}, err)
	resp.ID = r.ID
	return resp
}

// authOps counts the operations set in an AuthRequest (validate wants one).
func authOps(a *AuthRequest) int {
	n := 0
	for _, set := range []bool{
		a.Enable != nil, a.Disable != nil, a.Status != nil, a.Authenticate != nil,
		a.UserAdd != nil, a.UserDelete != nil, a.UserChangePassword != nil, a.UserGrantRole != nil,
		a.UserRevokeRole != nil, a.UserGet != nil, a.UserList != nil,
		a.RoleAdd != nil, a.RoleDelete != nil, a.RoleGrantPermission != nil, a.RoleRevokePermission != nil,
		a.RoleGet != nil, a.RoleList != nil, a.Password != nil, a.Check != nil,
	} {
		if set {
			n++
		}
	}
	return n
}
