package scenario

// `show etcd` and `show pages` (etcd mode): each member's key space,
// leases, alarms and backend sizes as etcdctl's endpoint status, get and
// lease list would show them, and the page map of its backend file — one
// character per page, as the visualizer draws it:
//
//	M meta  F freelist  D bucket directory  B branch  L leaf  + overflow
//	. free  p pending (freed, still read by an open transaction)

import (
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/sim"
)

func (r *Runner) showEtcd(nodes []sim.NodeState) {
	for _, ns := range nodes {
		e := ns.Etcd
		if e == nil {
			r.printf("%s: not an etcd member (build the cluster with `cluster N etcd`)", ns.Name)
			continue
		}
		if !ns.Up {
			r.printf("%s down: db-size=%d db-size-in-use=%d", ns.Name, e.DBSize, e.DBSizeInUse)
			continue
		}
		r.printf("%s revision=%d compact-revision=%d applied=%d db-size=%d db-size-in-use=%d alarms=%s",
			ns.Name, e.Revision, e.CompactRevision, e.AppliedIndex, e.DBSize, e.DBSizeInUse, describeAlarmList(e))
		for _, kv := range e.Keys {
			r.printf("  key %s=%s create=%d mod=%d version=%d", kv.Key, sim.ShortValue(kv.Value), kv.CreateRevision, kv.ModRevision, kv.Version)
		}
		for _, l := range e.Leases {
			r.printf("  lease %s ttl=%d remaining=%d keys=[%s]", l.ID, l.TTLSeconds, l.RemainingSeconds, strings.Join(l.Keys, " "))
		}
	}
}

func describeAlarmList(e *sim.EtcdState) string {
	if len(e.Alarms) == 0 {
		return "none"
	}
	var parts []string
	for _, a := range e.Alarms {
		parts = append(parts, fmt.Sprintf("%s:%s", sim.Name(a.MemberID), a.Alarm))
	}
	return strings.Join(parts, ",")
}

var pageChars = map[backend.PageKind]byte{
	backend.PageFree: '.', backend.PagePending: 'p', backend.PageMeta: 'M', backend.PageFreelist: 'F',
	backend.PageBuckets: 'D', backend.PageBranch: 'B', backend.PageLeaf: 'L', backend.PageOverflow: '+',
}

func (r *Runner) showPages(nodes []sim.NodeState) {
	for _, ns := range nodes {
		if ns.Etcd == nil {
			r.printf("%s: no backend", ns.Name)
			continue
		}
		b := make([]byte, len(ns.Etcd.Pages))
		for i, p := range ns.Etcd.Pages {
			b[i] = pageChars[p.Kind]
		}
		r.printf("%s: %d pages", ns.Name, len(b))
		for len(b) > 0 {
			n := min(64, len(b))
			r.printf("  %s", b[:n])
			b = b[n:]
		}
	}
}
