package main

// `etcdlab bench watch-latency`: how long a write takes to reach watchers.
// --watchers streams watch one key; --put-total puts are made one after
// another, and for each the time from sending the put to each watcher
// seeing its event is one sample. A put waits for all watchers before the
// next one, so the samples measure delivery, not a queue.

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// watchLatencyKey is the key the benchmark writes and watches.
const watchLatencyKey = "etcdlab-bench-watch-latency"

func newBenchWatchLatencyCommand(o *benchOptions) *cobra.Command {
	var watchers, putTotal, valSize int
	cmd := &cobra.Command{Use: "watch-latency", Aliases: []string{"watch"}, Short: "Benchmark the latency from a put to its watch events"}
	cmd.Flags().IntVar(&watchers, "watchers", 10, "watch streams on the key")
	cmd.Flags().IntVar(&putTotal, "put-total", 100, "puts to make (--total is not used)")
	cmd.Flags().IntVar(&valSize, "val-size", 8, "value size in bytes")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		if watchers < 1 || putTotal < 1 {
			return fmt.Errorf("--watchers and --put-total must be at least 1")
		}
		ctx, cancel := context.WithCancel(cmd.Context())
		defer cancel()
		conns, closeAll, err := o.connect(ctx)
		if err != nil {
			return err
		}
		defer closeAll()
		streams := make([]clientv3.WatchChan, watchers)
		for i := range streams {
			// Each stream on its own gRPC stream: a distinct context.
			wctx := clientv3.WithRequireLeader(context.WithValue(ctx, watchStreamKey{}, i))
			streams[i] = conns[i%len(conns)].Watch(wctx, watchLatencyKey, clientv3.WithCreatedNotify())
			if created := <-streams[i]; created.Err() != nil {
				return fmt.Errorf("watch %d: %v", i, created.Err())
			}
		}
		lat := &ctl.Latencies{Op: "watch-latency"}
		value := strings.Repeat("v", valSize)
		start := time.Now()
		for range putTotal {
			if err := putAndWait(ctx, o, conns[0], streams, value, lat); err != nil {
				return err
			}
		}
		return o.report(cmd, lat, time.Since(start))
	}
	return cmd
}

// watchStreamKey makes each watcher's context distinct, which gives it its
// own gRPC watch stream (clientv3 shares a stream among equal contexts).
type watchStreamKey struct{}

// putAndWait puts once and records, per watcher, when the event arrived.
func putAndWait(ctx context.Context, o *benchOptions, c *clientv3.Client, streams []clientv3.WatchChan, value string, lat *ctl.Latencies) error {
	rctx, cancel := context.WithTimeout(ctx, o.requestTimeout)
	defer cancel()
	t0 := time.Now()
	resp, err := c.Put(rctx, watchLatencyKey, value)
	if err != nil {
		lat.Add(0, err)
		return nil
	}
	rev := resp.Header.Revision
	for i, ch := range streams {
		for seen := false; !seen; {
			select {
			case w, ok := <-ch:
				if !ok {
					return fmt.Errorf("watch %d closed: %v", i, w.Err())
				}
				for _, ev := range w.Events {
					seen = seen || ev.Kv.ModRevision >= rev
				}
			case <-rctx.Done():
				return fmt.Errorf("watch %d did not see revision %d within %v", i, rev, o.requestTimeout)
			}
		}
		lat.Add(time.Since(t0), nil)
	}
	return nil
}
