package wal

// Log retention. Once a snapshot at index s is saved (snap.Save, then
// SaveSnapshot), the entries up to s are no longer needed to restart, and the
// segments that hold only such entries may go. Which segments are needed is
// what Open(s) reads: the last segment cut at or before s — it may hold
// entries after s — and everything after it.
//
//	segments:  [0] [1] [2] [3] [4] [5] [6]      s falls in [4]
//	           '-- not needed --' '- needed -'
//
//	MaxFiles 5: remove [0] [1]            keep 5 files, [2] [3] as a fallback
//	MaxFiles 2: remove [0] [1] [2] [3]    the 3 needed files are kept anyway
//
// Release removes segments that are no longer needed, oldest first, only
// while more than MaxFiles files remain (etcd: --max-wals, default 5: its
// purge loop, fileutil.PurgeFile, removes the oldest .wal files beyond the
// maximum, and stops at the first one the WAL still holds a lock on —
// WAL.ReleaseLockTo drops the locks on the segments before the snapshot's).
// A needed segment is never removed, even when the needed ones alone are
// more than MaxFiles; that is logged, as etcd logs the file it could not
// lock. The older, unneeded segments that are kept let an operator, or a
// restart from an older snapshot when the newest is damaged, read back a
// little further.

import (
	"fmt"
	"os"
	"path/filepath"
)

// Release lets go of the segments wholly before index (every segment
// before the last one whose first index is <= index), removing the oldest
// of them while the log has more than MaxFiles segments. The tail is never
// removed. Call it with the index of a snapshot that is durably saved, with
// its marker.
func (w *WAL) Release(index uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if err := w.writable(); err != nil {
		return err
	}
	needed := len(w.segs) - w.firstNeeded(index)
	n := w.removable(needed)
	if w.opts.MaxFiles > 0 && needed > w.opts.MaxFiles {
		w.opts.Logger.Warn("keeping more WAL files than --max-wals: they are needed to restart from the newest snapshot",
			"dir", w.dir, "files", len(w.segs), "needed", needed, "max-wals", w.opts.MaxFiles)
	}
	// Remove the oldest first, so that a crash part-way leaves the
	// remaining segments without a gap in their sequence.
	for _, s := range w.segs[:n] {
		path := filepath.Join(w.dir, s.name())
		if err := os.Remove(path); err != nil {
			return fmt.Errorf("wal: release %s: %w", s.name(), err)
		}
		w.opts.Logger.Info("purged WAL file", "path", path)
	}
	if n == 0 {
		return nil
	}
	w.segs = append([]segment(nil), w.segs[n:]...)
	return syncDir(w.dir)
}

// firstNeeded is the position in w.segs of the first segment a restart
// from a snapshot at index reads: the last one cut at or before it.
func (w *WAL) firstNeeded(index uint64) int {
	first := 0
	for i, s := range w.segs {
		if s.index <= index {
			first = i
		}
	}
	return first
}

// removable is how many of the oldest segments Release may remove when
// the newest `needed` ones must stay: those beyond MaxFiles, at most all
// the unneeded ones, none if MaxFiles is unlimited.
func (w *WAL) removable(needed int) int {
	if w.opts.MaxFiles < 0 {
		return 0
	}
	unneeded := len(w.segs) - needed
	return max(0, min(unneeded, len(w.segs)-w.opts.MaxFiles))
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
