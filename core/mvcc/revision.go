package mvcc

// Revisions: the store's logical clock. Every write transaction that changes
// something gets the next main revision; the changes inside it are told
// apart by the sub revision, 0, 1, 2, ... in the order they were made. The
// pair orders every change the store has ever made.
//
// In the backend a revision is the key of the change it names (etcd:
// revToBytes): 8 bytes big-endian main, '_', 8 bytes big-endian sub — so
// that the "key" bucket sorts in revision order — plus a trailing 't' when
// the change is a deletion (a tombstone).

import (
	"encoding/binary"
	"fmt"
)

// Revision names one change: Main is the write transaction, Sub the change's
// position inside it.
type Revision struct {
	Main int64
	Sub  int64
}

// GreaterThan reports whether r comes after o.
func (r Revision) GreaterThan(o Revision) bool {
	if r.Main != o.Main {
		return r.Main > o.Main
	}
	return r.Sub > o.Sub
}

func (r Revision) String() string { return fmt.Sprintf("%d.%d", r.Main, r.Sub) }

const (
	revBytesLen       = 8 + 1 + 8 // etcd: revBytesLen = 17
	markedRevBytesLen = revBytesLen + 1
	tombstoneMark     = 't'
)

// revBytes encodes r as a backend key.
func revBytes(r Revision) []byte {
	b := make([]byte, revBytesLen, markedRevBytesLen)
	binary.BigEndian.PutUint64(b, uint64(r.Main))
	b[8] = '_'
	binary.BigEndian.PutUint64(b[9:], uint64(r.Sub))
	return b
}

// tombstoneBytes encodes r as the backend key of a deletion.
func tombstoneBytes(r Revision) []byte {
	return append(revBytes(r), tombstoneMark)
}

// bytesRev decodes a backend key; it panics on a key that is not one, since
// only this package writes the "key" bucket.
func bytesRev(b []byte) Revision {
	if len(b) != revBytesLen && len(b) != markedRevBytesLen {
		panic(fmt.Sprintf("mvcc.bytesRev: %d-byte key is not a revision", len(b)))
	}
	return Revision{
		Main: int64(binary.BigEndian.Uint64(b)),
		Sub:  int64(binary.BigEndian.Uint64(b[9:])),
	}
}

// isTombstone reports whether a backend key marks a deletion.
func isTombstone(b []byte) bool {
	return len(b) == markedRevBytesLen && b[revBytesLen] == tombstoneMark
}
