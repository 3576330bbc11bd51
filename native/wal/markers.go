package wal

// Which snapshots may the daemon restart from? Only one that the log has a
// marker for: the marker is written after the snapshot file is durable, so a
// snapshot file without a marker may be one whose save was interrupted, or
// one taken at an index the log never committed (etcd:
// wal.ValidSnapshotEntries, used by snap.LoadNewestAvailable).
//
// SnapshotMarkers reads the log without locking it or repairing it, before
// the daemon opens it; a torn tail simply ends the reading.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
)

// SnapshotMarkers returns the snapshot markers in the log in dir, oldest
// first, keeping only those at or below the latest hard state's commit index
// (a marker above it would describe state the cluster never committed). The
// empty marker written by Create is included.
func SnapshotMarkers(dir string) ([]raft.SnapshotMeta, error) {
	segs, err := listSegments(dir)
	if err != nil {
		return nil, err
	}
	if len(segs) == 0 {
		return nil, fmt.Errorf("%w in %s", ErrNotFound, dir)
	}
	var markers []raft.SnapshotMeta
	var hs raft.HardState
	_, err = readSegments(dir, segs, func(file string, rec record) error {
		switch rec.typ {
		case recordSnapshot:
			var m raft.SnapshotMeta
			if err := unmarshal(rec.payload, &m); err != nil {
				return &CorruptError{File: file, Offset: rec.offset, Reason: "undecodable snapshot marker: " + err.Error()}
			}
			markers = append(markers, m)
		case recordHardState:
			if err := unmarshal(rec.payload, &hs); err != nil {
				return &CorruptError{File: file, Offset: rec.offset, Reason: "undecodable hard state: " + err.Error()}
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	valid := markers[:0]
	for _, m := range markers {
		if m.Index <= hs.Commit {
			valid = append(valid, m)
		}
	}
	return valid, nil
}
