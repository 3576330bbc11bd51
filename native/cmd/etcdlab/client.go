package main

// The client commands — etcdctl's verbs (get, put, del, txn, watch, lease,
// member, endpoint, ...) — share what this file holds: etcdctl's global
// flags and their ETCDCTL_* environment variables, the making of a clientv3
// client from them, and the one place where a failed command prints
// "Error: ..." and exits with etcdctl's code.
//
// etcdctl hangs its global flags on its root command; etcdlab's root also
// holds the daemon and the simulator, so each client verb carries them as
// its own persistent flags instead: `etcdlab get --endpoints=... foo`; and
// etcdctl's order, `etcdlab --endpoints=... get foo`, works too
// (client_args.go moves the flags after the verb).

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"
	"go.etcd.io/etcd/client/pkg/v3/transport"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/grpclog"

	"github.com/etcdlab/etcdlab/native/ctl"
)

// etcdctl's defaults (etcd: etcdctl/ctlv3/ctl.go).
const (
	defaultDialTimeout      = 2 * time.Second
	defaultCommandTimeout   = 5 * time.Second
	defaultKeepAliveTime    = 2 * time.Second
	defaultKeepAliveTimeout = 6 * time.Second
	defaultEndpoint         = "127.0.0.1:2379"
	envPrefix               = "ETCDCTL_"
)

// clientRuntime is what the client commands need from the process: how to
// exit and what the environment holds. Tests swap both.
type clientRuntime struct {
	exit    func(code int)
	environ func() []string
}

// newClientCommands builds every client verb for the etcdlab binary.
func newClientCommands() []*cobra.Command {
	return clientCommands(&clientRuntime{exit: os.Exit, environ: os.Environ})
}

// clientCommands builds the verbs on a runtime.
func clientCommands(rt *clientRuntime) []*cobra.Command {
	quietGRPC()
	cmds := []*cobra.Command{
		newGetCommand(rt), newPutCommand(rt), newDelCommand(rt), newTxnCommand(rt),
		newWatchCommand(rt), newCompactionCommand(rt), newLeaseCommand(rt),
		newMemberCommand(rt), newEndpointCommand(rt), newDefragCommand(rt),
		newAlarmCommand(rt), newSnapshotCommand(rt), newMoveLeaderCommand(rt),
		newVersionCommand(rt), newLockCommand(rt), newElectCommand(rt),
		newUserCommand(rt), newRoleCommand(rt), newAuthCommand(rt),
	}
	for _, c := range cmds {
		addGlobalFlags(c.PersistentFlags())
	}
	return cmds
}

var quietGRPCOnce sync.Once

// quietGRPC keeps gRPC's routine reconnect chatter off the terminal and
// lets its errors through, as etcdctl does without --debug.
func quietGRPC() {
	quietGRPCOnce.Do(func() {
		grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, io.Discard, os.Stderr))
	})
}

// addGlobalFlags adds etcdctl's global flags, names and defaults kept.
func addGlobalFlags(fs *pflag.FlagSet) {
	fs.StringSlice("endpoints", []string{defaultEndpoint}, "gRPC endpoints")
	fs.StringP("write-out", "w", ctl.FormatSimple, "set the output format (fields, json, simple, table)")
	fs.Bool("hex", false, "print byte strings as hex encoded strings")
	fs.Duration("dial-timeout", defaultDialTimeout, "dial timeout for client connections")
	fs.Duration("command-timeout", defaultCommandTimeout, "timeout for short running command (excluding dial timeout)")
	fs.Duration("keepalive-time", defaultKeepAliveTime, "keepalive time for client connections")
	fs.Duration("keepalive-timeout", defaultKeepAliveTimeout, "keepalive timeout for client connections")
	fs.Bool("insecure-transport", true, "disable transport security for client connections")
	fs.Bool("insecure-skip-tls-verify", false, "skip server certificate verification (CAUTION: this option should be enabled only for testing purposes)")
	fs.String("cert", "", "identify secure client using this TLS certificate file")
	fs.String("key", "", "identify secure client using this TLS key file")
	fs.String("cacert", "", "verify certificates of TLS-enabled secure servers using this CA bundle")
	fs.String("user", "", "username[:password] for authentication (prompt if password is not supplied)")
	fs.String("password", "", "password for authentication (if this option is used, --user option shouldn't include password)")
}

