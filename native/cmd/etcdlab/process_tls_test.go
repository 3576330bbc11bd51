package main

// TLS with real processes: a throwaway certificate authority made in the
// test (crypto/x509, ECDSA P-256), a 3-member cluster with https client and
// peer URLs and client-certificate authentication on both (etcd's
// --cert-file --key-file --client-cert-auth --trusted-ca-file and their
// --peer-* twins), driven by Debian's etcdctl and by etcdlab's own client
// verbs (--cacert --cert --key). It checks that the certificates are
// required, not merely accepted: a client without a certificate, a client
// that does not trust the CA, a certificate from another CA, plain HTTP on
// a peer port and a plain-HTTP 4th member are all refused.
//
// etcd's own TLS tests do the same with fixed fixtures (etcd:
// tests/fixtures/gencerts.sh, tests/e2e/ctl_v3_*_test.go); generating the
// chain here keeps the repository free of keys that expire.

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// pkiFiles are the PEM files one test run uses.
type pkiFiles struct {
	ca, serverCert, serverKey, clientCert, clientKey string
	otherCA, otherCert, otherKey                     string // a second, untrusted CA and a client cert it signed
}

// certAuthority is a CA that can sign leaf certificates.
type certAuthority struct {
	cert *x509.Certificate
	key  *ecdsa.PrivateKey
}

var certSerial = big.NewInt(1)

func nextSerial() *big.Int {
	certSerial = new(big.Int).Add(certSerial, big.NewInt(1))
	return new(big.Int).Set(certSerial)
}

// newCA makes a self-signed CA certificate and writes it to dir/name.pem.
func newCA(t *testing.T, dir, name string) (*certAuthority, string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		IsCA: true, BasicConstraintsValid: true,
		KeyUsage: x509.KeyUsageCertSign | x509.KeyUsageDigitalSignature,
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	require.NoError(t, err)
	cert, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	path := filepath.Join(dir, name+".pem")
	writePEM(t, path, "CERTIFICATE", der)
	return &certAuthority{cert: cert, key: key}, path
}

// leaf signs a certificate for name; server certificates carry the IP SAN
// 127.0.0.1 and both usages, because a member also presents its
// certificate as a client when it dials its peers (etcd: the same
// --peer-cert-file serves and dials; docs op-guide/security.md).
func (ca *certAuthority) leaf(t *testing.T, dir, name string, server bool) (certPath, keyPath string) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{
		SerialNumber: nextSerial(), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(24 * time.Hour),
		KeyUsage:    x509.KeyUsageDigitalSignature,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageClientAuth},
	}
	if server {
		tmpl.IPAddresses = []net.IP{net.ParseIP("127.0.0.1")}
		tmpl.ExtKeyUsage = append(tmpl.ExtKeyUsage, x509.ExtKeyUsageServerAuth)
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	require.NoError(t, err)
	keyDER, err := x509.MarshalECPrivateKey(key)
	require.NoError(t, err)
	certPath, keyPath = filepath.Join(dir, name+".pem"), filepath.Join(dir, name+"-key.pem")
	writePEM(t, certPath, "CERTIFICATE", der)
	writePEM(t, keyPath, "EC PRIVATE KEY", keyDER)
	return certPath, keyPath
}

func writePEM(t *testing.T, path, kind string, der []byte) {
	require.NoError(t, os.WriteFile(path, pem.EncodeToMemory(&pem.Block{Type: kind, Bytes: der}), 0o600))
}

// newPKI makes the CA, one server certificate shared by the members (the
// SAN is 127.0.0.1 for all of them), a client certificate, and a second CA
// with its own client certificate.
func newPKI(t *testing.T, dir string) pkiFiles {
	var f pkiFiles
	ca, caPath := newCA(t, dir, "ca")
	f.ca = caPath
	f.serverCert, f.serverKey = ca.leaf(t, dir, "server", true)
	f.clientCert, f.clientKey = ca.leaf(t, dir, "client", false)
	other, otherPath := newCA(t, dir, "other-ca")
	f.otherCA = otherPath
	f.otherCert, f.otherKey = other.leaf(t, dir, "other-client", false)
	return f
}

