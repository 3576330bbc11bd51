package daemon

// The peer API beside the Raft streams on the peer listener: GET /members,
// the member list as etcd's peer handler serves it (etcd: etcdserver/api/
// etcdhttp/peer.go), with the cluster ID in X-Etcd-Cluster-ID. A joining
// member reads it to learn its own ID and the cluster's (discover.go).

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

const (
	membersPath     = "/members"
	clusterIDHeader = "X-Etcd-Cluster-ID"
	// membersTimeout bounds the loop's answer to one /members request.
	membersTimeout = 2 * time.Second
)

// peerMember is one member in etcd's peer-API JSON.
type peerMember struct {
	ID         uint64   `json:"id"`
	Name       string   `json:"name"`
	PeerURLs   []string `json:"peerURLs"`
	ClientURLs []string `json:"clientURLs"`
	IsLearner  bool     `json:"isLearner,omitempty"`
}

func (pm peerMember) info() server.MemberInfo {
	return server.MemberInfo{ID: raft.NodeID(pm.ID), Name: pm.Name, PeerURLs: pm.PeerURLs,
		ClientURLs: pm.ClientURLs, IsLearner: pm.IsLearner}
}

// peerRoutes are the routes the transport serves for the daemon.
func (d *Daemon) peerRoutes() map[string]http.Handler {
	return map[string]http.Handler{membersPath: http.HandlerFunc(d.serveMembers)}
}

func (d *Daemon) serveMembers(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		w.Header().Set("Allow", http.MethodGet)
		http.Error(w, "Method Not Allowed", http.StatusMethodNotAllowed)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), membersTimeout)
	defer cancel()
	ms, err := d.Members(ctx)
	if err != nil {
		http.Error(w, "etcdlab: the member list is unavailable: "+err.Error(), http.StatusServiceUnavailable)
		return
	}
	list := make([]peerMember, 0, len(ms))
	for _, m := range ms {
		list = append(list, peerMember{ID: uint64(m.ID), Name: m.Name, PeerURLs: m.PeerURLs,
			ClientURLs: m.ClientURLs, IsLearner: m.IsLearner})
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set(clusterIDHeader, strconv.FormatUint(d.clusterID, 16))
	json.NewEncoder(w).Encode(list)
}
