package wal

// The WAL value and its life cycle:
//
//	Create(dir, metadata) ──────────────────────────┐
//	                                                 v
//	Open(dir, snapshot) ──> ReadAll() ──> Save / SaveSnapshot / Release ──> Close
//	  (read mode)            (repairs a torn tail,   (append mode: only the
//	                          switches to append)     tail segment is written)
//
// A *WAL belongs to the daemon's one raft loop; its methods are serialized by
// a mutex but are not meant to be raced against each other.

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sync"

	"github.com/etcdlab/etcdlab/core/raft"
)

// Options tune a log; the zero value (or nil) means etcd's defaults.
type Options struct {
	// SegmentBytes is the size after which Save moves to a new segment
	// (0: SegmentSizeBytes). Tests make it small to exercise the cut.
	SegmentBytes int64
	// NoPreallocate turns off reserving SegmentBytes for each new segment.
	NoPreallocate bool
	// MaxFiles bounds the segment files Release keeps (etcd: --max-wals):
	// 0 means DefaultMaxFiles, a negative value keeps every file (etcd's
	// --max-wals=0, "unlimited"). See release.go.
	MaxFiles int
	// Logger receives what Release removes or has to keep (nil: nothing
	// is logged).
	Logger *slog.Logger
}

func (o *Options) withDefaults() Options {
	var c Options
	if o != nil {
		c = *o
	}
	if c.SegmentBytes <= 0 {
		c.SegmentBytes = SegmentSizeBytes
	}
	if c.MaxFiles == 0 {
		c.MaxFiles = DefaultMaxFiles
	}
	if c.Logger == nil {
		c.Logger = slog.New(slog.DiscardHandler)
	}
	return c
}

func (o Options) preallocBytes() int64 {
	if o.NoPreallocate {
		return 0
	}
	return o.SegmentBytes
}

// WAL is an open write-ahead log.
type WAL struct {
	mu   sync.Mutex // serializes every method
	dir  string
	opts Options
	lock *os.File // the locked directory; nil once closed

	// Read mode (between Open and ReadAll).
	start    raft.SnapshotMeta // the snapshot the caller restarts from
	segs     []segment         // every segment in dir, in order
	readFrom int               // position in segs where reading starts

	// Append mode (after Create or ReadAll). All fields describe the tail.
	tail      *os.File
	tailOff   int64  // end of the last record in the tail
	crc       uint32 // data CRC of the last record written
	lastIndex uint64 // index of the last entry (or snapshot) in the log
	metadata  []byte
	hardState raft.HardState // latest saved, repeated in each new segment
	buf       []byte         // reused encoding buffer
	err       error          // sticky: set when a write or sync failed

	repairs []Repair
}

// Create makes a new log in dir (created if missing, 0700) holding metadata,
// and returns it in append mode. A dir that already holds segments is an
// error: use Open.
func Create(dir string, metadata []byte, opts *Options) (*WAL, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("wal: create %s: %w", dir, err)
	}
	if err := syncDir(filepath.Dir(filepath.Clean(dir))); err != nil {
		return nil, err
	}
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	w := &WAL{dir: dir, opts: opts.withDefaults(), lock: lock, metadata: clone(metadata)}
	if err := w.create(); err != nil {
		lock.Close()
		return nil, err
	}
	return w, nil
}

// create writes segment 0: crc 0, metadata, and an empty snapshot marker so
// that Open at the empty snapshot finds its marker (as etcd's Create does).
func (w *WAL) create() error {
	segs, err := listSegments(w.dir)
	if err != nil {
		return err
	}
	if len(segs) > 0 {
		return fmt.Errorf("%w in %s", ErrExists, w.dir)
	}
	if err := removeTempFiles(w.dir); err != nil {
		return err
	}
	header, crc := appendRecord(nil, recordCRC, marshal(uint32(0)), 0)
	header, crc = appendRecord(header, recordMetadata, w.metadata, crc)
	header, crc = appendRecord(header, recordSnapshot, marshal(raft.SnapshotMeta{}), crc)
	f, err := writeSegmentFile(w.dir, segment{}, header, w.opts.preallocBytes())
	if err != nil {
		return err
	}
	w.segs = []segment{{}}
	w.tail, w.tailOff, w.crc = f, int64(len(header)), crc
	return nil
}

// Open locks the log in dir for a restart from snap (the zero SnapshotMeta
// if there is no snapshot) and returns it in read mode: call ReadAll next.
func Open(dir string, snap raft.SnapshotMeta, opts *Options) (*WAL, error) {
	lock, err := lockDir(dir)
	if err != nil {
		return nil, err
	}
	w := &WAL{dir: dir, opts: opts.withDefaults(), lock: lock, start: snap}
	if err := w.open(); err != nil {
		lock.Close()
		return nil, err
	}
	return w, nil
}

// open finds the segment to read from: the last one cut at or before the
// snapshot's index (see segment.go for why the earlier ones can be skipped).
func (w *WAL) open() error {
	if err := removeTempFiles(w.dir); err != nil {
		return err
	}
	segs, err := listSegments(w.dir)
	if err != nil {
		return err
	}
	if len(segs) == 0 {
		return fmt.Errorf("%w in %s", ErrNotFound, w.dir)
	}
	from := -1
	for i, s := range segs {
		if s.index <= w.start.Index {
			from = i
		}
	}
	if from < 0 {
		return fmt.Errorf("wal: %s: no segment reaches back to snapshot index %d (the oldest is %s); "+
			"open with a newer snapshot", w.dir, w.start.Index, segs[0].name())
	}
	w.segs, w.readFrom = segs, from
	return nil
}

// Close syncs the tail and releases the directory lock.
func (w *WAL) Close() error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lock == nil {
		return ErrClosed
	}
	var errs []error
	if w.tail != nil {
		if w.err == nil {
			errs = append(errs, fdatasync(w.tail))
		}
		errs = append(errs, w.tail.Close())
		w.tail = nil
	}
	errs = append(errs, w.lock.Close())
	w.lock = nil
	w.err = ErrClosed
	return errors.Join(errs...)
}

// SetOptions changes the options of an open log, for a caller that opened
// it before it knew them: SegmentBytes applies from the next cut, MaxFiles
// and Logger from the next Release.
func (w *WAL) SetOptions(opts *Options) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.opts = opts.withDefaults()
}

// Dir returns the log's directory.
func (w *WAL) Dir() string { return w.dir }

// Repairs returns what ReadAll cut off a torn tail, for the daemon to log.
func (w *WAL) Repairs() []Repair {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]Repair(nil), w.repairs...)
}

func clone(b []byte) []byte { return append([]byte(nil), b...) }
