package main

// auth enable | disable | status, and asking for passwords. Turning auth
// on needs user root holding role root; like etcdctl, `auth enable`
// creates role root and grants it to root when that is all that is
// missing. Once auth is on, every verb needs --user name[:password] (or
// --password): the client authenticates once and sends the token with
// each request.
//
// A password the command line does not give is asked for on the terminal,
// without echo. If stdin is not a terminal the command stops with an error
// instead (etcdctl would read the password from the pipe): a script must
// say where its password comes from.

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	clientv3 "go.etcd.io/etcd/client/v3"

	"github.com/etcdlab/etcdlab/native/ctl"
)

func newAuthCommand(rt *clientRuntime) *cobra.Command {
	cmd := &cobra.Command{Use: "auth <enable or disable>", Short: "Enable or disable authentication"}
	enable := &cobra.Command{Use: "enable", Short: "Enables authentication"}
	enable.RunE = rt.run(authEnable)
	disable := &cobra.Command{Use: "disable", Short: "Disables authentication"}
	disable.RunE = rt.run(func(s *session, args []string) error {
		if len(args) != 0 {
			return ctl.Exitf(ctl.ExitBadArgs, "auth disable command does not accept any arguments")
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			_, err := c.AuthDisable(ctx)
			return printed(err, func() error {
				fmt.Fprintln(s.cmd.OutOrStdout(), "Authentication Disabled")
				return nil
			})
		})
	})
	status := &cobra.Command{Use: "status", Short: "Returns authentication status"}
	status.RunE = rt.run(func(s *session, args []string) error {
		if len(args) != 0 {
			return ctl.Exitf(ctl.ExitBadArgs, "auth status command does not accept any arguments")
		}
		return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
			resp, err := c.AuthStatus(ctx)
			return printed(err, func() error { return s.printer.AuthStatus(resp) })
		})
	})
	cmd.AddCommand(enable, disable, status)
	return cmd
}

// authEnable enables auth, first creating and granting role root if the
// server says it is missing (etcd: etcdctl auth enable).
func authEnable(s *session, args []string) error {
	if len(args) != 0 {
		return ctl.Exitf(ctl.ExitBadArgs, "auth enable command does not accept any arguments")
	}
	return authCall(s, func(c *clientv3.Client, ctx context.Context) error {
		_, err := c.AuthEnable(ctx)
		for errors.Is(err, rpctypes.ErrRootRoleNotExist) {
			if _, err = c.RoleAdd(ctx, "root"); err != nil {
				break
			}
			if _, err = c.UserGrantRole(ctx, "root", "root"); err != nil {
				break
			}
			_, err = c.AuthEnable(ctx)
		}
		return printed(err, func() error {
			fmt.Fprintln(s.cmd.OutOrStdout(), "Authentication Enabled")
			return nil
		})
	})
}

// authCall runs the request of a user, role or auth verb with the
// session's client, bounded by --command-timeout.
func authCall(s *session, call func(c *clientv3.Client, ctx context.Context) error) error {
	c, err := s.client()
	if err != nil {
		return err
	}
	ctx, cancel := s.commandCtx()
	defer cancel()
	return call(c, ctx)
}

// printed turns a failed request into etcdctl's error, or prints.
func printed(err error, print func() error) error {
	if err != nil {
		return requestError(err)
	}
	return print()
}

// errNoTerminal: a password was to be asked for, and stdin is not a terminal.
var errNoTerminal = errors.New("stdin is not a terminal")

// askPassword asks for a password on the terminal without echoing it.
func (s *session) askPassword(prompt string) (string, error) {
	tty, ok := terminalOf(s.cmd.InOrStdin())
	if !ok {
		return "", errNoTerminal
	}
	return readHidden(tty, prompt, s.cmd.ErrOrStderr())
}

// askNewPassword asks twice for the new password of user (etcd:
// readPasswordInteractive), with etcdctl's refusals.
func (s *session) askNewPassword(user string) (string, error) {
	first, err := s.askPassword(fmt.Sprintf("Password of %s: ", user))
	if errors.Is(err, errNoTerminal) {
		return "", ctl.Exitf(ctl.ExitBadArgs, "no password for user %q: stdin is not a terminal to ask on; give it with --new-user-password, as %s:PASSWORD, or on stdin with --interactive=false", user, user)
	}
	if err != nil {
		return "", ctl.Exitf(ctl.ExitBadArgs, "failed to ask password: %v", err)
	}
	if first == "" {
		return "", ctl.Exitf(ctl.ExitBadArgs, "empty password")
	}
	second, err := s.askPassword(fmt.Sprintf("Type password of %s again for confirmation: ", user))
	if err != nil {
		return "", ctl.Exitf(ctl.ExitBadArgs, "failed to ask password: %v", err)
	}
	if first != second {
		return "", ctl.Exitf(ctl.ExitBadArgs, "given passwords are different")
	}
	return first, nil
}

// passwordFromStdin reads the first word of stdin (etcdctl --interactive=false:
// fmt.Scanf("%s")); no input is an empty password.
func (s *session) passwordFromStdin() string {
	var password string
	_, _ = fmt.Fscan(s.cmd.InOrStdin(), &password)
	return password
}

// readLine reads one line from r, without its line ending.
func readLine(r io.Reader) (string, error) {
	var line []byte
	buf := make([]byte, 1)
	for {
		n, err := r.Read(buf)
		if n == 1 {
			if buf[0] == '\n' {
				break
			}
			line = append(line, buf[0])
		}
		if err != nil {
			if len(line) > 0 && errors.Is(err, io.EOF) {
				break
			}
			return "", err
		}
	}
	if len(line) > 0 && line[len(line)-1] == '\r' {
		line = line[:len(line)-1]
	}
	return string(line), nil
}
