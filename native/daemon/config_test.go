package daemon

// The flags of this task in the Config: --max-wals / --max-snapshots with
// etcd's "0 is unlimited", and --max-request-bytes up to what one WAL
// record and one peer message can carry.

import (
	"strings"
	"testing"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/native/transport"
	"github.com/etcdlab/etcdlab/native/wal"
)

func TestFileLimits(t *testing.T) {
	if FilesToKeep(0) != KeepAllFiles || FilesToKeep(2) != 2 {
		t.Fatalf("FilesToKeep(0) = %d, FilesToKeep(2) = %d; want KeepAllFiles and 2", FilesToKeep(0), FilesToKeep(2))
	}
	c := Config{}.withDefaults()
	if c.MaxWALs != 5 || c.MaxSnapshots != 5 {
		t.Fatalf("defaults: --max-wals %d, --max-snapshots %d; want etcd's 5 and 5", c.MaxWALs, c.MaxSnapshots)
	}
	c = Config{MaxWALs: KeepAllFiles, MaxSnapshots: KeepAllFiles}.withDefaults()
	if o := c.walOptions(nil); o.MaxFiles >= 0 || c.MaxSnapshots >= 0 {
		t.Fatalf("unlimited must stay unlimited: WAL MaxFiles %d, MaxSnapshots %d", o.MaxFiles, c.MaxSnapshots)
	}
}

func TestRequestLimitsConfig(t *testing.T) {
	c := Config{}.withDefaults()
	if c.MaxRequestBytes != core.MaxRequestBytes || c.MaxTxnOps != core.MaxTxnOps {
		t.Fatalf("defaults: %d bytes, %d ops; want etcd's %d and %d", c.MaxRequestBytes, c.MaxTxnOps, core.MaxRequestBytes, core.MaxTxnOps)
	}
	if MaxRequestBytesCeiling+frameOverheadBytes > transport.MaxFrameBytes || MaxRequestBytesCeiling > wal.MaxEntryDataBytes {
		t.Fatalf("the ceiling %d does not fit a peer frame (%d) or a WAL record (%d)", MaxRequestBytesCeiling, transport.MaxFrameBytes, wal.MaxEntryDataBytes)
	}
	if MaxRequestBytesCeiling < 3<<20 {
		t.Fatalf("the ceiling %d is below 3 MiB, a common --max-request-bytes", MaxRequestBytesCeiling)
	}
	ok := Config{Name: "n1", ListenPeerURLs: []string{"http://127.0.0.1:1"}, InitialCluster: map[string][]string{"n1": {"http://127.0.0.1:1"}},
		DataDir: t.TempDir(), MaxRequestBytes: MaxRequestBytesCeiling, MaxTxnOps: 10_000}
	if err := ok.Validate(); err != nil {
		t.Fatalf("the ceiling itself must be accepted: %v", err)
	}
	tooBig := ok
	tooBig.MaxRequestBytes = MaxRequestBytesCeiling + 1
	if err := tooBig.Validate(); err == nil || !strings.Contains(err.Error(), "--max-request-bytes") {
		t.Fatalf("above the ceiling: %v, want a --max-request-bytes error", err)
	}
}
