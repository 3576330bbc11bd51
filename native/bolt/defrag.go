package bolt

// Defrag: bbolt never returns pages to the file system. Deletes and MVCC
// compaction leave free pages all through the file; later writes reuse them,
// but Size stays at the high-water mark. Defrag copies the live data, bucket
// by bucket and key by key, into a new file packed at 90%, fsyncs it,
// renames it over the old one and reopens (etcd: backend.defrag, defragdb).
//
//	old file  [m][m][f][r][L][.][.][L][.][.][.][B][.][L][.][.]   Size 16 pages
//	               . = free page (on the freelist)
//	copy in key order, 90% full
//	new file  [m][m][f][r][L][L][L][B]                          Size 8 pages
//	rename new over old; reopen
//
// Read transactions open on the old file keep reading it: rename only
// replaces the name, and the old file (its inode, its memory map) lives on
// until its last reader rolls back, when the Backend closes it.

import (
	"errors"
	"fmt"
	"os"

	bbolt "go.etcd.io/bbolt"
)

// Defrag rewrites the file compactly. It refuses while the write
// transaction is open; readers and writers that arrive meanwhile wait.
func (b *Backend) Defrag() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	switch {
	case b.closed:
		return ErrClosed
	case b.writer != nil:
		return errors.New("bolt: cannot defragment while a write transaction is open; commit or roll it back first")
	}
	tmp := b.path + ".defrag"
	if err := copyCompacted(b.db, tmp, b.opts); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	old := b.db
	if err := replaceFile(tmp, b.path); err != nil {
		_ = os.Remove(tmp)
		return fmt.Errorf("bolt: defrag: %w; the old file is unchanged", err)
	}
	db, err := openFile(b.path, b.opts)
	if err != nil {
		// path names the compacted copy now; writing on to the old file
		// would lose those writes at the next restart. Stop instead.
		b.closed, b.db = true, nil
		b.retire(old)
		return fmt.Errorf("bolt: defrag: reopening %s after the swap: %w; the backend is closed, restart the member", b.path, err)
	}
	b.db = db
	b.size.Store(highWater(db))
	b.retire(old)
	return nil
}

// retire closes an old generation of the file now, or leaves it to its last
// reader's Rollback (release). b.mu must be held.
func (b *Backend) retire(old *bbolt.DB) {
	if b.readers[old] == 0 {
		_ = old.Close() // the data lives on in the new file
	}
}

// copyCompacted copies every bucket of src, in key order, into a new file at
// path, and syncs it. The copy skips fsync per transaction (it is not the
// database until the rename) and syncs once at the end.
func copyCompacted(src *bbolt.DB, path string, opts *bbolt.Options) error {
	_ = os.Remove(path) // a leftover of a defrag that crashed
	tmpOpts := *opts
	tmpOpts.NoSync = true
	dst, err := bbolt.Open(path, fileMode, &tmpOpts)
	if err != nil {
		return fmt.Errorf("bolt: defrag: creating %s: %w", path, err)
	}
	defer dst.Close()
	from, err := src.Begin(false)
	if err != nil {
		panic(fmt.Sprintf("bolt.copyCompacted: %v", err))
	}
	defer func() { _ = from.Rollback() }()
	if err := copyBuckets(from, dst); err != nil {
		return fmt.Errorf("bolt: defrag: copying into %s (is the disk full?): %w", path, err)
	}
	if err := dst.Sync(); err != nil {
		return fmt.Errorf("bolt: defrag: syncing %s: %w", path, err)
	}
	return dst.Close()
}

// copyBuckets puts every pair of from into dst in key order, committing
// every defragPutsPerTx puts.
func copyBuckets(from *bbolt.Tx, dst *bbolt.DB) error {
	tx, err := dst.Begin(true)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }() // a no-op after the last Commit
	puts := 0
	err = from.ForEach(func(name []byte, src *bbolt.Bucket) error {
		to, err := tx.CreateBucket(name)
		if err != nil {
			return err
		}
		c := src.Cursor()
		for k, v := c.First(); k != nil; k, v = c.Next() {
			if puts == defragPutsPerTx {
				if err := tx.Commit(); err != nil {
					return err
				}
				if tx, err = dst.Begin(true); err != nil {
					return err
				}
				to, puts = tx.Bucket(name), 0
			}
			to.FillPercent = seqFillPercent
			if err := to.Put(k, v); err != nil {
				return err
			}
			puts++
		}
		return nil
	})
	if err != nil {
		return err
	}
	return tx.Commit()
}
