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

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
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
	MaxSnapshots            int // snapshot files kept (etcd: --max-snapshots, 5)

	// PeerServerTLS / PeerClientTLS secure the peer transport (nil: plain
	// http); ClientTLS is used to dial other members' client URLs.
	PeerServerTLS *tls.Config
	PeerClientTLS *tls.Config
	ClientTLS     *tls.Config

	Logger *slog.Logger
}

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
		c.MaxSnapshots = 5
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
