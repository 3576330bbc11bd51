package server

import (
	"errors"
	"fmt"
	"slices"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
)

// A member added at runtime lists no name and no client URLs until it
// publishes them through the log (etcd's publishV3); then every member
// lists them, a restart keeps them, and a member that catches up from a
// snapshot gets them with the membership.
func TestMemberAttributesPublishedThroughTheLog(t *testing.T) {
	const seed = 23
	c := newCluster(t, 3, seed, func(cfg *Config) { cfg.SnapshotCount, cfg.SnapshotCatchUpEntries = 10, 5 })
	l := c.leader()
	f := (l + 1) % 3
	urls := []string{"http://n4:2380"}
	added := c.mustDo(l, Request{MemberAdd: &MemberAddRequest{PeerURLs: urls, IsLearner: true, AddedAtUnixSeconds: 1}}).Members.Member
	if added.Name != "" || len(added.ClientURLs) != 0 {
		t.Fatalf("an added member that has not started lists %+v, want no name and no client URLs (seed %d)", added, seed)
	}

	// n4 starts and publishes through a follower: the follower forwards the
	// proposal, every member applies it.
	node := &testNode{info: MemberInfo{ID: added.ID, Name: "n4", PeerURLs: urls}, backend: backend.NewMemory()}
	c.nodes = append(c.nodes, node)
	c.infos = append(c.infos, node.info)
	c.start(node, nil)
	c.runUntil(func() bool { return node.m.applied >= c.nodes[l].m.applied }, 100)
	clientURLs := []string{"http://n4:2379", "http://n4:22379"}
	got := c.mustDo(3, Request{MemberAttributes: &MemberAttributesRequest{ID: added.ID, Name: "n4", ClientURLs: clientURLs}}).Members.Member
	if got.Name != "n4" || !slices.Equal(got.ClientURLs, clientURLs) || !got.IsLearner || !slices.Equal(got.PeerURLs, urls) {
		t.Fatalf("publish answered %+v (seed %d)", got, seed)
	}
	c.tick()
	for _, n := range c.nodes {
		if mb, _ := n.m.cluster.get(added.ID); mb.Name != "n4" || !slices.Equal(mb.ClientURLs, clientURLs) {
			t.Fatalf("%s lists n4 as %+v after its publish (seed %d)", n.info.Name, mb, seed)
		}
	}

	// A restart rebuilds the membership from the backend; a member that
	// missed the publish catches up from a snapshot that carries it.
	c.crash(f)
	for i := range 30 {
		c.mustDo(l, put(fmt.Sprintf("k%02d", i), "v"))
	}
	c.restart(f)
	c.runUntil(func() bool { return c.nodes[f].m.applied == c.nodes[l].m.applied }, 200)
	for _, n := range c.nodes {
		if mb, _ := n.m.cluster.get(added.ID); mb.Name != "n4" || !slices.Equal(mb.ClientURLs, clientURLs) {
			t.Fatalf("%s lists n4 as %+v after restart and snapshot (seed %d)", n.info.Name, mb, seed)
		}
	}
	if !hasEvent(c.nodes[f].events, EvSnapshotInstalled) {
		t.Fatalf("%s caught up without a snapshot; the test needs one (seed %d)", c.nodes[f].info.Name, seed)
	}
	meta, _, err := DecodeSnapshot(c.nodes[f].disk.snapshot.Data)
	i := slices.IndexFunc(meta.Members, func(m MemberInfo) bool { return m.ID == added.ID })
	if err != nil || i < 0 || !slices.Equal(meta.Members[i].ClientURLs, clientURLs) {
		t.Fatalf("snapshot members = %+v (%v), want n4 with its client URLs (seed %d)", meta.Members, err, seed)
	}

	// A removed member's late publish does not bring it back.
	c.mustDo(l, Request{MemberRemove: &MemberRemoveRequest{ID: added.ID}})
	resp := c.do(l, Request{MemberAttributes: &MemberAttributesRequest{ID: added.ID, Name: "n4"}})
	if !errors.Is(resp.Err, ErrMemberNotFound) || c.nodes[l].m.cluster.hasMember(added.ID) {
		t.Fatalf("publish of a removed member: %v, listed %v (seed %d)", resp.Err, c.nodes[l].m.cluster.hasMember(added.ID), seed)
	}
}
