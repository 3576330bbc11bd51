package main

// etcd's Lock and Election gRPC services (native/lockelect) on a real
// 3-member etcdlab cluster, called as raw gRPC with lockelect's message
// types — the calls etcd's generated v3lockpb/v3electionpb stubs make —
// each member asked in turn, so that the services run on followers too.
// The same lock round trip runs against Debian's etcd 3.4, to show the
// wire format and the answers are etcd's.

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"

	"github.com/etcdlab/etcdlab/native/lockelect"
)

const (
	// blockedFor is how long a call must stay unanswered to count as
	// waiting; the calls it waits for answer within blockedReleased.
	blockedFor      = 700 * time.Millisecond
	blockedReleased = 10 * time.Second
	lockelectLease  = 60 // seconds: outlives every test here
)

func TestProcessLockService(t *testing.T) {
	ms := startCluster(t, t.TempDir(), "lockelect-lock", 3)
	conns := dialMembers(t, ms)
	cli := lockelectClientv3(t, endpoints(ms...))
	l1, l2, l3 := grantLease(t, cli), grantLease(t, cli), grantLease(t, cli)

	first := lockRoundTripStart(t, lockelect.NewLockClient(conns[0]), cli, "lk", l1)
	again, err := lockelect.NewLockClient(conns[1]).Lock(ctxFor(t), &lockelect.LockRequest{Name: []byte("lk"), Lease: int64(l1)})
	require.NoError(t, err, "locking again with the holder's lease")
	require.Equal(t, first, string(again.Key), "the same lease holds the lock once")

	second := async(func() (*lockelect.LockResponse, error) {
		return lockelect.NewLockClient(conns[1]).Lock(ctxFor(t), &lockelect.LockRequest{Name: []byte("lk"), Lease: int64(l2)})
	})
	requireBlocked(t, second, "a second locker while the first holds the lock")
	_, err = lockelect.NewLockClient(conns[2]).Unlock(ctxFor(t), &lockelect.UnlockRequest{Key: []byte(first)})
	require.NoError(t, err)
	got := requireAnswered(t, second, "the second locker after Unlock")
	require.Equal(t, fmt.Sprintf("lk/%x", l2), string(got.Key))

	third := async(func() (*lockelect.LockResponse, error) {
		return lockelect.NewLockClient(conns[0]).Lock(ctxFor(t), &lockelect.LockRequest{Name: []byte("lk"), Lease: int64(l3)})
	})
	requireBlocked(t, third, "a third locker while the second holds the lock")
	_, err = cli.Revoke(ctxFor(t), l2)
	require.NoError(t, err)
	got = requireAnswered(t, third, "the third locker after the holder's lease is revoked")
	require.Equal(t, fmt.Sprintf("lk/%x", l3), string(got.Key))

	keys, err := cli.Get(ctxFor(t), "lk/", clientv3.WithPrefix(), clientv3.WithKeysOnly())
	require.NoError(t, err)
	require.Len(t, keys.Kvs, 1)
	require.Equal(t, fmt.Sprintf("lk/%x", l3), string(keys.Kvs[0].Key))
}

