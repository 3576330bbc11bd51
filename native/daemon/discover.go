package daemon

// How a joining member (--initial-cluster-state=existing) learns who it is.
// A member added at runtime has etcd's ID: a hash of its peer URLs, the
// cluster token and the time of the `member add` (etcd:
// membership.NewMember), so the same URLs added again after a removal get
// a new ID and the removed one stays refused. The new process cannot
// compute that ID — it does not know the time — and it does not know the
// cluster ID either. As etcd's joining member does (etcdserver
// GetClusterFromRemotePeers), it asks the members named in
// --initial-cluster for the member list over the peer API and finds itself
// in it by its peer URLs:
//
//	joining member                                  a running member
//	GET http://10.0.0.1:2380/members  ─────────────>  (peerapi.go)
//	<─── 200 X-Etcd-Cluster-ID: 5e3a...
//	     [{"id":1158..,"name":"m1","peerURLs":[...],"clientURLs":[...]},
//	      {"id":9f3c..,"name":"","peerURLs":["http://10.0.0.4:2380"],...}]
//	self = the member whose peer URLs are --initial-advertise-peer-urls
//	peers = every other member, at the URLs the cluster has for it
//
// A member that answers nothing, or a list without this member (the
// `member add` has not been applied yet), is retried until
// discoverTimeout; then the error says what to check.

import (
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

const (
	discoverTimeout      = 10 * time.Second
	discoverRetryBackoff = 200 * time.Millisecond
	// maxMembersBytes bounds a /members answer read by a joining member.
	maxMembersBytes = 1 << 20
)

// discovered is what the cluster told a joining member.
type discovered struct {
	clusterID uint64
	self      server.MemberInfo
	members   []server.MemberInfo
}

// discover asks the other members of --initial-cluster for the member list
// until one lists this member, or discoverTimeout passes.
func discover(cfg Config) (discovered, error) {
	client := &http.Client{Timeout: time.Second, Transport: &http.Transport{TLSClientConfig: peerClientTLS(cfg)}}
	deadline := time.Now().Add(discoverTimeout)
	var lastErr error
	for time.Now().Before(deadline) {
		for _, u := range otherPeerURLs(cfg) {
			got, err := askMembers(client, u)
			if err == nil {
				got, err = findSelf(got, cfg.AdvertisePeerURLs)
			}
			if err == nil {
				return got, nil
			}
			lastErr = err
		}
		time.Sleep(discoverRetryBackoff)
	}
	return discovered{}, fmt.Errorf("joining an existing cluster: no member of --initial-cluster listed this member (last answer: %v); "+
		"check --initial-cluster, and that the member was added first with `member add` and these peer URLs", lastErr)
}

func peerClientTLS(cfg Config) *tls.Config {
	if cfg.PeerClientTLS != nil {
		return cfg.PeerClientTLS.Clone()
	}
	return &tls.Config{}
}

// otherPeerURLs are the peer URLs of --initial-cluster other than ours.
func otherPeerURLs(cfg Config) []string {
	var out []string
	for _, m := range cfg.initialMembers() {
		for _, u := range m.PeerURLs {
			if !slices.Contains(cfg.AdvertisePeerURLs, u) {
				out = append(out, u)
			}
		}
	}
	return out
}

// askMembers is one GET /members.
func askMembers(client *http.Client, peerURL string) (discovered, error) {
	resp, err := client.Get(strings.TrimSuffix(peerURL, "/") + membersPath)
	if err != nil {
		return discovered{}, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return discovered{}, fmt.Errorf("%s%s answered %s", peerURL, membersPath, resp.Status)
	}
	cid, err := strconv.ParseUint(resp.Header.Get(clusterIDHeader), 16, 64)
	if err != nil || cid == 0 {
		return discovered{}, fmt.Errorf("%s did not name its cluster ID", peerURL)
	}
	var list []peerMember
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxMembersBytes)).Decode(&list); err != nil {
		return discovered{}, fmt.Errorf("%s%s: undecodable member list: %v", peerURL, membersPath, err)
	}
	d := discovered{clusterID: cid}
	for _, pm := range list {
		d.members = append(d.members, pm.info())
	}
	return d, nil
}

// findSelf picks this member out of d.members by its peer URLs.
func findSelf(d discovered, advertised []string) (discovered, error) {
	for _, m := range d.members {
		if sameURLs(m.PeerURLs, advertised) {
			d.self = m
			return d, nil
		}
	}
	return discovered{}, fmt.Errorf("the cluster (ID %x) has no member with peer URLs %v yet", d.clusterID, advertised)
}

// others is every member but self.
func (d discovered) others() []server.MemberInfo {
	var out []server.MemberInfo
	for _, m := range d.members {
		if m.ID != d.self.ID {
			out = append(out, m)
		}
	}
	return out
}

// selfID is this member's ID as the cluster knows it.
func (d discovered) selfID() raft.NodeID { return d.self.ID }