// globalFlagNames lists the flags the environment may set.
var globalFlagNames = []string{
	"endpoints", "write-out", "hex", "dial-timeout", "command-timeout", "keepalive-time",
	"keepalive-timeout", "insecure-transport", "insecure-skip-tls-verify", "cert", "key",
	"cacert", "user", "password",
}

// envNamesIgnored are ETCDCTL_* variables that are not flags.
var envNamesIgnored = map[string]bool{"API": true, "WATCH_KEY": true, "WATCH_RANGE_END": true}

// applyEnv sets each global flag not given on the command line from its
// ETCDCTL_* variable (--dial-timeout <- ETCDCTL_DIAL_TIMEOUT). A variable
// and a flag both given is an error, as in etcdctl (etcd: pkg/flags).
func applyEnv(fs *pflag.FlagSet, environ []string, warn io.Writer) error {
	known := map[string]string{}
	for _, name := range globalFlagNames {
		known[strings.ToUpper(strings.ReplaceAll(name, "-", "_"))] = name
	}
	// The last of duplicate variables wins, as in the process environment.
	values := map[string]string{}
	var keys []string
	for _, kv := range environ {
		key, value, _ := strings.Cut(kv, "=")
		if _, seen := values[key]; !seen {
			keys = append(keys, key)
		}
		values[key] = value
	}
	for _, key := range keys {
		value := values[key]
		suffix, ok := strings.CutPrefix(key, envPrefix)
		if !ok || envNamesIgnored[suffix] {
			continue
		}
		name, ok := known[suffix]
		if !ok {
			fmt.Fprintf(warn, "unrecognized environment variable %s=%s\n", key, value)
			continue
		}
		f := fs.Lookup(name)
		if f == nil {
			continue
		}
		if f.Changed {
			return ctl.Exitf(ctl.ExitError, "conflicting environment variable %q is shadowed by corresponding command-line flag (either unset environment variable or disable flag)", key)
		}
		if err := f.Value.Set(value); err != nil {
			return ctl.Exitf(ctl.ExitBadArgs, "invalid value %q for %s: %v", value, key, err)
		}
	}
	return nil
}

// session is one run of a client command: its flags read, its printer
// chosen, its client made on first use.
type session struct {
	cmd      *cobra.Command
	ctx      context.Context
	printer  *ctl.Printer
	fs       *pflag.FlagSet
	password string
	clients  []*clientv3.Client
	main     *clientv3.Client
}

// run wraps a command body: it builds the session, runs the body, closes
// the clients, and turns an error into etcdctl's "Error: ..." and exit code.
func (rt *clientRuntime) run(body func(s *session, args []string) error) func(*cobra.Command, []string) error {
	return func(cmd *cobra.Command, args []string) error {
		s, err := rt.newSession(cmd)
		if err == nil {
			err = body(s, args)
			s.close()
		}
		if err != nil {
			if message := err.Error(); message != "" {
				fmt.Fprintln(cmd.ErrOrStderr(), "Error:", message)
			}
			rt.exit(ctl.CodeOf(err))
		}
		return nil
	}
}

func (rt *clientRuntime) newSession(cmd *cobra.Command) (*session, error) {
	fs := cmd.Flags()
	if err := applyEnv(fs, rt.environ(), cmd.ErrOrStderr()); err != nil {
		return nil, err
	}
	format, _ := fs.GetString("write-out")
	hex, _ := fs.GetBool("hex")
	p, err := ctl.NewPrinter(format, hex, cmd.OutOrStdout(), cmd.ErrOrStderr())
	if err != nil {
		return nil, err
	}
	ctx := cmd.Context()
	if ctx == nil {
		ctx = context.Background()
	}
	return &session{cmd: cmd, ctx: ctx, printer: p, fs: fs}, nil
}

func (s *session) close() {
	for _, c := range s.clients {
		c.Close()
	}
}

// endpoints are the --endpoints, trimmed.
func (s *session) endpoints() []string {
	eps, _ := s.fs.GetStringSlice("endpoints")
	for i := range eps {
		eps[i] = strings.TrimSpace(eps[i])
	}
	return eps
}

func (s *session) duration(name string) time.Duration {
	d, _ := s.fs.GetDuration(name)
	return d
}

// commandCtx bounds one short request by --command-timeout.
func (s *session) commandCtx() (context.Context, context.CancelFunc) {
	return context.WithTimeout(s.ctx, s.duration("command-timeout"))
}

