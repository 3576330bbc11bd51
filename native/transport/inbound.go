package transport

// The receiving half: the listener's one route accepts a stream from a peer
// after the handshake checks, takes the connection over from net/http, and
// reads frames off it in one goroutine, handing each message to the Handler
// in the order it arrived.
//
// One stream per sender: a new stream from the same member replaces the old
// one, and starts reading only after the old one's reader has finished, so
// a sender's messages are never reordered across a reconnect.

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// inboundStream is an accepted stream from one peer.
type inboundStream struct {
	from raft.NodeID
	conn net.Conn
	done chan struct{} // closed when its reader has returned
}

// serveStream is the HTTP handler of streamPath.
func (t *Transport) serveStream(w http.ResponseWriter, r *http.Request) {
	from, p, ref := t.admit(r)
	if ref != nil {
		t.refusedStreams.Add(1)
		w.Header().Set(headerClusterID, formatID(t.cfg.ClusterID))
		http.Error(w, ref.reason, ref.status)
		return
	}
	conn, rw, err := http.NewResponseController(w).Hijack()
	if err != nil {
		t.log.Error("cannot take over peer connection", "remote-peer-id", formatID(uint64(from)), "error", err)
		return
	}
	conn.SetDeadline(deadlineIn(t.cfg.DialTimeout))
	if err := acceptUpgrade(rw.Writer); err != nil {
		conn.Close()
		return
	}
	conn.SetDeadline(noDeadline)
	in := &inboundStream{from: from, conn: conn, done: make(chan struct{})}
	if !t.registerInbound(in) {
		conn.Close()
		return
	}
	defer t.unregisterInbound(in)
	t.log.Info("accepted stream from peer", "remote-peer-id", formatID(uint64(from)), "remote-addr", r.RemoteAddr)
	t.readStream(in, p, rw.Reader)
}

// admit runs the handshake checks of handshake.go against the membership,
// logging every refusal (etcd's wording where etcd has one).
func (t *Transport) admit(r *http.Request) (raft.NodeID, *peer, *refusal) {
	clusterID, from, to, ref := checkUpgradeRequest(r)
	if ref != nil {
		t.log.Warn("refused malformed stream request", "remote-addr", r.RemoteAddr, "reason", ref.reason)
		return 0, nil, ref
	}
	attrs := []any{"remote-peer-id", formatID(uint64(from)), "remote-addr", r.RemoteAddr}
	t.mu.RLock()
	stopping, removed, p := t.stopping, t.removed[from], t.peers[from]
	t.mu.RUnlock()
	switch {
	case clusterID != t.cfg.ClusterID:
		t.log.Error(reasonClusterMismatch, append(attrs,
			"local-member-cluster-id", formatID(t.cfg.ClusterID),
			"remote-peer-cluster-id", formatID(clusterID))...)
		return 0, nil, &refusal{http.StatusPreconditionFailed, reasonClusterMismatch}
	case to != t.cfg.ID:
		t.log.Error("refused stream addressed to another member", append(attrs, "to", formatID(uint64(to)))...)
		return 0, nil, &refusal{http.StatusPreconditionFailed, reasonToMismatch}
	case removed:
		t.log.Warn(reasonRemoved, attrs...)
		return 0, nil, &refusal{http.StatusGone, reasonRemoved}
	case stopping:
		return 0, nil, &refusal{http.StatusServiceUnavailable, reasonStopping}
	case p == nil:
		t.log.Warn("refused stream from unknown peer", attrs...)
		return 0, nil, &refusal{http.StatusNotFound, reasonUnknownSender}
	}
	return from, p, nil
}

// registerInbound makes in the stream of its sender, after closing and
// waiting out the previous one. It fails if the transport is stopping or the
// sender is no longer a peer.
func (t *Transport) registerInbound(in *inboundStream) bool {
	for {
		t.mu.Lock()
		if t.stopping || t.peers[in.from] == nil {
			t.mu.Unlock()
			return false
		}
		old := t.inbound[in.from]
		if old == nil {
			t.inbound[in.from] = in
			t.wg.Add(1)
			t.mu.Unlock()
			return true
		}
		t.mu.Unlock()
		old.conn.Close()
		<-old.done
	}
}

// unregisterInbound ends in.
func (t *Transport) unregisterInbound(in *inboundStream) {
	in.conn.Close()
	t.mu.Lock()
	if t.inbound[in.from] == in {
		delete(t.inbound, in.from)
	}
	t.mu.Unlock()
	close(in.done)
	t.wg.Done()
}

// readStream delivers frames until the stream ends. A message that is not
// from the stream's sender, not to this member, or local to a node is a
// protocol violation: it is counted, logged and ends the stream.
func (t *Transport) readStream(in *inboundStream, p *peer, br *bufio.Reader) {
	fr := newFrameReader(br, t.cfg.MaxFrameBytes)
	for {
		m, n, err := fr.next()
		if err != nil {
			t.streamEnded(in, err)
			return
		}
		if m.From != in.from || m.To != t.cfg.ID || m.Type.IsLocal() {
			p.counters.droppedInvalid.Add(1)
			t.log.Error("closing stream: misaddressed message", "remote-peer-id", formatID(uint64(in.from)),
				"type", m.Type.String(), "from", formatID(uint64(m.From)), "to", formatID(uint64(m.To)))
			return
		}
		p.counters.receivedMessages.Add(1)
		p.counters.receivedBytes.Add(uint64(n))
		t.cfg.Handler(m)
	}
}

// streamEnded logs why an inbound stream ended: quietly for a clean close,
// loudly for a frame that broke the protocol.
func (t *Transport) streamEnded(in *inboundStream, err error) {
	attrs := []any{"remote-peer-id", formatID(uint64(in.from))}
	var ne net.Error
	switch {
	case errors.Is(err, io.EOF), errors.Is(err, net.ErrClosed):
		t.log.Info("stream from peer closed", attrs...)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.As(err, &ne):
		t.log.Warn("stream from peer broke", append(attrs, "error", err)...)
	default:
		t.log.Error("closing stream: bad frame", append(attrs, "error", err)...)
	}
}

// noDeadline clears a connection's deadline.
var noDeadline time.Time

// deadlineIn returns the deadline d from now.
func deadlineIn(d time.Duration) time.Time { return time.Now().Add(d) }
