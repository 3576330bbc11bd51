package api

// Server is the client front of one member: etcd's v3 services on the
// client URLs, each call turned into daemon requests. gRPC and HTTP (the
// JSON gateway, /version, /health, /metrics) share each client listener
// (mux.go, http.go).

import (
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"math"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/daemon"
	"github.com/etcdlab/etcdlab/native/lockelect"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/keepalive"
	"google.golang.org/grpc/status"
)

// grpcOverheadBytes is what gRPC adds around a request (etcd: 512 KiB).
const grpcOverheadBytes = 512 * 1024

// stopGrace bounds how long Stop lets running calls (watches, keep-alive
// streams) finish before it cuts them.
const stopGrace = 2 * time.Second

// Config tunes the gRPC front.
type Config struct {
	// MaxRequestBytes: --max-request-bytes (0: core.MaxRequestBytes). gRPC
	// accepts a message of that size plus grpcOverheadBytes (etcd:
	// v3rpc/grpc.go); the member's core refuses an encoded request above
	// the same flag (daemon.Config.MaxRequestBytes) with etcd's "request
	// is too large".
	MaxRequestBytes int
	// MaxTxnOps: --max-txn-ops (0: core.MaxTxnOps), checked here before a
	// txn is proposed, as etcd's v3rpc does, and by the core again.
	MaxTxnOps int
	// TLS serves https client URLs; nil serves plain http. The client
	// mux terminates it for gRPC and HTTP alike (mux.go).
	TLS *tls.Config
	// ForwardTLS dials other members' https client URLs (lease forwarding).
	ForwardTLS *tls.Config
	// KeepAliveMinTime, KeepAliveInterval and KeepAliveTimeout are etcd's
	// --grpc-keepalive-min-time (a client pinging more often is sent away),
	// --grpc-keepalive-interval (how often the server pings an idle
	// connection) and --grpc-keepalive-timeout (how long it waits for the
	// answer); zero means etcd's defaults, 5s, 2h and 20s.
	KeepAliveMinTime, KeepAliveInterval, KeepAliveTimeout time.Duration
	// EnablePprof serves Go's runtime profiles under /debug/pprof/ on the
	// client URLs (etcd: --enable-pprof).
	EnablePprof bool
}

// keepAlive is the gRPC keepalive policy, with etcd's defaults for zero
// values (etcd: embed.Config GRPCKeepAliveMinTime/Interval/Timeout).
func (cfg Config) keepAlive() (keepalive.EnforcementPolicy, keepalive.ServerParameters) {
	orDefault := func(d, def time.Duration) time.Duration {
		if d == 0 {
			return def
		}
		return d
	}
	return keepalive.EnforcementPolicy{MinTime: orDefault(cfg.KeepAliveMinTime, 5*time.Second), PermitWithoutStream: true},
		keepalive.ServerParameters{Time: orDefault(cfg.KeepAliveInterval, 2*time.Hour), Timeout: orDefault(cfg.KeepAliveTimeout, 20*time.Second)}
}

// Server serves etcd's gRPC API and its HTTP side for one daemon.
type Server struct {
	d          *daemon.Daemon
	cfg        Config
	log        *slog.Logger
	grpc       *grpc.Server
	http       *http.Server // http.go
	httpCancel context.CancelFunc
	fwd        *forwarder
	// stopLockelect closes the Lock/Election services' client to this
	// member, whose lease keep-alive stream would hold up GracefulStop.
	stopLockelect func()

	mu    sync.Mutex
	muxes []*clientMux
}

