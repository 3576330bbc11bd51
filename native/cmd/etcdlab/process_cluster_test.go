package main

// The operator's stories, each against real processes (process_test.go):
// a 3-member cluster under etcdctl, membership changes with a learner,
// snapshot save and restore into a new cluster, damaged files, `etcdlab up`.

import (
	"bufio"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestProcessClusterUnderEtcdctl: writes, reads, status and health of a
// 3-member cluster through Debian's etcdctl, and the metrics each serves.
func TestProcessClusterUnderEtcdctl(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-basic", 3)
	eps := endpoints(ms...)

	r1 := putRevision(t, eps, "foo", "bar")
	r2 := putRevision(t, eps, "foo", "bar")
	require.Equal(t, r1+1, r2, "a second put must make exactly one new revision")
	putRevision(t, eps, "zoo", "z")
	require.Equal(t, "foo\n\nzoo\n\n", mustCtl(t, eps, "get", "--prefix", "--keys-only", ""))

	eventually(t, 10*time.Second, "exactly one leader in endpoint status", func() bool {
		out, err := etcdctl(t, ms[0].host(), "endpoint", "status", "--cluster", "-w", "table")
		return err == nil && strings.Count(out, "127.0.0.1:") == 3 && leadersInTable(t, out) == 1
	})
	health := mustCtl(t, ms[0].host(), "endpoint", "health", "--cluster")
	require.Equal(t, 3, strings.Count(health, "is healthy"), health)

	leaders := 0
	for _, m := range ms {
		body := httpGet(t, m.metrics+"/metrics")
		require.Contains(t, body, "etcd_server_has_leader 1")
		require.Contains(t, body, "etcd_disk_wal_fsync_duration_seconds_count")
		require.Regexp(t, `etcd_server_proposals_committed_total [1-9]`, body)
		require.Regexp(t, `etcd_mvcc_db_total_size_in_bytes [1-9]`, body)
		require.Contains(t, body, "etcd_network_peer_sent_bytes_total{To=")
		if strings.Contains(body, "etcd_server_is_leader 1") {
			leaders++
		}
	}
	require.Equal(t, 1, leaders, "etcd_server_is_leader must be 1 on exactly one member")
}

// TestProcessLearnerAddPromoteRemove: a learner cannot be promoted before
// it has caught up with the leader, can be after, and can be removed.
func TestProcessLearnerAddPromoteRemove(t *testing.T) {
	requireEtcdctlBinary(t)
	dir := t.TempDir()
	ms := startCluster(t, dir, "proc-learner", 3)
	eps := endpoints(ms...)
	for i := 0; i < 20; i++ {
		putRevision(t, eps, "k"+strconv.Itoa(i), "v")
	}
	n4 := newMember(t, dir, "n4")
	out := mustCtl(t, eps, "member", "add", "n4", "--learner", "--peer-urls="+n4.peer)
	id := regexp.MustCompile(`Member +([0-9a-f]+) added`).FindStringSubmatch(out)
	require.NotNil(t, id, out)
	initial := regexp.MustCompile(`ETCD_INITIAL_CLUSTER="([^"]+)"`).FindStringSubmatch(out)
	require.NotNil(t, initial, out)

	// Asked of the leader here; process_compat_test.go asks a follower,
	// which forwards membership requests to the leader as etcd does.
	lead := leaderEndpoint(t, ms)
	out, err := etcdctl(t, lead, "member", "promote", id[1])
	require.Error(t, err, "promoting a learner that has not started must be refused")
	require.Contains(t, out, "can only promote a learner member which is in sync with leader")

	n4.start(t, initial[1], "existing", "proc-learner")
	// A learner serves serializable reads and Status, and refuses the rest
	// as etcd does (native/api learner.go).
	eventually(t, procReadyTimeout, "the learner serving k19 (serializable)", func() bool {
		out, err := etcdctl(t, n4.host(), "get", "k19", "--consistency=s", "--print-value-only")
		return err == nil && strings.TrimSpace(out) == "v"
	})
	mustCtl(t, n4.host(), "endpoint", "status")
	for _, args := range [][]string{{"put", "x", "y"}, {"get", "k19"}} {
		out, err := etcdctl(t, n4.host(), args...)
		require.Error(t, err, "a learner must refuse %v", args)
		require.Contains(t, out, "etcdserver: rpc not supported for learner", args)
	}
	eventually(t, procReadyTimeout, "the caught-up learner promoted; n4 output:\n"+n4.p.out.String(), func() bool {
		_, err := etcdctl(t, leaderEndpoint(t, ms), "member", "promote", id[1])
		return err == nil
	})
	list := mustCtl(t, eps, "member", "list")
	require.Regexp(t, `(?m)^`+id[1]+`, .*, false$`, list, "n4 must be a voter now")
	// n4 serves linearizable reads once it has applied its own promotion.
	eventually(t, procReadyTimeout, "n4 serving a linearizable read as a voter", func() bool {
		out, err := etcdctl(t, n4.host(), "get", "k19", "--print-value-only")
		return err == nil && strings.TrimSpace(out) == "v"
	})

	mustCtl(t, eps, "member", "remove", id[1])
	require.NotContains(t, mustCtl(t, eps, "member", "list"), id[1])
	select {
	case <-n4.p.done:
	case <-time.After(procStopTimeout):
		t.Fatalf("the removed member n4 (pid %d) did not stop", n4.p.cmd.Process.Pid)
	}
}

// TestProcessSnapshotRestore: snapshot save, restore into a new 1-member
// cluster that keeps keys and revision and refuses an old member; tampered
// and trailer-less files.
func TestProcessSnapshotRestore(t *testing.T) {
	requireEtcdctlBinary(t)
	dir := t.TempDir()
	ms := startCluster(t, dir, "proc-old", 3)
	eps := endpoints(ms...)
	putRevision(t, eps, "foo", "bar")
	rev := putRevision(t, eps, "foo", "baz")
	snapPath := filepath.Join(dir, "snap.db")
	getJSON(t, ms[0].host(), "foo") // linearizable: n1 has applied the last put
	mustCtl(t, ms[0].host(), "snapshot", "save", snapPath)

	checkRestoreRefusals(t, dir, snapPath)

	// The new member takes over n2's peer URL; the old n1 and n3 still try
	// to reach n2 there, and must be refused by the new cluster's transport.
	require.NoError(t, ms[1].p.stop(t))
	r1 := &member{name: "r1", client: newMember(t, dir, "x").client, peer: ms[1].peer,
		metrics: newMember(t, dir, "y").metrics, dataDir: filepath.Join(dir, "r1")}
	out, err := etcdlabCmd(t, "snapshot", "restore", snapPath, "--data-dir", r1.dataDir, "--name", "r1",
		"--initial-cluster", "r1="+r1.peer, "--initial-cluster-token", "proc-new", "--initial-advertise-peer-urls", r1.peer)
	require.NoError(t, err, out)
	r1.start(t, "ignored=http://127.0.0.1:1", "new", "ignored") // a restart: the data dir decides
	waitHealthyMembers(t, r1)

	value, gotRev := getJSON(t, r1.host(), "foo")
	require.Equal(t, "baz", value, "r1 output:\n%s\nrestore output:\n%s", r1.p.out.String(), out)
	require.Equal(t, rev, gotRev, "the restored cluster keeps the revision")
	putRevision(t, endpoints(ms[0], ms[2]), "old-only", "x") // the old cluster goes on with n1 and n3
	eventually(t, 10*time.Second, "the restored member refuses the old cluster's streams; r1 output:\n"+r1.p.out.String(), func() bool {
		return strings.Contains(r1.p.out.String(), "request cluster ID mismatch")
	})
	value, _ = getJSON(t, r1.host(), "old-only")
	require.Empty(t, value, "nothing of the old cluster may reach the restored one")
	require.Equal(t, 1, strings.Count(strings.TrimSpace(mustCtl(t, r1.host(), "member", "list")), "\n")+1)
}

// checkRestoreRefusals: a flipped byte fails the integrity check; a file
// without its trailer needs --skip-hash-check, and restores with it.
func checkRestoreRefusals(t *testing.T, dir, snapPath string) {
	good, err := os.ReadFile(snapPath)
	require.NoError(t, err)
	restore := func(file, name string, extra ...string) (string, error) {
		args := append([]string{"snapshot", "restore", file, "--data-dir", filepath.Join(dir, name), "--name", name,
			"--initial-cluster", name + "=http://127.0.0.1:1", "--initial-advertise-peer-urls", "http://127.0.0.1:1"}, extra...)
		return etcdlabCmd(t, args...)
	}
	tampered := append([]byte(nil), good...)
	tampered[len(tampered)/2] ^= 0x40
	require.NoError(t, os.WriteFile(filepath.Join(dir, "tampered.db"), tampered, 0o600))
	out, err := restore(filepath.Join(dir, "tampered.db"), "t1")
	require.Error(t, err)
	require.Contains(t, out, "snapshot file integrity check failed")
	require.NoDirExists(t, filepath.Join(dir, "t1"))

	raw := good[:len(good)-32]
	require.NoError(t, os.WriteFile(filepath.Join(dir, "raw.db"), raw, 0o600))
	out, err = restore(filepath.Join(dir, "raw.db"), "t2")
	require.Error(t, err)
	require.Contains(t, out, "snapshot missing hash but --skip-hash-check=false")
	out, err = restore(filepath.Join(dir, "raw.db"), "t3", "--skip-hash-check")
	require.NoError(t, err, out)
	require.DirExists(t, filepath.Join(dir, "t3", "member", "wal"))
}

// TestProcessCorruptSnapFileFallsBack: a flipped byte in the newest .snap
// file of a stopped member: on restart native/snap sets the file aside as
// .broken, the member says which file and why, and starts from the next
// older snapshot plus the WAL with every key.
func TestProcessCorruptSnapFileFallsBack(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-snap", 1, "--snapshot-count", "5")
	m := ms[0]
	for i := 0; i < 30; i++ {
		putRevision(t, m.host(), "k"+strconv.Itoa(i), "v"+strconv.Itoa(i))
	}
	require.NoError(t, m.p.stop(t))
	snaps, err := filepath.Glob(filepath.Join(m.dataDir, "member", "snap", "*.snap"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(snaps), 2, "need an older snapshot to fall back to")
	newest := snaps[len(snaps)-1]
	b, err := os.ReadFile(newest)
	require.NoError(t, err)
	b[len(b)/2] ^= 0x01
	require.NoError(t, os.WriteFile(newest, b, 0o600))

	m.start(t, clusterFlag(m), "new", "proc-snap", "--snapshot-count", "5")
	waitHealthyMembers(t, m)
	require.Contains(t, m.p.out.String(), "snapshot file set aside")
	require.Contains(t, m.p.out.String(), filepath.Base(newest))
	require.FileExists(t, newest+".broken")
	value, _ := getJSON(t, m.host(), "k29")
	require.Equal(t, "v29", value)
}

// TestProcessUp: `etcdlab up` in a temp dir prints its endpoints, serves
// writes and reads through them, and stops every member on SIGINT.
func TestProcessUp(t *testing.T) {
	dir := t.TempDir()
	p := startProc(t, "up", "--dir", filepath.Join(dir, "cluster"))
	var eps string
	eventually(t, procReadyTimeout, "up prints its endpoints; output:\n"+p.out.String(), func() bool {
		sc := bufio.NewScanner(strings.NewReader(p.out.String()))
		for sc.Scan() {
			if rest, ok := strings.CutPrefix(sc.Text(), "endpoints: "); ok {
				eps = strings.ReplaceAll(rest, "http://", "")
				return true
			}
		}
		return false
	})
	require.Contains(t, p.out.String(), "etcdctl --endpoints="+eps+" put foo bar")
	out, err := etcdlabCmd(t, "put", "--endpoints="+eps, "foo", "bar")
	require.NoError(t, err, out)
	out, err = etcdlabCmd(t, "get", "--endpoints="+strings.Split(eps, ",")[2], "foo")
	require.NoError(t, err, out)
	require.Equal(t, "foo\nbar\n", out)

	require.NoError(t, p.cmd.Process.Signal(syscall.SIGINT))
	select {
	case <-p.done:
	case <-time.After(procStopTimeout + 5*time.Second):
		t.Fatalf("up did not stop after SIGINT; output:\n%s", p.out.String())
	}
	require.NoError(t, p.err, p.out.String())
	require.Contains(t, p.out.String(), "all members stopped")
	for _, ep := range strings.Split(eps, ",") {
		_, err := etcdlabCmd(t, "get", "--endpoints="+ep, "--dial-timeout=300ms", "--command-timeout=500ms", "foo")
		require.Error(t, err, "member at %s must be gone", ep)
	}
}

// leaderEndpoint asks each member's status for the leader's endpoint.
func leaderEndpoint(t *testing.T, ms []*member) string {
	var lead string
	eventually(t, 10*time.Second, "a leader", func() bool {
		for _, m := range ms {
			var st []struct {
				Status struct {
					Header struct {
						MemberID uint64 `json:"member_id"`
					} `json:"header"`
					Leader uint64 `json:"leader"`
				}
			}
			out, err := etcdctl(t, m.host(), "endpoint", "status", "-w", "json")
			if err == nil && json.Unmarshal([]byte(out), &st) == nil && len(st) == 1 &&
				st[0].Status.Leader != 0 && st[0].Status.Leader == st[0].Status.Header.MemberID {
				lead = m.host()
				return true
			}
		}
		return false
	})
	return lead
}

func httpGet(t *testing.T, url string) string {
	t.Helper()
	var body string
	eventually(t, 5*time.Second, "GET "+url, func() bool {
		resp, err := http.Get(url)
		if err != nil {
			return false
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		body = string(b)
		return err == nil && resp.StatusCode == 200
	})
	return body
}
