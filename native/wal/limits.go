package wal

// The limits of the write-ahead log, with etcd's defaults. (The core's limits
// live in core/limits.go; these belong to the daemon's disk layout.)

const (
	// SegmentSizeBytes is the size at which the log moves on to a new
	// segment file. etcd: wal.SegmentSizeBytes = 64 MB.
	SegmentSizeBytes = 64 << 20

	// MaxRecordBytes bounds one record's payload; a reader refuses a longer
	// length before allocating for it. etcd: maxWALEntrySizeLimit = 10 MB.
	// One record holds one entry, and an entry is bounded by
	// core.MaxRequestBytes (1.5 MiB), so this leaves room to spare.
	MaxRecordBytes = 10 << 20
)
