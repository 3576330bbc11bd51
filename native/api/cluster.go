package api

// The Cluster service (etcd: v3rpc/member.go): membership changes go
// through Raft as conf changes, proposed by the leader — a follower
// forwards them there (forward.go) so that a refusal comes back from any
// member; the list is this member's, with the client URLs the members
// published through Raft (native/daemon attrs.go).

import (
	"context"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

type clusterServer struct {
	pb.UnimplementedClusterServer
	s *Server
}

// MemberAdd adds a member. Its ID is etcd's formula without the time
// (native/daemon doc.go, deviations), so that the new member, started
// with the same peer URLs and token, knows its own ID.
func (c clusterServer) MemberAdd(ctx context.Context, r *pb.MemberAddRequest) (*pb.MemberAddResponse, error) {
	if err := checkPeerURLs(r.PeerURLs); err != nil {
		return nil, err
	}
	if resp, ok, err := forwardMember(ctx, c.s, r, pb.ClusterClient.MemberAdd); ok {
		return resp, err
	}
	resp, err := c.s.do(ctx, server.Request{MemberAdd: &server.MemberAddRequest{PeerURLs: r.PeerURLs, IsLearner: r.IsLearner}})
	if err != nil {
		return nil, err
	}
	m := resp.Members
	return &pb.MemberAddResponse{Header: header(resp.Header), Member: toMember(*m.Member), Members: c.members(m.Members)}, nil
}

func (c clusterServer) MemberRemove(ctx context.Context, r *pb.MemberRemoveRequest) (*pb.MemberRemoveResponse, error) {
	if resp, ok, err := forwardMember(ctx, c.s, r, pb.ClusterClient.MemberRemove); ok {
		return resp, err
	}
	resp, err := c.s.do(ctx, server.Request{MemberRemove: &server.MemberRemoveRequest{ID: raft.NodeID(r.ID)}})
	if err != nil {
		return nil, err
	}
	return &pb.MemberRemoveResponse{Header: header(resp.Header), Members: c.members(resp.Members.Members)}, nil
}

func (c clusterServer) MemberUpdate(ctx context.Context, r *pb.MemberUpdateRequest) (*pb.MemberUpdateResponse, error) {
	if err := checkPeerURLs(r.PeerURLs); err != nil {
		return nil, err
	}
	if resp, ok, err := forwardMember(ctx, c.s, r, pb.ClusterClient.MemberUpdate); ok {
		return resp, err
	}
	resp, err := c.s.do(ctx, server.Request{MemberUpdate: &server.MemberUpdateRequest{ID: raft.NodeID(r.ID), PeerURLs: r.PeerURLs}})
	if err != nil {
		return nil, err
	}
	return &pb.MemberUpdateResponse{Header: header(resp.Header), Members: c.members(resp.Members.Members)}, nil
}

func (c clusterServer) MemberPromote(ctx context.Context, r *pb.MemberPromoteRequest) (*pb.MemberPromoteResponse, error) {
	if resp, ok, err := forwardMember(ctx, c.s, r, pb.ClusterClient.MemberPromote); ok {
		return resp, err
	}
	resp, err := c.s.do(ctx, server.Request{MemberPromote: &server.MemberPromoteRequest{ID: raft.NodeID(r.ID)}})
	if err != nil {
		return nil, err
	}
	return &pb.MemberPromoteResponse{Header: header(resp.Header), Members: c.members(resp.Members.Members)}, nil
}

func (c clusterServer) MemberList(ctx context.Context, r *pb.MemberListRequest) (*pb.MemberListResponse, error) {
	resp, err := c.s.do(ctx, server.Request{MemberList: &server.MemberListRequest{}})
	if err != nil {
		return nil, err
	}
	return &pb.MemberListResponse{Header: header(resp.Header), Members: c.members(resp.Members.Members)}, nil
}

func (c clusterServer) members(ms []server.MemberInfo) []*pb.Member { return toMembers(ms) }

// checkPeerURLs: etcd refuses URLs that do not parse as http(s)://host:port.
func checkPeerURLs(urls []string) error {
	if len(urls) == 0 {
		return rpctypes.ErrGRPCMemberBadURLs
	}
	for _, u := range urls {
		if !validURL(u) {
			return rpctypes.ErrGRPCMemberBadURLs
		}
	}
	return nil
}
