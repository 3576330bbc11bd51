package api

// Forwarding lease keep-alives and time-to-live queries from a follower to
// the leader, whose lessor alone answers them. etcd forwards them over the
// peer HTTP API (LeaseRenew, LeaseTimeToLive in v3_server.go); etcdlab
// dials the leader's client URL, as the leader announced it
// (native/daemon attrs.go), and asks the same gRPC service there. A leader
// whose URL is not known yet, or a leader change in between, is answered
// as etcd answers a member without a leader: ErrGRPCNoLeader/NotLeader,
// which clients retry.

import (
	"context"
	"crypto/tls"
	"strings"
	"sync"

	"github.com/etcdlab/etcdlab/native/daemon"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
)

type forwarder struct {
	d   *daemon.Daemon
	tls *tls.Config

	mu    sync.Mutex
	conns map[string]*grpc.ClientConn // by client URL
}

func newForwarder(d *daemon.Daemon, tc *tls.Config) *forwarder {
	return &forwarder{d: d, tls: tc, conns: map[string]*grpc.ClientConn{}}
}

// leader returns a lease client on the leader's first client URL.
func (f *forwarder) leader() (pb.LeaseClient, error) {
	l := f.d.Live()
	if l.Lead == 0 {
		return nil, rpctypes.ErrGRPCNoLeader
	}
	if uint64(l.Lead) == l.ID {
		return nil, rpctypes.ErrGRPCNotLeader // we were leader a moment ago and are not now
	}
	urls := f.d.ClientURLs(l.Lead)
	if len(urls) == 0 {
		return nil, rpctypes.ErrGRPCNoLeader
	}
	conn, err := f.dial(urls[0])
	if err != nil {
		return nil, rpctypes.ErrGRPCNoLeader
	}
	return pb.NewLeaseClient(conn), nil
}

func (f *forwarder) dial(url string) (*grpc.ClientConn, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if c, ok := f.conns[url]; ok {
		return c, nil
	}
	target, creds := url, insecure.NewCredentials()
	if strings.HasPrefix(url, "https://") {
		creds = credentials.NewTLS(f.tls)
	}
	if i := strings.Index(target, "://"); i >= 0 {
		target = target[i+3:]
	}
	c, err := grpc.Dial(target, grpc.WithTransportCredentials(creds))
	if err != nil {
		return nil, err
	}
	f.conns[url] = c
	return c, nil
}

func (f *forwarder) keepAlive(ctx context.Context, r *pb.LeaseKeepAliveRequest) (*pb.LeaseKeepAliveResponse, error) {
	lc, err := f.leader()
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stream, err := lc.LeaseKeepAlive(ctx)
	if err != nil {
		return nil, err
	}
	if err := stream.Send(r); err != nil {
		return nil, err
	}
	return stream.Recv()
}

func (f *forwarder) timeToLive(ctx context.Context, r *pb.LeaseTimeToLiveRequest) (*pb.LeaseTimeToLiveResponse, error) {
	lc, err := f.leader()
	if err != nil {
		return nil, err
	}
	return lc.LeaseTimeToLive(ctx, r)
}

func (f *forwarder) close() {
	f.mu.Lock()
	defer f.mu.Unlock()
	for _, c := range f.conns {
		c.Close()
	}
	f.conns = map[string]*grpc.ClientConn{}
}
