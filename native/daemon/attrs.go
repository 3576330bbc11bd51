package daemon

// Publishing this member's attributes — its name and the client URLs it
// serves — through Raft, as etcd's EtcdServer.publishV3 does after start:
// one server.MemberAttributesRequest, applied by every member and kept in
// its membership bucket and in snapshots, so that `member list` on any
// member shows every started member's client URLs, after restarts too,
// and a follower finds the leader's client URL to forward to (native/api).
//
//	loop, every attrsAnnounceInterval: announceAttrs
//	  leader known? own entry in the applied membership differs from
//	  --name / --advertise-client-urls? no publish waiting?
//	    └─> member.Submit(MemberAttributes{ID, Name, ClientURLs})
//	          ... applied on every member (core/server membership.go)
//
// A publish that fails or times out is proposed again at the next round,
// until the applied membership shows the attributes (etcd retries its
// publish every request timeout until it succeeds). A restart with the
// same flags finds them there already and proposes nothing. A member added
// at runtime lists an empty name and no client URLs until it publishes,
// as in etcd ("unstarted").
//
// Earlier etcdlab builds announced client URLs peer to peer in a frame of
// type msgMemberAttrs; such a frame from an old peer is dropped here and
// never reaches Raft.

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// msgMemberAttrs is the retired peer-to-peer announcement frame (see
// above). Its value lies far past raft's message types.
const msgMemberAttrs raft.MsgType = 0xE0

const (
	// attrsAnnounceInterval: how often the loop checks whether its
	// attributes still need publishing (cheap: a look at its own entry).
	attrsAnnounceInterval = 200 * time.Millisecond
	// attrsLookupTimeout bounds ClientURLs' wait for the loop.
	attrsLookupTimeout = 2 * time.Second
)

// attrsAnnounceTicks is the loop's period for announceAttrs, in ticks. At
// least 2: the loop calls it when ticks%period == 1.
func attrsAnnounceTicks(c Config) int {
	return max(2, int(attrsAnnounceInterval/c.HeartbeatInterval))
}

// announceAttrs publishes this member's attributes through Raft if they
// still need it (loop).
func (d *Daemon) announceAttrs() {
	if d.member.Lead() == raft.None || d.attrsPublished() || d.publishing() {
		return
	}
	c := &call{done: make(chan server.Response, 1), req: server.Request{
		ID: d.nextID.Add(1),
		MemberAttributes: &server.MemberAttributesRequest{
			ID: d.id, Name: d.cfg.Name, ClientURLs: slices.Clone(d.cfg.AdvertiseClientURLs),
		},
	}}
	d.submit(c)
	go d.awaitPublish(c)
}

// attrsPublished reports that the applied membership lists this member
// with the name and client URLs of its configuration (loop).
func (d *Daemon) attrsPublished() bool {
	for _, m := range d.member.Members() {
		if m.ID == d.id {
			return m.Name == d.cfg.Name && slices.Equal(m.ClientURLs, d.cfg.AdvertiseClientURLs)
		}
	}
	return false
}

// publishing reports that a publish is still waiting for its answer (loop).
func (d *Daemon) publishing() bool {
	for _, c := range d.waits {
		if c.req.MemberAttributes != nil {
			return true
		}
	}
	return false
}

// awaitPublish logs how a publish ended; a failed one is retried by the
// next announceAttrs.
func (d *Daemon) awaitPublish(c *call) {
	resp := <-c.done
	switch {
	case resp.Err == nil:
		d.log.Info("published local member to cluster through raft", "member-id", fmtID(uint64(d.id)),
			"name", d.cfg.Name, "client-urls", d.cfg.AdvertiseClientURLs)
	case !errors.Is(resp.Err, ErrStopped):
		d.log.Warn("failed to publish local member to cluster through raft; retrying", "error", resp.Err)
	}
}

// attrsReceived drops an announcement frame of an older etcdlab peer
// (transport goroutine).
func (d *Daemon) attrsReceived(m raft.Message) {
	d.log.Debug("ignoring a peer-to-peer attributes frame; attributes travel through raft now", "from", fmtID(uint64(m.From)))
}

// ClientURLs returns the client URLs member id published through Raft, as
// this member has applied them: nil for a member that has not published
// yet (not started) or is unknown. It asks the loop, so it must not be
// called on the loop goroutine.
func (d *Daemon) ClientURLs(id raft.NodeID) []string {
	ctx, cancel := context.WithTimeout(context.Background(), attrsLookupTimeout)
	defer cancel()
	var urls []string
	_ = d.control(ctx, func() {
		for _, m := range d.member.Members() {
			if m.ID == id {
				urls = m.ClientURLs
			}
		}
	})
	return urls
}
