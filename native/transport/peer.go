package transport

// A peer is the sending half of the link to one member: a bounded queue that
// Send fills without ever blocking, and one writer goroutine that empties it
// into a stream, dialing (and redialing, with backoff) as needed.
//
//	Send --frame--> [ queue: QueueMessages / QueueBytes ] --> writer --> stream --> peer
//	       full? drop, count, OnUnreachable                   |
//	                                                          +-- dial, upgrade, backoff 2x up to MaxBackoff
//
// While the peer cannot be reached the writer does not touch the queue, so
// the queue fills and Send starts dropping: raft learns (OnUnreachable) and
// slows down to probing, and when the stream comes back the queued messages
// go out first, in order.

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// peer is the outgoing side of the link to one member.
type peer struct {
	t   *Transport
	id  raft.NodeID
	log *slog.Logger

	queue       chan []byte // encoded frames, in Send order
	queuedBytes atomic.Int64
	dropping    atomic.Bool // in a burst of queue-full drops (logged once)
	counters    peerCounters

	// ctx is canceled by abort (RemovePeer) and by drain (Stop); it
	// interrupts a dial or a backoff. abortCh and drainCh say which.
	ctx           context.Context
	cancel        context.CancelFunc
	abortCh       chan struct{}
	drainCh       chan struct{}
	stopOnce      sync.Once
	drainDeadline time.Time     // written before drainCh is closed
	redial        chan struct{} // capacity 1: UpdatePeer asks for a dial now
	finished      chan struct{} // closed when the writer has exited

	mu          sync.Mutex
	urls        []string    // guarded by mu
	nextURL     int         // guarded by mu; the URL the next dial tries
	conn        *streamConn // guarded by mu; the open stream, nil when down
	activeSince time.Time   // guarded by mu; zero when down
	lastErr     string      // guarded by mu
}

// streamConn is one open outgoing stream.
type streamConn struct {
	conn   net.Conn
	bw     *bufio.Writer
	url    string
	closed chan struct{} // closed when the peer's end is gone (read side hit EOF or an error)
}

var (
	errPeerClosed = errors.New("the peer closed the stream")
	errAborted    = errors.New("peer removed")
	errDrained    = errors.New("transport stopping")
)

func newPeer(t *Transport, id raft.NodeID, urls []string) *peer {
	ctx, cancel := context.WithCancel(context.Background())
	return &peer{
		t:        t,
		id:       id,
		log:      t.log.With("remote-peer-id", formatID(uint64(id))),
		queue:    make(chan []byte, t.cfg.QueueMessages),
		ctx:      ctx,
		cancel:   cancel,
		abortCh:  make(chan struct{}),
		drainCh:  make(chan struct{}),
		redial:   make(chan struct{}, 1),
		finished: make(chan struct{}),
		urls:     slices.Clone(urls),
	}
}

// enqueue hands a frame to the writer, or drops it if the queue is full.
// It never blocks (etcd: "dropped internal Raft message since sending
// buffer is full").
func (p *peer) enqueue(frame []byte) error {
	size := int64(len(frame))
	if p.queuedBytes.Add(size) <= int64(p.t.cfg.QueueBytes) {
		select {
		case p.queue <- frame:
			p.dropping.Store(false)
			return nil
		default:
		}
	}
	p.queuedBytes.Add(-size)
	p.counters.droppedQueueFull.Add(1)
	if !p.dropping.Swap(true) {
		p.log.Warn("dropping raft messages: sending buffer is full (peer slow or unreachable)",
			"queued-messages", len(p.queue), "queued-bytes", p.queuedBytes.Load())
	}
	p.t.reportUnreachable(p.id)
	return fmt.Errorf("%w: to %s", ErrQueueFull, formatID(uint64(p.id)))
}

// tryDequeue takes the next frame if one is waiting.
func (p *peer) tryDequeue() ([]byte, bool) {
	select {
	case f := <-p.queue:
		p.queuedBytes.Add(-int64(len(f)))
		return f, true
	default:
		return nil, false
	}
}

// abort stops the writer without draining (RemovePeer); closing the stream
// also ends a write that is blocked on a stalled peer.
func (p *peer) abort() {
	p.stopOnce.Do(func() {
		close(p.abortCh)
		p.cancel()
		p.mu.Lock()
		if p.conn != nil {
			p.conn.conn.Close()
		}
		p.mu.Unlock()
	})
}

// drain stops the writer after it has written what is queued, if it is
// connected, or until deadline (Stop).
func (p *peer) drain(deadline time.Time) {
	p.stopOnce.Do(func() {
		p.drainDeadline = deadline
		close(p.drainCh)
		p.cancel()
	})
}

