package server

import (
	"errors"
	"testing"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
)

// Member IDs and the cluster ID are etcd's: sha1 over the sorted peer URLs
// and the token (and the time for runtime additions); sha1 over the sorted
// member IDs.
func TestMemberAndClusterIDs(t *testing.T) {
	a := MemberID([]string{"http://b:2380", "http://a:2380"}, "tok", 0)
	if a != MemberID([]string{"http://a:2380", "http://b:2380"}, "tok", 0) {
		t.Fatalf("member ID depends on the order of peer URLs")
	}
	if a == MemberID([]string{"http://a:2380", "http://b:2380"}, "other", 0) || a == MemberID([]string{"http://a:2380", "http://b:2380"}, "tok", 1700000000) {
		t.Fatalf("member ID ignores the token or the time")
	}
	// etcd's well-known default: a single member "default" with peer URL
	// http://localhost:2380 and token "etcd-cluster" is 8e9e05c52164694d,
	// in cluster cdf818194e3a8c32.
	id := MemberID([]string{"http://localhost:2380"}, "etcd-cluster", 0)
	if uint64(id) != 0x8e9e05c52164694d {
		t.Fatalf("default member ID = %x, want 8e9e05c52164694d", uint64(id))
	}
	if cid := ClusterID([]raft.NodeID{id}); cid != 0xcdf818194e3a8c32 {
		t.Fatalf("default cluster ID = %x, want cdf818194e3a8c32", cid)
	}
}

func TestMembershipChanges(t *testing.T) {
	c := newCluster(t, 3, 17, nil)
	l := c.leader()
	voter := c.nodes[(l+1)%3].info
	urls := []string{"http://n4:2380"}
	check := func(r Request, want error) {
		t.Helper()
		if resp := c.do(l, r); !errors.Is(resp.Err, want) {
			t.Fatalf("%+v: %v, want %v", r, resp.Err, want)
		}
	}
	check(Request{MemberAdd: &MemberAddRequest{PeerURLs: voter.PeerURLs, AddedAtUnixSeconds: 1}}, ErrPeerURLExists)
	check(Request{MemberAdd: &MemberAddRequest{ID: voter.ID, PeerURLs: urls}}, ErrMemberIDExists)
	check(Request{MemberAdd: &MemberAddRequest{}}, ErrBadPeerURLs)
	check(Request{MemberRemove: &MemberRemoveRequest{ID: 12345}}, ErrMemberNotFound)
	check(Request{MemberPromote: &MemberPromoteRequest{ID: voter.ID}}, ErrMemberNotLearner)
	check(Request{MemberUpdate: &MemberUpdateRequest{ID: voter.ID, PeerURLs: c.nodes[l].info.PeerURLs}}, ErrPeerURLExists)

	// Add a learner (runtime: the ID includes the time).
	added := c.mustDo(l, Request{MemberAdd: &MemberAddRequest{Name: "n4", PeerURLs: urls, IsLearner: true, AddedAtUnixSeconds: 1700000000}}).Members
	if added.Member.ID != MemberID(urls, "test-token", 1700000000) || !added.Member.IsLearner || len(added.Members) != 4 {
		t.Fatalf("member add = %+v", added)
	}
	check(Request{MemberAdd: &MemberAddRequest{PeerURLs: []string{"http://n5:2380"}, IsLearner: true}}, ErrTooManyLearners)
	// Not started yet: far behind the leader.
	check(Request{MemberPromote: &MemberPromoteRequest{ID: added.Member.ID}}, ErrLearnerNotReady)

	// Start it as a joiner: it learns everything from the log.
	node := &testNode{info: *added.Member, backend: backend.NewMemory()}
	c.nodes = append(c.nodes, node)
	c.start(node, nil)
	c.runUntil(func() bool { return node.m.applied >= c.nodes[l].m.applied }, 100)
	if node.m.cluster.id != c.nodes[l].m.cluster.id || len(node.m.cluster.list()) != 4 {
		t.Fatalf("joiner's membership: cluster %x %+v", node.m.cluster.id, node.m.cluster.list())
	}
	c.ticks(10)
	promoted := c.mustDo(l, Request{MemberPromote: &MemberPromoteRequest{ID: added.Member.ID}}).Members
	if promoted.Member.IsLearner {
		t.Fatalf("promote = %+v", promoted)
	}
	c.tick()
	for _, n := range c.nodes {
		if mb, _ := n.m.cluster.get(added.Member.ID); mb.IsLearner || mb.Name != "n4" {
			t.Fatalf("%s sees n4 as %+v", n.info.Name, mb)
		}
	}

	// Remove it; its ID can never come back.
	c.mustDo(l, Request{MemberRemove: &MemberRemoveRequest{ID: added.Member.ID}})
	check(Request{MemberAdd: &MemberAddRequest{ID: added.Member.ID, PeerURLs: []string{"http://n6:2380"}}}, ErrIDRemoved)
	check(Request{MemberRemove: &MemberRemoveRequest{ID: added.Member.ID}}, ErrIDRemoved)
	c.tick()
	if !node.m.Status().Removed {
		t.Fatalf("the removed member does not know it was removed")
	}
	c.crash(len(c.nodes) - 1)

	// With a voter down, adding another voter would leave too few started
	// members for a quorum (strict reconfig check).
	c.crash((l + 2) % 3)
	c.ticks(25)
	check(Request{MemberAdd: &MemberAddRequest{PeerURLs: []string{"http://n7:2380"}}}, ErrNotEnoughStarted)

	list := c.mustDo(l, Request{MemberList: &MemberListRequest{}}).Members.Members
	if len(list) != 3 || list[0].ID > list[1].ID {
		t.Fatalf("member list = %+v, want 3 members sorted by ID", list)
	}
	upd := c.mustDo(l, Request{MemberUpdate: &MemberUpdateRequest{ID: voter.ID, PeerURLs: []string{"http://moved:2380"}}}).Members
	if upd.Member.PeerURLs[0] != "http://moved:2380" {
		t.Fatalf("member update = %+v", upd)
	}
}
