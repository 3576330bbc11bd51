package wal

// Appending to the log. Each Save frames all its records into one buffer and
// hands it to the kernel in one write, then — when the caller says the batch
// must be durable — one fdatasync. Only after fdatasync returns may the
// caller act on the batch (send the messages of the Ready; Raft Figure 2,
// "respond to RPCs only after updating stable storage").
//
// A failed write or sync leaves the tail in an unknown state, and a failed
// fsync cannot be retried safely (the kernel may have dropped the dirty
// pages and cleared the error). So the first failure is sticky: every later
// call returns it, and the daemon must stop and restart, letting ReadAll
// decide from the disk what survived.

import (
	"fmt"
	"path/filepath"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Save appends entries and then the hard state (if not empty) and, when
// mustSync, makes them durable before returning. entries must be
// consecutive; the first may be at or below the last saved index, replacing
// the entries from there on. When the tail grows past the segment size, Save
// moves to a new segment.
func (w *WAL) Save(hs raft.HardState, entries []raft.Entry, mustSync bool) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writable(); err != nil {
		return err
	}
	if hs.IsEmpty() && len(entries) == 0 {
		return nil
	}
	if err := w.checkEntries(entries); err != nil {
		return err
	}
	buf, crc := w.buf[:0], w.crc
	for i := range entries {
		payload := marshal(&entries[i])
		if len(payload) > MaxRecordBytes {
			return fmt.Errorf("wal: entry %d encodes to %d bytes, more than MaxRecordBytes (%d)",
				entries[i].Index, len(payload), MaxRecordBytes)
		}
		buf, crc = appendRecord(buf, recordEntry, payload, crc)
	}
	if !hs.IsEmpty() {
		buf, crc = appendRecord(buf, recordHardState, marshal(hs), crc)
	}
	if err := w.append(buf, crc, mustSync); err != nil {
		return err
	}
	if n := len(entries); n > 0 {
		w.lastIndex = entries[n-1].Index
	}
	if !hs.IsEmpty() {
		w.hardState = hs
	}
	return w.cutIfFull()
}

// SavedHardState returns the hard state of the last Save (or of ReadAll).
// Its Term and Vote are on disk once that Save returned: Raft asks for a
// sync whenever they change (raft.Ready.MustSync), so only Commit may be
// ahead of the disk.
func (w *WAL) SavedHardState() raft.HardState {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.hardState
}

// SaveSnapshot appends a marker that a snapshot at meta was saved, and syncs.
// Save the snapshot file first (snap.Save) and the marker second: a marker
// promises that the snapshot exists. A Ready that carries a snapshot is
// persisted as SaveSnapshot, then Save (etcd's raftNode does the same).
func (w *WAL) SaveSnapshot(meta raft.SnapshotMeta) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writable(); err != nil {
		return err
	}
	buf, crc := appendRecord(w.buf[:0], recordSnapshot, marshal(&meta), w.crc)
	if err := w.append(buf, crc, true); err != nil {
		return err
	}
	w.lastIndex = max(w.lastIndex, meta.Index)
	return w.cutIfFull()
}

// writable returns why the log cannot be appended to, if it cannot.
func (w *WAL) writable() error {
	if w.err != nil {
		return w.err
	}
	if w.tail == nil {
		panic("wal.writable: append (Save, SaveSnapshot, Release) before ReadAll: a log from Open is in read mode until ReadAll")
	}
	return nil
}

// checkEntries refuses a batch that would leave a hole in the log.
func (w *WAL) checkEntries(entries []raft.Entry) error {
	for i := 1; i < len(entries); i++ {
		if entries[i].Index != entries[i-1].Index+1 {
			panic(fmt.Sprintf("wal.Save: entries not consecutive: %d follows %d", entries[i].Index, entries[i-1].Index))
		}
	}
	if len(entries) > 0 && entries[0].Index > w.lastIndex+1 {
		return fmt.Errorf("wal: entry %d would leave a gap after the last index %d "+
			"(for a snapshot from the leader, call SaveSnapshot before Save)", entries[0].Index, w.lastIndex)
	}
	return nil
}

// append writes buf at the end of the tail in one write and syncs it when
// asked; crc is the data CRC of buf's last record.
func (w *WAL) append(buf []byte, crc uint32, mustSync bool) error {
	w.buf = buf
	if _, err := w.tail.WriteAt(buf, w.tailOff); err != nil {
		w.err = fmt.Errorf("wal: write %s: %w (the log is now read-only; restart to recover)", w.tail.Name(), err)
		return w.err
	}
	w.tailOff += int64(len(buf))
	w.crc = crc
	if mustSync {
		if err := fdatasync(w.tail); err != nil {
			w.err = fmt.Errorf("%w (the log is now read-only; restart to recover)", err)
			return w.err
		}
	}
	return nil
}

// cutIfFull moves to a new segment when the tail has reached the size.
func (w *WAL) cutIfFull() error {
	if w.tailOff < w.opts.SegmentBytes {
		return nil
	}
	if err := w.cut(); err != nil {
		w.err = fmt.Errorf("%w (the log is now read-only; restart to recover)", err)
		return w.err
	}
	return nil
}

// cut closes the tail and starts the next segment:
//
//  1. truncate the tail to its records (dropping preallocated zeros) and
//     fsync it: from now on it is a finished segment, fully on disk;
//  2. write the next segment's header (crc, metadata, hard state) under a
//     temporary name, sync it, rename it, fsync the directory.
//
// A crash between the steps leaves either the old tail as the last segment
// (and a .tmp file that Open removes) or a new tail with a whole header.
func (w *WAL) cut() error {
	if err := w.tail.Truncate(w.tailOff); err != nil {
		return fmt.Errorf("wal: cut: truncate %s: %w", w.tail.Name(), err)
	}
	if err := w.tail.Sync(); err != nil {
		return fmt.Errorf("wal: cut: sync %s: %w", w.tail.Name(), err)
	}
	prev := w.segs[len(w.segs)-1]
	next := segment{seq: prev.seq + 1, index: w.lastIndex + 1}
	header, crc := appendRecord(nil, recordCRC, marshal(w.crc), w.crc)
	header, crc = appendRecord(header, recordMetadata, w.metadata, crc)
	if !w.hardState.IsEmpty() {
		header, crc = appendRecord(header, recordHardState, marshal(w.hardState), crc)
	}
	f, err := writeSegmentFile(w.dir, next, header, w.opts.preallocBytes())
	if err != nil {
		return err
	}
	if err := w.tail.Close(); err != nil {
		f.Close()
		return fmt.Errorf("wal: cut: close %s: %w", filepath.Base(w.tail.Name()), err)
	}
	w.segs = append(w.segs, next)
	w.tail, w.tailOff, w.crc = f, int64(len(header)), crc
	return nil
}
