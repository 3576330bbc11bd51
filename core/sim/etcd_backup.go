package sim

// Backup and restore, etcd mode: `etcdctl snapshot save` and `etcdctl
// snapshot restore` on the simulated cluster.
//
//	SaveSnapshot(n1)      n1's backend as of its last commit (etcd:
//	                      Maintenance.Snapshot, which force-commits first),
//	                      a SHA-256 of it, and what `snapshot status` reads
//	RestoreSnapshot(b, n4 n5 n6)
//	                      a NEW cluster: each new member starts from a copy
//	                      of the backend with the old identity wiped (the
//	                      members, the cluster ID, the consistent index)
//	                      and bootstraps the new membership on top of it:
//	                      same keys, same revision, new member IDs, new
//	                      cluster ID, a Raft log that starts over at term 1
//
// The restore follows etcd's (etcdutl snapshot restore, v3_snapshot.go)
// and the daemon's (native/daemon/restore.go): the hash is checked, the old
// membership goes, the new members' logs hold only the bootstrap entries,
// committed and applied at once, and each member takes a Raft snapshot at
// the last of them. The restored keys live in the backend, not in the log,
// so a member added later must receive that snapshot rather than replay
// the log.
//
// Deviations: the new members are new nodes of the same simulator (etcd
// would restore into new data dirs, often on the same machines): member
// IDs here are node numbers, so new IDs mean new nodes. Every member of
// the old cluster must be down when the restore runs — the simulator runs
// one cluster's leader at a time (Leader picks the highest term). A
// restored cluster gets invariant checks of its own: its terms and log
// indexes start over and share nothing with the old cluster's.

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// Backup is a snapshot file as `etcdctl snapshot save` writes it: the
// backend stream and its SHA-256 trailer, plus what `etcdctl snapshot
// status` reads from the file.
type Backup struct {
	From   raft.NodeID // the member it was taken from
	DB     []byte      // the backend (Backend.WriteTo)
	SHA256 [sha256.Size]byte
	// Hash is the CRC-32C over buckets, keys and values (etcd: snapshot
	// status HASH); Revision the newest revision in the key bucket;
	// TotalKeys the keys of every bucket; TotalSize the file's size.
	Hash      uint32
	Revision  int64
	TotalKeys int
	TotalSize int64
}

// restoreKeyBucket is mvcc's bucket of revisions, counted by Status.
const restoreKeyBucket = "key"

// SaveSnapshot returns member id's backend as a snapshot file.
func (c *Cluster) SaveSnapshot(id raft.NodeID) (*Backup, error) {
	p, err := c.memberProc(id)
	if err != nil {
		return nil, err
	}
	p.member.CommitBackend()
	var buf bytes.Buffer
	if _, err := p.member.Backend().WriteTo(&buf); err != nil {
		return nil, fmt.Errorf("snapshot of %s: %w", Name(id), err)
	}
	b := &Backup{From: id, DB: buf.Bytes(), SHA256: sha256.Sum256(buf.Bytes())}
	file, err := backend.Restore(bytes.NewReader(b.DB))
	if err != nil {
		panic(fmt.Sprintf("sim.Cluster.SaveSnapshot: %s's backend stream does not read back: %v", Name(id), err))
	}
	b.Hash, b.TotalSize = file.Hash(nil), file.Size()
	b.Revision, b.TotalKeys = fileStatus(file)
	c.record(Record{Kind: RecAction, Node: id, Detail: fmt.Sprintf("snapshot save: revision %d, %d bytes", b.Revision, b.TotalSize)})
	return b, nil
}

// fileStatus counts the keys of every bucket and reads the newest revision
// from the last key of the key bucket (8 bytes big endian: its main
// revision), as etcdctl snapshot status does.
func fileStatus(be backend.Backend) (rev int64, keys int) {
	tx := be.BeginRead()
	defer tx.Rollback()
	for _, name := range tx.Buckets() {
		tx.ForEach(name, func(k, _ []byte) error {
			keys++
			if name == restoreKeyBucket && len(k) >= 8 {
				rev = int64(binary.BigEndian.Uint64(k[:8]))
			}
			return nil
		})
	}
	return rev, keys
}

