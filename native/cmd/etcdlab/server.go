package main

// `etcdlab server`: one etcd member, started with etcd's flags (same
// names, meanings and defaults) or their ETCD_* environment variables (a
// flag given on the command line beats the variable, as in etcd). It runs
// native/daemon behind native/api's gRPC services until SIGINT or SIGTERM,
// then stops gracefully.

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/native/api"
	"github.com/etcdlab/etcdlab/native/daemon"
)

// serverFlags are etcd's flags (etcd: server/embed/config.go defaults).
type serverFlags struct {
	name, dataDir                            string
	listenClientURLs, advertiseClientURLs    string
	listenPeerURLs, initialAdvertisePeerURLs string
	initialCluster, clusterState, token      string
	heartbeatMillis, electionMillis          uint
	snapshotCount                            uint64
	quotaBackendBytes                        int64
	compactionMode, compactionRetention      string
	maxRequestBytes, maxTxnOps               uint
	maxSnapshots, maxWALs                    uint
	authToken                                string
	enablePprof                              bool
	authTokenTTLSeconds                      uint
	grpcKeepAliveMinTime                     time.Duration
	grpcKeepAliveInterval                    time.Duration
	grpcKeepAliveTimeout                     time.Duration
	logger, logLevel, listenMetricsURLs      string
	certFile, keyFile, trustedCAFile         string
	clientCertAuth                           bool
	peerCertFile, peerKeyFile, peerTrustedCA string
	peerClientCertAuth                       bool
}

const defaultInitialCluster = "default=http://localhost:2380"

func newServerCommand() *cobra.Command {
	f := &serverFlags{}
	cmd := &cobra.Command{
		Use:   "server",
		Short: "Run one etcd member (etcd's flags and ETCD_* variables)",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := applyServerEnv(cmd.Flags(), os.Environ()); err != nil {
				return err
			}
			return runServer(f, cmd.Flags())
		},
	}
	fs := cmd.Flags()
	fs.StringVar(&f.name, "name", "default", "Human-readable name for this member.")
	fs.StringVar(&f.dataDir, "data-dir", "", "Path to the data directory (default \"${name}.etcd\").")
	fs.StringVar(&f.listenClientURLs, "listen-client-urls", "http://localhost:2379", "List of URLs to listen on for client traffic.")
	fs.StringVar(&f.advertiseClientURLs, "advertise-client-urls", "http://localhost:2379", "List of this member's client URLs to advertise to the rest of the cluster.")
	fs.StringVar(&f.listenPeerURLs, "listen-peer-urls", "http://localhost:2380", "List of URLs to listen on for peer traffic.")
	fs.StringVar(&f.initialAdvertisePeerURLs, "initial-advertise-peer-urls", "http://localhost:2380", "List of this member's peer URLs to advertise to the rest of the cluster.")
	fs.StringVar(&f.initialCluster, "initial-cluster", defaultInitialCluster, "Initial cluster configuration for bootstrapping.")
	fs.StringVar(&f.clusterState, "initial-cluster-state", "new", "Initial cluster state ('new' or 'existing').")
	fs.StringVar(&f.token, "initial-cluster-token", "etcd-cluster", "Initial cluster token for the etcd cluster during bootstrap.")
	fs.UintVar(&f.heartbeatMillis, "heartbeat-interval", 100, "Time (in milliseconds) of a heartbeat interval.")
	fs.UintVar(&f.electionMillis, "election-timeout", 1000, "Time (in milliseconds) for an election to timeout.")
	fs.Uint64Var(&f.snapshotCount, "snapshot-count", core.DefaultSnapshotCount, "Number of committed transactions to trigger a snapshot to disk.")
	fs.Int64Var(&f.quotaBackendBytes, "quota-backend-bytes", 0, "Raise alarms when backend size exceeds the given quota (0 defaults to low space quota).")
	fs.StringVar(&f.compactionMode, "auto-compaction-mode", "periodic", "Interpret 'auto-compaction-retention' one of: periodic|revision.")
	fs.StringVar(&f.compactionRetention, "auto-compaction-retention", "0", "Auto compaction retention for mvcc key value store. 0 means disable auto compaction.")
	fs.UintVar(&f.maxRequestBytes, "max-request-bytes", core.MaxRequestBytes, "Maximum client request size in bytes the server will accept.")
	fs.UintVar(&f.maxTxnOps, "max-txn-ops", core.MaxTxnOps, "Maximum number of operations permitted in a transaction.")
	fs.DurationVar(&f.grpcKeepAliveMinTime, "grpc-keepalive-min-time", 5*time.Second, "Shortest interval between a client's pings; a client pinging more often is disconnected.")
	fs.DurationVar(&f.grpcKeepAliveInterval, "grpc-keepalive-interval", 2*time.Hour, "How often the server pings an idle client connection to see that it is alive (0: the default).")
	fs.DurationVar(&f.grpcKeepAliveTimeout, "grpc-keepalive-timeout", 20*time.Second, "How long the server waits for a ping's answer before closing the connection (0: the default).")
	fs.UintVar(&f.maxSnapshots, "max-snapshots", 5, "Maximum number of snapshot files to retain (0 is unlimited).")
	fs.UintVar(&f.maxWALs, "max-wals", 5, "Maximum number of wal files to retain (0 is unlimited).")
	fs.StringVar(&f.authToken, "auth-token", "simple", "Specify auth token specific options (etcdlab supports 'simple').")
	fs.UintVar(&f.authTokenTTLSeconds, "auth-token-ttl", core.DefaultAuthTokenTTLSeconds, "The lifetime in seconds of the auth token.")
	fs.BoolVar(&f.enablePprof, "enable-pprof", false, "Enable runtime profiling data via HTTP server. Address is at client URL + \"/debug/pprof/\"")
	fs.StringVar(&f.logger, "logger", "zap", "Currently only supports 'zap' for structured logging.")
	fs.StringVar(&f.logLevel, "log-level", "info", "Configures log level. Only supports debug, info, warn, error, panic, or fatal.")
	fs.StringVar(&f.listenMetricsURLs, "listen-metrics-urls", "", "List of URLs to listen on for the metrics and health endpoints.")
	fs.StringVar(&f.certFile, "cert-file", "", "Path to the client server TLS cert file.")
	fs.StringVar(&f.keyFile, "key-file", "", "Path to the client server TLS key file.")
	fs.BoolVar(&f.clientCertAuth, "client-cert-auth", false, "Enable client cert authentication.")
	fs.StringVar(&f.trustedCAFile, "trusted-ca-file", "", "Path to the client server TLS trusted CA file.")
	fs.StringVar(&f.peerCertFile, "peer-cert-file", "", "Path to the peer server TLS cert file.")
	fs.StringVar(&f.peerKeyFile, "peer-key-file", "", "Path to the peer server TLS key file.")
	fs.BoolVar(&f.peerClientCertAuth, "peer-client-cert-auth", false, "Enable peer client cert authentication.")
	fs.StringVar(&f.peerTrustedCA, "peer-trusted-ca-file", "", "Path to the peer server TLS trusted CA file.")
	return cmd
}

