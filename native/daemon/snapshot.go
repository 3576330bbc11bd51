package daemon

// Writing the snapshots this member takes, off the loop. Every
// --snapshot-count applied entries the member takes a snapshot (core/server
// snapshot.go). The daemon runs the core with thin snapshots, so the file
// holds only metadata, as etcd's .snap files do (the backend is durable in
// bbolt on its own, and the leader encodes a full snapshot only when a
// follower needs one); a full snapshot received from a leader, though, is
// the whole backend. Either way the write and its fsyncs stay off the loop
// — every member reaches the count at the same index, and a loop stopped on
// the disk stops the cluster. etcd takes the disk off that path too (its
// raftNode saves from an apply goroutine while raft goes on). A goroutine
// writes the file while the loop serves, and the loop finishes the job when
// it is done:
//
//	loop:   Ready{CreatedSnapshot S, CompactIndex C} ──> writer: snap.Save(S)
//	        ... the loop goes on: proposals, fsyncs, applies ...        │ .tmp, fsync,
//	loop:   <-snapDone  <─────────────────────────────────────────────  │ rename, fsync dir
//	        wal.SaveSnapshot(S.Meta)   the marker: "S exists"
//	        snaps.Purge                old files go (keeping --max-snapshots)
//	        wal.Release(C)             WAL segments before C go (keeping --max-wals)
//
// Crash safety is the order above: a restart loads the newest snapshot
// whose marker is in the WAL (snap.LoadNewestAvailable), so until the
// marker is written it starts from the previous snapshot, and the WAL,
// released only after the marker, still holds every entry after that one.
// Raft's log in memory was compacted at once; that costs nothing on disk.
//
// One write at a time: a new snapshot, a snapshot from the leader (whose
// marker must come after ours), or Stop waits for the write in flight.

import (
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// snapWrite is one snapshot on its way to disk.
type snapWrite struct {
	snap    raft.Snapshot
	release uint64 // WAL index to release after the marker (0: none)
	start   time.Time
	err     error // from snap.Save, set by the writer
}

// startSnapshotWrite hands s to a writer goroutine (loop goroutine only).
func (d *Daemon) startSnapshotWrite(s raft.Snapshot, release uint64) error {
	if err := d.awaitSnapshotWrite(); err != nil {
		return err
	}
	w := &snapWrite{snap: s, release: release, start: time.Now()}
	d.snapWriting = w
	go func() {
		w.err = d.snaps.Save(w.snap)
		d.snapDone <- w
	}()
	return nil
}

// awaitSnapshotWrite finishes the write in flight, if any.
func (d *Daemon) awaitSnapshotWrite() error {
	if d.snapWriting == nil {
		return nil
	}
	return d.snapshotWritten(<-d.snapDone)
}

// snapshotWritten finishes w once its file is on disk: the WAL marker,
// purging old files, releasing the WAL behind it.
func (d *Daemon) snapshotWritten(w *snapWrite) error {
	d.snapWriting = nil
	idx := w.snap.Meta.Index
	if w.err != nil {
		return fmt.Errorf("saving snapshot %d: %w", idx, w.err)
	}
	if err := d.wal.SaveSnapshot(w.snap.Meta); err != nil {
		return fmt.Errorf("saving the WAL marker of snapshot %d: %w", idx, err)
	}
	d.purgeSnapshots()
	if w.release > 0 {
		if err := d.wal.Release(w.release); err != nil {
			return fmt.Errorf("releasing WAL segments: %w", err)
		}
	}
	d.log.Info("saved snapshot", "snapshot-index", idx, "bytes", len(w.snap.Data),
		"took", time.Since(w.start).Round(time.Millisecond).String())
	return nil
}

// purgeSnapshots removes snapshot files beyond --max-snapshots.
func (d *Daemon) purgeSnapshots() {
	if purged, err := d.snaps.Purge(d.cfg.MaxSnapshots); err != nil {
		d.log.Warn("purging old snapshot files failed", "error", err)
	} else if len(purged) > 0 {
		d.log.Info("purged old snapshot files", "files", purged)
	}
}

// finishSnapshotWrite completes the write in flight when the loop stops;
// failing here loses nothing (the WAL still holds what the file would).
func (d *Daemon) finishSnapshotWrite() {
	if err := d.awaitSnapshotWrite(); err != nil {
		d.log.Warn("the last snapshot was not saved; the WAL replays its entries at restart", "error", err)
	}
}
