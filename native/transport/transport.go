package transport

// Transport is one member's end of the peer network: a listener that accepts
// the streams other members open to it, and one writer per peer that keeps a
// stream open to that peer. Its interface:
//
//	New(cfg) (*Transport, error)      listen on cfg.ListenURLs and serve
//	URLs() []string                   the URLs actually listened on
//	AddPeer(id, urls) / UpdatePeer(id, urls) / RemovePeer(id)
//	Send(m) error                     queue m for m.To; never blocks
//	Stats() / PeerStats(id) / ActiveSince(id)
//	Stop()                            close listeners, drain writers, wait

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net"
	"net/http"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Transport carries raft messages between this member and its peers. All
// methods are safe for concurrent use.
type Transport struct {
	cfg Config
	log *slog.Logger

	servers []*http.Server // one per listen URL
	urls    []string       // the URLs listened on, ports resolved

	mu       sync.RWMutex
	peers    map[raft.NodeID]*peer          // guarded by mu
	removed  map[raft.NodeID]bool           // guarded by mu; never shrinks
	inbound  map[raft.NodeID]*inboundStream // guarded by mu; at most one per sender
	stopping bool                           // guarded by mu; set once by Stop

	droppedUnknownPeer atomic.Uint64
	refusedStreams     atomic.Uint64

	// wg counts every goroutine the transport owns: servers, writers,
	// watchers and registered inbound streams. Stop waits for it.
	wg sync.WaitGroup
}

// New listens on cfg.ListenURLs and starts serving streams. It returns an
// error if the config is incomplete or a URL cannot be listened on.
func New(cfg Config) (*Transport, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	t := &Transport{
		cfg:     cfg,
		log:     cfg.Logger.With("local-member-id", formatID(uint64(cfg.ID))),
		peers:   make(map[raft.NodeID]*peer),
		removed: make(map[raft.NodeID]bool),
		inbound: make(map[raft.NodeID]*inboundStream),
	}
	listeners, err := t.listen()
	if err != nil {
		return nil, err
	}
	for _, l := range listeners {
		t.serve(l)
	}
	t.log.Info("peer transport started", "listen-urls", t.urls)
	return t, nil
}

// listen opens every listen URL, or none: on an error the ones already open
// are closed.
func (t *Transport) listen() ([]net.Listener, error) {
	var ls []net.Listener
	for _, s := range t.cfg.ListenURLs {
		u, _ := parsePeerURL(s) // validated
		l, err := net.Listen("tcp", u.Host)
		if err != nil {
			for _, open := range ls {
				open.Close()
			}
			return nil, fmt.Errorf("transport: listen on peer URL %s: %w", s, err)
		}
		t.urls = append(t.urls, u.Scheme+"://"+l.Addr().String())
		if u.Scheme == "https" {
			tc := t.cfg.ServerTLS.Clone()
			tc.NextProtos = []string{"http/1.1"} // streams hijack HTTP/1.1 connections
			l = tls.NewListener(l, tc)
		}
		ls = append(ls, l)
	}
	return ls, nil
}

// serve runs an HTTP server on l: the stream upgrade, and Config.Routes.
func (t *Transport) serve(l net.Listener) {
	mux := http.NewServeMux()
	mux.HandleFunc(streamPath, t.serveStream)
	for _, path := range slices.Sorted(maps.Keys(t.cfg.Routes)) {
		mux.Handle(path, t.cfg.Routes[path])
	}
	srv := &http.Server{
		Handler:           mux,
		ReadHeaderTimeout: t.cfg.DialTimeout,
		ErrorLog:          slog.NewLogLogger(t.log.Handler(), slog.LevelWarn),
	}
	t.servers = append(t.servers, srv)
	t.wg.Add(1)
	go func() {
		defer t.wg.Done()
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			t.log.Error("peer listener failed", "address", l.Addr().String(), "error", err)
		}
	}()
}

// URLs returns the URLs the transport listens on, with the ports in use.
func (t *Transport) URLs() []string { return slices.Clone(t.urls) }

