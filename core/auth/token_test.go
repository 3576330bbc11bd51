package auth

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/stretchr/testify/require"
)

func TestTokenLivesTTLAfterLastUse(t *testing.T) {
	tk := NewTokens(10)
	tk.Assign("abc.7", "alice", 100)
	user, ok := tk.User("abc.7", 109)
	require.True(t, ok)
	require.Equal(t, "alice", user)
	_, ok = tk.User("abc.7", 118) // renewed at 109: lives until 119
	require.True(t, ok)
	_, ok = tk.User("abc.7", 128)
	require.False(t, ok, "dead 10 ticks after its last use")
	require.Equal(t, 0, tk.Len(), "a dead token is forgotten when looked up")
}

func TestAssignSweepsDeadTokens(t *testing.T) {
	tk := NewTokens(10)
	tk.Assign("a.1", "alice", 0)
	tk.Assign("b.2", "bob", 5)
	tk.Assign("c.3", "carol", 12) // a.1 died at 10
	require.Equal(t, 2, tk.Len())
}

func TestTokenIndex(t *testing.T) {
	i, ok := TokenIndex(SimpleToken("xYz", 42))
	require.True(t, ok)
	require.Equal(t, uint64(42), i)
	_, ok = TokenIndex("no-index")
	require.False(t, ok)
}

func TestTokensEndWithUserChangesAndDisable(t *testing.T) {
	e := newEnv(t)
	e.must(func(tx backend.WriteTx) error { return e.s.UserAdd(tx, "alice", pw("a"), false) })
	e.setupRoot()
	now := uint64(0)
	issue := func(user string, index uint64) string {
		tok, err := e.s.Authenticate(user, "letters", index, now)
		require.NoError(t, err)
		return tok
	}
	a1, r1 := issue("alice", 10), issue("root", 11)
	info, err := e.s.TokenInfo(a1, now)
	require.NoError(t, err)
	require.Equal(t, &Info{Username: "alice", Revision: e.s.Revision()}, info)
	_, err = e.s.TokenInfo("letters.99", now)
	require.ErrorIs(t, err, ErrInvalidAuthToken)
	info, err = e.s.TokenInfo("", now)
	require.NoError(t, err)
	require.Nil(t, info, "no token: no user")

	e.must(func(tx backend.WriteTx) error { return e.s.UserChangePassword(tx, "alice", pw("new")) })
	_, err = e.s.TokenInfo(a1, now)
	require.ErrorIs(t, err, ErrInvalidAuthToken, "a password change ends the user's tokens")
	_, err = e.s.TokenInfo(r1, now)
	require.NoError(t, err, "and only the user's")

	a2 := issue("alice", 12)
	e.must(func(tx backend.WriteTx) error { return e.s.UserDelete(tx, "alice") })
	_, err = e.s.TokenInfo(a2, now)
	require.ErrorIs(t, err, ErrInvalidAuthToken, "deleting the user ends its tokens")
	_, err = e.s.Authenticate("alice", "letters", 13, now)
	require.ErrorIs(t, err, ErrAuthFailed)

	e.must(func(tx backend.WriteTx) error { e.s.Disable(tx); return nil })
	require.Equal(t, 0, e.s.TokenCount(), "disable ends every token")
	_, err = e.s.Authenticate("root", "letters", 14, now)
	require.ErrorIs(t, err, ErrAuthNotEnabled)
	info, err = e.s.TokenInfo(r1, now)
	require.NoError(t, err)
	require.Nil(t, info, "auth off: tokens are ignored")
}
