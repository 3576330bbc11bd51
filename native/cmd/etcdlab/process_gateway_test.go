package main

// The HTTP side of the client port with real processes: etcd's JSON
// gateway (/v3/...), /version, /health and /metrics served on the same
// client URL as gRPC (native/api mux.go), checked with net/http while
// Debian's etcdctl keeps using the port; the same requests compared with
// a real etcd 3.4 (same JSON shape, same error bodies); and the gateway
// over https next to gRPC over TLS, with client-certificate auth.

import (
	"bufio"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

const gatewayTimeout = 10 * time.Second

func b64(s string) string { return base64.StdEncoding.EncodeToString([]byte(s)) }

func unb64(t *testing.T, v any) string {
	s, _ := v.(string)
	b, err := base64.StdEncoding.DecodeString(s)
	require.NoError(t, err, "not base64: %v", v)
	return string(b)
}

// gatewayCall posts body to url and returns the status and the raw answer.
func gatewayCall(t *testing.T, c *http.Client, url, body string, header ...string) (int, []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), gatewayTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	require.NoError(t, err, "POST %s", url)
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, out
}

// gatewayJSON posts body to url, requires 200 and decodes the answer.
func gatewayJSON(t *testing.T, c *http.Client, url, body string, header ...string) map[string]any {
	t.Helper()
	code, out := gatewayCall(t, c, url, body, header...)
	require.Equal(t, http.StatusOK, code, "POST %s %s: %s", url, body, out)
	var m map[string]any
	require.NoError(t, json.Unmarshal(out, &m), "%s", out)
	return m
}

// gatewayStream opens a streaming call and returns a reader of its
// newline-delimited chunks; the stream ends with the test.
func gatewayStream(t *testing.T, c *http.Client, url, body string) func() map[string]any {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*gatewayTimeout)
	t.Cleanup(cancel)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := c.Do(req)
	require.NoError(t, err, "POST %s", url)
	t.Cleanup(func() { resp.Body.Close() })
	require.Equal(t, http.StatusOK, resp.StatusCode)
	r := bufio.NewReader(resp.Body)
	return func() map[string]any {
		t.Helper()
		line, err := r.ReadBytes('\n')
		require.NoError(t, err, "reading the stream of %s", url)
		var m map[string]any
		require.NoError(t, json.Unmarshal(line, &m), "%s", line)
		return m
	}
}

func obj(t *testing.T, m map[string]any, key string) map[string]any {
	t.Helper()
	v, ok := m[key].(map[string]any)
	require.True(t, ok, "no object %q in %v", key, m)
	return v
}

func list(t *testing.T, m map[string]any, key string) []any {
	t.Helper()
	v, ok := m[key].([]any)
	require.True(t, ok, "no list %q in %v", key, m)
	return v
}

