package wal

// Operating errors of the log, with messages an operator can act on. A
// programming error (an impossible call sequence) panics instead.

import (
	"errors"
	"fmt"
)

var (
	// ErrCorrupt is matched (errors.Is) by every *CorruptError.
	ErrCorrupt = errors.New("wal: corrupt")
	// ErrLocked: another process holds the log's directory.
	ErrLocked = errors.New("data dir is in use by another process")
	// ErrExists: Create found a log already in the directory.
	ErrExists = errors.New("wal: a write-ahead log already exists")
	// ErrNotFound: Open found no segment files.
	ErrNotFound = errors.New("wal: no write-ahead log found")
	// ErrSnapshotNotFound: the log has no marker for the snapshot it was
	// opened at, so it cannot vouch for the entries after it.
	ErrSnapshotNotFound = errors.New("wal: snapshot marker not found")
	// ErrSnapshotMismatch: the log has a marker at the snapshot's index
	// with a different term.
	ErrSnapshotMismatch = errors.New("wal: snapshot marker term mismatch")
	// ErrMetadataConflict: two segments carry different metadata.
	ErrMetadataConflict = errors.New("wal: conflicting metadata")
	// ErrClosed: the log was closed.
	ErrClosed = errors.New("wal: closed")
)

// CorruptError says which bytes of which file could not be trusted.
// Everything before Offset in File was read and checked; nothing at or after
// it was used.
type CorruptError struct {
	File   string // path of the segment
	Offset int64  // byte offset of the first bad record in File
	Reason string // what the check found
}

func (e *CorruptError) Error() string {
	return fmt.Sprintf("wal: corrupt segment %s at byte offset %d: %s "+
		"(the log cannot be read past this point; restore this member from a peer or a backup)",
		e.File, e.Offset, e.Reason)
}

// Is makes errors.Is(err, ErrCorrupt) true for a *CorruptError.
func (e *CorruptError) Is(target error) bool { return target == ErrCorrupt }
