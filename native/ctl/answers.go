package ctl

// One method per answer a client command prints. Each names the shapes it
// has; a format left nil is not offered for that answer (etcdctl's choice,
// kept). Methods that stream (Watch, KeepAlive) are called once per message.

import (
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// Put prints a put's answer: OK, and the previous pair with --prev-kv.
func (p *Printer) Put(r *clientv3.PutResponse) error {
	return p.dispatch(func() { p.simplePut(r) }, func() { p.fieldsPut(r) }, func() { p.json(r) }, nil)
}

// Get prints a range's answer.
func (p *Printer) Get(r *clientv3.GetResponse) error {
	return p.dispatch(func() { p.simpleGet(r) }, func() { p.fieldsGet(r) }, func() { p.json(r) }, nil)
}

// Del prints a delete's answer: the count, and the pairs with --prev-kv.
func (p *Printer) Del(r *clientv3.DeleteResponse) error {
	return p.dispatch(func() { p.simpleDel(r) }, func() { p.fieldsDel(r) }, func() { p.json(r) }, nil)
}

// Txn prints a transaction's answer: which branch ran, then each answer.
func (p *Printer) Txn(r *clientv3.TxnResponse) error {
	return p.dispatch(func() { p.simpleTxn(r) }, func() { p.fieldsTxn(r) }, func() { p.json(txnJSON((*pb.TxnResponse)(r))) }, nil)
}

// Watch prints one watch response (a batch of events).
func (p *Printer) Watch(r clientv3.WatchResponse) error {
	return p.dispatch(func() { p.simpleWatch(r) }, func() { p.fieldsWatch(r) }, func() { p.json(r) }, nil)
}

// Grant prints a new lease.
func (p *Printer) Grant(r *clientv3.LeaseGrantResponse) error {
	return p.dispatch(func() { p.simpleGrant(r) }, func() { p.fieldsGrant(r) }, func() { p.json(r) }, nil)
}

// Revoke prints a revoked lease.
func (p *Printer) Revoke(id clientv3.LeaseID, r *clientv3.LeaseRevokeResponse) error {
	return p.dispatch(func() { p.printf("lease %016x revoked\n", id) }, func() { p.fieldsHeader(r.Header) }, func() { p.json(r) }, nil)
}

// KeepAlive prints one renewal of a lease.
func (p *Printer) KeepAlive(r *clientv3.LeaseKeepAliveResponse) error {
	return p.dispatch(func() { p.printf("lease %016x keepalived with TTL(%d)\n", r.ID, r.TTL) }, func() { p.fieldsKeepAlive(r) }, func() { p.json(r) }, nil)
}

// TimeToLive prints a lease's remaining time, and its keys with --keys.
func (p *Printer) TimeToLive(r *clientv3.LeaseTimeToLiveResponse, keys bool) error {
	return p.dispatch(func() { p.simpleTimeToLive(r, keys) }, func() { p.fieldsTimeToLive(r) }, func() { p.json(r) }, nil)
}

// Leases prints the list of live leases.
func (p *Printer) Leases(r *clientv3.LeaseLeasesResponse) error {
	return p.dispatch(func() { p.simpleLeases(r) }, func() { p.fieldsLeases(r) }, func() { p.json(r) }, nil)
}

// MemberAdd prints the member just added. The ETCD_* lines that tell the new
// member how to start are the command's, printed after this in simple only.
func (p *Printer) MemberAdd(r *clientv3.MemberAddResponse) error {
	return p.dispatch(func() { p.printf("Member %16x added to cluster %16x\n", r.Member.ID, r.Header.ClusterId) }, nil, func() { p.json(r) }, nil)
}

// MemberRemove prints a removed member.
func (p *Printer) MemberRemove(id uint64, r *clientv3.MemberRemoveResponse) error {
	return p.dispatch(func() { p.printf("Member %16x removed from cluster %16x\n", id, r.Header.ClusterId) }, nil, func() { p.json(r) }, nil)
}

// MemberUpdate prints a member whose peer URLs changed.
func (p *Printer) MemberUpdate(id uint64, r *clientv3.MemberUpdateResponse) error {
	return p.dispatch(func() { p.printf("Member %16x updated in cluster %16x\n", id, r.Header.ClusterId) }, nil, func() { p.json(r) }, nil)
}

// MemberPromote prints a learner promoted to voter.
func (p *Printer) MemberPromote(id uint64, r *clientv3.MemberPromoteResponse) error {
	return p.dispatch(func() { p.printf("Member %16x promoted in cluster %16x\n", id, r.Header.ClusterId) }, nil, func() { p.json(r) }, nil)
}

// MemberList prints the cluster's members.
func (p *Printer) MemberList(r *clientv3.MemberListResponse) error {
	hdr, rows := memberRows(r)
	return p.dispatch(func() { p.simpleRows(rows) }, func() { p.fieldsMemberList(r) }, func() { p.json(r) }, func() { p.table(hdr, rows) })
}

// EndpointHealth prints the health of each endpoint checked.
func (p *Printer) EndpointHealth(hs []EndpointHealth) error {
	hdr, rows := healthRows(hs)
	return p.dispatch(func() { p.simpleHealth(hs) }, func() { p.fieldsHealth(hs) }, func() { p.json(hs) }, func() { p.table(hdr, rows) })
}

// EndpointStatus prints the status of each endpoint.
func (p *Printer) EndpointStatus(ss []EndpointStatus) error {
	hdr, rows := statusRows(ss)
	return p.dispatch(func() { p.simpleRows(rows) }, func() { p.fieldsStatus(ss) }, func() { p.json(ss) }, func() { p.table(hdr, rows) })
}

// EndpointHashKV prints the KV history hash of each endpoint.
func (p *Printer) EndpointHashKV(hs []EndpointHashKV) error {
	hdr, rows := hashKVRows(hs)
	return p.dispatch(func() { p.simpleRows(rows) }, func() { p.fieldsHashKV(hs) }, func() { p.json(hs) }, func() { p.table(hdr, rows) })
}

// MoveLeader prints a finished leadership transfer.
func (p *Printer) MoveLeader(from, to uint64, r *clientv3.MoveLeaderResponse) error {
	return p.dispatch(func() { p.printf("Leadership transferred from %x to %x\n", from, to) }, nil, func() { p.json(r) }, nil)
}

// Alarm prints the alarms raised (list) or cleared (disarm).
func (p *Printer) Alarm(r *clientv3.AlarmResponse) error {
	return p.dispatch(func() { p.simpleAlarm(r) }, func() { p.fieldsAlarm(r) }, func() { p.json(r) }, nil)
}

// Snapshot prints the status of a snapshot file.
func (p *Printer) Snapshot(s SnapshotStatus) error {
	hdr, rows := snapshotRows(s)
	return p.dispatch(func() { p.simpleRows(rows) }, func() { p.fieldsSnapshot(s) }, func() { p.json(s) }, func() { p.table(hdr, rows) })
}
