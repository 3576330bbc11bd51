package sim

// The workload behind the etcd-mode guarantee tests: a cluster of 3 or 5
// members under a random schedule of faults (crashes and restarts,
// partitions, a lossy, duplicating, reordering network, leader transfers),
// while several clients on different members put, get, delete and
// compare-and-swap a few keys, leases are granted with keys attached (some
// kept alive, some left to expire), one compaction is requested, and
// watchers are opened on random members at random start revisions.
//
//	  clients c1..c4 ──put/get/del/cas──> n1..n5 (any member, or the leader)
//	  lease keeper ────grant/keepalive──> the leader
//	  watchers w1.. <────events───────── a random member each
//	  faults: crash · restart · partition · heal · loss/dup/reorder · transfer
//
// Everything it saw is recorded as data — every operation with its invoke
// and return virtual times, every lease and keep-alive answer, every watch
// and the revisions it was opened at — and the store's own history
// (truth) is read from a member, revision by revision. The checkers of
// etcd_linearizability_test.go and etcd_guarantees_test.go judge that data
// and nothing else, so each can be fed a bad history in a unit test.
//
// One seed fixes the whole run; a failure prints the seed and the command
// that replays it.

import (
	"bytes"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/server"
)

// Workload shape. Times are virtual.
const (
	workloadClients       = 4
	workloadKeys          = 3
	workloadStep          = 25 * time.Millisecond
	workloadDuration      = 20 * time.Second
	workloadSettle        = 8 * time.Second
	workloadLeaseTTL      = 3 // seconds, for leases left to expire
	workloadKeptTTL       = 5 // seconds, for leases kept alive
	workloadKeepAliveGap  = 500 * time.Millisecond
	workloadLeaseEvery    = 2 * time.Second
	workloadWatchEvery    = 700 * time.Millisecond
	workloadCompactAtFrac = 0.6
)

// opKind is what a client operation does to its key.
type opKind uint8

const (
	opGet opKind = iota
	opPut
	opDelete
	opCAS // txn: if value(key) == expect then put key value else get key
)

func (k opKind) String() string { return [...]string{"get", "put", "del", "cas"}[k] }

// kvOp is one client operation of the history, as porcupine sees it.
type kvOp struct {
	client      int
	kind        opKind
	key         string
	value       string // put, cas: the value written
	expect      string // cas: the value compared
	call, ret   time.Duration
	unknown     bool   // failed or timed out: it may or may not have taken effect
	found       bool   // get: the key existed; cas: the compare held
	got         string // get, failed cas: the value read
	req         *Request
	description string
}

// leaseRec is one lease the workload granted and what it saw of it.
type leaseRec struct {
	id        lease.LeaseID
	ttl       int64
	kept      bool            // kept alive until the end
	granted   bool            // the grant was answered OK
	attached  bool            // its keys were put (answered or not)
	grantCall time.Duration   // when the grant was requested
	grantAt   time.Duration   // when the grant was answered
	keys      []string        // keys attached by answered puts
	answers   []time.Duration // when keep-alives were answered
	pending   []*Request      // grant, puts and keep-alives not yet judged
	nextKeep  time.Duration
}

// watchRec is one watch the workload opened.
type watchRec struct {
	id       uint64
	node     raft.NodeID
	key, end []byte
	start    int64 // the requested start revision (0: from now)
	// compactAtOpen is the member's compact revision when the watch was
	// opened: a start at or below it must be canceled.
	compactAtOpen int64
}

// revEvent is one change of the store's history (truth): a put of a value
// or a delete, of one key, at one revision.
type revEvent struct {
	key    string
	delete bool
	value  string
}

// workload is one run: the cluster, its random source and what it saw.
type workload struct {
	c       *Cluster
	seed    uint64
	nodes   int
	r       *rng.Source
	ops     []*kvOp
	busy    [workloadClients]*kvOp
	leases  []*leaseRec
	watches []watchRec
	// truth[r] is what revision r changed; truthFrom..truthTo are known.
	truth            map[int64][]revEvent
	truthTo          int64
	compactRev       int64
	firstApplied     map[int64]time.Duration // revision -> when a member first applied it
	nextVal, nextKey int
}

// newWorkload builds an etcd-mode cluster of nodes members for seed.
func newWorkload(seed uint64, nodes int) (*workload, error) {
	c, err := New(Options{Nodes: nodes, Seed: seed, Etcd: &EtcdOptions{}, CheckInvariants: true,
		SnapshotCount: 40, CatchUpEntries: 10})
	if err != nil {
		return nil, err
	}
	return &workload{c: c, seed: seed, nodes: nodes, r: rng.New(seed ^ 0x5eed), truth: map[int64][]revEvent{}, firstApplied: map[int64]time.Duration{}}, nil
}

