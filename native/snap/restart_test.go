package snap_test

// The daemon's whole durability cycle with the WAL: snapshot, marker,
// release, purge, restart — and a crash between the snapshot file and its
// marker.

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/native/snap"
	"github.com/etcdlab/etcdlab/native/wal"
)

func entries(from, to uint64) []raft.Entry {
	var es []raft.Entry
	for i := from; i <= to; i++ {
		es = append(es, raft.Entry{Index: i, Term: 1, Data: []byte(fmt.Sprint(i))})
	}
	return es
}

func TestRestartFromSnapshotAndWAL(t *testing.T) {
	dataDir := t.TempDir()
	walDir, snapDir := filepath.Join(dataDir, "wal"), filepath.Join(dataDir, "snap")
	opts := &wal.Options{SegmentBytes: 2048}
	w, err := wal.Create(walDir, []byte("m"), opts)
	check(t, err)
	ss, err := snap.New(snapDir)
	check(t, err)

	for i := uint64(1); i <= 400; i += 10 {
		check(t, w.Save(raft.HardState{Term: 1, Commit: i + 9}, entries(i, i+9), true))
		if (i+9)%100 == 0 { // every 100 entries: the daemon's snapshot cycle
			s := raft.Snapshot{Meta: raft.SnapshotMeta{Index: i + 9, Term: 1}, Data: []byte(fmt.Sprint("state@", i+9))}
			check(t, ss.Save(s))
			check(t, w.SaveSnapshot(s.Meta))
			check(t, w.Release(s.Meta.Index))
			_, err := ss.Purge(2)
			check(t, err)
		}
	}
	// A crash after saving snapshot 405's file but before its marker.
	check(t, w.Save(raft.HardState{Term: 1, Commit: 405}, entries(401, 405), true))
	check(t, ss.Save(raft.Snapshot{Meta: raft.SnapshotMeta{Index: 405, Term: 1}}))
	check(t, w.Close())

	markers, err := wal.SnapshotMarkers(walDir)
	check(t, err)
	s, broken, err := ss.LoadNewestAvailable(markers)
	check(t, err)
	if len(broken) != 0 || s.Meta.Index != 400 || string(s.Data) != "state@400" {
		t.Fatalf("want snapshot 400 (405 has no marker), got %d %q %v", s.Meta.Index, s.Data, broken)
	}
	w, err = wal.Open(walDir, s.Meta, opts)
	check(t, err)
	defer w.Close()
	_, hs, es, err := w.ReadAll()
	check(t, err)
	if hs.Commit != 405 || !reflect.DeepEqual(es, entries(401, 405)) {
		t.Fatalf("after snapshot 400: commit %d, %d entries", hs.Commit, len(es))
	}
}

func check(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
