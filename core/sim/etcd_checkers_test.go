package sim

// The guarantee checkers must be able to fail: each is fed a history that
// breaks the guarantee it checks (and the same history repaired, which
// must pass).

import (
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// A history of one key: k0=a at 2, k1=b at 3, k0 deleted at 4, k0=c at 5.
var checkerTruth = map[int64][]revEvent{
	2: {{key: "k0", value: "a"}},
	3: {{key: "k1", value: "b"}},
	4: {{key: "k0", delete: true}},
	5: {{key: "k0", value: "c"}, {key: "k1", value: "d"}},
}

func put(key, value string, rev int64) mvcc.Event {
	return mvcc.Event{Type: mvcc.EventPut, Kv: mvcc.KeyValue{Key: []byte(key), Value: []byte(value), ModRevision: rev}}
}

func del(key string, rev int64) mvcc.Event {
	return mvcc.Event{Type: mvcc.EventDelete, Kv: mvcc.KeyValue{Key: []byte(key), ModRevision: rev}}
}

func TestWatchCheckerCatchesBadStreams(t *testing.T) {
	all := watchRec{key: []byte{0}, end: []byte{0}, start: 2}
	good := []mvcc.Event{put("k0", "a", 2), put("k1", "b", 3), del("k0", 4), put("k0", "c", 5), put("k1", "d", 5)}
	if err := checkWatch(watchObs{rec: all, events: good, upAtEnd: true}, checkerTruth, 5, nil); err != nil {
		t.Fatalf("a correct stream failed: %v", err)
	}
	bad := map[string]watchObs{
		"a gap":             {rec: all, events: []mvcc.Event{put("k0", "a", 2), del("k0", 4)}, ended: true, why: "ended: crash"},
		"out of order":      {rec: all, events: []mvcc.Event{put("k1", "b", 3), put("k0", "a", 2)}, ended: true, why: "ended: crash"},
		"a torn revision":   {rec: all, events: []mvcc.Event{put("k0", "a", 2), put("k1", "b", 3), del("k0", 4), put("k0", "c", 5)}, ended: true, why: "ended: crash"},
		"before the start":  {rec: watchRec{key: []byte("k0"), start: 4}, events: []mvcc.Event{put("k0", "a", 2)}, ended: true, why: "ended: crash"},
		"a wrong value":     {rec: all, events: []mvcc.Event{put("k0", "z", 2)}, ended: true, why: "ended: crash"},
		"stalled when open": {rec: all, events: good[:3], upAtEnd: true},
		"compacted start not canceled": {rec: watchRec{key: []byte("k0"), start: 2, compactAtOpen: 4},
			events: []mvcc.Event{del("k0", 4), put("k0", "c", 5)}, upAtEnd: true},
		"canceled at a revision never compacted": {rec: watchRec{key: []byte("k0"), start: 2, compactAtOpen: 4},
			ended: true, why: "canceled: etcdserver: mvcc: required revision has been compacted (compact revision 3)"},
	}
	for name, w := range bad {
		if err := checkWatch(w, checkerTruth, 5, map[int64]bool{4: true}); err == nil {
			t.Errorf("a stream with %s passed the watch checker", name)
		}
	}
	canceled := watchObs{rec: watchRec{key: []byte("k0"), start: 2, compactAtOpen: 4}, ended: true,
		why: "canceled: etcdserver: mvcc: required revision has been compacted (compact revision 4)"}
	if err := checkWatch(canceled, checkerTruth, 5, map[int64]bool{4: true}); err != nil {
		t.Fatalf("a correct compaction cancel failed: %v", err)
	}
}

func TestLeaseCheckerCatchesBadExpiry(t *testing.T) {
	l := &leaseRec{id: 0x10, ttl: 3, granted: true, grantCall: time.Second, keys: []string{"l/0000000000000010/0"}}
	truth := map[int64][]revEvent{7: {{key: "l/0000000000000010/0", delete: true}}}
	revoked := []leaseObs{{node: 1, lease: 0x10, revision: 7, keys: 1}, {node: 2, lease: 0x10, revision: 7, keys: 1}}
	expired := []leaseObs{{node: 1, lease: 0x10, at: 4 * time.Second}}
	live := map[raft.NodeID]map[string]bool{1: {}, 2: {}}
	if err := checkLeases([]*leaseRec{l}, expired, revoked, truth, live); err != nil {
		t.Fatalf("a correct expiry failed: %v", err)
	}
	cases := map[string]func() error{
		"revoked at different revisions": func() error {
			r := []leaseObs{revoked[0], {node: 2, lease: 0x10, revision: 8, keys: 1}}
			return checkLeases([]*leaseRec{l}, expired, r, truth, live)
		},
		"revoked twice on one member": func() error {
			return checkLeases([]*leaseRec{l}, expired, append(revoked, revoked[0]), truth, live)
		},
		"keys deleted by two revisions": func() error {
			tr := map[int64][]revEvent{7: truth[7], 9: {{key: "l/0000000000000010/1", delete: true}}}
			return checkLeases([]*leaseRec{l}, expired, revoked, tr, live)
		},
		"expired early": func() error {
			return checkLeases([]*leaseRec{l}, []leaseObs{{node: 1, lease: 0x10, at: 3 * time.Second}}, revoked, truth, live)
		},
		"expired while kept alive": func() error {
			k := *l
			k.kept, k.answers = true, []time.Duration{3 * time.Second}
			return checkLeases([]*leaseRec{&k}, expired, revoked, truth, live)
		},
		"never revoked": func() error { return checkLeases([]*leaseRec{l}, nil, nil, nil, live) },
		"keys survive the revoke": func() error {
			return checkLeases([]*leaseRec{l}, expired, revoked, truth, map[raft.NodeID]map[string]bool{2: {l.keys[0]: true}})
		},
	}
	for name, check := range cases {
		if err := check(); err == nil {
			t.Errorf("a lease %s passed the lease checker", name)
		}
	}
}

func TestHashCheckerCatchesDivergence(t *testing.T) {
	h := map[raft.NodeID]map[int64]uint32{1: {5: 0xaa, 6: 0xbb}, 2: {5: 0xaa, 6: 0xbb}, 3: {6: 0xbb}}
	if err := checkHashes(h); err != nil {
		t.Fatalf("equal hashes failed: %v", err)
	}
	h[3][6] = 0xcc
	if err := checkHashes(h); err == nil || !strings.Contains(err.Error(), "revision 6") {
		t.Fatalf("diverging hashes at revision 6: %v", err)
	}
	if err := checkHashes(map[raft.NodeID]map[int64]uint32{}); err == nil {
		t.Fatal("nothing hashed passed the hash checker")
	}
}
