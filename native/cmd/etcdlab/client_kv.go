package main

// put, get and del: the key-value verbs. Their flags and the request they
// build live in native/ctl (kvops.go), shared with txn.

import (
	"github.com/spf13/cobra"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newPutCommand(rt *clientRuntime) *cobra.Command {
	var f ctl.PutFlags
	cmd := &cobra.Command{
		Use:   "put [options] <key> <value> (<value> can also be given from stdin)",
		Short: "Puts the given key into the store",
		Long: `Puts the given key into the store.

When <value> begins with '-', it is read as a flag; write "put <key> -- <value>".
Without <value> (and without --ignore-value) the value is read from stdin.`,
	}
	f.Register(cmd.Flags())
	cmd.RunE = rt.run(func(s *session, args []string) error {
		op, err := f.Op(args, s.cmd.InOrStdin())
		if err != nil {
			return err
		}
		resp, err := do(s, op)
		if err != nil {
			return err
		}
		return s.printer.Put(resp.Put())
	})
	return cmd
}

func newGetCommand(rt *clientRuntime) *cobra.Command {
	var f ctl.GetFlags
	cmd := &cobra.Command{
		Use:   "get [options] <key> [range_end]",
		Short: "Gets the key or a range of keys",
	}
	f.Register(cmd.Flags())
	cmd.RunE = rt.run(func(s *session, args []string) error {
		op, err := f.Op(args)
		if err != nil {
			return err
		}
		resp, err := do(s, op)
		if err != nil {
			return err
		}
		if f.CountOnly && s.printer.Format != ctl.FormatFields {
			return ctl.Exitf(ctl.ExitBadArgs, "--count-only is only for `--write-out=fields`")
		}
		if f.PrintValueOnly {
			if s.printer.Format != ctl.FormatSimple {
				return ctl.Exitf(ctl.ExitBadArgs, "print-value-only is only for `--write-out=simple`")
			}
			s.printer.ValueOnly = true
		}
		return s.printer.Get(resp.Get())
	})
	return cmd
}

func newDelCommand(rt *clientRuntime) *cobra.Command {
	var f ctl.DelFlags
	cmd := &cobra.Command{
		Use:   "del [options] <key> [range_end]",
		Short: "Removes the specified key or range of keys [key, range_end)",
	}
	f.Register(cmd.Flags())
	cmd.RunE = rt.run(func(s *session, args []string) error {
		op, err := f.Op(args)
		if err != nil {
			return err
		}
		resp, err := do(s, op)
		if err != nil {
			return err
		}
		return s.printer.Del(resp.Del())
	})
	return cmd
}