func TestProcessElectionService(t *testing.T) {
	ms := startCluster(t, t.TempDir(), "lockelect-elect", 3)
	conns := dialMembers(t, ms)
	cli := lockelectClientv3(t, endpoints(ms...))
	e1, e2 := grantLease(t, cli), grantLease(t, cli)
	el := func(i int) lockelect.ElectionClient { return lockelect.NewElectionClient(conns[i]) }

	won, err := el(0).Campaign(ctxFor(t), &lockelect.CampaignRequest{Name: []byte("el"), Lease: int64(e1), Value: []byte("one")})
	require.NoError(t, err)
	leader := won.Leader
	require.Equal(t, "el", string(leader.Name))
	require.Equal(t, fmt.Sprintf("el/%x", e1), string(leader.Key))
	require.Equal(t, int64(e1), leader.Lease)
	require.Positive(t, leader.Rev)

	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	obs, err := el(2).Observe(ctx, &lockelect.LeaderRequest{Name: []byte("el")})
	require.NoError(t, err)
	requireObserved(t, obs, fmt.Sprintf("el/%x", e1), "one")

	second := async(func() (*lockelect.CampaignResponse, error) {
		return el(1).Campaign(ctxFor(t), &lockelect.CampaignRequest{Name: []byte("el"), Lease: int64(e2), Value: []byte("two")})
	})
	requireBlocked(t, second, "a second candidate while the first leads")
	now, err := el(1).Leader(ctxFor(t), &lockelect.LeaderRequest{Name: []byte("el")})
	require.NoError(t, err)
	require.Equal(t, "one", string(now.Kv.Value))
	require.Equal(t, leader.Rev, now.Kv.CreateRevision)

	// A LeaderKey that does not hold the key it names proclaims nothing.
	// (As in etcd, Proclaim checks only that the key is still the caller's:
	// a waiting candidate's own key and revision would update its own value.)
	impostor := &lockelect.LeaderKey{Name: []byte("el"), Key: []byte(fmt.Sprintf("el/%x", e2)), Rev: leader.Rev, Lease: int64(e2)}
	_, err = el(0).Proclaim(ctxFor(t), &lockelect.ProclaimRequest{Leader: impostor, Value: []byte("usurped")})
	requireStatus(t, err, codes.Unknown, "election: not leader")

	_, err = el(1).Proclaim(ctxFor(t), &lockelect.ProclaimRequest{Leader: leader, Value: []byte("one-b")})
	require.NoError(t, err)
	requireObserved(t, obs, fmt.Sprintf("el/%x", e1), "one-b")

	_, err = el(2).Resign(ctxFor(t), &lockelect.ResignRequest{Leader: leader})
	require.NoError(t, err)
	next := requireAnswered(t, second, "the second candidate after the leader resigned")
	require.Equal(t, fmt.Sprintf("el/%x", e2), string(next.Leader.Key))
	requireObserved(t, obs, fmt.Sprintf("el/%x", e2), "two")
	_, err = el(0).Proclaim(ctxFor(t), &lockelect.ProclaimRequest{Leader: leader, Value: []byte("stale")})
	requireStatus(t, err, codes.Unknown, "election: not leader")

	checkElectionRefusals(t, el(0), cli)
}

// TestLockServiceAgainstEtcd runs the same calls on Debian's etcd 3.4.
func TestLockServiceAgainstEtcd(t *testing.T) {
	s := newTestServer(t)
	s.start(t)
	conn := dialHost(t, s.clientURL[len("http://"):])
	cli := lockelectClientv3(t, s.clientURL)
	key := lockRoundTripStart(t, lockelect.NewLockClient(conn), cli, "lk", grantLease(t, cli))
	_, err := lockelect.NewLockClient(conn).Unlock(ctxFor(t), &lockelect.UnlockRequest{Key: []byte(key)})
	require.NoError(t, err)
	gone, err := cli.Get(ctxFor(t), key)
	require.NoError(t, err)
	require.Empty(t, gone.Kvs, "Unlock deletes the key")
	checkElectionRefusals(t, lockelect.NewElectionClient(conn), cli)
}

// lockRoundTripStart takes lock name with lease and checks the answer:
// the key is name/<lease hex>, it exists with that lease, and the header
// is a real one. It returns the key.
func lockRoundTripStart(t *testing.T, lc lockelect.LockClient, cli *clientv3.Client, name string, lease clientv3.LeaseID) string {
	t.Helper()
	resp, err := lc.Lock(ctxFor(t), &lockelect.LockRequest{Name: []byte(name), Lease: int64(lease)})
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("%s/%x", name, lease), string(resp.Key))
	require.NotNil(t, resp.Header)
	require.Positive(t, resp.Header.Revision)
	require.NotZero(t, resp.Header.ClusterId)
	got, err := cli.Get(ctxFor(t), string(resp.Key))
	require.NoError(t, err)
	require.Len(t, got.Kvs, 1)
	require.Equal(t, int64(lease), got.Kvs[0].Lease)
	require.LessOrEqual(t, got.Kvs[0].CreateRevision, resp.Header.Revision)
	return string(resp.Key)
}

// checkElectionRefusals: etcd's answers to an empty election, to a leader
// that resigned and proclaims, and to a request without its LeaderKey.
func checkElectionRefusals(t *testing.T, el lockelect.ElectionClient, cli *clientv3.Client) {
	t.Helper()
	won, err := el.Campaign(ctxFor(t), &lockelect.CampaignRequest{Name: []byte("brief"), Lease: int64(grantLease(t, cli)), Value: []byte("v")})
	require.NoError(t, err)
	_, err = el.Resign(ctxFor(t), &lockelect.ResignRequest{Leader: won.Leader})
	require.NoError(t, err)
	_, err = el.Proclaim(ctxFor(t), &lockelect.ProclaimRequest{Leader: won.Leader, Value: []byte("w")})
	requireStatus(t, err, codes.Unknown, "election: not leader")
	_, err = el.Leader(ctxFor(t), &lockelect.LeaderRequest{Name: []byte("brief")})
	requireStatus(t, err, codes.Unknown, "election: no leader")
	_, err = el.Resign(ctxFor(t), &lockelect.ResignRequest{})
	requireStatus(t, err, codes.Unknown, `"leader" field must be provided`)
	_, err = el.Proclaim(ctxFor(t), &lockelect.ProclaimRequest{Value: []byte("x")})
	requireStatus(t, err, codes.Unknown, `"leader" field must be provided`)
}

