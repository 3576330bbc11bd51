package server

import (
	"bytes"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// testPassword is the "hash" tests store: the password itself. The core
// never reads it; the daemon stores a real hash (native/api).
func testPassword(pw string) auth.Password { return auth.Password{Scheme: "test", Hash: []byte(pw)} }

func authReq(a AuthRequest) Request { return Request{Auth: &a} }

// as attaches a token to a request.
func as(token string, r Request) Request { r.Token = token; return r }

// login authenticates on node i as etcd's API layer does: read the stored
// password, compare, propose Authenticate with the revision checked.
func (c *testCluster) login(i int, user, pw string) (string, error) {
	c.t.Helper()
	got := c.do(i, authReq(AuthRequest{Password: &PasswordRequest{Name: user}}))
	if got.Err != nil {
		return "", got.Err
	}
	if !bytes.Equal(got.Auth.Password.Hash, []byte(pw)) {
		return "", auth.ErrAuthFailed
	}
	a := &AuthenticateRequest{Name: user, Letters: "tok" + user, CheckedRevision: got.Auth.AuthRevision}
	resp := c.do(i, authReq(AuthRequest{Authenticate: a}))
	if resp.Err != nil {
		return "", resp.Err
	}
	return resp.Auth.Token, nil
}

func (c *testCluster) mustLogin(i int, user, pw string) string {
	c.t.Helper()
	tok, err := c.login(i, user, pw)
	if err != nil {
		c.t.Fatalf("login %s on %s: %v (seed %d)", user, c.nodes[i].info.Name, err, c.seed)
	}
	return tok
}

// setupAuth creates root (role root) and alice (role app: READWRITE on
// the prefix /app), then enables auth.
func (c *testCluster) setupAuth(l int) {
	c.t.Helper()
	for _, a := range []AuthRequest{
		{UserAdd: &UserAddRequest{Name: "root", Password: testPassword("rootpw")}},
		{UserGrantRole: &UserGrantRoleRequest{User: "root", Role: "root"}},
		{RoleAdd: &RoleAddRequest{Name: "app"}},
		{RoleGrantPermission: &RoleGrantPermissionRequest{Name: "app", Perm: auth.Permission{Type: auth.ReadWrite, Key: []byte("/app"), RangeEnd: []byte("/apq")}}},
		{UserAdd: &UserAddRequest{Name: "alice", Password: testPassword("alicepw")}},
		{UserGrantRole: &UserGrantRoleRequest{User: "alice", Role: "app"}},
		{Enable: &AuthEnableRequest{}},
	} {
		c.mustDo(l, authReq(a))
	}
}

func wantErr(t *testing.T, what string, resp Response, want error) {
	t.Helper()
	if !errors.Is(resp.Err, want) {
		t.Fatalf("%s: got error %v, want %v", what, resp.Err, want)
	}
}

func TestAuthEnableDeniesThenGrants(t *testing.T) {
	c := newCluster(t, 3, 31, nil)
	l := c.leader()
	f := (l + 1) % 3
	wantErr(t, "enable without root", c.do(l, authReq(AuthRequest{Enable: &AuthEnableRequest{}})), auth.ErrRootUserNotExist)
	c.setupAuth(l)
	for _, n := range c.nodes {
		if !n.m.AuthEnabled() {
			t.Fatalf("%s did not apply auth enable", n.info.Name)
		}
	}
	wantErr(t, "put without a token", c.do(l, put("foo", "bar")), auth.ErrUserEmpty)
	wantErr(t, "get without a token", c.do(f, get("foo", false)), auth.ErrUserEmpty)
	wantErr(t, "an unknown token", c.do(l, as("nope.1", put("foo", "bar"))), auth.ErrInvalidAuthToken)
	if _, err := c.login(l, "alice", "wrong"); !errors.Is(err, auth.ErrAuthFailed) {
		t.Fatalf("wrong password: %v", err)
	}
	alice := c.mustLogin(l, "alice", "alicepw")
	root := c.mustLogin(f, "root", "rootpw")
	// A token works on every member: every member applied Authenticate.
	c.mustDo(f, as(alice, put("/app/x", "1")))
	wantErr(t, "alice outside /app", c.do(l, as(alice, put("/other", "1"))), auth.ErrPermissionDenied)
	c.mustDo(l, as(root, put("/other", "1")))
	if got := c.mustDo(f, as(alice, Request{Range: &mvcc.RangeRequest{Key: []byte("/app"), RangeEnd: []byte("/apq")}})).Range; got.Count != 1 {
		t.Fatalf("alice reads %d keys under /app, want 1", got.Count)
	}
	wantErr(t, "alice reads everything", c.do(f, as(alice, Request{Range: &mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}}, Serializable: true})), auth.ErrPermissionDenied)
	// A txn is denied if any part is.
	txn := &mvcc.TxnRequest{Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: []byte("/app/y"), Value: []byte("2")}}, {DeleteRange: &mvcc.DeleteRangeRequest{Key: []byte("/other")}}}}
	wantErr(t, "txn touching /other", c.do(l, as(alice, Request{Txn: txn})), auth.ErrPermissionDenied)
	// Administration is root's.
	wantErr(t, "alice lists users", c.do(l, as(alice, authReq(AuthRequest{UserList: &UserListRequest{}}))), auth.ErrPermissionDenied)
	if roles := c.mustDo(l, as(alice, authReq(AuthRequest{UserGet: &UserGetRequest{Name: "alice"}}))).Auth.Roles; fmt.Sprint(roles) != "[app]" {
		t.Fatalf("alice gets herself: roles %v", roles)
	}
	c.mustDo(l, as(alice, authReq(AuthRequest{RoleGet: &RoleGetRequest{Role: "app"}})))
	wantErr(t, "alice adds a member", c.do(l, as(alice, Request{MemberAdd: &MemberAddRequest{PeerURLs: []string{"http://n9:2380"}}})), auth.ErrPermissionDenied)
	if users := c.mustDo(l, as(root, authReq(AuthRequest{UserList: &UserListRequest{}}))).Auth.Users; fmt.Sprint(users) != "[alice root]" {
		t.Fatalf("root lists users %v", users)
	}
	wantErr(t, "delete root while enabled", c.do(l, as(root, authReq(AuthRequest{UserDelete: &UserDeleteRequest{Name: "root"}}))), auth.ErrInvalidAuthMgmt)
}

