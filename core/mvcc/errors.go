package mvcc

// Errors, with etcd's messages: clients match on these strings (etcd's
// rpctypes turns the etcdserver ones into gRPC status errors with the same
// text; the mvcc ones get the "etcdserver: " prefix on the wire).

import "errors"

var (
	// ErrCompacted: the revision asked for was discarded by compaction.
	ErrCompacted = errors.New("mvcc: required revision has been compacted")
	// ErrFutureRev: the revision asked for has not happened yet.
	ErrFutureRev = errors.New("mvcc: required revision is a future revision")

	// ErrEmptyKey: a request without a key (etcd: ErrGRPCEmptyKey).
	ErrEmptyKey = errors.New("etcdserver: key is not provided")
	// ErrKeyNotFound: ignore_value / ignore_lease on a key that does not
	// exist, or an empty operation in a txn (etcd: ErrGRPCKeyNotFound).
	ErrKeyNotFound = errors.New("etcdserver: key not found")
	// ErrValueProvided: ignore_value together with a value.
	ErrValueProvided = errors.New("etcdserver: value is provided")
	// ErrLeaseProvided: ignore_lease together with a lease.
	ErrLeaseProvided = errors.New("etcdserver: lease is provided")
	// ErrTooManyOps: a txn with more than core.MaxTxnOps compares or
	// operations in one branch (etcd: --max-txn-ops).
	ErrTooManyOps = errors.New("etcdserver: too many operations in txn request")
	// ErrDuplicateKey: a txn writes the same key twice (put/put or a put
	// inside a deleted range) on one path.
	ErrDuplicateKey = errors.New("etcdserver: duplicate key given in txn request")
	// ErrLeaseNotFound: a put names a lease that is not granted.
	ErrLeaseNotFound = errors.New("etcdserver: requested lease not found")

	// ErrWatcherDuplicateID: a watch asked for an ID its stream already uses.
	ErrWatcherDuplicateID = errors.New("mvcc: duplicate watch ID provided on the WatchStream")
	// ErrEmptyWatcherRange: a watch whose range_end is not after its key.
	ErrEmptyWatcherRange = errors.New("mvcc: watcher range is empty")
	// ErrWatcherNotExist: cancel of a watch ID the stream does not have.
	ErrWatcherNotExist = errors.New("mvcc: watcher does not exist")
	// ErrStreamClosed: a call on a closed watch stream.
	ErrStreamClosed = errors.New("mvcc: watch stream is closed")
)
