package main

// --max-request-bytes and --max-txn-ops raise etcd's limits as well as
// lower them, with etcd's answers either way (checked against etcd 3.4: a
// message above max-request-bytes + 512 KiB is refused by gRPC itself,
// ResourceExhausted; a smaller one above max-request-bytes by the server,
// "etcdserver: request is too large").

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// bigClient is a client that may send more than clientv3's default 2 MiB.
func bigClient(t *testing.T, m *member) *clientv3.Client {
	c, err := clientv3.New(clientv3.Config{Endpoints: []string{m.host()}, DialTimeout: 2 * time.Second,
		MaxCallSendMsgSize: 8 << 20, Logger: zap.NewNop()})
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	return c
}

func txnOfPuts(ctx context.Context, c *clientv3.Client, n int) error {
	ops := make([]clientv3.Op, n)
	for i := range ops {
		ops[i] = clientv3.OpPut(fmt.Sprintf("k%03d", i), "v")
	}
	_, err := c.Txn(ctx).Then(ops...).Commit()
	return err
}

func TestProcessRequestLimits(t *testing.T) {
	dir := t.TempDir()
	def := startCluster(t, dir+"/default", "proc-limits-default", 1)[0]
	limits := []string{"--max-request-bytes", "3145728", "--max-txn-ops", "200"}
	ms := startCluster(t, dir+"/raised", "proc-limits-raised", 3, limits...)
	raised := ms[0]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	twoMiB := strings.Repeat("a", 2<<20)

	c := bigClient(t, def)
	_, err := c.Put(ctx, "big", twoMiB)
	require.Equal(t, codes.ResourceExhausted, status.Code(err), "default: a 2 MiB put is above gRPC's 1.5 MiB + 512 KiB: %v", err)
	_, err = c.Put(ctx, "big", strings.Repeat("a", 1800<<10))
	require.ErrorContains(t, err, "etcdserver: request is too large")
	require.ErrorContains(t, txnOfPuts(ctx, c, 150), "etcdserver: too many operations in txn request")
	require.NoError(t, txnOfPuts(ctx, c, 128))

	c = bigClient(t, raised)
	_, err = c.Put(ctx, "big", twoMiB)
	require.NoError(t, err, "--max-request-bytes 3145728 takes a 2 MiB value; output:\n%s", raised.p.out.String())
	require.NoError(t, txnOfPuts(ctx, c, 150), "--max-txn-ops 200 takes 150 ops")
	require.ErrorContains(t, txnOfPuts(ctx, c, 201), "etcdserver: too many operations in txn request")
	_, err = c.Put(ctx, "huge", strings.Repeat("a", 3<<20))
	require.Error(t, err, "3 MiB is above the raised limit")

	// The big value reached the other members (one peer message) and
	// survives a restart (one WAL record).
	other := ms[2]
	require.NoError(t, other.p.stop(t))
	other.start(t, clusterFlag(ms...), "new", "proc-limits-raised", limits...)
	waitHealthyMembers(t, other)
	c = bigClient(t, other)
	resp, err := c.Get(ctx, "big")
	require.NoError(t, err)
	require.Len(t, resp.Kvs, 1)
	require.Equal(t, len(twoMiB), len(resp.Kvs[0].Value))
}