// New builds the gRPC server and registers the services.
func New(d *daemon.Daemon, cfg Config) *Server {
	if cfg.MaxRequestBytes == 0 {
		cfg.MaxRequestBytes = core.MaxRequestBytes
	}
	if cfg.MaxTxnOps == 0 {
		cfg.MaxTxnOps = core.MaxTxnOps
	}
	s := &Server{d: d, cfg: cfg, log: d.Logger()}
	s.fwd = newForwarder(d, cfg.ForwardTLS)
	opts := []grpc.ServerOption{
		grpc.MaxRecvMsgSize(cfg.MaxRequestBytes + grpcOverheadBytes),
		grpc.MaxSendMsgSize(math.MaxInt32),
		grpc.MaxConcurrentStreams(math.MaxUint32),
		grpc.UnknownServiceHandler(unknownService),
		grpc.UnaryInterceptor(s.authUnary), grpc.StreamInterceptor(s.authStream), // auth_interceptor.go
	}
	policy, params := cfg.keepAlive()
	opts = append(opts, grpc.KeepaliveEnforcementPolicy(policy), grpc.KeepaliveParams(params))
	s.grpc = grpc.NewServer(opts...) // no credentials: the mux terminates TLS
	s.newHTTPServer()
	pb.RegisterKVServer(s.grpc, kvServer{s: s})
	pb.RegisterWatchServer(s.grpc, watchServer{s: s})
	pb.RegisterLeaseServer(s.grpc, leaseServer{s: s})
	pb.RegisterClusterServer(s.grpc, clusterServer{s: s})
	pb.RegisterMaintenanceServer(s.grpc, maintenanceServer{s: s})
	pb.RegisterAuthServer(s.grpc, authServer{s: s})
	s.stopLockelect = lockelect.Register(s.grpc, d, cfg.ForwardTLS) // v3lockpb.Lock, v3electionpb.Election
	return s
}

// Listen opens the client URLs (host:port of each) and serves gRPC and
// HTTP on each in the background (mux.go). It returns the addresses in
// use (port 0 resolved).
func (s *Server) Listen(urls []string) ([]string, error) {
	var addrs []string
	for _, u := range urls {
		host := u
		if i := strings.Index(host, "://"); i >= 0 {
			host = host[i+3:]
		}
		host = strings.TrimSuffix(host, "/")
		l, err := net.Listen("tcp", host)
		if err != nil {
			s.closeListeners()
			return nil, err
		}
		m := newClientMux(l, s.cfg.TLS, s.log)
		s.mu.Lock()
		s.muxes = append(s.muxes, m)
		s.mu.Unlock()
		addrs = append(addrs, l.Addr().String())
		go func() {
			if err := s.grpc.Serve(m.grpcConns); err != nil && err != grpc.ErrServerStopped && !errors.Is(err, net.ErrClosed) {
				s.log.Error("client listener failed", "address", l.Addr().String(), "error", err)
			}
		}()
		go s.serveHTTP(m.httpConns)
		s.log.Info("serving client requests", "address", l.Addr().String(), "tls", s.cfg.TLS != nil)
	}
	return addrs, nil
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	muxes := s.muxes
	s.muxes = nil
	s.mu.Unlock()
	for _, m := range muxes {
		m.Close()
	}
}

// Stop stops accepting calls and lets running ones finish for a moment.
func (s *Server) Stop() {
	s.stopLockelect()
	s.closeListeners()
	s.stopHTTP()
	done := make(chan struct{})
	go func() { s.grpc.GracefulStop(); close(done) }()
	select {
	case <-done:
	case <-time.After(stopGrace):
		s.grpc.Stop()
	}
	s.fwd.close()
}

// do runs one request and turns both kinds of failure into etcd's status.
func (s *Server) do(ctx context.Context, req server.Request) (server.Response, error) {
	resp, err := s.doAuthed(ctx, req) // auth.go: the client's token rides along
	if err != nil {
		return resp, toGRPC(err)
	}
	if resp.Err != nil {
		return resp, toGRPC(resp.Err)
	}
	return resp, nil
}

// header is a response header as of now, for answers that do not go
// through the log (status, hashes, watch responses).
func (s *Server) header(rev int64) *pb.ResponseHeader {
	l := s.d.Live()
	if rev == 0 {
		rev = l.Revision
	}
	return &pb.ResponseHeader{ClusterId: l.ClusterID, MemberId: l.ID, Revision: rev, RaftTerm: l.Term}
}

// unknownService answers services etcdlab does not serve.
func unknownService(_ any, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	return status.Errorf(codes.Unimplemented, "etcdlab: %s is not implemented", method)
}