// Send queues m for its recipient and returns at once; a separate writer
// goroutine per peer does the network I/O. m is encoded before Send returns,
// so the caller may reuse it (raft's log may overwrite the entries it
// points into). A message that cannot be queued is dropped and counted; the
// error says why, and for ErrQueueFull and too-large messages the peer is
// also reported unreachable. Raft tolerates every drop.
func (t *Transport) Send(m raft.Message) error {
	if m.Type.IsLocal() {
		panic(fmt.Sprintf("transport.Send: %s is local to a node and never crosses the network", m.Type))
	}
	frame, encErr := encodeFrame(m, t.cfg.MaxFrameBytes)
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.stopping {
		return ErrStopped
	}
	p := t.peers[m.To]
	if p == nil {
		t.droppedUnknownPeer.Add(1)
		return fmt.Errorf("%w %s: dropped %s", ErrUnknownPeer, formatID(uint64(m.To)), m.Type)
	}
	if encErr != nil {
		p.counters.droppedTooLarge.Add(1)
		t.log.Warn("dropped raft message that cannot be framed",
			"remote-peer-id", formatID(uint64(m.To)), "type", m.Type.String(), "error", encErr)
		t.reportUnreachable(m.To)
		return encErr
	}
	return p.enqueue(frame)
}

// reportUnreachable calls the daemon's OnUnreachable, if any.
func (t *Transport) reportUnreachable(id raft.NodeID) {
	if t.cfg.OnUnreachable != nil {
		t.cfg.OnUnreachable(id)
	}
}

// AddPeer starts a writer for member id at urls. It fails for this member
// itself, for a member already added, and for a removed member.
func (t *Transport) AddPeer(id raft.NodeID, urls []string) error {
	if err := checkPeer(t.cfg.ID, id, urls); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	switch {
	case t.stopping:
		return ErrStopped
	case t.removed[id]:
		return fmt.Errorf("%w: %s", ErrPeerRemoved, formatID(uint64(id)))
	case t.peers[id] != nil:
		return fmt.Errorf("%w: %s", ErrPeerExists, formatID(uint64(id)))
	}
	p := newPeer(t, id, urls)
	t.peers[id] = p
	t.wg.Add(1)
	go p.run()
	t.log.Info("added peer", "remote-peer-id", formatID(uint64(id)), "remote-peer-urls", urls)
	return nil
}

// UpdatePeer replaces the URLs of peer id. A stream open to a URL that is
// no longer listed is closed and the writer dials a new one.
func (t *Transport) UpdatePeer(id raft.NodeID, urls []string) error {
	if err := checkPeer(t.cfg.ID, id, urls); err != nil {
		return err
	}
	t.mu.RLock()
	p := t.peers[id]
	t.mu.RUnlock()
	if p == nil {
		return fmt.Errorf("%w %s: cannot update its URLs", ErrUnknownPeer, formatID(uint64(id)))
	}
	p.setURLs(urls)
	t.log.Info("updated peer URLs", "remote-peer-id", formatID(uint64(id)), "remote-peer-urls", urls)
	return nil
}

// RemovePeer forgets member id: its writer stops without draining (what is
// queued is dropped and counted), its inbound stream is closed, and from now
// on its streams are refused as coming from a removed member. Removing an
// unknown member only marks it removed.
func (t *Transport) RemovePeer(id raft.NodeID) {
	t.mu.Lock()
	p := t.peers[id]
	delete(t.peers, id)
	t.removed[id] = true
	in := t.inbound[id]
	t.mu.Unlock()
	if in != nil {
		in.conn.Close()
	}
	if p != nil {
		p.abort()
		<-p.finished
	}
	t.log.Info("removed peer", "remote-peer-id", formatID(uint64(id)))
}

// checkPeer validates the arguments of AddPeer and UpdatePeer.
func checkPeer(self, id raft.NodeID, urls []string) error {
	if id == raft.None || id == self {
		return fmt.Errorf("transport: peer ID %s is not a remote member", formatID(uint64(id)))
	}
	if len(urls) == 0 {
		return fmt.Errorf("transport: peer %s: at least one URL is required", formatID(uint64(id)))
	}
	for _, u := range urls {
		if _, err := parsePeerURL(u); err != nil {
			return err
		}
	}
	return nil
}

// Stop closes the listeners and every inbound stream, gives connected
// writers up to DrainTimeout to flush what is queued, drops the rest and
// waits for every goroutine of the transport. Later calls do nothing.
func (t *Transport) Stop() {
	t.mu.Lock()
	if t.stopping {
		t.mu.Unlock()
		return
	}
	t.stopping = true
	peers := make([]*peer, 0, len(t.peers))
	for _, p := range t.peers {
		peers = append(peers, p)
	}
	inbound := make([]*inboundStream, 0, len(t.inbound))
	for _, in := range t.inbound {
		inbound = append(inbound, in)
	}
	t.mu.Unlock()

	for _, srv := range t.servers {
		srv.Close() // closes the listener and connections not yet upgraded
	}
	for _, in := range inbound {
		in.conn.Close()
	}
	deadline := time.Now().Add(t.cfg.DrainTimeout)
	for _, p := range peers {
		p.drain(deadline)
	}
	t.wg.Wait()
	t.log.Info("peer transport stopped")
}
