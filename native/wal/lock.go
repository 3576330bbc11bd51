package wal

// One log, one writer. The log's directory is locked with flock(2) for as
// long as a *WAL is open, so a second daemon pointed at the same data dir
// stops at once instead of interleaving records with the first. The kernel
// drops the lock when the process dies, however it dies, so there is no
// stale lock to clean up after a crash (etcd locks each segment file with
// the same call: fileutil.TryLockFile).

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// lockDir takes an exclusive lock on dir and returns the open directory,
// which holds the lock until it is closed.
func lockDir(dir string) (*os.File, error) {
	f, err := os.Open(dir)
	if err != nil {
		return nil, fmt.Errorf("wal: open %s: %w", dir, err)
	}
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if err == nil {
		return f, nil
	}
	f.Close()
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return nil, fmt.Errorf("wal: %s: %w", dir, ErrLocked)
	}
	return nil, fmt.Errorf("wal: lock %s: %w", dir, err)
}
