package sim_test

// Backup and restore in etcd mode: a restore starts a new cluster with the
// backup's keys and revision and a new identity; the old cluster, restarted
// beside it, goes on in its own history, and the invariant checks of the
// two never mix.

import (
	"strings"
	"testing"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestRestoreStartsANewCluster(t *testing.T) {
	c := newEtcdCluster(t, sim.Options{Nodes: 3, Seed: 7})
	await(t, c, c.Submit(raft.None, put("a", "1"), "put a 1"))
	await(t, c, c.Submit(raft.None, put("b", "2"), "put b 2"))
	b, err := c.SaveSnapshot(c.Leader())
	if err != nil || b.Revision != 3 {
		t.Fatalf("snapshot save: %v, revision %d, want 3 (seed %d)", err, b.Revision, c.Seed())
	}
	await(t, c, c.Submit(raft.None, put("c", "3"), "put c 3"))
	oldID := memberState(t, c, 1).ClusterID
	if err := c.RestoreSnapshot(b, []raft.NodeID{4, 5, 6}); err == nil || !strings.Contains(err.Error(), "stop the old cluster") {
		t.Fatalf("restore beside a running cluster: %v, want a refusal", err)
	}
	for id := raft.NodeID(1); id <= 3; id++ {
		if err := c.Crash(id); err != nil {
			t.Fatal(err)
		}
	}
	bad := *b
	bad.DB = append([]byte(nil), b.DB...)
	bad.DB[len(bad.DB)/2] ^= 1
	if err := c.RestoreSnapshot(&bad, []raft.NodeID{4, 5, 6}); err == nil || !strings.Contains(err.Error(), "integrity check failed") {
		t.Fatalf("restore of a corrupt file: %v, want the hash check to fail", err)
	}
	if err := c.RestoreSnapshot(b, []raft.NodeID{4, 5, 6}); err != nil {
		t.Fatalf("restore: %v (seed %d)", err, c.Seed())
	}
	if ok, err := c.RunUntil(func(c *sim.Cluster) bool { return c.Leader() >= 4 }, 10*time.Second); !ok || err != nil {
		t.Fatalf("the restored cluster elects no leader: %v (seed %d)", err, c.Seed())
	}
	n4 := memberState(t, c, 4)
	if n4.Revision != 3 || len(n4.Keys) != 2 || n4.ClusterID == oldID || len(n4.Members) != 3 || n4.Members[0].ID != 4 {
		t.Fatalf("restored member: revision %d, %d keys, cluster %x (old %x), members %v (seed %d)",
			n4.Revision, len(n4.Keys), n4.ClusterID, oldID, n4.Members, c.Seed())
	}
	// The old cluster comes back beside the new one: both elect, each in
	// its own terms, and no invariant confuses the two histories.
	for id := raft.NodeID(1); id <= 3; id++ {
		if err := c.Restart(id); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RunFor(5 * time.Second); err != nil {
		t.Fatalf("two clusters side by side: %v", err)
	}
	r := await(t, c, c.Submit(5, put("d", "4"), "put d 4"))
	if r.Err != nil || r.Reply.Header.Revision != 4 {
		t.Fatalf("write to the restored cluster: %s, want revision 4 (seed %d)", r, c.Seed())
	}
	if got := memberState(t, c, 1); got.ClusterID != oldID || got.Revision != 4 {
		t.Fatalf("old member: cluster %x revision %d, want its own cluster %x at revision 4", got.ClusterID, got.Revision, oldID)
	}
	// A member added later gets the restored keys as a snapshot: they are
	// in the backend, not in the new cluster's log.
	if r := await(t, c, c.MemberAdd(5, 7, true)); r.Err != nil {
		t.Fatalf("member add to the restored cluster: %s", r)
	}
	if err := c.RunFor(2 * time.Second); err != nil {
		t.Fatalf("member added after a restore: %v", err)
	}
	if got := memberState(t, c, 7); got.Revision != 4 || len(got.Keys) != 3 {
		t.Fatalf("member added after the restore: revision %d, %d keys, want 4 and 3 (seed %d)", got.Revision, len(got.Keys), c.Seed())
	}
}

// memberState is the etcd view of running member id.
func memberState(t *testing.T, c *sim.Cluster, id raft.NodeID) sim.EtcdState {
	t.Helper()
	for _, ns := range c.State().Nodes {
		if ns.ID == id && ns.Up && ns.Etcd != nil {
			return *ns.Etcd
		}
	}
	t.Fatalf("%s is not a running etcd member", sim.Name(id))
	return sim.EtcdState{}
}
