package snap

import (
	"bytes"
	"errors"
	"hash/crc32"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

func snapshotAt(index, term uint64) raft.Snapshot {
	return raft.Snapshot{
		Meta: raft.SnapshotMeta{Index: index, Term: term,
			Conf: raft.ConfState{Voters: []raft.NodeID{1, 2, 3}, Learners: []raft.NodeID{4}}},
		Data: bytes.Repeat([]byte{byte(index), byte(term)}, 1000),
	}
}

func newSnapshotter(t *testing.T) *Snapshotter {
	t.Helper()
	ss, err := New(filepath.Join(t.TempDir(), "snap"))
	if err != nil {
		t.Fatal(err)
	}
	return ss
}

func mustSave(t *testing.T, ss *Snapshotter, snaps ...raft.Snapshot) {
	t.Helper()
	for _, s := range snaps {
		if err := ss.Save(s); err != nil {
			t.Fatal(err)
		}
	}
}

func wantSnapshot(t *testing.T, want raft.Snapshot, got *raft.Snapshot, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("load: %v", err)
	}
	if !reflect.DeepEqual(&want, got) {
		t.Fatalf("loaded snapshot at index %d term %d, want index %d term %d (or data differs)",
			got.Meta.Index, got.Meta.Term, want.Meta.Index, want.Meta.Term)
	}
}

func TestRoundTrip(t *testing.T) {
	ss := newSnapshotter(t)
	mustSave(t, ss, snapshotAt(100, 2), snapshotAt(300, 3), snapshotAt(200, 2))
	got, broken, err := ss.Load()
	wantSnapshot(t, snapshotAt(300, 3), got, err)
	if len(broken) != 0 {
		t.Fatalf("nothing is broken, got %v", broken)
	}
	if _, err := os.Stat(filepath.Join(ss.Dir(), "0000000000000003-000000000000012c.snap")); err != nil {
		t.Fatalf("file name must be <term>-<index>.snap: %v", err)
	}
	if err := ss.Save(raft.Snapshot{}); !errors.Is(err, ErrEmptySnapshot) {
		t.Fatalf("saving an empty snapshot: got %v", err)
	}
}

func TestLoadEmptyDir(t *testing.T) {
	_, _, err := newSnapshotter(t).Load()
	if !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("got %v, want ErrNoSnapshot", err)
	}
}

// damage rewrites the file of the snapshot at (index, term) with f applied.
func damage(t *testing.T, ss *Snapshotter, index, term uint64, f func([]byte) []byte) string {
	t.Helper()
	path := filepath.Join(ss.Dir(), fileID{term: term, index: index}.name())
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, f(b), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCorruptNewestFallsBack(t *testing.T) {
	cases := []struct {
		name   string
		f      func([]byte) []byte
		reason string
	}{
		{"bit flip in data", func(b []byte) []byte { b[len(b)-100] ^= 1; return b }, "checksum mismatch"},
		{"truncated", func(b []byte) []byte { return b[:len(b)/2] }, "truncated"},
		{"empty", func(b []byte) []byte { return nil }, "truncated"},
		{"trailing garbage", func(b []byte) []byte { return append(b, 0) }, "truncated or padded"},
		{"foreign file", func(b []byte) []byte { return []byte("hello") }, "not a snapshot"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ss := newSnapshotter(t)
			mustSave(t, ss, snapshotAt(100, 2), snapshotAt(200, 2), snapshotAt(300, 3))
			path := damage(t, ss, 300, 3, tc.f)
			got, broken, err := ss.Load()
			wantSnapshot(t, snapshotAt(200, 2), got, err)
			if len(broken) != 1 || broken[0].File != path || !strings.Contains(broken[0].Reason, tc.reason) {
				t.Fatalf("want one broken file %s (%q), got %v", path, tc.reason, broken)
			}
			if _, err := os.Stat(path + ".broken"); err != nil {
				t.Fatalf("the broken file must be set aside: %v", err)
			}
			if _, err := os.Stat(path); !os.IsNotExist(err) {
				t.Fatalf("the broken file must no longer count as a snapshot: %v", err)
			}
			// Once set aside, it is no longer tried.
			_, broken, err = ss.Load()
			if err != nil || len(broken) != 0 {
				t.Fatalf("second load: %v %v", broken, err)
			}
		})
	}
}

func TestAllBroken(t *testing.T) {
	ss := newSnapshotter(t)
	mustSave(t, ss, snapshotAt(100, 2), snapshotAt(200, 2))
	damage(t, ss, 100, 2, func(b []byte) []byte { return b[:10] })
	damage(t, ss, 200, 2, func(b []byte) []byte { return b[:10] })
	_, broken, err := ss.Load()
	if !errors.Is(err, ErrNoSnapshot) || len(broken) != 2 {
		t.Fatalf("got %v, %v", broken, err)
	}
}

func TestRenamedFileIsRefused(t *testing.T) {
	ss := newSnapshotter(t)
	mustSave(t, ss, snapshotAt(100, 2), snapshotAt(200, 2))
	from := filepath.Join(ss.Dir(), fileID{term: 2, index: 100}.name())
	to := filepath.Join(ss.Dir(), fileID{term: 2, index: 900}.name())
	if err := os.Rename(from, to); err != nil {
		t.Fatal(err)
	}
	got, broken, err := ss.Load()
	wantSnapshot(t, snapshotAt(200, 2), got, err)
	if len(broken) != 1 || !strings.Contains(broken[0].Reason, "file name says index 900") {
		t.Fatalf("got %v", broken)
	}
}

