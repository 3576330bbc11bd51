package daemon

// Start and Stop: putting a member together from its files, its peers and
// its core, and taking it apart again in the reverse order.
//
//	Start: storage (bolt, snap) -> new | restart | join -> server.New
//	       -> transport (peers) -> the loop goroutine
//	Stop:  stop accepting -> the loop finishes its Ready -> transport
//	       -> WAL -> bolt

import (
	"bytes"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/bolt"
	"github.com/etcdlab/etcdlab/native/snap"
	"github.com/etcdlab/etcdlab/native/transport"
	"github.com/etcdlab/etcdlab/native/wal"
)

// Daemon is one running member. Its methods are safe for concurrent use;
// all of them talk to the loop goroutine, which alone touches the member.
type Daemon struct {
	cfg    Config
	log    *slog.Logger
	layout layout

	// Owned by the loop goroutine once Start returns.
	member *server.Member
	wal    *wal.WAL
	snaps  *snap.Snapshotter
	db     *bolt.Backend
	peers  map[raft.NodeID][]string // the transport's peers and their URLs
	waits  map[uint64]*call         // requests waiting for their Response
	wstrs  map[*WatchStream]bool    // open watch streams
	listed bool                     // the membership has listed this member
	// snapWriting: the snapshot being written off the loop (snapshot.go).
	snapWriting *snapWrite

	// dbUse: snapshot streams read the backend file outside the loop; a
	// snapshot install (which closes and replaces it) waits for them.
	dbUse sync.RWMutex

	id        raft.NodeID
	clusterID uint64
	tr        *transport.Transport

	// Channels into the loop.
	recvc  chan raft.Message
	reqc   chan *call
	ctlc   chan func()
	unreac chan struct{}
	stopc  chan struct{}
	donec  chan struct{}
	// snapDone: the snapshot writer is done (snapshot.go).
	snapDone chan *snapWrite

	unreachMu sync.Mutex
	unreach   map[raft.NodeID]bool // coalesced OnUnreachable reports

	attrsMu    sync.Mutex
	clientURLs map[raft.NodeID][]string // what members announced (attrs.go)

	metrics *metrics             // Prometheus collectors (metrics.go)
	live    atomic.Pointer[Live] // the loop's view, for lock-free readers
	// removedByPeer: a peer refused our stream because it knows this
	// member as removed (transport.Config.OnRemoved); the loop stops.
	removedByPeer atomic.Bool
	// logLost is raft.ErrLogLost from a Step (loop goroutine only): the
	// loop stops the member with it.
	logLost  error
	nextID   atomic.Uint64
	stopOnce sync.Once
	errMu    sync.Mutex
	err      error // why the loop stopped, if it failed
}

// Start opens the member's files, joins its peers and starts the loop.
func Start(cfg Config) (*Daemon, error) {
	cfg = cfg.withDefaults()
	d := &Daemon{
		cfg: cfg, log: cfg.Logger.With("member", cfg.Name), layout: layout{cfg.DataDir},
		peers: map[raft.NodeID][]string{}, waits: map[uint64]*call{}, wstrs: map[*WatchStream]bool{},
		recvc: make(chan raft.Message, recvBuffer), reqc: make(chan *call, requestBuffer),
		ctlc: make(chan func()), unreac: make(chan struct{}, 1), stopc: make(chan struct{}), snapDone: make(chan *snapWrite, 1),
		donec: make(chan struct{}), unreach: map[raft.NodeID]bool{}, clientURLs: map[raft.NodeID][]string{},
	}
	d.nextID.Store(uint64(time.Now().UnixNano()))
	d.metrics = newMetrics(d)
	if err := d.open(); err != nil {
		d.closeStorage()
		return nil, err
	}
	d.wal.SetOptions(cfg.walOptions(d.log)) // --max-wals (native/wal release.go)
	if err := d.startTransport(); err != nil {
		d.closeStorage()
		return nil, err
	}
	d.publishLive()
	go d.run()
	d.log.Info("member started", "member-id", fmtID(uint64(d.id)), "cluster-id", fmtID(d.clusterID),
		"data-dir", cfg.DataDir, "peer-urls", d.tr.URLs(), "advertise-client-urls", cfg.AdvertiseClientURLs)
	return d, nil
}