// run is the writer goroutine: connect, stream until the stream breaks,
// repeat until stopped; then drop whatever is left.
func (p *peer) run() {
	defer p.t.wg.Done()
	defer close(p.finished)
	for {
		sc := p.connect()
		if sc == nil {
			break
		}
		err := p.stream(sc)
		p.disconnect(sc, err)
		if p.ctx.Err() != nil {
			break
		}
	}
	p.dropQueued()
}

// stream writes queued frames to sc until the stream breaks or the writer
// is stopped; it returns why it ended.
func (p *peer) stream(sc *streamConn) error {
	for {
		select {
		case frame := <-p.queue:
			p.queuedBytes.Add(-int64(len(frame)))
			if err := p.writeBatch(sc, frame, time.Time{}); err != nil {
				if p.ctx.Err() != nil {
					return errAborted // abort closed the stream under the write
				}
				return err
			}
		case <-sc.closed:
			return errPeerClosed
		case <-p.abortCh:
			return errAborted
		case <-p.drainCh:
			return p.flushQueued(sc)
		}
	}
}

// flushQueued writes what is queued, until the drain deadline.
func (p *peer) flushQueued(sc *streamConn) error {
	for {
		frame, ok := p.tryDequeue()
		if !ok {
			return errDrained
		}
		if err := p.writeBatch(sc, frame, p.drainDeadline); err != nil {
			return err
		}
	}
}

// writeBatch writes first and whatever else is queued (up to
// writeBatchFrames) and flushes. Each write must finish within WriteTimeout,
// and before limit if it is set. If the stream breaks, every frame of the
// batch counts as dropped (some may have reached the peer) and the peer is
// reported unreachable.
func (p *peer) writeBatch(sc *streamConn, first []byte, limit time.Time) error {
	frames, bytes := 0, 0
	var err error
	for frame := first; ; {
		frames++
		bytes += len(frame)
		sc.conn.SetWriteDeadline(p.writeDeadline(limit))
		if _, err = sc.bw.Write(frame); err != nil || frames == writeBatchFrames {
			break
		}
		next, ok := p.tryDequeue()
		if !ok {
			break
		}
		frame = next
	}
	if err == nil {
		sc.conn.SetWriteDeadline(p.writeDeadline(limit))
		err = sc.bw.Flush()
	}
	if err != nil {
		p.counters.droppedWriteFailed.Add(uint64(frames))
		p.t.reportUnreachable(p.id)
		return fmt.Errorf("write to %s: %w", sc.url, err)
	}
	p.counters.sentMessages.Add(uint64(frames))
	p.counters.sentBytes.Add(uint64(bytes))
	return nil
}

// writeDeadline is WriteTimeout from now, or limit if that is sooner.
func (p *peer) writeDeadline(limit time.Time) time.Time {
	d := time.Now().Add(p.t.cfg.WriteTimeout)
	if !limit.IsZero() && limit.Before(d) {
		return limit
	}
	return d
}

// dropQueued counts what is left in the queue as dropped (the writer has
// stopped; no Send can add more, see RemovePeer and Stop).
func (p *peer) dropQueued() {
	for {
		if _, ok := p.tryDequeue(); !ok {
			return
		}
		p.counters.droppedStopped.Add(1)
	}
}

// setURLs replaces the peer's URLs; a stream to a URL no longer listed is
// closed, and a writer waiting to redial tries again at once.
func (p *peer) setURLs(urls []string) {
	p.mu.Lock()
	p.urls = slices.Clone(urls)
	p.nextURL = 0
	if p.conn != nil && !slices.Contains(urls, p.conn.url) {
		p.conn.conn.Close()
	}
	p.mu.Unlock()
	select {
	case p.redial <- struct{}{}:
	default:
	}
}

// connected records an open stream.
func (p *peer) connected(sc *streamConn) {
	p.mu.Lock()
	p.conn = sc
	p.activeSince = time.Now()
	p.lastErr = ""
	p.mu.Unlock()
	p.log.Info("established stream to peer", "remote-peer-url", sc.url)
}

// disconnect closes sc and records why it ended. A stream that broke (not
// one we closed to stop) is logged and reported.
func (p *peer) disconnect(sc *streamConn, why error) {
	sc.conn.Close()
	p.mu.Lock()
	p.conn = nil
	p.activeSince = time.Time{}
	if why != errAborted && why != errDrained {
		p.lastErr = why.Error()
	}
	p.mu.Unlock()
	if why == errAborted || why == errDrained {
		p.log.Info("closed stream to peer", "remote-peer-url", sc.url, "reason", why.Error())
		return
	}
	p.log.Warn("lost stream to peer", "remote-peer-url", sc.url, "error", why)
	p.t.reportUnreachable(p.id)
}
