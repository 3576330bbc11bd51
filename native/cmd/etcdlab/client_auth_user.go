package main

// user add | delete | get | list | passwd | grant-role | revoke-role
// (etcd: etcdctl/ctlv3/command/user_command.go). A user holds roles; what
// it may do is what its roles allow. The password of `user add` comes from
// --new-user-password, from "name:password", from stdin with
// --interactive=false, or is asked twice on the terminal; --no-password
// makes a user that cannot log in with a password (TLS common names).

import (
	"context"
	"fmt"
	"strings"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newUserCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "user <subcommand>", Short: "User related commands"}
	cmd.AddCommand(newUserAddCommand(rt), newUserDeleteCommand(rt), newUserGetCommand(rt),
		newUserListCommand(rt), newUserPasswdCommand(rt), newUserGrantRoleCommand(rt), newUserRevokeRoleCommand(rt))
	return cmd
}

func newUserAddCommand(rt *clientRuntime) *cobra.Command {
	var interactive, noPassword bool
	var newPassword string
	cmd := &cobra.Command{Use: "add <user name or user:password> [options]", Short: "Adds a new user"}
	cmd.Flags().BoolVar(&interactive, "interactive", true, "Read password from stdin instead of interactive terminal")
	cmd.Flags().StringVar(&newPassword, "new-user-password", "", "Supply password from the command line flag")
	cmd.Flags().BoolVar(&noPassword, "no-password", false, "Create a user without password (CN based auth only)")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) != 1 {
			return ctl.Exitf(ctl.ExitBadArgs, "user add command requires user name as its argument")
		}
		name, password := args[0], ""
		switch user, pass, hasPass := strings.Cut(args[0], ":"); {
		case noPassword:
		case newPassword != "":
			password = newPassword
		case hasPass:
			if user == "" {
				return ctl.Exitf(ctl.ExitBadArgs, "empty user name is not allowed")
			}
			name, password = user, pass
		case !interactive:
			password = s.passwordFromStdin()
		default:
			var err error
			if password, err = s.askNewPassword(name); err != nil {
				return err
			}
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.UserAddWithOptions(ctx, name, password, &clientv3.UserAddOptions{NoPassword: noPassword})
		if err != nil {
			return requestError(err)
		}
		return s.printer.UserAdd(name, resp)
	})
	return cmd
}

func newUserDeleteCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "delete <user name>", Short: "Deletes a user"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "user delete command requires user name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserDelete(ctx, args[0])
			return printed(err, func() error { return s.printer.UserDelete(args[0], resp) })
		})
	})
	return cmd
}

// newUserGetCommand: with --detail, the permissions of each role follow.
func newUserGetCommand(rt *clientRuntime) *cobra.Command {
	var detail bool
	cmd := &cobra.Command{Use: "get <user name> [options]", Short: "Gets detailed information of a user"}
	cmd.Flags().BoolVar(&detail, "detail", false, "Show permissions of roles granted to the user")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "user get command requires user name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserGet(ctx, args[0])
			if err != nil || !detail {
				return printed(err, func() error { return s.printer.UserGet(args[0], resp) })
			}
			fmt.Fprintf(s.cmd.OutOrStdout(), "User: %s\n", args[0])
			for _, role := range resp.Roles {
				fmt.Fprintln(s.cmd.OutOrStdout())
				roleResp, err := c.RoleGet(ctx, role)
				if err := printed(err, func() error { return s.printer.RoleGet(role, roleResp) }); err != nil {
					return err
				}
			}
			return nil
		})
	})
	return cmd
}

func newUserListCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "list", Short: "Lists all users"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 0, "user list command requires no arguments"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserList(ctx)
			return printed(err, func() error { return s.printer.UserList(resp) })
		})
	})
	return cmd
}

func newUserPasswdCommand(rt *clientRuntime) *cobra.Command {
	var interactive bool
	cmd := &cobra.Command{Use: "passwd <user name> [options]", Short: "Changes password of user"}
	cmd.Flags().BoolVar(&interactive, "interactive", true, "If true, read password from stdin instead of interactive terminal")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "user passwd command requires user name as its argument"); err != nil {
			return err
		}
		password := ""
		if !interactive {
			password = s.passwordFromStdin()
		} else {
			var err error
			if password, err = s.askNewPassword(args[0]); err != nil {
				return err
			}
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserChangePassword(ctx, args[0], password)
			return printed(err, func() error { return s.printer.UserChangePassword(resp) })
		})
	})
	return cmd
}

func newUserGrantRoleCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "grant-role <user name> <role name>", Short: "Grants a role to a user"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 2, "user grant command requires user name and role name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserGrantRole(ctx, args[0], args[1])
			return printed(err, func() error { return s.printer.UserGrantRole(args[0], args[1], resp) })
		})
	})
	return cmd
}

func newUserRevokeRoleCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "revoke-role <user name> <role name>", Short: "Revokes a role from a user"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 2, "user revoke-role requires user name and role name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.UserRevokeRole(ctx, args[0], args[1])
			return printed(err, func() error { return s.printer.UserRevokeRole(args[0], args[1], resp) })
		})
	})
	return cmd
}
