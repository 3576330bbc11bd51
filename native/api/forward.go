package api

// Forwarding to the leader what only the leader can answer, over its
// client URL, which every member publishes through Raft (native/daemon
// attrs.go):
//
//   - lease keep-alives and time-to-live queries: the leader's lessor
//     alone knows the remaining TTLs (etcd: LeaseRenew, LeaseTimeToLive in
//     v3_server.go, over the peer HTTP API);
//   - membership changes (add, remove, update, promote): the leader alone
//     decides whether a change is safe (strict reconfig check, a learner in
//     sync), and a follower that proposed one itself would never hear the
//     refusal — its client would get a timeout. etcd forwards promote to
//     the leader for the same reason (EtcdServer.PromoteMember) and checks
//     the others locally; forwarding all four answers every refusal with
//     the leader's exact error from any member.
//
// A member that forwarded a membership change answers once it has itself
// applied what the leader had committed by then (a linearizable read:
// ReadIndex), so that a `member list` sent to it next shows the change —
// as in etcd, where the member asked answers after applying the change.
//
// A forwarded call carries forwardedKey in its metadata, and the leader
// serves it locally even if it lost leadership meanwhile: one hop, never a
// loop. A leader whose client URL is not known yet, or a leader change in
// between, is answered as etcd answers a member without a leader:
// ErrGRPCNoLeader/NotLeader for leases (clients retry); a membership
// change then falls back to proposing locally.

import (
	"context"
	"crypto/tls"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/daemon"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/metadata"
)

const (
	// forwardedKey marks a call one member forwarded to the leader.
	forwardedKey = "etcdlab-forwarded-from"
	// leaderURLTTL: how long a looked-up leader client URL is reused
	// before the member's loop is asked again.
	leaderURLTTL = time.Second
)

type forwarder struct {
	d   *daemon.Daemon
	tls *tls.Config

	mu    sync.Mutex
	conns map[string]*grpc.ClientConn // by client URL
	// The leader's client URL as last looked up, and when.
	leadID  raft.NodeID
	leadURL string
	leadAt  time.Time
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
	conn, err := f.leaderConn(l.Lead)
	if err != nil {
		return nil, rpctypes.ErrGRPCNoLeader
	}
	return pb.NewLeaseClient(conn), nil
}

// clusterLeader returns a cluster client on the leader's client URL and a
// context that marks the call as forwarded — or ok=false when this call
// is to be served here: this member leads or knows no leader, the call was
// forwarded to it already, or the leader has not published its client
// URLs yet.
func (f *forwarder) clusterLeader(ctx context.Context) (_ pb.ClusterClient, _ context.Context, ok bool) {
	if md, _ := metadata.FromIncomingContext(ctx); len(md.Get(forwardedKey)) > 0 {
		return nil, nil, false
	}
	l := f.d.Live()
	if l.Lead == 0 || uint64(l.Lead) == l.ID {
		return nil, nil, false
	}
	conn, err := f.leaderConn(l.Lead)
	if err != nil {
		return nil, nil, false
	}
	out := metadata.AppendToOutgoingContext(ctx, forwardedKey, fmt.Sprintf("%x", l.ID))
	return pb.NewClusterClient(conn), out, true
}

// forwardMember runs a membership call on the leader if this member
// should not serve it (clusterLeader), then catches up with the leader's
// commit index. forwarded is false if the call is to be served here.
func forwardMember[Req, Resp any](ctx context.Context, s *Server, r Req,
	call func(pb.ClusterClient, context.Context, Req, ...grpc.CallOption) (Resp, error)) (resp Resp, forwarded bool, err error) {
	lc, fctx, ok := s.fwd.clusterLeader(ctx)
	if !ok {
		return resp, false, nil
	}
	if resp, err = call(lc, fctx, r); err == nil {
		s.catchUpWithLeader(ctx)
	}
	return resp, true, err
}

// catchUpWithLeader waits until this member applied everything the leader
// had committed when asked: a linearizable read of one key. The change
// is made whatever happens here, so a failure is only logged.
func (s *Server) catchUpWithLeader(ctx context.Context) {
	_, err := s.do(ctx, server.Request{Range: &mvcc.RangeRequest{Key: []byte{0}, Limit: 1, CountOnly: true}})
	if err != nil {
		s.log.Debug("a forwarded membership change is applied on the leader; this member has not caught up yet", "error", err)
	}
}

// leaderConn dials the leader's first published client URL.
func (f *forwarder) leaderConn(lead raft.NodeID) (*grpc.ClientConn, error) {
	url, err := f.leaderURL(lead)
	if err != nil {
		return nil, err
	}
	return f.dial(url)
}

// leaderURL looks the leader's client URL up in the applied membership,
// at most once per leaderURLTTL for the same leader.
func (f *forwarder) leaderURL(lead raft.NodeID) (string, error) {
	f.mu.Lock()
	if f.leadID == lead && time.Since(f.leadAt) < leaderURLTTL {
		defer f.mu.Unlock()
		return f.leadURL, nil
	}
	f.mu.Unlock()
	urls := f.d.ClientURLs(lead) // asks the loop: not under f.mu
	if len(urls) == 0 {
		return "", fmt.Errorf("leader %x has not published its client URLs yet", uint64(lead))
	}
	f.mu.Lock()
	f.leadID, f.leadURL, f.leadAt = lead, urls[0], time.Now()
	f.mu.Unlock()
	return urls[0], nil
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
