package sim

// Unit tests of the simulator's parts that do not need a cluster: the event
// queue, the disk, the key-value application, the network's partitions and
// the invariant checker (fed made-up Ready batches, to prove it can fail).

import (
	"bytes"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

func TestQueueOrdersByTimeThenSchedule(t *testing.T) {
	var q eventQueue
	a := q.schedule(&item{at: 2 * time.Millisecond, kind: EvTick, node: 1})
	b := q.schedule(&item{at: time.Millisecond, kind: EvTick, node: 2})
	c := q.schedule(&item{at: 2 * time.Millisecond, kind: EvTick, node: 3})
	d := q.schedule(&item{at: time.Millisecond, kind: EvTick, node: 4})
	q.cancel(d)
	q.cancel(d) // cancelling twice is harmless
	var got []*item
	for it := q.next(); it != nil; it = q.next() {
		got = append(got, it)
	}
	equal(t, []*item{b, a, c}, got)
}

func TestDiskKeepsWhatACrashKeeps(t *testing.T) {
	var d disk
	ents := func(term uint64, idx ...uint64) []raft.Entry {
		var out []raft.Entry
		for _, i := range idx {
			out = append(out, raft.Entry{Index: i, Term: term})
		}
		return out
	}
	d.persist(&raft.Ready{HardState: raft.HardState{Term: 1, Vote: 2, Commit: 0}, Entries: ents(1, 1, 2, 3)})
	d.persist(&raft.Ready{Entries: ents(2, 3, 4)}) // replaces the conflicting suffix from 3
	equal(t, ents(1, 1, 2), d.entries[:2])
	equal(t, ents(2, 3, 4), d.entries[2:])
	equal(t, raft.HardState{Term: 1, Vote: 2}, d.hardState, "an empty HardState changes nothing")

	d.compact(2)
	equal(t, ents(2, 3, 4), d.entries)

	// A snapshot that matches the log at its index keeps what follows.
	d.persist(&raft.Ready{Snapshot: &raft.Snapshot{Meta: raft.SnapshotMeta{Index: 3, Term: 2}}})
	equal(t, ents(2, 4), d.entries)
	// One that does not match replaces the log.
	d.persist(&raft.Ready{Snapshot: &raft.Snapshot{Meta: raft.SnapshotMeta{Index: 4, Term: 3}}})
	truth(t, len(d.entries) == 0, "entries left")
	equal(t, uint64(4), d.snapshotIndex())
	panics(t, func() { d.append(ents(3, 7)) }, "a gap in the log is impossible")
}

func TestKVAppliesAndSnapshotsDeterministically(t *testing.T) {
	kv := NewKV()
	put := func(id uint64, k, v string) raft.Entry {
		data, err := kv.Encode(Command{ID: id, Op: OpPut, Key: k, Value: v})
		noError(t, err)
		return raft.Entry{Index: id + 10, Term: 1, Data: data}
	}
	equal(t, Result{RequestID: 1, Index: 11}, kv.Apply(put(1, "b", "2")))
	kv.Apply(put(2, "a", "1"))
	del, _ := kv.Encode(Command{ID: 3, Op: OpDelete, Key: "b"})
	equal(t, Result{RequestID: 3, Index: 13, Found: true}, kv.Apply(raft.Entry{Index: 13, Data: del}))
	equal(t, Result{Index: 14}, kv.Apply(raft.Entry{Index: 14}), "an empty entry changes nothing")
	_, err := kv.Encode(Command{Op: OpGet})
	truth(t, err != nil, "encoding a get must fail")

	other := NewKV()
	other.Apply(put(2, "a", "1"))
	truth(t, bytes.Equal(kv.Snapshot(), other.Snapshot()), "line 79")
	restored := NewKV()
	noError(t, restored.Restore(kv.Snapshot()))
	equal(t, []KeyValue{{"a", "1"}}, restored.Contents())
	truth(t, restored.Restore([]byte{0xff}) != nil, "garbage must not restore")
}

func TestNetworkPartitionsAndCuts(t *testing.T) {
	n := newNetwork(DefaultLinkModel, rng.New(1))
	truth(t, n.canReach(Link{1, 2}), "line 88")
	n.partition([][]raft.NodeID{{1, 2}, {3}})
	truth(t, n.canReach(Link{1, 2}), "line 90")
	truth(t, !n.canReach(Link{1, 3}), "line 91")
	truth(t, !n.canReach(Link{3, 4}), "unlisted nodes form their own group")
	equal(t, [][]raft.NodeID{{1, 2}, {3}, {4}}, n.partitions([]raft.NodeID{1, 2, 3, 4}))
	n.heal()
	n.cuts[Link{1, 2}] = true
	truth(t, !n.canReach(Link{1, 2}), "line 96")
	truth(t, n.canReach(Link{2, 1}), "a cut blocks one direction")
	n.healNode(2)
	truth(t, n.canReach(Link{1, 2}), "line 99")
	for i := 0; i < 100; i++ {
		d := n.latency(Link{1, 2})
		truth(t, d >= time.Millisecond && d <= 5*time.Millisecond, "latency %v out of range", d)
	}
}

// checkerCluster is a cluster shell with a checker, for feeding it Readys.
func checkerCluster() (*Cluster, *checker) {
	c := &Cluster{opts: Options{Seed: 42}}
	c.check = newChecker(c)
	return c, c.check
}

func proc(id raft.NodeID, term uint64) *process { return &process{id: id, term: term} }

func requireViolation(t *testing.T, c *Cluster, invariant string) {
	t.Helper()
	var ie *InvariantError
	truth(t, errors.As(c.err, &ie), "want a violation of %q, got %v", invariant, c.err)
	equal(t, invariant, ie.Invariant)
	equal(t, uint64(42), ie.Seed)
}

func TestCheckerCatchesTwoLeadersInATerm(t *testing.T) {
	c, k := checkerCluster()
	k.persisted(proc(1, 2), &raft.Ready{Role: raft.Leader}, false)
	noError(t, c.err)
	k.persisted(proc(2, 2), &raft.Ready{Role: raft.Leader}, false)
	requireViolation(t, c, "election safety")
}

func TestCheckerCatchesDivergentLogs(t *testing.T) {
	c, k := checkerCluster()
	k.persisted(proc(1, 1), &raft.Ready{Entries: []raft.Entry{{Index: 1, Term: 1, Data: []byte("a")}, {Index: 2, Term: 1}}}, false)
	// The same index and term with different data: the chained hash covers
	// the data, so this is caught at once.
	k.persisted(proc(2, 1), &raft.Ready{Entries: []raft.Entry{{Index: 1, Term: 1, Data: []byte("b")}}}, false)
	requireViolation(t, c, "log matching")
}

func TestCheckerCatchesLostCommittedEntry(t *testing.T) {
	c, k := checkerCluster()
	e := []raft.Entry{{Index: 1, Term: 1, Data: []byte("a")}}
	k.persisted(proc(1, 1), &raft.Ready{Entries: e, HardState: raft.HardState{Term: 1, Commit: 1}}, false)
	noError(t, c.err)
	// n2 becomes leader of term 2 with a log that lacks entry 1.
	k.persisted(proc(2, 2), &raft.Ready{Role: raft.Leader, HardState: raft.HardState{Term: 2}}, false)
	requireViolation(t, c, "leader completeness")
}

func TestCheckerCatchesCommitGoingBack(t *testing.T) {
	c, k := checkerCluster()
	p := proc(1, 1)
	e := []raft.Entry{{Index: 1, Term: 1}, {Index: 2, Term: 1}}
	k.persisted(p, &raft.Ready{Entries: e, HardState: raft.HardState{Term: 1, Commit: 2}}, false)
	k.persisted(p, &raft.Ready{HardState: raft.HardState{Term: 1, Commit: 1}}, false)
	requireViolation(t, c, "commit monotonicity")
}

func TestCheckerCatchesDifferentAppliedEntries(t *testing.T) {
	c, k := checkerCluster()
	k.logs[1].commit, k.logs[2].commit = 1, 1
	k.appliedEntry(proc(1, 1), raft.Entry{Index: 1, Term: 1, Data: []byte("a")})
	k.appliedEntry(proc(2, 1), raft.Entry{Index: 1, Term: 1, Data: []byte("b")})
	requireViolation(t, c, "state machine safety")
}

func TestCheckerCatchesApplyBeyondCommit(t *testing.T) {
	c, k := checkerCluster()
	k.appliedEntry(proc(1, 1), raft.Entry{Index: 1, Term: 1})
	requireViolation(t, c, "applied <= committed")
}

// The small assertions these tests use (testify's module graph is not
// complete in go.sum, so the tests keep to the standard library).

func equal(t *testing.T, want, got any, what ...any) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: want %v, got %v", fmt.Sprint(what...), want, got)
	}
}

func truth(t *testing.T, ok bool, format string, args ...any) {
	t.Helper()
	if !ok {
		t.Fatalf(format, args...)
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func panics(t *testing.T, f func(), what string) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatalf("no panic: %s", what)
		}
	}()
	f()
}
