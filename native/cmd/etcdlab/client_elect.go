package main

// elect: leader election on the client side, as etcdctl does it (etcd:
// etcdctl/ctlv3/command/elect_command.go) with clientv3's concurrency
// package. Each candidate writes a key under the election's name with its
// session's lease and its proposal as the value; the key with the lowest
// create revision is the leader, and the others wait for the key just
// before theirs to go (Election.Campaign). An observer watches the
// election's prefix and reports each new leader's key (Election.Observe).
//
//	etcdlab elect myelection alice      campaign; once elected print the
//	                                    key and value, lead until Ctrl-C
//	etcdlab elect -l myelection         print every leader observed
//
// A leader that dies without resigning is replaced when its lease expires
// (60 s, the session's default TTL, as in etcdctl).

import (
	"errors"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newElectCommand(rt *clientRuntime) *cobra.Command {
	var listen bool
	cmd := &cobra.Command{
		Use:   "elect <election-name> [proposal]",
		Short: "Observes and participates in leader election",
	}
	cmd.Flags().BoolVarP(&listen, "listen", "l", false, "observation mode")
	cmd.RunE = rt.run(func(s *session, args []string) error {
		switch {
		case len(args) != 1 && len(args) != 2:
			return ctl.Exitf(ctl.ExitBadArgs, "elect takes one election name argument and an optional proposal argument")
		case len(args) == 1 && !listen:
			return ctl.Exitf(ctl.ExitBadArgs, "no proposal argument but -l not set")
		case len(args) == 2 && listen:
			return ctl.Exitf(ctl.ExitBadArgs, "proposal given but -l is set")
		case listen:
			return requestError(observe(s, args[0]))
		}
		return requestError(campaign(s, args[0], args[1]))
	})
	return cmd
}

// election opens a session (a lease kept alive) and the election name on it.
func election(s *session, name string) (*clientv3.Client, *concurrency.Session, *concurrency.Election, error) {
	c, err := s.client()
	if err != nil {
		return nil, nil, nil, err
	}
	sess, err := concurrency.NewSession(c)
	if err != nil {
		return nil, nil, nil, err
	}
	return c, sess, concurrency.NewElection(sess, name), nil
}

// observe prints the leader's key and value each time the leadership
// changes, until SIGINT/SIGTERM.
func observe(s *session, name string) error {
	ctx, stop := signal.NotifyContext(s.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	_, _, e, err := election(s, name)
	if err != nil {
		return err
	}
	for resp := range e.Observe(ctx) {
		if err := s.printer.Get(&resp); err != nil {
			return err
		}
	}
	if ctx.Err() == nil {
		return errors.New("elect: observer lost")
	}
	return nil
}

// campaign waits to be elected with proposal as the value, prints the
// leader key, and leads until SIGINT/SIGTERM (then resigns) or until the
// session's lease is lost.
func campaign(s *session, name, proposal string) error {
	ctx, stop := signal.NotifyContext(s.ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	c, sess, e, err := election(s, name)
	if err != nil {
		return err
	}
	if err := e.Campaign(ctx, proposal); err != nil {
		return err
	}
	resp, err := c.Get(ctx, e.Key())
	if err != nil {
		return err
	}
	if err := s.printer.Get(resp); err != nil {
		return err
	}
	select {
	case <-ctx.Done():
	case <-sess.Done():
		return errors.New("elect: session expired")
	}
	rctx, cancel := s.commandCtx()
	defer cancel()
	return e.Resign(rctx)
}
