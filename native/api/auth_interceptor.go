package api

// The auth checks that wrap calls rather than requests (etcd: the
// authMaintenanceServer of v3rpc/maintenance.go and isWatchPermitted in
// v3rpc/watch.go). Every call passes here:
//
//	the client's token ─> also into the outgoing metadata, so that a call
//	                      this member forwards to the leader (lease
//	                      keep-alives, membership changes: forward.go)
//	                      carries it and is checked there as well
//	Defragment, Hash, HashKV, Snapshot ─> root only
//	Watch: each create request ─> READ on its range, or the watcher is
//	                              created canceled with "permission denied"
//
// As in etcd, Status, MoveLeader, Alarm and Compact need no root, and
// MemberList no user. Everything else the member checks itself (core/
// server auth_check.go) from the token each request carries (doAuthed).

import (
	"context"
	"sync"

	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc"
	"google.golang.org/grpc/metadata"
)

// adminMethods are the calls only root may make while auth is enabled.
var adminMethods = map[string]bool{
	"/etcdserverpb.Maintenance/Defragment": true,
	"/etcdserverpb.Maintenance/Hash":       true,
	"/etcdserverpb.Maintenance/HashKV":     true,
	"/etcdserverpb.Maintenance/Snapshot":   true,
}

const watchMethod = "/etcdserverpb.Watch/Watch"

// authUnary is the unary interceptor.
func (s *Server) authUnary(ctx context.Context, req any, info *grpc.UnaryServerInfo, handler grpc.UnaryHandler) (any, error) {
	if err := s.learnerRefusesUnary(req); err != nil { // learner.go
		return nil, err
	}
	ctx = passTokenOn(ctx)
	if adminMethods[info.FullMethod] {
		if err := s.checkAuth(ctx, server.AuthCheckRequest{Admin: true}); err != nil {
			return nil, err
		}
	}
	return handler(ctx, req)
}

// authStream is the stream interceptor.
func (s *Server) authStream(srv any, ss grpc.ServerStream, info *grpc.StreamServerInfo, handler grpc.StreamHandler) error {
	if err := s.learnerRefusesStream(info.FullMethod); err != nil { // learner.go
		return err
	}
	ctx := passTokenOn(ss.Context())
	if adminMethods[info.FullMethod] {
		if err := s.checkAuth(ctx, server.AuthCheckRequest{Admin: true}); err != nil {
			return err
		}
	}
	return handler(srv, &authedStream{ServerStream: ss, ctx: ctx, s: s, watch: info.FullMethod == watchMethod})
}

// passTokenOn copies the client's token into the outgoing metadata.
func passTokenOn(ctx context.Context) context.Context {
	if token := tokenOf(ctx); token != "" {
		return metadata.AppendToOutgoingContext(ctx, rpctypes.TokenFieldNameGRPC, token)
	}
	return ctx
}

// authedStream is a server stream whose context passes the token on and,
// for Watch, whose create requests are checked as they arrive. Sends are
// serialized: a refused create is answered from the receiving goroutine
// while the handler sends from its own.
type authedStream struct {
	grpc.ServerStream
	ctx   context.Context
	s     *Server
	watch bool

	sendMu sync.Mutex
}

func (a *authedStream) Context() context.Context { return a.ctx }

func (a *authedStream) SendMsg(m any) error {
	a.sendMu.Lock()
	defer a.sendMu.Unlock()
	return a.ServerStream.SendMsg(m)
}

// RecvMsg hands the handler the next request; a watch create the user may
// not read is answered here, created and canceled at once, and skipped.
func (a *authedStream) RecvMsg(m any) error {
	for {
		if err := a.ServerStream.RecvMsg(m); err != nil {
			return err
		}
		req, ok := m.(*pb.WatchRequest)
		if !a.watch || !ok {
			return nil
		}
		c := req.GetCreateRequest()
		if c == nil || a.watchPermitted(c) {
			return nil
		}
		refusal := &pb.WatchResponse{
			Header: a.s.header(0), WatchId: c.WatchId, Created: true, Canceled: true,
			CancelReason: rpctypes.ErrGRPCPermissionDenied.Error(),
		}
		if err := a.SendMsg(refusal); err != nil {
			return err
		}
	}
}

// watchPermitted: READ on the watched range (etcd answers any failure,
// a bad token included, as permission denied).
func (a *authedStream) watchPermitted(c *pb.WatchCreateRequest) bool {
	key := c.Key
	if len(key) == 0 {
		key = []byte{0}
	}
	return a.s.checkAuth(a.ctx, server.AuthCheckRequest{Key: key, RangeEnd: c.RangeEnd}) == nil
}
