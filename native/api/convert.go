package api

// Between etcd's protobuf messages (etcdserverpb, mvccpb) and the core's
// types. The core's request types mirror etcd's field for field, and its
// enums (sort order and target, compare target and result, event type)
// have etcd's numbering, so the conversions are plain copies.

import (
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/server"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
)

func header(h server.ResponseHeader) *pb.ResponseHeader {
	return &pb.ResponseHeader{ClusterId: h.ClusterID, MemberId: h.MemberID, Revision: h.Revision, RaftTerm: h.RaftTerm}
}

func fromRange(r *pb.RangeRequest) *mvcc.RangeRequest {
	return &mvcc.RangeRequest{
		Key: r.Key, RangeEnd: r.RangeEnd, Limit: r.Limit, Revision: r.Revision,
		SortOrder: mvcc.SortOrder(r.SortOrder), SortTarget: mvcc.SortTarget(r.SortTarget),
		KeysOnly: r.KeysOnly, CountOnly: r.CountOnly,
		MinModRevision: r.MinModRevision, MaxModRevision: r.MaxModRevision,
		MinCreateRevision: r.MinCreateRevision, MaxCreateRevision: r.MaxCreateRevision,
	}
}

func fromPut(r *pb.PutRequest) *mvcc.PutRequest {
	return &mvcc.PutRequest{Key: r.Key, Value: r.Value, Lease: r.Lease, PrevKV: r.PrevKv, IgnoreValue: r.IgnoreValue, IgnoreLease: r.IgnoreLease}
}

func fromDeleteRange(r *pb.DeleteRangeRequest) *mvcc.DeleteRangeRequest {
	return &mvcc.DeleteRangeRequest{Key: r.Key, RangeEnd: r.RangeEnd, PrevKV: r.PrevKv}
}

func fromTxn(r *pb.TxnRequest) *mvcc.TxnRequest {
	t := &mvcc.TxnRequest{Success: fromOps(r.Success), Failure: fromOps(r.Failure)}
	for _, c := range r.Compare {
		t.Compare = append(t.Compare, fromCompare(c))
	}
	return t
}

func fromCompare(c *pb.Compare) mvcc.Compare {
	out := mvcc.Compare{Key: c.Key, RangeEnd: c.RangeEnd, Target: mvcc.CompareTarget(c.Target), Result: mvcc.CompareResult(c.Result)}
	switch u := c.TargetUnion.(type) {
	case *pb.Compare_Version:
		out.Version = u.Version
	case *pb.Compare_CreateRevision:
		out.CreateRevision = u.CreateRevision
	case *pb.Compare_ModRevision:
		out.ModRevision = u.ModRevision
	case *pb.Compare_Value:
		out.Value = u.Value
	case *pb.Compare_Lease:
		out.Lease = u.Lease
	}
	return out
}

func fromOps(ops []*pb.RequestOp) []mvcc.Op {
	out := make([]mvcc.Op, 0, len(ops))
	for _, op := range ops {
		switch r := op.Request.(type) {
		case *pb.RequestOp_RequestRange:
			out = append(out, mvcc.Op{Range: fromRange(r.RequestRange)})
		case *pb.RequestOp_RequestPut:
			out = append(out, mvcc.Op{Put: fromPut(r.RequestPut)})
		case *pb.RequestOp_RequestDeleteRange:
			out = append(out, mvcc.Op{DeleteRange: fromDeleteRange(r.RequestDeleteRange)})
		case *pb.RequestOp_RequestTxn:
			out = append(out, mvcc.Op{Txn: fromTxn(r.RequestTxn)})
		default:
			out = append(out, mvcc.Op{}) // an empty op: the core refuses it with etcd's error
		}
	}
	return out
}

func toKV(kv mvcc.KeyValue) *mvccpb.KeyValue {
	return &mvccpb.KeyValue{
		Key: kv.Key, CreateRevision: kv.CreateRevision, ModRevision: kv.ModRevision,
		Version: kv.Version, Value: kv.Value, Lease: kv.Lease,
	}
}

func toKVPtr(kv *mvcc.KeyValue) *mvccpb.KeyValue {
	if kv == nil {
		return nil
	}
	return toKV(*kv)
}

func toKVs(kvs []mvcc.KeyValue) []*mvccpb.KeyValue {
	if len(kvs) == 0 {
		return nil
	}
	out := make([]*mvccpb.KeyValue, len(kvs))
	for i, kv := range kvs {
		out[i] = toKV(kv)
	}
	return out
}

func toRangeResponse(h *pb.ResponseHeader, r *mvcc.RangeResponse) *pb.RangeResponse {
	return &pb.RangeResponse{Header: h, Kvs: toKVs(r.Kvs), More: r.More, Count: r.Count}
}

func toPutResponse(h *pb.ResponseHeader, r *mvcc.PutResponse) *pb.PutResponse {
	return &pb.PutResponse{Header: h, PrevKv: toKVPtr(r.PrevKV)}
}

func toDeleteRangeResponse(h *pb.ResponseHeader, r *mvcc.DeleteRangeResponse) *pb.DeleteRangeResponse {
	return &pb.DeleteRangeResponse{Header: h, Deleted: r.Deleted, PrevKvs: toKVs(r.PrevKVs)}
}

// toTxnResponse converts a txn answer; nested responses carry the same
// header, as etcd's do.
func toTxnResponse(h *pb.ResponseHeader, r *mvcc.TxnResponse) *pb.TxnResponse {
	out := &pb.TxnResponse{Header: h, Succeeded: r.Succeeded}
	for _, op := range r.Responses {
		var ro pb.ResponseOp
		switch {
		case op.Range != nil:
			ro.Response = &pb.ResponseOp_ResponseRange{ResponseRange: toRangeResponse(h, op.Range)}
		case op.Put != nil:
			ro.Response = &pb.ResponseOp_ResponsePut{ResponsePut: toPutResponse(h, op.Put)}
		case op.DeleteRange != nil:
			ro.Response = &pb.ResponseOp_ResponseDeleteRange{ResponseDeleteRange: toDeleteRangeResponse(h, op.DeleteRange)}
		case op.Txn != nil:
			ro.Response = &pb.ResponseOp_ResponseTxn{ResponseTxn: toTxnResponse(h, op.Txn)}
		}
		out.Responses = append(out.Responses, &ro)
	}
	return out
}

func toEvents(evs []mvcc.Event) []*mvccpb.Event {
	if len(evs) == 0 {
		return nil
	}
	out := make([]*mvccpb.Event, len(evs))
	for i, e := range evs {
		out[i] = &mvccpb.Event{Type: mvccpb.Event_EventType(e.Type), Kv: toKV(e.Kv), PrevKv: toKVPtr(e.PrevKv)}
	}
	return out
}

func toMember(m server.MemberInfo) *pb.Member {
	return &pb.Member{ID: uint64(m.ID), Name: m.Name, PeerURLs: m.PeerURLs, ClientURLs: m.ClientURLs, IsLearner: m.IsLearner}
}

func toMembers(ms []server.MemberInfo) []*pb.Member {
	out := make([]*pb.Member, len(ms))
	for i, m := range ms {
		out[i] = toMember(m)
	}
	return out
}