// open builds the member in one of the three start modes.
func (d *Daemon) open() error {
	if err := d.openStorage(); err != nil {
		return err
	}
	if d.layout.hasWAL() {
		return d.restart()
	}
	if err := d.cfg.Validate(); err != nil {
		return err
	}
	if d.cfg.ClusterState == ClusterStateExisting {
		return d.join()
	}
	return d.bootstrap()
}

// coreConfig is the part of server.Config every start mode shares.
func (d *Daemon) coreConfig(id raft.NodeID) server.Config {
	tickMillis, electionTicks := d.cfg.ticks()
	return server.Config{
		ID: id, Name: d.cfg.Name, ClusterToken: d.cfg.ClusterToken,
		Backend: timedBackend{d.db, d.metrics.backendCommit}, RestoreBackend: d.restoreBackend,
		BatchApply: true, // one bbolt commit per Ready (core/server batch.go)
		Rand:       rng.New(uint64(time.Now().UnixNano()) ^ uint64(id)),
		TickMillis: tickMillis, ElectionTicks: electionTicks, HeartbeatTicks: 1,
		SnapshotCount: d.cfg.SnapshotCount, SnapshotCatchUpEntries: d.cfg.SnapshotCatchUpEntries,
		ThinSnapshots:     true, // .snap files hold metadata; the leader encodes full ones on demand (core/server snapshot.go)
		QuotaBackendBytes: d.cfg.QuotaBackendBytes,
		MaxRequestBytes:   d.cfg.MaxRequestBytes, MaxTxnOps: d.cfg.MaxTxnOps, AuthTokenTTL: d.cfg.AuthTokenTTL,
		AutoCompactionMode: d.cfg.AutoCompactionMode, AutoCompactionRetention: d.cfg.AutoCompactionRetention,
	}
}

// bootstrap starts a member of a brand-new cluster.
func (d *Daemon) bootstrap() error {
	members := d.cfg.initialMembers()
	ids := make([]raft.NodeID, len(members))
	for i, m := range members {
		ids[i] = m.ID
	}
	d.id, d.clusterID = d.cfg.selfID(), server.ClusterID(ids)
	sc := d.coreConfig(d.id)
	sc.InitialCluster = members
	if err := d.newMember(sc); err != nil {
		return err
	}
	d.addPeers(members)
	var err error
	d.wal, err = d.createWAL(walMetadata{MemberID: uint64(d.id), ClusterID: d.clusterID})
	return err
}

// join starts an empty member that `member add` announced: it learns its
// ID, the cluster ID and the other members from a running member
// (discover.go), and everything else from the leader.
func (d *Daemon) join() error {
	found, err := discover(d.cfg)
	if err != nil {
		return err
	}
	d.id, d.clusterID = found.selfID(), found.clusterID
	if err := d.newMember(d.coreConfig(d.id)); err != nil {
		return err
	}
	d.addPeers(found.others())
	d.wal, err = d.createWAL(walMetadata{MemberID: uint64(d.id), ClusterID: d.clusterID})
	return err
}

// restart rebuilds the member from its snapshot, WAL and backend.
func (d *Daemon) restart() error {
	p, err := d.readPersisted()
	if err != nil {
		return err
	}
	d.wal, d.id, d.clusterID = p.wal, raft.NodeID(p.meta.MemberID), p.meta.ClusterID
	sc := d.coreConfig(d.id)
	sc.HardState, sc.Snapshot, sc.Entries = p.hardState, p.snapshot, p.entries
	if err := d.newMember(sc); err != nil {
		return err
	}
	d.addPeers(d.member.Status().Members)
	d.log.Info("restarted from disk", "term", p.hardState.Term, "commit", p.hardState.Commit,
		"entries", len(p.entries), "applied", d.member.Status().AppliedIndex)
	return nil
}

// addPeers records the other members as the transport's peers-to-be.
func (d *Daemon) addPeers(ms []server.MemberInfo) {
	for _, m := range ms {
		if m.ID != d.id {
			d.peers[m.ID] = m.PeerURLs
		}
	}
}