// run drives the whole schedule, then heals everything and settles.
func (w *workload) run() error {
	compactAt := time.Duration(float64(workloadDuration) * workloadCompactAtFrac)
	var nextLease, nextWatch time.Duration
	for w.c.Now() < workloadDuration {
		w.fault()
		w.clients(true)
		if now := w.c.Now(); now >= nextLease {
			w.grantLease()
			nextLease = now + workloadLeaseEvery
		}
		if now := w.c.Now(); now >= nextWatch {
			w.openWatch()
			nextWatch = now + workloadWatchEvery
		}
		if w.compactRev == 0 && w.c.Now() >= compactAt {
			w.compact()
		}
		w.keepAlive()
		if err := w.c.RunFor(workloadStep); err != nil && err != ErrIdle {
			return err
		}
	}
	return w.settle()
}

// settle heals the network, restarts every member and lets the cluster
// catch up, clients still running, then waits out every pending request.
func (w *workload) settle() error {
	w.c.Heal()
	if err := w.c.SetNetwork(DefaultLinkModel); err != nil {
		return err
	}
	for _, id := range w.c.IDs() {
		if p := w.c.procs[id]; p != nil && !p.up {
			if err := w.c.Restart(id); err != nil {
				return err
			}
		}
	}
	issueUntil := w.c.Now() + workloadSettle
	end := issueUntil + DefaultRequestTimeout + time.Second
	for w.c.Now() < end {
		w.clients(w.c.Now() < issueUntil)
		w.keepAlive()
		if err := w.c.RunFor(workloadStep); err != nil {
			return err
		}
	}
	w.clients(false)
	for _, l := range w.leases {
		w.judgeLease(l)
	}
	return nil
}

// fault maybe injects one fault, keeping at most a minority down.
func (w *workload) fault() {
	c, r := w.c, w.r
	down := w.down()
	switch x := r.Intn(1000); {
	case x < 8 && len(down) < (w.nodes-1)/2:
		_ = c.Crash(w.pickUp())
	case x < 20 && len(down) > 0:
		_ = c.Restart(down[r.Intn(len(down))])
	case x < 26:
		_ = c.Partition(w.split()...)
	case x < 40:
		c.Heal()
	case x < 48:
		_ = c.SetNetwork(LinkModel{MinLatency: time.Millisecond, MaxLatency: time.Duration(1+r.Intn(20)) * time.Millisecond,
			Loss: float64(r.Intn(15)) / 100, Duplicate: float64(r.Intn(10)) / 100, Reorder: float64(r.Intn(30)) / 100})
	case x < 52:
		if l := c.Leader(); l != raft.None {
			_ = c.TransferLeader(w.pickUp())
		}
	}
}

// down lists the members that are down.
func (w *workload) down() []raft.NodeID {
	var out []raft.NodeID
	for _, id := range w.c.IDs() {
		if p := w.c.procs[id]; p != nil && !p.up {
			out = append(out, id)
		}
	}
	return out
}

// pickUp is a random member that is up (n1 if none is).
func (w *workload) pickUp() raft.NodeID {
	var up []raft.NodeID
	for _, id := range w.c.IDs() {
		if p := w.c.procs[id]; p != nil && p.up {
			up = append(up, id)
		}
	}
	if len(up) == 0 {
		return 1
	}
	return up[w.r.Intn(len(up))]
}

// split is a random partition of the members into two groups.
func (w *workload) split() [][]raft.NodeID {
	var a, b []raft.NodeID
	for _, id := range w.c.IDs() {
		if w.r.Intn(2) == 0 {
			a = append(a, id)
		} else {
			b = append(b, id)
		}
	}
	if len(a) == 0 || len(b) == 0 {
		return [][]raft.NodeID{w.c.IDs()[:1], w.c.IDs()[1:]}
	}
	return [][]raft.NodeID{a, b}
}

// via is where a client sends its next request: a random member, or the
// leader.
func (w *workload) via() raft.NodeID {
	if x := w.r.Intn(w.nodes + 1); x > 0 {
		return raft.NodeID(x)
	}
	return raft.None
}

