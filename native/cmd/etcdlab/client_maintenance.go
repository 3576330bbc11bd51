package main

// The maintenance verbs: compaction (forget revisions older than REV),
// defrag (give a member's freed pages back to the file system), alarm
// list|disarm (NOSPACE, CORRUPT), move-leader (hand leadership to another
// voter: Raft thesis §3.10, leadership transfer) and version.

import (
	"fmt"
	"strconv"

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/version"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// etcdlabVersion is the version the version verb reports for this binary.
const etcdlabVersion = "0.1.0-dev"

func newCompactionCommand(rt *clientRuntime) *cobra.Command {
	var physical bool
	cmd := &cobra.Command{Use: "compaction [options] <revision>", Short: "Compacts the event history in etcd"}
	cmd.Flags().BoolVar(&physical, "physical", false, "'true' to wait for compaction to physically remove all old revisions")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "compaction command needs 1 argument"); err != nil {
			return err
		}
		rev, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return ctl.WithCode(ctl.ExitError, err)
		}
		var opts []clientv3.CompactOption
		if physical {
			opts = append(opts, clientv3.WithCompactPhysical())
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		if _, err := c.Compact(ctx, rev, opts...); err != nil {
			return requestError(err)
		}
		fmt.Fprintln(s.cmd.OutOrStdout(), "compacted revision", rev)
		return nil
	})
	return cmd
}

func newDefragCommand(rt *clientRuntime) *cobra.Command {
	var cluster bool
	cmd := &cobra.Command{Use: "defrag", Short: "Defragments the storage of the etcd members with given endpoints"}
	cmd.PersistentFlags().BoolVar(&cluster, "cluster", false, "use all endpoints from the cluster member list")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		eps, err := targetEndpoints(s, cluster)
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		failures := 0
		for _, ep := range eps {
			ctx, cancel := s.commandCtx()
			_, err := c.Defragment(ctx, ep)
			cancel()
			if err != nil {
				fmt.Fprintf(s.cmd.ErrOrStderr(), "Failed to defragment etcd member[%s] (%v)\n", ep, err)
				failures++
				continue
			}
			fmt.Fprintf(s.cmd.OutOrStdout(), "Finished defragmenting etcd member[%s]\n", ep)
		}
		if failures > 0 {
			return &ctl.CodedError{Code: ctl.ExitError}
		}
		return nil
	})
	return cmd
}

func newAlarmCommand(rt *clientRuntime) *cobra.Command {
	alarm := &cobra.Command{Use: "alarm <subcommand>", Short: "Alarm related commands"}
	list := &cobra.Command{Use: "list", Short: "Lists all alarms"}
	list.RunE = rt.run(func(s *session, args []string) error {
		return alarmDo(s, args, "alarm list command accepts no arguments", false)
	})
	disarm := &cobra.Command{Use: "disarm", Short: "Disarms all alarms"}
	disarm.RunE = rt.run(func(s *session, args []string) error {
		return alarmDo(s, args, "alarm disarm command accepts no arguments", true)
	})
	alarm.AddCommand(disarm, list)
	return alarm
}

// alarmDo lists the alarms, or disarms them all (clientv3 lists them and
// disarms each when given the zero member and alarm).
func alarmDo(s *session, args []string, message string, disarm bool) error {
	if len(args) != 0 {
		return ctl.Exitf(ctl.ExitBadArgs, "%s", message)
	}
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := s.commandCtx()
	defer cancel()
	var resp *clientv3.AlarmResponse
	if disarm {
		resp, err = c.AlarmDisarm(ctx, &clientv3.AlarmMember{})
	} else {
		resp, err = c.AlarmList(ctx)
	}
	if err != nil {
		return requestError(err)
	}
	return s.printer.Alarm(resp)
}

func newMoveLeaderCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "move-leader <transferee-member-id>", Short: "Transfers leadership to another etcd cluster member."}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "move-leader command needs 1 argument"); err != nil {
			return err
		}
		target, err := strconv.ParseUint(args[0], 16, 64)
		if err != nil {
			return ctl.WithCode(ctl.ExitBadArgs, err)
		}
		leader, leaderID, err := findLeader(s)
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := leader.MoveLeader(ctx, target)
		if err != nil {
			return requestError(err)
		}
		return s.printer.MoveLeader(leaderID, target, resp)
	})
	return cmd
}

// findLeader asks each endpoint for its status and returns a client on
// the one that is the leader: only the leader can hand leadership over.
func findLeader(s *session) (*clientv3.Client, uint64, error) {
	eps := s.endpoints()
	for _, ep := range eps {
		c, err := s.clientFor([]string{ep}, true)
		if err != nil {
			return nil, 0, err
		}
		ctx, cancel := s.commandCtx()
		resp, err := c.Status(ctx, ep)
		cancel()
		if err != nil {
			return nil, 0, requestError(err)
		}
		if resp.Header.MemberId == resp.Leader {
			return c, resp.Leader, nil
		}
	}
	return nil, 0, ctl.Exitf(ctl.ExitBadArgs, "no leader endpoint given at %v", eps)
}

func newVersionCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "version", Short: "Prints the version of etcdlab's client and the API it speaks"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		fmt.Fprintln(s.cmd.OutOrStdout(), "etcdlab version:", etcdlabVersion)
		fmt.Fprintln(s.cmd.OutOrStdout(), "API version:", version.APIVersion)
		return nil
	})
	return cmd
}
