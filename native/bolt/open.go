package bolt

// Opening and closing the file. Open checks the file's header first
// (header.go), so that a damaged or truncated file is refused with a message
// instead of a crash, then hands it to bbolt with etcd's options, and turns
// bbolt's terse errors ("timeout", "invalid database") into ones an operator
// can act on.
//
// Interface:
//
//	Open(path, opts)   open or create the file; ErrLocked, ErrCorrupt
//	(*Backend).Close   release the file and its lock
//	(*Backend).Path    where the file is

import (
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core"
	bbolt "go.etcd.io/bbolt"
	bolterrors "go.etcd.io/bbolt/errors"
)

// Operating errors of Open, Defrag and Restore. They are wrapped with the
// path and what to do; test with errors.Is.
var (
	// ErrLocked: another process (or another Open in this one) holds the
	// file's lock.
	ErrLocked = errors.New("bolt: database is in use")
	// ErrCorrupt: the file is not a bbolt file, or is damaged or truncated.
	ErrCorrupt = errors.New("bolt: database file is corrupt")
	// ErrClosed: the Backend was closed.
	ErrClosed = errors.New("bolt: backend is closed")
)

// corruptAdvice is what an operator can do about a corrupt file.
const corruptAdvice = "restore the member from a snapshot, or remove it and add it to the cluster again"

// Options tune Open. The zero value (or nil) gives etcd's settings.
type Options struct {
	// InitialMmapBytes is the size of bbolt's first memory map; 0 means
	// DefaultInitialMmapBytes.
	InitialMmapBytes int
	// OpenTimeout bounds the wait for another holder of the file's lock; 0
	// means DefaultOpenTimeout.
	OpenTimeout time.Duration
}

// boltOptions are the options every file of this backend is opened with.
// Durability is not optional: NoSync and NoGrowSync stay false, so a
// returned Commit is on disk (etcd: --unsafe-no-fsync, off by default).
func (o *Options) boltOptions() *bbolt.Options {
	opts := Options{}
	if o != nil {
		opts = *o
	}
	if opts.InitialMmapBytes <= 0 {
		opts.InitialMmapBytes = DefaultInitialMmapBytes
	}
	if opts.OpenTimeout <= 0 {
		opts.OpenTimeout = DefaultOpenTimeout
	}
	return &bbolt.Options{
		Timeout:         opts.OpenTimeout,
		InitialMmapSize: opts.InitialMmapBytes,
		// etcd: --experimental-backend-bbolt-freelist-type=map. A hashmap
		// freelist allocates in O(1) where the array one scans.
		FreelistType: bbolt.FreelistMapType,
		PageSize:     core.BackendPageBytes,
	}
}

// Open opens the bbolt file at path, creating it if it does not exist.
func Open(path string, opts *Options) (*Backend, error) {
	bopts := opts.boltOptions()
	db, err := openFile(path, bopts)
	if err != nil {
		return nil, err
	}
	b := &Backend{path: path, opts: bopts, db: db, readers: map[*bbolt.DB]int{}}
	b.size.Store(highWater(db))
	return b, nil
}

// openFile checks and opens one bbolt file.
func openFile(path string, bopts *bbolt.Options) (*bbolt.DB, error) {
	if err := checkHeader(path); err != nil {
		return nil, fmt.Errorf("%w: %s: %v; %s", ErrCorrupt, path, err, corruptAdvice)
	}
	db, err := bbolt.Open(path, fileMode, bopts)
	switch {
	case err == nil:
		return db, nil
	case errors.Is(err, bolterrors.ErrTimeout):
		return nil, fmt.Errorf("%w: %s is locked by another process (waited %v); stop the other member that uses this data directory, or point this one at its own", ErrLocked, path, bopts.Timeout)
	case errors.Is(err, bolterrors.ErrInvalid), errors.Is(err, bolterrors.ErrChecksum), errors.Is(err, bolterrors.ErrVersionMismatch):
		return nil, fmt.Errorf("%w: %s: %v; %s", ErrCorrupt, path, err, corruptAdvice)
	default:
		return nil, fmt.Errorf("bolt: opening %s: %w", path, err)
	}
}

// Close releases the file and its lock. It refuses while a transaction is
// open: closing under a reader would wait for it forever if that reader
// belongs to the caller (bbolt's Close waits for all readers).
func (b *Backend) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.closed {
		return nil
	}
	if b.writer != nil {
		return fmt.Errorf("bolt: closing %s: a write transaction is open; commit or roll it back first", b.path)
	}
	if n := b.openReaders(); n > 0 {
		return fmt.Errorf("bolt: closing %s: %d read transactions are open; roll them back first", b.path, n)
	}
	b.closed = true
	return b.db.Close()
}

// Path is the path of the file.
func (b *Backend) Path() string { return b.path }

// openReaders counts open read transactions on every generation of the file.
// b.mu must be held.
func (b *Backend) openReaders() int {
	n := 0
	for _, c := range b.readers {
		n += c
	}
	return n
}
