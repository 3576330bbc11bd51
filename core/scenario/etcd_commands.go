package scenario

// Handlers of etcd mode's commands (`cluster N etcd`), following etcdctl's
// verbs: put/get/del with etcdctl's flags, txn, compact, defrag, lease,
// alarm, watch, hashkv, and member changes that go through the member's
// MemberAdd/Remove/Promote requests. A request waits for its answer unless
// async, like the default mode's client commands; the answer is printed as
// a `response` record in etcdctl's words ("OK revision=2"), and an error
// in etcd's ("etcdserver: mvcc: required revision has been compacted").

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/core/sim"
)

// etcdMode reports whether the cluster runs etcd members.
func (r *Runner) etcdMode() bool { return r.cluster != nil && r.cluster.Options().Etcd != nil }

// needEtcd fails a command that exists only in etcd mode.
func (r *Runner) needEtcd(cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	if !r.etcdMode() {
		return fmt.Errorf("`%s` needs etcd mode: build the cluster with `cluster N etcd`", cmd.Name)
	}
	return nil
}

// leaseRef resolves a lease reference: Ln (the n-th `lease grant` of this
// scenario) or a hex ID.
func (r *Runner) leaseRef(ref string) (int64, error) {
	if err := checkLeaseRef(ref); err != nil {
		return 0, err
	}
	if n, ok := strings.CutPrefix(ref, "L"); ok {
		i, _ := strconv.Atoi(n)
		if i > len(r.grants) {
			return 0, fmt.Errorf("%s: only %d lease grant(s) so far", ref, len(r.grants))
		}
		g := r.grants[i-1]
		if !g.Done || g.Err != nil || g.Reply == nil || g.Reply.LeaseGrant == nil {
			return 0, fmt.Errorf("%s: that lease grant (r%d) was not granted: %s", ref, g.ID, g.Outcome())
		}
		return int64(g.Reply.LeaseGrant.ID), nil
	}
	id, _ := strconv.ParseUint(ref, 16, 64)
	return int64(id), nil
}

// submit sends an etcd request with the client options in tail and waits
// for its answer unless async.
func (r *Runner) submit(req server.Request, label string, tail []string) (*sim.Request, error) {
	a, err := r.clientArgs(tail)
	if err != nil {
		return nil, err
	}
	req.Serializable = a.serializable
	sr := r.cluster.Submit(a.via, req, label)
	return sr, r.await(sr, a.async)
}

// etcdClient runs put, get and del in etcd mode (runPut, runGet,
// runDelete and runDel land here).
func runEtcdClient(r *Runner, cmd *Command) error {
	body, tail := clientTail(cmd.Args)
	var req server.Request
	var err error
	switch cmd.Name {
	case "put":
		req.Put, err = putRequest(body, r.leaseRef)
	case "get":
		req.Range, err = rangeRequest(body)
	default:
		req.DeleteRange, err = deleteRequest(body)
	}
	if err != nil {
		return err
	}
	_, err = r.submit(req, cmd.Name+" "+strings.Join(body, " "), tail)
	return err
}

// hasFlags reports whether words hold an etcdctl flag (the default mode
// takes none).
func hasFlags(words []string) bool {
	for _, w := range words {
		if strings.HasPrefix(w, "--") {
			return true
		}
	}
	return false
}

func runDel(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	return runEtcdClient(r, cmd)
}

func runTxn(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	body, tail := clientTail(cmd.Args)
	t, err := txnRequest(body, r.leaseRef)
	if err != nil {
		return err
	}
	_, err = r.submit(server.Request{Txn: t}, "txn "+strings.Join(body, " "), tail)
	return err
}

// runCompactAny is `compact NODE INDEX` (Raft's log) or `compact REV`
// (etcd's key space).
func runCompactAny(r *Runner, cmd *Command) error {
	if isNodeRef(cmd.Args[0]) {
		return runCompact(r, cmd)
	}
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	f, rest, _ := flags(cmd.Args, compactFlags, valuedFlags)
	rev, _ := strconv.ParseInt(rest[0], 10, 64)
	_, physical := f["physical"]
	_, err := r.submit(server.Request{Compaction: &server.CompactionRequest{Revision: rev, Physical: physical}}, "compact "+rest[0], nil)
	return err
}

// runDefrag defragments one member, or every running member (all, the
// default), one at a time as `etcdctl defrag --cluster` does.
func runDefrag(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	ids, err := r.membersNamed(cmd.Args)
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := r.cluster.Defrag(id); err != nil {
			r.operating(err)
			continue
		}
		r.flush()
		r.printf("Finished defragmenting etcd member[%s]", sim.Name(id))
	}
	return nil
}

