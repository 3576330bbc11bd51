package daemon

// Restoring a snapshot file into the data dir of a NEW cluster (etcd:
// etcdutl snapshot restore, v3_snapshot.go). The file is a member's bbolt
// backend as the Maintenance API streams it, with a SHA-256 trailer:
//
//	snapshot.db ──verify──► member/snap/db   keys, revisions, leases kept;
//	                          │              membership and consistent index
//	                          │              wiped, then rebuilt below
//	                          ▼
//	server.New(InitialCluster = --initial-cluster, token = the new one)
//	  bootstrap entries 1..N (one ConfChange per member, term 1, committed)
//	  applied offline ──► members, cluster ID, consistent index N in the db
//	  TakeSnapshot    ──► raft snapshot at N
//	                          │
//	                          ▼
//	member/wal/*.wal  metadata{member ID, cluster ID}, entries 1..N, hard
//	                  state {term 1, commit N}, the marker of snapshot N
//	member/snap/*.snap
//
// A snapshot of real etcd (v3.4 to v3.6) is accepted too: etcd's backend
// has the same buckets and revision keys but protobuf values, so after the
// hash check the file is recognised (native/etcdimport Detect) and
// converted, record by record, into a fresh etcdlab backend:
//
//	snapshot.db ──verify──► member/snap/db.snapshot ──Detect──┬─ etcdlab: renamed to db
//	                                                          └─ etcd:    Convert ──► db
//	                                                                     (staged copy removed)
//
// A file that is neither is refused with what was found in it.
//
// The result is exactly what a member of a brand-new cluster has on disk
// after its first Ready, so `etcdlab server` simply restarts from it. Every
// member of the new cluster is restored from the same file with its own
// --name; their logs are identical because the bootstrap entries depend
// only on --initial-cluster and the token. The new token gives new member
// IDs, hence a new cluster ID, so a member of the old cluster is refused
// by the transport's handshake.
//
// Deviation: etcd resets the consistent index to N with the term; here the
// core writes it itself while applying the bootstrap entries, which is why
// the old one is deleted rather than overwritten.

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/bolt"
	"github.com/etcdlab/etcdlab/native/etcdimport"
	"github.com/etcdlab/etcdlab/native/snap"
)

// RestoreConfig is etcdctl snapshot restore's flags.
type RestoreConfig struct {
	SnapshotPath      string
	SkipHashCheck     bool
	Name              string
	DataDir           string
	InitialCluster    map[string][]string
	ClusterToken      string
	AdvertisePeerURLs []string
}

// RestoreResult says what the new data dir holds.
type RestoreResult struct {
	MemberID, ClusterID uint64
	Revision            int64
	Index               uint64 // the raft snapshot's index: the member count
	// Converted is what was converted from a snapshot of real etcd; nil
	// for a snapshot of etcdlab.
	Converted *etcdimport.Report
}

// snapshotPageAlign: a bbolt file is a whole number of pages, so a file
// whose length is 32 bytes past a multiple of 512 carries a trailer (etcd:
// hasHash := (size % 512) == sha256.Size).
const snapshotPageAlign = 512

// Restore builds cfg.DataDir from a snapshot file. The data dir must not
// exist; it is assembled beside it and renamed into place at the end, so a
// failed restore leaves nothing behind.
func Restore(cfg RestoreConfig) (RestoreResult, error) {
	cfg, err := cfg.checked()
	if err != nil {
		return RestoreResult{}, err
	}
	db, err := ReadSnapshotFile(cfg.SnapshotPath, cfg.SkipHashCheck)
	if err != nil {
		return RestoreResult{}, err
	}
	tmp := cfg.DataDir + ".restoring"
	if err := os.RemoveAll(tmp); err != nil {
		return RestoreResult{}, err
	}
	res, err := buildRestoredDir(cfg, layout{tmp}, db)
	if err != nil {
		os.RemoveAll(tmp)
		return RestoreResult{}, err
	}
	if err := os.Rename(tmp, cfg.DataDir); err != nil {
		os.RemoveAll(tmp)
		return RestoreResult{}, fmt.Errorf("moving the restored data dir into place: %w", err)
	}
	return res, nil
}

