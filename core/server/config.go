package server

// Config builds a Member. The zero value of every tuning field means
// etcd's default (core/limits.go); the names follow etcd's flags
// (--snapshot-count, --quota-backend-bytes, --auto-compaction-mode ...).

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Auto-compaction modes (etcd: --auto-compaction-mode).
const (
	CompactionPeriodic = "periodic"
	CompactionRevision = "revision"
)

// Config describes one member.
type Config struct {
	// ID is this member's ID (MemberID computes etcd's); Name is its name.
	ID   raft.NodeID
	Name string
	// ClusterToken is --initial-cluster-token: it goes into member IDs.
	ClusterToken string
	// InitialCluster lists every member of a brand-new cluster (the same
	// list on every member, this one included). Empty when the member
	// restarts or joins a running cluster: it then learns the membership
	// from the log or a snapshot.
	InitialCluster []MemberInfo

	// Backend holds the key space and the member's other durable state. It
	// is the member's from now on: a snapshot install may replace it
	// (Member.Backend returns the current one).
	Backend backend.Backend
	// RestoreBackend builds a backend from a snapshot's backend stream
	// (Backend.WriteTo). Nil means backend.Restore (an in-memory backend).
	RestoreBackend func(data []byte) (backend.Backend, error)

	// BatchApply applies all the committed entries of one Ready in ONE
	// backend commit (one fsync on bbolt) instead of one commit per entry.
	// The daemon sets it; the simulator leaves it off so that its page map
	// shows each entry's commit (batch.go).
	BatchApply bool

	// Rand is the seeded source for Raft's election timeouts and lease IDs.
	Rand *rng.Source

	// TickMillis is one tick in logical milliseconds (etcd:
	// --heartbeat-interval, 100). The member's clock is ticks × TickMillis.
	TickMillis int
	// ElectionTicks and HeartbeatTicks tune Raft (etcd: --election-timeout
	// / --heartbeat-interval, 10 and 1).
	ElectionTicks, HeartbeatTicks      int
	DisablePreVote, DisableCheckQuorum bool

	// SnapshotCount: a state snapshot every this many applied entries;
	// SnapshotCatchUpEntries: entries kept in the log behind it.
	SnapshotCount          uint64
	SnapshotCatchUpEntries uint64
	// ThinSnapshots keeps the backend out of those snapshots, as etcd
	// does: they only mark where the log was compacted, and the leader
	// encodes a full one when a follower needs it (snapshot.go). Only for
	// a backend that is durable on its own (the daemon's bbolt).
	ThinSnapshots bool

	// QuotaBackendBytes raises the NOSPACE alarm (0: 2 GiB; negative: no
	// quota).
	QuotaBackendBytes int64

	// MaxRequestBytes bounds one client request as proposed (etcd:
	// --max-request-bytes; 0: core.MaxRequestBytes); MaxTxnOps bounds the
	// compares and the operations of each branch of a txn (etcd:
	// --max-txn-ops; 0: core.MaxTxnOps). Both may be raised above the
	// defaults as well as lowered. They are checked when a request is
	// admitted, never when an entry is applied, so that members with
	// different limits apply the same log alike (etcd checks them in front
	// of Raft, in v3rpc and in processInternalRaftRequestOnce).
	MaxRequestBytes int
	MaxTxnOps       int

	// AutoCompactionMode is "", "periodic" or "revision";
	// AutoCompactionRetention is etcd's flag value: a duration ("30m", or
	// a bare number of hours, "1") in periodic mode, a number of revisions
	// in revision mode. "0" or "" disables auto-compaction.
	AutoCompactionMode      string
	AutoCompactionRetention string

	// EnableLeaseCheckpoint turns on lease checkpoints (etcd:
	// --experimental-enable-lease-checkpoint); LeaseCheckpointInterval
	// defaults to 5 minutes.
	EnableLeaseCheckpoint   bool
	LeaseCheckpointInterval time.Duration

	// AuthTokenTTL is how long a simple token lives after its last use
	// (etcd: --auth-token-ttl; 0: 300 s), counted in this member's ticks.
	AuthTokenTTL time.Duration

	// The persisted Raft state to restart from; all empty for a new member.
	HardState raft.HardState
	Snapshot  *raft.Snapshot
	Entries   []raft.Entry
}

