package lease

import (
	"bytes"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
)

// TestSnapshotRoundTrip: a follower that restores the leader's snapshot
// holds the same leases, keys and checkpoints, and snapshots to the same
// bytes.
func TestSnapshotRoundTrip(t *testing.T) {
	leader := newPrimary(t, withCheckpoints)
	mustGrant(t, leader, 3, 60, 0)
	mustGrant(t, leader, -9, 3600, 0)
	mustGrant(t, leader, 1, 10, 0)
	for id, keys := range map[LeaseID][]string{3: {"b", "a\xff\x00"}, -9: {"z"}} {
		if err := leader.Attach(id, keys); err != nil {
			t.Fatal(err)
		}
	}
	if err := leader.Checkpoint(-9, 1234, 0); err != nil {
		t.Fatal(err)
	}
	data := leader.Snapshot()

	follower := newTestLessor(t)
	mustGrant(t, follower, 77, 10, 0) // replaced by the restore
	if err := follower.Restore(data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(follower.Snapshot(), data) {
		t.Fatal("the restored lessor snapshots to different bytes")
	}
	if got := follower.Leases(); !slices.Equal(got, []LeaseID{-9, 1, 3}) {
		t.Fatalf("Leases() = %v", got)
	}
	want := map[LeaseID]Status{
		-9: {ID: -9, TTLSeconds: 3600, RemainingTTLSeconds: 1234, Expiry: Never, Keys: []string{"z"}},
		1:  {ID: 1, TTLSeconds: 10, Expiry: Never, Keys: []string{}},
		3:  {ID: 3, TTLSeconds: 60, Expiry: Never, Keys: []string{"a\xff\x00", "b"}},
	}
	for id, w := range want {
		st, ok := follower.Lookup(id)
		if !ok || st.ID != w.ID || st.TTLSeconds != w.TTLSeconds || st.RemainingTTLSeconds != w.RemainingTTLSeconds ||
			st.Expiry != w.Expiry || !slices.Equal(st.Keys, w.Keys) {
			t.Fatalf("lease %v: %+v, want %+v", id, st, w)
		}
	}
	if follower.GetLease("a\xff\x00") != 3 || follower.GetLease("z") != -9 {
		t.Fatal("key ownership not restored")
	}
	// The restored follower, once promoted, resumes from the checkpoint.
	follower.Promote(time.Second, time.Minute)
	if st, _ := follower.Lookup(-9); st.Expiry != time.Minute+1235*time.Second {
		t.Fatalf("expiry after promotion %v", st.Expiry)
	}
}

// TestSnapshotDeterministic: the same leases reached in different orders
// encode to the same bytes.
func TestSnapshotDeterministic(t *testing.T) {
	a, b := newTestLessor(t), newPrimary(t)
	for _, id := range []LeaseID{5, 2, 9} {
		mustGrant(t, a, id, 30, 0)
	}
	for _, id := range []LeaseID{9, 5, 2} {
		mustGrant(t, b, id, 30, time.Hour)
	}
	_ = a.Attach(2, []string{"x", "y"})
	_ = b.Attach(2, []string{"y"})
	_ = b.Attach(5, []string{"x"})
	_ = b.Attach(2, []string{"x"})
	if !bytes.Equal(a.Snapshot(), b.Snapshot()) {
		t.Fatal("same leases, different snapshot bytes")
	}
}

func TestRestoreRejectsBadSnapshots(t *testing.T) {
	enc := func(f snapshotFile) []byte {
		data, err := cbor.Marshal(f)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	for _, tt := range []struct {
		name string
		data []byte
		want string
	}{
		{"garbage", []byte{0xff, 0x00}, "cannot decode"},
		{"version", enc(snapshotFile{Version: 9}), "snapshot version 9"},
		{"zero id", enc(snapshotFile{Version: 1, Leases: []snapshotLease{{ID: 0, TTLSeconds: 5}}}), "has ID 0"},
		{"order", enc(snapshotFile{Version: 1, Leases: []snapshotLease{{ID: 2, TTLSeconds: 5}, {ID: 1, TTLSeconds: 5}}}), "out of order"},
		{"ttl", enc(snapshotFile{Version: 1, Leases: []snapshotLease{{ID: 1, TTLSeconds: 9_000_000_001}}}), "above the maximum"},
		{"key order", enc(snapshotFile{Version: 1, Leases: []snapshotLease{{ID: 1, TTLSeconds: 5, Keys: [][]byte{[]byte("b"), []byte("a")}}}}), "key \"a\" is out of order"},
		{"shared key", enc(snapshotFile{Version: 1, Leases: []snapshotLease{
			{ID: 1, TTLSeconds: 5, Keys: [][]byte{[]byte("k")}},
			{ID: 2, TTLSeconds: 5, Keys: [][]byte{[]byte("k")}},
		}}), "attached to leases"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			l := newPrimary(t)
			mustGrant(t, l, 42, 10, 0)
			before := l.Snapshot()
			err := l.Restore(tt.data)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Restore = %v, want an error containing %q", err, tt.want)
			}
			if !bytes.Equal(l.Snapshot(), before) || !l.IsPrimary() {
				t.Fatal("a refused restore changed the lessor")
			}
		})
	}
}

// TestRestoreRaisesMinTTL: a lease below this member's minimum TTL is
// raised on restore, and the restored lessor is a follower.
func TestRestoreRaisesMinTTL(t *testing.T) {
	short := newTestLessor(t, func(c *Config) { c.ElectionTimeout = 100 * time.Millisecond })
	mustGrant(t, short, 1, 1, 0)
	long := newPrimary(t, func(c *Config) { c.ElectionTimeout = 4 * time.Second })
	if err := long.Restore(short.Snapshot()); err != nil {
		t.Fatal(err)
	}
	if st, _ := long.Lookup(1); st.TTLSeconds != 6 || st.Expiry != Never {
		t.Fatalf("restored %+v, want TTL 6 held forever", st)
	}
	if long.IsPrimary() {
		t.Fatal("Restore left the lessor primary")
	}
}
