package snap

// The Snapshotter owns a directory of snapshot files: it saves them durably,
// loads the newest usable one, and purges old ones.
//
// Saving is write-to-temp, fsync, rename, fsync-directory: the rename is
// atomic, so a file with a .snap name is always complete and on disk; a crash
// before it leaves only a .tmp file, which New removes.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
)

// DefaultMaxSnapshots is how many snapshot files Purge keeps by default.
// etcd: --max-snapshots, default 5.
const DefaultMaxSnapshots = 5

const (
	tmpSuffix    = ".tmp"
	brokenSuffix = ".broken"
)

var (
	// ErrNoSnapshot: no usable snapshot file was found. The daemon starts
	// from the WAL alone (a new member, or one that never took a snapshot).
	ErrNoSnapshot = errors.New("snap: no usable snapshot")
	// ErrEmptySnapshot: Save was given a snapshot at index 0.
	ErrEmptySnapshot = errors.New("snap: refusing to save an empty snapshot (index 0)")
)

// Snapshotter reads and writes the snapshot files of one directory. It is
// used by the daemon's raft loop; it does not lock the directory (the WAL's
// lock guards the whole data dir).
type Snapshotter struct {
	dir string
}

// New returns a Snapshotter for dir, creating it (0700) if needed and
// removing temporary files left by an interrupted Save.
func New(dir string) (*Snapshotter, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("snap: create %s: %w", dir, err)
	}
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("snap: list %s: %w", dir, err)
	}
	for _, de := range des {
		if strings.HasSuffix(de.Name(), fileSuffix+tmpSuffix) {
			if err := os.Remove(filepath.Join(dir, de.Name())); err != nil {
				return nil, fmt.Errorf("snap: remove leftover %s: %w", de.Name(), err)
			}
		}
	}
	return &Snapshotter{dir: dir}, nil
}

// Dir returns the snapshot directory.
func (s *Snapshotter) Dir() string { return s.dir }

// Save writes snap durably as <term>-<index>.snap. Save the file before
// writing the WAL's marker for it (wal.SaveSnapshot): the marker promises the
// file exists.
func (s *Snapshotter) Save(snap raft.Snapshot) error {
	if snap.IsEmpty() {
		return ErrEmptySnapshot
	}
	id := fileID{term: snap.Meta.Term, index: snap.Meta.Index}
	path := filepath.Join(s.dir, id.name())
	tmp := path + tmpSuffix
	if err := writeSynced(tmp, encodeHeader(&snap), snap.Data); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("snap: rename %s: %w", tmp, err)
	}
	return syncDir(s.dir)
}

// writeSynced writes parts, in order, to a new file at path and fsyncs it.
func writeSynced(path string, parts ...[]byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return fmt.Errorf("snap: create %s: %w", path, err)
	}
	for _, b := range parts {
		if _, err := f.Write(b); err != nil {
			f.Close()
			return fmt.Errorf("snap: write %s: %w", path, err)
		}
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("snap: sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("snap: close %s: %w", path, err)
	}
	return nil
}

// syncDir makes the names in dir durable (fsync(2) on the directory).
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("snap: sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("snap: sync dir %s: %w", dir, err)
	}
	return nil
}

// files returns the snapshot files in the directory, newest first (by index,
// then term; the two only grow together).
func (s *Snapshotter) files() ([]fileID, error) {
	des, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, fmt.Errorf("snap: list %s: %w", s.dir, err)
	}
	var ids []fileID
	for _, de := range des {
		if id, ok := parseFileName(de.Name()); ok && de.Type().IsRegular() {
			ids = append(ids, id)
		}
	}
	slices.SortFunc(ids, func(a, b fileID) int {
		if a.index != b.index {
			return cmpDesc(a.index, b.index)
		}
		return cmpDesc(a.term, b.term)
	})
	return ids, nil
}

func cmpDesc(a, b uint64) int {
	switch {
	case a > b:
		return -1
	case a < b:
		return 1
	}
	return 0
}
