package snap

// Loading the snapshot to restart from. The newest file is tried first; a
// file that fails its checks is renamed to <name>.broken (kept for the
// operator, never deleted by us) and the next older one is tried, so one bad
// file costs a longer log replay, not the member.
//
// Which snapshots are usable at all? etcd's rule (snap.LoadNewestAvailable
// with wal.ValidSnapshotEntries): only one the WAL has a marker for, at an
// index the WAL's hard state has committed. The snapshot file is saved
// before its marker, so a file without a marker may come from a save that a
// crash interrupted before the WAL recorded it — and the WAL, opened at that
// snapshot, would refuse it (wal.ErrSnapshotNotFound). Such a file is
// skipped, not broken.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Broken is a snapshot file that failed its checks and was set aside.
type Broken struct {
	File    string // the path it had
	Reason  string // why it cannot be used
	MovedTo string // where it is now ("" if the rename failed too)
}

func (b Broken) String() string {
	return fmt.Sprintf("snap: %s is broken (%s); moved to %s", b.File, b.Reason, b.MovedTo)
}

// Load returns the newest snapshot that passes its checks, and the files it
// set aside on the way, for the daemon to log. It returns ErrNoSnapshot if
// there is none.
func (s *Snapshotter) Load() (*raft.Snapshot, []Broken, error) {
	return s.load(func(fileID) bool { return true })
}

// LoadNewestAvailable is Load restricted to snapshots that walSnaps (from
// wal.SnapshotMarkers) holds a marker for, with the same term and index.
func (s *Snapshotter) LoadNewestAvailable(walSnaps []raft.SnapshotMeta) (*raft.Snapshot, []Broken, error) {
	marked := make(map[fileID]bool, len(walSnaps))
	for _, m := range walSnaps {
		marked[fileID{term: m.Term, index: m.Index}] = true
	}
	return s.load(func(id fileID) bool { return marked[id] })
}

// load tries the files that usable accepts, newest first.
func (s *Snapshotter) load(usable func(fileID) bool) (*raft.Snapshot, []Broken, error) {
	ids, err := s.files()
	if err != nil {
		return nil, nil, err
	}
	var broken []Broken
	for _, id := range ids {
		if !usable(id) {
			continue
		}
		snap, err := s.read(id)
		if err == nil {
			return snap, broken, nil
		}
		var reason *brokenReason
		if !errors.As(err, &reason) {
			return nil, broken, err // an I/O error, not a bad file
		}
		broken = append(broken, s.setAside(id, reason.msg))
	}
	return nil, broken, ErrNoSnapshot
}

// brokenReason is a decode failure: the file's contents are bad.
type brokenReason struct{ msg string }

func (b *brokenReason) Error() string { return b.msg }

// read loads one file; a bad file gives a *brokenReason.
func (s *Snapshotter) read(id fileID) (*raft.Snapshot, error) {
	path := filepath.Join(s.dir, id.name())
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("snap: read %s: %w", path, err)
	}
	snap, err := decodeFile(id, b)
	if err != nil {
		return nil, &brokenReason{msg: err.Error()}
	}
	return snap, nil
}

// setAside renames a bad file to <name>.broken.
func (s *Snapshotter) setAside(id fileID, reason string) Broken {
	path := filepath.Join(s.dir, id.name())
	b := Broken{File: path, Reason: reason, MovedTo: path + brokenSuffix}
	if err := os.Rename(path, b.MovedTo); err != nil {
		b.Reason += fmt.Sprintf("; could not move it aside: %v", err)
		b.MovedTo = ""
		return b
	}
	if err := syncDir(s.dir); err != nil {
		b.Reason += "; " + err.Error()
	}
	return b
}
