package auth

// Operating errors, with etcd's messages: clientv3 and etcdctl recognise
// an error by its text (etcd: api/v3rpc/rpctypes/error.go), and the daemon
// passes it on with etcd's gRPC code.

import "errors"

var (
	// ErrRootUserNotExist: auth enable needs a user named root.
	ErrRootUserNotExist = errors.New("etcdserver: root user does not exist")
	// ErrRootRoleNotExist: auth enable needs user root to hold role root
	// (etcdctl auth enable creates and grants it when this comes back).
	ErrRootRoleNotExist = errors.New("etcdserver: root user does not have root role")
	// ErrUserAlreadyExist: user add of a name that is taken.
	ErrUserAlreadyExist = errors.New("etcdserver: user name already exists")
	// ErrUserEmpty: a user add without a name, or a request without a user
	// (no token) while auth is enabled: authenticate first.
	ErrUserEmpty = errors.New("etcdserver: user name is empty")
	// ErrUserNotFound: no user of that name.
	ErrUserNotFound = errors.New("etcdserver: user name not found")
	// ErrRoleAlreadyExist: role add of a name that is taken.
	ErrRoleAlreadyExist = errors.New("etcdserver: role name already exists")
	// ErrRoleNotFound: no role of that name.
	ErrRoleNotFound = errors.New("etcdserver: role name not found")
	// ErrRoleEmpty: role add without a name.
	ErrRoleEmpty = errors.New("etcdserver: role name is empty")
	// ErrAuthFailed: an unknown user, a wrong password, or a user without
	// password (etcd gives one answer for all three).
	ErrAuthFailed = errors.New("etcdserver: authentication failed, invalid user ID or password")
	// ErrPermissionNotGiven: a grant without a permission.
	ErrPermissionNotGiven = errors.New("etcdserver: permission not given")
	// ErrPermissionDenied: the user's roles do not cover the request.
	ErrPermissionDenied = errors.New("etcdserver: permission denied")
	// ErrRoleNotGranted: revoke of a role the user does not hold.
	ErrRoleNotGranted = errors.New("etcdserver: role is not granted to the user")
	// ErrPermissionNotGranted: revoke of a permission the role does not hold
	// (key and range end must match the grant exactly).
	ErrPermissionNotGranted = errors.New("etcdserver: permission is not granted to the role")
	// ErrAuthNotEnabled: authenticate while auth is disabled.
	ErrAuthNotEnabled = errors.New("etcdserver: authentication is not enabled")
	// ErrInvalidAuthToken: a token this member does not know (expired,
	// revoked, or issued before a restart): authenticate again.
	ErrInvalidAuthToken = errors.New("etcdserver: invalid auth token")
	// ErrInvalidAuthMgmt: a change that would lock the cluster out (delete
	// root, delete role root, revoke root from root while enabled), or a
	// permission on an empty range.
	ErrInvalidAuthMgmt = errors.New("etcdserver: invalid auth management")
	// ErrNameTooLong: a user or role name longer than a backend key may be
	// (core.BackendMaxKeyBytes); etcd has no such check and bbolt would
	// refuse the write.
	ErrNameTooLong = errors.New("etcdserver: user or role name is too long (at most 32768 bytes)")
	// ErrAuthOldRevision: the store changed after the request's token was
	// checked; the client checks again and retries.
	ErrAuthOldRevision = errors.New("etcdserver: revision of auth store is old")
)
