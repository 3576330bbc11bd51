package bolt

// Every limit and tuning knob of the bbolt backend, in one place, with etcd's
// values (etcd: server/storage/backend) where etcd has one.

import "time"

const (
	// DefaultInitialMmapBytes is how much of the address space bbolt maps
	// for the file up front. bbolt must re-map when the file outgrows its
	// mapping, and a re-map waits for every open read transaction to end; a
	// large first mapping makes that rare. It costs address space, not
	// memory. etcd: initialMmapSize = 10 GiB
	// (--experimental-initial-mmap-size).
	DefaultInitialMmapBytes = 10 << 30

	// DefaultOpenTimeout is how long Open waits for another process to
	// release its lock on the file before it gives up with ErrLocked.
	// (etcd sets none, because it locks the data directory itself first;
	// etcdlab's choice.)
	DefaultOpenTimeout = 1 * time.Second

	// seqFillPercent is how full SeqPut and Defrag pack a page: pages left of
	// an append-only key never change again, so half-empty pages would be
	// wasted for good. etcd: UnsafeSeqPut and defragdb set FillPercent 0.9.
	seqFillPercent = 0.9

	// defragPutsPerTx bounds the puts of one write transaction of Defrag's
	// copy, so that the copy of a large file does not hold every dirty node
	// in memory at once. etcd: defragLimit = 10000.
	defragPutsPerTx = 10_000

	// fileMode is the permission of the files the backend creates. etcd:
	// fileutil.PrivateFileMode.
	fileMode = 0o600

	// maxReportedProblems bounds the findings of bbolt's consistency check
	// that the error of a refused snapshot lists.
	maxReportedProblems = 5
)
