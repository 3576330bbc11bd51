package wal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

// entries returns entries from..to (inclusive) of term, with data that names
// them, so that a wrong entry in the wrong place shows.
func entries(from, to, term uint64) []raft.Entry {
	var es []raft.Entry
	for i := from; i <= to; i++ {
		es = append(es, raft.Entry{Index: i, Term: term, Data: []byte(fmt.Sprintf("entry %d term %d", i, term))})
	}
	return es
}

func mustCreate(t testing.TB, dir string, opts *Options) *WAL {
	t.Helper()
	w, err := Create(dir, []byte("node-1 cluster-7"), opts)
	noErr(t, err)
	return w
}

// reopen opens the log at snap and reads it all.
func reopen(t testing.TB, dir string, snap raft.SnapshotMeta, opts *Options) (*WAL, raft.HardState, []raft.Entry) {
	t.Helper()
	w, err := Open(dir, snap, opts)
	noErr(t, err)
	md, hs, es, err := w.ReadAll()
	noErr(t, err)
	eq(t, "node-1 cluster-7", string(md))
	return w, hs, es
}

func TestRoundTrip(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "wal")
	w := mustCreate(t, dir, nil)
	hs := raft.HardState{Term: 3, Vote: 2, Commit: 5}
	noErr(t, w.Save(hs, entries(1, 10, 3), true))
	noErr(t, w.Close())

	w, gotHS, got := reopen(t, dir, raft.SnapshotMeta{}, nil)
	defer w.Close()
	eq(t, hs, gotHS)
	eq(t, entries(1, 10, 3), got)
	eq(t, 0, len(w.Repairs()))

	// The reopened log appends where it left off.
	noErr(t, w.Save(raft.HardState{Term: 4, Vote: 1, Commit: 11}, entries(11, 12, 4), true))
	noErr(t, w.Close())
	w, gotHS, got = reopen(t, dir, raft.SnapshotMeta{}, nil)
	defer w.Close()
	eq(t, raft.HardState{Term: 4, Vote: 1, Commit: 11}, gotHS)
	eq(t, append(entries(1, 10, 3), entries(11, 12, 4)...), got)
}

func TestEmptyLogAndEmptySave(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	noErr(t, w.Save(raft.HardState{}, nil, true))
	noErr(t, w.Close())
	w, hs, es := reopen(t, dir, raft.SnapshotMeta{}, nil)
	defer w.Close()
	truth(t, hs.IsEmpty())
	eq(t, 0, len(es))
}

func TestManySegments(t *testing.T) {
	for _, prealloc := range []bool{true, false} {
		t.Run(fmt.Sprintf("prealloc=%v", prealloc), func(t *testing.T) {
			dir := t.TempDir()
			opts := &Options{SegmentBytes: 4096, NoPreallocate: !prealloc}
			w := mustCreate(t, dir, opts)
			for i := uint64(1); i <= 1000; i += 10 {
				noErr(t, w.Save(raft.HardState{Term: 1, Commit: i}, entries(i, i+9, 1), i%30 == 1))
			}
			segs := w.Segments()
			truth(t, len(segs) > 10, "a 4 KiB segment size must cut many segments, got %d", len(segs))
			noErr(t, w.Close())

			w, hs, es := reopen(t, dir, raft.SnapshotMeta{}, opts)
			defer w.Close()
			eq(t, raft.HardState{Term: 1, Commit: 991}, hs)
			eq(t, entries(1, 1000, 1), es)
			// Every finished segment was truncated to its records at the cut.
			for _, name := range segs[:len(segs)-1] {
				fi, err := os.Stat(filepath.Join(dir, name))
				noErr(t, err)
				truth(t, fi.Size() < 4096+2048, "%s has %d bytes", name, fi.Size())
			}
		})
	}
}

