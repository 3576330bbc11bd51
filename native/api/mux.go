package api

// One client port, two protocols. etcd serves gRPC and HTTP — the JSON
// gateway, /version, /health, /metrics — on the same --listen-client-urls
// (etcd: embed/serve.go, with the cmux library). Every connection tells
// which it speaks with its first bytes, so the mux reads just enough of
// them to decide and hands the connection on:
//
//	accept ──(https: TLS handshake here)──> first bytes
//	           "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" ──> grpcConns ──> grpc.Server.Serve
//	           anything else                     ──> httpConns ──> http.Server.Serve
//
// The bytes read to decide are replayed to whoever gets the connection
// (peekedConn). gRPC keeps its own HTTP/2 transport, the fast one, rather
// than grpc.Server.ServeHTTP behind net/http.
//
// With TLS the mux terminates TLS itself, so one handshake — the client
// certificate check included — guards both protocols. ALPN offers
// "http/1.1" before "h2", and Go's TLS server picks in its own order: gRPC
// clients offer only h2 and get it; curl, browsers and Go's http.Client
// offer both and get HTTP/1.1, which the gateway serves. (etcd serves
// HTTP/2 to both and splits by content type in grpc.Server.ServeHTTP.)
//
// Close stops the accept loop, drops the connections still being
// classified and waits for the mux's goroutines; the gRPC and HTTP
// servers close the connections they were handed.

import (
	"bytes"
	"context"
	"crypto/tls"
	"errors"
	"log/slog"
	"net"
	"sync"
	"time"
)

// http2Preface opens every HTTP/2 connection (RFC 9113 §3.4); gRPC always
// speaks HTTP/2, the gateway's clients HTTP/1.1.
const http2Preface = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n"

// muxClassifyTimeout bounds the TLS handshake and the wait for the first
// bytes of a connection; a client that sends nothing is dropped then.
const muxClassifyTimeout = 10 * time.Second

// muxAcceptBackoffMax caps the pause after a failed Accept (out of file
// descriptors, say), as net/http's server does.
const muxAcceptBackoffMax = time.Second

// clientMux splits one client listener into a gRPC and an HTTP listener.
type clientMux struct {
	root      net.Listener
	tls       *tls.Config // nil: plain text
	log       *slog.Logger
	grpcConns *connQueue
	httpConns *connQueue

	mu      sync.Mutex
	closed  bool
	pending map[net.Conn]struct{} // being classified; closed by Close
	wg      sync.WaitGroup        // the accept loop and every classifier
}

// newClientMux serves root; tc (nil for http URLs) is the client URLs' TLS
// config, with its client-certificate settings.
func newClientMux(root net.Listener, tc *tls.Config, log *slog.Logger) *clientMux {
	m := &clientMux{
		root: root, log: log, pending: map[net.Conn]struct{}{},
		grpcConns: newConnQueue(root.Addr()), httpConns: newConnQueue(root.Addr()),
	}
	if tc != nil {
		m.tls = tc.Clone()
		m.tls.NextProtos = []string{"http/1.1", "h2"}
	}
	m.wg.Add(1)
	go m.acceptLoop()
	return m
}

