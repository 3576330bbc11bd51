package sim

// etcd's guarantees beyond linearizability, checked on the fault workload
// (etcd_workload_test.go) against the store's own history (truth, read
// revision by revision from a member):
//
//   - watch (etcd API guarantees, "Watch"): every watcher's events are
//     ordered by revision, never before its start revision, atomic (a
//     revision's events for its range arrive together and complete), with
//     no gap relative to the history, and complete up to the end for a
//     watcher still open; a watcher whose start revision is compacted is
//     canceled with the compact revision.
//   - leases (etcd: lessor): a lease expires once — its keys are deleted
//     by exactly one revision, the same on every replica that applies the
//     revoke — and never earlier than its TTL after the last keep-alive
//     its leader answered; a lease left alone is revoked by the end.
//   - HashKV (etcd: Maintenance.HashKV, the corruption check): after
//     healing, every member has the same hash at every revision they all
//     still hold.
//
// TestEtcdGuaranteesUnderFaults runs many seeds with 3 and 5 members;
// ETCDLAB_SOAK_SEEDS sets how many, ETCDLAB_SEED replays one.

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// leaseSlack is how much earlier than TTL after its last keep-alive answer
// a lease may be found expired: the leader's clock moves by whole ticks, so
// its "now" may trail the virtual time of the answer by up to a tick, and
// its renewal and expiry both round to ticks.
const leaseSlack = 250 * time.Millisecond

// watchObs is what one watcher delivered.
type watchObs struct {
	rec     watchRec
	created int64 // the store's revision in the created response (-1: none)
	events  []mvcc.Event
	ended   bool
	why     string
	upAtEnd bool // its member is up at the end, so an open watch must be complete
}

// leaseObs is one server event about a lease on one member.
type leaseObs struct {
	node     raft.NodeID
	lease    lease.LeaseID
	revision int64
	keys     int
	at       time.Duration
}

// covers reports whether key is in the watched range (mvcc's key ranges).
func (r watchRec) covers(key string) bool {
	k, s, e := key, string(r.key), string(r.end)
	switch {
	case e == "":
		return k == s
	case e == "\x00":
		return k >= s
	}
	return k >= s && k < e
}

func (e revEvent) String() string {
	if e.delete {
		return "DELETE " + e.key
	}
	return "PUT " + e.key + "=" + e.value
}

func eventString(ev mvcc.Event) string {
	if ev.Type == mvcc.EventDelete {
		return "DELETE " + string(ev.Kv.Key)
	}
	return "PUT " + string(ev.Kv.Key) + "=" + string(ev.Kv.Value)
}

// expected is what revision rev changed in w's range, sorted.
func (w watchObs) expected(truth map[int64][]revEvent, rev int64) []string {
	var out []string
	for _, e := range truth[rev] {
		if w.rec.covers(e.key) {
			out = append(out, e.String())
		}
	}
	sort.Strings(out)
	return out
}

// checkWatch judges one watcher against the history truth, known for
// revisions 2..truthTo; compacted holds every compact revision applied.
func checkWatch(w watchObs, truth map[int64][]revEvent, truthTo int64, compacted map[int64]bool) error {
	start := w.rec.start
	if start == 0 {
		if w.created < 0 {
			return nil // refused at creation: nothing was promised
		}
		start = w.created + 1
	}
	if err := checkWatchCompacted(w, start, compacted); err != nil {
		return err
	}
	last := start - 1
	byRev := map[int64][]string{}
	for _, ev := range w.events {
		rev := ev.Kv.ModRevision
		switch {
		case rev < start:
			return fmt.Errorf("event %s at revision %d before the start revision %d", eventString(ev), rev, start)
		case rev < last:
			return fmt.Errorf("event %s at revision %d after one at revision %d: out of order", eventString(ev), rev, last)
		}
		last = rev
		byRev[rev] = append(byRev[rev], eventString(ev))
	}
	to := last
	if !w.ended && w.upAtEnd {
		to = truthTo // still open on a live member: it must have everything
	}
	for rev := start; rev <= min(to, truthTo); rev++ {
		got := byRev[rev]
		sort.Strings(got)
		want := w.expected(truth, rev)
		if rev == start && compacted[rev] {
			want = withoutUndelivered(want, got)
		}
		if strings.Join(got, "|") != strings.Join(want, "|") {
			return fmt.Errorf("revision %d: delivered %q, the history has %q (a gap, a torn revision or a wrong event)", rev, got, want)
		}
	}
	return nil
}