func TestOverwriteConflictingSuffix(t *testing.T) {
	dir := t.TempDir()
	opts := &Options{SegmentBytes: 1024}
	w := mustCreate(t, dir, opts)
	noErr(t, w.Save(raft.HardState{Term: 1, Commit: 3}, entries(1, 20, 1), true))
	// A new leader of term 2 replaces the uncommitted suffix from 6 on,
	// then the suffix from 9 on is replaced again in term 3 — across a cut.
	noErr(t, w.Save(raft.HardState{Term: 2, Commit: 5}, entries(6, 12, 2), true))
	noErr(t, w.Save(raft.HardState{Term: 3, Commit: 8}, entries(9, 9, 3), true))
	noErr(t, w.Close())

	w, hs, es := reopen(t, dir, raft.SnapshotMeta{}, opts)
	defer w.Close()
	want := append(append(entries(1, 5, 1), entries(6, 8, 2)...), entries(9, 9, 3)...)
	eq(t, want, es)
	eq(t, raft.HardState{Term: 3, Commit: 8}, hs)
}

func TestSaveRefusesGap(t *testing.T) {
	w := mustCreate(t, t.TempDir(), nil)
	defer w.Close()
	noErr(t, w.Save(raft.HardState{}, entries(1, 3, 1), true))
	err := w.Save(raft.HardState{}, entries(5, 6, 1), true)
	errHas(t, err, "gap")
	// The refusal wrote nothing and left the log usable.
	noErr(t, w.Save(raft.HardState{}, entries(4, 4, 1), true))
	panics(t, func() { _ = w.Save(raft.HardState{}, []raft.Entry{{Index: 5}, {Index: 7}}, true) })
}

func TestSnapshotMarkerAndRelease(t *testing.T) {
	dir := t.TempDir()
	// MaxFiles 1: keep nothing that is not needed (release_test.go covers
	// the other limits).
	opts := &Options{SegmentBytes: 2048, MaxFiles: 1}
	w := mustCreate(t, dir, opts)
	for i := uint64(1); i <= 300; i += 10 {
		noErr(t, w.Save(raft.HardState{Term: 2, Commit: i + 9}, entries(i, i+9, 2), true))
	}
	snap := raft.SnapshotMeta{Index: 200, Term: 2, Conf: raft.ConfState{Voters: []raft.NodeID{1, 2, 3}}}
	noErr(t, w.SaveSnapshot(snap))
	before := w.Segments()
	noErr(t, w.Release(snap.Index))
	after := w.Segments()
	truth(t, len(after) < len(before), "release must remove segments")
	eq(t, before[len(before)-len(after):], after, "release keeps a suffix")
	for _, name := range before[:len(before)-len(after)] {
		_, err := os.Stat(filepath.Join(dir, name))
		truth(t, os.IsNotExist(err), "%s should be removed", name)
	}
	// The first kept segment was cut at or before the snapshot index.
	first, ok := parseSegmentName(after[0])
	truth(t, ok)
	truth(t, first.index <= snap.Index, "first kept segment starts at %d", first.index)
	noErr(t, w.Save(raft.HardState{Term: 2, Commit: 301}, entries(301, 305, 2), true))
	noErr(t, w.Close())

	w, hs, es := reopen(t, dir, snap, opts)
	eq(t, entries(201, 305, 2), es)
	eq(t, uint64(301), hs.Commit)
	noErr(t, w.Close())

	// The released prefix cannot be read any more, and says so.
	_, err := Open(dir, raft.SnapshotMeta{}, opts)
	errHas(t, err, "no segment reaches back to snapshot index 0")

	markers, err := SnapshotMarkers(dir)
	noErr(t, err)
	eq(t, []raft.SnapshotMeta{snap}, markers)
}

