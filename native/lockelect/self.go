package lockelect

// The member's client to itself. etcd's Lock and Election services are
// clients of their own server: they run clientv3's concurrency package
// (sessions, mutexes, elections: transactions on keys, watches, lease
// keep-alives) against the member they are served by (etcd: embed/serve.go
// builds them on v3client.New, an in-process client). etcdlab dials the
// member's own advertised client URLs instead, over ordinary gRPC:
//
//	caller ── Lock ──> lockServer ── clientv3 Txn/Watch/KeepAlive ──> this member's KV, Watch, Lease
//
// Every call through it carries the caller's token: the server's auth
// interceptor (native/api auth_interceptor.go) has put it into the
// outgoing metadata of the context the handler gets, and that context is
// the one the concurrency package calls with.
//
// The client is built at the first call, when the member is listening,
// and closed when the member stops.

import (
	"crypto/tls"
	"strings"
	"sync"

	"github.com/etcdlab/etcdlab/native/daemon"
	clientv3 "go.etcd.io/etcd/client/v3"
	"go.uber.org/zap"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// errStopped answers calls that arrive while the member stops.
var errStopped = status.Error(codes.Unavailable, "etcdlab: the member is stopping; retry on another member")

type selfClient struct {
	d   *daemon.Daemon
	tls *tls.Config

	mu      sync.Mutex // guards c and stopped
	c       *clientv3.Client
	stopped bool
}

func newSelfClient(d *daemon.Daemon, tlsConfig *tls.Config) *selfClient {
	s := &selfClient{d: d, tls: tlsConfig}
	go func() {
		<-d.Done()
		s.close()
	}()
	return s
}

// client returns the client to this member, dialing it the first time.
func (s *selfClient) client() (*clientv3.Client, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return nil, errStopped
	}
	if s.c != nil {
		return s.c, nil
	}
	urls := s.d.Config().AdvertiseClientURLs
	cfg := clientv3.Config{Endpoints: urls, Logger: zap.NewNop()}
	for _, u := range urls {
		if strings.HasPrefix(u, "https://") {
			cfg.TLS = s.tls
		}
	}
	c, err := clientv3.New(cfg)
	if err != nil {
		return nil, status.Errorf(codes.Unavailable, "etcdlab: the lock and election services cannot reach this member at %s: %v", strings.Join(urls, ","), err)
	}
	s.c = c
	return c, nil
}

func (s *selfClient) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stopped = true
	if s.c != nil {
		s.c.Close()
		s.c = nil
	}
}