// TestProcessGateway: a 3-member cluster answering HTTP and gRPC on each
// client URL.
func TestProcessGateway(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-gateway", 3)
	// Followers forward lease calls to the leader's client URL once it is
	// published through Raft (native/api forward.go).
	for _, m := range ms {
		eventually(t, procReadyTimeout, m.name+" lists the client URLs", func() bool { return listsClientURLs(t, m.host(), ms...) })
	}
	c := &http.Client{}
	gw := func(i int, path string) string { return ms[i].client + path }

	t.Run("kv", func(t *testing.T) {
		put := gatewayJSON(t, c, gw(0, "/v3/kv/put"), fmt.Sprintf(`{"key":%q,"value":%q}`, b64("gw/a"), b64("1")))
		h := obj(t, put, "header")
		for _, k := range []string{"cluster_id", "member_id", "revision", "raft_term"} {
			require.IsType(t, "", h[k], "%s must be a string (int64 in JSON)", k)
		}
		gatewayJSON(t, c, gw(1, "/v3/kv/put"), fmt.Sprintf(`{"key":%q,"value":%q}`, b64("gw/b"), b64("2")))
		rng := gatewayJSON(t, c, gw(2, "/v3/kv/range"), fmt.Sprintf(`{"key":%q,"range_end":%q}`, b64("gw/"), b64("gw0")))
		require.Equal(t, "2", rng["count"])
		kvs := list(t, rng, "kvs")
		require.Equal(t, "gw/a", unb64(t, kvs[0].(map[string]any)["key"]))
		require.Equal(t, "2", unb64(t, kvs[1].(map[string]any)["value"]))
		require.Equal(t, "gw/b\n2\n", mustCtl(t, ms[0].host(), "get", "gw/b"), "etcdctl on the same port")

		// lowerCamel names work too (rangeEnd, prevKv).
		del := gatewayJSON(t, c, gw(1, "/v3/kv/deleterange"), fmt.Sprintf(`{"key":%q,"rangeEnd":%q,"prevKv":true}`, b64("gw/a"), b64("gw/b")))
		require.Equal(t, "1", del["deleted"])
		require.Equal(t, "1", unb64(t, list(t, del, "prev_kvs")[0].(map[string]any)["value"]))

		txn := gatewayJSON(t, c, gw(0, "/v3/kv/txn"), fmt.Sprintf(
			`{"compare":[{"key":%q,"result":"EQUAL","target":"VALUE","value":%q}],"success":[{"request_put":{"key":%q,"value":%q}}],"failure":[{"request_range":{"key":%q}}]}`,
			b64("gw/b"), b64("2"), b64("gw/c"), b64("3"), b64("gw/b")))
		require.Equal(t, true, txn["succeeded"])
		require.Contains(t, list(t, txn, "responses")[0], "response_put")
		require.Equal(t, "gw/c\n3\n", mustCtl(t, ms[2].host(), "get", "gw/c"))
	})

	t.Run("watch", func(t *testing.T) {
		next := gatewayStream(t, c, gw(1, "/v3/watch"), fmt.Sprintf(`{"create_request":{"key":%q}}`, b64("gw/w")))
		created := obj(t, next(), "result")
		require.Equal(t, true, created["created"])
		mustCtl(t, ms[2].host(), "put", "gw/w", "from-etcdctl")
		ev := list(t, obj(t, next(), "result"), "events")[0].(map[string]any)
		require.NotContains(t, ev, "type", "PUT is the zero value, left out as etcd does")
		require.Equal(t, "gw/w", unb64(t, obj(t, ev, "kv")["key"]))
		require.Equal(t, "from-etcdctl", unb64(t, obj(t, ev, "kv")["value"]))
	})

	t.Run("lease", func(t *testing.T) {
		grant := gatewayJSON(t, c, gw(2, "/v3/lease/grant"), `{"TTL":30}`)
		id := grant["ID"].(string)
		require.Equal(t, "30", grant["TTL"])
		next := gatewayStream(t, c, gw(1, "/v3/lease/keepalive"), fmt.Sprintf(`{"ID":%q}`, id))
		ka := obj(t, next(), "result")
		require.Equal(t, id, ka["ID"])
		require.Equal(t, "30", ka["TTL"])
		// A follower forwards time-to-live to the leader once the leader's
		// client URLs are known (native/api forward.go); until then "no leader".
		var ttl map[string]any
		eventually(t, procReadyTimeout, "time-to-live through a follower", func() bool {
			code, body := gatewayCall(t, c, gw(0, "/v3/kv/lease/timetolive"), fmt.Sprintf(`{"ID":%q}`, id))
			return code == http.StatusOK && json.Unmarshal(body, &ttl) == nil
		})
		require.Equal(t, "30", ttl["grantedTTL"])
		gatewayJSON(t, c, gw(0, "/v3/lease/revoke"), fmt.Sprintf(`{"ID":%q}`, id))
		code, body := gatewayCall(t, c, gw(0, "/v3/lease/revoke"), fmt.Sprintf(`{"ID":%q}`, id))
		require.Equal(t, http.StatusNotFound, code)
		require.JSONEq(t, `{"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}`, string(body))
	})

	t.Run("cluster and maintenance", func(t *testing.T) {
		members := list(t, gatewayJSON(t, c, gw(1, "/v3/cluster/member/list"), `{}`), "members")
		var names []string
		for _, m := range members {
			names = append(names, m.(map[string]any)["name"].(string))
		}
		sort.Strings(names)
		require.Equal(t, []string{"n1", "n2", "n3"}, names)
		st := gatewayJSON(t, c, gw(2, "/v3/maintenance/status"), ``)
		require.Equal(t, "3.5.0", st["version"])
		require.NotEmpty(t, st["leader"])
	})

	t.Run("version health metrics", func(t *testing.T) {
		require.JSONEq(t, `{"etcdserver":"3.5.0","etcdcluster":"3.5.0"}`, httpGet(t, ms[0].client+"/version"))
		require.JSONEq(t, `{"health":"true","reason":""}`, httpGet(t, ms[1].client+"/health"))
		require.Contains(t, httpGet(t, ms[2].client+"/metrics"), "etcd_server_has_leader 1")
		resp, err := http.Get(ms[0].client + "/debug/pprof/")
		require.NoError(t, err)
		resp.Body.Close()
		require.Equal(t, http.StatusNotFound, resp.StatusCode, "profiles only with --enable-pprof")
		out := mustCtl(t, endpoints(ms...), "endpoint", "health")
		require.Equal(t, 3, strings.Count(out, "is healthy"), out)

		// A raised alarm makes /health say so, as etcd 3.5's does.
		id := obj(t, gatewayJSON(t, c, gw(0, "/v3/maintenance/status"), ``), "header")["member_id"]
		alarm := func(action string) {
			gatewayJSON(t, c, gw(0, "/v3/maintenance/alarm"), fmt.Sprintf(`{"action":%q,"memberID":%q,"alarm":"NOSPACE"}`, action, id))
		}
		health := func() (int, string) {
			resp, err := http.Get(ms[1].client + "/health")
			require.NoError(t, err)
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			return resp.StatusCode, strings.TrimSpace(string(body))
		}
		alarm("ACTIVATE")
		eventually(t, procReadyTimeout, "/health reporting the alarm", func() bool {
			code, body := health()
			return code == http.StatusServiceUnavailable && body == `{"health":"false","reason":"ALARM NOSPACE"}`
		})
		alarm("DEACTIVATE")
		eventually(t, procReadyTimeout, "/health healthy again", func() bool {
			code, body := health()
			return code == http.StatusOK && body == `{"health":"true","reason":""}`
		})
	})

	t.Run("auth token from the Authorization header", func(t *testing.T) {
		gatewayJSON(t, c, gw(0, "/v3/auth/user/add"), `{"name":"root","password":"rootpw"}`)
		gatewayJSON(t, c, gw(0, "/v3/auth/user/grant"), `{"user":"root","role":"root"}`)
		gatewayJSON(t, c, gw(0, "/v3/auth/enable"), `{}`)
		code, body := gatewayCall(t, c, gw(1, "/v3/kv/range"), fmt.Sprintf(`{"key":%q}`, b64("gw/c")))
		require.Equal(t, http.StatusBadRequest, code, "%s", body)
		require.Contains(t, string(body), `"etcdserver: user name is empty"`)
		token := gatewayJSON(t, c, gw(2, "/v3/auth/authenticate"), `{"name":"root","password":"rootpw"}`)["token"].(string)
		rng := gatewayJSON(t, c, gw(1, "/v3/kv/range"), fmt.Sprintf(`{"key":%q}`, b64("gw/c")), "Authorization", token)
		require.Equal(t, "1", rng["count"])
		gatewayJSON(t, c, gw(0, "/v3/auth/disable"), `{}`, "Authorization", token)
	})
}

