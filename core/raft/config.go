package raft

import (
	"errors"
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/rng"
)

// Config builds a Node. The zero value of every tuning field means etcd's
// default (core/limits.go); PreVote and CheckQuorum are on unless disabled,
// as in etcd 3.5+.
type Config struct {
	// ID is this node's identity; it must not be None.
	ID NodeID

	// ElectionTicks is the election timeout T: a follower that hears no
	// leader for a randomized timeout in [T, 2T) ticks campaigns (Raft §5.2).
	ElectionTicks int
	// HeartbeatTicks is how often a leader sends heartbeats; must be less
	// than ElectionTicks.
	HeartbeatTicks int

	// Rand is the seeded source for the randomized election timeout. It must
	// not be nil: randomness only enters the core this way.
	Rand *rng.Source

	// DisablePreVote turns PreVote (thesis §9.6) off.
	DisablePreVote bool
	// DisableCheckQuorum turns CheckQuorum (thesis §6.2) off: a leader then
	// never steps down for lack of contact, and voters do not ignore vote
	// requests while they hear from a leader.
	DisableCheckQuorum bool

	// MaxSizePerMsg bounds the entry bytes in one MsgApp.
	MaxSizePerMsg uint64
	// MaxInflightMsgs bounds unacknowledged MsgApp per follower.
	MaxInflightMsgs int
	// SnapshotChunkBytes is the size of one MsgSnap chunk.
	SnapshotChunkBytes int

	// Bootstrap is the initial membership of a brand-new cluster: a node
	// with no persisted state writes these changes as committed entries
	// 1..len(Bootstrap) of term 1, so that every member — and any member that
	// joins later and replays the log — learns the same initial
	// configuration (as etcd bootstraps). Ignored when restarting. Empty for
	// a node that joins a running cluster: it learns the membership from the
	// leader.
	//
	// A bootstrap member that crashed before persisting anything must be
	// given its Bootstrap again (a daemon with an empty data dir
	// bootstraps anew): started empty, it would learn the initial
	// membership from the leader one applied entry at a time, and n1, having
	// applied "add voter n1" alone, would believe itself the only voter and
	// elect itself (the adversarial test found this with a caller that
	// forgot).
	Bootstrap []ConfChange

	// The persisted state to restart from; all empty for a new node.
	HardState HardState
	Snapshot  *Snapshot
	Entries   []Entry // the entries after Snapshot, in order
	// Applied is the last index the application applied durably (etcd: the
	// consistent index). Raft re-delivers committed entries after it. It is
	// at least Snapshot.Meta.Index and at most HardState.Commit.
	Applied uint64
}

// withDefaults returns c with every zero tuning field set to etcd's default.
func (c Config) withDefaults() Config {
	if c.ElectionTicks == 0 {
		c.ElectionTicks = core.DefaultElectionTicks
	}
	if c.HeartbeatTicks == 0 {
		c.HeartbeatTicks = core.DefaultHeartbeatTicks
	}
	if c.MaxSizePerMsg == 0 {
		c.MaxSizePerMsg = core.MaxSizePerMsg
	}
	if c.MaxInflightMsgs == 0 {
		c.MaxInflightMsgs = core.MaxInflightMsgs
	}
	if c.SnapshotChunkBytes == 0 {
		c.SnapshotChunkBytes = core.SnapshotChunkBytes
	}
	return c
}

// validate returns an error a user can act on for a config that cannot run.
func (c Config) validate() error {
	switch {
	case c.ID == None:
		return errors.New("raft: config: ID must not be 0")
	case c.Rand == nil:
		return errors.New("raft: config: Rand must be a seeded source")
	case c.HeartbeatTicks <= 0:
		return errors.New("raft: config: HeartbeatTicks must be positive")
	case c.ElectionTicks <= c.HeartbeatTicks:
		return fmt.Errorf("raft: config: ElectionTicks (%d) must be greater than HeartbeatTicks (%d)", c.ElectionTicks, c.HeartbeatTicks)
	case c.MaxInflightMsgs <= 0:
		return errors.New("raft: config: MaxInflightMsgs must be positive")
	case c.SnapshotChunkBytes <= 0:
		return errors.New("raft: config: SnapshotChunkBytes must be positive")
	}
	if c.Snapshot != nil && c.Applied < c.Snapshot.Meta.Index {
		return fmt.Errorf("raft: config: Applied (%d) is behind the snapshot (%d)", c.Applied, c.Snapshot.Meta.Index)
	}
	if c.Applied > c.HardState.Commit && !(c.Snapshot != nil && c.Applied == c.Snapshot.Meta.Index) {
		return fmt.Errorf("raft: config: Applied (%d) is beyond the commit index (%d)", c.Applied, c.HardState.Commit)
	}
	return nil
}

func (c Config) isPreVote() bool     { return !c.DisablePreVote }
func (c Config) isCheckQuorum() bool { return !c.DisableCheckQuorum }