// checked fills etcd's defaults and refuses what etcd refuses.
func (cfg RestoreConfig) checked() (RestoreConfig, error) {
	c := Config{Name: cfg.Name, DataDir: cfg.DataDir, ListenPeerURLs: cfg.AdvertisePeerURLs,
		AdvertisePeerURLs: cfg.AdvertisePeerURLs, InitialCluster: cfg.InitialCluster, ClusterToken: cfg.ClusterToken}.withDefaults()
	cfg.Name, cfg.DataDir, cfg.ClusterToken = c.Name, c.DataDir, c.ClusterToken
	if _, err := os.Stat(cfg.DataDir); err == nil {
		return cfg, fmt.Errorf("data-dir %q exists", cfg.DataDir) // etcd's words
	}
	if err := c.checkInitialCluster(); err != nil {
		return cfg, err
	}
	return cfg, nil
}

// ReadSnapshotFile returns the bbolt database of a snapshot file, its
// SHA-256 trailer checked and cut off. A file without a trailer (a copy of
// a member's db) is accepted only with skipHashCheck, as in etcd; with
// skipHashCheck a trailer is cut off unchecked.
func ReadSnapshotFile(path string, skipHashCheck bool) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	hasHash := len(b)%snapshotPageAlign == sha256.Size
	switch {
	case !hasHash && !skipHashCheck:
		return nil, errors.New("snapshot missing hash but --skip-hash-check=false")
	case !hasHash:
		return b, nil
	}
	db, trailer := b[:len(b)-sha256.Size], b[len(b)-sha256.Size:]
	if sum := sha256.Sum256(db); !skipHashCheck && !bytes.Equal(sum[:], trailer) {
		return nil, fmt.Errorf("snapshot file integrity check failed: expected sha256 %x, got %x (%s was modified or truncated; use --skip-hash-check only for a db copied from a data dir)",
			trailer, sum[:], path)
	}
	return db, nil
}

// buildRestoredDir writes the backend, then bootstraps the new membership
// into it offline and writes the WAL and the raft snapshot.
func buildRestoredDir(cfg RestoreConfig, l layout, db []byte) (RestoreResult, error) {
	if err := os.MkdirAll(l.snapDir(), 0o700); err != nil {
		return RestoreResult{}, err
	}
	converted, err := writeRestoredBackend(l, db)
	if err != nil {
		return RestoreResult{}, err
	}
	be, err := bolt.Open(l.dbPath(), nil)
	if err != nil {
		return RestoreResult{}, err
	}
	defer be.Close()
	if err := wipeIdentity(be); err != nil {
		return RestoreResult{}, err
	}
	c := Config{Name: cfg.Name, InitialCluster: cfg.InitialCluster, ClusterToken: cfg.ClusterToken,
		AdvertisePeerURLs: cfg.AdvertisePeerURLs}
	boot, err := bootstrapOffline(c, be)
	if err != nil {
		return RestoreResult{}, err
	}
	if err := boot.write(l); err != nil {
		return RestoreResult{}, err
	}
	boot.result.Converted = converted
	return boot.result, nil
}

// writeRestoredBackend puts the snapshot's database at l.dbPath(): as it
// is if etcdlab wrote it, converted if etcd did. It returns what was
// converted (nil for an etcdlab snapshot).
func writeRestoredBackend(l layout, db []byte) (*etcdimport.Report, error) {
	staged := l.dbPath() + ".snapshot"
	if err := bolt.Restore(staged, bytes.NewReader(db)); err != nil {
		return nil, fmt.Errorf("the snapshot is not a sound bbolt database: %w", err)
	}
	defer os.Remove(staged)
	src, err := bolt.Open(staged, nil)
	if err != nil {
		return nil, err
	}
	defer src.Close()
	tx := src.BeginRead()
	defer tx.Rollback()
	found, err := etcdimport.Detect(tx)
	if err != nil {
		return nil, fmt.Errorf("cannot restore this snapshot: %w", err)
	}
	if found.Kind == etcdimport.Etcdlab {
		tx.Rollback()
		if err := src.Close(); err != nil {
			return nil, err
		}
		return nil, os.Rename(staged, l.dbPath())
	}
	return convertEtcd(tx, l.dbPath())
}

