package wal

// Reading the log back after a restart. ReadAll replays the segments from the
// one Open chose, checking every record and the CRC chain between segments,
// and rebuilds what the raft node needs: the metadata, the latest hard state
// and the entries after the snapshot. An entry at an index that is already
// held replaces it and everything after it — exactly what Save was told
// (Ready.Entries: "replacing any persisted entries at the same or higher
// index"; Figure 2, AppendEntries rule 3).
//
// A torn tail (see doc.go) is cut off and kept aside in a .broken file; any
// other damage is returned as a *CorruptError and nothing is changed.

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Repair records one torn tail that ReadAll cut off.
type Repair struct {
	File         string // the segment that was truncated
	Offset       int64  // its new size: where the torn record began
	DroppedBytes int64  // how many bytes were cut (zeros included)
	Reason       string // what the decoder found at Offset
	SavedAs      string // the file holding a copy of the cut bytes
}

func (r Repair) String() string {
	return fmt.Sprintf("wal: repaired torn tail of %s: cut %d bytes at offset %d (%s); copy kept in %s",
		r.File, r.DroppedBytes, r.Offset, r.Reason, r.SavedAs)
}

// replay accumulates the state that the records describe.
type replay struct {
	start     raft.SnapshotMeta
	metadata  []byte
	hasMeta   bool
	hardState raft.HardState
	entries   []raft.Entry // entries[i].Index == start.Index+1+i
	lastIndex uint64       // the index of the last entry (or marker) read
	matched   bool         // the marker for start was found
}

// ReadAll reads the whole log from the snapshot Open was given and switches
// the WAL to append mode. It returns the metadata, the latest hard state and
// the entries after the snapshot. Call it once.
func (w *WAL) ReadAll() (metadata []byte, hs raft.HardState, ents []raft.Entry, err error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lock == nil {
		return nil, hs, nil, ErrClosed
	}
	if w.tail != nil {
		panic("wal.ReadAll: the log is already in append mode (ReadAll twice, or after Create)")
	}
	rp := &replay{start: w.start, lastIndex: w.start.Index}
	segs := w.segs[w.readFrom:]
	end, err := readSegments(w.dir, segs, rp.apply)
	if err != nil {
		return nil, hs, nil, err
	}
	if !rp.matched {
		return nil, hs, nil, fmt.Errorf("%w: no marker for snapshot index %d term %d in %s "+
			"(was the snapshot saved without SaveSnapshot?)", ErrSnapshotNotFound, w.start.Index, w.start.Term, w.dir)
	}
	if end.damage != nil {
		if err := w.repair(end.damage); err != nil {
			return nil, hs, nil, err
		}
	}
	if err := w.openTail(segs[len(segs)-1], end); err != nil {
		return nil, hs, nil, err
	}
	w.metadata, w.hardState, w.lastIndex = rp.metadata, rp.hardState, rp.lastIndex
	return clone(rp.metadata), rp.hardState, rp.entries, nil
}

// apply folds one record into the replay.
func (rp *replay) apply(file string, rec record) error {
	bad := func(format string, args ...any) error {
		return &CorruptError{File: file, Offset: rec.offset, Reason: fmt.Sprintf(format, args...)}
	}
	switch rec.typ {
	case recordCRC:
	case recordMetadata:
		if rp.hasMeta && string(rp.metadata) != string(rec.payload) {
			return fmt.Errorf("%w: %s at offset %d differs from the metadata of earlier segments",
				ErrMetadataConflict, file, rec.offset)
		}
		rp.metadata, rp.hasMeta = clone(rec.payload), true
	case recordHardState:
		if err := unmarshal(rec.payload, &rp.hardState); err != nil {
			return bad("undecodable hard state: %v", err)
		}
	case recordSnapshot:
		var m raft.SnapshotMeta
		if err := unmarshal(rec.payload, &m); err != nil {
			return bad("undecodable snapshot marker: %v", err)
		}
		return rp.applyMarker(file, rec, m)
	case recordEntry:
		var e raft.Entry
		if err := unmarshal(rec.payload, &e); err != nil {
			return bad("undecodable entry: %v", err)
		}
		return rp.applyEntry(e, bad)
	}
	return nil
}

// applyMarker checks the marker against the snapshot being restarted from.
func (rp *replay) applyMarker(file string, rec record, m raft.SnapshotMeta) error {
	if m.Index == rp.start.Index {
		if m.Term != rp.start.Term {
			return fmt.Errorf("%w: %s at offset %d marks snapshot index %d with term %d, but the snapshot has term %d",
				ErrSnapshotMismatch, file, rec.offset, m.Index, m.Term, rp.start.Term)
		}
		rp.matched = true
	}
	rp.lastIndex = max(rp.lastIndex, m.Index)
	return nil
}

