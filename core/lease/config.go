package lease

// Config builds a Lessor. The zero value of every duration means etcd's
// default (core/limits.go); Rand is required, because it is how the lessor
// picks lease IDs without global randomness.

import (
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Config is the lessor's tuning. Durations are logical time.
type Config struct {
	// ElectionTimeout is the cluster's election timeout as a duration
	// (election ticks × heartbeat interval). It sets the minimum TTL: a
	// lease must outlive a leader election, or every leader change would
	// expire short leases (etcd: minLeaseTTL = ceil((3×electionTicks/2) ×
	// heartbeat), in seconds). Zero means etcd's 10 × 100 ms = 1 s.
	ElectionTimeout time.Duration

	// Rand picks lease IDs for Grant(0, ...). It must not be nil.
	Rand *rng.Source

	// EnableCheckpoints turns lease checkpointing on (etcd:
	// --experimental-enable-lease-checkpoint in v3.4/3.5, the LeaseCheckpoint
	// feature gate in v3.6 — off by default in all three).
	EnableCheckpoints bool
	// CheckpointInterval is how long after a lease's last checkpoint (or
	// grant, or promotion) the leader records its remaining TTL again.
	// Zero means core.DefaultLeaseCheckpointIntervalSeconds.
	CheckpointInterval time.Duration

	// ExpiredRetryInterval is how long a lease offered for revoke waits
	// before it is offered again. Zero means core.LeaseExpiredRetryMillis.
	ExpiredRetryInterval time.Duration

	// RecordEvents makes the lessor keep a trace of Events for TakeEvents.
	// Off, nothing is kept (so an undrained trace cannot grow).
	RecordEvents bool
}

// withDefaults returns c with every zero duration set to etcd's default.
func (c Config) withDefaults() Config {
	if c.ElectionTimeout == 0 {
		c.ElectionTimeout = core.DefaultElectionTicks * core.DefaultHeartbeatIntervalMillis * time.Millisecond
	}
	if c.CheckpointInterval == 0 {
		c.CheckpointInterval = core.DefaultLeaseCheckpointIntervalSeconds * time.Second
	}
	if c.ExpiredRetryInterval == 0 {
		c.ExpiredRetryInterval = core.LeaseExpiredRetryMillis * time.Millisecond
	}
	return c
}

// validate returns an error a user can act on for a config that cannot run.
func (c Config) validate() error {
	switch {
	case c.Rand == nil:
		return errors.New("lease: config: Rand must be a seeded source")
	case c.ElectionTimeout < 0:
		return fmt.Errorf("lease: config: ElectionTimeout (%v) must not be negative", c.ElectionTimeout)
	case c.CheckpointInterval < time.Second:
		return fmt.Errorf("lease: config: CheckpointInterval (%v) must be at least 1s", c.CheckpointInterval)
	case c.ExpiredRetryInterval <= 0:
		return fmt.Errorf("lease: config: ExpiredRetryInterval (%v) must be positive", c.ExpiredRetryInterval)
	}
	return nil
}

// MinTTLSeconds is the shortest TTL a lease gets with this election timeout:
// one and a half election timeouts, rounded up to whole seconds. etcd
// (server.go): minTTL = (3×electionTicks)/2 heartbeats; MinLeaseTTL =
// ceil(minTTL in seconds). With etcd's defaults, 1.5 s rounds up to 2 s.
func MinTTLSeconds(electionTimeout time.Duration) int64 {
	return ceilSeconds(3 * electionTimeout / 2)
}

// ceilSeconds rounds a non-negative duration up to whole seconds.
func ceilSeconds(d time.Duration) int64 {
	if d <= 0 {
		return 0
	}
	return int64((d + time.Second - 1) / time.Second)
}