func TestLoadNewestAvailable(t *testing.T) {
	ss := newSnapshotter(t)
	mustSave(t, ss, snapshotAt(100, 2), snapshotAt(200, 2), snapshotAt(300, 3))
	// The WAL has markers for 100 and 200 only: 300 was saved but a crash
	// came before its marker. A marker at 200 with another term matches
	// nothing.
	markers := []raft.SnapshotMeta{{}, {Index: 100, Term: 2}, {Index: 200, Term: 2}}
	got, _, err := ss.LoadNewestAvailable(markers)
	wantSnapshot(t, snapshotAt(200, 2), got, err)
	if _, err := os.Stat(filepath.Join(ss.Dir(), fileID{term: 3, index: 300}.name())); err != nil {
		t.Fatalf("an unmarked snapshot is skipped, not set aside: %v", err)
	}

	got, _, err = ss.LoadNewestAvailable([]raft.SnapshotMeta{{Index: 100, Term: 2}, {Index: 200, Term: 5}})
	wantSnapshot(t, snapshotAt(100, 2), got, err)

	damage(t, ss, 200, 2, func(b []byte) []byte { return b[:len(b)-1] })
	got, broken, err := ss.LoadNewestAvailable(markers)
	wantSnapshot(t, snapshotAt(100, 2), got, err)
	if len(broken) != 1 {
		t.Fatalf("want the damaged 200 reported, got %v", broken)
	}

	_, _, err = ss.LoadNewestAvailable([]raft.SnapshotMeta{{}})
	if !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("no marked snapshot: got %v", err)
	}
}

func TestPurge(t *testing.T) {
	ss := newSnapshotter(t)
	for i := uint64(1); i <= 8; i++ {
		mustSave(t, ss, snapshotAt(i*100, 1+i/4))
	}
	// A file set aside as broken is not a snapshot.
	if err := os.WriteFile(filepath.Join(ss.Dir(), "x.snap.broken"), []byte("x"), 0o600); err != nil {
		t.Fatal(err)
	}
	removed, err := ss.Purge(DefaultMaxSnapshots)
	if err != nil {
		t.Fatal(err)
	}
	if len(removed) != 3 {
		t.Fatalf("8 snapshots, keep 5: want 3 removed, got %v", removed)
	}
	ids, err := ss.files()
	if err != nil {
		t.Fatal(err)
	}
	var kept []uint64
	for _, id := range ids {
		kept = append(kept, id.index)
	}
	if !reflect.DeepEqual(kept, []uint64{800, 700, 600, 500, 400}) {
		t.Fatalf("kept %v, want the newest five", kept)
	}
	if _, err := os.Stat(filepath.Join(ss.Dir(), "x.snap.broken")); err != nil {
		t.Fatalf("purge must leave .broken files alone: %v", err)
	}
	if removed, _ := ss.Purge(5); len(removed) != 0 {
		t.Fatalf("nothing more to purge, removed %v", removed)
	}
}

func TestNewRemovesLeftoverTemp(t *testing.T) {
	dir := t.TempDir()
	tmp := filepath.Join(dir, fileID{term: 1, index: 5}.name()+tmpSuffix)
	if err := os.WriteFile(tmp, []byte("half"), 0o600); err != nil {
		t.Fatal(err)
	}
	ss, err := New(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(tmp); !os.IsNotExist(err) {
		t.Fatalf("leftover temp file must be removed: %v", err)
	}
	if _, _, err := ss.Load(); !errors.Is(err, ErrNoSnapshot) {
		t.Fatalf("a temp file is never loaded: %v", err)
	}
}

// Files of format version 1 (the whole snapshot CBOR-encoded inside the
// header) are still read; a flipped bit in one still fails its checksum.
func TestReadsVersion1Files(t *testing.T) {
	s := snapshotAt(7, 1)
	body, err := encMode.Marshal(&s)
	if err != nil {
		t.Fatal(err)
	}
	v1, err := encMode.Marshal(header{Magic: fileMagic, Version: 1, CRC: crc32.Checksum(body, castagnoli), Body: body})
	if err != nil {
		t.Fatal(err)
	}
	got, err := decodeFile(fileID{term: 1, index: 7}, v1)
	if err != nil || !reflect.DeepEqual(got.Meta, s.Meta) || !bytes.Equal(got.Data, s.Data) {
		t.Fatalf("version 1 file: got %+v, %v; want %+v", got, err, s.Meta)
	}
	v1[len(v1)-3] ^= 1
	if _, err := decodeFile(fileID{term: 1, index: 7}, v1); err == nil || !strings.Contains(err.Error(), "checksum mismatch") {
		t.Fatalf("flipped version 1 file: %v, want a checksum mismatch", err)
	}
}

func FuzzDecodeFile(f *testing.F) {
	s := snapshotAt(7, 1)
	good := encodeFile(&s)
	f.Add(good)
	f.Add(good[:len(good)/3])
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if snap, err := decodeFile(fileID{term: 1, index: 7}, b); err == nil && snap.Meta.Index != 7 {
			t.Fatalf("accepted a snapshot at index %d under the name of 7", snap.Meta.Index)
		}
	})
}
