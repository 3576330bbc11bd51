package api

// Server is the gRPC front of one member: etcd's v3 services on the
// client URLs, each call turned into daemon requests.

import (
	"context"
	"crypto/tls"
	"log/slog"
	"math"
	"net"
	"strings"
	"sync"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/daemon"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/credentials"
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
	// TLS serves https client URLs; nil serves plain http.
	TLS *tls.Config
	// ForwardTLS dials other members' https client URLs (lease forwarding).
	ForwardTLS *tls.Config
	// KeepAliveMinTime, KeepAliveInterval and KeepAliveTimeout are etcd's
	// --grpc-keepalive-min-time (a client pinging more often is sent away),
	// --grpc-keepalive-interval (how often the server pings an idle
	// connection) and --grpc-keepalive-timeout (how long it waits for the
	// answer); zero means etcd's defaults, 5s, 2h and 20s.
	KeepAliveMinTime, KeepAliveInterval, KeepAliveTimeout time.Duration
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

// Server serves etcd's gRPC API for one daemon.
type Server struct {
	d    *daemon.Daemon
	cfg  Config
	log  *slog.Logger
	grpc *grpc.Server
	fwd  *forwarder

	mu        sync.Mutex
	listeners []net.Listener
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
	if cfg.TLS != nil {
		opts = append(opts, grpc.Creds(credentials.NewTLS(cfg.TLS)))
	}
	s.grpc = grpc.NewServer(opts...)
	pb.RegisterKVServer(s.grpc, kvServer{s: s})
	pb.RegisterWatchServer(s.grpc, watchServer{s: s})
	pb.RegisterLeaseServer(s.grpc, leaseServer{s: s})
	pb.RegisterClusterServer(s.grpc, clusterServer{s: s})
	pb.RegisterMaintenanceServer(s.grpc, maintenanceServer{s: s})
	pb.RegisterAuthServer(s.grpc, authServer{s: s})
	return s
}

// Listen opens the client URLs (host:port of each) and serves them in the
// background. It returns the addresses in use (port 0 resolved).
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
		s.mu.Lock()
		s.listeners = append(s.listeners, l)
		s.mu.Unlock()
		addrs = append(addrs, l.Addr().String())
		go func() {
			if err := s.grpc.Serve(l); err != nil && err != grpc.ErrServerStopped {
				s.log.Error("client listener failed", "address", l.Addr().String(), "error", err)
			}
		}()
		s.log.Info("serving client requests", "address", l.Addr().String(), "tls", s.cfg.TLS != nil)
	}
	return addrs, nil
}

func (s *Server) closeListeners() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, l := range s.listeners {
		l.Close()
	}
	s.listeners = nil
}

// Stop stops accepting calls and lets running ones finish for a moment.
func (s *Server) Stop() {
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

// unknownService answers services etcdlab does not serve yet.
func unknownService(_ any, stream grpc.ServerStream) error {
	method, _ := grpc.MethodFromServerStream(stream)
	return status.Errorf(codes.Unimplemented, "etcdlab: %s is not implemented yet (the Lock and Election helper services are not served)", method)
}
