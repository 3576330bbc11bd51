package ctl

// The fields format: one `"Name" : value` line per field, strings quoted Go
// style, so that grep and awk can pick a field without a JSON parser. A
// previous pair's fields are prefixed "Prev".

import (
	"fmt"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

func (p *Printer) fieldsKV(prefix string, kv *mvccpb.KeyValue) {
	p.printf("\"%sKey\" : %q\n", prefix, string(kv.Key))
	p.printf("\"%sCreateRevision\" : %d\n", prefix, kv.CreateRevision)
	p.printf("\"%sModRevision\" : %d\n", prefix, kv.ModRevision)
	p.printf("\"%sVersion\" : %d\n", prefix, kv.Version)
	p.printf("\"%sValue\" : %q\n", prefix, string(kv.Value))
	p.printf("\"%sLease\" : %d\n", prefix, kv.Lease)
}

// fieldsHeader prints a response header; an answer without one (an empty
// alarm list from etcd 3.4) prints none.
func (p *Printer) fieldsHeader(h *pb.ResponseHeader) {
	if h == nil {
		return
	}
	p.println(`"ClusterID" :`, h.ClusterId)
	p.println(`"MemberID" :`, h.MemberId)
	p.println(`"Revision" :`, h.Revision)
	p.println(`"RaftTerm" :`, h.RaftTerm)
}

func (p *Printer) fieldsPut(r *clientv3.PutResponse) {
	p.fieldsHeader(r.Header)
	if r.PrevKv != nil {
		p.fieldsKV("Prev", r.PrevKv)
	}
}

func (p *Printer) fieldsGet(r *clientv3.GetResponse) {
	p.fieldsHeader(r.Header)
	for _, kv := range r.Kvs {
		p.fieldsKV("", kv)
	}
	p.println(`"More" :`, r.More)
	p.println(`"Count" :`, r.Count)
}

func (p *Printer) fieldsDel(r *clientv3.DeleteResponse) {
	p.fieldsHeader(r.Header)
	p.println(`"Deleted" :`, r.Deleted)
	for _, kv := range r.PrevKvs {
		p.fieldsKV("Prev", kv)
	}
}

func (p *Printer) fieldsTxn(r *clientv3.TxnResponse) {
	p.fieldsHeader(r.Header)
	p.println(`"Succeeded" :`, r.Succeeded)
	for _, op := range r.Responses {
		switch v := op.Response.(type) {
		case *pb.ResponseOp_ResponsePut:
			p.fieldsPut((*clientv3.PutResponse)(v.ResponsePut))
		case *pb.ResponseOp_ResponseRange:
			p.fieldsGet((*clientv3.GetResponse)(v.ResponseRange))
		case *pb.ResponseOp_ResponseDeleteRange:
			p.fieldsDel((*clientv3.DeleteResponse)(v.ResponseDeleteRange))
		default:
			p.printf("\"Unknown\" : %q\n", fmt.Sprintf("%+v", v))
		}
	}
}

func (p *Printer) fieldsWatch(r clientv3.WatchResponse) {
	p.fieldsHeader(&r.Header)
	for _, ev := range r.Events {
		p.println(`"Type" :`, ev.Type)
		if ev.PrevKv != nil {
			p.fieldsKV("Prev", ev.PrevKv)
		}
		p.fieldsKV("", ev.Kv)
	}
}

func (p *Printer) fieldsGrant(r *clientv3.LeaseGrantResponse) {
	p.fieldsHeader(r.ResponseHeader)
	p.println(`"ID" :`, r.ID)
	p.println(`"TTL" :`, r.TTL)
}

func (p *Printer) fieldsKeepAlive(r *clientv3.LeaseKeepAliveResponse) {
	p.fieldsHeader(r.ResponseHeader)
	p.println(`"ID" :`, r.ID)
	p.println(`"TTL" :`, r.TTL)
}

func (p *Printer) fieldsTimeToLive(r *clientv3.LeaseTimeToLiveResponse) {
	p.fieldsHeader(r.ResponseHeader)
	p.println(`"ID" :`, r.ID)
	p.println(`"TTL" :`, r.TTL)
	p.println(`"GrantedTTL" :`, r.GrantedTTL)
	for _, k := range r.Keys {
		p.printf("\"Key\" : %q\n", string(k))
	}
}

func (p *Printer) fieldsLeases(r *clientv3.LeaseLeasesResponse) {
	p.fieldsHeader(r.ResponseHeader)
	for _, l := range r.Leases {
		p.println(`"ID" :`, l.ID)
	}
}

// fieldsMemberList: one block per member, each ending in an empty line.
func (p *Printer) fieldsMemberList(r *clientv3.MemberListResponse) {
	p.fieldsHeader(r.Header)
	for _, m := range r.Members {
		p.println(`"ID" :`, m.ID)
		p.printf("\"Name\" : %q\n", m.Name)
		for _, u := range m.PeerURLs {
			p.printf("\"PeerURL\" : %q\n", u)
		}
		for _, u := range m.ClientURLs {
			p.printf("\"ClientURL\" : %q\n", u)
		}
		p.println(`"IsLearner" :`, m.IsLearner)
		p.println()
	}
}

func (p *Printer) fieldsHealth(hs []EndpointHealth) {
	for _, h := range hs {
		p.printf("\"Endpoint\" : %q\n", h.Ep)
		p.println(`"Health" :`, h.Health)
		p.println(`"Took" :`, h.Took)
		p.println(`"Error" :`, h.Error)
		p.println()
	}
}

func (p *Printer) fieldsStatus(ss []EndpointStatus) {
	for _, s := range ss {
		p.fieldsHeader(s.Resp.Header)
		p.printf("\"Version\" : %q\n", s.Resp.Version)
		p.println(`"DBSize" :`, s.Resp.DbSize)
		p.println(`"Leader" :`, s.Resp.Leader)
		p.println(`"IsLearner" :`, s.Resp.IsLearner)
		p.println(`"RaftIndex" :`, s.Resp.RaftIndex)
		p.println(`"RaftTerm" :`, s.Resp.RaftTerm)
		p.println(`"RaftAppliedIndex" :`, s.Resp.RaftAppliedIndex)
		p.println(`"Errors" :`, s.Resp.Errors)
		p.printf("\"Endpoint\" : %q\n", s.Ep)
		p.println()
	}
}

func (p *Printer) fieldsHashKV(hs []EndpointHashKV) {
	for _, h := range hs {
		p.fieldsHeader(h.Resp.Header)
		p.printf("\"Endpoint\" : %q\n", h.Ep)
		p.println(`"Hash" :`, h.Resp.Hash)
		p.println()
	}
}

func (p *Printer) fieldsAlarm(r *clientv3.AlarmResponse) {
	p.fieldsHeader(r.Header)
	for _, a := range r.Alarms {
		p.println(`"MemberID" :`, a.MemberID)
		p.println(`"AlarmType" :`, a.Alarm)
		p.println()
	}
}

func (p *Printer) fieldsSnapshot(s SnapshotStatus) {
	p.println(`"Hash" :`, s.Hash)
	p.println(`"Revision" :`, s.Revision)
	p.println(`"Keys" :`, s.TotalKey)
	p.println(`"Size" :`, s.TotalSize)
}