// withoutUndelivered drops from want the deletes missing from got. A
// compaction at revision R removes the tombstones at R with the rest of
// the history before it (etcd: keyIndex.keep keeps no tombstone), so a
// watch from exactly the compact revision cannot replay a delete made
// at it; its puts survive and must still arrive.
func withoutUndelivered(want, got []string) []string {
	has := map[string]bool{}
	for _, g := range got {
		has[g] = true
	}
	var out []string
	for _, e := range want {
		if has[e] || !strings.HasPrefix(e, "DELETE ") {
			out = append(out, e)
		}
	}
	return out
}

// checkWatchCompacted: a start below the compact revision of the member
// when the watch was opened must be canceled with that revision (the
// compact revision itself can still be read: etcd cancels when
// minRev < compactRev), and a compaction cancel must name a revision that
// was compacted and lies beyond what the watcher needed next.
func checkWatchCompacted(w watchObs, start int64, compacted map[int64]bool) error {
	var crev int64
	isCompact := w.ended && strings.HasPrefix(w.why, "canceled: ") &&
		strings.Contains(w.why, "compact revision")
	if isCompact {
		i := strings.LastIndex(w.why, "compact revision ")
		fmt.Sscanf(w.why[i:], "compact revision %d", &crev)
	}
	crashed := w.ended && strings.HasPrefix(w.why, "ended: ") // its member went down first
	if w.rec.start != 0 && w.rec.start < w.rec.compactAtOpen && !isCompact && !crashed {
		return fmt.Errorf("start revision %d is compacted (compact revision %d when opened) but the watch was not canceled (ended=%v %q)",
			w.rec.start, w.rec.compactAtOpen, w.ended, w.why)
	}
	if !isCompact {
		return nil
	}
	next := start
	if n := len(w.events); n > 0 {
		next = w.events[n-1].Kv.ModRevision + 1
	}
	if !compacted[crev] || next >= crev {
		return fmt.Errorf("canceled with compact revision %d, but it needed revision %d next (compactions: %v)", crev, next, compacted)
	}
	return nil
}

// checkLeases judges the leases: revokes agree on every replica, delete
// each lease's keys at one revision of the history, never come early, and
// every lease left alone is revoked by the end. expired are the leader's
// EvLeaseExpired, revoked every member's EvLeaseRevoked; live holds the
// keys each member that is up still has.
func checkLeases(leases []*leaseRec, expired, revoked []leaseObs, truth map[int64][]revEvent, live map[raft.NodeID]map[string]bool) error {
	byLease := map[lease.LeaseID][]leaseObs{}
	for _, r := range revoked {
		byLease[r.lease] = append(byLease[r.lease], r)
	}
	for _, l := range leases {
		if err := checkLeaseRevokes(l, byLease[l.id], truth); err != nil {
			return fmt.Errorf("lease %s: %w", l.id, err)
		}
		if err := checkLeaseEnd(l, len(byLease[l.id]) > 0, live); err != nil {
			return fmt.Errorf("lease %s: %w", l.id, err)
		}
	}
	for _, e := range expired {
		for _, l := range leases {
			if l.id == e.lease && l.granted {
				if err := checkNotEarly(l, e.at); err != nil {
					return fmt.Errorf("lease %s: %w", l.id, err)
				}
			}
		}
	}
	return nil
}

