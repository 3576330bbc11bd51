package sim

// Clients of etcd mode. A request is a server.Request (etcd's KV, Lease,
// Maintenance and Cluster calls); it is issued now, arrives at its member as
// an event like any client request, and is handed to Member.Submit with the
// simulator's request ID. Every answer comes out of a later member Ready,
// matched by that ID (the member's wait registry does the matching), and is
// rendered the way etcdctl prints it:
//
//	Submit(n2, Put foo bar) --EvRequest--> n2.Submit --> ... --> Ready.Responses{ID}
//	                                                          -> "OK revision=2"
//
// The default mode's Put, Get and Delete work in etcd mode too: they become
// a Put, a linearizable (or serializable) Range and a DeleteRange.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// errNeedEtcdMode answers an etcd request sent to a default-mode cluster.
var errNeedEtcdMode = errors.New("sim: etcd requests need etcd mode (Options.Etcd; `cluster N etcd` in a scenario)")

// Submit issues an etcd request to node via (raft.None: the leader when it
// arrives). label is how the request reads in the trace ("put foo bar");
// req.ID is chosen by the simulator.
func (c *Cluster) Submit(via raft.NodeID, req server.Request, label string) *Request {
	r := &Request{Via: via, Etcd: &req, Label: label, Op: OpPut}
	switch {
	case req.Range != nil:
		r.Op = OpGet
	case req.DeleteRange != nil:
		r.Op = OpDelete
	}
	return c.issue(r)
}

// MemberAdd asks node via (raft.None: the leader) to add node id as a
// voter or a learner (etcd: MemberAdd). Once the add is answered the
// simulator starts id with an empty disk, as an operator starts a new
// member with --initial-cluster-state existing.
func (c *Cluster) MemberAdd(via, id raft.NodeID, learner bool) *Request {
	verb := "add"
	if learner {
		verb = "add-learner"
	}
	info := memberInfo(id, learner)
	req := server.MemberAddRequest{ID: id, Name: info.Name, PeerURLs: info.PeerURLs, IsLearner: learner}
	return c.Submit(via, server.Request{MemberAdd: &req}, "member "+verb+" "+Name(id))
}

// memberChange asks node via to promote or remove node id.
func (c *Cluster) memberChange(via, id raft.NodeID, t raft.ConfChangeType) *Request {
	if t == raft.PromoteLearner {
		return c.Submit(via, server.Request{MemberPromote: &server.MemberPromoteRequest{ID: id}}, "member promote "+Name(id))
	}
	return c.Submit(via, server.Request{MemberRemove: &server.MemberRemoveRequest{ID: id}}, "member remove "+Name(id))
}

// MemberPromote asks node via (raft.None: the leader) to promote learner id.
func (c *Cluster) MemberPromote(via, id raft.NodeID) *Request {
	return c.memberChange(via, id, raft.PromoteLearner)
}

// MemberRemove asks node via (raft.None: the leader) to remove member id.
func (c *Cluster) MemberRemove(via, id raft.NodeID) *Request {
	return c.memberChange(via, id, raft.RemoveNode)
}

// asEtcd turns a default-mode put, get or delete into its etcd request.
func asEtcd(r *Request) {
	key := []byte(r.Key)
	switch r.Op {
	case OpPut:
		r.Etcd = &server.Request{Put: &mvcc.PutRequest{Key: key, Value: []byte(r.Value)}}
		r.Label = "put " + r.Key + " " + r.Value
	case OpGet:
		r.Etcd = &server.Request{Range: &mvcc.RangeRequest{Key: key}, Serializable: r.Serializable}
		r.Label = "get " + r.Key
	case OpDelete:
		r.Etcd = &server.Request{DeleteRange: &mvcc.DeleteRangeRequest{Key: key}}
		r.Label = "del " + r.Key
	}
}

// submit hands an etcd request to p's member; the answer comes out of a
// member Ready (answer).
func (c *Cluster) submit(p *process, r *Request) {
	if p.member == nil {
		c.finish(r, errNeedEtcdMode)
		return
	}
	req := *r.Etcd
	req.ID = r.ID
	p.pending[r.ID] = r
	p.member.Submit(req)
	c.drive(p)
}

// answer delivers a member's response to the request waiting for it, if
// it still waits (it may have timed out on the client's side).
func (c *Cluster) answer(p *process, resp server.Response) {
	r, ok := p.pending[resp.ID]
	if !ok {
		return
	}
	delete(p.pending, resp.ID)
	r.Reply = &resp
	if rr := resp.Range; rr != nil && len(rr.Kvs) > 0 {
		r.Found, r.Value = true, string(rr.Kvs[0].Value)
	}
	if dr := resp.DeleteRange; dr != nil {
		r.Found = dr.Deleted > 0
	}
	c.finish(r, resp.Err)
	if add := r.Etcd.MemberAdd; add != nil && resp.Err == nil {
		if err := c.addProcess(add.ID, nil, p.check); err != nil {
			c.record(Record{Kind: RecAction, Node: add.ID, Detail: "start failed: " + err.Error()})
		}
	}
}

// etcdString renders an etcd request and its answer.
func (r *Request) etcdString() string {
	s := fmt.Sprintf("r%d %s", r.ID, r.Label)
	if r.Etcd.Serializable {
		s += " serializable"
	}
	if r.Node != raft.None {
		s += " at " + Name(r.Node)
	}
	return s + ": " + r.etcdOutcome()
}

