package daemon

// Config is one member process as etcd's flags describe it. The command
// (native/cmd/etcdlab/server.go) fills it from --flags and ETCD_* variables;
// tests fill it directly. Durations are wall-clock here: the daemon turns
// them into the core's ticks (one tick per heartbeat interval, as etcd).

import (
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
	"github.com/etcdlab/etcdlab/native/snap"
	"github.com/etcdlab/etcdlab/native/transport"
	"github.com/etcdlab/etcdlab/native/wal"
)

// Cluster states (etcd: --initial-cluster-state).
const (
	ClusterStateNew      = "new"
	ClusterStateExisting = "existing"
)

// Config describes one member.
type Config struct {
	Name    string
	DataDir string

	// ListenPeerURLs are where the peer transport listens;
	// AdvertisePeerURLs are what the other members dial (etcd:
	// --initial-advertise-peer-urls). AdvertiseClientURLs are published to
	// the other members for member list and request forwarding.
	ListenPeerURLs      []string
	AdvertisePeerURLs   []string
	AdvertiseClientURLs []string

	// InitialCluster maps member names to peer URLs (etcd:
	// --initial-cluster "n1=http://a:2380,n2=..."); ClusterState is "new"
	// or "existing"; ClusterToken goes into every member ID.
	InitialCluster map[string][]string
	ClusterState   string
	ClusterToken   string

	HeartbeatInterval time.Duration // etcd default 100ms: one tick
	ElectionTimeout   time.Duration // etcd default 1000ms

	SnapshotCount           uint64
	QuotaBackendBytes       int64
	AutoCompactionMode      string
	AutoCompactionRetention string

	// SnapshotCatchUpEntries: entries kept in the log behind a snapshot
	// for slow followers (etcd: --experimental-snapshot-catchup-entries;
	// 0: core.DefaultSnapshotCatchUpEntries).
	SnapshotCatchUpEntries uint64

	// MaxSnapshots and MaxWALs bound the snapshot files and the WAL
	// segment files kept (etcd: --max-snapshots, --max-wals): 0 means
	// etcd's default, 5; KeepAllFiles keeps every file (the flags' 0,
	// "unlimited": see FilesToKeep). A WAL segment still needed to restart
	// is kept whatever MaxWALs says (native/wal release.go).
	MaxSnapshots int
	MaxWALs      int

	// MaxRequestBytes and MaxTxnOps are etcd's --max-request-bytes and
	// --max-txn-ops (0: core.MaxRequestBytes, core.MaxTxnOps); they may
	// raise the limits as well as lower them, up to MaxRequestBytesCeiling.
	MaxRequestBytes int
	MaxTxnOps       int
	// AuthTokenTTL is etcd's --auth-token-ttl: how long a simple auth token
	// lives after its last use (0: core.DefaultAuthTokenTTLSeconds).
	AuthTokenTTL time.Duration

	// PeerServerTLS / PeerClientTLS secure the peer transport (nil: plain
	// http); ClientTLS is used to dial other members' client URLs.
	PeerServerTLS *tls.Config
	PeerClientTLS *tls.Config
	ClientTLS     *tls.Config

	Logger *slog.Logger

	// walSegmentBytes: tests cut WAL segments smaller than etcd's 64 MB
	// (0: wal.SegmentSizeBytes).
	walSegmentBytes int64
}

// KeepAllFiles, as Config.MaxSnapshots or Config.MaxWALs, keeps every file.
const KeepAllFiles = -1

// FilesToKeep turns the value of --max-snapshots or --max-wals into the
// Config field: the flag's 0 ("unlimited") is KeepAllFiles.
func FilesToKeep(flagValue uint) int {
	if flagValue == 0 {
		return KeepAllFiles
	}
	return int(flagValue)
}

// MaxRequestBytesCeiling is the largest --max-request-bytes a member can
// carry. One request is one raft entry, which must fit one WAL record
// (wal.MaxEntryDataBytes) and, when it travels alone in an append message,
// one peer frame (transport.MaxFrameBytes, less room for the message's
// other fields). etcd has no ceiling; it warns above 10 MiB.
const MaxRequestBytesCeiling = min(wal.MaxEntryDataBytes, transport.MaxFrameBytes-frameOverheadBytes)

// frameOverheadBytes is what an append message adds around its one entry:
// term, index, commit and the entry's own fields, rounded up generously.
const frameOverheadBytes = 64 << 10