func (d *Daemon) newMember(sc server.Config) error {
	m, err := server.New(sc)
	if err != nil {
		return fmt.Errorf("starting the member: %w", err)
	}
	d.member = m
	return nil
}

// restoreBackend is server.Config.RestoreBackend: the snapshot's backend
// stream replaces the bbolt file (native/bolt: close, Restore, Open).
func (d *Daemon) restoreBackend(data []byte) (backend.Backend, error) {
	d.dbUse.Lock()
	defer d.dbUse.Unlock()
	if err := d.db.Close(); err != nil {
		return nil, fmt.Errorf("closing the backend before a snapshot install: %w", err)
	}
	if err := bolt.Restore(d.layout.dbPath(), bytes.NewReader(data)); err != nil {
		db, openErr := bolt.Open(d.layout.dbPath(), nil)
		if openErr == nil {
			d.db = db
		}
		return nil, err
	}
	db, err := bolt.Open(d.layout.dbPath(), nil)
	if err != nil {
		return nil, err
	}
	d.db = db
	return timedBackend{db, d.metrics.backendCommit}, nil
}

// startTransport listens on the peer URLs and adds every known peer.
func (d *Daemon) startTransport() error {
	tr, err := transport.New(transport.Config{
		ClusterID: d.clusterID, ID: d.id, ListenURLs: d.cfg.ListenPeerURLs,
		ServerTLS: d.cfg.PeerServerTLS, ClientTLS: d.cfg.PeerClientTLS,
		Handler: d.receive, OnUnreachable: d.reportUnreachable, Logger: d.log,
		OnRemoved: func() { d.removedByPeer.Store(true) },
		Routes:    d.peerRoutes(),
	})
	if err != nil {
		return err
	}
	d.tr = tr
	for id, urls := range d.peers {
		if id == d.id {
			continue
		}
		if err := tr.AddPeer(id, urls); err != nil {
			d.log.Warn("cannot add peer", "peer-id", fmtID(uint64(id)), "error", err)
		}
	}
	return nil
}

// Stop stops the member gracefully: no new requests, the loop finishes the
// Ready in hand, then the transport, the WAL and the backend close. It
// returns why the loop stopped early, if it did.
func (d *Daemon) Stop() error {
	d.stopOnce.Do(func() { close(d.stopc) })
	<-d.donec
	return d.Err()
}

// Done is closed when the member has stopped (Stop, removal, or a fatal
// storage error: see Err).
func (d *Daemon) Done() <-chan struct{} { return d.donec }

// Err is why the member stopped by itself, nil after a plain Stop.
func (d *Daemon) Err() error {
	d.errMu.Lock()
	defer d.errMu.Unlock()
	return d.err
}

func (d *Daemon) fail(err error) {
	d.errMu.Lock()
	if d.err == nil {
		d.err = err
	}
	d.errMu.Unlock()
}

// shutdown runs on the loop goroutine as it exits.
func (d *Daemon) shutdown() {
	for _, c := range d.waits {
		c.done <- server.Response{ID: c.req.ID, Err: ErrStopped}
	}
	d.waits = nil
	for ws := range d.wstrs {
		ws.end(ErrStopped)
	}
	if d.tr != nil {
		d.tr.Stop()
	}
	d.closeStorage()
	d.log.Info("member stopped", "member-id", fmtID(uint64(d.id)))
}

func (d *Daemon) closeStorage() {
	if d.wal != nil {
		if err := d.wal.Close(); err != nil && !errors.Is(err, wal.ErrClosed) {
			d.log.Warn("closing the WAL", "error", err)
		}
	}
	if d.db != nil {
		if err := d.db.Close(); err != nil && !errors.Is(err, bolt.ErrClosed) {
			d.log.Warn("closing the backend", "error", err)
		}
	}
}

// ErrStopped answers requests that were waiting when the member stopped.
var ErrStopped = errors.New("etcdserver: server stopped")

func fmtID(id uint64) string { return fmt.Sprintf("%x", id) }
