package api

// The Maintenance service (etcd: v3rpc/maintenance.go): status, alarms,
// hashes, defragmentation, the backend snapshot stream and leadership
// transfer. Status, hashes and defragment concern this member only.

import (
	"context"
	"io"
	"net/url"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

// Version is what Status reports: the etcd API version etcdlab speaks.
const Version = "3.5.0"

// snapshotChunkBytes: etcd sends the snapshot in 32 KiB messages.
const snapshotChunkBytes = 32 * 1024

type maintenanceServer struct {
	pb.UnimplementedMaintenanceServer
	s *Server
}

func (m maintenanceServer) Status(ctx context.Context, r *pb.StatusRequest) (*pb.StatusResponse, error) {
	st, err := m.s.d.Status(ctx)
	if err != nil {
		return nil, toGRPC(err)
	}
	return &pb.StatusResponse{
		Header: m.s.header(st.Revision), Version: Version, DbSize: st.DBSize, DbSizeInUse: st.DBSizeInUse,
		Leader: uint64(st.Lead), RaftIndex: st.RaftIndex, RaftTerm: st.Term, RaftAppliedIndex: st.AppliedIndex,
		Errors: st.Errors, IsLearner: st.IsLearner,
	}, nil
}

func (m maintenanceServer) Alarm(ctx context.Context, r *pb.AlarmRequest) (*pb.AlarmResponse, error) {
	req := &server.AlarmRequest{Action: server.AlarmAction(r.Action), MemberID: raft.NodeID(r.MemberID), Alarm: server.AlarmType(r.Alarm)}
	resp, err := m.s.do(ctx, server.Request{Alarm: req})
	if err != nil {
		return nil, err
	}
	out := &pb.AlarmResponse{Header: header(resp.Header)}
	for _, a := range resp.Alarm.Alarms {
		out.Alarms = append(out.Alarms, &pb.AlarmMember{MemberID: uint64(a.MemberID), Alarm: pb.AlarmType(a.Alarm)})
	}
	return out, nil
}

func (m maintenanceServer) Defragment(ctx context.Context, r *pb.DefragmentRequest) (*pb.DefragmentResponse, error) {
	if err := m.s.d.Defrag(ctx); err != nil {
		return nil, toGRPC(err)
	}
	return &pb.DefragmentResponse{Header: m.s.header(0)}, nil
}

func (m maintenanceServer) Hash(ctx context.Context, r *pb.HashRequest) (*pb.HashResponse, error) {
	h, rev, err := m.s.d.Hash(ctx)
	if err != nil {
		return nil, toGRPC(err)
	}
	return &pb.HashResponse{Header: m.s.header(rev), Hash: h}, nil
}

func (m maintenanceServer) HashKV(ctx context.Context, r *pb.HashKVRequest) (*pb.HashKVResponse, error) {
	h, compactRev, rev, err := m.s.d.HashKV(ctx, r.Revision)
	if err != nil {
		return nil, toGRPC(err)
	}
	return &pb.HashKVResponse{Header: m.s.header(rev), Hash: h, CompactRevision: compactRev}, nil
}

func (m maintenanceServer) MoveLeader(ctx context.Context, r *pb.MoveLeaderRequest) (*pb.MoveLeaderResponse, error) {
	if err := m.s.d.MoveLeader(ctx, raft.NodeID(r.TargetID)); err != nil {
		return nil, toGRPC(err)
	}
	return &pb.MoveLeaderResponse{Header: m.s.header(0)}, nil
}

// Snapshot streams the backend file and its SHA-256 trailer in chunks.
// RemainingBytes counts down from the file size at the start (the file
// may grow meanwhile; etcd's count has the same approximation).
func (m maintenanceServer) Snapshot(r *pb.SnapshotRequest, stream pb.Maintenance_SnapshotServer) error {
	ctx := stream.Context()
	st, err := m.s.d.Status(ctx)
	if err != nil {
		return toGRPC(err)
	}
	pr, pw := io.Pipe()
	go func() {
		_, err := m.s.d.Snapshot(ctx, pw)
		pw.CloseWithError(err)
	}()
	defer pr.Close()
	remaining := st.DBSize + 32 // the sha256 trailer
	buf := make([]byte, snapshotChunkBytes)
	for {
		n, err := io.ReadFull(pr, buf)
		if n > 0 {
			remaining = max(0, remaining-int64(n))
			resp := &pb.SnapshotResponse{Header: m.s.header(st.Revision), RemainingBytes: uint64(remaining), Blob: append([]byte(nil), buf[:n]...)}
			if serr := stream.Send(resp); serr != nil {
				return serr
			}
		}
		switch err {
		case nil:
		case io.EOF, io.ErrUnexpectedEOF:
			return nil
		default:
			return toGRPC(err)
		}
	}
}

func (m maintenanceServer) Downgrade(ctx context.Context, r *pb.DowngradeRequest) (*pb.DowngradeResponse, error) {
	return nil, rpctypes.ErrGRPCNotCapable
}

func validURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "http" || u.Scheme == "https") && u.Host != ""
}
