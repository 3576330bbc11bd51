package snap

// Purging old snapshots. A member needs only its newest snapshot to restart;
// a few older ones are kept as a fallback should the newest turn out broken
// (etcd: --max-snapshots, 5 by default). Files set aside as .broken are not
// counted and not removed: they are evidence for the operator.

import (
	"fmt"
	"os"
	"path/filepath"
)

// Purge removes all but the newest keep snapshot files and returns the names
// it removed. keep 0 or less keeps every file (etcd: --max-snapshots=0 is
// unlimited).
func (s *Snapshotter) Purge(keep int) ([]string, error) {
	if keep < 1 {
		return nil, nil
	}
	ids, err := s.files()
	if err != nil {
		return nil, err
	}
	if len(ids) <= keep {
		return nil, nil
	}
	var removed []string
	for _, id := range ids[keep:] {
		if err := os.Remove(filepath.Join(s.dir, id.name())); err != nil {
			return removed, fmt.Errorf("snap: purge %s: %w", id.name(), err)
		}
		removed = append(removed, id.name())
	}
	return removed, syncDir(s.dir)
}
