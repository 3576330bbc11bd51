package main

// lease grant | revoke | timetolive | list | keep-alive: a lease is a TTL
// that keys can be attached to; when it expires or is revoked, its keys are
// deleted. Lease IDs are written in hexadecimal on the command line.

import (
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newLeaseCommand(rt *clientRuntime) *cobra.Command {
	lease := &cobra.Command{Use: "lease <subcommand>", Short: "Lease related commands"}
	lease.AddCommand(newLeaseGrantCommand(rt), newLeaseRevokeCommand(rt),
		newLeaseTimeToLiveCommand(rt), newLeaseListCommand(rt), newLeaseKeepAliveCommand(rt))
	return lease
}

func newLeaseGrantCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "grant <ttl>", Short: "Creates leases"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "lease grant command needs TTL argument"); err != nil {
			return err
		}
		ttlSeconds, err := strconv.ParseInt(args[0], 10, 64)
		if err != nil {
			return ctl.Exitf(ctl.ExitBadArgs, "bad TTL (%v)", err)
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.Grant(ctx, ttlSeconds)
		if err != nil {
			return ctl.Exitf(ctl.ExitError, "failed to grant lease (%v)", err)
		}
		return s.printer.Grant(resp)
	})
	return cmd
}

// leaseArg reads the one lease-ID argument.
func leaseArg(args []string, message string) (clientv3.LeaseID, error) {
	if err := exactArgs(args, 1, message); err != nil {
		return 0, err
	}
	id, err := ctl.ParseLeaseID(args[0])
	if err != nil {
		return 0, ctl.Exitf(ctl.ExitBadArgs, "bad lease ID arg (%v), expecting ID in Hex", err)
	}
	return id, nil
}

func newLeaseRevokeCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "revoke <leaseID>", Short: "Revokes leases"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := leaseArg(args, "lease revoke command needs 1 argument")
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.Revoke(ctx, id)
		if err != nil {
			return ctl.Exitf(ctl.ExitError, "failed to revoke lease (%v)", err)
		}
		return s.printer.Revoke(id, resp)
	})
	return cmd
}

func newLeaseTimeToLiveCommand(rt *clientRuntime) *cobra.Command {
	var keys bool
	cmd := &cobra.Command{Use: "timetolive <leaseID> [options]", Short: "Get lease information"}
	cmd.Flags().BoolVar(&keys, "keys", false, "Get keys attached to this lease")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := leaseArg(args, "lease timetolive command needs lease ID as argument")
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		var opts []clientv3.LeaseOption
		if keys {
			opts = append(opts, clientv3.WithAttachedKeys())
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.TimeToLive(ctx, id, opts...)
		if err != nil {
			return ctl.WithCode(ctl.ExitBadConnection, err)
		}
		return s.printer.TimeToLive(resp, keys)
	})
	return cmd
}

func newLeaseListCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "list", Short: "List all active leases"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.Leases(ctx)
		if err != nil {
			return ctl.WithCode(ctl.ExitBadConnection, err)
		}
		return s.printer.Leases(resp)
	})
	return cmd
}

func newLeaseKeepAliveCommand(rt *clientRuntime) *cobra.Command {
	var once bool
	cmd := &cobra.Command{Use: "keep-alive [options] <leaseID>", Short: "Keeps leases alive (renew)"}
	cmd.Flags().BoolVar(&once, "once", false, "Resets the keep-alive time to its original value and exits immediately")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		id, err := leaseArg(args, "lease keep-alive command needs lease ID as argument")
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		if once {
			ctx, cancel := s.commandCtx()
			defer cancel()
			resp, err := c.KeepAliveOnce(ctx, id)
			if err != nil {
				return ctl.WithCode(ctl.ExitBadConnection, err)
			}
			return s.printer.KeepAlive(resp)
		}
		return keepAliveForever(s, c, id)
	})
	return cmd
}

// keepAliveForever renews the lease (clientv3 sends a renewal every third
// of the TTL) and prints each renewal until Ctrl-C, or until the lease is
// gone: then the channel closes.
func keepAliveForever(s *session, c *clientv3.Client, id clientv3.LeaseID) error {
	ctx, stop := signal.NotifyContext(s.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	renewals, err := c.KeepAlive(ctx, id)
	if err != nil {
		return ctl.WithCode(ctl.ExitBadConnection, err)
	}
	for resp := range renewals {
		if err := s.printer.KeepAlive(resp); err != nil {
			return err
		}
	}
	if ctx.Err() == nil && s.printer.Format == ctl.FormatSimple {
		fmt.Fprintf(s.cmd.OutOrStdout(), "lease %016x expired or revoked.\n", id)
	}
	return nil
}
