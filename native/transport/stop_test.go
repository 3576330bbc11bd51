package transport

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"fmt"
	"math/big"
	"net"
	"runtime"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Stop flushes what is queued for a connected peer before it closes.
func TestStopDrainsQueue(t *testing.T) {
	const n = 500
	a, b := startNode(t, 1, 7, nil), startNode(t, 2, 7, nil)
	mesh(t, a, b)
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))
	require.EqualValues(t, 1, b.expect(t).Index) // connected
	for i := uint64(2); i <= n; i++ {
		require.NoError(t, a.tr.Send(app(1, 2, i, 1024)))
	}
	a.tr.Stop()
	for i := uint64(2); i <= n; i++ {
		require.Equal(t, i, b.expect(t).Index)
	}
	ps, _ := a.tr.PeerStats(2)
	require.Zero(t, ps.DroppedStopped+ps.DroppedWriteFailed)
	require.ErrorIs(t, a.tr.Send(app(1, 2, n+1, 8)), ErrStopped)
	require.ErrorIs(t, a.tr.AddPeer(3, []string{"http://127.0.0.1:1"}), ErrStopped)
	a.tr.Stop() // a second Stop does nothing
}

// Stop leaves no goroutine behind: after a busy mesh, a peer that was never
// reachable, a refused stream and a removed peer are all stopped, the count
// settles back to where it started.
func TestStopLeavesNoGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	func() {
		nodes := []*testNode{startNode(t, 1, 7, nil), startNode(t, 2, 7, nil), startNode(t, 3, 7, nil)}
		mesh(t, nodes...)
		other := startNode(t, 4, 8, nil) // another cluster: refused
		require.NoError(t, nodes[0].tr.AddPeer(4, other.tr.URLs()))
		require.NoError(t, other.tr.AddPeer(1, nodes[0].tr.URLs()))
		require.NoError(t, nodes[1].tr.AddPeer(5, []string{"http://" + reservePort(t)}))
		for i := uint64(1); i <= 100; i++ {
			for _, a := range nodes {
				for _, b := range nodes {
					if a != b {
						require.NoError(t, a.tr.Send(app(a.id, b.id, i, 256)))
					}
				}
			}
		}
		for _, b := range nodes {
			for range 200 {
				b.expect(t)
			}
		}
		require.NoError(t, nodes[1].tr.Send(app(2, 5, 1, 8)))
		require.NoError(t, other.tr.Send(app(4, 1, 1, 8)))
		other.logs.waitFor(t, "peer refused stream")
		nodes[2].tr.RemovePeer(1)
		for _, n := range append(nodes, other) {
			n.tr.Stop()
		}
	}()
	waitUntil(t, func() bool { return runtime.NumGoroutine() <= before }, func() string {
		buf := make([]byte, 1<<20)
		return fmt.Sprintf("%d goroutines, %d before:\n%s", runtime.NumGoroutine(), before, buf[:runtime.Stack(buf, true)])
	})
}

// Streams over TLS (https peer URLs) carry messages the same way.
func TestTLS(t *testing.T) {
	serverTLS, clientTLS := selfSignedTLS(t)
	tweak := func(c *Config) {
		c.ListenURLs = []string{"https://127.0.0.1:0"}
		c.ServerTLS, c.ClientTLS = serverTLS, clientTLS
	}
	a, b := startNode(t, 1, 7, tweak), startNode(t, 2, 7, tweak)
	mesh(t, a, b)
	require.NoError(t, a.tr.Send(app(1, 2, 1, 8)))
	require.NoError(t, b.tr.Send(app(2, 1, 2, 8)))
	require.EqualValues(t, 1, b.expect(t).Index)
	require.EqualValues(t, 2, a.expect(t).Index)

	// A plain-http client cannot open a stream on the TLS port.
	c := startNode(t, 3, 7, nil)
	require.NoError(t, b.tr.AddPeer(3, c.tr.URLs()))
	require.NoError(t, c.tr.AddPeer(2, []string{"http://" + b.tr.URLs()[0][len("https://"):]}))
	require.NoError(t, c.tr.Send(app(3, 2, 1, 8)))
	c.logs.waitFor(t, "cannot reach peer", "stream handshake failed")
}

// selfSignedTLS makes a certificate for 127.0.0.1 and configs that trust it.
func selfSignedTLS(t *testing.T) (server, client *tls.Config) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "etcdlab test peer"},
		IPAddresses:  []net.IP{net.IPv4(127, 0, 0, 1)},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	pool := x509.NewCertPool()
	pool.AddCert(cert)
	server = &tls.Config{Certificates: []tls.Certificate{{Certificate: [][]byte{der}, PrivateKey: key}}}
	return server, &tls.Config{RootCAs: pool}
}
