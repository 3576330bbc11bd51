package transport

// Dialing opens one outgoing stream: TCP connect, TLS if the URL is https,
// then the upgrade of handshake.go, all within DialTimeout; connect repeats
// it with backoff, trying the peer's URLs in turn, until a stream is up. A
// stop (abort or drain) interrupts a dial at any of these steps.

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"time"
)

// streamWriteBufferBytes is the writer's buffer: small frames are batched
// into one write(2); larger ones go straight to the socket.
const streamWriteBufferBytes = 64 << 10

// dial opens a stream to the peer's next URL and starts its watcher.
func (p *peer) dial() (*streamConn, error) {
	rawURL := p.pickURL()
	u, err := parsePeerURL(rawURL)
	if err != nil {
		panic("transport.peer.dial: URL validated by AddPeer is invalid: " + err.Error())
	}
	ctx, cancel := context.WithTimeout(p.ctx, p.t.cfg.DialTimeout)
	defer cancel()

	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", u.Host)
	if err != nil {
		p.advanceURL()
		return nil, fmt.Errorf("dial %s: %w", rawURL, err)
	}
	if u.Scheme == "https" {
		tc := tls.Client(conn, p.clientTLS(u.Hostname()))
		if err := tc.HandshakeContext(ctx); err != nil {
			conn.Close()
			p.advanceURL()
			return nil, fmt.Errorf("TLS handshake with %s: %w", rawURL, err)
		}
		conn = tc
	}
	br, err := p.upgrade(ctx, conn, u.Host)
	if err != nil {
		conn.Close()
		p.advanceURL()
		return nil, fmt.Errorf("open stream at %s: %w", rawURL, err)
	}
	sc := &streamConn{
		conn:   conn,
		bw:     bufio.NewWriterSize(conn, streamWriteBufferBytes),
		url:    rawURL,
		closed: make(chan struct{}),
	}
	p.t.wg.Add(1)
	go p.watch(sc, br)
	return sc, nil
}

// upgrade sends the stream request on conn and reads the answer, bounded
// by ctx: its deadline becomes the connection's, and its cancellation
// breaks the connection's pending I/O.
func (p *peer) upgrade(ctx context.Context, conn net.Conn, host string) (*bufio.Reader, error) {
	if deadline, ok := ctx.Deadline(); ok {
		conn.SetDeadline(deadline)
	}
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Unix(1, 0)) })
	bw := bufio.NewWriter(conn)
	if err := writeUpgradeRequest(bw, host, p.t.cfg.ClusterID, p.t.cfg.ID, p.id); err != nil {
		stop()
		return nil, err
	}
	if err := bw.Flush(); err != nil {
		stop()
		return nil, err
	}
	br := bufio.NewReader(conn)
	err := readUpgradeResponse(br)
	if !stop() && err == nil {
		err = errors.Join(ErrHandshake, ctx.Err())
	}
	if err != nil {
		return nil, err
	}
	conn.SetDeadline(time.Time{})
	return br, nil
}

// connect dials until a stream is open (nil if stopped first), waiting
// MinBackoff after the first failure and twice as long after each next one,
// up to MaxBackoff.
func (p *peer) connect() *streamConn {
	backoff := p.t.cfg.MinBackoff
	for p.ctx.Err() == nil {
		sc, err := p.dial()
		if err == nil {
			p.connected(sc)
			return sc
		}
		p.dialFailed(err)
		timer := time.NewTimer(backoff)
		select {
		case <-timer.C:
		case <-p.redial:
		case <-p.ctx.Done():
		}
		timer.Stop()
		backoff = min(2*backoff, p.t.cfg.MaxBackoff)
	}
	return nil
}

// dialFailed records a failed dial. Only a change of error is logged, so a
// peer that stays down does not flood the log; a refusal by the peer's
// membership checks is logged as an error, for the operator.
func (p *peer) dialFailed(err error) {
	p.mu.Lock()
	changed := p.lastErr != err.Error()
	p.lastErr = err.Error()
	p.mu.Unlock()
	if len(p.queue) > 0 {
		p.t.reportUnreachable(p.id)
	}
	if errors.Is(err, ErrRemovedMember) && p.t.cfg.OnRemoved != nil {
		p.t.cfg.OnRemoved()
	}
	if !changed || p.ctx.Err() != nil {
		return
	}
	if errors.Is(err, ErrClusterIDMismatch) || errors.Is(err, ErrRemovedMember) || errors.Is(err, ErrRecipientMismatch) {
		p.log.Error("peer refused stream", "error", err)
		return
	}
	p.log.Warn("cannot reach peer", "error", err)
}

// pickURL returns the URL to dial next, and advance moves past it after a
// failure, so that a member with several URLs is tried on each in turn.
func (p *peer) pickURL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.urls[p.nextURL%len(p.urls)]
}

func (p *peer) advanceURL() {
	p.mu.Lock()
	p.nextURL++
	p.mu.Unlock()
}

// watch reads the stream's (otherwise unused) return direction: the peer
// never writes after the upgrade, so the read ends only when the peer closes
// its end or the connection fails, and then the writer learns at once
// instead of at its next write.
func (p *peer) watch(sc *streamConn, br *bufio.Reader) {
	defer p.t.wg.Done()
	io.Copy(io.Discard, br)
	close(sc.closed)
}

// clientTLS returns the TLS config to dial host with.
func (p *peer) clientTLS(host string) *tls.Config {
	tc := &tls.Config{}
	if p.t.cfg.ClientTLS != nil {
		tc = p.t.cfg.ClientTLS.Clone()
	}
	if tc.ServerName == "" {
		tc.ServerName = host
	}
	tc.NextProtos = []string{"http/1.1"}
	return tc
}
