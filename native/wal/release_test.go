package wal

// Release under --max-wals: unneeded segments are removed oldest first
// down to MaxFiles; needed ones stay whatever MaxFiles says; what is kept
// still reads back.

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

// segmentedLog writes entries 1..300 into 1 KiB segments (about fifteen)
// and a snapshot marker at snapIndex, and returns the open log.
func segmentedLog(t *testing.T, dir string, opts *Options, snapIndex uint64) *WAL {
	t.Helper()
	w := mustCreate(t, dir, opts)
	for i := uint64(1); i <= 300; i += 10 {
		noErr(t, w.Save(raft.HardState{Term: 2, Commit: i + 9}, entries(i, i+9, 2), true))
	}
	noErr(t, w.SaveSnapshot(raft.SnapshotMeta{Index: snapIndex, Term: 2}))
	truth(t, len(w.Segments()) >= 8, "the test needs many segments, got %d", len(w.Segments()))
	return w
}

// neededAt counts the segments Open(index) reads: the last one cut at or
// before index, and every later one.
func neededAt(t *testing.T, names []string, index uint64) int {
	t.Helper()
	first := 0
	for i, name := range names {
		s, ok := parseSegmentName(name)
		truth(t, ok, name)
		if s.index <= index {
			first = i
		}
	}
	return len(names) - first
}

// filesIn lists the segment files really on disk.
func filesIn(t *testing.T, dir string) []string {
	t.Helper()
	segs, err := listSegments(dir)
	noErr(t, err)
	var names []string
	for _, s := range segs {
		names = append(names, s.name())
	}
	return names
}

func TestReleaseKeepsMaxFiles(t *testing.T) {
	for _, tc := range []struct {
		name     string
		maxFiles int
		want     func(before, needed int) int // files kept
	}{
		{"default 5", 0, func(before, needed int) int { return max(needed, min(before, DefaultMaxFiles)) }},
		{"max 3", 3, func(before, needed int) int { return max(needed, min(before, 3)) }},
		{"unlimited", -1, func(before, needed int) int { return before }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			w := segmentedLog(t, dir, &Options{SegmentBytes: 1024, MaxFiles: tc.maxFiles}, 290)
			defer w.Close()
			before := w.Segments()
			needed := neededAt(t, before, 290)
			truth(t, len(before)-needed >= 5, "the test needs unneeded segments: %d of %d needed", needed, len(before))

			noErr(t, w.Release(290))
			after := filesIn(t, dir)
			eq(t, w.Segments(), after, "the log's list matches the disk")
			eq(t, tc.want(len(before), needed), len(after))
			eq(t, before[len(before)-len(after):], after, "the oldest go first; a suffix is kept")
		})
	}
}

// TestReleaseNeverRemovesNeeded: with MaxFiles 2 and more segments than
// that after the snapshot, every needed segment stays, the log says why,
// and a restart from the snapshot reads every entry after it.
func TestReleaseNeverRemovesNeeded(t *testing.T) {
	dir := t.TempDir()
	var logs bytes.Buffer
	opts := &Options{SegmentBytes: 1024, MaxFiles: 2, Logger: slog.New(slog.NewTextHandler(&logs, nil))}
	w := segmentedLog(t, dir, opts, 150)
	before := w.Segments()
	needed := neededAt(t, before, 150)
	truth(t, needed > 2 && needed < len(before), "the snapshot must leave more than 2 needed segments: %d of %d", needed, len(before))

	noErr(t, w.Release(150))
	after := filesIn(t, dir)
	eq(t, needed, len(after), "exactly the needed segments stay")
	truth(t, strings.Contains(logs.String(), "keeping more WAL files than --max-wals"), "no warning logged:\n%s", logs.String())
	eq(t, len(before)-needed, strings.Count(logs.String(), "purged WAL file"), "each removal is logged:\n%s", logs.String())
	noErr(t, w.Close())

	w, _, es := reopen(t, dir, raft.SnapshotMeta{Index: 150, Term: 2}, opts)
	defer w.Close()
	eq(t, entries(151, 300, 2), es)
}

// TestReleaseKeptFilesStillRead: the unneeded segments MaxFiles keeps are
// whole: a restart from an older snapshot that they reach back to works.
func TestReleaseKeptFilesStillRead(t *testing.T) {
	dir := t.TempDir()
	opts := &Options{SegmentBytes: 1024, MaxFiles: 6}
	w := segmentedLog(t, dir, opts, 280)
	noErr(t, w.SaveSnapshot(raft.SnapshotMeta{Index: 290, Term: 2}))
	noErr(t, w.Release(290))
	kept := w.Segments()
	eq(t, 6, len(kept))
	oldest, _ := parseSegmentName(kept[0])
	truth(t, oldest.index <= 280, "the kept files reach back to snapshot 280: oldest starts at %d", oldest.index)
	noErr(t, w.Close())

	w, _, es := reopen(t, dir, raft.SnapshotMeta{Index: 280, Term: 2}, opts)
	defer w.Close()
	eq(t, entries(281, 300, 2), es)
}

// TestSetOptionsTakesEffect: the daemon opens the log first and sets
// MaxFiles after; the next Release uses it, and a smaller segment size
// cuts at the next Save.
func TestSetOptionsTakesEffect(t *testing.T) {
	dir := t.TempDir()
	w := segmentedLog(t, dir, &Options{SegmentBytes: 1024, MaxFiles: -1}, 290)
	defer w.Close()
	before := len(w.Segments())
	noErr(t, w.Release(290))
	eq(t, before, len(filesIn(t, dir)), "unlimited keeps every file")

	w.SetOptions(&Options{SegmentBytes: 1024, MaxFiles: 3})
	noErr(t, w.Release(290))
	eq(t, 3, len(filesIn(t, dir)))

	w.SetOptions(&Options{SegmentBytes: 512, MaxFiles: 3})
	noErr(t, w.Save(raft.HardState{Term: 2, Commit: 310}, entries(301, 310, 2), true))
	names := filesIn(t, dir)
	last, _ := parseSegmentName(names[len(names)-1])
	eq(t, uint64(311), last.index, "the smaller segment size cut the log after entry 310")
	_, err := os.Stat(filepath.Join(dir, names[0]))
	noErr(t, err)
}
