package auth

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

// withUser sets up root, enables auth, and adds user u holding one role
// per permission list given.
func withUser(t *testing.T, roles ...[]Permission) (*env, *Info) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "u", pw("p"), false) })
	for i, perms := range roles {
		name := string(rune('a' + i))
		e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, name) })
		for _, p := range perms {
			e.must(func(tx backend.WriteTx) error { return e.s.RoleGrantPermission(tx, name, p) })
		}
		e.must(func(tx backend.WriteTx) error { return e.s.UserGrantRole(tx, "u", name) })
	}
	e.setupRoot()
	return e, &Info{Username: "u", Revision: e.s.Revision()}
}

func perm(typ PermType, key, end string) Permission {
	return Permission{Type: typ, Key: []byte(key), RangeEnd: []byte(end)}
}

func TestRangeChecksUseTheUnionOfRoles(t *testing.T) {
	e, u := withUser(t,
		[]Permission{perm(Read, "a", "c")},
		[]Permission{perm(Read, "c", "f"), perm(ReadWrite, "k", "")},
	)
	cases := []struct {
		key, end string
		want     error
	}{
		{"b", "e", nil},                    // [a,c) and [c,f) touch: one interval
		{"a", "f", nil},                    // exactly the union
		{"b", "g", ErrPermissionDenied},    // past f
		{"0", "b", ErrPermissionDenied},    // before a
		{"e", "", nil},                     // a key
		{"f", "", ErrPermissionDenied},     // f itself is outside [c, f)
		{"k", "", nil},                     // a single-key permission
		{"k", "k\x00", nil},                // the same key as a range
		{"k", "l", ErrPermissionDenied},    // more than the key
		{"a", "\x00", ErrPermissionDenied}, // from a on: open-ended
	}
	for _, c := range cases {
		require.ErrorIs(t, e.s.IsRangePermitted(u, []byte(c.key), []byte(c.end)), c.want, "read [%q, %q)", c.key, c.end)
	}
	require.NoError(t, e.s.IsPutPermitted(u, []byte("k")))
	require.ErrorIs(t, e.s.IsPutPermitted(u, []byte("b")), ErrPermissionDenied, "READ does not write")
	require.ErrorIs(t, e.s.IsDeleteRangePermitted(u, []byte("k"), []byte("l")), ErrPermissionDenied)
}

func TestPrefixAndFromKeyPermissions(t *testing.T) {
	e, u := withUser(t, []Permission{perm(Write, "/app", "/apq"), perm(Read, "/z", "\x00")})
	require.NoError(t, e.s.IsPutPermitted(u, []byte("/app/x")))
	require.NoError(t, e.s.IsDeleteRangePermitted(u, []byte("/app/"), []byte("/app0")))
	require.ErrorIs(t, e.s.IsPutPermitted(u, []byte("/apq")), ErrPermissionDenied)
	require.NoError(t, e.s.IsRangePermitted(u, []byte("/zz"), []byte("\x00")), "from /zz on lies inside from /z on")
	require.NoError(t, e.s.IsRangePermitted(u, []byte("~"), nil))
	require.ErrorIs(t, e.s.IsRangePermitted(u, []byte("/y"), []byte("\x00")), ErrPermissionDenied)
}

func TestWholeKeySpacePermission(t *testing.T) {
	// etcdctl role grant-permission r read "" --prefix sends ("\x00", "\x00").
	e, u := withUser(t, []Permission{perm(Read, "\x00", "\x00")})
	require.NoError(t, e.s.IsRangePermitted(u, []byte("\x00"), []byte("\x00")), "get \"\" --prefix")
	require.NoError(t, e.s.IsRangePermitted(u, []byte("anything"), nil))
	require.ErrorIs(t, e.s.IsPutPermitted(u, []byte("anything")), ErrPermissionDenied)
}

func TestChecksNeedUserAndCurrentRevision(t *testing.T) {
	e, u := withUser(t, []Permission{perm(ReadWrite, "k", "")})
	require.ErrorIs(t, e.s.IsPutPermitted(nil, []byte("k")), ErrUserEmpty)
	require.ErrorIs(t, e.s.IsPutPermitted(&Info{}, []byte("k")), ErrUserEmpty)
	require.ErrorIs(t, e.s.IsPutPermitted(&Info{Username: "ghost", Revision: u.Revision}, []byte("k")), ErrPermissionDenied)
	e.must(func(tx backend.WriteTx) error { return e.s.RoleAdd(tx, "other") })
	require.ErrorIs(t, e.s.IsPutPermitted(u, []byte("k")), ErrAuthOldRevision, "the store changed after the token was checked")
	u.Revision = e.s.Revision()
	require.NoError(t, e.s.IsPutPermitted(u, []byte("k")))
}

func TestRevokedPermissionIsGoneAtOnce(t *testing.T) {
	e, u := withUser(t, []Permission{perm(ReadWrite, "k", "")})
	require.NoError(t, e.s.IsPutPermitted(u, []byte("k")))
	e.must(func(tx backend.WriteTx) error { return e.s.RoleRevokePermission(tx, "a", []byte("k"), nil) })
	u.Revision = e.s.Revision()
	require.ErrorIs(t, e.s.IsPutPermitted(u, []byte("k")), ErrPermissionDenied, "the cached union was dropped")
}

func TestAdminAndRoot(t *testing.T) {
	e, u := withUser(t)
	root := &Info{Username: "root", Revision: e.s.Revision()}
	require.NoError(t, e.s.IsAdminPermitted(root))
	require.NoError(t, e.s.IsPutPermitted(root, []byte("any")), "root may do everything")
	require.ErrorIs(t, e.s.IsAdminPermitted(u), ErrPermissionDenied)
	require.ErrorIs(t, e.s.IsAdminPermitted(nil), ErrUserEmpty)
	require.ErrorIs(t, e.s.IsAdminPermitted(&Info{Username: "ghost"}), ErrUserNotFound)
	e.must(func(tx backend.WriteTx) error { e.s.Disable(tx); return nil })
	require.NoError(t, e.s.IsAdminPermitted(nil), "auth off: everyone")
	require.NoError(t, e.s.IsPutPermitted(nil, []byte("k")))
}

func TestMergeIntervals(t *testing.T) {
	iv := func(b, e string) interval {
		if e == "" {
			return interval{begin: []byte(b)}
		}
		return interval{begin: []byte(b), end: []byte(e)}
	}
	got := mergeIntervals([]interval{iv("m", "p"), iv("a", "c"), iv("b", "d"), iv("x", ""), iv("d", "e"), iv("y", "z")})
	require.Equal(t, intervalSet{iv("a", "e"), iv("m", "p"), iv("x", "")}, got)
}