// applyEntry places e, cutting off any suffix it replaces.
func (rp *replay) applyEntry(e raft.Entry, bad func(string, ...any) error) error {
	rp.lastIndex = max(e.Index, rp.start.Index)
	if e.Index <= rp.start.Index {
		return nil // covered by the snapshot
	}
	next := rp.start.Index + uint64(len(rp.entries)) + 1
	if e.Index > next {
		return bad("entry %d follows entry %d: the log has a gap (was it opened at an older snapshot than the one saved?)",
			e.Index, next-1)
	}
	rp.entries = append(rp.entries[:e.Index-rp.start.Index-1], e)
	return nil
}

// tailDamage is a torn record at the end of the last segment.
type tailDamage struct {
	seg     segment
	problem *decodeProblem
	size    int64 // the segment file's size
}

// readEnd is where reading stopped: the end of the last good record of the
// last segment, the data CRC there, and the torn tail after it, if any.
type readEnd struct {
	offset int64
	crc    uint32
	damage *tailDamage
}

// readSegments hands every good record of segs to visit, in order, checking
// the CRC chain from each segment into the next. Damage that looks torn at
// the tail of the last segment is returned for repair; any other damage is a
// *CorruptError.
func readSegments(dir string, segs []segment, visit func(file string, rec record) error) (readEnd, error) {
	var end readEnd
	for i, s := range segs {
		path := filepath.Join(dir, s.name())
		buf, err := os.ReadFile(path)
		if err != nil {
			return end, fmt.Errorf("wal: read segment: %w", err)
		}
		recs, seed, prob := scanSegment(buf)
		if len(recs) == 0 && prob == nil {
			prob = &decodeProblem{reason: "segment holds no records"}
		}
		if len(recs) > 0 && i > 0 && seed != end.crc {
			return end, &CorruptError{File: path, Reason: fmt.Sprintf(
				"crc chain broken: the segment continues from %08x but the previous one ended at %08x "+
					"(records of the previous segment were lost, or a segment was replaced)", seed, end.crc)}
		}
		for _, rec := range recs {
			if err := visit(path, rec); err != nil {
				return end, err
			}
			end.offset, end.crc = rec.offset+rec.size, rec.crc
		}
		if prob == nil {
			continue
		}
		if i == len(segs)-1 && prob.torn && prob.offset > 0 {
			end.damage = &tailDamage{seg: s, problem: prob, size: int64(len(buf))}
			return end, nil
		}
		return end, &CorruptError{File: path, Offset: prob.offset, Reason: prob.reason}
	}
	return end, nil
}

// repair cuts a torn tail off the last segment, after saving the cut bytes
// to <segment>.broken so that nothing is destroyed unseen (etcd: wal.Repair
// keeps a .broken copy too).
func (w *WAL) repair(d *tailDamage) error {
	path := filepath.Join(w.dir, d.seg.name())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("wal: repair: %w", err)
	}
	defer f.Close()
	cut := make([]byte, d.size-d.problem.offset)
	if _, err := f.ReadAt(cut, d.problem.offset); err != nil {
		return fmt.Errorf("wal: repair: read torn tail of %s: %w", path, err)
	}
	saved := path + ".broken"
	if err := os.WriteFile(saved, trimZeros(cut), 0o600); err != nil {
		return fmt.Errorf("wal: repair: keep torn tail: %w", err)
	}
	if err := f.Truncate(d.problem.offset); err != nil {
		return fmt.Errorf("wal: repair: truncate %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("wal: repair: sync %s: %w", path, err)
	}
	if err := syncDir(w.dir); err != nil {
		return err
	}
	w.repairs = append(w.repairs, Repair{File: path, Offset: d.problem.offset,
		DroppedBytes: int64(len(cut)), Reason: d.problem.reason, SavedAs: saved})
	return nil
}

// openTail opens the last segment for appending after its last good record.
func (w *WAL) openTail(s segment, end readEnd) error {
	path := filepath.Join(w.dir, s.name())
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("wal: open tail: %w", err)
	}
	w.tail, w.tailOff, w.crc = f, end.offset, end.crc
	return nil
}

// trimZeros drops trailing zero bytes (unwritten preallocated space).
func trimZeros(b []byte) []byte {
	n := len(b)
	for n > 0 && b[n-1] == 0 {
		n--
	}
	return b[:n]
}
