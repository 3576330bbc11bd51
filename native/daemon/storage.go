package daemon

// The member's files, laid out as etcd lays them out, and the three ways a
// member starts from them:
//
//	<data-dir>/member/wal/*.wal          the write-ahead log (native/wal)
//	<data-dir>/member/snap/*.snap        Raft snapshots (native/snap)
//	<data-dir>/member/snap/db            the bbolt backend (native/bolt)
//
//	new       no WAL: bootstrap from --initial-cluster, create the WAL
//	restart   a WAL: newest snapshot with a WAL marker, then the WAL after
//	          it (native/snap/doc.go); --initial-cluster is ignored
//	join      no WAL and --initial-cluster-state=existing: start empty, the
//	          leader sends the log (or a snapshot)
//
// The WAL's metadata records the member and cluster IDs, as etcd's does, so
// a restart needs no flag to know who it is.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/native/bolt"
	"github.com/etcdlab/etcdlab/native/snap"
	"github.com/etcdlab/etcdlab/native/wal"
	"github.com/fxamacker/cbor/v2"
)

// walMetadata is the first record of every WAL segment.
type walMetadata struct {
	MemberID  uint64 `cbor:"1,keyasint"`
	ClusterID uint64 `cbor:"2,keyasint"`
}

// layout names the member's directories and files.
type layout struct{ dataDir string }

func (l layout) memberDir() string { return filepath.Join(l.dataDir, "member") }
func (l layout) walDir() string    { return filepath.Join(l.memberDir(), "wal") }
func (l layout) snapDir() string   { return filepath.Join(l.memberDir(), "snap") }
func (l layout) dbPath() string    { return filepath.Join(l.snapDir(), "db") }

// hasWAL reports whether the member has started before.
func (l layout) hasWAL() bool {
	matches, _ := filepath.Glob(filepath.Join(l.walDir(), "*.wal"))
	return len(matches) > 0
}

// persisted is what a restart reads back.
type persisted struct {
	meta      walMetadata
	hardState raft.HardState
	snapshot  *raft.Snapshot
	entries   []raft.Entry
	wal       *wal.WAL
}

// readPersisted opens the WAL of a restarting member at its newest usable
// snapshot and reads it all. A corrupt WAL is refused with the file named.
func (d *Daemon) readPersisted() (*persisted, error) {
	markers, err := wal.SnapshotMarkers(d.layout.walDir())
	if err != nil {
		return nil, fmt.Errorf("reading snapshot markers of the WAL: %w", err)
	}
	s, broken, err := d.snaps.LoadNewestAvailable(markers)
	for _, b := range broken {
		d.log.Warn("snapshot file set aside", "file", b.File, "reason", b.Reason, "moved-to", b.MovedTo)
	}
	var start raft.SnapshotMeta
	switch {
	case errors.Is(err, snap.ErrNoSnapshot):
		s = nil
	case err != nil:
		return nil, fmt.Errorf("loading snapshot: %w", err)
	default:
		start = s.Meta
		d.log.Info("recovered snapshot", "index", s.Meta.Index, "term", s.Meta.Term)
	}
	w, err := wal.Open(d.layout.walDir(), start, nil)
	if err != nil {
		return nil, fmt.Errorf("opening the WAL: %w", err)
	}
	md, hs, ents, err := w.ReadAll()
	if err != nil {
		w.Close()
		return nil, fmt.Errorf("the WAL cannot be trusted, refusing to start (remove the member's data dir and re-add it to the cluster to recover from a peer): %w", err)
	}
	for _, r := range w.Repairs() {
		d.log.Warn("repaired torn WAL tail", "repair", r.String())
	}
	p := &persisted{hardState: hs, snapshot: s, entries: ents, wal: w}
	if err := cbor.Unmarshal(md, &p.meta); err != nil || p.meta.MemberID == 0 {
		w.Close()
		return nil, fmt.Errorf("the WAL in %s has no member metadata; it was not written by etcdlab server", d.layout.walDir())
	}
	return p, nil
}

// createWAL starts the log of a new member.
func (d *Daemon) createWAL(meta walMetadata) (*wal.WAL, error) {
	md, err := cbor.Marshal(meta)
	if err != nil {
		panic("daemon.createWAL: " + err.Error())
	}
	w, err := wal.Create(d.layout.walDir(), md, nil)
	if err != nil {
		return nil, fmt.Errorf("creating the WAL: %w", err)
	}
	return w, nil
}

// openStorage makes the directories and opens the snapshotter and the
// backend.
func (d *Daemon) openStorage() error {
	if err := os.MkdirAll(d.layout.snapDir(), 0o700); err != nil {
		return fmt.Errorf("creating data dir: %w", err)
	}
	ss, err := snap.New(d.layout.snapDir())
	if err != nil {
		return err
	}
	d.snaps = ss
	db, err := bolt.Open(d.layout.dbPath(), nil)
	if err != nil {
		return fmt.Errorf("opening the backend: %w", err)
	}
	d.db = db
	return nil
}

// persist carries out step 1 of the Ready contract (core/server/ready.go):
// a leader's snapshot (file, then WAL marker), the entries and hard state
// (synced when MustSync), then a snapshot this member took — written off
// the loop, the WAL released behind it once it is on disk (snapshot.go).
func (d *Daemon) persist(hs raft.HardState, ents []raft.Entry, leaderSnap, created *raft.Snapshot, mustSync bool, compactIndex uint64) error {
	if !leaderSnap.IsEmpty() {
		if err := d.saveSnapshot(*leaderSnap); err != nil {
			return err
		}
	}
	start := time.Now()
	if err := d.wal.Save(hs, ents, mustSync); err != nil {
		return fmt.Errorf("saving to the WAL: %w", err)
	}
	if mustSync {
		d.metrics.walFsync.Observe(time.Since(start).Seconds())
	}
	if !created.IsEmpty() {
		return d.startSnapshotWrite(*created, compactIndex)
	}
	if compactIndex > 0 && d.snapWriting != nil {
		d.snapWriting.release = max(d.snapWriting.release, compactIndex) // after its marker
		return nil
	}
	if compactIndex > 0 {
		if err := d.wal.Release(compactIndex); err != nil {
			return fmt.Errorf("releasing WAL segments: %w", err)
		}
	}
	return nil
}

// saveSnapshot saves a snapshot from the leader before anything that
// depends on it: the file durably, then its WAL marker, then old files go
// (native/snap/doc.go). A snapshot of our own still being written is
// finished first, so the markers stay in order.
func (d *Daemon) saveSnapshot(s raft.Snapshot) error {
	if err := d.awaitSnapshotWrite(); err != nil {
		return err
	}
	if err := d.snaps.Save(s); err != nil {
		return fmt.Errorf("saving snapshot %d: %w", s.Meta.Index, err)
	}
	if err := d.wal.SaveSnapshot(s.Meta); err != nil {
		return fmt.Errorf("saving the WAL marker of snapshot %d: %w", s.Meta.Index, err)
	}
	d.purgeSnapshots()
	return nil
}
