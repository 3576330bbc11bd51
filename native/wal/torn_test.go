package wal

// Crash damage at the tail is repaired; damage anywhere else is reported.
// These tests make the damage by hand, byte by byte.

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

// golden is a closed log whose last segment ends with a ~1.2 KiB entry
// record spanning several sectors: entries 1..4 are small, entry 5 is big.
type golden struct {
	opts     *Options
	segName  string // the last segment
	seg      []byte // its bytes
	last     record // the last record (entry 5)
	bigEntry raft.Entry
}

func makeGolden(t *testing.T, prealloc bool) golden {
	t.Helper()
	dir := t.TempDir()
	opts := &Options{SegmentBytes: 64 << 10, NoPreallocate: !prealloc}
	w := mustCreate(t, dir, opts)
	noErr(t, w.Save(raft.HardState{Term: 1, Commit: 2}, entries(1, 4, 1), true))
	big := raft.Entry{Index: 5, Term: 1, Data: bytes.Repeat([]byte("0123456789abcdef"), 75)}
	noErr(t, w.Save(raft.HardState{}, []raft.Entry{big}, true))
	segs := w.Segments()
	noErr(t, w.Close())
	name := segs[len(segs)-1]
	buf, err := os.ReadFile(filepath.Join(dir, name))
	noErr(t, err)
	recs, _, prob := scanSegment(buf)
	truth(t, prob == nil, "golden segment must scan cleanly: %+v", prob)
	last := recs[len(recs)-1]
	eq(t, recordEntry, last.typ)
	return golden{opts: opts, segName: name, seg: buf, last: last, bigEntry: big}
}

// writeLog writes one segment with the given bytes into a fresh directory.
func (g golden) writeLog(t *testing.T, parent string, seg []byte) string {
	t.Helper()
	dir, err := os.MkdirTemp(parent, "case")
	noErr(t, err)
	noErr(t, os.WriteFile(filepath.Join(dir, g.segName), seg, 0o600))
	return dir
}

// checkRecovers reopens dir and checks that entries 1..4 survived, whether a
// repair was reported, and that the log takes new writes afterwards.
func (g golden) checkRecovers(t *testing.T, dir string, wantRepair bool, what string) {
	t.Helper()
	w, err := Open(dir, raft.SnapshotMeta{}, g.opts)
	noErr(t, err, what)
	_, hs, es, err := w.ReadAll()
	noErr(t, err, what)
	eq(t, entries(1, 4, 1), es, what)
	eq(t, raft.HardState{Term: 1, Commit: 2}, hs, what)
	eq(t, wantRepair, len(w.Repairs()) == 1, "%s: repairs %v", what, w.Repairs())
	if wantRepair {
		_, err := os.Stat(w.Repairs()[0].SavedAs)
		noErr(t, err, "%s: the cut bytes must be kept", what)
	}
	noErr(t, w.Save(raft.HardState{Term: 2, Commit: 5}, entries(5, 6, 2), true), what)
	noErr(t, w.Close(), what)

	w, err = Open(dir, raft.SnapshotMeta{}, g.opts)
	noErr(t, err, what)
	_, hs, es, err = w.ReadAll()
	noErr(t, err, what)
	eq(t, append(entries(1, 4, 1), entries(5, 6, 2)...), es, what)
	eq(t, uint64(5), hs.Commit, what)
	eq(t, 0, len(w.Repairs()), what)
	noErr(t, w.Close(), what)
	noErr(t, os.RemoveAll(dir))
}

// TestTornTailAtEveryOffset cuts the file at every byte of its last record,
// as a crash in the middle of the write would.
func TestTornTailAtEveryOffset(t *testing.T) {
	for _, prealloc := range []bool{false, true} {
		g := makeGolden(t, prealloc)
		parent := t.TempDir()
		start, end := g.last.offset, g.last.offset+g.last.size
		for cut := start; cut < end; cut++ {
			dir := g.writeLog(t, parent, g.seg[:cut])
			g.checkRecovers(t, dir, cut > start, "cut at "+itoa(cut))
		}
	}
}

