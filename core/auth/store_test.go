package auth

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

// env is a store on an in-memory backend; change runs one operation in its
// own committed write transaction, as one applied entry would.
type env struct {
	t  *testing.T
	be backend.Backend
	s  *Store
}

func newEnv(t *testing.T) *env {
	be := backend.NewMemory()
	tx := be.BeginRead()
	defer tx.Rollback()
	s, err := Open(tx, 100)
	require.NoError(t, err)
	return &env{t: t, be: be, s: s}
}

func (e *env) change(fn func(tx backend.WriteTx) error) error {
	tx := e.be.BeginWrite()
	err := fn(tx)
	require.NoError(e.t, tx.Commit())
	return err
}

func (e *env) must(fn func(tx backend.WriteTx) error) {
	e.t.Helper()
	require.NoError(e.t, e.change(fn))
}

// reopen reads the store back from the backend (a restart).
func (e *env) reopen() *Store {
	tx := e.be.BeginRead()
	defer tx.Rollback()
	s, err := Open(tx, 100)
	require.NoError(e.t, err)
	return s
}

func pw(s string) Password { return Password{Scheme: "test", Hash: []byte(s)} }

// setupRoot adds user root with role root and enables auth.
func (e *env) setupRoot() {
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "root", pw("r"), false) })
	e.must(func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "root", "root") })
	e.must(func(tx backend.WriteTx) error { return e.s.Enable(tx) })
}

func TestFreshStoreHasNoBucketsAndRevisionOne(t *testing.T) {
	e := newEnv(t)
	require.False(t, e.s.Enabled())
	require.Equal(t, uint64(1), e.s.Revision())
	tx := e.be.BeginRead()
	defer tx.Rollback()
	require.NotContains(t, tx.Buckets(), usersBucket, "a store nobody changed writes nothing")
}

func TestEnableNeedsRootUserWithRootRole(t *testing.T) {
	e := newEnv(t)
	require.ErrorIs(t, e.change(e.s.Enable), ErrRootUserNotExist)
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "root", pw("r"), false) })
	require.ErrorIs(t, e.change(e.s.Enable), ErrRootRoleNotExist)
	// Role root may be granted before it exists.
	e.must(func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "root", "root") })
	rev := e.s.Revision()
	e.must(e.s.Enable)
	require.True(t, e.s.Enabled())
	require.Equal(t, rev, e.s.Revision(), "etcd's AuthEnable leaves the revision alone")
	e.must(e.s.Enable) // enabling twice is no error
}

func TestRootCannotBeLockedOutWhileEnabled(t *testing.T) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "root") })
	e.setupRoot()
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.UserDelete(tx, "root") }), ErrInvalidAuthMgmt)
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.RoleDelete(tx, "root") }), ErrInvalidAuthMgmt)
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.UserRevokeRole(tx, "root", "root") }), ErrInvalidAuthMgmt)
	e.must(func(tx backend.WriteTx) error { e.s.Disable(tx); return nil })
	// Disabled, all three are allowed.
	e.must(func(tx backend.WriteTx) error { return e.s.UserRevokeRole(tx, "root", "root") })
	e.must(func(tx backend.WriteTx) error { return e.s.RoleDelete(tx, "root") })
	e.must(func(tx backend.WriteTx) error { return e.s.UserDelete(tx, "root") })
}

