package wal

// Fuzzing: whatever bytes a segment file holds, reading it returns records or
// errors and never panics; and whatever it accepts re-encodes to the very
// same bytes (so nothing is accepted that the writer would not have written).

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/etcdlab/etcdlab/core/raft"
)

// seedSegment returns the bytes of a small real segment.
func seedSegment(f *testing.F) []byte {
	dir := f.TempDir()
	w, err := Create(dir, []byte("meta"), &Options{NoPreallocate: true})
	if err != nil {
		f.Fatal(err)
	}
	if err := w.Save(raft.HardState{Term: 2, Vote: 1, Commit: 1}, entries(1, 3, 2), true); err != nil {
		f.Fatal(err)
	}
	if err := w.SaveSnapshot(raft.SnapshotMeta{Index: 1, Term: 2, Conf: raft.ConfState{Voters: []raft.NodeID{1}}}); err != nil {
		f.Fatal(err)
	}
	name := w.Segments()[0]
	if err := w.Close(); err != nil {
		f.Fatal(err)
	}
	buf, err := os.ReadFile(filepath.Join(dir, name))
	if err != nil {
		f.Fatal(err)
	}
	return buf
}

func addSeeds(f *testing.F) {
	seg := seedSegment(f)
	f.Add(seg)
	f.Add(seg[:len(seg)-3])
	f.Add(append(bytes.Clone(seg), make([]byte, 100)...))
	flipped := bytes.Clone(seg)
	flipped[len(flipped)/2] ^= 4
	f.Add(flipped)
	f.Add([]byte{})
	f.Add(make([]byte, 64))
}

func FuzzScanSegment(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		recs, seed, _ := scanSegment(data)
		prev := seed
		for i, rec := range recs {
			again, crc := appendRecord(nil, rec.typ, rec.payload, prev)
			if !bytes.Equal(again, data[rec.offset:rec.offset+rec.size]) || crc != rec.crc {
				t.Fatalf("record %d at %d was accepted but does not re-encode to its bytes", i, rec.offset)
			}
			prev = rec.crc
		}
	})
}

func FuzzReadAll(f *testing.F) {
	addSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		if err := os.WriteFile(filepath.Join(dir, segment{}.name()), data, 0o600); err != nil {
			t.Fatal(err)
		}
		w, err := Open(dir, raft.SnapshotMeta{}, &Options{NoPreallocate: true})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if _, _, ents, err := w.ReadAll(); err == nil {
			for i, e := range ents {
				if e.Index != uint64(i+1) {
					t.Fatalf("entry %d has index %d", i, e.Index)
				}
			}
			// A log that read cleanly takes writes and reads back the same.
			if err := w.Save(raft.HardState{Term: 9}, []raft.Entry{{Index: uint64(len(ents) + 1), Term: 9}}, true); err != nil {
				t.Fatal(err)
			}
		}
	})
}