// withDefaults returns c with every zero tuning field set.
func (c Config) withDefaults() Config {
	if c.TickMillis == 0 {
		c.TickMillis = core.DefaultHeartbeatIntervalMillis
	}
	if c.ElectionTicks == 0 {
		c.ElectionTicks = core.DefaultElectionTicks
	}
	if c.HeartbeatTicks == 0 {
		c.HeartbeatTicks = core.DefaultHeartbeatTicks
	}
	if c.SnapshotCount == 0 {
		c.SnapshotCount = core.DefaultSnapshotCount
	}
	if c.SnapshotCatchUpEntries == 0 {
		c.SnapshotCatchUpEntries = core.DefaultSnapshotCatchUpEntries
	}
	if c.QuotaBackendBytes == 0 {
		c.QuotaBackendBytes = core.DefaultQuotaBackendBytes
	}
	if c.MaxRequestBytes == 0 {
		c.MaxRequestBytes = core.MaxRequestBytes
	}
	if c.MaxTxnOps == 0 {
		c.MaxTxnOps = core.MaxTxnOps
	}
	if c.AuthTokenTTL <= 0 {
		c.AuthTokenTTL = auth.DefaultTokenTTLSeconds * time.Second
	}
	if c.RestoreBackend == nil {
		c.RestoreBackend = func(data []byte) (backend.Backend, error) {
			return backend.Restore(bytes.NewReader(data))
		}
	}
	return c
}

// validate returns an error a user can act on for a config that cannot run.
func (c Config) validate() error {
	switch {
	case c.ID == raft.None:
		return errors.New("server: config: ID must not be 0")
	case c.Backend == nil:
		return errors.New("server: config: Backend is required (backend.NewMemory() in the simulator)")
	case c.Rand == nil:
		return errors.New("server: config: Rand must be a seeded source")
	case c.TickMillis <= 0:
		return fmt.Errorf("server: config: TickMillis must be positive, got %d", c.TickMillis)
	case c.MaxRequestBytes < 0 || c.MaxTxnOps < 0:
		return fmt.Errorf("server: config: MaxRequestBytes (%d) and MaxTxnOps (%d) must not be negative", c.MaxRequestBytes, c.MaxTxnOps)
	}
	if len(c.InitialCluster) > 0 && !containsMember(c.InitialCluster, c.ID) {
		return fmt.Errorf("server: config: InitialCluster does not list this member (%x)", uint64(c.ID))
	}
	_, err := newAutoCompactor(c.AutoCompactionMode, c.AutoCompactionRetention)
	return err
}

// tick is one tick as a duration of logical time.
func (c Config) tick() time.Duration { return time.Duration(c.TickMillis) * time.Millisecond }

// electionTimeout is the election timeout as a duration.
func (c Config) electionTimeout() time.Duration { return time.Duration(c.ElectionTicks) * c.tick() }

// requestTimeoutTicks is how long a request may wait (etcd: ReqTimeout =
// 5s + 2 × election timeout), in ticks.
func (c Config) requestTimeoutTicks() uint64 {
	d := core.RequestTimeoutBaseMillis*time.Millisecond + 2*c.electionTimeout()
	return uint64((d + c.tick() - 1) / c.tick())
}

// tokenTTLTicks is AuthTokenTTL in ticks, at least one.
func (c Config) tokenTTLTicks() uint64 {
	return max(1, uint64((c.AuthTokenTTL+c.tick()-1)/c.tick()))
}

// parseRetention reads --auto-compaction-retention for a mode (etcd:
// embed.Config: a bare number is hours in periodic mode, revisions in
// revision mode).
func parseRetention(mode, retention string) (time.Duration, int64, error) {
	if retention == "" {
		return 0, 0, nil
	}
	n, numErr := strconv.ParseInt(retention, 10, 64)
	switch mode {
	case CompactionRevision:
		if numErr != nil || n < 0 {
			return 0, 0, fmt.Errorf("server: config: revision retention %q must be a non-negative number of revisions", retention)
		}
		return 0, n, nil
	case CompactionPeriodic, "":
		if numErr == nil && n >= 0 {
			return time.Duration(n) * time.Hour, 0, nil
		}
		d, err := time.ParseDuration(retention)
		if err != nil || d < 0 {
			return 0, 0, fmt.Errorf("server: config: periodic retention %q must be a duration such as 30m or 1h", retention)
		}
		return d, 0, nil
	}
	return 0, 0, fmt.Errorf("server: config: auto-compaction mode %q must be %q or %q", mode, CompactionPeriodic, CompactionRevision)
}

func containsMember(ms []MemberInfo, id raft.NodeID) bool {
	for _, m := range ms {
		if m.ID == id {
			return true
		}
	}
	return false
}