func TestErrorsAndRevision(t *testing.T) {
	e := newEnv(t)
	rev := e.s.Revision()
	add := func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "alice", pw("a"), false) }
	e.must(add)
	require.Equal(t, rev+1, e.s.Revision())
	cases := []struct {
		name string
		op   func(tx backend.WriteTx) error
		want error
	}{
		{"user exists", add, ErrUserAlreadyExist},
		{"empty user", func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "", pw("x"), false) }, ErrUserEmpty},
		{"empty role", func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "") }, ErrRoleEmpty},
		{"grant missing role", func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "alice", "nope") }, ErrRoleNotFound},
		{"grant to missing user", func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "bob", "root") }, ErrUserNotFound},
		{"revoke ungranted role", func(tx backend.WriteTx) error { return e.s.UserRevokeRole(tx, "alice", "root") }, ErrRoleNotGranted},
		{"delete missing user", func(tx backend.WriteTx) error { return e.s.UserDelete(tx, "bob") }, ErrUserNotFound},
		{"passwd missing user", func(tx backend.WriteTx) error { return e.s.UserChangePassword(tx, "bob", pw("b")) }, ErrUserNotFound},
		{"perm of missing role", func(tx backend.WriteTx) error {
			return e.s.RoleGrantPermission(tx, "nope", Permission{Key: []byte("k")})
		}, ErrRoleNotFound},
		{"delete missing role", func(tx backend.WriteTx) error { return e.s.RoleDelete(tx, "nope") }, ErrRoleNotFound},
	}
	for _, c := range cases {
		before := e.s.Revision()
		require.ErrorIs(t, e.change(c.op), c.want, c.name)
		require.Equal(t, before, e.s.Revision(), "%s: a refused change keeps the revision", c.name)
	}
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "app") })
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "app") }), ErrRoleAlreadyExist)
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.RoleRevokePermission(tx, "app", []byte("k"), nil) }), ErrPermissionNotGranted)
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error {
		return e.s.RoleGrantPermission(tx, "app", Permission{Key: []byte("b"), RangeEnd: []byte("a")})
	}), ErrInvalidAuthMgmt, "an empty range")
	_, err := e.s.User("bob")
	require.ErrorIs(t, err, ErrUserNotFound)
	_, err = e.s.Role("nope")
	require.ErrorIs(t, err, ErrRoleNotFound)
}

func TestGrantUpdatesSamePermissionAndRevokeNeedsExactRange(t *testing.T) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "app") })
	grant := func(typ PermType, key, end string) {
		e.must(func(tx backend.WriteTx) error {
			return e.s.RoleGrantPermission(tx, "app", Permission{Type: typ, Key: []byte(key), RangeEnd: []byte(end)})
		})
	}
	grant(Read, "b", "c")
	grant(Write, "a", "")
	grant(ReadWrite, "b", "c") // same range: the type changes
	r, err := e.s.Role("app")
	require.NoError(t, err)
	require.Equal(t, []Permission{{Type: Write, Key: []byte("a")}, {Type: ReadWrite, Key: []byte("b"), RangeEnd: []byte("c")}}, r.Perms)
	require.ErrorIs(t, e.change(func(tx backend.WriteTx) error { return e.s.RoleRevokePermission(tx, "app", []byte("b"), []byte("d")) }), ErrPermissionNotGranted)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleRevokePermission(tx, "app", []byte("b"), []byte("c")) })
	r, _ = e.s.Role("app")
	require.Len(t, r.Perms, 1)
}

func TestRoleDeleteRevokesItFromUsers(t *testing.T) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "app") })
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "alice", pw("a"), false) })
	e.must(func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "alice", "app") })
	e.must(func(tx backend.WriteTx) error { return e.s.RoleDelete(tx, "app") })
	u, err := e.s.User("alice")
	require.NoError(t, err)
	require.Empty(t, u.Roles)
	require.Empty(t, e.reopen().users["alice"].Roles, "the user record in the backend lost the role too")
}

func TestStoreSurvivesReopen(t *testing.T) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "app") })
	e.must(func(tx backend.WriteTx) error {
		return e.s.RoleGrantPermission(tx, "app", Permission{Type: Read, Key: []byte("/app"), RangeEnd: []byte("/apq")})
	})
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "alice", pw("secret"), false) })
	e.must(func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "alice", "app") })
	e.setupRoot()
	got := e.reopen()
	require.True(t, got.Enabled())
	require.Equal(t, e.s.Revision(), got.Revision())
	require.Equal(t, []string{"alice", "root"}, got.UserList())
	require.Equal(t, []string{"app"}, got.RoleList())
	p, rev, err := got.Password("alice")
	require.NoError(t, err)
	require.Equal(t, pw("secret"), p)
	require.Equal(t, got.Revision(), rev)
	require.Equal(t, 0, got.TokenCount(), "tokens are never persisted")
}

func TestPasswordLookup(t *testing.T) {
	e := newEnv(t)
	_, _, err := e.s.Password("root")
	require.ErrorIs(t, err, ErrAuthNotEnabled)
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "cn", pw("ignored"), true) })
	e.setupRoot()
	_, _, err = e.s.Password("nobody")
	require.ErrorIs(t, err, ErrAuthFailed)
	_, _, err = e.s.Password("cn")
	require.ErrorIs(t, err, ErrAuthFailed, "a user without password cannot authenticate with one")
	u, _ := e.s.User("cn")
	require.Equal(t, Password{}, u.Password, "no password is stored for it")
}