// TestProcessGatewayMatchesEtcd sends the same JSON requests to etcd 3.4
// and to etcdlab and compares the answers' shapes (the keys at every level;
// values such as IDs and revisions legitimately differ) and the error
// bodies (which must be equal).
func TestProcessGatewayMatchesEtcd(t *testing.T) {
	if os.Getenv("ETCDLAB_TEST_SERVER") != "" {
		t.Skip("the reference must be etcd itself; ETCDLAB_TEST_SERVER is set")
	}
	etcd := newTestServer(t)
	etcd.start(t) // skips without /usr/bin/etcd
	lab := startCluster(t, t.TempDir(), "proc-gateway-cmp", 1, "--enable-pprof")[0]
	require.Contains(t, httpGet(t, lab.client+"/debug/pprof/"), "goroutine", "--enable-pprof serves Go's profiles")
	requireEtcdctlBinary(t)
	eventually(t, procReadyTimeout, "etcdlab lists its client URL", func() bool { return listsClientURLs(t, lab.host(), lab) })
	c := &http.Client{}
	both := func(path, body string) (etcdResp, labResp []byte, etcdCode, labCode int) {
		etcdCode, etcdResp = gatewayCall(t, c, etcd.clientURL+path, body)
		labCode, labResp = gatewayCall(t, c, lab.client+path, body)
		return
	}
	sameShape := func(path, body string, drop ...string) map[string]any {
		t.Helper()
		e, l, ec, lc := both(path, body)
		require.Equal(t, http.StatusOK, ec, "etcd %s: %s", path, e)
		require.Equal(t, http.StatusOK, lc, "etcdlab %s: %s", path, l)
		es, ls := jsonShape(t, e, drop), jsonShape(t, l, drop)
		require.Equal(t, es, ls, "%s %s\netcd:    %s\netcdlab: %s", path, body, e, l)
		var m map[string]any
		require.NoError(t, json.Unmarshal(l, &m))
		return m
	}
	sameError := func(path, body string) {
		t.Helper()
		e, l, ec, lc := both(path, body)
		require.Equal(t, ec, lc, "%s %s: HTTP status\netcd:    %s\netcdlab: %s", path, body, e, l)
		require.JSONEq(t, string(e), string(l), "%s %s", path, body)
	}
	key, val := b64("cmp/k"), b64("v1")
	sameShape("/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q}`, key, val))
	sameShape("/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q,"prev_kv":true}`, key, b64("v2")))
	sameShape("/v3/kv/range", fmt.Sprintf(`{"key":%q}`, key))
	sameShape("/v3/kv/range", fmt.Sprintf(`{"key":%q,"range_end":%q,"keys_only":true}`, b64("cmp/"), b64("cmp0")))
	sameShape("/v3/kv/range", fmt.Sprintf(`{"key":%q,"countOnly":true}`, key))
	// etcd 3.4 gives nested txn responses a header with the revision only.
	sameShape("/v3/kv/txn", fmt.Sprintf(`{"compare":[{"key":%q,"result":"EQUAL","target":"VALUE","value":%q}],"success":[{"request_range":{"key":%q}},{"request_put":{"key":%q,"value":%q}}]}`,
		key, b64("v2"), key, key, b64("v3")), "responses.*.*.header")
	sameShape("/v3/kv/deleterange", fmt.Sprintf(`{"key":%q,"prev_kv":true}`, key))
	sameShape("/v3/lease/grant", `{"TTL":60}`)
	sameShape("/v3/lease/leases", `{}`)
	// The lease IDs differ: each server is asked about a lease of its own.
	var ttl [2][]byte
	for i, url := range []string{etcd.clientURL, lab.client} {
		id := gatewayJSON(t, c, url+"/v3/lease/grant", `{"TTL":60}`)["ID"].(string)
		gatewayJSON(t, c, url+"/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q,"lease":%q}`, b64("cmp/l"), val, id))
		_, ttl[i] = gatewayCall(t, c, url+"/v3/lease/timetolive", fmt.Sprintf(`{"ID":%q,"keys":true}`, id))
	}
	require.Equal(t, jsonShape(t, ttl[0], nil), jsonShape(t, ttl[1], nil), "timetolive\netcd:    %s\netcdlab: %s", ttl[0], ttl[1])
	// etcd 3.4 answers the member list with a header without revision.
	sameShape("/v3/cluster/member/list", `{}`, "header.revision")
	sameShape("/v3/maintenance/status", `{}`)
	sameShape("/v3/maintenance/hash", `{}`)

	t.Run("watch", func(t *testing.T) {
		body := fmt.Sprintf(`{"create_request":{"key":%q,"start_revision":"1"}}`, b64("cmp/w"))
		nextE, nextL := gatewayStream(t, c, etcd.clientURL+"/v3/watch", body), gatewayStream(t, c, lab.client+"/v3/watch", body)
		require.Equal(t, shapeOf(nextE()), shapeOf(nextL()), "created")
		both("/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q}`, b64("cmp/w"), val))
		require.Equal(t, shapeOf(nextE()), shapeOf(nextL()), "event")
	})

	t.Run("errors", func(t *testing.T) {
		sameError("/v3/kv/range", `{"key": `)
		sameError("/v3/kv/range", `[]`)
		sameError("/v3/kv/range", `{}`)
		sameError("/v3/lease/revoke", `{"ID":"12345"}`)
		sameError("/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q,"lease":"99"}`, key, val))
		sameError("/v3/lease/keepalive", `{"ID": `)
		// Compact both at their current revision, then read before it.
		for _, url := range []string{etcd.clientURL, lab.client} {
			rev := obj(t, gatewayJSON(t, c, url+"/v3/kv/range", fmt.Sprintf(`{"key":%q}`, key)), "header")["revision"]
			gatewayJSON(t, c, url+"/v3/kv/compaction", fmt.Sprintf(`{"revision":%q,"physical":true}`, rev))
		}
		sameError("/v3/kv/range", fmt.Sprintf(`{"key":%q,"revision":"1"}`, key))
		sameError("/v3/kv/compaction", `{"revision":"1"}`)
	})

	t.Run("version and not found", func(t *testing.T) {
		e, l := httpGet(t, etcd.clientURL+"/version"), httpGet(t, lab.client+"/version")
		require.Equal(t, shapeOf(mustObject(t, e)), shapeOf(mustObject(t, l)))
		ec, eb := gatewayCall(t, c, etcd.clientURL+"/v3/no/such/call", `{}`)
		lc, lb := gatewayCall(t, c, lab.client+"/v3/no/such/call", `{}`)
		require.Equal(t, ec, lc)
		require.Equal(t, string(eb), string(lb))
	})
}

func mustObject(t *testing.T, s string) map[string]any {
	var m map[string]any
	require.NoError(t, json.Unmarshal([]byte(s), &m), s)
	return m
}

// jsonShape is the shape of a JSON answer, without the dropped paths
// (dotted keys, * for any key or list element).
func jsonShape(t *testing.T, body []byte, drop []string) any {
	t.Helper()
	var v any
	require.NoError(t, json.Unmarshal(body, &v), "%s", body)
	for _, d := range drop {
		v = dropPath(v, strings.Split(d, "."))
	}
	return shapeOf(v)
}

func dropPath(v any, path []string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if path[0] != "*" && path[0] != k {
				continue
			}
			if len(path) == 1 {
				delete(x, k)
			} else {
				x[k] = dropPath(child, path[1:])
			}
		}
	case []any:
		if path[0] == "*" {
			for i := range x {
				if len(path) > 1 {
					x[i] = dropPath(x[i], path[1:])
				}
			}
		}
	}
	return v
}

// shapeOf replaces every leaf with its JSON type.
func shapeOf(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, child := range x {
			out[k] = shapeOf(child)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, child := range x {
			out[i] = shapeOf(child)
		}
		return out
	case string:
		return "string"
	case float64:
		return "number"
	case bool:
		return "bool"
	}
	return "null"
}

// TestProcessGatewayTLS: one https client URL serves the gateway (HTTP/1.1)
// and gRPC (HTTP/2) to holders of a client certificate from the CA only.
func TestProcessGatewayTLS(t *testing.T) {
	dir := t.TempDir()
	pki := newPKI(t, dir)
	m := newTLSMember(t, dir, "g1")
	m.start(t, clusterFlag(m), "new", "proc-gateway-tls", pki.serverTLSFlags()...)
	waitHealthyMembers(t, m)

	ca := x509.NewCertPool()
	pem, err := os.ReadFile(pki.ca)
	require.NoError(t, err)
	require.True(t, ca.AppendCertsFromPEM(pem))
	cert, err := tls.LoadX509KeyPair(pki.clientCert, pki.clientKey)
	require.NoError(t, err)
	client := func(certs ...tls.Certificate) *http.Client {
		return &http.Client{Transport: &http.Transport{
			TLSClientConfig:   &tls.Config{RootCAs: ca, Certificates: certs},
			ForceAttemptHTTP2: true, // offers h2 and http/1.1; the server picks http/1.1
		}}
	}
	c := client(cert)
	gatewayJSON(t, c, m.client+"/v3/kv/put", fmt.Sprintf(`{"key":%q,"value":%q}`, b64("tls/k"), b64("over-https")))
	resp, err := c.Get(m.client + "/version")
	require.NoError(t, err)
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, "HTTP/1.1", resp.Proto)
	require.JSONEq(t, `{"etcdserver":"3.5.0","etcdcluster":"3.5.0"}`, string(body))

	_, err = client().Get(m.client + "/version")
	require.Error(t, err, "no client certificate: refused")
	_, err = (&http.Client{}).Get(m.client + "/version")
	require.Error(t, err, "the server's certificate is not trusted without the CA")

	if _, serr := os.Stat(etcdctlPath); serr == nil {
		creds := []string{"--cacert=" + pki.ca, "--cert=" + pki.clientCert, "--key=" + pki.clientKey}
		out, err := etcdctl(t, m.client, append(creds, "get", "tls/k")...)
		require.NoError(t, err, out)
		require.Equal(t, "tls/k\nover-https\n", out, "gRPC over TLS on the same port")
		out, err = etcdctl(t, m.client, "--cacert="+pki.ca, "--command-timeout=1s", "get", "tls/k")
		require.Error(t, err, "gRPC without a client certificate must be refused: %s", out)
	}
	out, err := etcdlabCmd(t, "get", "--endpoints="+m.client, "--cacert="+pki.ca, "--cert="+pki.clientCert, "--key="+pki.clientKey, "tls/k")
	require.NoError(t, err, out)
	require.Equal(t, "tls/k\nover-https\n", out)
}
