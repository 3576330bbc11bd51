package scenario

// Observables of etcd mode, for `expect` and `run until`:
//
//	revision, compact-revision      the leader's key space (none: no leader)
//	db-size, db-size-in-use         the leader's backend file, in bytes
//	alarm                           the alarms raised ("NOSPACE"), or none
//	lease ID ttl                    seconds the leader's lessor gives lease ID
//	                                (-1: no such lease)
//	watch events | watch wN events  events delivered to every watch / to wN
//	snapshot NAME revision|hash|total-keys|total-size
//	                                the status of the file `snapshot save
//	                                NAME` wrote (none: no such file)
//	NODE revision | compact-revision | db-size | db-size-in-use | keys | hashkv
//	NODE cluster-id | members       the cluster ID (hex) and the membership
//	                                as NODE applied it ("n1 n2 n4(learner)")
//	NODE version|create-revision|mod-revision KEY
//
// The NODE fields work with `all` and `quorum` too: `expect all hashkv =
// n1 hashkv` compares every member's HashKV with n1's.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/core/sim"
)

var etcdNodeFields = map[string]bool{
	"revision": true, "compact-revision": true, "db-size": true, "db-size-in-use": true,
	"keys": true, "hashkv": true, "cluster-id": true, "members": true,
}

var etcdKeyFields = map[string]bool{"version": true, "create-revision": true, "mod-revision": true}

// checkEtcdObservable validates etcd mode's observables; it reports
// whether o is one of them.
func checkEtcdObservable(o []string) (bool, error) {
	switch o[0] {
	case "revision", "compact-revision", "db-size", "db-size-in-use", "alarm":
		return len(o) == 1, nil
	case "lease":
		if len(o) != 3 || o[2] != "ttl" {
			return true, fmt.Errorf("write `lease ID ttl`")
		}
		return true, checkLeaseRef(o[1])
	case "watch":
		if len(o) == 2 && o[1] == "events" || len(o) == 3 && isWatchRef(o[1]) && o[2] == "events" {
			return true, nil
		}
		return true, fmt.Errorf("write `watch events` or `watch w1 events`")
	case "snapshot":
		if len(o) != 3 || !backupFields[o[2]] {
			return true, fmt.Errorf("write `snapshot NAME revision|hash|total-keys|total-size`")
		}
		return true, nil
	}
	if isNodeRef(o[0]) && (len(o) == 2 && etcdNodeFields[o[1]] || len(o) == 3 && etcdKeyFields[o[1]]) {
		return true, nil
	}
	return false, nil
}

func isWatchRef(w string) bool {
	n, err := strconv.Atoi(strings.TrimPrefix(w, "w"))
	return strings.HasPrefix(w, "w") && err == nil && n >= 1
}

// observeEtcd reads etcd mode's cluster-wide observables; it reports
// whether o is one of them.
func (r *Runner) observeEtcd(st sim.State, o []string) (string, bool, error) {
	switch o[0] {
	case "revision", "compact-revision", "db-size", "db-size-in-use":
		if len(o) != 1 {
			return "", false, nil
		}
		lead, ok := leaderState(st)
		if !ok {
			return "none", true, nil
		}
		return nodeField(lead, o[0]), true, nil
	case "alarm":
		return alarmNames(st), true, nil
	case "lease":
		v, err := r.leaseTTL(st, o[1])
		return v, true, err
	case "watch":
		total := 0
		for _, w := range st.Watches {
			if len(o) == 2 || "w"+strconv.FormatUint(w.ID, 10) == o[1] {
				total += w.Events
			}
		}
		return strconv.Itoa(total), true, nil
	case "snapshot":
		return r.backupField(o[1], o[2]), true, nil
	}
	return "", false, nil
}

// leaderState is the leader's NodeState.
func leaderState(st sim.State) (sim.NodeState, bool) {
	for _, ns := range st.Nodes {
		if ns.ID == st.Leader && ns.Up {
			return ns, true
		}
	}
	return sim.NodeState{}, false
}

// alarmNames lists the kinds of alarm raised, as the leader (or else any
// running member) applied them: "NOSPACE", or none.
func alarmNames(st sim.State) string {
	ns, ok := leaderState(st)
	for i := 0; !ok && i < len(st.Nodes); i++ {
		ns, ok = st.Nodes[i], st.Nodes[i].Up && st.Nodes[i].Etcd != nil
	}
	if !ok || ns.Etcd == nil {
		return "none"
	}
	var names []string
	for _, a := range ns.Etcd.Alarms {
		if n := a.Alarm.String(); len(names) == 0 || names[len(names)-1] != n {
			names = append(names, n)
		}
	}
	if len(names) == 0 {
		return "none"
	}
	return strings.Join(names, " ")
}

// leaseTTL is the time left on a lease by the leader's countdown.
func (r *Runner) leaseTTL(st sim.State, ref string) (string, error) {
	id, err := r.leaseRef(ref)
	if err != nil {
		return "", err
	}
	lead, ok := leaderState(st)
	if !ok || lead.Etcd == nil {
		return "none", nil
	}
	for _, l := range lead.Etcd.Leases {
		if l.ID == lease.LeaseID(id) {
			return strconv.FormatInt(l.RemainingSeconds, 10), nil
		}
	}
	return "-1", nil
}

// etcdField reads an etcd field of a node; ok is false for other fields.
func etcdField(ns sim.NodeState, f string) (string, bool) {
	if !etcdNodeFields[f] {
		return "", false
	}
	e := ns.Etcd
	if e == nil || !ns.Up && f != "db-size" && f != "db-size-in-use" {
		return "none", true
	}
	i := func(v int64) string { return strconv.FormatInt(v, 10) }
	switch f {
	case "revision":
		return i(e.Revision), true
	case "compact-revision":
		return i(e.CompactRevision), true
	case "db-size":
		return i(e.DBSize), true
	case "db-size-in-use":
		return i(e.DBSizeInUse), true
	case "keys":
		return strconv.Itoa(len(e.Keys)), true
	case "cluster-id":
		return strconv.FormatUint(e.ClusterID, 16), true
	case "members":
		return memberNames(e.Members), true
	}
	return "", false // hashkv: Runner.field asks the cluster
}

// field reads FIELD of a node, hashkv included.
func (r *Runner) field(ns sim.NodeState, f string) string {
	if f != "hashkv" {
		return nodeField(ns, f)
	}
	if !ns.Up || ns.Removed {
		return "none"
	}
	h, _, _, err := r.cluster.HashKV(ns.ID, 0)
	if err != nil {
		return "error: " + err.Error()
	}
	return fmt.Sprintf("%08x", h)
}

// keyField reads NODE version|create-revision|mod-revision KEY.
func keyField(ns sim.NodeState, f, key string) string {
	if ns.Etcd == nil {
		return "none"
	}
	for _, kv := range ns.Etcd.Keys {
		if string(kv.Key) != key {
			continue
		}
		switch f {
		case "version":
			return strconv.FormatInt(kv.Version, 10)
		case "create-revision":
			return strconv.FormatInt(kv.CreateRevision, 10)
		}
		return strconv.FormatInt(kv.ModRevision, 10)
	}
	return "none"
}

// memberNames lists members by name, learners marked, as a member call's
// answer does ("n1 n2 n3 n4(learner)"); none for an empty list.
func memberNames(ms []server.MemberInfo) string {
	if len(ms) == 0 {
		return "none"
	}
	names := make([]string, len(ms))
	for i, m := range ms {
		names[i] = sim.Name(m.ID)
		if m.IsLearner {
			names[i] += "(learner)"
		}
	}
	return strings.Join(names, " ")
}
