package mvcc

// The Store: the key index in memory, the key/values in the backend, and the
// two revisions that frame history — the current revision (the last write)
// and the compact revision (below which history is gone).
//
// Backend layout (etcd: mvcc/buckets):
//
//	bucket "key":  revBytes(main,sub)[+'t'] -> CBOR(KeyValue)  every change, in revision order
//	bucket "meta": "consistent_index", "term"                    the last applied Raft entry
//	               "scheduledCompactRev", "finishedCompactRev"   compaction progress
//
// Everything the index holds can be rebuilt from bucket "key": New does so
// when it opens a backend that already has data — which is how a store is
// restored from a backend snapshot.

import (
	"encoding/binary"
	"fmt"

	"github.com/etcdlab/etcdlab/core/backend"
)

const (
	keyBucket  = "key"
	metaBucket = "meta"
)

var (
	consistentIndexKey  = []byte("consistent_index")
	termKey             = []byte("term")
	scheduledCompactKey = []byte("scheduledCompactRev")
	finishedCompactKey  = []byte("finishedCompactRev")
)

// Lessor is what the store needs from the lease layer (core/lease): whether
// a lease exists, and to be told which keys are attached to which lease
// (etcd: mvcc calls lease.Lessor.Attach/Detach as it writes). A nil Lessor
// accepts every lease ID. LeaseOf names the lease a key is attached to (0
// for none), so that overwriting a key need not read its old value from
// the backend (etcd: storeTxnWrite.put asks lessor.GetLease).
type Lessor interface {
	Exists(lease int64) bool
	Attach(lease int64, key []byte)
	Detach(lease int64, key []byte)
	LeaseOf(key []byte) int64
}

// Config configures a Store.
type Config struct {
	Lessor Lessor
	// MaxWatchResponseBytes bounds one watch response of a watcher that
	// asked for fragmenting (0: core.MaxRequestBytes, as etcd uses
	// --max-request-bytes).
	MaxWatchResponseBytes int
	// MaxTxnOps bounds the compares and the operations of each branch of
	// a Txn (etcd: --max-txn-ops): 0 means core.MaxTxnOps, NoTxnOpsLimit
	// turns the count off. A server that admits txns against its own
	// limit applies what the log holds without counting again, as etcd
	// does: members with different limits then apply the same log alike.
	MaxTxnOps int
}

// NoTxnOpsLimit, as Config.MaxTxnOps, leaves a Txn's operations uncounted.
const NoTxnOpsLimit = -1

// Store is the revisioned key space. Not safe for concurrent use.
type Store struct {
	b                     backend.Backend
	index                 *treeIndex
	currentRev            int64 // the revision of the last change; 1 on a fresh store
	compactRev            int64 // the last compaction's revision; -1 if never compacted
	consistentIndex, term uint64
	lessor                Lessor
	hub                   *hub
	maxTxnOps             int // Config.MaxTxnOps, math.MaxInt for no limit
}

