package main

// watch: stream the events on a key, a range or a prefix until Ctrl-C.
// With --rev the stream starts in the past: the server replays the history
// it still has (etcd: mvcc's unsynced watchers catch up), then goes live.

import (
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newWatchCommand(rt *clientRuntime) *cobra.Command {
	var prefix, prevKV, progress bool
	var rev int64
	cmd := &cobra.Command{
		Use:   "watch [options] [key or prefix] [range_end]",
		Short: "Watches events stream on keys or prefixes",
	}
	cmd.Flags().BoolVar(&prefix, "prefix", false, "Watch on a prefix if prefix is set")
	cmd.Flags().Int64Var(&rev, "rev", 0, "Revision to start watching")
	cmd.Flags().BoolVar(&prevKV, "prev-kv", false, "get the previous key-value pair before the event happens")
	cmd.Flags().BoolVar(&progress, "progress-notify", false, "get periodic watch progress notification from server")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		args, err := watchArgs(args, rt.environ())
		if err != nil {
			return err
		}
		opts := []clientv3.OpOption{clientv3.WithRev(rev)}
		if len(args) == 2 {
			if prefix {
				return ctl.Exitf(ctl.ExitBadArgs, "`range_end` and `--prefix` are mutually exclusive")
			}
			opts = append(opts, clientv3.WithRange(args[1]))
		}
		if prefix {
			opts = append(opts, clientv3.WithPrefix())
		}
		if prevKV {
			opts = append(opts, clientv3.WithPrevKV())
		}
		if progress {
			opts = append(opts, clientv3.WithProgressNotify())
		}
		return streamWatch(s, args[0], opts)
	})
	return cmd
}

// watchArgs: the key comes from the arguments or from ETCDCTL_WATCH_KEY
// (and ETCDCTL_WATCH_RANGE_END), not both.
func watchArgs(args []string, environ []string) ([]string, error) {
	var key, end string
	for _, kv := range environ {
		if v, ok := strings.CutPrefix(kv, "ETCDCTL_WATCH_KEY="); ok {
			key = v
		}
		if v, ok := strings.CutPrefix(kv, "ETCDCTL_WATCH_RANGE_END="); ok {
			end = v
		}
	}
	switch {
	case key == "" && end != "":
		return nil, ctl.Exitf(ctl.ExitBadArgs, "ETCDCTL_WATCH_KEY is empty but got ETCDCTL_WATCH_RANGE_END=%q", end)
	case key != "" && len(args) > 0:
		return nil, ctl.Exitf(ctl.ExitBadArgs, "bad number of arguments (found conflicting environment key)")
	case key != "" && end != "":
		return []string{key, end}, nil
	case key != "":
		return []string{key}, nil
	case len(args) < 1 || len(args) > 2:
		return nil, ctl.Exitf(ctl.ExitBadArgs, "bad number of arguments")
	}
	return args, nil
}

// streamWatch prints responses until the stream ends. Ctrl-C (or the
// caller's context) ends it quietly; the server ending it is an error.
func streamWatch(s *session, key string, opts []clientv3.OpOption) error {
	ctx, stop := signal.NotifyContext(s.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, err := s.client()
	if err != nil {
		return err
	}
	// RequireLeader: a member cut off from the leader ends the stream
	// instead of going silent (etcd: rpctypes.MetadataRequireLeaderKey).
	for resp := range c.Watch(clientv3.WithRequireLeader(ctx), key, opts...) {
		if resp.Canceled {
			fmt.Fprintf(s.cmd.ErrOrStderr(), "watch was canceled (%v)\n", resp.Err())
		}
		if resp.IsProgressNotify() {
			fmt.Fprintf(s.cmd.OutOrStdout(), "progress notify: %d\n", resp.Header.Revision)
		}
		if err := s.printer.Watch(resp); err != nil {
			return err
		}
	}
	if ctx.Err() != nil {
		return nil
	}
	return ctl.Exitf(ctl.ExitInterrupted, "watch is canceled by the server")
}
