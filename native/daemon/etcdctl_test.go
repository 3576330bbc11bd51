package daemon_test

// The promise of DESIGN.md, checked with etcd's own tool: Debian's
// etcdctl (3.4) against a 3-member etcdlab cluster.

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

const etcdctlPath = "/usr/bin/etcdctl"

func etcdctl(t *testing.T, endpoints string, args ...string) string {
	t.Helper()
	if _, err := os.Stat(etcdctlPath); err != nil {
		t.Skipf("%s is missing (apt-get install etcd-client); CI installs it", etcdctlPath)
	}
	cmd := exec.Command(etcdctlPath, append([]string{"--endpoints", endpoints}, args...)...)
	cmd.Env = append(os.Environ(), "ETCDCTL_API=3")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("etcdctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return string(out)
}

func TestEtcdctlPutGetStatusMembers(t *testing.T) {
	if _, err := os.Stat(etcdctlPath); err != nil {
		t.Skipf("%s is missing (apt-get install etcd-client); CI installs it", etcdctlPath)
	}
	c := startCluster(t, 3)
	m1, m2, m3 := c.members[0], c.members[1], c.members[2]
	all := m1.clientURL + "," + m2.clientURL + "," + m3.clientURL

	if out := etcdctl(t, m1.clientURL, "put", "foo", "bar"); out != "OK\n" {
		t.Fatalf("put foo bar printed %q, want OK", out)
	}
	if out := etcdctl(t, m2.clientURL, "get", "foo"); out != "foo\nbar\n" {
		t.Fatalf("get foo on a second member printed %q, want foo\\nbar", out)
	}
	var got struct {
		Header struct {
			ClusterID uint64 `json:"cluster_id"`
			MemberID  uint64 `json:"member_id"`
			Revision  int64  `json:"revision"`
			RaftTerm  uint64 `json:"raft_term"`
		} `json:"header"`
		Count int `json:"count"`
	}
	out := etcdctl(t, m3.clientURL, "get", "foo", "-w", "json")
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("get -w json: %v\n%s", err, out)
	}
	if got.Header.Revision != 2 || got.Count != 1 || got.Header.ClusterID == 0 || got.Header.MemberID == 0 || got.Header.RaftTerm == 0 {
		t.Fatalf("get -w json header = %+v count %d; want revision 2 on a fresh cluster, count 1, IDs and term set", got.Header, got.Count)
	}

	status := etcdctl(t, all, "endpoint", "status")
	if n := strings.Count(status, "\n"); n != 3 || strings.Count(status, ", true, ") != 1 {
		t.Fatalf("endpoint status: want 3 lines with exactly one leader, got\n%s", status)
	}
	members := etcdctl(t, m1.clientURL, "member", "list")
	for _, m := range c.members {
		line := ", started, " + m.name + ", " + m.peerURL + ", "
		if !strings.Contains(members, line) {
			t.Fatalf("member list lacks %q:\n%s", line, members)
		}
	}
	eventually(t, waitLong, "every member's client URL in member list", func() bool {
		out := etcdctl(t, m1.clientURL, "member", "list")
		return strings.Contains(out, m2.clientURL) && strings.Contains(out, m3.clientURL)
	})
}
