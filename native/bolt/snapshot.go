package bolt

// Snapshots: the file itself is the snapshot. WriteTo streams the last
// commit page by page (bbolt: Tx.WriteTo), from a read transaction, so
// writers carry on meanwhile; the stream is a complete bbolt file whose two
// meta pages both describe that commit. Restore writes such a stream to a
// file and proves it sound before it takes the file's name (etcd: the
// leader sends its db file; the follower's snapshotter saves it as
// <index>.snap.db and the server renames it over the backend).
//
//	leader: WriteTo ──stream──► follower: Restore(path, stream)
//	                                 tmp file ─ fsync ─ check ─ rename ─► Open(path)

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"

	"github.com/etcdlab/etcdlab/core/backend"
	bbolt "go.etcd.io/bbolt"
)

// WriteTo writes a consistent snapshot of the last commit to w.
func (b *Backend) WriteTo(w io.Writer) (int64, error) {
	var n int64
	var err error
	b.view(func(tx *bbolt.Tx) { n, err = tx.WriteTo(w) })
	if err != nil {
		return n, fmt.Errorf("bolt: writing snapshot of %s: %w", b.path, err)
	}
	return n, nil
}

// Restore writes the snapshot stream r to a file at path, replacing what is
// there, once the copy has proved to be a sound bbolt file. A Backend open
// on path must be closed first, and path opened again afterwards. A stream
// that is not a sound file gives an error wrapping backend.ErrBadSnapshot,
// and path is left untouched.
//
// The stream may carry etcd's SHA-256 trailer (the maintenance Snapshot RPC
// appends one to the file); it is checked and cut off.
func Restore(path string, r io.Reader) error {
	tmp := path + ".restore"
	err := writeSynced(tmp, r)
	if err == nil {
		err = verifyFile(tmp)
	}
	if err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return replaceFile(tmp, path)
}

// writeSynced copies r into a new file at path, checks and cuts a SHA-256
// trailer if there is one, and fsyncs the file.
func writeSynced(path string, r io.Reader) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_RDWR, fileMode)
	if err != nil {
		return fmt.Errorf("bolt: restore: creating %s: %w", path, err)
	}
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return fmt.Errorf("bolt: restore: writing %s after %d bytes: %w", path, n, err)
	}
	if n == 0 {
		return fmt.Errorf("%w: the stream is empty", backend.ErrBadSnapshot)
	}
	if err := cutHashTrailer(f, n); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return fmt.Errorf("bolt: restore: syncing %s: %w", path, err)
	}
	return f.Close()
}

// cutHashTrailer: a bbolt file is whole pages, so n bytes with 32 left over
// after whole 512-byte blocks mean a SHA-256 of the rest follows (etcd:
// etcdutl snapshot restore, the same test). It must match; then it is cut.
func cutHashTrailer(f *os.File, n int64) error {
	if n%512 != sha256.Size {
		return nil
	}
	body := n - sha256.Size
	h := sha256.New()
	if _, err := io.Copy(h, io.NewSectionReader(f, 0, body)); err != nil {
		return fmt.Errorf("bolt: restore: hashing %s: %w", f.Name(), err)
	}
	want := make([]byte, sha256.Size)
	if _, err := f.ReadAt(want, body); err != nil {
		return fmt.Errorf("bolt: restore: reading the hash of %s: %w", f.Name(), err)
	}
	if !bytes.Equal(h.Sum(nil), want) {
		return fmt.Errorf("%w: SHA-256 mismatch, the stream was damaged in transit", backend.ErrBadSnapshot)
	}
	if err := f.Truncate(body); err != nil {
		return fmt.Errorf("bolt: restore: cutting the hash off %s: %w", f.Name(), err)
	}
	return nil
}

// verifyFile opens path read-only, walks every bucket, and runs bbolt's
// consistency check (reachable pages, freelist, key order: Tx.Check). A
// damaged page can send bbolt's unsafe reads outside the memory map; with
// SetPanicOnFault that is a panic recovered here, not a crash.
func verifyFile(path string) (err error) {
	defer debug.SetPanicOnFault(debug.SetPanicOnFault(true))
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%w: reading it failed: %v", backend.ErrBadSnapshot, r)
		}
	}()
	if err := checkHeader(path); err != nil {
		return fmt.Errorf("%w: %v", backend.ErrBadSnapshot, err)
	}
	db, err := bbolt.Open(path, fileMode, &bbolt.Options{
		ReadOnly: true, PreLoadFreelist: true, Timeout: DefaultOpenTimeout,
	})
	if err != nil {
		return fmt.Errorf("%w: %v", backend.ErrBadSnapshot, err)
	}
	defer db.Close()
	if err := db.View(checkTx); err != nil {
		return fmt.Errorf("%w: %v", backend.ErrBadSnapshot, err)
	}
	return nil
}

// checkTx reads every pair (on this goroutine, under the fault guard), then
// runs bbolt's check and reports its first few findings.
func checkTx(tx *bbolt.Tx) error {
	err := tx.ForEach(func(_ []byte, b *bbolt.Bucket) error {
		return b.ForEach(func(_, _ []byte) error { return nil })
	})
	if err != nil {
		return err
	}
	var problems []string
	for err := range tx.Check() {
		problems = append(problems, err.Error())
	}
	if len(problems) > maxReportedProblems {
		problems = append(problems[:maxReportedProblems], fmt.Sprintf("and %d more", len(problems)-maxReportedProblems))
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}
