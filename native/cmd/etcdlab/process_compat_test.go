package main

// Compatibility stories against real processes (process_test.go): the
// membership through any member, client URLs published through Raft, and
// the WAL's two kinds of damage — a torn tail (repaired) and a flipped
// byte in the middle (refused, naming file and offset).

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// listedMember is one member as `etcdctl member list -w json` prints it.
type listedMember struct {
	ID         uint64   `json:"ID"`
	Name       string   `json:"name"`
	PeerURLs   []string `json:"peerURLs"`
	ClientURLs []string `json:"clientURLs"`
	IsLearner  bool     `json:"isLearner"`
}

// memberList is ep's member list; ok is false if etcdctl failed (a member
// still starting), so that callers can poll it.
func memberList(t *testing.T, ep string) (_ []listedMember, ok bool) {
	t.Helper()
	var r struct {
		Members []listedMember `json:"members"`
	}
	out, err := etcdctl(t, ep, "member", "list", "-w", "json")
	if err != nil {
		return nil, false
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	return r.Members, true
}

// listsClientURLs reports that ep's member list shows every member of ms
// by name with its client URL.
func listsClientURLs(t *testing.T, ep string, ms ...*member) bool {
	listed, ok := memberList(t, ep)
	if !ok {
		return false
	}
	for _, m := range ms {
		i := slices.IndexFunc(listed, func(l listedMember) bool { return slices.Contains(l.PeerURLs, m.peer) })
		if i < 0 || listed[i].Name != m.name || !slices.Equal(listed[i].ClientURLs, []string{m.client}) {
			return false
		}
	}
	return true
}

// followerOf returns a member of among that does not lead the cluster
// of members ms.
func followerOf(t *testing.T, ms []*member, among ...*member) *member {
	lead := leaderEndpoint(t, ms)
	if len(among) == 0 {
		among = ms
	}
	for _, m := range among {
		if m.host() != lead {
			return m
		}
	}
	t.Fatalf("no follower among %d members", len(among))
	return nil
}

// TestProcessMembershipThroughFollower: every member lists every started
// member's client URLs (published through Raft), also after a restart and
// for a member added later, which lists as unstarted until it starts;
// add, promote, update and remove all work through a follower, and a
// promote the leader refuses is refused there with etcd's exact error.
func TestProcessMembershipThroughFollower(t *testing.T) {
	requireEtcdctlBinary(t)
	dir := t.TempDir()
	ms := startCluster(t, dir, "proc-follower", 3)
	for _, m := range ms {
		eventually(t, 10*time.Second, m.name+" lists every member's client URLs", func() bool {
			return listsClientURLs(t, m.host(), ms...)
		})
	}
	f := followerOf(t, ms)

	n4 := newMember(t, dir, "n4")
	out := mustCtl(t, f.host(), "member", "add", "n4", "--learner", "--peer-urls="+n4.peer)
	// etcdctl prints IDs as %16x: a short one is padded with spaces.
	id := regexp.MustCompile(`Member +([0-9a-f]+) added`).FindStringSubmatch(out)
	require.NotNil(t, id, out)
	initial := regexp.MustCompile(`ETCD_INITIAL_CLUSTER="([^"]+)"`).FindStringSubmatch(out)
	require.NotNil(t, initial, out)
	require.Regexp(t, `(?m)^`+id[1]+`, unstarted, , `+regexp.QuoteMeta(n4.peer)+`, , true$`,
		mustCtl(t, f.host(), "member", "list"), "an added member that has not started lists as etcd's: no name, no client URLs")

	out, err := etcdctl(t, f.host(), "member", "promote", id[1])
	require.Error(t, err, "promoting a learner that has not started must be refused, by a follower too:\n%s", out)
	require.Contains(t, out, "etcdserver: can only promote a learner member which is in sync with leader")

	n4.start(t, initial[1], "existing", "proc-follower")
	all := append(slices.Clone(ms), n4)
	for _, m := range ms { // n4, a learner, answers no member list (etcd: rpc not supported for learner)
		eventually(t, procReadyTimeout, m.name+" lists n4's client URL; n4 output:\n"+n4.p.out.String(), func() bool {
			return listsClientURLs(t, m.host(), all...)
		})
	}
	eventually(t, procReadyTimeout, "n4 promoted through a follower; n4 output:\n"+n4.p.out.String(), func() bool {
		_, err := etcdctl(t, f.host(), "member", "promote", id[1])
		return err == nil
	})
	eventually(t, procReadyTimeout, "n4, a voter now, lists every client URL", func() bool {
		return listsClientURLs(t, n4.host(), all...)
	})
	require.Regexp(t, `(?m)^`+id[1]+`, started, n4, .*, false$`, mustCtl(t, f.host(), "member", "list"))
	out = mustCtl(t, f.host(), "member", "update", id[1], "--peer-urls="+n4.peer)
	require.Regexp(t, `Member +`+id[1]+` updated`, out)

	// A restart keeps the published URLs (membership bucket) and
	// publishes nothing new when they have not changed.
	require.NoError(t, ms[1].p.stop(t))
	ms[1].start(t, clusterFlag(ms...), "new", "proc-follower")
	waitHealthyMembers(t, ms[1])
	require.True(t, listsClientURLs(t, ms[1].host(), all...), "after restart %s lists:\n%s",
		ms[1].name, mustCtl(t, ms[1].host(), "member", "list"))

	f = followerOf(t, all, ms...) // n4 votes now: it may lead
	mustCtl(t, f.host(), "member", "remove", id[1])
	require.NotContains(t, mustCtl(t, f.host(), "member", "list"), id[1])
	select {
	case <-n4.p.done:
	case <-time.After(procStopTimeout):
		t.Fatalf("the removed member n4 (pid %d) did not stop", n4.p.cmd.Process.Pid)
	}
	out, err = etcdctl(t, f.host(), "member", "remove", id[1])
	require.Error(t, err)
	require.Contains(t, out, "etcdserver: member not found")

	require.Contains(t, n4.p.out.String(), "published local member to cluster through raft")
	require.NotContains(t, ms[1].p.out.String(), "published local member to cluster through raft",
		"a restart with unchanged attributes proposes no new publish")
}

// native/wal's record framing (record.go), which the tests walk to find
// the records of a segment.
const (
	walRecordHeaderBytes = 16
	walRecordAlignBytes  = 8
	walRecordHardState   = 4 // recordHardState: one raft.HardState
)

// walRecord is one record's place in a segment file.
type walRecord struct {
	start, size int64
	typ         byte
}

// walRecords lists the records of a segment: they follow each other from
// offset 0, each a 16-byte header (length uint32 little-endian, then the
// type byte) plus payload and padding to 8 bytes; a zero header marks the
// preallocated space after the last one.
func walRecords(t *testing.T, data []byte) []walRecord {
	var recs []walRecord
	for off := int64(0); off+walRecordHeaderBytes <= int64(len(data)); {
		n := int64(binary.LittleEndian.Uint32(data[off:]))
		if n == 0 && data[off+4] == 0 {
			break
		}
		size := walRecordHeaderBytes + n
		size += (walRecordAlignBytes - size%walRecordAlignBytes) % walRecordAlignBytes
		recs = append(recs, walRecord{start: off, size: size, typ: data[off+4]})
		off += size
	}
	require.NotEmpty(t, recs, "no record in the segment")
	return recs
}

func lastSegment(t *testing.T, m *member) string {
	segs, err := filepath.Glob(filepath.Join(m.dataDir, "member", "wal", "*.wal"))
	require.NoError(t, err)
	require.NotEmpty(t, segs)
	slices.Sort(segs)
	return segs[len(segs)-1]
}

// TestProcessTornWALTail: a follower written through is killed with
// SIGKILL, and its last WAL segment is cut in the middle of the final
// record, as if the crash had torn the last write. It restarts, logs the
// repair, keeps a copy of the cut bytes, has every acknowledged write
// (each is on a quorum) and the writes made while it was down, and serves
// writes again.
//
// Which record can a crash tear? Only bytes written after the last
// fdatasync (native/wal doc.go). A follower that answered a put has
// applied it, so its last record is the hard state that raised its commit
// index — written without fsync (Ready.MustSync is false for a commit-only
// change), the very record a real crash may tear. Cutting a synced entry
// instead would fake a disk that lies, which Raft does not survive.
func TestProcessTornWALTail(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-torn", 3)
	victim := followerOf(t, ms)
	const before, during = 40, 10
	for i := range before {
		putRevision(t, victim.host(), fmt.Sprintf("k/%03d", i), "v"+strconv.Itoa(i))
	}
	require.NoError(t, victim.p.cmd.Process.Kill())
	<-victim.p.done

	seg := lastSegment(t, victim)
	data, err := os.ReadFile(seg)
	require.NoError(t, err)
	recs := walRecords(t, data)
	last := recs[len(recs)-1]
	require.Equal(t, byte(walRecordHardState), last.typ, "the last record of a follower that answered a put is its commit's hard state")
	cut := last.start + last.size/2
	require.NoError(t, os.Truncate(seg, cut))

	var others []*member
	for _, m := range ms {
		if m != victim {
			others = append(others, m)
		}
	}
	for i := before; i < before+during; i++ {
		putRevision(t, endpoints(others...), fmt.Sprintf("k/%03d", i), "v"+strconv.Itoa(i))
	}

	victim.start(t, clusterFlag(ms...), "new", "proc-torn")
	waitHealthyMembers(t, victim)
	out := victim.p.out.String()
	require.Contains(t, out, "repaired torn WAL tail", "the repair must be logged:\n%s", out)
	require.Contains(t, out, fmt.Sprintf("at offset %d", last.start), "the repair names where the torn record began:\n%s", out)
	require.FileExists(t, seg+".broken")

	var r struct {
		Count int64 `json:"count"`
	}
	got, err := etcdctl(t, victim.host(), "get", "--prefix", "k/", "--keys-only", "-w", "json")
	require.NoError(t, err, "%s\nvictim output:\n%s", got, victim.p.out.String())
	require.NoError(t, json.Unmarshal([]byte(got), &r), got)
	require.Equal(t, int64(before+during), r.Count, "every acknowledged write, through the repaired member")
	value, _ := getJSON(t, victim.host(), fmt.Sprintf("k/%03d", before-1))
	require.Equal(t, "v"+strconv.Itoa(before-1), value, "the last write before the crash")

	putRevision(t, victim.host(), "after", "1")
	for _, m := range ms {
		value, _ := getJSON(t, m.host(), "after")
		require.Equal(t, "1", value, "%s after the repaired member rejoined", m.name)
	}
}

// TestProcessCorruptWALMiddle: a flipped byte in a record in the middle of
// the WAL (synced, maybe acknowledged) is not a torn write: the member
// refuses to start and says which file and which byte offset.
func TestProcessCorruptWALMiddle(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-corrupt", 1)
	m := ms[0]
	for i := range 30 {
		putRevision(t, m.host(), fmt.Sprintf("k/%03d", i), strings.Repeat("x", 100))
	}
	require.NoError(t, m.p.stop(t))
	seg := lastSegment(t, m)
	data, err := os.ReadFile(seg)
	require.NoError(t, err)
	recs := walRecords(t, data)
	bad := recs[len(recs)/2]
	flip := bad.start + walRecordHeaderBytes // the payload's first byte: the data CRC fails
	data[flip] ^= 0xff
	require.NoError(t, os.WriteFile(seg, data, 0o600))

	m.start(t, clusterFlag(m), "new", "proc-corrupt")
	select {
	case <-m.p.done:
	case <-time.After(procReadyTimeout):
		t.Fatalf("the member started on a WAL with a flipped byte at %d; output:\n%s", flip, m.p.out.String())
	}
	out := m.p.out.String()
	require.Error(t, m.p.err, out)
	require.Contains(t, out, fmt.Sprintf("wal: corrupt segment %s at byte offset %d:", seg, bad.start), "the error names the file and the record with the flipped byte")
	require.NoFileExists(t, seg+".broken", "damage in the middle is never cut off")
}