// serverTLSFlags are etcd's member TLS flags with client-cert auth on both
// the client and the peer URLs.
func (f pkiFiles) serverTLSFlags() []string {
	return []string{
		"--cert-file", f.serverCert, "--key-file", f.serverKey,
		"--client-cert-auth", "--trusted-ca-file", f.ca,
		"--peer-cert-file", f.serverCert, "--peer-key-file", f.serverKey,
		"--peer-client-cert-auth", "--peer-trusted-ca-file", f.ca,
	}
}

// newTLSMember is newMember with https client and peer URLs (metrics stay
// plain http, as etcd's --listen-metrics-urls allow).
func newTLSMember(t *testing.T, dir, name string) *member {
	m := newMember(t, dir, name)
	m.client = strings.Replace(m.client, "http://", "https://", 1)
	m.peer = strings.Replace(m.peer, "http://", "https://", 1)
	return m
}

func httpsEndpoints(ms ...*member) string {
	var eps []string
	for _, m := range ms {
		eps = append(eps, m.client)
	}
	return strings.Join(eps, ",")
}

// TestProcessTLSCluster: the whole TLS story against one 3-member cluster.
func TestProcessTLSCluster(t *testing.T) {
	dir := t.TempDir()
	pki := newPKI(t, dir)
	var ms []*member
	for i := 1; i <= 3; i++ {
		ms = append(ms, newTLSMember(t, dir, fmt.Sprintf("s%d", i)))
	}
	for _, m := range ms {
		m.start(t, clusterFlag(ms...), "new", "proc-tls", pki.serverTLSFlags()...)
	}
	waitHealthyMembers(t, ms...)
	for _, m := range ms {
		require.Contains(t, m.p.out.String(), `"tls":true`, "%s must serve clients over TLS", m.name)
	}
	eps := httpsEndpoints(ms...)
	creds := []string{"--cacert=" + pki.ca, "--cert=" + pki.clientCert, "--key=" + pki.clientKey}

	t.Run("etcdctl", func(t *testing.T) { checkTLSEtcdctl(t, eps, creds) })
	t.Run("etcdlab", func(t *testing.T) { checkTLSEtcdlab(t, ms, creds) })
	t.Run("refused clients", func(t *testing.T) { checkTLSRefusals(t, ms[0].client, pki) })
	t.Run("peers", func(t *testing.T) { checkPeersUseTLS(t, ms, pki) })
	t.Run("plain-http member", func(t *testing.T) { checkPlainPeerCannotJoin(t, dir, ms, creds) })
}

// checkTLSEtcdctl: Debian's etcdctl, with etcd's client flags, writes on
// one member and reads on another.
func checkTLSEtcdctl(t *testing.T, eps string, creds []string) {
	requireEtcdctlBinary(t)
	first := strings.Split(eps, ",")[0]
	last := strings.Split(eps, ",")[2]
	out, err := etcdctl(t, first, append(creds, "put", "tls-key", "over-tls")...)
	require.NoError(t, err, out)
	require.Equal(t, "OK\n", out)
	out, err = etcdctl(t, last, append(creds, "get", "tls-key")...)
	require.NoError(t, err, out)
	require.Equal(t, "tls-key\nover-tls\n", out)
	out, err = etcdctl(t, eps, append(creds, "endpoint", "health")...)
	require.NoError(t, err, out)
	require.Equal(t, 3, strings.Count(out, "is healthy"), out)
}

// checkTLSEtcdlab: etcdlab's own put and get with the same flags, with and
// without the https:// scheme on the endpoint (etcdctl dials TLS for a bare
// host:port once --cacert is given).
func checkTLSEtcdlab(t *testing.T, ms []*member, creds []string) {
	out, err := etcdlabCmd(t, append([]string{"put", "--endpoints=" + ms[1].client}, append(creds, "lab-key", "lab-value")...)...)
	require.NoError(t, err, out)
	require.Equal(t, "OK\n", out)
	bare := strings.TrimPrefix(ms[2].client, "https://")
	out, err = etcdlabCmd(t, append([]string{"get", "--endpoints=" + bare}, append(creds, "lab-key")...)...)
	require.NoError(t, err, out)
	require.Equal(t, "lab-key\nlab-value\n", out)
}

