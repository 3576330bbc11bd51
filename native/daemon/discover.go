package daemon

// A joining member (--initial-cluster-state=existing) does not know the
// cluster ID, which every peer stream must carry. etcd asks a peer over
// HTTP (GET /members, GetClusterFromRemotePeers). Our peer listener
// answers only the stream upgrade, but it names its cluster ID in the
// X-Etcdlab-Cluster-Id header of every refusal (native/transport
// inbound.go), so a plain GET of the stream path tells us.

import (
	"crypto/tls"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

const (
	discoverTimeout      = 5 * time.Second
	discoverPath         = "/raft/stream"
	discoverHeader       = "X-Etcdlab-Cluster-Id"
	discoverRetryBackoff = 200 * time.Millisecond
)

// discoverClusterID asks the other members of --initial-cluster for the
// cluster ID, retrying until discoverTimeout.
func discoverClusterID(cfg Config, self raft.NodeID) (uint64, error) {
	client := &http.Client{Timeout: time.Second}
	if cfg.PeerClientTLS != nil {
		client.Transport = &http.Transport{TLSClientConfig: cfg.PeerClientTLS.Clone()}
	} else {
		client.Transport = &http.Transport{TLSClientConfig: &tls.Config{}}
	}
	deadline := time.Now().Add(discoverTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		for _, m := range cfg.initialMembers() {
			if m.ID == self {
				continue
			}
			for _, u := range m.PeerURLs {
				id, err := askClusterID(client, u)
				if err == nil {
					return id, nil
				}
				lastErr = err
			}
		}
		time.Sleep(discoverRetryBackoff)
	}
	return 0, fmt.Errorf("joining an existing cluster: no member of --initial-cluster answered with its cluster ID (last error: %v); check --initial-cluster and that the member was added with `member add`", lastErr)
}

func askClusterID(client *http.Client, peerURL string) (uint64, error) {
	resp, err := client.Get(strings.TrimSuffix(peerURL, "/") + discoverPath)
	if err != nil {
		return 0, err
	}
	resp.Body.Close()
	h := resp.Header.Get(discoverHeader)
	id, err := strconv.ParseUint(h, 16, 64)
	if err != nil || id == 0 {
		return 0, fmt.Errorf("%s did not name its cluster ID", peerURL)
	}
	return id, nil
}
