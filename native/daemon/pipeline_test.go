package daemon

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// appliesDuringPersist overlaps the apply with the WAL write only when
// every committed entry was persisted by an earlier Ready and no snapshot
// work is due.
func TestAppliesDuringPersist(t *testing.T) {
	ents := func(lo, hi uint64) []raft.Entry {
		var es []raft.Entry
		for i := lo; i <= hi; i++ {
			es = append(es, raft.Entry{Term: 1, Index: i})
		}
		return es
	}
	snap := &raft.Snapshot{Meta: raft.SnapshotMeta{Index: 5, Term: 1}}
	cases := []struct {
		name string
		rd   server.Ready
		want bool
	}{
		{"nothing to apply", server.Ready{Entries: ents(5, 7)}, true},
		{"nothing to persist", server.Ready{CommittedEntries: ents(1, 3)}, true},
		{"older entries applied", server.Ready{Entries: ents(5, 7), CommittedEntries: ents(1, 4)}, true},
		{"commits its own entries", server.Ready{Entries: ents(5, 7), CommittedEntries: ents(3, 5)}, false},
		{"leader's snapshot", server.Ready{Snapshot: snap}, false},
		{"created snapshot", server.Ready{CreatedSnapshot: snap, CompactIndex: 5}, false},
		{"WAL release", server.Ready{CompactIndex: 5}, false},
	}
	for _, c := range cases {
		if got := appliesDuringPersist(c.rd); got != c.want {
			t.Errorf("%s: appliesDuringPersist = %v, want %v", c.name, got, c.want)
		}
	}
}
