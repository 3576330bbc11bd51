package main

// `etcdlab bench`: a load generator in the manner of etcd's benchmark tool.
// --clients goroutines share --conns gRPC connections and together send
// --total requests as fast as the cluster answers; the report (native/ctl,
// latency.go) gives requests per second and the latency distribution.
//
//	 clients (goroutines)      conns (clientv3)        cluster
//	 c0 c2 c4 ... ------------> conn 0 ---------\
//	 c1 c3 c5 ... ------------> conn 1 ----------> endpoints
//
// Subcommands: put, range KEY [END], txn-put, watch-latency.

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// benchOptions are the flags every bench subcommand shares.
type benchOptions struct {
	endpoints      []string
	clients, conns int
	total          int
	jsonOut        bool
	dialTimeout    time.Duration
	requestTimeout time.Duration
}

func newBenchCommand() *cobra.Command {
	var o benchOptions
	bench := &cobra.Command{
		Use:   "bench",
		Short: "Load a cluster and report throughput and latency (like etcd's benchmark)",
	}
	fs := bench.PersistentFlags()
	fs.StringSliceVar(&o.endpoints, "endpoints", []string{defaultEndpoint}, "gRPC endpoints")
	fs.IntVar(&o.clients, "clients", 1, "concurrent clients (goroutines) sending requests")
	fs.IntVar(&o.conns, "conns", 1, "gRPC connections the clients share")
	fs.IntVar(&o.total, "total", 10000, "requests to send in all")
	fs.BoolVar(&o.jsonOut, "json", false, "print a one-line JSON summary instead of the text report")
	fs.DurationVar(&o.dialTimeout, "dial-timeout", defaultDialTimeout, "dial timeout for client connections")
	fs.DurationVar(&o.requestTimeout, "request-timeout", defaultCommandTimeout, "timeout of one request")
	bench.AddCommand(newBenchPutCommand(&o), newBenchRangeCommand(&o), newBenchTxnPutCommand(&o), newBenchWatchLatencyCommand(&o))
	return bench
}

// connect opens --conns clients.
func (o *benchOptions) connect(ctx context.Context) ([]*clientv3.Client, func(), error) {
	if o.clients < 1 || o.conns < 1 || o.total < 1 {
		return nil, nil, fmt.Errorf("--clients, --conns and --total must be at least 1")
	}
	var cs []*clientv3.Client
	closeAll := func() {
		for _, c := range cs {
			c.Close()
		}
	}
	for range o.conns {
		c, err := clientv3.New(clientv3.Config{Endpoints: o.endpoints, DialTimeout: o.dialTimeout, Logger: zap.NewNop(), Context: ctx})
		if err != nil {
			closeAll()
			return nil, nil, fmt.Errorf("cannot connect to %s: %v", strings.Join(o.endpoints, ","), err)
		}
		cs = append(cs, c)
	}
	return cs, closeAll, nil
}

// request is one benchmark request, number i of the run.
type request func(ctx context.Context, c *clientv3.Client, i int) error

// runLoad sends o.total requests from o.clients goroutines and reports.
func (o *benchOptions) runLoad(cmd *cobra.Command, op string, send request) error {
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	conns, closeAll, err := o.connect(ctx)
	if err != nil {
		return err
	}
	defer closeAll()
	lat := &ctl.Latencies{Op: op}
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	start := time.Now()
	for g := range o.clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := conns[g%len(conns)]
			for i := int(next.Add(1)) - 1; i < o.total && ctx.Err() == nil; i = int(next.Add(1)) - 1 {
				rctx, cancel := context.WithTimeout(ctx, o.requestTimeout)
				t0 := time.Now()
				err := send(rctx, c, i)
				d := time.Since(t0)
				cancel()
				mu.Lock()
				lat.Add(d, err)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return o.report(cmd, lat, time.Since(start))
}

func (o *benchOptions) report(cmd *cobra.Command, lat *ctl.Latencies, elapsed time.Duration) error {
	if o.jsonOut {
		return lat.WriteJSON(cmd.OutOrStdout(), elapsed)
	}
	lat.WriteText(cmd.OutOrStdout(), elapsed)
	return nil
}

// keyMaker makes the key of request i: its number modulo the key space,
// zero-padded to keySize bytes when sequential, a random number in the
// key space otherwise.
type keyMaker struct {
	keySize, keySpace int
	sequential        bool
}

func (k *keyMaker) register(fs *pflag.FlagSet) {
	fs.IntVar(&k.keySize, "key-size", 8, "key size in bytes")
	fs.IntVar(&k.keySpace, "key-space-size", 1, "number of distinct keys")
	fs.BoolVar(&k.sequential, "sequential-keys", false, "use sequential keys instead of random ones")
}

func (k keyMaker) key(i int) string {
	n := i % max(k.keySpace, 1)
	if !k.sequential {
		n = rand.IntN(max(k.keySpace, 1))
	}
	s := fmt.Sprintf("%0*d", k.keySize, n)
	return s[len(s)-k.keySize:]
}

func newBenchPutCommand(o *benchOptions) *cobra.Command {
	var keys keyMaker
	var valSize int
	cmd := &cobra.Command{Use: "put", Short: "Benchmark put"}
	keys.register(cmd.Flags())
	cmd.Flags().IntVar(&valSize, "val-size", 8, "value size in bytes")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		value := strings.Repeat("v", valSize)
		return o.runLoad(cmd, "put", func(ctx context.Context, c *clientv3.Client, i int) error {
			_, err := c.Put(ctx, keys.key(i), value)
			return err
		})
	}
	return cmd
}

func newBenchRangeCommand(o *benchOptions) *cobra.Command {
	var consistency string
	var limit int64
	cmd := &cobra.Command{Use: "range KEY [END]", Short: "Benchmark range", Args: cobra.RangeArgs(1, 2)}
	cmd.Flags().StringVar(&consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	cmd.Flags().Int64Var(&limit, "limit", 0, "maximum number of keys per range")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		opts := []clientv3.OpOption{clientv3.WithLimit(limit)}
		switch consistency {
		case "s":
			opts = append(opts, clientv3.WithSerializable())
		case "l":
		default:
			return fmt.Errorf("unknown consistency %q: use l (linearizable) or s (serializable)", consistency)
		}
		if len(args) == 2 {
			opts = append(opts, clientv3.WithRange(args[1]))
		}
		return o.runLoad(cmd, "range", func(ctx context.Context, c *clientv3.Client, i int) error {
			_, err := c.Get(ctx, args[0], opts...)
			return err
		})
	}
	return cmd
}

func newBenchTxnPutCommand(o *benchOptions) *cobra.Command {
	var keys keyMaker
	var valSize, opsPerTxn int
	cmd := &cobra.Command{Use: "txn-put", Aliases: []string{"txn"}, Short: "Benchmark transactions of puts"}
	keys.register(cmd.Flags())
	cmd.Flags().IntVar(&valSize, "val-size", 8, "value size in bytes")
	cmd.Flags().IntVar(&opsPerTxn, "txn-ops", 1, "puts per transaction")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		value := strings.Repeat("v", valSize)
		return o.runLoad(cmd, "txn-put", func(ctx context.Context, c *clientv3.Client, i int) error {
			ops := make([]clientv3.Op, opsPerTxn)
			for j := range ops {
				// Distinct keys within one txn: etcd refuses duplicates.
				ops[j] = clientv3.OpPut(fmt.Sprintf("%s-%d", keys.key(i), j), value)
			}
			_, err := c.Txn(ctx).Then(ops...).Commit()
			return err
		})
	}
	return cmd
}