func requireStatus(t *testing.T, err error, code codes.Code, msg string) {
	t.Helper()
	require.Error(t, err)
	st, _ := status.FromError(err)
	require.Equal(t, code, st.Code(), "code of %v", err)
	require.Equal(t, msg, st.Message())
}

func requireObserved(t *testing.T, obs *lockelect.ObserveClient, key, value string) {
	t.Helper()
	got := async(obs.Recv)
	resp := requireAnswered(t, got, "Observe of "+key+"="+value)
	require.Equal(t, key, string(resp.Kv.Key))
	require.Equal(t, value, string(resp.Kv.Value))
}

type answer[T any] struct {
	v   T
	err error
}

// async runs call in the background; its answer arrives on the channel.
func async[T any](call func() (T, error)) <-chan answer[T] {
	c := make(chan answer[T], 1)
	go func() {
		v, err := call()
		c <- answer[T]{v, err}
	}()
	return c
}

func requireBlocked[T any](t *testing.T, c <-chan answer[T], what string) {
	t.Helper()
	select {
	case a := <-c:
		t.Fatalf("%s was answered at once (%v, %v); it should wait", what, a.v, a.err)
	case <-time.After(blockedFor):
	}
}

func requireAnswered[T any](t *testing.T, c <-chan answer[T], what string) T {
	t.Helper()
	select {
	case a := <-c:
		require.NoError(t, a.err, what)
		return a.v
	case <-time.After(blockedReleased):
		t.Fatalf("%s: no answer after %v", what, blockedReleased)
	}
	panic("unreachable")
}

func ctxFor(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), blockedReleased+5*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func dialMembers(t *testing.T, ms []*member) []*grpc.ClientConn {
	var conns []*grpc.ClientConn
	for _, m := range ms {
		conns = append(conns, dialHost(t, m.host()))
	}
	return conns
}

func dialHost(t *testing.T, host string) *grpc.ClientConn {
	conn, err := grpc.Dial(host, grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close() })
	return conn
}

func lockelectClientv3(t *testing.T, eps string) *clientv3.Client {
	c, err := clientv3.New(clientv3.Config{Endpoints: strings.Split(eps, ","), DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func grantLease(t *testing.T, cli *clientv3.Client) clientv3.LeaseID {
	resp, err := cli.Grant(ctxFor(t), lockelectLease)
	require.NoError(t, err)
	return resp.ID
}

// With auth on, the services act as the caller: the caller's token rides
// along on the member's calls to itself (native/lockelect self.go).
func TestProcessLockServiceAsTheCaller(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "lockelect-auth", 1)
	eps := endpoints(ms...)
	mustCtl(t, eps, "user", "add", "root:rootpw")
	mustCtl(t, eps, "user", "grant-role", "root", "root")
	mustCtl(t, eps, "role", "add", "locker")
	mustCtl(t, eps, "role", "grant-permission", "locker", "readwrite", "lk/", "--prefix")
	mustCtl(t, eps, "user", "add", "alice:alicepw")
	mustCtl(t, eps, "user", "grant-role", "alice", "locker")
	mustCtl(t, eps, "user", "add", "bob:bobpw")
	mustCtl(t, eps, "auth", "enable")

	root, err := clientv3.New(clientv3.Config{Endpoints: []string{eps}, Username: "root", Password: "rootpw", DialTimeout: 2 * time.Second, Logger: zap.NewNop()})
	require.NoError(t, err)
	t.Cleanup(func() { root.Close() })
	lease := grantLease(t, root)
	lc := lockelect.NewLockClient(dialHost(t, ms[0].host()))
	req := &lockelect.LockRequest{Name: []byte("lk"), Lease: int64(lease)}

	_, err = lc.Lock(ctxFor(t), req)
	require.ErrorContains(t, err, "etcdserver: user name is empty")
	_, err = lc.Lock(asUser(t, root, "bob", "bobpw"), req)
	require.ErrorContains(t, err, "etcdserver: permission denied")
	got, err := lc.Lock(asUser(t, root, "alice", "alicepw"), req)
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("lk/%x", lease), string(got.Key))
}

// asUser is a context carrying user's token, as clientv3 sends it.
func asUser(t *testing.T, cli *clientv3.Client, user, password string) context.Context {
	resp, err := cli.Authenticate(ctxFor(t), user, password)
	require.NoError(t, err)
	return metadata.AppendToOutgoingContext(ctxFor(t), rpctypes.TokenFieldNameGRPC, resp.Token)
}