// New opens the store kept in b: a fresh store if b is empty, otherwise the
// store b holds, its key index rebuilt from bucket "key".
func New(b backend.Backend, cfg Config) (*Store, error) {
	s := &Store{b: b, index: newTreeIndex(), currentRev: 1, compactRev: -1, lessor: cfg.Lessor, maxTxnOps: txnOpsLimit(cfg.MaxTxnOps)}
	s.hub = newHub(s, cfg.MaxWatchResponseBytes)
	tx := b.BeginWrite()
	for _, name := range []string{keyBucket, metaBucket} {
		if err := tx.CreateBucket(name); err != nil {
			tx.Rollback()
			return nil, fmt.Errorf("mvcc: opening the backend: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("mvcc: opening the backend: %w", err)
	}
	s.restore()
	return s, nil
}

// Rev is the current revision.
func (s *Store) Rev() int64 { return s.currentRev }

// CompactRev is the revision of the last compaction, -1 if none.
func (s *Store) CompactRev() int64 { return s.compactRev }

// Backend is the backend the store writes to.
func (s *Store) Backend() backend.Backend { return s.b }

// ConsistentIndex returns the last applied Raft index and its term, as
// persisted with the store's data (etcd: cindex).
func (s *Store) ConsistentIndex() (index, term uint64) {
	return s.consistentIndex, s.term
}

// SetConsistentIndex records the Raft entry being applied. It is persisted
// with the next write transaction (or Commit), atomically with the data, so
// that after a restart the server knows which entries the backend holds.
func (s *Store) SetConsistentIndex(index, term uint64) {
	s.consistentIndex, s.term = index, term
}

// Commit persists the consistent index even if no write follows.
func (s *Store) Commit() {
	tx := s.b.BeginWrite()
	s.writeMeta(tx)
	mustCommit(tx)
}

// writeMeta stores the consistent index in the transaction.
func (s *Store) writeMeta(tx backend.WriteTx) {
	mustOK(tx.Put(metaBucket, consistentIndexKey, binary.BigEndian.AppendUint64(nil, s.consistentIndex)))
	mustOK(tx.Put(metaBucket, termKey, binary.BigEndian.AppendUint64(nil, s.term)))
}

// restore rebuilds the key index and the revisions from the backend (etcd:
// store.restore), and finishes a compaction that was scheduled but not
// finished.
func (s *Store) restore() {
	tx := s.b.BeginRead()
	if v := tx.Get(metaBucket, consistentIndexKey); len(v) == 8 {
		s.consistentIndex = binary.BigEndian.Uint64(v)
	}
	if v := tx.Get(metaBucket, termKey); len(v) == 8 {
		s.term = binary.BigEndian.Uint64(v)
	}
	finished, scheduled := int64(-1), int64(-1)
	if v := tx.Get(metaBucket, finishedCompactKey); v != nil {
		finished = bytesRev(v).Main
	}
	if v := tx.Get(metaBucket, scheduledCompactKey); v != nil {
		scheduled = bytesRev(v).Main
	}
	leases := map[string]int64{}
	err := tx.ForEach(keyBucket, func(k, v []byte) error {
		s.restoreChange(k, v, leases)
		return nil
	})
	tx.Rollback()
	if err != nil {
		panic("mvcc.Store.restore: " + err.Error())
	}
	s.compactRev = finished
	s.currentRev = max(s.currentRev, s.compactRev)
	if scheduled > finished {
		s.compact(scheduled)
	}
	s.reattachLeases(leases)
}

// restoreChange replays one change of bucket "key" into the index.
func (s *Store) restoreChange(k, v []byte, leases map[string]int64) {
	rev := bytesRev(k)
	kv := decodeKV(v)
	s.currentRev = max(s.currentRev, rev.Main)
	ki := s.index.keyIndex(kv.Key)
	switch {
	case isTombstone(k):
		if ki != nil {
			ki.tombstone(rev)
		}
		delete(leases, string(kv.Key))
		return
	case ki != nil:
		ki.put(rev)
	default:
		ki = newKeyIndex(kv.Key)
		ki.restore(Revision{Main: kv.CreateRevision}, rev, kv.Version)
		s.index.tree.ReplaceOrInsert(ki)
	}
	if kv.Lease != 0 {
		leases[string(kv.Key)] = kv.Lease
	} else {
		delete(leases, string(kv.Key))
	}
}

// reattachLeases tells the lessor, in key order, which keys hold a lease.
func (s *Store) reattachLeases(leases map[string]int64) {
	if s.lessor == nil {
		return
	}
	s.index.tree.Ascend(func(ki *keyIndex) bool {
		if lease, ok := leases[string(ki.key)]; ok {
			s.lessor.Attach(lease, ki.key)
		}
		return true
	})
}

func mustOK(err error) {
	if err != nil {
		panic("mvcc: backend write failed: " + err.Error())
	}
}

func mustCommit(tx backend.WriteTx) {
	if err := tx.Commit(); err != nil {
		panic("mvcc: backend commit failed: " + err.Error())
	}
}

// ResetConsistentIndex deletes the consistent index and its term from tx,
// so that the backend's next owner records its own (a snapshot restore:
// core/server WipeIdentity).
func ResetConsistentIndex(tx backend.WriteTx) error {
	for _, k := range [][]byte{consistentIndexKey, termKey} {
		if err := tx.Delete(metaBucket, k); err != nil {
			return err
		}
	}
	return nil
}
