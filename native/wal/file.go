package wal

// The file-system steps the log relies on, each with the reason it is needed.
//
//   - A file's data is durable after fdatasync(2) on it.
//   - A file's name (creation, rename, removal) is durable only after fsync(2)
//     on the directory that holds it (see fsync(2), "Calling fsync() does not
//     necessarily ensure that the entry in the directory containing the file
//     has also reached disk").
//   - A new segment is written under a temporary name, synced, then renamed:
//     the rename is atomic, so a segment file either does not exist or holds
//     its whole, synced header.

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

const tmpSuffix = ".tmp"

// syncDir makes the names in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("wal: sync dir %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("wal: sync dir %s: %w", dir, err)
	}
	return nil
}

// fdatasync makes f's data (and its size) durable, without its timestamps.
func fdatasync(f *os.File) error {
	if err := syscall.Fdatasync(int(f.Fd())); err != nil {
		return fmt.Errorf("wal: fdatasync %s: %w", f.Name(), err)
	}
	return nil
}

// preallocate reserves sizeBytes for f, extending it with zeros, so that
// appends do not change the file's size and fdatasync has less metadata to
// write (etcd: fileutil.Preallocate). A file system without fallocate(2)
// is fine: the file grows as it is written.
func preallocate(f *os.File, sizeBytes int64) error {
	err := syscall.Fallocate(int(f.Fd()), 0, 0, sizeBytes)
	if err == syscall.ENOTSUP || err == syscall.EOPNOTSUPP {
		return nil
	}
	if err != nil {
		return fmt.Errorf("wal: preallocate %s: %w", f.Name(), err)
	}
	return nil
}

// writeSegmentFile creates segment s in dir holding header, durably: write
// under a temporary name, fdatasync, rename, fsync the directory. It returns
// the file open for appending after header.
func writeSegmentFile(dir string, s segment, header []byte, prealloc int64) (*os.File, error) {
	path := filepath.Join(dir, s.name())
	tmp := path + tmpSuffix
	f, err := os.OpenFile(tmp, os.O_RDWR|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return nil, fmt.Errorf("wal: create segment: %w", err)
	}
	fail := func(err error) (*os.File, error) {
		f.Close()
		os.Remove(tmp)
		return nil, err
	}
	if prealloc > 0 {
		if err := preallocate(f, prealloc); err != nil {
			return fail(err)
		}
	}
	if _, err := f.WriteAt(header, 0); err != nil {
		return fail(fmt.Errorf("wal: write segment header: %w", err))
	}
	if err := fdatasync(f); err != nil {
		return fail(err)
	}
	if err := os.Rename(tmp, path); err != nil {
		return fail(fmt.Errorf("wal: rename segment: %w", err))
	}
	f.Close() // reopen under the final name, so errors name the real file
	if err := syncDir(dir); err != nil {
		return nil, err
	}
	f, err = os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("wal: reopen segment: %w", err)
	}
	return f, nil
}

// removeTempFiles deletes segments a crash left half-made (never renamed,
// so never part of the log).
func removeTempFiles(dir string) error {
	des, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("wal: list %s: %w", dir, err)
	}
	for _, de := range des {
		if strings.HasSuffix(de.Name(), segmentSuffix+tmpSuffix) {
			if err := os.Remove(filepath.Join(dir, de.Name())); err != nil {
				return fmt.Errorf("wal: remove leftover %s: %w", de.Name(), err)
			}
		}
	}
	return nil
}