// membersNamed is the node named by args[0], or every running member for
// none or `all`.
func (r *Runner) membersNamed(args []string) ([]raft.NodeID, error) {
	if len(args) == 1 && args[0] != "all" {
		id, err := r.node(args[0])
		return []raft.NodeID{id}, err
	}
	var ids []raft.NodeID
	for _, ns := range r.cluster.State().Nodes {
		if ns.Up && !ns.Removed {
			ids = append(ids, ns.ID)
		}
	}
	return ids, nil
}

func runHashKV(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	ids, err := r.membersNamed(cmd.Args[:1])
	if err != nil {
		return err
	}
	var rev int64
	if len(cmd.Args) == 2 {
		rev, _ = strconv.ParseInt(cmd.Args[1], 10, 64)
	}
	for _, id := range ids {
		h, compact, current, err := r.cluster.HashKV(id, rev)
		if err != nil {
			r.operating(err)
			continue
		}
		r.printf("%s hash=%08x compact-revision=%d revision=%d", sim.Name(id), h, compact, current)
	}
	return nil
}

func runLease(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	body, tail := clientTail(cmd.Args)
	if body[0] == "grant" {
		ttl, _ := strconv.ParseInt(body[1], 10, 64)
		g, err := r.submit(server.Request{LeaseGrant: &server.LeaseGrantRequest{TTLSeconds: ttl}}, "lease grant "+body[1], tail)
		r.grants = append(r.grants, g)
		if err == nil && g.Done && g.Err == nil {
			r.flush()
			r.printf("L%d is lease %s", len(r.grants), g.Reply.LeaseGrant.ID)
		}
		return err
	}
	if body[0] == "list" {
		_, err := r.submit(server.Request{LeaseLeases: &server.LeaseLeasesRequest{}}, "lease list", tail)
		return err
	}
	ref, err := r.leaseRef(body[1])
	if err != nil {
		return err
	}
	id := lease.LeaseID(ref)
	var req server.Request
	switch body[0] {
	case "revoke":
		req.LeaseRevoke = &server.LeaseRevokeRequest{ID: id}
	case "keep-alive":
		req.LeaseKeepAlive = &server.LeaseKeepAliveRequest{ID: id}
	case "timetolive":
		req.LeaseTimeToLive = &server.LeaseTimeToLiveRequest{ID: id, Keys: len(body) == 3}
	}
	_, err = r.submit(req, "lease "+body[0]+" "+id.String(), tail)
	return err
}

// runAlarm lists the alarms, or disarms every one listed (etcdctl alarm
// disarm does the same: list, then deactivate each).
func runAlarm(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	body, tail := clientTail(cmd.Args)
	list, err := r.submit(server.Request{Alarm: &server.AlarmRequest{Action: server.AlarmGet}}, "alarm list", tail)
	if err != nil || body[0] == "list" || !list.Done || list.Reply == nil || list.Reply.Alarm == nil {
		return err
	}
	for _, am := range list.Reply.Alarm.Alarms {
		req := server.AlarmRequest{Action: server.AlarmDeactivate, MemberID: am.MemberID, Alarm: am.Alarm}
		label := fmt.Sprintf("alarm disarm memberID:%d alarm:%s", uint64(am.MemberID), am.Alarm)
		if _, err := r.submit(server.Request{Alarm: &req}, label, tail); err != nil {
			return err
		}
	}
	return nil
}

func runWatch(r *Runner, cmd *Command) error {
	if err := r.needEtcd(cmd); err != nil {
		return err
	}
	body, tail := clientTail(cmd.Args)
	a, err := r.clientArgs(tail)
	if err != nil {
		return err
	}
	f, rest, _ := flags(body, watchFlags, valuedFlags)
	req := mvcc.WatchRequest{Key: []byte(rest[0])}
	if _, ok := f["prefix"]; ok {
		req.RangeEnd = prefixEnd(req.Key)
	}
	if v, ok := f["rev"]; ok {
		req.StartRevision, _ = strconv.ParseInt(v, 10, 64)
	}
	_, err = r.cluster.Watch(a.via, req, strings.Join(body, " "))
	r.operating(err)
	return nil
}

var watchFlags = map[string]bool{"rev": true, "prefix": true}

// runEtcdMember proposes a membership change through the member's
// MemberAdd/Remove/Promote request and waits for its answer.
func runEtcdMember(r *Runner, cmd *Command, id raft.NodeID) error {
	var req *sim.Request
	switch cmd.Args[0] {
	case "add", "add-learner":
		if _, err := r.cluster.Node(id); err == nil {
			r.operating(fmt.Errorf("%s already exists; node ids are never reused", sim.Name(id)))
			return nil
		}
		req = r.cluster.MemberAdd(raft.None, id, cmd.Args[0] == "add-learner")
	case "promote":
		req = r.cluster.MemberPromote(raft.None, id)
	default:
		req = r.cluster.MemberRemove(raft.None, id)
	}
	return r.await(req, false)
}
