package core

// Every limit of the core, in one place, with etcd's defaults where etcd has
// one (the etcd flag or constant is named beside each).

const (
	// DefaultElectionTicks is the election timeout in ticks. etcd:
	// --election-timeout=1000ms with --heartbeat-interval=100ms, so 10 ticks.
	DefaultElectionTicks = 10

	// DefaultHeartbeatTicks is the heartbeat interval in ticks (one tick is
	// one heartbeat interval, as in etcd).
	DefaultHeartbeatTicks = 1

	// DefaultSnapshotCount is how many applied entries trigger a state
	// snapshot. etcd: --snapshot-count, 100,000 since v3.2.
	DefaultSnapshotCount = 100_000

	// DefaultSnapshotCatchUpEntries is how many entries the log keeps behind a
	// snapshot so that a slow follower can catch up without one. etcd:
	// SnapshotCatchUpEntries = 5000.
	DefaultSnapshotCatchUpEntries = 5_000

	// MaxInflightMsgs bounds the append messages a leader has in flight to one
	// follower in the replicate state. etcd: maxInflightMsgs = 4096/8 = 512.
	MaxInflightMsgs = 512

	// MaxSizePerMsg bounds the bytes of entries in one append message. etcd:
	// maxSizePerMsg = 1 MiB.
	MaxSizePerMsg = 1 << 20

	// SnapshotChunkBytes is the size of one InstallSnapshot chunk.
	SnapshotChunkBytes = 64 << 10

	// MaxRequestBytes bounds one client request. etcd: --max-request-bytes,
	// 1.5 MiB.
	MaxRequestBytes = 1536 * 1024

	// MaxTxnOps bounds the operations in one transaction. etcd:
	// --max-txn-ops, 128.
	MaxTxnOps = 128

	// DefaultQuotaBackendBytes is the backend size that raises the NOSPACE
	// alarm. etcd: --quota-backend-bytes, 2 GiB.
	DefaultQuotaBackendBytes = 2 << 30

	// MaxClusterSize bounds the simulator's cluster.
	MaxClusterSize = 9
)
