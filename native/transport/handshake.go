package transport

// The handshake opens a stream: an HTTP/1.1 upgrade that names the cluster,
// the sender and the recipient, and that the recipient either accepts with
// 101 Switching Protocols or refuses with a status and a reason.
//
//	dialer (sender A)                               listener (recipient B)
//	GET /raft/stream HTTP/1.1
//	Connection: Upgrade
//	Upgrade: etcdlab-raft/1
//	X-Etcdlab-Cluster-Id: 7e2b...  ---------------> same cluster?    else 412
//	X-Etcdlab-From: a1                              A removed?       else 410
//	X-Etcdlab-To:   b2                              A a known peer?  else 404
//	                                                B is b2?         else 412
//	                               <--------------- HTTP/1.1 101 Switching Protocols
//	frame frame frame ...          --------------->  (raw frames, A to B only)
//
// The status codes and reasons follow etcd's rafthttp (http.go): 412
// Precondition Failed for a cluster ID or recipient mismatch, 410 Gone for a
// removed member, 404 Not Found for an unknown sender. Member and cluster IDs
// are written in hexadecimal, as etcd prints them.

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
)

const (
	streamPath      = "/raft/stream"
	upgradeProtocol = "etcdlab-raft/1"

	headerClusterID = "X-Etcdlab-Cluster-Id"
	headerFrom      = "X-Etcdlab-From"
	headerTo        = "X-Etcdlab-To"

	// The reasons a refusal carries in its body; the dialer maps them back
	// to the errors of errors.go.
	reasonClusterMismatch = "request cluster ID mismatch"
	reasonRemoved         = "rejected stream from remote peer because it was removed"
	reasonUnknownSender   = "sender not found"
	reasonToMismatch      = "to field mismatch"
	reasonStopping        = "transport is stopping"
)

func formatID(id uint64) string { return strconv.FormatUint(id, 16) }

func parseID(s string) (uint64, error) { return strconv.ParseUint(s, 16, 64) }

// writeUpgradeRequest writes the opening request of a stream from `from` to
// `to` at peerURL (scheme and host only; the path is ours).
func writeUpgradeRequest(w io.Writer, host string, clusterID uint64, from, to raft.NodeID) error {
	req, err := http.NewRequest(http.MethodGet, "http://"+host+streamPath, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Connection", "Upgrade")
	req.Header.Set("Upgrade", upgradeProtocol)
	req.Header.Set(headerClusterID, formatID(clusterID))
	req.Header.Set(headerFrom, formatID(uint64(from)))
	req.Header.Set(headerTo, formatID(uint64(to)))
	return req.Write(w)
}

// readUpgradeResponse reads the recipient's answer. On 101 the stream is
// open; otherwise the refusal is returned as one of the handshake errors,
// with the recipient's reason.
func readUpgradeResponse(br *bufio.Reader) error {
	resp, err := http.ReadResponse(br, nil)
	if err != nil {
		return fmt.Errorf("%w: reading the answer: %v", ErrHandshake, err)
	}
	if resp.StatusCode == http.StatusSwitchingProtocols {
		if !strings.EqualFold(resp.Header.Get("Upgrade"), upgradeProtocol) {
			return fmt.Errorf("%w: peer upgraded to %q, want %q",
				ErrHandshake, resp.Header.Get("Upgrade"), upgradeProtocol)
		}
		return nil
	}
	body, _ := io.ReadAll(io.LimitReader(resp.Body, handshakeBodyBytes))
	resp.Body.Close()
	reason := strings.TrimSpace(string(body))
	switch {
	case resp.StatusCode == http.StatusPreconditionFailed && strings.Contains(reason, reasonClusterMismatch):
		return fmt.Errorf("%w (the peer is in cluster %s)", ErrClusterIDMismatch, resp.Header.Get(headerClusterID))
	case resp.StatusCode == http.StatusPreconditionFailed && strings.Contains(reason, reasonToMismatch):
		return fmt.Errorf("%w: %s", ErrRecipientMismatch, reason)
	case resp.StatusCode == http.StatusGone:
		return ErrRemovedMember
	case resp.StatusCode == http.StatusNotFound && strings.Contains(reason, reasonUnknownSender):
		return ErrUnknownSender
	}
	return fmt.Errorf("%w: %s: %s", ErrHandshake, resp.Status, reason)
}

// refusal is why a listener turns a stream away.
type refusal struct {
	status int
	reason string
}

// checkUpgradeRequest reads who is dialing and whether the request is a
// stream upgrade at all. The membership checks are the caller's.
func checkUpgradeRequest(r *http.Request) (clusterID uint64, from, to raft.NodeID, ref *refusal) {
	if r.Method != http.MethodGet || !strings.EqualFold(r.Header.Get("Upgrade"), upgradeProtocol) {
		return 0, 0, 0, &refusal{http.StatusUpgradeRequired, "this endpoint upgrades to " + upgradeProtocol}
	}
	var ids [3]uint64
	for i, h := range []string{headerClusterID, headerFrom, headerTo} {
		v, err := parseID(r.Header.Get(h))
		if err != nil {
			return 0, 0, 0, &refusal{http.StatusBadRequest, "missing or malformed " + h + " header"}
		}
		ids[i] = v
	}
	return ids[0], raft.NodeID(ids[1]), raft.NodeID(ids[2]), nil
}

// acceptUpgrade answers 101 on a hijacked connection.
func acceptUpgrade(bw *bufio.Writer) error {
	bw.WriteString("HTTP/1.1 101 Switching Protocols\r\n")
	bw.WriteString("Connection: Upgrade\r\n")
	bw.WriteString("Upgrade: " + upgradeProtocol + "\r\n\r\n")
	return bw.Flush()
}