// checkTLSRefusals: every client that cannot complete mutual TLS is
// refused, by etcdlab's client and (if installed) by etcdctl alike.
func checkTLSRefusals(t *testing.T, ep string, pki pkiFiles) {
	cases := []struct {
		name  string
		flags []string
	}{
		{"no client certificate", []string{"--cacert=" + pki.ca}},
		{"does not trust the CA", []string{"--cacert=" + pki.otherCA, "--cert=" + pki.clientCert, "--key=" + pki.clientKey}},
		{"certificate from another CA", []string{"--cacert=" + pki.ca, "--cert=" + pki.otherCert, "--key=" + pki.otherKey}},
		{"plain text", nil},
	}
	for _, c := range cases {
		args := append([]string{"put", "--endpoints=" + ep, "--dial-timeout=1s", "--command-timeout=2s"}, c.flags...)
		out, err := etcdlabCmd(t, append(args, "refused-"+strings.ReplaceAll(c.name, " ", "-"), "x")...)
		require.Error(t, err, "etcdlab, %s: must be refused; output:\n%s", c.name, out)
		require.NotContains(t, out, "OK", c.name)
		if _, serr := os.Stat(etcdctlPath); serr == nil {
			out, err = etcdctl(t, ep, append(c.flags, "--command-timeout=1s", "put", "refused", "x")...)
			require.Error(t, err, "etcdctl, %s: must be refused; output:\n%s", c.name, out)
		}
	}
	// The same through Go's TLS stack, where the reason is visible (gRPC
	// clients only report "context deadline exceeded").
	addr := strings.TrimPrefix(ep, "https://")
	checkHandshakes(t, addr, pki)
}

// checkHandshakes dials addr (a member's client or peer port) with each
// kind of client and checks who gets through, and why the others do not.
func checkHandshakes(t *testing.T, addr string, pki pkiFiles) {
	pool := func(path string) *x509.CertPool {
		p := x509.NewCertPool()
		b, err := os.ReadFile(path)
		require.NoError(t, err)
		require.True(t, p.AppendCertsFromPEM(b))
		return p
	}
	pair := func(cert, key string) []tls.Certificate {
		c, err := tls.LoadX509KeyPair(cert, key)
		require.NoError(t, err)
		return []tls.Certificate{c}
	}
	ca, other := pool(pki.ca), pool(pki.otherCA)
	good := pair(pki.clientCert, pki.clientKey)
	require.NoError(t, tlsRoundTrip(addr, &tls.Config{RootCAs: ca, Certificates: good}),
		"%s: a client with the CA's certificate must get through the handshake", addr)
	err := tlsRoundTrip(addr, &tls.Config{RootCAs: ca})
	require.ErrorContains(t, err, "certificate required", "%s: client-cert-auth must demand a certificate", addr)
	err = tlsRoundTrip(addr, &tls.Config{RootCAs: ca, Certificates: pair(pki.otherCert, pki.otherKey)})
	require.ErrorContains(t, err, "remote error: tls", "%s: the trusted CA file must refuse another CA's certificate", addr)
	err = tlsRoundTrip(addr, &tls.Config{RootCAs: other, Certificates: good})
	require.ErrorContains(t, err, "certificate signed by unknown authority", "%s: the member's certificate comes from the CA only", addr)
}

// tlsRoundTrip completes a handshake and one read; with TLS 1.3 a server's
// refusal of the client certificate arrives on the first read.
func tlsRoundTrip(addr string, tc *tls.Config) error {
	conn, err := tls.DialWithDialer(&net.Dialer{Timeout: 2 * time.Second}, "tcp", addr, tc)
	if err != nil {
		return err
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(2 * time.Second))
	if _, err := conn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n")); err != nil {
		return err
	}
	_, err = conn.Read(make([]byte, 1))
	if err == nil || isTimeout(err) {
		return nil // the server kept the connection: it accepted us
	}
	return err
}

func isTimeout(err error) bool {
	ne, ok := err.(net.Error)
	return ok && ne.Timeout()
}

