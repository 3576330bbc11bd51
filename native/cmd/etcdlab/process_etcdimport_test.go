package main

// Moving a cluster from etcd to etcdlab: real etcd 3.4 (Debian's
// /usr/bin/etcd) writes a history with Debian's etcdctl — versions, a
// deletion, keys on a lease, a txn, a compaction, users and roles —
// `etcdctl snapshot save` takes the file, `etcdlab snapshot restore`
// converts it into a new cluster's data dir, and etcdctl then asks the
// etcdlab member what it asked etcd: the answers must agree.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	bolt "go.etcd.io/bbolt"
)

// rangeAnswer is what `etcdctl get -w json` says, minus the member's IDs.
type rangeAnswer struct {
	Revision int64
	Kvs      []jsonKV
	Count    int64
	Err      string // the error line if the read was refused
}

type jsonKV struct {
	Key            []byte `json:"key"`
	CreateRevision int64  `json:"create_revision"`
	ModRevision    int64  `json:"mod_revision"`
	Version        int64  `json:"version"`
	Value          []byte `json:"value"`
	Lease          int64  `json:"lease"`
}

// readAll reads every key at rev (0: now) through etcdctl.
func readAll(t *testing.T, eps string, rev int64) rangeAnswer {
	args := []string{"get", "", "--prefix", "-w", "json"}
	if rev > 0 {
		args = append(args, fmt.Sprintf("--rev=%d", rev))
	}
	out, err := etcdctl(t, eps, args...)
	if err != nil {
		for _, line := range strings.Split(out, "\n") {
			if strings.HasPrefix(line, "Error: ") {
				return rangeAnswer{Err: line}
			}
		}
		t.Fatalf("etcdctl %v: %v\n%s", args, err, out)
	}
	var r struct {
		Header struct{ Revision int64 } `json:"header"`
		Kvs    []jsonKV                 `json:"kvs"`
		Count  int64                    `json:"count"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	return rangeAnswer{Revision: r.Header.Revision, Kvs: r.Kvs, Count: r.Count}
}

// etcdctlTxn runs `etcdctl txn` with its input on stdin.
func etcdctlTxn(t *testing.T, eps, input string) {
	cmd := exec.Command(etcdctlPath, "--endpoints="+eps, "--command-timeout=5s", "txn")
	cmd.Env = append(os.Environ(), "ETCDCTL_API=3")
	cmd.Stdin = strings.NewReader(input)
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "etcdctl txn:\n%s", out)
}

// etcdHistory is what the test asked etcd before the snapshot.
type etcdHistory struct {
	leaseID       string
	current       int64
	compacted     int64
	reads         map[int64]rangeAnswer // at every revision 1..current, and 0 (now)
	role, user    string
	leaseGranted  int64
	leaseKeys     []string
	snapshotPath  string
	snapshotState string // `etcdctl snapshot status -w json`
}

// writeEtcdHistory writes the history into etcd and saves its snapshot.
func writeEtcdHistory(t *testing.T, eps, dir string) etcdHistory {
	h := etcdHistory{reads: map[int64]rangeAnswer{}, snapshotPath: filepath.Join(dir, "etcd.db")}
	for _, v := range []string{"1", "2", "3"} {
		mustCtl(t, eps, "put", "a", v) // revisions 2, 3, 4
	}
	mustCtl(t, eps, "put", "b", "x") // 5
	mustCtl(t, eps, "del", "b")      // 6
	var grant struct {
		ID  int64 `json:"ID"`
		TTL int64 `json:"TTL"`
	}
	require.NoError(t, json.Unmarshal([]byte(mustCtl(t, eps, "lease", "grant", "86400", "-w", "json")), &grant))
	h.leaseID = fmt.Sprintf("%x", grant.ID)
	mustCtl(t, eps, "put", "l1", "v", "--lease="+h.leaseID) // 7
	mustCtl(t, eps, "put", "l2", "w", "--lease="+h.leaseID) // 8
	etcdctlTxn(t, eps, "\nput t1 x\nput t2 y\n\n\n")        // 9: one revision, two sub revisions
	h.compacted = 7
	mustCtl(t, eps, "compact", fmt.Sprint(h.compacted))
	mustCtl(t, eps, "put", "c", "z") // 10
	mustCtl(t, eps, "put", "a", "4") // 11
	mustCtl(t, eps, "role", "add", "r1")
	mustCtl(t, eps, "role", "grant-permission", "r1", "readwrite", "foo", "--prefix")
	mustCtl(t, eps, "user", "add", "u1:secret")
	mustCtl(t, eps, "user", "grant-role", "u1", "r1")

	h.current = readAll(t, eps, 0).Revision
	require.Equal(t, int64(11), h.current, "etcd's history")
	for rev := int64(0); rev <= h.current; rev++ {
		h.reads[rev] = readAll(t, eps, rev)
	}
	h.role, h.user = mustCtl(t, eps, "role", "get", "r1"), mustCtl(t, eps, "user", "get", "u1")
	h.leaseGranted, h.leaseKeys = leaseTimeToLive(t, eps, h.leaseID)
	mustCtl(t, eps, "snapshot", "save", h.snapshotPath)
	h.snapshotState = mustCtl(t, eps, "snapshot", "status", h.snapshotPath, "-w", "json")
	return h
}

// leaseTimeToLive returns a lease's granted TTL and its keys.
func leaseTimeToLive(t *testing.T, eps, id string) (int64, []string) {
	var r struct {
		GrantedTTL int64    `json:"granted-ttl"`
		TTL        int64    `json:"ttl"`
		Keys       [][]byte `json:"keys"`
	}
	out := mustCtl(t, eps, "lease", "timetolive", id, "--keys", "-w", "json")
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	require.Positive(t, r.TTL, "the lease is alive: %s", out)
	var keys []string
	for _, k := range r.Keys {
		keys = append(keys, string(k))
	}
	return r.GrantedTTL, keys
}

// TestProcessRestoreEtcdSnapshot: a snapshot of real etcd 3.4 restored
// into etcdlab answers every read as etcd did, keeps the lease with its
// keys and the users and roles, and writes on at the next revision.
func TestProcessRestoreEtcdSnapshot(t *testing.T) {
	requireEtcdctlBinary(t)
	if _, err := os.Stat(defaultTestServer); err != nil {
		t.Skipf("restoring a snapshot of etcd needs etcd: %s is missing (apt-get install etcd-server)", defaultTestServer)
	}
	t.Setenv("ETCDLAB_TEST_SERVER", defaultTestServer) // real etcd, whatever the suite's server under test
	srv := newTestServer(t)
	srv.start(t)
	dir := t.TempDir()
	h := writeEtcdHistory(t, strings.TrimPrefix(srv.clientURL, "http://"), dir)
	srv.stop()

	out, err := etcdlabCmd(t, "snapshot", "status", h.snapshotPath, "-w", "json")
	require.NoError(t, err, out)
	require.Equal(t, h.snapshotState, out, "etcdlab reads an etcd snapshot's status as etcdctl does")

	m := newMember(t, dir, "m1")
	out, err = etcdlabCmd(t, "snapshot", "restore", h.snapshotPath, "--name", m.name, "--data-dir", m.dataDir,
		"--initial-cluster", clusterFlag(m), "--initial-advertise-peer-urls", m.peer, "--initial-cluster-token", "from-etcd")
	require.NoError(t, err, out)
	require.Contains(t, out, "converted an etcd v3.4 backend (cluster version 3.4.0)")
	require.Contains(t, out, "up to revision 11 (compacted at 7), 1 leases, 1 users, 1 roles")
	m.start(t, clusterFlag(m), "new", "from-etcd")
	waitHealthyMembers(t, m)
	eps := m.host()

	for rev := int64(0); rev <= h.current; rev++ {
		want, got := h.reads[rev], readAll(t, eps, rev)
		if rev > 0 && rev < h.compacted {
			require.Contains(t, want.Err, "required revision has been compacted", "etcd at revision %d", rev)
		}
		require.Equal(t, want, got, "get --prefix --rev=%d: etcd, then etcdlab", rev)
	}
	granted, keys := leaseTimeToLive(t, eps, h.leaseID)
	// etcd lists a lease's keys in its map's order, which varies: compare sets.
	etcdKeys := slices.Sorted(slices.Values(h.leaseKeys))
	require.Equal(t, []any{h.leaseGranted, etcdKeys}, []any{granted, keys}, "lease %s", h.leaseID)
	require.Equal(t, []string{"l1", "l2"}, keys)
	require.Equal(t, h.role, mustCtl(t, eps, "role", "get", "r1"))
	require.Equal(t, h.user, mustCtl(t, eps, "user", "get", "u1"))

	require.Equal(t, h.current+1, putRevision(t, eps, "after", "etcd"), "writes go on at the next revision")
	now := readAll(t, eps, 0)
	require.Equal(t, h.reads[0].Count+1, now.Count)
	mustCtl(t, eps, "lease", "revoke", h.leaseID)
	now = readAll(t, eps, 0)
	require.Equal(t, h.current+2, now.Revision, "the revoke deletes l1 and l2 in one revision")
	for _, kv := range now.Kvs {
		require.False(t, bytes.HasPrefix(kv.Key, []byte("l")), "key %q of the revoked lease", kv.Key)
	}
}

// TestRestoreRefusesUnknownBackend: a bbolt file of neither program is
// refused with what was found in it, and no data dir is left behind.
func TestRestoreRefusesUnknownBackend(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "widgets.db")
	db, err := bolt.Open(path, 0o600, nil)
	require.NoError(t, err)
	require.NoError(t, db.Update(func(tx *bolt.Tx) error {
		b, err := tx.CreateBucket([]byte("widgets"))
		if err != nil {
			return err
		}
		return b.Put([]byte("w1"), []byte("blue"))
	}))
	require.NoError(t, db.Close())
	out, err := etcdlabCmd(t, "snapshot", "restore", path, "--skip-hash-check", "--name", "m1", "--data-dir", filepath.Join(dir, "m1"),
		"--initial-cluster", "m1=http://127.0.0.1:1", "--initial-advertise-peer-urls", "http://127.0.0.1:1")
	require.Error(t, err, out)
	require.Contains(t, out, "neither an etcd nor an etcdlab backend")
	require.Contains(t, out, "found: widgets")
	require.NoDirExists(t, filepath.Join(dir, "m1"))
	require.NoDirExists(t, filepath.Join(dir, "m1.restoring"))
}