// clients records the operations that finished and, if issue, starts a new
// one on every idle client.
func (w *workload) clients(issue bool) {
	for i, op := range w.busy {
		if op != nil && op.req.Done {
			op.finish()
			w.busy[i] = nil
		}
		if w.busy[i] == nil && issue && w.r.Chance(0.5) {
			w.busy[i] = w.issue(i)
		}
	}
}

// issue starts a random operation for client i.
func (w *workload) issue(i int) *kvOp {
	op := &kvOp{client: i, key: fmt.Sprintf("k%d", w.r.Intn(workloadKeys)), call: w.c.Now()}
	w.nextVal++
	val := fmt.Sprintf("v%d", w.nextVal)
	key := []byte(op.key)
	var req server.Request
	switch x := w.r.Intn(100); {
	case x < 35:
		op.kind = opGet
		req.Range = &mvcc.RangeRequest{Key: key}
	case x < 65:
		op.kind, op.value = opPut, val
		req.Put = &mvcc.PutRequest{Key: key, Value: []byte(val)}
	case x < 75:
		op.kind = opDelete
		req.DeleteRange = &mvcc.DeleteRangeRequest{Key: key}
	default:
		op.kind, op.value, op.expect = opCAS, val, fmt.Sprintf("v%d", 1+w.r.Intn(w.nextVal))
		req.Txn = &mvcc.TxnRequest{
			Compare: []mvcc.Compare{{Key: key, Target: mvcc.CompareValue, Result: mvcc.CompareEqual, Value: []byte(op.expect)}},
			Success: []mvcc.Op{{Put: &mvcc.PutRequest{Key: key, Value: []byte(val)}}},
			Failure: []mvcc.Op{{Range: &mvcc.RangeRequest{Key: key}}},
		}
	}
	op.req = w.c.Submit(w.via(), req, fmt.Sprintf("c%d %s %s", i, op.kind, op.key))
	w.ops = append(w.ops, op)
	return op
}

// finish reads the answer of a done operation into op.
func (op *kvOp) finish() {
	r := op.req
	op.ret = r.Finished
	if r.Err != nil || r.Reply == nil {
		op.unknown = true
		return
	}
	switch op.kind {
	case opGet:
		if kvs := r.Reply.Range.Kvs; len(kvs) > 0 {
			op.found, op.got = true, string(kvs[0].Value)
		}
	case opCAS:
		t := r.Reply.Txn
		op.found = t.Succeeded
		if !t.Succeeded {
			if kvs := t.Responses[0].Range.Kvs; len(kvs) > 0 {
				op.got = string(kvs[0].Value)
			}
		}
	}
}

// grantLease grants a lease of a chosen ID and attaches two keys to it;
// every other lease is kept alive to the end.
func (w *workload) grantLease() {
	n := len(w.leases)
	l := &leaseRec{id: lease.LeaseID(0x1000 + n), ttl: workloadLeaseTTL, kept: n%2 == 1, grantCall: w.c.Now()}
	if l.kept {
		l.ttl = workloadKeptTTL
	}
	g := w.c.Submit(raft.None, server.Request{LeaseGrant: &server.LeaseGrantRequest{ID: l.id, TTLSeconds: l.ttl}},
		fmt.Sprintf("lease grant %s", l.id))
	l.pending = append(l.pending, g)
	w.leases = append(w.leases, l)
}

// keepAlive judges answered lease requests, attaches keys to leases just
// granted, and renews the kept leases.
func (w *workload) keepAlive() {
	for _, l := range w.leases {
		w.judgeLease(l)
		if l.granted && !l.attached {
			l.attached = true
			for j := range 2 {
				key := fmt.Sprintf("l/%s/%d", l.id, j)
				put := &mvcc.PutRequest{Key: []byte(key), Value: []byte("x"), Lease: int64(l.id)}
				l.pending = append(l.pending, w.c.Submit(w.via(), server.Request{Put: put}, "put "+key))
			}
		}
		if l.kept && l.granted && w.c.Now() >= l.nextKeep {
			ka := &server.LeaseKeepAliveRequest{ID: l.id}
			l.pending = append(l.pending, w.c.Submit(raft.None, server.Request{LeaseKeepAlive: ka}, "keepalive"))
			l.nextKeep = w.c.Now() + workloadKeepAliveGap
		}
	}
}

// judgeLease reads l's answered requests.
func (w *workload) judgeLease(l *leaseRec) {
	kept := l.pending[:0]
	for _, r := range l.pending {
		switch {
		case !r.Done:
			kept = append(kept, r)
		case r.Err != nil:
		case r.Etcd.LeaseGrant != nil:
			l.granted, l.grantAt = true, r.Finished
		case r.Etcd.Put != nil:
			l.keys = append(l.keys, string(r.Etcd.Put.Key))
		case r.Etcd.LeaseKeepAlive != nil:
			l.answers = append(l.answers, r.Finished)
		}
	}
	l.pending = kept
}

