package main

import (
	"fmt"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// walRecordEntry is native/wal's recordEntry: one raft.Entry.
const walRecordEntry = 3

// TestProcessLostAcknowledgedEntries: a follower's WAL loses its last
// entries at a clean record boundary — not a torn write, which only ever
// hits bytes written after the last fdatasync, but lost data: entries the
// member fsynced and acknowledged (a disk that lied about fsync, a
// hand-edited WAL). Serving with that log would break what its
// acknowledgements promised, so once the leader says those entries are
// committed, the member stops with raft's ErrLogLost. The others go on.
func TestProcessLostAcknowledgedEntries(t *testing.T) {
	requireEtcdctlBinary(t)
	ms := startCluster(t, t.TempDir(), "proc-lost", 3)
	victim := followerOf(t, ms)
	for i := range 20 {
		putRevision(t, victim.host(), fmt.Sprintf("k/%03d", i), "v")
	}
	require.NoError(t, victim.p.cmd.Process.Kill())
	<-victim.p.done

	seg := lastSegment(t, victim)
	data, err := os.ReadFile(seg)
	require.NoError(t, err)
	var entries []walRecord
	for _, r := range walRecords(t, data) {
		if r.typ == walRecordEntry {
			entries = append(entries, r)
		}
	}
	require.Greater(t, len(entries), 10, "the segment holds the puts' entries")
	require.NoError(t, os.Truncate(seg, entries[len(entries)-5].start), "drop the last 5 entries whole")

	victim.start(t, clusterFlag(ms...), "new", "proc-lost")
	select {
	case <-victim.p.done:
	case <-time.After(procStopTimeout):
		t.Fatalf("the member kept running with acknowledged entries missing; output:\n%s", victim.p.out.String())
	}
	require.Contains(t, victim.p.out.String(), "acknowledged are missing", "the member says why it stopped")

	var others []*member
	for _, m := range ms {
		if m != victim {
			others = append(others, m)
		}
	}
	putRevision(t, endpoints(others...), "after", "1")
}
