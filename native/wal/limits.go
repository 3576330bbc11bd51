package wal

// The limits of the write-ahead log, with etcd's defaults. (The core's limits
// live in core/limits.go; these belong to the daemon's disk layout.)

const (
	// SegmentSizeBytes is the size at which the log moves on to a new
	// segment file. etcd: wal.SegmentSizeBytes = 64 MB.
	SegmentSizeBytes = 64 << 20

	// DefaultMaxFiles is how many segment files Release keeps when some of
	// them are no longer needed to restart (etcd: --max-wals, 5). Segments
	// that are still needed are kept whatever their number.
	DefaultMaxFiles = 5

	// MaxRecordBytes bounds one record's payload; a reader refuses a longer
	// length before it trusts it (etcd: maxWALEntrySizeLimit = 10 MB). One
	// record holds one raft entry, and an entry holds one client request,
	// so this bounds the daemon's --max-request-bytes: the daemon refuses
	// to start with a request limit whose entries would not fit
	// (MaxEntryDataBytes, checked in native/daemon config.go). The limit is
	// a constant, not a setting, so that a member restarted with a smaller
	// --max-request-bytes still reads every record it wrote before.
	MaxRecordBytes = 10 << 20

	// EntryOverheadBytes is what a record's payload adds around an entry's
	// data: the CBOR of the entry's index, term and type (about 25 bytes),
	// rounded up generously.
	EntryOverheadBytes = 1 << 10

	// MaxEntryDataBytes is the largest raft entry data a record holds.
	MaxEntryDataBytes = MaxRecordBytes - EntryOverheadBytes
)