// etcdOutcome renders the answer as etcdctl would print it, with the
// revision of the response header.
func (r *Request) etcdOutcome() string {
	switch {
	case !r.Done:
		return "pending"
	case r.Err != nil:
		return "error: " + EtcdError(r.Err)
	case r.Reply == nil:
		return "ok"
	}
	resp, rev := r.Reply, r.Reply.Header.Revision
	switch {
	case resp.Put != nil:
		return fmt.Sprintf("OK revision=%d", rev)
	case resp.Range != nil:
		return describeKVs(resp.Range.Kvs) + fmt.Sprintf(" (revision=%d)", rev)
	case resp.DeleteRange != nil:
		return fmt.Sprintf("deleted=%d revision=%d", resp.DeleteRange.Deleted, rev)
	case resp.Txn != nil:
		return describeTxn(*resp.Txn) + fmt.Sprintf(" (revision=%d)", rev)
	case resp.Compaction != nil:
		return fmt.Sprintf("compacted revision %d", r.Etcd.Compaction.Revision)
	}
	return r.describeLeaseOrCluster()
}

// describeLeaseOrCluster renders lease, alarm and member answers.
func (r *Request) describeLeaseOrCluster() string {
	resp := r.Reply
	switch {
	case resp.LeaseGrant != nil:
		return fmt.Sprintf("lease %s granted with TTL(%ds)", resp.LeaseGrant.ID, resp.LeaseGrant.TTLSeconds)
	case resp.LeaseRevoke != nil:
		return fmt.Sprintf("lease %s revoked", r.Etcd.LeaseRevoke.ID)
	case resp.LeaseKeepAlive != nil:
		return fmt.Sprintf("lease %s keepalived with TTL(%d)", resp.LeaseKeepAlive.ID, resp.LeaseKeepAlive.TTLSeconds)
	case resp.LeaseTimeToLive != nil:
		t := resp.LeaseTimeToLive
		s := fmt.Sprintf("lease %s granted with TTL(%ds), remaining(%ds)", t.ID, t.GrantedTTLSeconds, t.TTLSeconds)
		if len(t.Keys) > 0 {
			s += ", attached keys [" + strings.Join(t.Keys, " ") + "]"
		}
		return s
	case resp.LeaseLeases != nil:
		return describeLeases(resp.LeaseLeases.IDs)
	case resp.Alarm != nil:
		return describeAlarms(resp.Alarm.Alarms)
	case resp.Members != nil:
		return r.describeMembers(*resp.Members)
	}
	return "ok"
}

// EtcdError is an error as an etcd client sees it: errors of the key
// space carry the "etcdserver: " prefix on the wire (etcd: rpctypes).
func EtcdError(err error) string {
	s := err.Error()
	if strings.HasPrefix(s, "mvcc: ") {
		return "etcdserver: " + s
	}
	return s
}

// describeKV renders one key: value and its revisions.
func describeKV(kv mvcc.KeyValue) string {
	s := fmt.Sprintf("%s=%s create=%d mod=%d version=%d", kv.Key, ShortValue(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version)
	if kv.Lease != 0 {
		s += " lease=" + lease.LeaseID(kv.Lease).String()
	}
	return s
}

// ShortValue is a value as a transcript line shows it: up to 32 bytes as
// they are, a longer one as its first 8 bytes and its length.
func ShortValue(v []byte) string {
	if len(v) <= 32 {
		return string(v)
	}
	return fmt.Sprintf("%s...(%d bytes)", v[:8], len(v))
}

func describeKVs(kvs []mvcc.KeyValue) string {
	if len(kvs) == 0 {
		return "no keys"
	}
	parts := make([]string, len(kvs))
	for i, kv := range kvs {
		parts[i] = describeKV(kv)
	}
	return strings.Join(parts, ", ")
}

// describeTxn renders SUCCESS or FAILURE and each operation's answer.
func describeTxn(t mvcc.TxnResponse) string {
	s := "FAILURE"
	if t.Succeeded {
		s = "SUCCESS"
	}
	var parts []string
	for _, op := range t.Responses {
		switch {
		case op.Put != nil:
			parts = append(parts, "OK")
		case op.Range != nil:
			parts = append(parts, describeKVs(op.Range.Kvs))
		case op.DeleteRange != nil:
			parts = append(parts, fmt.Sprintf("deleted=%d", op.DeleteRange.Deleted))
		case op.Txn != nil:
			parts = append(parts, "txn "+describeTxn(*op.Txn))
		}
	}
	if len(parts) > 0 {
		s += ": " + strings.Join(parts, "; ")
	}
	return s
}

func describeLeases(ids []lease.LeaseID) string {
	s := fmt.Sprintf("found %d leases", len(ids))
	for _, id := range ids {
		s += " " + id.String()
	}
	return s
}

// describeAlarms renders alarms as etcdctl's `alarm list` does.
func describeAlarms(alarms []server.AlarmMember) string {
	if len(alarms) == 0 {
		return "no alarms"
	}
	parts := make([]string, len(alarms))
	for i, a := range alarms {
		parts[i] = fmt.Sprintf("memberID:%d alarm:%s", uint64(a.MemberID), a.Alarm)
	}
	return strings.Join(parts, ", ")
}

// describeMembers renders a member call's answer.
func (r *Request) describeMembers(m server.MembersResponse) string {
	var names []string
	for _, mb := range m.Members {
		n := Name(mb.ID)
		if mb.IsLearner {
			n += "(learner)"
		}
		names = append(names, n)
	}
	list := "members " + strings.Join(names, " ")
	switch {
	case r.Etcd.MemberAdd != nil:
		return fmt.Sprintf("member %s added; %s", Name(r.Etcd.MemberAdd.ID), list)
	case r.Etcd.MemberRemove != nil:
		return fmt.Sprintf("member %s removed; %s", Name(r.Etcd.MemberRemove.ID), list)
	case r.Etcd.MemberPromote != nil:
		return fmt.Sprintf("member %s promoted; %s", Name(r.Etcd.MemberPromote.ID), list)
	}
	return list
}