// checkPeersUseTLS: the peer ports speak only TLS and only to holders of a
// certificate from the CA; a member with the CA's certificate gets through.
func checkPeersUseTLS(t *testing.T, ms []*member, pki pkiFiles) {
	peerAddr := strings.TrimPrefix(ms[0].peer, "https://")
	resp, err := http.Get("http://" + peerAddr + "/raft/stream")
	if err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.Equal(t, http.StatusBadRequest, resp.StatusCode, "plain HTTP on a TLS peer port; body %q", body)
		require.Contains(t, string(body), "HTTPS server", "Go's TLS listener answers plain HTTP so")
	}

	checkHandshakes(t, peerAddr, pki)

	for _, m := range ms {
		body := httpGet(t, m.metrics+"/metrics")
		require.Contains(t, body, "etcd_server_has_leader 1", m.name)
		require.Regexp(t, `etcd_network_peer_sent_bytes_total\{To="[0-9a-f]+"\} [1-9]`, body,
			"%s must have sent raft messages over its https peer streams", m.name)
	}
}

// checkPlainPeerCannotJoin: a 4th member added with a plain http peer URL
// and started without peer certificates cannot join the TLS cluster: it
// cannot verify the members' certificates, and they would not accept it
// without one. It must say why and never become healthy.
func checkPlainPeerCannotJoin(t *testing.T, dir string, ms []*member, creds []string) {
	requireEtcdctlBinary(t)
	eps := httpsEndpoints(ms...)
	n4 := newMember(t, dir, "s4") // plain http client and peer URLs
	out, err := etcdctl(t, eps, append(creds, "member", "add", "s4", "--peer-urls="+n4.peer)...)
	require.NoError(t, err, out)
	initial := regexp.MustCompile(`ETCD_INITIAL_CLUSTER="([^"]+)"`).FindStringSubmatch(out)
	require.NotNil(t, initial, out)

	n4.start(t, initial[1], "existing", "proc-tls")
	select {
	case <-n4.p.done:
		require.Error(t, n4.p.err, "s4 must fail; output:\n%s", n4.p.out.String())
	case <-time.After(procReadyTimeout):
		t.Fatalf("s4 with a plain-http peer URL neither failed nor stopped; output:\n%s", n4.p.out.String())
	}
	require.Regexp(t, `certificate signed by unknown authority|x509|tls`, n4.p.out.String(),
		"s4 must say that TLS stopped it")
	require.False(t, healthy(n4))

	out, err = etcdctl(t, eps, append(creds, "put", "after-s4", "still-works")...)
	require.NoError(t, err, "the 3 TLS members keep their quorum (3 of 4); output:\n%s", out)
}

// TestProcessTLSFlagsRefused: an https listen URL without a certificate is
// refused at start, before any data is written, instead of being served in
// plain text; so is a certificate file that is not there.
func TestProcessTLSFlagsRefused(t *testing.T) {
	dir := t.TempDir()
	pki := newPKI(t, dir)
	cases := []struct {
		name, clientScheme, peerScheme, want string
		extra                                []string
	}{
		{"https client URL, no cert", "https", "http", "TLS key/cert (--cert-file, --key-file) must be provided for client url https://", nil},
		{"https peer URL, no cert", "http", "https", "TLS key/cert (--peer-cert-file, --peer-key-file) must be provided for peer url https://", nil},
		{"https peer URL, client cert only", "https", "https", "--peer-cert-file, --peer-key-file", []string{"--cert-file", pki.serverCert, "--key-file", pki.serverKey}},
		{"missing cert file", "https", "http", "client TLS: open " + filepath.Join(dir, "nope.pem"),
			[]string{"--cert-file", filepath.Join(dir, "nope.pem"), "--key-file", pki.serverKey}},
	}
	for i, c := range cases {
		m := newMember(t, dir, fmt.Sprintf("r%d", i))
		m.client = strings.Replace(m.client, "http://", c.clientScheme+"://", 1)
		m.peer = strings.Replace(m.peer, "http://", c.peerScheme+"://", 1)
		args := append([]string{"server", "--name", m.name, "--data-dir", m.dataDir,
			"--listen-client-urls", m.client, "--advertise-client-urls", m.client,
			"--listen-peer-urls", m.peer, "--initial-advertise-peer-urls", m.peer,
			"--initial-cluster", clusterFlag(m)}, c.extra...)
		out, err := etcdlabCmd(t, args...)
		require.Error(t, err, "%s: the member must refuse to start; output:\n%s", c.name, out)
		require.Contains(t, out, c.want, c.name)
		require.NoDirExists(t, m.dataDir, c.name)
	}
}