// openWatch opens a watch on a random member that is up, on a random key
// range, from a random start revision.
func (w *workload) openWatch() {
	id := w.pickUp()
	p := w.c.procs[id]
	if p == nil || !p.up {
		return
	}
	st := p.member.Store()
	rec := watchRec{node: id, compactAtOpen: st.CompactRev()}
	switch w.r.Intn(4) {
	case 0:
		rec.key = []byte(fmt.Sprintf("k%d", w.r.Intn(workloadKeys)))
	case 1:
		rec.key, rec.end = []byte("k"), []byte("l")
	case 2:
		rec.key, rec.end = []byte("l/"), []byte("l0")
	default:
		rec.key, rec.end = []byte{0}, []byte{0}
	}
	if x := w.r.Intn(3); x > 0 {
		rec.start = 1 + int64(w.r.Intn(int(st.Rev())+2))
	}
	wid, err := w.c.Watch(id, mvcc.WatchRequest{Key: rec.key, RangeEnd: rec.end, StartRevision: rec.start},
		fmt.Sprintf("%q..%q from %d", rec.key, rec.end, rec.start))
	if err != nil {
		return
	}
	rec.id = wid
	w.watches = append(w.watches, rec)
}

// compact records the history so far from the leader's store, then asks
// for a compaction a few revisions back, so that watches opened later
// from an old revision must be canceled.
func (w *workload) compact() {
	l := w.c.Leader()
	if l == raft.None {
		return
	}
	st := w.c.procs[l].member.Store()
	rev := st.Rev() - 5
	if rev < 2 {
		return
	}
	if err := w.readTruth(st, rev); err != nil {
		panic(fmt.Sprintf("sim.workload.compact: %v", err))
	}
	w.compactRev = rev
	w.c.Submit(raft.None, server.Request{Compaction: &server.CompactionRequest{Revision: rev}}, fmt.Sprintf("compact %d", rev))
}

// readTruth extends the history (truth) up to revision to from st,
// comparing the whole key space at each revision with the one before it.
func (w *workload) readTruth(st *mvcc.Store, to int64) error {
	w.truthTo = max(w.truthTo, 1)
	prev, err := kvsAt(st, w.truthTo)
	if err != nil {
		return err
	}
	for rev := w.truthTo + 1; rev <= to; rev++ {
		cur, err := kvsAt(st, rev)
		if err != nil {
			return err
		}
		w.truth[rev] = diffKVs(prev, cur, rev)
		prev = cur
	}
	w.truthTo = max(w.truthTo, to)
	return nil
}

// kvsAt is the whole key space of st at rev.
func kvsAt(st *mvcc.Store, rev int64) ([]mvcc.KeyValue, error) {
	if rev <= 1 {
		return nil, nil
	}
	resp, err := st.Range(mvcc.RangeRequest{Key: []byte{0}, RangeEnd: []byte{0}, Revision: rev})
	return resp.Kvs, err
}

// diffKVs is what revision rev changed, from the key space before (a)
// and after it (b), both sorted by key.
func diffKVs(a, b []mvcc.KeyValue, rev int64) []revEvent {
	var out []revEvent
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		switch {
		case j == len(b) || (i < len(a) && bytes.Compare(a[i].Key, b[j].Key) < 0):
			out = append(out, revEvent{key: string(a[i].Key), delete: true})
			i++
		case i == len(a) || bytes.Compare(a[i].Key, b[j].Key) > 0:
			out = append(out, revEvent{key: string(b[j].Key), value: string(b[j].Value)})
			j++
		default:
			if b[j].ModRevision == rev {
				out = append(out, revEvent{key: string(b[j].Key), value: string(b[j].Value)})
			}
			i++
			j++
		}
	}
	return out
}

// finalTruth completes the history from a member that is up and caught up.
func (w *workload) finalTruth() error {
	var best *process
	for _, id := range w.c.IDs() {
		if p := w.c.procs[id]; p != nil && p.up && (best == nil || p.member.Store().Rev() > best.member.Store().Rev()) {
			best = p
		}
	}
	if best == nil {
		return fmt.Errorf("no member is up at the end")
	}
	return w.readTruth(best.member.Store(), best.member.Store().Rev())
}
