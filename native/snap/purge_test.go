package snap_test

// --max-snapshots=0 is etcd's "unlimited": Purge(0) keeps every file.

import (
	"path/filepath"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/native/snap"
)

func TestPurgeUnlimitedKeepsEverything(t *testing.T) {
	ss, err := snap.New(t.TempDir())
	check(t, err)
	for i := uint64(1); i <= 7; i++ {
		check(t, ss.Save(raft.Snapshot{Meta: raft.SnapshotMeta{Index: i * 10, Term: 1}, Data: []byte("state")}))
	}
	for _, keep := range []int{0, -1} {
		removed, err := ss.Purge(keep)
		check(t, err)
		if len(removed) != 0 {
			t.Fatalf("Purge(%d) removed %v, want nothing (unlimited)", keep, removed)
		}
	}
	files, err := filepath.Glob(filepath.Join(ss.Dir(), "*.snap"))
	check(t, err)
	if len(files) != 7 {
		t.Fatalf("%d snapshot files left, want all 7: %v", len(files), files)
	}
	removed, err := ss.Purge(2)
	check(t, err)
	if len(removed) != 5 {
		t.Fatalf("Purge(2) of 7 removed %v, want 5", removed)
	}
}