// withDefaults fills the zero fields with etcd's defaults.
func (c Config) withDefaults() Config {
	if c.Name == "" {
		c.Name = "default"
	}
	if c.DataDir == "" {
		c.DataDir = c.Name + ".etcd"
	}
	if c.HeartbeatInterval == 0 {
		c.HeartbeatInterval = 100 * time.Millisecond
	}
	if c.ElectionTimeout == 0 {
		c.ElectionTimeout = 1000 * time.Millisecond
	}
	if c.ClusterState == "" {
		c.ClusterState = ClusterStateNew
	}
	if c.ClusterToken == "" {
		c.ClusterToken = "etcd-cluster"
	}
	if c.MaxSnapshots == 0 {
		c.MaxSnapshots = snap.DefaultMaxSnapshots
	}
	if c.MaxWALs == 0 {
		c.MaxWALs = wal.DefaultMaxFiles
	}
	if c.MaxRequestBytes == 0 {
		c.MaxRequestBytes = core.MaxRequestBytes
	}
	if c.MaxTxnOps == 0 {
		c.MaxTxnOps = core.MaxTxnOps
	}
	if len(c.AdvertisePeerURLs) == 0 {
		c.AdvertisePeerURLs = c.ListenPeerURLs
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Validate reports the contradictions etcd refuses at start, with etcd's
// reasoning in the message.
func (c Config) Validate() error {
	c = c.withDefaults()
	switch {
	case len(c.ListenPeerURLs) == 0:
		return errors.New("--listen-peer-urls is required")
	case c.ClusterState != ClusterStateNew && c.ClusterState != ClusterStateExisting:
		return fmt.Errorf("--initial-cluster-state must be %q or %q, got %q", ClusterStateNew, ClusterStateExisting, c.ClusterState)
	case c.HeartbeatInterval <= 0:
		return fmt.Errorf("--heartbeat-interval must be positive, got %v", c.HeartbeatInterval)
	case c.ElectionTimeout < 5*c.HeartbeatInterval:
		// etcd: "--election-timeout[%vms] should be at least as 5 times as --heartbeat-interval[%vms]"
		return fmt.Errorf("--election-timeout[%dms] should be at least as 5 times as --heartbeat-interval[%dms]",
			c.ElectionTimeout.Milliseconds(), c.HeartbeatInterval.Milliseconds())
	case c.ElectionTimeout > 50*time.Second:
		return fmt.Errorf("--election-timeout[%dms] is too long, and should be set less than 50000ms", c.ElectionTimeout.Milliseconds())
	}
	if err := c.checkLimits(); err != nil {
		return err
	}
	for _, set := range [][]string{c.ListenPeerURLs, c.AdvertisePeerURLs, c.AdvertiseClientURLs} {
		if err := checkURLs(set); err != nil {
			return err
		}
	}
	if (layout{c.DataDir}).hasWAL() {
		return nil // a restart: --initial-cluster is ignored, as in etcd
	}
	return c.checkInitialCluster()
}

// checkLimits refuses request limits the member cannot honour.
func (c Config) checkLimits() error {
	switch {
	case c.MaxRequestBytes < 0 || c.MaxRequestBytes > MaxRequestBytesCeiling:
		return fmt.Errorf("--max-request-bytes=%d is out of range: etcdlab carries requests of at most %d bytes "+
			"(one request must fit one WAL record and one peer message)", c.MaxRequestBytes, MaxRequestBytesCeiling)
	case c.MaxTxnOps < 0:
		return fmt.Errorf("--max-txn-ops=%d must not be negative", c.MaxTxnOps)
	}
	return nil
}

// walOptions are the WAL's options from the flags (--max-wals) and the
// member's logger.
func (c Config) walOptions(log *slog.Logger) *wal.Options {
	return &wal.Options{MaxFiles: c.MaxWALs, SegmentBytes: c.walSegmentBytes, Logger: log}
}

// checkInitialCluster: this member must be in --initial-cluster with its
// advertised peer URLs (etcd: "couldn't find local name %q in the initial
// cluster configuration" and the URL match of ServerConfig.VerifyBootstrap).
func (c Config) checkInitialCluster() error {
	urls, ok := c.InitialCluster[c.Name]
	if !ok {
		return fmt.Errorf("couldn't find local name %q in the initial cluster configuration (--initial-cluster)", c.Name)
	}
	if !sameURLs(urls, c.AdvertisePeerURLs) {
		return fmt.Errorf("--initial-cluster has %s=%s but missing from --initial-advertise-peer-urls=%s",
			c.Name, strings.Join(urls, ","), strings.Join(c.AdvertisePeerURLs, ","))
	}
	for name, us := range c.InitialCluster {
		if err := checkURLs(us); err != nil {
			return fmt.Errorf("--initial-cluster member %s: %w", name, err)
		}
	}
	return nil
}

// ParseInitialCluster reads etcd's "name=url,name=url" (a name may repeat
// to give a member several URLs).
func ParseInitialCluster(s string) (map[string][]string, error) {
	out := map[string][]string{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		name, u, ok := strings.Cut(part, "=")
		if !ok || name == "" || u == "" {
			return nil, fmt.Errorf("--initial-cluster: %q is not name=url", part)
		}
		out[name] = append(out[name], u)
	}
	return out, nil
}

// SplitURLs reads a comma-separated URL list flag.
func SplitURLs(s string) []string {
	var out []string
	for _, u := range strings.Split(s, ",") {
		if u = strings.TrimSpace(u); u != "" {
			out = append(out, u)
		}
	}
	return out
}

func checkURLs(us []string) error {
	for _, s := range us {
		u, err := url.Parse(s)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return fmt.Errorf("URL %q must be http://host:port or https://host:port", s)
		}
	}
	return nil
}

func sameURLs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	sort.Strings(a)
	sort.Strings(b)
	return slices.Equal(a, b)
}

// ticks converts the wall-clock settings to the core's ticks.
func (c Config) ticks() (tickMillis, electionTicks int) {
	tickMillis = int(c.HeartbeatInterval.Milliseconds())
	electionTicks = int(c.ElectionTimeout / c.HeartbeatInterval)
	return tickMillis, electionTicks
}

// initialMembers is --initial-cluster as the core's members, with etcd's IDs.
func (c Config) initialMembers() []server.MemberInfo {
	names := make([]string, 0, len(c.InitialCluster))
	for n := range c.InitialCluster {
		names = append(names, n)
	}
	sort.Strings(names)
	out := make([]server.MemberInfo, 0, len(names))
	for _, n := range names {
		urls := c.InitialCluster[n]
		out = append(out, server.MemberInfo{ID: server.MemberID(urls, c.ClusterToken, 0), Name: n, PeerURLs: slices.Clone(urls)})
	}
	return out
}

// selfID is this member's ID: etcd's, from its advertised peer URLs and
// the cluster token.
func (c Config) selfID() raft.NodeID {
	return server.MemberID(c.AdvertisePeerURLs, c.ClusterToken, 0)
}
