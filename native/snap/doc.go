// Package snap keeps the daemon's snapshot files: the application's state as
// of some applied index, so that a restarting member replays only the log
// after it, and so that the WAL can release the segments before it.
//
// # Basics
//
//	snap/
//	  0000000000000002-0000000000030d40.snap            term 2, index 200000
//	  0000000000000003-00000000000493e0.snap            term 3, index 300000
//	  0000000000000003-00000000000493e0.snap.broken     set aside by Load
//	  0000000000000004-00000000000619c4.snap.tmp        a Save a crash cut short
//
// Each file holds one raft.Snapshot: a CBOR header (magic string, version,
// CRC-32C, meta, length) and then the data as it is, never re-encoded
// (file.go). The daemon's order of work, as etcd's (the daemon does step 1
// on a goroutine of its own and steps 2 to 4 on its loop once it is done:
// native/daemon/snapshot.go):
//
//	ss.Save(snapshot)                 // 1. the file, durably
//	w.SaveSnapshot(snapshot.Meta)     // 2. the WAL marker: "snapshot exists"
//	w.Release(snapshot.Meta.Index)    // 3. old log segments may go
//	ss.Purge(snap.DefaultMaxSnapshots)
//
// and on restart:
//
//	markers, _ := wal.SnapshotMarkers(walDir)
//	s, broken, err := ss.LoadNewestAvailable(markers)  // ErrNoSnapshot: none
//	w, _ := wal.Open(walDir, s.Meta, nil)
//
// # Crash safety
//
// Save writes <name>.snap.tmp, fsyncs it, renames it to <name>.snap and
// fsyncs the directory. rename(2) is atomic, so a .snap file is always whole;
// the fsyncs make sure the data is on disk before the name points at it and
// the name is on disk before Save returns (and before the WAL marker is
// written). A crash before the rename leaves a .tmp file that New removes; a
// crash between Save and the WAL marker leaves a whole file without a marker,
// which LoadNewestAvailable skips: the WAL opened at it would not find the
// marker, and the entries after the previous snapshot are still in the log.
//
// A snapshot file damaged later (bit rot, a truncated copy) fails its checks;
// Load renames it to .broken, reports why, and falls back to the next older
// file. Nothing is deleted on the reader's initiative.
//
// # Caveats and deviations from etcd
//
//   - Falling back to an older snapshot works only while the WAL still holds
//     the entries after it. Release(index) drops segments before the newest
//     snapshot, so a fallback further back than that fails at wal.Open with a
//     clear error; the member must then be restored from a peer.
//   - etcd's .snap files hold only the v2 store and receive a leader's
//     database as a separate .snap.db file. The daemon's own snapshots are
//     thin (core/server snapshot.go): metadata only, a few hundred bytes; a
//     full snapshot received from a leader carries the backend in Data, in
//     the one .snap file, until newer snapshots purge it.
//   - An empty snapshot (index 0) is refused with ErrEmptySnapshot, where
//     etcd silently ignores it.
//   - Load returns the broken files it set aside instead of logging them
//     itself; the daemon logs them with slog.
package snap
