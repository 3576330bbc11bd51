package transport

// The limits of the peer transport, with etcd's defaults where etcd has one.
// (The core's limits live in core/limits.go; these belong to the wire.)

import (
	"time"

	"github.com/etcdlab/etcdlab/core"
)

const (
	// MaxFrameBytes bounds the CBOR body of one frame, that is one encoded
	// raft.Message. A reader refuses a longer length prefix before it
	// allocates; Send refuses to queue a longer message. The largest
	// messages raft sends are:
	//
	//   - MsgApp: up to core.MaxSizePerMsg (1 MiB) of entry data, or a single
	//     entry up to core.MaxRequestBytes (1.5 MiB) when one entry alone is
	//     larger, plus about 25 bytes of CBOR per entry (term, index, type);
	//   - MsgSnap: one chunk of core.SnapshotChunkBytes (64 KiB) plus the
	//     snapshot's metadata (index, term, the member lists).
	//
	// 8 MiB holds a full MsgApp even when its entries are as small as a few
	// bytes each, and is still small enough to allocate per connection.
	// etcd bounds a decoded message at 512 MB (rafthttp: readBytesLimit);
	// ours is tighter because nothing legitimate comes near it.
	MaxFrameBytes = 8 << 20

	// minFrameBudget is the least MaxFrameBytes may be: a snapshot chunk
	// with room for its metadata. Checked by a test.
	minFrameBudget = core.SnapshotChunkBytes + 4<<10

	// DefaultQueueMessages bounds the frames waiting for one peer's writer.
	// etcd: streamBufSize = 4096 (rafthttp/stream.go).
	DefaultQueueMessages = 4096

	// DefaultQueueBytes bounds the bytes waiting for one peer's writer, so
	// that 4096 large MsgApps cannot pin gigabytes (etcdlab's own; etcd
	// bounds only the count).
	DefaultQueueBytes = 64 << 20

	// DefaultDialTimeout bounds one connection attempt: TCP connect, TLS and
	// the HTTP upgrade together.
	DefaultDialTimeout = 2 * time.Second

	// DefaultWriteTimeout bounds one write (or flush) to a peer; a peer that
	// stops reading is disconnected after it. etcd: ConnWriteTimeout = 5 s.
	DefaultWriteTimeout = 5 * time.Second

	// DefaultMinBackoff and DefaultMaxBackoff bound the wait between two
	// connection attempts to a peer; the wait doubles after each failure.
	// etcd's stream reader retries every 100 ms.
	DefaultMinBackoff = 100 * time.Millisecond
	DefaultMaxBackoff = 2 * time.Second

	// DefaultDrainTimeout bounds how long Stop spends writing what is still
	// queued for connected peers.
	DefaultDrainTimeout = 2 * time.Second

	// handshakeBodyBytes bounds the error text read from a refused upgrade.
	handshakeBodyBytes = 1 << 10

	// writeBatchFrames bounds the frames a writer sends before it flushes.
	writeBatchFrames = 64
)
