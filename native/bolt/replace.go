package bolt

// Replacing the file atomically: Defrag and Restore both build a complete
// new file beside the old one and then swap it in with rename(2), which
// replaces a directory entry in one step — a crash leaves either the old
// file or the new one at path, never a mix. The new file's data must be
// fsynced before the rename and the directory fsynced after it, or a crash
// could persist the name without the data, or lose the rename (etcd:
// defrag's os.Rename; snap's fileutil.Fsync of the directory).

import (
	"fmt"
	"os"
	"path/filepath"
)

// replaceFile renames tmp, whose contents are already synced, over path and
// makes the rename durable.
func replaceFile(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return fmt.Errorf("bolt: renaming %s over %s: %w", tmp, path, err)
	}
	dir, err := os.Open(filepath.Dir(path))
	if err != nil {
		return fmt.Errorf("bolt: opening directory of %s to sync the rename: %w", path, err)
	}
	defer dir.Close()
	if err := dir.Sync(); err != nil {
		return fmt.Errorf("bolt: syncing directory of %s after the rename: %w", path, err)
	}
	return nil
}
