package main

// member add | remove | update | promote | list: the cluster's membership.
// A member is added before it starts (it is "unstarted" until it joins);
// a learner receives the log without voting until promoted (thesis §4.2.1,
// etcd: learner). Member IDs are hexadecimal.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newMemberCommand(rt *clientRuntime) *cobra.Command {
	member := &cobra.Command{Use: "member <subcommand>", Short: "Membership related commands"}
	member.AddCommand(newMemberAddCommand(rt), newMemberRemoveCommand(rt),
		newMemberUpdateCommand(rt), newMemberListCommand(rt), newMemberPromoteCommand(rt))
	return member
}

func newMemberAddCommand(rt *clientRuntime) *cobra.Command {
	var peerURLs string
	var learner bool
	cmd := &cobra.Command{Use: "add <memberName> [options]", Short: "Adds a member into the cluster"}
	cmd.Flags().StringVar(&peerURLs, "peer-urls", "", "comma separated peer URLs for the new member.")
	cmd.Flags().BoolVar(&learner, "learner", false, "indicates if the new member is raft learner")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) < 1 {
			return ctl.Exitf(ctl.ExitBadArgs, "member name not provided")
		}
		if len(args) > 1 {
			message := "too many arguments"
			for _, a := range args {
				if strings.HasPrefix(strings.ToLower(a), "http") {
					message += fmt.Sprintf(", did you mean --peer-urls=%s", a)
				}
			}
			return &ctl.CodedError{Code: ctl.ExitBadArgs, Err: errors.New(message)}
		}
		if peerURLs == "" {
			return ctl.Exitf(ctl.ExitBadArgs, "member peer urls not provided")
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		urls := strings.Split(peerURLs, ",")
		var resp *clientv3.MemberAddResponse
		if learner {
			resp, err = c.MemberAddAsLearner(ctx, urls)
		} else {
			resp, err = c.MemberAdd(ctx, urls)
		}
		if err != nil {
			return requestError(err)
		}
		if err := s.printer.MemberAdd(resp); err != nil {
			return err
		}
		if s.printer.Format == ctl.FormatSimple {
			printJoinEnv(s, args[0], peerURLs, resp)
		}
		return nil
	})
	return cmd
}

// printJoinEnv prints the environment the new member must start with: its
// name, the whole cluster as it will be, and "existing" (it joins, it does
// not bootstrap).
func printJoinEnv(s *session, name, peerURLs string, resp *clientv3.MemberAddResponse) {
	var cluster []string
	for _, m := range resp.Members {
		memberName := m.Name
		if m.ID == resp.Member.ID {
			memberName = name
		}
		for _, u := range m.PeerURLs {
			cluster = append(cluster, fmt.Sprintf("%s=%s", memberName, u))
		}
	}
	out := s.cmd.OutOrStdout()
	fmt.Fprint(out, "\n")
	fmt.Fprintf(out, "ETCD_NAME=%q\n", name)
	fmt.Fprintf(out, "ETCD_INITIAL_CLUSTER=%q\n", strings.Join(cluster, ","))
	fmt.Fprintf(out, "ETCD_INITIAL_ADVERTISE_PEER_URLS=%q\n", peerURLs)
	fmt.Fprintf(out, "ETCD_INITIAL_CLUSTER_STATE=\"existing\"\n")
}

// memberArg reads the one member-ID argument.
func memberArg(args []string) (uint64, error) {
	if err := exactArgs(args, 1, "member ID is not provided"); err != nil {
		return 0, err
	}
	id, err := strconv.ParseUint(args[0], 16, 64)
	if err != nil {
		return 0, ctl.Exitf(ctl.ExitBadArgs, "bad member ID arg (%v), expecting ID in Hex", err)
	}
	return id, nil
}

func newMemberRemoveCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "remove <memberID>", Short: "Removes a member from the cluster"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := memberArg(args)
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.MemberRemove(ctx, id)
		if err != nil {
			return requestError(err)
		}
		return s.printer.MemberRemove(id, resp)
	})
	return cmd
}

func newMemberUpdateCommand(rt *clientRuntime) *cobra.Command {
	var peerURLs string
	cmd := &cobra.Command{Use: "update <memberID> [options]", Short: "Updates a member in the cluster"}
	cmd.Flags().StringVar(&peerURLs, "peer-urls", "", "comma separated peer URLs for the updated member.")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := memberArg(args)
		if err != nil {
			return err
		}
		if peerURLs == "" {
			return ctl.Exitf(ctl.ExitBadArgs, "member peer urls not provided")
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.MemberUpdate(ctx, id, strings.Split(peerURLs, ","))
		if err != nil {
			return requestError(err)
		}
		return s.printer.MemberUpdate(id, resp)
	})
	return cmd
}

func newMemberPromoteCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "promote <memberID>", Short: "Promotes a non-voting member in the cluster"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := memberArg(args)
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.MemberPromote(ctx, id)
		if err != nil {
			return requestError(err)
		}
		return s.printer.MemberPromote(id, resp)
	})
	return cmd
}

func newMemberListCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "list",
		Short: "Lists all members in the cluster",
		Long: `With -w simple, one comma-separated line per member:
ID, Status, Name, Peer Addrs, Client Addrs, Is Learner.`,
	}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.MemberList(ctx)
		if err != nil {
			return requestError(err)
		}
		return s.printer.MemberList(resp)
	})
	return cmd
}