// acceptLoop accepts until Close, classifying each connection on a
// goroutine of its own so that a slow client delays nobody else.
func (m *clientMux) acceptLoop() {
	defer m.wg.Done()
	var backoff time.Duration
	for {
		conn, err := m.root.Accept()
		if err != nil {
			if m.isClosed() || errors.Is(err, net.ErrClosed) {
				return
			}
			backoff = min(max(2*backoff, 5*time.Millisecond), muxAcceptBackoffMax)
			m.log.Warn("client listener: accept failed; retrying", "address", m.root.Addr().String(), "error", err, "retry-in", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		if !m.track(conn) {
			conn.Close()
			return
		}
		m.wg.Add(1)
		go m.dispatch(conn)
	}
}

// dispatch classifies conn and queues it for its server.
func (m *clientMux) dispatch(raw net.Conn) {
	defer m.wg.Done()
	conn, isGRPC, err := m.classify(raw)
	m.untrack(raw)
	if err != nil {
		raw.Close()
		return
	}
	queue := m.httpConns
	if isGRPC {
		queue = m.grpcConns
	}
	queue.push(conn)
}

// classify does the TLS handshake (https) and reads the first bytes.
func (m *clientMux) classify(raw net.Conn) (net.Conn, bool, error) {
	raw.SetDeadline(time.Now().Add(muxClassifyTimeout))
	defer raw.SetDeadline(time.Time{})
	conn := raw
	if m.tls != nil {
		tc := tls.Server(raw, m.tls)
		ctx, cancel := context.WithTimeout(context.Background(), muxClassifyTimeout)
		defer cancel()
		if err := tc.HandshakeContext(ctx); err != nil {
			m.log.Debug("client TLS handshake failed", "remote", raw.RemoteAddr().String(), "error", err)
			return nil, false, err
		}
		conn = tc
	}
	head, isHTTP2, err := readPrefaceOrNot(conn)
	if err != nil {
		return nil, false, err
	}
	return &peekedConn{Conn: conn, head: head}, isHTTP2, nil
}

// readPrefaceOrNot reads until the bytes stop matching the HTTP/2 preface
// or match it whole; it never waits for more bytes than it needs, so that
// a short HTTP/1 request is not held up.
func readPrefaceOrNot(conn net.Conn) (head []byte, isHTTP2 bool, err error) {
	buf := make([]byte, len(http2Preface))
	n := 0
	for n < len(buf) {
		k, err := conn.Read(buf[n:])
		n += k
		if !bytes.HasPrefix([]byte(http2Preface), buf[:n]) {
			return buf[:n], false, nil
		}
		if err != nil {
			return nil, false, err
		}
	}
	return buf, true, nil
}

func (m *clientMux) track(c net.Conn) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return false
	}
	m.pending[c] = struct{}{}
	return true
}

func (m *clientMux) untrack(c net.Conn) {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.pending, c)
}

func (m *clientMux) isClosed() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.closed
}

// Close stops accepting, closes both queues and the connections still
// being classified, and waits for the mux's goroutines to end.
func (m *clientMux) Close() error {
	m.mu.Lock()
	if m.closed {
		m.mu.Unlock()
		return nil
	}
	m.closed = true
	err := m.root.Close()
	for c := range m.pending {
		c.Close()
	}
	m.mu.Unlock()
	m.grpcConns.Close()
	m.httpConns.Close()
	m.wg.Wait()
	return err
}

// connQueue is a net.Listener whose connections the mux hands over.
type connQueue struct {
	addr  net.Addr
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newConnQueue(addr net.Addr) *connQueue {
	return &connQueue{addr: addr, conns: make(chan net.Conn), done: make(chan struct{})}
}

// push hands c to the server's Accept, or closes c if the queue is closed.
func (q *connQueue) push(c net.Conn) {
	select {
	case q.conns <- c:
	case <-q.done:
		c.Close()
	}
}

func (q *connQueue) Accept() (net.Conn, error) {
	select {
	case c := <-q.conns:
		return c, nil
	case <-q.done:
		return nil, net.ErrClosed
	}
}

func (q *connQueue) Close() error {
	q.once.Do(func() { close(q.done) })
	return nil
}

func (q *connQueue) Addr() net.Addr { return q.addr }

// peekedConn replays the bytes the mux read before the connection's own.
// Only one goroutine reads a connection at a time (the server that owns it).
type peekedConn struct {
	net.Conn
	head []byte
}

func (c *peekedConn) Read(p []byte) (int, error) {
	if len(c.head) > 0 {
		n := copy(p, c.head)
		c.head = c.head[n:]
		return n, nil
	}
	return c.Conn.Read(p)
}
