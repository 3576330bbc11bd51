package api

// The Cluster service (etcd: v3rpc/member.go): membership changes go
// through Raft as conf changes, proposed by the leader — a follower
// forwards them there (forward.go) so that a refusal comes back from any
// member; the list is this member's, with the client URLs the members
// published through Raft (native/daemon attrs.go).

import (
	"context"
	"strconv"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc/metadata"
)

type clusterServer struct {
	pb.UnimplementedClusterServer
	s *Server
}

// MemberAdd adds a member. Its ID is etcd's: a hash of the peer URLs, the
// cluster token and the time of the request (etcd: membership.NewMember
// with time.Now() in v3rpc's MemberAdd), so that the same peer URLs added
// again after a removal get a new ID. The time is read by the member the
// client asked and travels with a forwarded call (addedAtKey), so that the
// ID does not depend on which member proposes the change. The new process
// learns its ID from a member's GET /members (native/daemon discover.go).
func (c clusterServer) MemberAdd(ctx context.Context, r *pb.MemberAddRequest) (*pb.MemberAddResponse, error) {
	if err := checkPeerURLs(r.PeerURLs); err != nil {
		return nil, err
	}
	at := addedAt(ctx, time.Now())
	if resp, ok, err := forwardMember(outgoingAddedAt(ctx, at), c.s, r, pb.ClusterClient.MemberAdd); ok {
		return resp, err
	}
	add := &server.MemberAddRequest{PeerURLs: r.PeerURLs, IsLearner: r.IsLearner, AddedAtUnixSeconds: at}
	resp, err := c.s.do(ctx, server.Request{MemberAdd: add})
	if err != nil {
		return nil, err
	}
	m := resp.Members
	return &pb.MemberAddResponse{Header: header(resp.Header), Member: toMember(*m.Member), Members: c.members(m.Members)}, nil
}

// addedAtKey carries a forwarded member add's time, in Unix seconds.
const addedAtKey = "etcdlab-member-added-at"

// addedAt is the time of a member add: the one a forwarding member sent,
// or now on the member the client asked.
func addedAt(ctx context.Context, now time.Time) int64 {
	md, _ := metadata.FromIncomingContext(ctx)
	if vs := md.Get(addedAtKey); len(vs) == 1 && len(md.Get(forwardedKey)) > 0 {
		if at, err := strconv.ParseInt(vs[0], 10, 64); err == nil && at > 0 {
			return at
		}
	}
	return now.Unix()
}

// outgoingAddedAt puts the time of a member add into the metadata of a
// call that forwards it.
func outgoingAddedAt(ctx context.Context, at int64) context.Context {
	return metadata.AppendToOutgoingContext(ctx, addedAtKey, strconv.FormatInt(at, 10))
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
