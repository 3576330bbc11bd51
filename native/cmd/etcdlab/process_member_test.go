package main

// Runtime member IDs carry the time of the add, as etcd's do: the peer URL
// of a removed member can be added again, under a new ID, and a new process
// at that URL joins; the removed member's old process stays refused.

import (
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// memberAdd runs etcdctl member add and returns the new ID and the
// ETCD_INITIAL_CLUSTER it prints.
func memberAdd(t *testing.T, eps string, m *member) (id, initial string) {
	t.Helper()
	out := mustCtl(t, eps, "member", "add", m.name, "--peer-urls="+m.peer)
	idm := regexp.MustCompile(`Member +([0-9a-f]+) added`).FindStringSubmatch(out)
	im := regexp.MustCompile(`ETCD_INITIAL_CLUSTER="([^"]+)"`).FindStringSubmatch(out)
	require.NotNil(t, idm, out)
	require.NotNil(t, im, out)
	return idm[1], im[1]
}

func TestProcessMemberReAddSameURL(t *testing.T) {
	requireEtcdctlBinary(t)
	dir := t.TempDir()
	const token = "proc-readd"
	ms := startCluster(t, dir, token, 3)
	eps := endpoints(ms...)
	putRevision(t, eps, "before", "1")

	n4 := newMember(t, dir, "n4")
	firstAdd := time.Now()
	id1, initial := memberAdd(t, eps, n4)
	n4.start(t, initial, "existing", token)
	waitHealthyMembers(t, n4)
	value, _ := getJSON(t, n4.host(), "before")
	require.Equal(t, "1", value, "n4 output:\n%s", n4.p.out.String())

	mustCtl(t, eps, "member", "remove", id1)
	select {
	case <-n4.p.done:
	case <-time.After(procStopTimeout):
		t.Fatalf("the removed member n4 did not stop; output:\n%s", n4.p.out.String())
	}

	// etcd's ID counts seconds: a second add in the same second as the
	// first would compute the removed ID again (etcd: the same).
	for time.Now().Unix() <= firstAdd.Unix() {
		time.Sleep(procPoll)
	}
	// Asked of a follower this time: it forwards the add, with its time,
	// to the leader (native/api forward.go).
	follower := ms[0].host()
	if lead := leaderEndpoint(t, ms); lead == follower {
		follower = ms[1].host()
	}
	id2, initial := memberAdd(t, follower, n4)
	require.NotEqual(t, id1, id2, "the same peer URL added again gets a new ID")

	// The removed member's old process, restarted from its data, is refused.
	old := n4.p
	n4.start(t, initial, "existing", token)
	select {
	case <-n4.p.done:
	case <-time.After(procReadyTimeout):
		t.Fatalf("the removed member's old process (ID %s) was not refused; output:\n%s", id1, n4.p.out.String())
	}
	require.Contains(t, n4.p.out.String(), "removed", "why the old process stopped")
	require.NotSame(t, old, n4.p)

	// A new process at the same URLs, with an empty data dir, joins as id2.
	n4.dataDir += "-again"
	n4.start(t, initial, "existing", token)
	waitHealthyMembers(t, n4)
	putRevision(t, eps, "after", "2")
	value, _ = getJSON(t, n4.host(), "after")
	require.Equal(t, "2", value, "n4 output:\n%s", n4.p.out.String())
	started := regexp.MustCompile(`(?m)^` + id2 + `, started, n4, ` + regexp.QuoteMeta(n4.peer))
	var list string
	eventually(t, 10*time.Second, "n4 listed as started under "+id2, func() bool {
		list = mustCtl(t, eps, "member", "list")
		return started.MatchString(list)
	})
	require.NotContains(t, list, id1)
	require.Equal(t, 4, strings.Count(strings.TrimSpace(list), "\n")+1, list)
}