// client is the session's client over all --endpoints; clientv3's balancer
// fails over among them.
func (s *session) client() (*clientv3.Client, error) {
	if s.main != nil {
		return s.main, nil
	}
	c, err := s.clientFor(s.endpoints(), true)
	s.main = c
	return c, err
}

// clientFor makes a client for the given endpoints with the session's
// flags; withAuth false leaves the credentials out (member list needs none).
func (s *session) clientFor(endpoints []string, withAuth bool) (*clientv3.Client, error) {
	cfg, err := s.config(endpoints, withAuth)
	if err != nil {
		return nil, err
	}
	c, err := clientv3.New(*cfg)
	if err != nil {
		return nil, ctl.WithCode(ctl.ExitBadConnection, err)
	}
	s.clients = append(s.clients, c)
	return c, nil
}

func (s *session) config(endpoints []string, withAuth bool) (*clientv3.Config, error) {
	cfg := &clientv3.Config{
		Endpoints:            endpoints,
		DialTimeout:          s.duration("dial-timeout"),
		DialKeepAliveTime:    s.duration("keepalive-time"),
		DialKeepAliveTimeout: s.duration("keepalive-timeout"),
		Logger:               zap.NewNop(),
		Context:              s.ctx,
	}
	tlsConfig, err := s.tlsConfig()
	if err != nil {
		return nil, err
	}
	cfg.TLS = tlsConfig
	if withAuth {
		cfg.Username, cfg.Password, err = s.credentials()
	}
	return cfg, err
}

// tlsConfig: any of --cert --key --cacert turns TLS on; so does
// --insecure-transport=false with none of them (the system's roots).
func (s *session) tlsConfig() (*tls.Config, error) {
	info := transport.TLSInfo{Logger: zap.NewNop()}
	info.CertFile, _ = s.fs.GetString("cert")
	info.KeyFile, _ = s.fs.GetString("key")
	info.TrustedCAFile, _ = s.fs.GetString("cacert")
	for _, name := range []string{"cert", "key", "cacert"} {
		if v, _ := s.fs.GetString(name); v == "" && s.fs.Changed(name) {
			return nil, ctl.Exitf(ctl.ExitBadArgs, "empty string is passed to --%s option", name)
		}
	}
	var cfg *tls.Config
	if info.CertFile != "" || info.KeyFile != "" || info.TrustedCAFile != "" {
		c, err := info.ClientConfig()
		if err != nil {
			return nil, ctl.WithCode(ctl.ExitBadArgs, err)
		}
		cfg = c
	}
	if insecure, _ := s.fs.GetBool("insecure-transport"); cfg == nil && !insecure {
		cfg = &tls.Config{}
	}
	if skip, _ := s.fs.GetBool("insecure-skip-tls-verify"); skip && cfg != nil {
		cfg.InsecureSkipVerify = true
	}
	return cfg, nil
}

// credentials reads --user name[:password] and --password (with
// --password, all of --user is the name, as in etcdctl). A user without a
// password is asked for one on the terminal (client_auth.go); without a
// terminal that is an error.
func (s *session) credentials() (user, password string, err error) {
	user, _ = s.fs.GetString("user")
	password, _ = s.fs.GetString("password")
	if user == "" || password != "" {
		return user, password, nil
	}
	if name, pass, ok := strings.Cut(user, ":"); ok {
		return name, pass, nil
	}
	if s.password == "" {
		asked, err := s.askPassword("Password: ")
		if errors.Is(err, errNoTerminal) {
			return "", "", ctl.Exitf(ctl.ExitError, "no password for user %q, and stdin is not a terminal to ask on: give --user %s:PASSWORD or --password PASSWORD", user, user)
		}
		if err != nil {
			return "", "", ctl.Exitf(ctl.ExitError, "reading the password of %q: %v", user, err)
		}
		s.password = asked
	}
	return user, s.password, nil
}

// requestError is a failed request's error with etcdctl's usual code.
func requestError(err error) error { return ctl.WithCode(ctl.ExitError, err) }

// exactArgs checks a verb's argument count with etcdctl's message.
func exactArgs(args []string, n int, message string) error {
	if len(args) != n {
		return ctl.Exitf(ctl.ExitBadArgs, "%s", message)
	}
	return nil
}
