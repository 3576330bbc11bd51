package api

// The Lease service (etcd: v3rpc/lease.go). Grant and revoke go through
// the log; keep-alive and time-to-live are answered by the leader's lessor
// only, so a follower forwards them to the leader (etcd forwards over the
// peer HTTP API; we dial the leader's client URL, forward.go).

import (
	"context"
	"errors"
	"io"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

type leaseServer struct {
	pb.UnimplementedLeaseServer
	s *Server
}

func (l leaseServer) LeaseGrant(ctx context.Context, r *pb.LeaseGrantRequest) (*pb.LeaseGrantResponse, error) {
	resp, err := l.s.do(ctx, server.Request{LeaseGrant: &server.LeaseGrantRequest{TTLSeconds: r.TTL, ID: lease.LeaseID(r.ID)}})
	if err != nil {
		return nil, err
	}
	g := resp.LeaseGrant
	return &pb.LeaseGrantResponse{Header: header(resp.Header), ID: int64(g.ID), TTL: g.TTLSeconds}, nil
}

func (l leaseServer) LeaseRevoke(ctx context.Context, r *pb.LeaseRevokeRequest) (*pb.LeaseRevokeResponse, error) {
	resp, err := l.s.do(ctx, server.Request{LeaseRevoke: &server.LeaseRevokeRequest{ID: lease.LeaseID(r.ID)}})
	if err != nil {
		return nil, err
	}
	return &pb.LeaseRevokeResponse{Header: header(resp.Header)}, nil
}

func (l leaseServer) LeaseLeases(ctx context.Context, r *pb.LeaseLeasesRequest) (*pb.LeaseLeasesResponse, error) {
	resp, err := l.s.do(ctx, server.Request{LeaseLeases: &server.LeaseLeasesRequest{}})
	if err != nil {
		return nil, err
	}
	out := &pb.LeaseLeasesResponse{Header: header(resp.Header)}
	for _, id := range resp.LeaseLeases.IDs {
		out.Leases = append(out.Leases, &pb.LeaseStatus{ID: int64(id)})
	}
	return out, nil
}

// LeaseTimeToLive: a lease that is gone answers TTL -1, not an error
// (etcd: v3rpc LeaseTimeToLive).
func (l leaseServer) LeaseTimeToLive(ctx context.Context, r *pb.LeaseTimeToLiveRequest) (*pb.LeaseTimeToLiveResponse, error) {
	resp, err := l.s.do(ctx, server.Request{LeaseTimeToLive: &server.LeaseTimeToLiveRequest{ID: lease.LeaseID(r.ID), Keys: r.Keys}})
	if errors.Is(err, rpctypes.ErrGRPCNotLeader) {
		return l.s.fwd.timeToLive(ctx, r)
	}
	if errors.Is(err, rpctypes.ErrGRPCLeaseNotFound) {
		return &pb.LeaseTimeToLiveResponse{Header: l.s.header(0), ID: r.ID, TTL: -1}, nil
	}
	if err != nil {
		return nil, err
	}
	t := resp.LeaseTimeToLive
	out := &pb.LeaseTimeToLiveResponse{Header: header(resp.Header), ID: int64(t.ID), TTL: t.TTLSeconds, GrantedTTL: t.GrantedTTLSeconds}
	for _, k := range t.Keys {
		out.Keys = append(out.Keys, []byte(k))
	}
	return out, nil
}

// LeaseKeepAlive answers each keep-alive of the stream in turn. A lease
// that is gone answers TTL 0 (etcd: v3rpc leaseKeepAlive).
func (l leaseServer) LeaseKeepAlive(stream pb.Lease_LeaseKeepAliveServer) error {
	for {
		req, err := stream.Recv()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		resp, err := l.keepAlive(stream.Context(), req)
		if err != nil {
			return err
		}
		if err := stream.Send(resp); err != nil {
			return err
		}
	}
}

func (l leaseServer) keepAlive(ctx context.Context, r *pb.LeaseKeepAliveRequest) (*pb.LeaseKeepAliveResponse, error) {
	resp, err := l.s.do(ctx, server.Request{LeaseKeepAlive: &server.LeaseKeepAliveRequest{ID: lease.LeaseID(r.ID)}})
	switch {
	case errors.Is(err, rpctypes.ErrGRPCNotLeader):
		return l.s.fwd.keepAlive(ctx, r)
	case errors.Is(err, rpctypes.ErrGRPCLeaseNotFound):
		return &pb.LeaseKeepAliveResponse{Header: l.s.header(0), ID: r.ID, TTL: 0}, nil
	case err != nil:
		return nil, err
	}
	return &pb.LeaseKeepAliveResponse{Header: header(resp.Header), ID: int64(resp.LeaseKeepAlive.ID), TTL: resp.LeaseKeepAlive.TTLSeconds}, nil
}
