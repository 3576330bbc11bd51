package ctl

// The simple format: what a person reads. A key-value pair is two lines,
// key then value (--hex writes every byte as \xNN; --print-value-only drops
// the key line); list-like answers are one comma-separated row per item.

import (
	"fmt"
	"strings"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// hexBytes writes each byte as \xNN, as etcdctl --hex does.
func hexBytes(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		fmt.Fprintf(&sb, "\\x%02x", c)
	}
	return sb.String()
}

func (p *Printer) simpleKV(kv *mvccpb.KeyValue) {
	key, value := string(kv.Key), string(kv.Value)
	if p.Hex {
		key, value = hexBytes(kv.Key), hexBytes(kv.Value)
	}
	if !p.ValueOnly {
		p.println(key)
	}
	p.println(value)
}

func (p *Printer) simplePut(r *clientv3.PutResponse) {
	p.println("OK")
	if r.PrevKv != nil {
		p.simpleKV(r.PrevKv)
	}
}

func (p *Printer) simpleGet(r *clientv3.GetResponse) {
	for _, kv := range r.Kvs {
		p.simpleKV(kv)
	}
}

func (p *Printer) simpleDel(r *clientv3.DeleteResponse) {
	p.println(r.Deleted)
	for _, kv := range r.PrevKvs {
		p.simpleKV(kv)
	}
}

// simpleTxn: SUCCESS or FAILURE, then each answer after an empty line.
func (p *Printer) simpleTxn(r *clientv3.TxnResponse) {
	if r.Succeeded {
		p.println("SUCCESS")
	} else {
		p.println("FAILURE")
	}
	for _, op := range r.Responses {
		p.println()
		switch v := op.Response.(type) {
		case *pb.ResponseOp_ResponsePut:
			p.simplePut((*clientv3.PutResponse)(v.ResponsePut))
		case *pb.ResponseOp_ResponseRange:
			p.simpleGet((*clientv3.GetResponse)(v.ResponseRange))
		case *pb.ResponseOp_ResponseDeleteRange:
			p.simpleDel((*clientv3.DeleteResponse)(v.ResponseDeleteRange))
		default:
			p.printf("unexpected response %+v\n", op)
		}
	}
}

// simpleWatch: per event its type, the previous pair (--prev-kv), the pair.
func (p *Printer) simpleWatch(r clientv3.WatchResponse) {
	for _, ev := range r.Events {
		p.println(ev.Type)
		if ev.PrevKv != nil {
			p.simpleKV(ev.PrevKv)
		}
		p.simpleKV(ev.Kv)
	}
}

func (p *Printer) simpleGrant(r *clientv3.LeaseGrantResponse) {
	p.printf("lease %016x granted with TTL(%ds)\n", r.ID, r.TTL)
}

// simpleTimeToLive: a lease the server no longer knows answers TTL -1 with
// no granted TTL; etcd reports it as expired.
func (p *Printer) simpleTimeToLive(r *clientv3.LeaseTimeToLiveResponse, keys bool) {
	if r.GrantedTTL == 0 && r.TTL == -1 {
		p.printf("lease %016x already expired\n", r.ID)
		return
	}
	line := fmt.Sprintf("lease %016x granted with TTL(%ds), remaining(%ds)", r.ID, r.GrantedTTL, r.TTL)
	if keys {
		names := make([]string, len(r.Keys))
		for i, k := range r.Keys {
			names[i] = string(k)
		}
		line += fmt.Sprintf(", attached keys(%v)", names)
	}
	p.println(line)
}

func (p *Printer) simpleLeases(r *clientv3.LeaseLeasesResponse) {
	p.printf("found %d leases\n", len(r.Leases))
	for _, l := range r.Leases {
		p.printf("%016x\n", l.ID)
	}
}

// simpleAlarm prints each alarm in protobuf's compact text form
// ("memberID:... alarm:NOSPACE "), as etcdctl's %+v does.
func (p *Printer) simpleAlarm(r *clientv3.AlarmResponse) {
	for _, a := range r.Alarms {
		p.printf("%+v\n", a)
	}
}

// simpleHealth: healthy endpoints to Out, unhealthy ones to Err.
func (p *Printer) simpleHealth(hs []EndpointHealth) {
	for _, h := range hs {
		if h.Error == "" {
			p.printf("%s is healthy: successfully committed proposal: took = %v\n", h.Ep, h.Took)
		} else {
			fmt.Fprintf(p.Err, "%s is unhealthy: failed to commit proposal: %v\n", h.Ep, h.Error)
		}
	}
}

func (p *Printer) simpleRows(rows [][]string) {
	for _, row := range rows {
		p.println(strings.Join(row, ", "))
	}
}