// applyServerEnv sets every flag not given on the command line from its ETCD_*
// variable (etcd: flags.SetFlagsFromEnv: --initial-cluster-token reads
// ETCD_INITIAL_CLUSTER_TOKEN). An ETCD_ variable naming no flag is an
// error, as in etcd.
func applyServerEnv(fs *pflag.FlagSet, environ []string) error {
	known := map[string]bool{}
	var err error
	fs.VisitAll(func(fl *pflag.Flag) {
		key := "ETCD_" + strings.ToUpper(strings.ReplaceAll(fl.Name, "-", "_"))
		known[key] = true
		if fl.Changed || err != nil {
			return
		}
		if v, ok := lookupServerEnv(environ, key); ok {
			if serr := fs.Set(fl.Name, v); serr != nil {
				err = fmt.Errorf("invalid value %q for %s: %v", v, key, serr)
			}
		}
	})
	if err != nil {
		return err
	}
	for _, kv := range environ {
		k, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(k, "ETCD_") && !known[k] && !etcdIgnoredEnv[k] {
			return fmt.Errorf("unrecognized environment variable %s", kv)
		}
	}
	return nil
}

// etcdIgnoredEnv are ETCD_ variables etcd itself tolerates.
var etcdIgnoredEnv = map[string]bool{"ETCD_UNSUPPORTED_ARCH": true}

func lookupServerEnv(environ []string, key string) (string, bool) {
	for _, kv := range environ {
		if k, v, ok := strings.Cut(kv, "="); ok && k == key {
			return v, true
		}
	}
	return "", false
}