func TestOpenAtUnknownSnapshot(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	noErr(t, w.Save(raft.HardState{Term: 1, Commit: 10}, entries(1, 10, 1), true))
	noErr(t, w.SaveSnapshot(raft.SnapshotMeta{Index: 5, Term: 1}))
	noErr(t, w.Close())

	w, err := Open(dir, raft.SnapshotMeta{Index: 7, Term: 1}, nil)
	noErr(t, err)
	_, _, _, err = w.ReadAll()
	isErr(t, err, ErrSnapshotNotFound)
	noErr(t, w.Close())

	w, err = Open(dir, raft.SnapshotMeta{Index: 5, Term: 2}, nil)
	noErr(t, err)
	_, _, _, err = w.ReadAll()
	isErr(t, err, ErrSnapshotMismatch)
	noErr(t, w.Close())

	w, hs, es := reopen(t, dir, raft.SnapshotMeta{Index: 5, Term: 1}, nil)
	defer w.Close()
	eq(t, entries(6, 10, 1), es)
	eq(t, uint64(10), hs.Commit)
}

func TestSnapshotFromLeaderThenEntries(t *testing.T) {
	// A follower far behind installs the leader's snapshot at 50, then
	// appends after it; its log had only 1..3.
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	noErr(t, w.Save(raft.HardState{Term: 1, Commit: 3}, entries(1, 3, 1), true))
	snap := raft.SnapshotMeta{Index: 50, Term: 4}
	noErr(t, w.SaveSnapshot(snap))
	noErr(t, w.Save(raft.HardState{Term: 4, Commit: 52}, entries(51, 52, 4), true))
	noErr(t, w.Close())
	w, _, es := reopen(t, dir, snap, nil)
	defer w.Close()
	eq(t, entries(51, 52, 4), es)
}

func TestCreateRefusesExistingLog(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	noErr(t, w.Close())
	_, err := Create(dir, nil, nil)
	isErr(t, err, ErrExists)
	_, err = Open(t.TempDir(), raft.SnapshotMeta{}, nil)
	isErr(t, err, ErrNotFound)
}

func TestLockKeepsSecondWriterOut(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	_, err := Open(dir, raft.SnapshotMeta{}, nil)
	isErr(t, err, ErrLocked)
	errHas(t, err, "data dir is in use by another process")
	noErr(t, w.Close())

	w2, _, _ := reopen(t, dir, raft.SnapshotMeta{}, nil)
	noErr(t, w2.Close())
}

func TestClosedLogRefusesWork(t *testing.T) {
	w := mustCreate(t, t.TempDir(), nil)
	noErr(t, w.Close())
	isErr(t, w.Save(raft.HardState{Term: 1}, nil, true), ErrClosed)
	isErr(t, w.Close(), ErrClosed)
}

func TestMissingMiddleSegment(t *testing.T) {
	dir := t.TempDir()
	opts := &Options{SegmentBytes: 1024}
	w := mustCreate(t, dir, opts)
	for i := uint64(1); i <= 100; i += 5 {
		noErr(t, w.Save(raft.HardState{Term: 1}, entries(i, i+4, 1), true))
	}
	segs := w.Segments()
	noErr(t, w.Close())
	truth(t, len(segs) > 3)
	noErr(t, os.Remove(filepath.Join(dir, segs[2])))
	_, err := Open(dir, raft.SnapshotMeta{}, opts)
	errHas(t, err, "segments in between are missing")
}

func TestLeftoverTempSegmentIsIgnored(t *testing.T) {
	dir := t.TempDir()
	w := mustCreate(t, dir, nil)
	noErr(t, w.Save(raft.HardState{Term: 1}, entries(1, 3, 1), true))
	noErr(t, w.Close())
	// A crash during a cut leaves a half-written, never-renamed segment.
	tmp := filepath.Join(dir, segment{seq: 1, index: 4}.name()+tmpSuffix)
	noErr(t, os.WriteFile(tmp, []byte("half a header"), 0o600))
	w, _, es := reopen(t, dir, raft.SnapshotMeta{}, nil)
	defer w.Close()
	eq(t, entries(1, 3, 1), es)
	_, err := os.Stat(tmp)
	truth(t, errors.Is(err, os.ErrNotExist))
}