// checkLeaseRevokes: at most one revoke per member, all at one revision,
// and the history deletes the lease's keys at that revision and no other.
func checkLeaseRevokes(l *leaseRec, revs []leaseObs, truth map[int64][]revEvent) error {
	seen := map[raft.NodeID]bool{}
	var rev int64
	for _, r := range revs {
		if seen[r.node] {
			return fmt.Errorf("revoked twice on %s", Name(r.node))
		}
		seen[r.node] = true
		if r.keys > 0 && rev != 0 && r.revision != rev {
			return fmt.Errorf("revoked at revision %d on %s but at %d elsewhere", r.revision, Name(r.node), rev)
		}
		if r.keys > 0 {
			rev = r.revision
		}
	}
	prefix := fmt.Sprintf("l/%s/", l.id)
	var delRevs []int64
	for r, evs := range truth {
		for _, e := range evs {
			if e.delete && strings.HasPrefix(e.key, prefix) {
				delRevs = append(delRevs, r)
				break
			}
		}
	}
	sort.Slice(delRevs, func(i, j int) bool { return delRevs[i] < delRevs[j] })
	if len(delRevs) > 1 {
		return fmt.Errorf("its keys were deleted at revisions %v, not by one revoke", delRevs)
	}
	if len(delRevs) == 1 && rev != 0 && delRevs[0] != rev {
		return fmt.Errorf("its keys were deleted at revision %d, but the revoke was applied at %d", delRevs[0], rev)
	}
	return nil
}

// checkLeaseEnd: a lease nobody kept alive is revoked everywhere by the
// end; its keys are gone on every member that is up.
func checkLeaseEnd(l *leaseRec, revokedSomewhere bool, live map[raft.NodeID]map[string]bool) error {
	if !l.granted || l.kept {
		return nil
	}
	if !revokedSomewhere {
		return fmt.Errorf("granted with TTL %ds at %s and never kept alive, but never revoked", l.ttl, FormatTime(l.grantAt))
	}
	for _, id := range sortedNodes(live) {
		for _, k := range l.keys {
			if live[id][k] {
				return fmt.Errorf("revoked, but %s still holds its key %s", Name(id), k)
			}
		}
	}
	return nil
}

// checkNotEarly: the lease expired at at, which must be at least its TTL
// after the later of its grant request and its last keep-alive answer.
func checkNotEarly(l *leaseRec, at time.Duration) error {
	last := l.grantCall
	for _, a := range l.answers {
		if a <= at && a > last {
			last = a
		}
	}
	ttl := time.Duration(l.ttl) * time.Second
	if at+leaseSlack < last+ttl {
		return fmt.Errorf("expired at %s, only %v after it was last kept alive (%s); TTL is %v",
			FormatTime(at), at-last, FormatTime(last), ttl)
	}
	return nil
}

func sortedNodes[V any](m map[raft.NodeID]V) []raft.NodeID {
	var ids []raft.NodeID
	for id := range m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// checkHashes: every revision hashed on two or more members has one hash.
func checkHashes(hashes map[raft.NodeID]map[int64]uint32) error {
	first := map[int64]raft.NodeID{}
	for _, id := range sortedNodes(hashes) {
		revs := make([]int64, 0, len(hashes[id]))
		for r := range hashes[id] {
			revs = append(revs, r)
		}
		sort.Slice(revs, func(i, j int) bool { return revs[i] < revs[j] })
		for _, r := range revs {
			f, ok := first[r]
			if !ok {
				first[r] = id
				continue
			}
			if hashes[f][r] != hashes[id][r] {
				return fmt.Errorf("HashKV at revision %d: %s has %08x, %s has %08x", r, Name(f), hashes[f][r], Name(id), hashes[id][r])
			}
		}
	}
	if len(first) == 0 {
		return fmt.Errorf("no revision could be hashed on any member")
	}
	return nil
}