func TestAuthOldRevisionRefusesTheWriteAndRetryWorks(t *testing.T) {
	c := newCluster(t, 3, 32, nil)
	l := c.leader()
	c.setupAuth(l)
	alice := c.mustLogin(l, "alice", "alicepw")
	root := c.mustLogin(l, "root", "rootpw")
	// Both proposed before either applies: alice's put was checked at
	// the revision before the grant, and applies after it.
	m := c.nodes[l].m
	m.Submit(as(root, authReq(AuthRequest{RoleAdd: &RoleAddRequest{Name: "other"}})).withID(1))
	m.Submit(as(alice, put("/app/x", "1")).withID(2))
	c.runUntil(func() bool { _, ok := c.nodes[l].responses[2]; return ok }, 200)
	wantErr(t, "put checked before the role add", c.nodes[l].responses[2], auth.ErrAuthOldRevision)
	if r, _ := m.store.Range(mvcc.RangeRequest{Key: []byte("/app/x")}); r.Count != 0 {
		t.Fatalf("the refused put was applied")
	}
	// The client checks again (its token is still good) and the put goes through.
	c.mustDo(l, as(alice, put("/app/x", "1")))
}

func (r Request) withID(id uint64) Request { r.ID = id; return r }

func TestAuthTokenExpiresAfterTTLWithoutUse(t *testing.T) {
	c := newCluster(t, 3, 33, func(cfg *Config) { cfg.AuthTokenTTL = time.Second }) // 10 ticks of 100 ms
	l := c.leader()
	c.setupAuth(l)
	tok := c.mustLogin(l, "alice", "alicepw")
	for range 3 { // each use renews it
		c.ticks(8)
		c.mustDo(l, as(tok, put("/app/x", "1")))
	}
	c.ticks(12)
	wantErr(t, "a token unused for longer than its TTL", c.do(l, as(tok, put("/app/x", "1"))), auth.ErrInvalidAuthToken)
}

func TestAuthTokensDieWithRestartAndDisable(t *testing.T) {
	c := newCluster(t, 3, 34, nil)
	l := c.leader()
	c.setupAuth(l)
	f := (l + 1) % 3
	tok := c.mustLogin(l, "alice", "alicepw")
	root := c.mustLogin(l, "root", "rootpw")
	c.crash(f)
	c.restart(f)
	c.runUntil(func() bool { return c.nodes[f].m.lead != raft.None }, 100)
	if !c.nodes[f].m.AuthEnabled() {
		t.Fatalf("auth enabled is lost across a restart")
	}
	wantErr(t, "a token after restart", c.do(f, as(tok, put("/app/x", "1"))), auth.ErrInvalidAuthToken)
	c.mustDo(f, as(c.mustLogin(f, "alice", "alicepw"), put("/app/x", "1")))

	c.mustDo(l, as(root, authReq(AuthRequest{Disable: &AuthDisableRequest{}})))
	c.mustDo(l, put("foo", "no token needed")) // auth off
	c.mustDo(l, as("stale.1", put("foo", "tokens are ignored")))
	c.mustDo(l, as(root, authReq(AuthRequest{Enable: &AuthEnableRequest{}})))
	wantErr(t, "a token from before disable", c.do(l, as(root, put("foo", "x"))), auth.ErrInvalidAuthToken)
}

