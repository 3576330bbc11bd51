package wal

// Log retention. Once a snapshot at index s is saved (snap.Save, then
// SaveSnapshot), the entries up to s are no longer needed to restart, and the
// segments that hold only such entries can go (etcd: WAL.ReleaseLockTo plus
// the purge of old files). Release keeps the last segment cut at or before s
// — it may hold entries after s — and everything after it, which is exactly
// the set that Open(s) reads.

import (
	"fmt"
	"os"
	"path/filepath"
)

// Release removes the segments wholly before index: every segment before the
// last one whose first index is <= index. The tail is never removed. Call it
// with the index of a snapshot that is durably saved, with its marker.
func (w *WAL) Release(index uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writable(); err != nil {
		return err
	}
	keep := 0
	for i, s := range w.segs {
		if s.index <= index {
			keep = i
		}
	}
	// Remove the oldest first, so that a crash part-way leaves the
	// remaining segments without a gap in their sequence.
	for _, s := range w.segs[:keep] {
		if err := os.Remove(filepath.Join(w.dir, s.name())); err != nil {
			return fmt.Errorf("wal: release %s: %w", s.name(), err)
		}
	}
	if keep == 0 {
		return nil
	}
	w.segs = append([]segment(nil), w.segs[keep:]...)
	return syncDir(w.dir)
}

// Segments returns the names of the log's segment files, oldest first.
func (w *WAL) Segments() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	names := make([]string, len(w.segs))
	for i, s := range w.segs {
		names[i] = s.name()
	}
	return names
}