// runServer starts the member and serves until a signal or a fatal error.
func runServer(f *serverFlags, fs *pflag.FlagSet) error {
	logger, err := newServerLogger(f)
	if err != nil {
		return err
	}
	cfg, acfg, err := f.configs(fs, logger)
	if err != nil {
		return err
	}
	d, err := daemon.Start(cfg)
	if err != nil {
		return err
	}
	srv := api.New(d, acfg)
	if _, err := srv.Listen(daemon.SplitURLs(f.listenClientURLs)); err != nil {
		d.Stop()
		return fmt.Errorf("listen on client URLs: %w", err)
	}
	stopMetrics := serveMetrics(d, daemon.SplitURLs(f.listenMetricsURLs), logger)
	sigc := make(chan os.Signal, 1)
	signal.Notify(sigc, syscall.SIGINT, syscall.SIGTERM)
	select {
	case s := <-sigc:
		logger.Info("received signal; shutting down", "signal", s.String())
	case <-d.Done():
	}
	srv.Stop()
	stopMetrics()
	return d.Stop()
}

// configs turns the flags into the daemon's and the API's configs.
func (f *serverFlags) configs(fs *pflag.FlagSet, logger *slog.Logger) (daemon.Config, api.Config, error) {
	if f.logger != "zap" {
		return daemon.Config{}, api.Config{}, fmt.Errorf("--logger=%q is not supported; only 'zap' (etcdlab logs structured lines with log/slog)", f.logger)
	}
	if f.authToken != "simple" {
		return daemon.Config{}, api.Config{}, fmt.Errorf("--auth-token=%q is not supported; etcdlab issues etcd's 'simple' tokens only (JWT tokens are not implemented)", f.authToken)
	}
	if f.authTokenTTLSeconds == 0 {
		return daemon.Config{}, api.Config{}, fmt.Errorf("--auth-token-ttl must be at least 1 second")
	}
	initial := f.initialCluster
	if !fs.Changed("initial-cluster") && f.name != "default" {
		initial = f.name + "=" + f.initialAdvertisePeerURLs // etcd: InitialClusterFromName
	}
	members, err := daemon.ParseInitialCluster(initial)
	if err != nil {
		return daemon.Config{}, api.Config{}, err
	}
	cfg := daemon.Config{
		Name: f.name, DataDir: f.dataDir,
		ListenPeerURLs: daemon.SplitURLs(f.listenPeerURLs), AdvertisePeerURLs: daemon.SplitURLs(f.initialAdvertisePeerURLs),
		AdvertiseClientURLs: daemon.SplitURLs(f.advertiseClientURLs),
		InitialCluster:      members, ClusterState: f.clusterState, ClusterToken: f.token,
		HeartbeatInterval: time.Duration(f.heartbeatMillis) * time.Millisecond,
		ElectionTimeout:   time.Duration(f.electionMillis) * time.Millisecond,
		SnapshotCount:     f.snapshotCount, QuotaBackendBytes: f.quotaBackendBytes,
		AutoCompactionMode: f.compactionMode, AutoCompactionRetention: f.compactionRetention,
		MaxSnapshots: daemon.FilesToKeep(f.maxSnapshots), MaxWALs: daemon.FilesToKeep(f.maxWALs),
		MaxRequestBytes: int(f.maxRequestBytes), MaxTxnOps: int(f.maxTxnOps), Logger: logger,
		AuthTokenTTL: time.Duration(f.authTokenTTLSeconds) * time.Second,
	}
	if err := cfg.Validate(); err != nil {
		return cfg, api.Config{}, err
	}
	acfg := api.Config{
		MaxRequestBytes: int(f.maxRequestBytes), MaxTxnOps: int(f.maxTxnOps),
		KeepAliveMinTime: f.grpcKeepAliveMinTime, KeepAliveInterval: f.grpcKeepAliveInterval,
		KeepAliveTimeout: f.grpcKeepAliveTimeout, EnablePprof: f.enablePprof,
	}
	if err := f.tlsConfigs(&cfg, &acfg); err != nil {
		return cfg, acfg, err
	}
	return cfg, acfg, nil
}