func TestAuthDisabledWritesStayPlainEntries(t *testing.T) {
	c := newCluster(t, 1, 35, nil)
	c.mustDo(0, put("k", "v"))
	c.mustDo(0, authReq(AuthRequest{RoleAdd: &RoleAddRequest{Name: "r"}}))
	wrapped := map[string]bool{}
	for _, e := range c.nodes[0].disk.entries {
		if e.Type != raft.EntryNormal || len(e.Data) == 0 {
			continue
		}
		_, ae := decodeEntry(e)
		env, _ := decodeEntry(e)
		switch {
		case env.Put != nil:
			wrapped["put"] = ae != nil
		case ae != nil && ae.Op != nil && ae.Op.RoleAdd != nil:
			wrapped["role-add"] = true
		}
	}
	if wrapped["put"] || !wrapped["role-add"] {
		t.Fatalf("wrapped entries %v: with auth off a put must be a plain envelope, an auth request a wrapped one", wrapped)
	}
}

func TestAuthStoreTravelsInSnapshotTokensDoNot(t *testing.T) {
	c := newCluster(t, 3, 36, func(cfg *Config) { cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 10, 5 })
	l := c.leader()
	lag := (l + 1) % 3
	c.setupAuth(l)
	alice := c.mustLogin(l, "alice", "alicepw")
	root := c.mustLogin(l, "root", "rootpw")
	c.isolate(lag)
	c.mustDo(l, as(root, authReq(AuthRequest{UserAdd: &UserAddRequest{Name: "bob", Password: testPassword("bobpw")}})))
	for i := range 30 {
		c.mustDo(l, as(root, put(fmt.Sprintf("k%02d", i), "v")))
	}
	c.heal()
	c.runUntil(func() bool { return c.nodes[lag].m.applied == c.nodes[l].m.applied }, 200)
	if !hasEvent(c.nodes[lag].events, EvSnapshotInstalled) {
		t.Fatalf("the lagging member caught up without a snapshot")
	}
	m := c.nodes[lag].m
	if !m.AuthEnabled() || fmt.Sprint(m.authStore().UserList()) != "[alice bob root]" {
		t.Fatalf("after the install: enabled %v, users %v", m.AuthEnabled(), m.authStore().UserList())
	}
	wantErr(t, "a token after a snapshot install", c.do(lag, as(alice, put("/app/x", "1"))), auth.ErrInvalidAuthToken)
	bob := c.mustLogin(lag, "bob", "bobpw") // a user added while it was cut off
	wantErr(t, "bob holds no role", c.do(lag, as(bob, get("/app/x", true))), auth.ErrPermissionDenied)
}

func TestAuthAnswersAtOnceCarryTheRequestID(t *testing.T) {
	c := newCluster(t, 1, 37, nil)
	// Refusals answered without the log must reach their caller too.
	wantErr(t, "password while auth is off", c.do(0, authReq(AuthRequest{Password: &PasswordRequest{Name: "root"}})), auth.ErrAuthNotEnabled)
	c.setupAuth(0)
	wantErr(t, "check without a user", c.do(0, authReq(AuthRequest{Check: &AuthCheckRequest{Admin: true}})), auth.ErrUserEmpty)
	alice := c.mustLogin(0, "alice", "alicepw")
	wantErr(t, "alice checks admin", c.do(0, as(alice, authReq(AuthRequest{Check: &AuthCheckRequest{Admin: true}}))), auth.ErrPermissionDenied)
	wantErr(t, "alice may watch /q", c.do(0, as(alice, authReq(AuthRequest{Check: &AuthCheckRequest{Key: []byte("/q")}}))), auth.ErrPermissionDenied)
	if resp := c.mustDo(0, as(alice, authReq(AuthRequest{Check: &AuthCheckRequest{Key: []byte("/app/"), RangeEnd: []byte("/app0")}}))); !resp.Auth.Enabled {
		t.Fatalf("a check answers whether auth is on")
	}
	wantErr(t, "an unknown user logs in", c.do(0, authReq(AuthRequest{Password: &PasswordRequest{Name: "mallory"}})), auth.ErrAuthFailed)
}

// Reading a user's stored password (the first half of Authenticate) is a
// linearizable read, as etcd's Authenticate waits for one: a member that
// has not applied the user's creation yet must not answer "not found" —
// nor "auth not enabled" after an enable it has not applied.
func TestAuthPasswordReadIsLinearizable(t *testing.T) {
	c := newCluster(t, 3, 37, nil)
	l := c.leader()
	f := (l + 1) % 3
	c.setupAuth(l)
	root := c.mustLogin(l, "root", "rootpw")
	c.isolate(f)
	c.mustDo(l, as(root, authReq(AuthRequest{UserAdd: &UserAddRequest{Name: "bob", Password: testPassword("bobpw")}})))
	c.heal()
	if _, _, err := c.nodes[f].m.authStore().Password("bob"); err == nil {
		t.Fatalf("%s applied bob while cut off; the test needs it behind (seed %d)", c.nodes[f].info.Name, c.seed)
	}
	got := c.do(f, authReq(AuthRequest{Password: &PasswordRequest{Name: "bob"}}))
	if got.Err != nil || !bytes.Equal(got.Auth.Password.Hash, []byte("bobpw")) {
		t.Fatalf("password of bob on the member that was behind: %+v, %v (seed %d)", got.Auth, got.Err, c.seed)
	}
}
