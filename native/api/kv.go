package api

// The KV service (etcd: v3rpc/key.go): Range, Put, DeleteRange, Txn and
// Compact, each one server.Request through the daemon's loop.

import (
	"context"

	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
)

type kvServer struct {
	pb.UnimplementedKVServer
	s *Server
}

func (k kvServer) Range(ctx context.Context, r *pb.RangeRequest) (*pb.RangeResponse, error) {
	resp, err := k.s.do(ctx, server.Request{Range: fromRange(r), Serializable: r.Serializable})
	if err != nil {
		return nil, err
	}
	return toRangeResponse(header(resp.Header), resp.Range), nil
}

func (k kvServer) Put(ctx context.Context, r *pb.PutRequest) (*pb.PutResponse, error) {
	resp, err := k.s.do(ctx, server.Request{Put: fromPut(r)})
	if err != nil {
		return nil, err
	}
	return toPutResponse(header(resp.Header), resp.Put), nil
}

func (k kvServer) DeleteRange(ctx context.Context, r *pb.DeleteRangeRequest) (*pb.DeleteRangeResponse, error) {
	resp, err := k.s.do(ctx, server.Request{DeleteRange: fromDeleteRange(r)})
	if err != nil {
		return nil, err
	}
	return toDeleteRangeResponse(header(resp.Header), resp.DeleteRange), nil
}

func (k kvServer) Txn(ctx context.Context, r *pb.TxnRequest) (*pb.TxnResponse, error) {
	if err := k.s.checkTxnOps(r); err != nil {
		return nil, err
	}
	resp, err := k.s.do(ctx, server.Request{Txn: fromTxn(r), Serializable: serializableTxn(r)})
	if err != nil {
		return nil, err
	}
	return toTxnResponse(header(resp.Header), resp.Txn), nil
}

func (k kvServer) Compact(ctx context.Context, r *pb.CompactionRequest) (*pb.CompactionResponse, error) {
	resp, err := k.s.do(ctx, server.Request{Compaction: &server.CompactionRequest{Revision: r.Revision, Physical: r.Physical}})
	if err != nil {
		return nil, err
	}
	return &pb.CompactionResponse{Header: header(resp.Header)}, nil
}

// checkTxnOps refuses a txn with more compares, or more operations in a
// branch, than --max-txn-ops before it goes to the member (etcd: v3rpc
// checkTxnRequest); the core counts nested txns too, against the same flag.
func (s *Server) checkTxnOps(r *pb.TxnRequest) error {
	n := s.cfg.MaxTxnOps
	if len(r.Compare) > n || len(r.Success) > n || len(r.Failure) > n {
		return rpctypes.ErrGRPCTooManyOps
	}
	return nil
}

// serializableTxn: a txn of serializable ranges only (etcd: isTxnSerializable).
func serializableTxn(r *pb.TxnRequest) bool {
	for _, ops := range [][]*pb.RequestOp{r.Success, r.Failure} {
		for _, op := range ops {
			rr := op.GetRequestRange()
			if rr == nil || !rr.Serializable {
				return false
			}
		}
	}
	return true
}
