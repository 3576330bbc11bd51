// Package wal is the daemon's write-ahead log: the durable record of what a
// raft node promised. Before a node sends a vote or acknowledges entries it
// writes them here and waits for the disk (Raft Figure 2, "Persistent state
// on all servers ... updated on stable storage before responding to RPCs").
// After a crash, the node rebuilds its hard state and its log from here.
//
// # Basics
//
// The log is a directory of segment files, each a sequence of records:
//
//	wal/
//	  0000000000000000-0000000000000000.wal    seq-index; see segment.go
//	  0000000000000001-0000000000003a41.wal
//	  0000000000000002-0000000000007702.wal    <- the tail, the only file written
//
//	segment:  [crc][metadata][hard state | snapshot marker][entry][entry]...[hard state][entry]...
//	           '---- header, written and synced before the file gets its name ----'
//
//	record:   | length | type | pad | 0 0 | data CRC | head CRC | CBOR payload | zero pad |
//	                                           |
//	          chained: CRC-32C(previous record's data CRC, type + payload)
//
// Records are entries (raft.Entry), hard states (raft.HardState), snapshot
// markers (raft.SnapshotMeta), the caller's metadata, and the crc record that
// opens each segment and carries the chain across files. All payloads are
// CBOR. The life cycle:
//
//	w, _ := wal.Create(dir, metadata, nil)         // a new member
//	w, _ := wal.Open(dir, snap.Meta, nil)          // a restart from a snapshot
//	md, hs, ents, err := w.ReadAll()               // then append mode
//	w.Save(rd.HardState, rd.Entries, rd.MustSync)  // every Ready
//	w.SaveSnapshot(meta); w.Release(meta.Index)    // after snap.Save
//
// Release removes segments that a restart from the snapshot no longer
// needs, oldest first, while more than Options.MaxFiles remain (etcd:
// --max-wals, 5); segments still needed are kept whatever their number
// (release.go).
//
// # Crash safety
//
// What is synced when:
//
//   - Save writes its records in one write(2) and, when mustSync, calls
//     fdatasync(2) before it returns. Everything Save returned from with
//     mustSync is on disk; nothing else is promised.
//   - SaveSnapshot always syncs. Its marker is written after the snapshot
//     file is durable, so a marker never names a snapshot that is not there.
//   - A new segment (Create, or a cut when the tail is full) is written under
//     a .tmp name, synced, renamed, and the directory synced; a cut first
//     truncates the old tail to its last record and fsyncs it. So every
//     segment but the last is complete and on disk, and every segment that
//     has its name has a whole header.
//   - Release removes the oldest segments first and then syncs the directory.
//
// Why a torn tail is safe to cut. A crash (kill -9, power loss) can only
// damage bytes written after the last fdatasync of the tail, because the ones
// before it are on disk. Those bytes belong to Saves that had not returned,
// so nobody was told they were durable: no vote was sent, no entry was
// acknowledged. ReadAll recognises such damage by its shape — the file ends
// inside a record, or a record has a sector that is still all zeros (an
// interrupted write into preallocated space; disks write whole 512-byte
// sectors) — and, only at the end of the last segment, cuts it off, keeping a
// copy in <segment>.broken. The raft node then restarts with a shorter log,
// which Raft tolerates: the leader sends the missing entries again.
//
// Why damage anywhere else is not. A checksum that fails where no sector is
// zero, a record that decodes to nonsense, or any problem in a segment that
// is not the last: these bytes were on disk (synced) and changed afterwards —
// bit rot, a bad disk, an operator's edit. They may hold acknowledged
// entries, whose loss would break Raft's promises (a committed entry could
// vanish from a majority). ReadAll returns a *CorruptError naming the file
// and the byte offset and changes nothing; the operator decides (usually:
// remove the member's data and let it rejoin from a peer's snapshot).
//
// The CRC chain is what lets the reader tell these apart: each record's CRC
// covers every record before it, and each segment's crc record must continue
// the previous segment's chain, so a lost, repeated or reordered record or
// segment is detected, not just a flipped bit.
//
// # Deviations from etcd
//
//   - Record framing is etcd's idea (length, CRC, 8-byte padding) with our
//     own layout: an explicit header with its own checksum, so a corrupt
//     length is caught before it is used, and CBOR instead of protobuf.
//   - Each segment repeats the metadata and the latest hard state in its
//     header, so reading can start at any segment (etcd writes the same).
//   - One flock on the directory instead of one per segment file.
//   - A torn tail is repaired by ReadAll itself (etcd's server calls
//     wal.Repair after ReadAll fails with io.ErrUnexpectedEOF); the repair is
//     reported by Repairs for the daemon to log.
//   - The zero-sector test for torn writes is etcd's heuristic and shares its
//     blind spot: a record whose payload legitimately holds 512 aligned zero
//     bytes and is then corrupted in another place, at the very tail of the
//     last segment, would be taken for torn and cut.
//
// A *WAL is used by one goroutine (the daemon's raft loop); Close releases
// the directory lock.
package wal
