package main

// txn: a transaction read from stdin in etcdctl's syntax (native/ctl,
// txn.go), committed in one request.

import (
	"fmt"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newTxnCommand(rt *clientRuntime) *cobra.Command {
	var interactive bool
	cmd := &cobra.Command{
		Use:   "txn [options]",
		Short: "Txn processes all the requests in one transaction",
		Long: `Reads a transaction from stdin: compares, success requests, failure
requests, each block ended by an empty line. For example:

  mod("key1") > "0"

  put key1 "overwrote-key1"

  put key1 "created-key1"
  put key2 "some extra key"
`,
	}
	cmd.Flags().BoolVarP(&interactive, "interactive", "i", false, "Input transaction in interactive mode")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		if len(args) != 0 {
			return ctl.Exitf(ctl.ExitBadArgs, "txn command does not accept argument")
		}
		var prompt func(string)
		if interactive {
			prompt = func(line string) { fmt.Fprintln(s.cmd.OutOrStdout(), line) }
		}
		req, err := ctl.ReadTxn(s.cmd.InOrStdin(), prompt)
		if err != nil {
			return err
		}
		c, err := s.client()
		if err != nil {
			return err
		}
		// etcdctl sends a transaction without a deadline; we bound it like
		// every other short request.
		ctx, cancel := s.commandCtx()
		defer cancel()
		resp, err := c.Txn(ctx).If(req.Compares...).Then(req.Success...).Else(req.Failure...).Commit()
		if err != nil {
			return requestError(err)
		}
		return s.printer.Txn(resp)
	})
	return cmd
}

// do sends one operation on the session's client within the command timeout.
func do(s *session, op clientv3.Op) (clientv3.OpResponse, error) {
	c, err := s.client()
	if err != nil {
		return clientv3.OpResponse{}, err
	}
	ctx, cancel := s.commandCtx()
	defer cancel()
	resp, err := c.Do(ctx, op)
	return resp, requestError(err)
}