// tlsConfigs wires the TLS flags: client URLs to gRPC credentials, peer
// URLs to the transport's server and client configs.
func (f *serverFlags) tlsConfigs(cfg *daemon.Config, acfg *api.Config) error {
	if err := needTLSFor(f.listenClientURLs, f.certFile, f.keyFile, "--cert-file, --key-file", "client"); err != nil {
		return err
	}
	if err := needTLSFor(f.listenPeerURLs, f.peerCertFile, f.peerKeyFile, "--peer-cert-file, --peer-key-file", "peer"); err != nil {
		return err
	}
	var err error
	if f.certFile != "" || f.keyFile != "" {
		if acfg.TLS, err = serverTLS(f.certFile, f.keyFile, f.trustedCAFile, f.clientCertAuth); err != nil {
			return fmt.Errorf("client TLS: %w", err)
		}
		acfg.ForwardTLS, _ = clientTLS(f.certFile, f.keyFile, f.trustedCAFile)
	}
	if f.peerCertFile != "" || f.peerKeyFile != "" {
		if cfg.PeerServerTLS, err = serverTLS(f.peerCertFile, f.peerKeyFile, f.peerTrustedCA, f.peerClientCertAuth); err != nil {
			return fmt.Errorf("peer TLS: %w", err)
		}
		if cfg.PeerClientTLS, err = clientTLS(f.peerCertFile, f.peerKeyFile, f.peerTrustedCA); err != nil {
			return fmt.Errorf("peer TLS: %w", err)
		}
	}
	return nil
}

// needTLSFor refuses an https listen URL without a certificate and key,
// which would otherwise be served in plain text (etcd refuses it at start:
// embed.configurePeerListeners / configureClientListeners).
func needTLSFor(urls, cert, key, flags, kind string) error {
	if cert != "" && key != "" {
		return nil
	}
	for _, u := range daemon.SplitURLs(urls) {
		if strings.HasPrefix(u, "https://") {
			return fmt.Errorf("TLS key/cert (%s) must be provided for %s url %s with HTTPS scheme", flags, kind, u)
		}
	}
	return nil
}

func serverTLS(cert, key, ca string, clientAuth bool) (*tls.Config, error) {
	pair, err := tls.LoadX509KeyPair(cert, key)
	if err != nil {
		return nil, err
	}
	tc := &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}
	if ca != "" {
		pool, err := loadCA(ca)
		if err != nil {
			return nil, err
		}
		tc.ClientCAs = pool
	}
	if clientAuth {
		tc.ClientAuth = tls.RequireAndVerifyClientCert
	}
	return tc, nil
}

func clientTLS(cert, key, ca string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if cert != "" && key != "" {
		pair, err := tls.LoadX509KeyPair(cert, key)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{pair}
	}
	if ca != "" {
		pool, err := loadCA(ca)
		if err != nil {
			return nil, err
		}
		tc.RootCAs = pool
	}
	return tc, nil
}

func loadCA(path string) (*x509.CertPool, error) {
	pem, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(pem) {
		return nil, fmt.Errorf("%s holds no PEM certificate", path)
	}
	return pool, nil
}

// newServerLogger logs JSON lines to stderr, as etcd's zap logger does.
func newServerLogger(f *serverFlags) (*slog.Logger, error) {
	var level slog.Level
	switch f.logLevel {
	case "debug":
		level = slog.LevelDebug
	case "info":
		level = slog.LevelInfo
	case "warn":
		level = slog.LevelWarn
	case "error", "panic", "fatal":
		level = slog.LevelError
	default:
		return nil, fmt.Errorf("--log-level=%q: must be debug, info, warn, error, panic or fatal", f.logLevel)
	}
	return slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level})), nil
}

// serveMetrics serves /health and /metrics on --listen-metrics-urls (as
// etcd, which serves them on the client URLs too: native/api http.go). The
// metrics carry etcd's names (native/daemon/metrics.go).
func serveMetrics(d *daemon.Daemon, urls []string, logger *slog.Logger) func() {
	var servers []*http.Server
	mux := http.NewServeMux()
	mux.Handle("/health", d.HealthHandler())
	mux.Handle("/metrics", d.MetricsHandler())
	for _, u := range urls {
		host := u[strings.Index(u, "://")+3:]
		l, err := net.Listen("tcp", host)
		if err != nil {
			logger.Error("cannot listen on metrics URL", "url", u, "error", err)
			continue
		}
		srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
		servers = append(servers, srv)
		go func() {
			if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
				logger.Error("metrics listener failed", "error", err)
			}
		}()
	}
	return func() {
		for _, s := range servers {
			s.Shutdown(context.Background())
		}
	}
}
