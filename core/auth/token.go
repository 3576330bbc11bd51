package auth

// Simple tokens (etcd: server/auth/simple_token.go), on logical time. Authenticating
// is a Raft entry: the member the client asked checks the password, picks
// random letters and proposes them; every member, applying the entry at
// index i, records
//
//	token "<letters>.<i>" -> user, expires at now + TTL ticks
//
// so the client can use the token on any member that applied entry i. A
// use renews the token for another TTL; an expired token is forgotten at
// its next lookup or at the next Authenticate (etcd sweeps once a second).
//
//	Authenticate(alice, "xYz...", index 42) ─> "xYz....42" -> alice
//	TokenInfo("xYz....42")                  ─> Info{alice, revision}
//	UserDelete(alice) / password change     ─> alice's tokens gone
//	Disable                                 ─> every token gone

import (
	"fmt"
	"strconv"

	"github.com/etcdlab/etcdlab/core"
)

// DefaultTokenTTLSeconds is how long a token lives after its last use
// (core.DefaultAuthTokenTTLSeconds; etcd: --auth-token-ttl, 300 s).
const DefaultTokenTTLSeconds = core.DefaultAuthTokenTTLSeconds

// Tokens maps live simple tokens to their users.
type Tokens struct {
	ttlTicks uint64
	byToken  map[string]tokenEntry
}

type tokenEntry struct {
	user         string
	expiresTicks uint64 // the token is dead from this tick on
}

// NewTokens returns an empty table whose tokens live ttlTicks after their
// last use.
func NewTokens(ttlTicks uint64) *Tokens {
	if ttlTicks == 0 {
		panic("auth.NewTokens: a token time-to-live of 0 ticks")
	}
	return &Tokens{ttlTicks: ttlTicks, byToken: map[string]tokenEntry{}}
}

// Assign records token for user at tick now. A token is unique (it ends
// with its entry's index), so assigning one twice is an impossible state.
func (t *Tokens) Assign(token, user string, now uint64) {
	if _, dup := t.byToken[token]; dup {
		panic(fmt.Sprintf("auth.Tokens.Assign: token %q assigned twice", token))
	}
	t.sweep(now)
	t.byToken[token] = tokenEntry{user: user, expiresTicks: now + t.ttlTicks}
}

// User returns the user of a live token and renews it.
func (t *Tokens) User(token string, now uint64) (string, bool) {
	e, ok := t.byToken[token]
	if !ok {
		return "", false
	}
	if now >= e.expiresTicks {
		delete(t.byToken, token)
		return "", false
	}
	e.expiresTicks = now + t.ttlTicks
	t.byToken[token] = e
	return e.user, true
}

// InvalidateUser forgets every token of user.
func (t *Tokens) InvalidateUser(user string) {
	for token, e := range t.byToken {
		if e.user == user {
			delete(t.byToken, token)
		}
	}
}

// Clear forgets every token.
func (t *Tokens) Clear() { clear(t.byToken) }

// Len is the number of tokens held, expired ones not yet swept included.
func (t *Tokens) Len() int { return len(t.byToken) }

// sweep forgets the tokens dead at now.
func (t *Tokens) sweep(now uint64) {
	for token, e := range t.byToken {
		if now >= e.expiresTicks {
			delete(t.byToken, token)
		}
	}
}

// SimpleToken is the token assigned at index for letters (etcd:
// "<prefix>.<index>").
func SimpleToken(letters string, index uint64) string {
	return letters + "." + strconv.FormatUint(index, 10)
}

// TokenIndex returns the index a simple token was assigned at, if it has
// the simple token's shape: a member that has not applied that index yet
// does not know the token yet (etcd waits for it; so does native/api).
func TokenIndex(token string) (uint64, bool) {
	for i := len(token) - 1; i >= 0; i-- {
		if token[i] == '.' {
			n, err := strconv.ParseUint(token[i+1:], 10, 64)
			return n, err == nil
		}
	}
	return 0, false
}

// Authenticate gives user a token, "<letters>.<index>", at tick now.
// Auth must be enabled, and the user must exist and have a password.
func (s *Store) Authenticate(user, letters string, index, now uint64) (string, error) {
	if !s.enabled {
		return "", ErrAuthNotEnabled
	}
	u := s.users[user]
	if u == nil || u.NoPassword {
		return "", ErrAuthFailed
	}
	token := SimpleToken(letters, index)
	s.tokens.Assign(token, user, now)
	return token, nil
}

// TokenInfo returns who holds token, with the current revision (etcd:
// AuthInfoFromCtx). With auth off, or without a token, there is no one
// (nil, nil); an unknown or dead token is ErrInvalidAuthToken.
func (s *Store) TokenInfo(token string, now uint64) (*Info, error) {
	if !s.enabled || token == "" {
		return nil, nil
	}
	user, ok := s.tokens.User(token, now)
	if !ok {
		return nil, ErrInvalidAuthToken
	}
	return &Info{Username: user, Revision: s.revision}, nil
}

// Password returns a user's stored password and the revision it was read
// at, for the caller to check a password against (etcd: CheckPassword,
// whose bcrypt comparison runs outside the store).
func (s *Store) Password(user string) (Password, uint64, error) {
	if !s.enabled {
		return Password{}, 0, ErrAuthNotEnabled
	}
	u := s.users[user]
	if u == nil || u.NoPassword {
		return Password{}, 0, ErrAuthFailed
	}
	return u.Password, s.revision, nil
}

// TokenCount is the number of tokens the store holds.
func (s *Store) TokenCount() int { return s.tokens.Len() }
