package main

// role add | delete | get | list | grant-permission | revoke-permission
// (etcd: etcdctl/ctlv3/command/role_command.go). A permission is read,
// write or readwrite on a key, on [key, endkey), on a prefix (--prefix)
// or on every key from key on (--from-key). The empty key stands for the
// whole key space: "" --prefix or "" --from-key.

import (
	"context"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newRoleCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "role <subcommand>", Short: "Role related commands"}
	cmd.AddCommand(newRoleAddCommand(rt), newRoleDeleteCommand(rt), newRoleGetCommand(rt),
		newRoleListCommand(rt), newRoleGrantPermissionCommand(rt), newRoleRevokePermissionCommand(rt))
	return cmd
}

func newRoleAddCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "add <role name>", Short: "Adds a new role"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "role add command requires role name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleAdd(ctx, args[0])
			return printed(err, func() error { return s.printer.RoleAdd(args[0], resp) })
		})
	})
	return cmd
}

func newRoleDeleteCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "delete <role name>", Short: "Deletes a role"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "role delete command requires role name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleDelete(ctx, args[0])
			return printed(err, func() error { return s.printer.RoleDelete(args[0], resp) })
		})
	})
	return cmd
}

func newRoleGetCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "get <role name>", Short: "Gets detailed information of a role"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 1, "role get command requires role name as its argument"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleGet(ctx, args[0])
			return printed(err, func() error { return s.printer.RoleGet(args[0], resp) })
		})
	})
	return cmd
}

func newRoleListCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "list", Short: "Lists all roles"}
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if err := exactArgs(args, 0, "role list command requires no arguments"); err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleList(ctx)
			return printed(err, func() error { return s.printer.RoleList(resp) })
		})
	})
	return cmd
}

// permFlags are --prefix and --from-key of the permission verbs.
type permFlags struct{ prefix, fromKey bool }

func (f *permFlags) add(cmd *cobra.Command, verb string) {
	cmd.Flags().BoolVar(&f.prefix, "prefix", false, verb+" a prefix permission")
	cmd.Flags().BoolVar(&f.fromKey, "from-key", false, verb+" a permission of keys that are greater than or equal to the given key using byte compare")
}

func newRoleGrantPermissionCommand(rt *clientRuntime) *cobra.Command {
	var flags permFlags
	cmd := &cobra.Command{Use: "grant-permission [options] <role name> <permission type> <key> [endkey]", Short: "Grants a key to a role"}
	flags.add(cmd, "grant")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) < 3 {
			return ctl.Exitf(ctl.ExitBadArgs, "role grant command requires role name, permission type, and key [endkey] as its argument")
		}
		perm, err := clientv3.StrToPermissionType(args[1])
		if err != nil {
			return ctl.WithCode(ctl.ExitBadArgs, err)
		}
		key, end, err := flags.keyRange(args[2:])
		if err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleGrantPermission(ctx, args[0], key, end, perm)
			return printed(err, func() error { return s.printer.RoleGrantPermission(args[0], resp) })
		})
	})
	return cmd
}

func newRoleRevokePermissionCommand(rt *clientRuntime) *cobra.Command {
	var flags permFlags
	cmd := &cobra.Command{Use: "revoke-permission <role name> <key> [endkey]", Short: "Revokes a key from a role"}
	flags.add(cmd, "revoke")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) < 2 {
			return ctl.Exitf(ctl.ExitBadArgs, "role revoke-permission command requires role name and key [endkey] as its argument")
		}
		key, end, err := flags.keyRange(args[1:])
		if err != nil {
			return err
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.RoleRevokePermission(ctx, args[0], key, end)
			// etcdctl prints the key as typed ("" for the whole key space).
			return printed(err, func() error { return s.printer.RoleRevokePermission(args[0], args[1], end, resp) })
		})
	})
	return cmd
}

// keyRange turns <key> [endkey] and the flags into the permission's key
// and range end (etcd: permRange, rangeEndFromPermFlags). The empty key is
// "\x00", the first key there is; with --prefix or --from-key it covers
// every key ("\x00" as range end means open-ended).
func (f permFlags) keyRange(args []string) (key, end string, err error) {
	both := ctl.Exitf(ctl.ExitBadArgs, "--from-key and --prefix flags are mutually exclusive")
	switch {
	case args[0] == "" && f.prefix && f.fromKey:
		return "", "", both
	case args[0] == "" && (f.prefix || f.fromKey):
		return "\x00", "\x00", nil
	case args[0] == "":
		return "\x00", "", nil
	case len(args) == 1 && f.prefix && f.fromKey:
		return "", "", both
	case len(args) == 1 && f.prefix:
		return args[0], clientv3.GetPrefixRangeEnd(args[0]), nil
	case len(args) == 1 && f.fromKey:
		return args[0], "\x00", nil
	case len(args) == 1:
		return args[0], "", nil
	case f.prefix:
		return "", "", ctl.Exitf(ctl.ExitBadArgs, "unexpected endkey argument with --prefix flag")
	case f.fromKey:
		return "", "", ctl.Exitf(ctl.ExitBadArgs, "unexpected endkey argument with --from-key flag")
	}
	return args[0], args[1], nil // etcdctl ignores further arguments
}
