package etcdimport

// Convert: an etcd backend in, an etcdlab backend out, in two passes so
// that a bad record is found before anything is written (doc.go):
//
//	pass 1  read only   every change of "key" decoded and checked; leases,
//	                    auth and the compaction progress decoded and kept
//	pass 2  commit 1    compaction progress, leases, roles and users
//	        commit 2..  the changes, ImportBatchChanges per commit
//
// The destination must be empty: a new member's backend. After pass 1 the
// only way to fail is the destination refusing a write (a full disk), and
// the caller (native/daemon restore.go) then removes the whole data dir it
// was building.

import (
	"fmt"
	"slices"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/server"
)

// ImportBatchChanges bounds the changes written per commit, so that a
// large key space does not sit in one transaction's dirty pages (etcd
// commits its backend every 10,000 writes: --backend-batch-limit).
const ImportBatchChanges = 10_000

// Report says what Convert found and wrote.
type Report struct {
	Layout Layout
	// Changes is the number of changes (puts and deletions) copied;
	// Revision the newest of them, CompactRevision the compaction's (0:
	// never compacted).
	Changes                   int
	Revision, CompactRevision int64
	Leases, Users, Roles      int
	// AuthWasEnabled: etcd had auth on; it is imported off (doc.go).
	AuthWasEnabled bool
}

func (r Report) String() string {
	s := fmt.Sprintf("converted an %v: %d changes up to revision %d", r.Layout, r.Changes, r.Revision)
	if r.CompactRevision > 0 {
		s += fmt.Sprintf(" (compacted at %d)", r.CompactRevision)
	}
	return s + fmt.Sprintf(", %d leases, %d users, %d roles", r.Leases, r.Users, r.Roles)
}

// plan is what pass 1 keeps for pass 2.
type plan struct {
	scheduled, finished int64
	leases              []etcdLease
	auth                etcdAuth
}

// Convert copies the etcd backend src reads into dst, which must be empty.
func Convert(src backend.ReadTx, dst backend.Backend) (Report, error) {
	layout, err := Detect(src)
	if err != nil {
		return Report{}, err
	}
	if layout.Kind != Etcd {
		return Report{}, fmt.Errorf("not an etcd backend: this is an %v", layout)
	}
	if err := checkEmpty(dst); err != nil {
		return Report{}, err
	}
	r := Report{Layout: layout}
	p, err := check(src, &r)
	if err != nil {
		return Report{}, fmt.Errorf("the %v is damaged, nothing was converted: %w", layout, err)
	}
	if err := p.writeFirst(dst); err != nil {
		return Report{}, fmt.Errorf("converting the %v: %w", layout, err)
	}
	if err := writeChanges(src, dst); err != nil {
		return Report{}, fmt.Errorf("converting the %v: %w", layout, err)
	}
	return r, nil
}

// check is pass 1: everything is decoded and checked, nothing written.
func check(src backend.ReadTx, r *Report) (plan, error) {
	var p plan
	err := forEachChange(src, func(c change) error {
		r.Changes++
		r.Revision = c.rev.Main
		return nil
	})
	if err != nil {
		return p, err
	}
	if p.scheduled, p.finished, err = compaction(src); err != nil {
		return p, err
	}
	if p.leases, err = readLeases(src); err != nil {
		return p, err
	}
	if p.auth, err = readAuth(src); err != nil {
		return p, err
	}
	r.CompactRevision = p.finished
	r.Leases, r.Users, r.Roles = len(p.leases), len(p.auth.users), len(p.auth.roles)
	r.AuthWasEnabled = p.auth.enabled
	return p, nil
}

// writeFirst is pass 2's first commit: everything but the changes. A
// record the core refuses rolls it back, so nothing is written.
func (p plan) writeFirst(dst backend.Backend) error {
	tx := dst.BeginWrite()
	err := mvcc.ImportCompaction(tx, p.scheduled, p.finished)
	for i := 0; err == nil && i < len(p.leases); i++ {
		l := p.leases[i]
		err = server.ImportLease(tx, l.ID, l.TTLSeconds, l.RemainingTTLSeconds)
	}
	if err == nil {
		err = p.auth.write(tx)
	}
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// writeChanges is pass 2's rest: the changes, in batches.
func writeChanges(src backend.ReadTx, dst backend.Backend) error {
	tx := dst.BeginWrite()
	n := 0
	err := forEachChange(src, func(c change) error {
		if err := mvcc.ImportChange(tx, c.rev, c.tombstone, c.kv); err != nil {
			return err
		}
		if n++; n%ImportBatchChanges == 0 {
			if err := tx.Commit(); err != nil {
				return err
			}
			tx = dst.BeginWrite()
		}
		return nil
	})
	if err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// checkEmpty refuses a destination that already holds data.
func checkEmpty(dst backend.Backend) error {
	tx := dst.BeginRead()
	defer tx.Rollback()
	for _, b := range tx.Buckets() {
		if k, _ := tx.Seek(b, []byte{}); k != nil {
			return fmt.Errorf("the destination backend is not empty: bucket %q has data", b)
		}
	}
	return nil
}

// hasBucket reports whether tx has the bucket.
func hasBucket(tx backend.ReadTx, bucket string) bool {
	return slices.Contains(tx.Buckets(), bucket)
}

// forEachIn visits the pairs of a bucket that may be missing.
func forEachIn(tx backend.ReadTx, bucket string, fn func(k, v []byte) error) error {
	if !hasBucket(tx, bucket) {
		return nil
	}
	return tx.ForEach(bucket, fn)
}
