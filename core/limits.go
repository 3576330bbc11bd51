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

	// DefaultAuthTokenTTLSeconds is how long a simple auth token lives
	// after its last use. etcd: --auth-token-ttl, 300 s.
	DefaultAuthTokenTTLSeconds = 300

	// MaxClusterSize bounds the simulator's cluster.
	MaxClusterSize = 9
)

// Leases (core/lease). etcd: server/lease/lessor.go and etcdserver's
// server.go, which sets the lessor's minimum TTL from the election timeout.
const (
	// DefaultHeartbeatIntervalMillis is one tick in wall-clock terms. etcd:
	// --heartbeat-interval=100ms. The lessor derives its default election
	// timeout (DefaultElectionTicks ticks of this) for the minimum lease TTL.
	DefaultHeartbeatIntervalMillis = 100

	// MaxLeaseTTLSeconds is the largest TTL a lease may be granted. etcd:
	// MaxLeaseTTL = 9,000,000,000 s (about 285 years).
	MaxLeaseTTLSeconds = 9_000_000_000

	// LeaseRevokeRate bounds how many expired leases the leader revokes per
	// second, so that a pile of leases expiring together (say, after a long
	// partition) does not flood the Raft log with revokes. etcd:
	// leaseRevokeRate = 1000.
	LeaseRevokeRate = 1000

	// LeaseLoopIntervalMillis is how often the leader asks its lessor for
	// expired leases and due checkpoints. etcd: the lessor's runLoop wakes
	// every 500 ms.
	LeaseLoopIntervalMillis = 500

	// MaxExpiredLeasesPerCall bounds one lessor.ExpiredLeases answer: the
	// revoke rate times the loop interval, so that a caller polling every
	// LeaseLoopIntervalMillis revokes at most LeaseRevokeRate per second.
	// etcd: revokeLimit = leaseRevokeRate / 2.
	MaxExpiredLeasesPerCall = LeaseRevokeRate * LeaseLoopIntervalMillis / 1000

	// LeaseExpiredRetryMillis is how long the leader waits for the revoke of
	// an expired lease to apply before it offers the lease for revoke again
	// (the proposal may have been lost in a leader change). etcd:
	// defaultExpiredleaseRetryInterval = 3 s.
	LeaseExpiredRetryMillis = 3_000

	// DefaultLeaseCheckpointIntervalSeconds is how often the leader records a
	// lease's remaining TTL in the Raft log. etcd:
	// defaultLeaseCheckpointInterval = 5 min.
	DefaultLeaseCheckpointIntervalSeconds = 300

	// MaxLeaseCheckpointBatch bounds the checkpoints in one Raft entry. etcd:
	// maxLeaseCheckpointBatchSize = 1000.
	MaxLeaseCheckpointBatch = 1000

	// LeaseCheckpointRate bounds checkpoints recorded per second: a caller
	// polling every LeaseLoopIntervalMillis takes at most
	// LeaseCheckpointRate/2 full batches per poll. etcd:
	// leaseCheckpointRate = 1000.
	LeaseCheckpointRate = 1000
)

// Storage and watch limits (core/backend, core/mvcc).
const (
	// BackendPageBytes is the page size of the backend's B+tree file. bbolt:
	// the OS page size, 4096 on linux/amd64.
	BackendPageBytes = 4096

	// BackendMaxKeyBytes bounds one backend key. bbolt: MaxKeySize = 32768.
	BackendMaxKeyBytes = 32768

	// WatchStreamBufferResponses bounds the responses a watch stream holds
	// for its consumer; a watcher whose response does not fit becomes a
	// victim and catches up later. etcd: chanBufLen = 128.
	WatchStreamBufferResponses = 128

	// WatchBatchMaxRevisions bounds the revisions a catching-up watcher
	// receives in one response. etcd: watchBatchMaxRevs = 1000.
	WatchBatchMaxRevisions = 1000

	// MaxWatchersPerSync bounds the unsynced watchers one SyncWatchers call
	// catches up. etcd: maxWatchersPerSync = 512.
	MaxWatchersPerSync = 512
)

// Raft (core/raft).
const (
	// MaxSnapshotChunksInflight bounds the InstallSnapshot chunks a leader
	// has in flight to one follower (etcdlab's own: etcd streams a snapshot
	// over one HTTP body instead).
	MaxSnapshotChunksInflight = 4
)

// The replicated state machine (core/server). etcd: server/etcdserver.
const (
	// RequestTimeoutBaseMillis is the fixed part of how long a request may
	// wait to be committed and applied; the member adds twice its election
	// timeout. etcd: ServerConfig.ReqTimeout = 5s + 2 × election timeout.
	RequestTimeoutBaseMillis = 5_000

	// MaxGapBetweenApplyAndCommitIndex: a member whose applying lags its
	// commit index by more refuses new requests ("too many requests").
	// etcd: maxGapBetweenApplyAndCommitIndex = 5000.
	MaxGapBetweenApplyAndCommitIndex = 5_000

	// MaxLearners bounds the learner members of a cluster. etcd:
	// membership.maxLearners = 1.
	MaxLearners = 1

	// QuotaKVOverheadBytes and QuotaLeaseOverheadBytes estimate what one
	// put and one lease add to the backend, for the quota check. etcd:
	// quota.go kvOverhead = 256, leaseOverhead = 64.
	QuotaKVOverheadBytes    = 256
	QuotaLeaseOverheadBytes = 64

	// RevisionCompactionIntervalSeconds: in revision mode the leader
	// compacts every 5 minutes. etcd: v3compactor revInterval = 5 min.
	RevisionCompactionIntervalSeconds = 300

	// PeriodicCompactionMaxIntervalSeconds caps the interval of periodic
	// auto-compaction: a retention of an hour or more compacts every hour.
	// etcd: v3compactor Periodic.getCompactInterval.
	PeriodicCompactionMaxIntervalSeconds = 3_600

	// PeriodicCompactionSamplesPerInterval: periodic auto-compaction
	// records the revision this many times per compaction interval. etcd:
	// v3compactor retryDivisor = 10.
	PeriodicCompactionSamplesPerInterval = 10
)

// The batched backend commit of a member with server.Config.BatchApply
// (core/server batch.go): applied entries stay in one open backend
// transaction until one of these limits is reached.
const (
	// BackendBatchIntervalMillis: commit at least this often, in logical
	// milliseconds. etcd: --backend-batch-interval, 100 ms.
	BackendBatchIntervalMillis = 100
	// BackendBatchLimit: commit after this many applied entries. etcd:
	// --backend-batch-limit, 10,000 writes.
	BackendBatchLimit = 10_000
)
