package daemon_test

// The official Go client (go.etcd.io/etcd/client/v3) through a 3-member
// cluster: KV, txn, watch, leases with keep-alive and expiry, compaction —
// with each call sent to a follower where that is the harder case.

import (
	"context"
	"errors"
	"testing"
	"time"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func TestClientV3Through3Members(t *testing.T) {
	c := startCluster(t, 3)
	leader := c.waitLeader()
	var follower *member
	for _, m := range c.members {
		if m != leader {
			follower = m
		}
	}
	cli := c.client(follower)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	t.Run("put-get-txn", func(t *testing.T) { checkKV(ctx, t, cli) })
	t.Run("watch", func(t *testing.T) { checkWatch(ctx, t, cli) })
	t.Run("lease", func(t *testing.T) { checkLease(ctx, t, cli) })
	t.Run("compact", func(t *testing.T) { checkCompact(ctx, t, cli) })
}

func checkKV(ctx context.Context, t *testing.T, cli *clientv3.Client) {
	put, err := cli.Put(ctx, "a", "1")
	if err != nil {
		t.Fatal(err)
	}
	get, err := cli.Get(ctx, "a")
	if err != nil || len(get.Kvs) != 1 || string(get.Kvs[0].Value) != "1" || get.Header.Revision != put.Header.Revision {
		t.Fatalf("get a = %v, %v; want 1 at revision %d", get, err, put.Header.Revision)
	}
	txn, err := cli.Txn(ctx).If(clientv3.Compare(clientv3.Value("a"), "=", "1")).
		Then(clientv3.OpPut("a", "2"), clientv3.OpGet("a")).Else(clientv3.OpPut("a", "x")).Commit()
	if err != nil || !txn.Succeeded {
		t.Fatalf("txn: %v, %v; want the success branch", txn, err)
	}
	if kvs := txn.Responses[1].GetResponseRange().Kvs; len(kvs) != 1 || string(kvs[0].Value) != "2" {
		t.Fatalf("txn's get saw %v, want a=2", kvs)
	}
	_, err = cli.Txn(ctx).Then(clientv3.OpPut("d", "1"), clientv3.OpPut("d", "2")).Commit()
	if !errors.Is(err, rpctypes.ErrDuplicateKey) {
		t.Fatalf("txn putting one key twice: err %v, want %v", err, rpctypes.ErrDuplicateKey)
	}
}

func checkWatch(ctx context.Context, t *testing.T, cli *clientv3.Client) {
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	wch := cli.Watch(wctx, "w/", clientv3.WithPrefix(), clientv3.WithPrevKV())
	if _, err := cli.Put(ctx, "w/1", "one"); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, "w/1", "uno"); err != nil {
		t.Fatal(err)
	}
	var seen []string
	for len(seen) < 2 {
		select {
		case wr := <-wch:
			if err := wr.Err(); err != nil {
				t.Fatal(err)
			}
			for _, ev := range wr.Events {
				seen = append(seen, string(ev.Kv.Value))
				if len(seen) == 2 && (ev.PrevKv == nil || string(ev.PrevKv.Value) != "one") {
					t.Fatalf("second event's prev kv = %v, want one", ev.PrevKv)
				}
			}
		case <-ctx.Done():
			t.Fatalf("watch saw %v before the deadline, want [one uno]", seen)
		}
	}
}

func checkLease(ctx context.Context, t *testing.T, cli *clientv3.Client) {
	kept, err := cli.Grant(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	short, err := cli.Grant(ctx, 2)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, "l/kept", "v", clientv3.WithLease(kept.ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Put(ctx, "l/short", "v", clientv3.WithLease(short.ID)); err != nil {
		t.Fatal(err)
	}
	kctx, cancel := context.WithCancel(ctx)
	defer cancel()
	ka, err := cli.KeepAlive(kctx, kept.ID) // through a follower: forwarded to the leader
	if err != nil {
		t.Fatal(err)
	}
	go func() {
		for range ka {
		}
	}()
	eventually(t, waitLong, "the unrenewed lease to expire and take its key", func() bool {
		ttl, err := cli.TimeToLive(ctx, short.ID)
		g, _ := cli.Get(ctx, "l/short")
		return err == nil && ttl.TTL == -1 && g != nil && len(g.Kvs) == 0
	})
	ttl, err := cli.TimeToLive(ctx, kept.ID, clientv3.WithAttachedKeys())
	if err != nil || ttl.TTL <= 0 || len(ttl.Keys) != 1 {
		t.Fatalf("kept-alive lease: %v, %v; want a positive TTL and its key", ttl, err)
	}
}

func checkCompact(ctx context.Context, t *testing.T, cli *clientv3.Client) {
	first, err := cli.Put(ctx, "c", "1")
	if err != nil {
		t.Fatal(err)
	}
	second, err := cli.Put(ctx, "c", "2")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cli.Compact(ctx, second.Header.Revision); err != nil {
		t.Fatal(err)
	}
	_, err = cli.Get(ctx, "c", clientv3.WithRev(first.Header.Revision))
	if !errors.Is(err, rpctypes.ErrCompacted) {
		t.Fatalf("get at a compacted revision: err %v, want %v", err, rpctypes.ErrCompacted)
	}
}
