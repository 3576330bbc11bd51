package main

// Auth with real processes: a 3-member etcdlab cluster driven by Debian's
// etcdctl 3.4 (users, roles, enable, refusals on every member, disable),
// and the official Go client logged in as a user across a member restart
// (the member forgets its tokens; the client authenticates again).

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

func TestProcessAuthWithEtcdctl(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-auth", 3)
	eps := endpoints(ms...)
	mustCtl(t, eps, "user", "add", "root", "--new-user-password=rootpw")
	mustCtl(t, eps, "user", "grant-role", "root", "root") // role root need not exist yet, as in etcd
	mustCtl(t, eps, "role", "add", "reader")
	require.Equal(t, "Role reader updated\n", mustCtl(t, eps, "role", "grant-permission", "reader", "read", "/app", "--prefix"))
	mustCtl(t, eps, "user", "add", "alice:alicepw")
	mustCtl(t, eps, "user", "grant-role", "alice", "reader")
	require.Equal(t, "Authentication Enabled\n", mustCtl(t, eps, "auth", "enable"))

	root := []string{"--user", "root:rootpw"}
	alice := []string{"--user", "alice:alicepw"}
	// etcdctl 3.4 has no `auth status`; ours (etcdctl 3.5's output). Six
	// changes after the initial revision 1; enabling does not count.
	status, err := etcdlabCmd(t, "auth", "status", "--endpoints", eps, "--user", "root:rootpw")
	require.NoError(t, err, status)
	require.Equal(t, "Authentication Status: true\nAuthRevision: 7\n", status)
	require.Equal(t, "OK\n", mustCtl(t, eps, append(root, "put", "/app/config", "v1")...))
	for _, m := range ms {
		out, err := etcdctl(t, m.host(), "put", "foo", "bar")
		require.Error(t, err, "%s accepted a put without a user", m.name)
		require.Contains(t, out, "Error: etcdserver: user name is empty")
		require.Equal(t, "/app/config\nv1\n", mustCtl(t, m.host(), append(alice, "get", "/app/config")...), "alice reads on %s", m.name)
		out, err = etcdctl(t, m.host(), append(alice, "put", "/app/config", "v2")...)
		require.Error(t, err, "%s let a reader write", m.name)
		require.Contains(t, out, "Error: etcdserver: permission denied")
	}
	out, err := etcdctl(t, eps, "--user", "alice:wrong", "get", "/app/config")
	require.Error(t, err)
	require.Contains(t, out, "Error: etcdserver: authentication failed, invalid user ID or password")
	out, _ = etcdctl(t, eps, append(alice, "watch", "/secret")...)
	require.Contains(t, out, "permission denied", "a watch outside alice's keys is canceled")
	f := followerOf(t, ms)
	out, err = etcdctl(t, f.host(), append(alice, "member", "add", "x", "--peer-urls=http://127.0.0.1:1")...)
	require.Error(t, err)
	require.Contains(t, out, "Error: etcdserver: permission denied", "membership is root's, also through a follower")
	require.Equal(t, "alice\nroot\n", mustCtl(t, f.host(), append(root, "user", "list")...))

	require.Equal(t, "Authentication Disabled\n", mustCtl(t, eps, append(root, "auth", "disable")...))
	require.Equal(t, "OK\n", mustCtl(t, eps, "put", "foo", "bar"))
}

func TestProcessAuthClientSurvivesMemberRestart(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-auth-client", 3)
	eps := endpoints(ms...)
	mustCtl(t, eps, "user", "add", "root:rootpw")
	mustCtl(t, eps, "user", "grant-role", "root", "root")
	mustCtl(t, eps, "auth", "enable")

	f := followerOf(t, ms)
	c, err := clientv3.New(clientv3.Config{
		Endpoints: []string{f.host()}, Username: "root", Password: "rootpw",
		DialTimeout: 5 * time.Second, Logger: zap.NewNop(),
	})
	require.NoError(t, err)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	_, err = c.Put(ctx, "k", "1")
	require.NoError(t, err)
	// A follower forwards keep-alives to the leader: the token goes along.
	lease, err := c.Grant(ctx, 60)
	require.NoError(t, err)
	ka, err := c.KeepAliveOnce(ctx, lease.ID)
	require.NoError(t, err)
	require.Positive(t, ka.TTL)
	auth, err := c.Authenticate(ctx, "root", "rootpw")
	require.NoError(t, err)
	withToken := metadata.AppendToOutgoingContext(ctx, rpctypes.TokenFieldNameGRPC, auth.Token)
	_, err = c.KV.Get(withToken, "k")
	require.NoError(t, err, "the token works before the restart")

	require.NoError(t, f.p.stop(t))
	f.start(t, clusterFlag(ms...), "new", "proc-auth-client")
	waitHealthyMembers(t, f)
	// The restarted member knows no token: the client's first answer is
	// "invalid auth token", on which clientv3 authenticates again.
	eventually(t, 20*time.Second, "a put through the restarted member", func() bool {
		_, err := c.Put(ctx, "k", "2")
		return err == nil
	})
	resp, err := c.Get(ctx, "k")
	require.NoError(t, err)
	require.Equal(t, "2", string(resp.Kvs[0].Value))
	conn, err := grpc.Dial(f.host(), grpc.WithTransportCredentials(insecure.NewCredentials()))
	require.NoError(t, err)
	defer conn.Close()
	_, err = pb.NewKVClient(conn).Range(withToken, &pb.RangeRequest{Key: []byte("k")})
	require.ErrorIs(t, err, rpctypes.ErrGRPCInvalidAuthToken, "tokens are not persisted")
}