// RestoreSnapshot starts a new cluster of the nodes ids from backup b: new
// members, a new cluster ID, the backup's keys and revision.
func (c *Cluster) RestoreSnapshot(b *Backup, ids []raft.NodeID) error {
	if err := c.checkRestore(b, ids); err != nil {
		return err
	}
	var boot []raft.ConfChange
	for _, id := range ids {
		boot = append(boot, raft.ConfChange{Type: raft.AddVoter, Node: id})
	}
	var check *checker
	if c.opts.CheckInvariants {
		check = newChecker(c)
	}
	var started []*process
	for _, id := range ids {
		be, err := restoredBackend(b.DB)
		if err != nil {
			return err
		}
		p, err := c.newProcess(id, boot, check)
		if err != nil {
			return err
		}
		p.backend = be
		started = append(started, p)
	}
	for _, p := range started {
		if err := c.start(p); err != nil {
			return err
		}
		if err := c.snapshotBootstrap(p, len(ids)); err != nil {
			return err
		}
	}
	names := make([]string, len(ids))
	for i, id := range ids {
		names[i] = Name(id)
	}
	st := started[0].member.Status()
	c.record(Record{Kind: RecAction, Node: ids[0], Detail: fmt.Sprintf("snapshot restore: new cluster %x of %s at revision %d",
		st.ClusterID, strings.Join(names, " "), st.Revision)})
	return c.err
}

// snapshotBootstrap takes a Raft snapshot of restored member p once it
// has applied its n bootstrap entries, as etcd's restore writes one at
// index n: the restored keys are in the backend, not in the log, so a
// member added later must get them as a snapshot, never by replaying a
// log that lacks them.
func (c *Cluster) snapshotBootstrap(p *process, n int) error {
	if got := p.member.AppliedIndex(); got != uint64(n) {
		panic(fmt.Sprintf("sim.Cluster.snapshotBootstrap: %s applied %d bootstrap entries, want %d", Name(p.id), got, n))
	}
	if err := p.member.TakeSnapshot(); err != nil {
		return fmt.Errorf("snapshot of restored %s: %w", Name(p.id), err)
	}
	c.drive(p)
	return c.err
}

// checkRestore refuses a restore the simulator cannot carry out, and a
// file whose hash does not match (etcd: "snapshot file integrity check
// failed").
func (c *Cluster) checkRestore(b *Backup, ids []raft.NodeID) error {
	if c.opts.Etcd == nil {
		return errNeedEtcdMode
	}
	if sum := sha256.Sum256(b.DB); sum != b.SHA256 {
		return errors.New("snapshot file integrity check failed: its SHA-256 does not match its contents")
	}
	if len(ids) == 0 {
		return errors.New("a restore needs the nodes of the new cluster")
	}
	seen := map[raft.NodeID]bool{}
	for _, id := range ids {
		if int(id) >= 1 && int(id) < len(c.procs) && c.procs[id] != nil {
			return fmt.Errorf("%s already exists: a restore starts a new cluster of new members (node ids are never reused)", Name(id))
		}
		if seen[id] {
			return fmt.Errorf("%s is named twice", Name(id))
		}
		seen[id] = true
	}
	for _, p := range c.procs {
		if p != nil && p.up {
			return fmt.Errorf("stop the old cluster before restoring: %s is running (the simulator runs one cluster at a time)", Name(p.id))
		}
	}
	return nil
}

// restoredBackend reads the backup into a new backend and wipes the old
// cluster's identity from it.
func restoredBackend(db []byte) (backend.Backend, error) {
	be, err := backend.Restore(bytes.NewReader(db))
	if err != nil {
		return nil, fmt.Errorf("the snapshot is not a sound backend: %w", err)
	}
	tx := be.BeginWrite()
	if err := server.WipeIdentity(tx); err != nil {
		tx.Rollback()
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return be, nil
}
