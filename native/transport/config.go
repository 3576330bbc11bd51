package transport

// Config is everything a Transport needs from the daemon: who this member is,
// where it listens, where received messages go, and the limits of its queues
// and timers (zero means the default of limits.go).

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Config configures a Transport.
type Config struct {
	// ClusterID is sent on every stream and checked on every accepted one.
	// etcd derives it from --initial-cluster-token and the initial members.
	ClusterID uint64
	// ID is this member's ID; it must not be raft.None.
	ID raft.NodeID

	// ListenURLs are this member's peer URLs (etcd: --listen-peer-urls),
	// "http://host:port" or "https://host:port". Port 0 picks a free port;
	// URLs reports the ones in use.
	ListenURLs []string
	// ServerTLS is required when a listen URL is https. ClientTLS is used to
	// dial https peer URLs (nil: the system's roots). Streams speak
	// HTTP/1.1 in both cases.
	ServerTLS *tls.Config
	ClientTLS *tls.Config

	// Handler receives every message from every peer. It is called by one
	// goroutine per inbound stream, so messages of one sender arrive in the
	// order they were sent (see doc.go). It may block: the sender's stream
	// then backs up, its queue fills, and the sender drops. It must return
	// eventually, or Stop waits for it.
	Handler func(raft.Message)
	// OnUnreachable is called when a message to a peer is lost (its queue
	// was full, a write failed) or a peer with messages waiting cannot be
	// reached; the daemon turns it into node.ReportUnreachable. It is called
	// from any goroutine, Send's caller included, so it must not block and
	// must not call back into the Transport. Optional.
	OnUnreachable func(raft.NodeID)
	// OnRemoved is called when a peer refuses this member's stream because
	// it knows this member as removed from the cluster (etcd's rafthttp
	// then reports "the member has been permanently removed from the
	// cluster" and the server stops). A removed member may never apply its
	// own removal: the leader stops replicating to it once the removal is
	// applied. Same rules as OnUnreachable. Optional.
	OnRemoved func()
	// Logger receives connection events; nil means slog.Default().
	Logger *slog.Logger
	// Routes are more HTTP routes served on the peer listener besides the
	// stream upgrade (the daemon's GET /members, as etcd's peer API).
	// Optional.
	Routes map[string]http.Handler

	// MaxFrameBytes bounds one encoded message (default MaxFrameBytes).
	MaxFrameBytes int
	// QueueMessages and QueueBytes bound what waits for one peer's writer
	// (defaults DefaultQueueMessages, DefaultQueueBytes).
	QueueMessages int
	QueueBytes    int
	// DialTimeout, WriteTimeout, MinBackoff, MaxBackoff and DrainTimeout:
	// see limits.go for their meaning and defaults.
	DialTimeout  time.Duration
	WriteTimeout time.Duration
	MinBackoff   time.Duration
	MaxBackoff   time.Duration
	DrainTimeout time.Duration
}

// withDefaults returns c with every zero limit set to its default.
func (c Config) withDefaults() Config {
	setInt := func(v *int, d int) {
		if *v == 0 {
			*v = d
		}
	}
	setDur := func(v *time.Duration, d time.Duration) {
		if *v == 0 {
			*v = d
		}
	}
	setInt(&c.MaxFrameBytes, MaxFrameBytes)
	setInt(&c.QueueMessages, DefaultQueueMessages)
	setInt(&c.QueueBytes, DefaultQueueBytes)
	setDur(&c.DialTimeout, DefaultDialTimeout)
	setDur(&c.WriteTimeout, DefaultWriteTimeout)
	setDur(&c.MinBackoff, DefaultMinBackoff)
	setDur(&c.MaxBackoff, DefaultMaxBackoff)
	setDur(&c.DrainTimeout, DefaultDrainTimeout)
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// validate reports the first thing wrong with c (after withDefaults).
func (c Config) validate() error {
	switch {
	case c.ID == raft.None:
		return errors.New("transport: config: ID must not be 0")
	case c.Handler == nil:
		return errors.New("transport: config: Handler is required")
	case len(c.ListenURLs) == 0:
		return errors.New("transport: config: at least one listen URL is required")
	case c.MaxFrameBytes < minFrameBudget || c.MaxFrameBytes > MaxFrameBytes:
		return fmt.Errorf("transport: config: MaxFrameBytes must be in [%d, %d]", minFrameBudget, MaxFrameBytes)
	case c.QueueMessages < 1 || c.QueueBytes < c.MaxFrameBytes:
		return errors.New("transport: config: QueueMessages must be positive and QueueBytes at least MaxFrameBytes")
	case c.MinBackoff <= 0 || c.MaxBackoff < c.MinBackoff:
		return errors.New("transport: config: need 0 < MinBackoff <= MaxBackoff")
	case c.DialTimeout <= 0 || c.WriteTimeout <= 0 || c.DrainTimeout <= 0:
		return errors.New("transport: config: timeouts must be positive")
	}
	for _, u := range c.ListenURLs {
		pu, err := parsePeerURL(u)
		if err != nil {
			return err
		}
		if pu.Scheme == "https" && c.ServerTLS == nil {
			return fmt.Errorf("transport: config: listen URL %s is https but ServerTLS is nil", u)
		}
	}
	return nil
}

// parsePeerURL accepts "http://host:port" and "https://host:port" (a path,
// if any, is ignored: the stream path is the transport's).
func parsePeerURL(s string) (*url.URL, error) {
	u, err := url.Parse(s)
	if err != nil {
		return nil, fmt.Errorf("transport: peer URL %q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return nil, fmt.Errorf("transport: peer URL %q: scheme must be http or https", s)
	}
	if u.Port() == "" {
		return nil, fmt.Errorf("transport: peer URL %q: a port is required (etcd's default peer port is 2380)", s)
	}
	return u, nil
}
