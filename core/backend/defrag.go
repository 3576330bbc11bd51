package backend

// Defrag: deletes and compaction leave free pages scattered through the file,
// and the file never shrinks by itself. Defragmentation copies every bucket,
// in key order, into a fresh file packed at 90% (etcd: backend.defrag ->
// defragdb, which copies with FillPercent 0.9 and then swaps the files), so
// Size drops to about SizeInUse. Open read transactions keep the old tree.

import "errors"

// Defrag rewrites the live data compactly.
func (m *Memory) Defrag() error {
	if m.writer != nil {
		return errors.New("backend: cannot defragment while a write transaction is open; commit or roll it back first")
	}
	old := m.roots
	m.resetFile()
	m.roots = map[string]*node{}
	w := m.BeginWrite()
	for _, name := range bucketNames(old) {
		// Every pair below was accepted by a Put before, so none can fail.
		mustOK(w.CreateBucket(name))
		c := newCursor(old[name])
		for k, v := c.seek(nil); k != nil; k, v = c.next() {
			mustOK(w.SeqPut(name, k, v))
		}
	}
	return w.Commit()
}

func mustOK(err error) {
	if err != nil {
		panic("backend.Memory.Defrag: copying live data failed: " + err.Error())
	}
}