// TestZeroFilledTail zeroes the last record from each sector boundary on,
// as a crash leaves an interrupted write into preallocated space, and also
// zeroes single sectors of it (a power loss that wrote later sectors first).
func TestZeroFilledTail(t *testing.T) {
	g := makeGolden(t, true)
	truth(t, int64(len(g.seg)) == g.opts.SegmentBytes, "the golden segment must be preallocated")
	parent := t.TempDir()
	start, end := g.last.offset, g.last.offset+g.last.size
	cuts := []int64{start}
	for b := (start/sectorBytes + 1) * sectorBytes; b < end; b += sectorBytes {
		cuts = append(cuts, b)
	}
	truth(t, len(cuts) >= 3, "the last record must span sectors")
	for _, cut := range cuts {
		seg := bytes.Clone(g.seg)
		clear(seg[cut:end])
		g.checkRecovers(t, g.writeLog(t, parent, seg), cut > start, "zeroed from "+itoa(cut))
	}
	for _, b := range cuts[1:] {
		seg := bytes.Clone(g.seg)
		clear(seg[b:min(b+sectorBytes, end)])
		g.checkRecovers(t, g.writeLog(t, parent, seg), true, "zeroed sector at "+itoa(b))
	}
}

// TestBitFlipIsCorruption flips every byte of a record in the middle of the
// last segment, and of the last record itself: each is reported as
// corruption naming the file and the record's offset, and nothing changes.
func TestBitFlipIsCorruption(t *testing.T) {
	g := makeGolden(t, false)
	recs, _, _ := scanSegment(g.seg)
	parent := t.TempDir()
	for _, rec := range []record{recs[len(recs)-4], recs[len(recs)-1]} {
		for i := rec.offset; i < rec.offset+rec.size-int64(paddingFor(len(rec.payload))); i++ {
			seg := bytes.Clone(g.seg)
			seg[i] ^= 0x10
			dir := g.writeLog(t, parent, seg)
			checkCorrupt(t, dir, g.opts, g.segName, rec.offset, "flip at "+itoa(i))
		}
	}
}

// checkCorrupt opens dir and expects a *CorruptError at file and offset,
// with the file left as it was.
func checkCorrupt(t *testing.T, dir string, opts *Options, file string, offset int64, what string) {
	t.Helper()
	path := filepath.Join(dir, file)
	before, err := os.ReadFile(path)
	noErr(t, err)
	w, err := Open(dir, raft.SnapshotMeta{}, opts)
	noErr(t, err, what)
	_, _, _, err = w.ReadAll()
	var ce *CorruptError
	truth(t, errors.As(err, &ce), "%s: want a CorruptError, got %v", what, err)
	isErr(t, err, ErrCorrupt, what)
	eq(t, path, ce.File, what)
	eq(t, offset, ce.Offset, what)
	errHas(t, err, file, what)
	noErr(t, w.Close())
	after, err := os.ReadFile(path)
	noErr(t, err)
	truth(t, bytes.Equal(before, after), "%s: a corrupt log must not be modified", what)
	noErr(t, os.RemoveAll(dir))
}

// TestDamageInEarlierSegment: a flipped bit or a cut in a segment that is not
// the last is corruption, even where it would be a torn tail in the last.
func TestDamageInEarlierSegment(t *testing.T) {
	build := func() (string, []string, *Options) {
		dir := t.TempDir()
		opts := &Options{SegmentBytes: 1024, NoPreallocate: true}
		w := mustCreate(t, dir, opts)
		for i := uint64(1); i <= 60; i += 3 {
			noErr(t, w.Save(raft.HardState{Term: 1, Commit: i}, entries(i, i+2, 1), true))
		}
		segs := w.Segments()
		noErr(t, w.Close())
		truth(t, len(segs) >= 3)
		return dir, segs, opts
	}

	dir, segs, opts := build()
	path := filepath.Join(dir, segs[1])
	buf, err := os.ReadFile(path)
	noErr(t, err)
	recs, _, _ := scanSegment(buf)
	victim := recs[len(recs)/2]
	buf[victim.offset+headerBytes+2] ^= 1
	noErr(t, os.WriteFile(path, buf, 0o600))
	checkCorrupt(t, dir, opts, segs[1], victim.offset, "flip in segment 1")

	dir, segs, opts = build()
	path = filepath.Join(dir, segs[1])
	buf, err = os.ReadFile(path)
	noErr(t, err)
	noErr(t, os.WriteFile(path, buf[:len(buf)-5], 0o600))
	recs, _, _ = scanSegment(buf)
	checkCorrupt(t, dir, opts, segs[1], recs[len(recs)-1].offset, "torn end of segment 1")

	// Whole records missing from the end of an earlier segment break the chain.
	dir, segs, opts = build()
	path = filepath.Join(dir, segs[1])
	buf, err = os.ReadFile(path)
	noErr(t, err)
	recs, _, _ = scanSegment(buf)
	noErr(t, os.WriteFile(path, buf[:recs[len(recs)-1].offset], 0o600))
	checkCorrupt(t, dir, opts, segs[2], 0, "records lost from segment 1")
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