// convertEtcd converts the etcd backend tx reads into a new backend at path.
func convertEtcd(tx backend.ReadTx, path string) (*etcdimport.Report, error) {
	dst, err := bolt.Open(path, nil)
	if err != nil {
		return nil, err
	}
	report, err := etcdimport.Convert(tx, dst)
	if cerr := dst.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("cannot restore this snapshot of etcd: %w", err)
	}
	return &report, nil
}

// wipeIdentity deletes the old membership, cluster ID and consistent index.
func wipeIdentity(be *bolt.Backend) error {
	tx := be.BeginWrite()
	if err := server.WipeIdentity(tx); err != nil {
		tx.Rollback()
		return err
	}
	return tx.Commit()
}

// offlineBoot is what the offline bootstrap leaves to persist.
type offlineBoot struct {
	meta      walMetadata
	hardState raft.HardState
	entries   []raft.Entry
	snapshot  raft.Snapshot
	result    RestoreResult
}

// bootstrapOffline runs the core on the restored backend until the
// bootstrap entries are applied, then takes a snapshot at that index.
func bootstrapOffline(c Config, be *bolt.Backend) (*offlineBoot, error) {
	members := c.initialMembers()
	ids := make([]raft.NodeID, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	id := c.selfID()
	m, err := newOfflineMember(server.Config{
		ID: id, Name: c.Name, ClusterToken: c.ClusterToken, InitialCluster: members, Backend: be,
		Rand: rng.New(uint64(id)), TickMillis: 100, ElectionTicks: 10, HeartbeatTicks: 1,
		QuotaBackendBytes: -1,
	})
	if err != nil {
		return nil, fmt.Errorf("bootstrapping the restored member: %w", err)
	}
	b := &offlineBoot{meta: walMetadata{MemberID: uint64(id), ClusterID: server.ClusterID(ids)}}
	b.drain(m)
	if got := m.AppliedIndex(); got != uint64(len(members)) {
		panic(fmt.Sprintf("daemon.bootstrapOffline: applied %d bootstrap entries, want %d", got, len(members)))
	}
	if err := m.TakeSnapshot(); err != nil {
		return nil, fmt.Errorf("snapshot of the restored member: %w", err)
	}
	b.drain(m)
	if b.snapshot.IsEmpty() {
		panic("daemon.bootstrapOffline: TakeSnapshot gave no snapshot in the Ready")
	}
	b.result = RestoreResult{MemberID: uint64(id), ClusterID: b.meta.ClusterID,
		Revision: m.Store().Rev(), Index: b.snapshot.Meta.Index}
	return b, nil
}

// newOfflineMember opens the core on the restored backend. The core
// panics on a record it cannot decode — an impossible state for a member,
// but here the bytes come from a file the user handed in (Detect looks at
// the first record only; a damaged one further on is found here): that is
// an operating error, reported as such.
func newOfflineMember(sc server.Config) (m *server.Member, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("the snapshot's backend is not in etcdlab's format, or is damaged: %v", r)
		}
	}()
	return server.New(sc)
}

// drain carries out every Ready without a network: what would be
// persisted is kept for write, messages are dropped (there is nobody yet).
func (b *offlineBoot) drain(m *server.Member) {
	for m.HasReady() {
		rd := m.Ready()
		if !rd.HardState.IsEmpty() {
			b.hardState = rd.HardState
		}
		b.entries = append(b.entries, rd.Entries...)
		if rd.CreatedSnapshot != nil && !rd.CreatedSnapshot.IsEmpty() {
			b.snapshot = *rd.CreatedSnapshot
		}
		m.Advance(rd)
	}
}

// write creates the WAL (entries, hard state, snapshot marker) and the
// snapshot file, in the daemon's order: file, then marker.
func (b *offlineBoot) write(l layout) error {
	d := &Daemon{layout: l}
	w, err := d.createWAL(b.meta)
	if err != nil {
		return err
	}
	defer w.Close()
	if err := w.Save(b.hardState, b.entries, true); err != nil {
		return fmt.Errorf("writing the WAL: %w", err)
	}
	ss, err := snap.New(l.snapDir())
	if err != nil {
		return err
	}
	if err := ss.Save(b.snapshot); err != nil {
		return err
	}
	if err := w.SaveSnapshot(b.snapshot.Meta); err != nil {
		return fmt.Errorf("writing the snapshot marker: %w", err)
	}
	return syncDir(filepath.Dir(l.dataDir))
}

func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
