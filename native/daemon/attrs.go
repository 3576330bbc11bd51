package daemon

// Client URLs of the other members. etcd publishes a member's client URLs
// through Raft after it starts (EtcdServer.publishV3: a
// ClusterMemberAttrSetRequest), so every member lists them. core/server's
// MemberUpdate carries peer URLs only, so the daemon announces its client
// URLs to its peers instead, over the peer transport, every
// attrsAnnounceInterval: a frame of type msgMemberAttrs, which the
// receiving daemon takes off the stream before Raft sees it. A member's
// list fills in as announcements arrive; nothing of it is replicated or
// persisted (doc.go, deviations).

import (
	"slices"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

// msgMemberAttrs is a daemon-to-daemon frame, never given to Raft. Its
// value lies far past raft's message types.
const msgMemberAttrs raft.MsgType = 0xE0

const attrsAnnounceInterval = time.Second

func attrsAnnounceTicks(c Config) int {
	return max(1, int(attrsAnnounceInterval/c.HeartbeatInterval))
}

// announceAttrs sends this member's client URLs to every peer (loop).
func (d *Daemon) announceAttrs() {
	data, err := cbor.Marshal(d.cfg.AdvertiseClientURLs)
	if err != nil {
		panic("daemon.announceAttrs: " + err.Error())
	}
	for id := range d.peers {
		if id != d.id {
			d.tr.Send(raft.Message{Type: msgMemberAttrs, From: d.id, To: id, Context: data})
		}
	}
}

// attrsReceived records a peer's client URLs (transport goroutine).
func (d *Daemon) attrsReceived(m raft.Message) {
	var urls []string
	if err := cbor.Unmarshal(m.Context, &urls); err != nil {
		d.log.Warn("malformed member attributes", "from", fmtID(uint64(m.From)), "error", err)
		return
	}
	d.attrsMu.Lock()
	d.clientURLs[m.From] = urls
	d.attrsMu.Unlock()
}

// ClientURLs returns the client URLs member id announced (this member's
// own from its config), nil if none arrived yet.
func (d *Daemon) ClientURLs(id raft.NodeID) []string {
	if id == d.id {
		return slices.Clone(d.cfg.AdvertiseClientURLs)
	}
	d.attrsMu.Lock()
	defer d.attrsMu.Unlock()
	return slices.Clone(d.clientURLs[id])
}
