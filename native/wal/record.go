package wal

// A record is the unit the log is written in. Every record is framed the same
// way, so that a reader can find where it ends, check that it is whole, and
// check that it follows the record before it:
//
//	 0        4      5     6       8          12         16              16+n   16+n+pad
//	 +--------+------+-----+-------+----------+----------+---------------+------+
//	 | n      | type | pad | 0 0   | data CRC | head CRC | payload: CBOR | 0..  |
//	 | uint32 | u8   | u8  |       | uint32   | uint32   | n bytes       | pad  |
//	 +--------+------+-----+-------+----------+----------+---------------+------+
//
// All integers are little-endian. The padding (0..7 zero bytes) makes every
// record a multiple of 8 bytes long, so records start at 8-byte offsets and a
// record header never shares a disk sector with a half-written one.
//
// The data CRC is CRC-32C (Castagnoli) over the type byte and the payload,
// seeded with the data CRC of the previous record: the checksums form a chain,
// so a record that is lost, repeated or moved breaks every check after it
// (etcd: wal/encoder.go chains its CRC the same way). The head CRC covers
// bytes 0..11, so the length is trusted before it is used to skip ahead.
//
// Interface: appendRecord frames one record onto a buffer; decodeRecord reads
// one back and says precisely what is wrong when it cannot.

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"
)

// recordType says what a record's payload holds. Zero is never written, so a
// zero-filled header is recognisably "nothing was written here".
type recordType uint8

const (
	// recordCRC opens every segment; its payload is the running data CRC at
	// the end of the previous segment (0 for the first), which seeds the
	// chain for this segment.
	recordCRC recordType = iota + 1
	// recordMetadata is the caller's opaque metadata (node ID, cluster ID),
	// repeated at the head of every segment.
	recordMetadata
	// recordEntry is one raft.Entry.
	recordEntry
	// recordHardState is one raft.HardState; the last one read wins.
	recordHardState
	// recordSnapshot marks that a snapshot at (index, term, conf) was saved:
	// a raft.SnapshotMeta.
	recordSnapshot
	recordTypeLimit // one past the last valid type
)

var recordTypeNames = [...]string{"", "crc", "metadata", "entry", "hard-state", "snapshot"}

func (t recordType) String() string {
	if t > 0 && t < recordTypeLimit {
		return recordTypeNames[t]
	}
	return fmt.Sprintf("recordType(%d)", t)
}

const (
	// headerBytes is the size of a record's frame header.
	headerBytes = 16
	// alignBytes is the alignment of every record.
	alignBytes = 8
	// sectorBytes is the smallest unit a disk writes atomically; a crash
	// leaves each sector either old or new (etcd: minSectorSize = 512).
	sectorBytes = 512
)

// castagnoli is the CRC-32C table (hardware accelerated on amd64 and arm64).
var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// record is one decoded record. payload aliases the segment's bytes.
type record struct {
	typ     recordType
	payload []byte
	crc     uint32 // the data CRC: chained through every earlier record
	offset  int64  // where the record starts in its segment file
	size    int64  // header + payload + padding
}

// paddingFor returns how many zero bytes follow an n-byte payload.
func paddingFor(n int) int { return (alignBytes - (headerBytes+n)%alignBytes) % alignBytes }

// dataCRC chains the checksum of one record onto prev.
func dataCRC(prev uint32, t recordType, payload []byte) uint32 {
	c := crc32.Update(prev, castagnoli, []byte{byte(t)})
	return crc32.Update(c, castagnoli, payload)
}

// appendRecord frames payload as a record of type t after the record whose
// data CRC is prev, appends it to dst and returns the new buffer and the new
// record's data CRC.
func appendRecord(dst []byte, t recordType, payload []byte, prev uint32) ([]byte, uint32) {
	if t == 0 || t >= recordTypeLimit {
		panic(fmt.Sprintf("wal.appendRecord: invalid record type %d", t))
	}
	if len(payload) > MaxRecordBytes {
		panic(fmt.Sprintf("wal.appendRecord: payload of %d bytes exceeds MaxRecordBytes", len(payload)))
	}
	pad := paddingFor(len(payload))
	crc := dataCRC(prev, t, payload)
	var h [headerBytes]byte
	binary.LittleEndian.PutUint32(h[0:4], uint32(len(payload)))
	h[4] = byte(t)
	h[5] = byte(pad)
	binary.LittleEndian.PutUint32(h[8:12], crc)
	binary.LittleEndian.PutUint32(h[12:16], crc32.Checksum(h[0:12], castagnoli))
	dst = append(dst, h[:]...)
	dst = append(dst, payload...)
	var zeros [alignBytes]byte
	return append(dst, zeros[:pad]...), crc
}

// decodeProblem says why the bytes at an offset are not a good record.
type decodeProblem struct {
	offset int64
	reason string
	// torn reports that the damage looks like an interrupted write (the file
	// ends inside the record, or part of it is zero-filled at sector
	// granularity) rather than like bytes that changed after they were
	// written. Only a torn problem at the tail of the last segment may be
	// repaired; see doc.go.
	torn bool
	// end reports that the file simply ends here: zero bytes or zeros only
	// (preallocated space never written). It is not a problem at all.
	end bool
}

// decodeRecord reads the record at buf[off:], whose data CRC must chain
// from prev. It returns the record, or the problem that stops it.
func decodeRecord(buf []byte, off int64, prev uint32) (record, *decodeProblem) {
	rest := buf[off:]
	if len(rest) == 0 {
		return record{}, &decodeProblem{offset: off, end: true}
	}
	if len(rest) < headerBytes {
		if allZero(rest) {
			return record{}, &decodeProblem{offset: off, end: true}
		}
		return record{}, &decodeProblem{offset: off, torn: true,
			reason: fmt.Sprintf("file ends %d bytes into a record header", len(rest))}
	}
	h := rest[:headerBytes]
	if allZero(h) {
		if allZero(rest) {
			return record{}, &decodeProblem{offset: off, end: true}
		}
		return record{}, &decodeProblem{offset: off, torn: true,
			reason: "zero-filled record header followed by non-zero bytes"}
	}
	if got, want := binary.LittleEndian.Uint32(h[12:16]), crc32.Checksum(h[0:12], castagnoli); got != want {
		return record{}, &decodeProblem{offset: off, torn: hasZeroSector(h, off),
			reason: fmt.Sprintf("record header checksum mismatch (stored %08x, computed %08x)", got, want)}
	}
	return decodeBody(buf, off, prev)
}

// decodeBody reads a record whose header checksum is good.
func decodeBody(buf []byte, off int64, prev uint32) (record, *decodeProblem) {
	h := buf[off : off+headerBytes]
	n := binary.LittleEndian.Uint32(h[0:4])
	t := recordType(h[4])
	pad := int(h[5])
	switch {
	case t == 0 || t >= recordTypeLimit:
		return record{}, &decodeProblem{offset: off, reason: fmt.Sprintf("unknown record type %d", t)}
	case n > MaxRecordBytes:
		return record{}, &decodeProblem{offset: off, reason: fmt.Sprintf("record length %d exceeds the limit of %d bytes", n, MaxRecordBytes)}
	case pad != paddingFor(int(n)) || h[6] != 0 || h[7] != 0:
		return record{}, &decodeProblem{offset: off, reason: "malformed record header (padding or reserved bytes)"}
	}
	size := int64(headerBytes) + int64(n) + int64(pad)
	if int64(len(buf))-off < size {
		return record{}, &decodeProblem{offset: off, torn: true,
			reason: fmt.Sprintf("file ends inside a %d-byte record (%d bytes present)", size, int64(len(buf))-off)}
	}
	payload := buf[off+headerBytes : off+headerBytes+int64(n)]
	if !allZero(buf[off+headerBytes+int64(n) : off+size]) {
		return record{}, &decodeProblem{offset: off, reason: "non-zero padding after the record"}
	}
	stored := binary.LittleEndian.Uint32(h[8:12])
	if t == recordCRC && off == 0 {
		// The first record of a segment seeds the chain with its own
		// payload; the caller checks that seed against the previous segment.
		seed, err := decodeCRCPayload(payload)
		if err != nil {
			return record{}, &decodeProblem{offset: off, reason: "bad crc record: " + err.Error()}
		}
		prev = seed
	}
	if got := dataCRC(prev, t, payload); got != stored {
		return record{}, &decodeProblem{offset: off, torn: hasZeroSector(payload, off+headerBytes),
			reason: fmt.Sprintf("%s record checksum mismatch (stored %08x, computed %08x)", t, stored, got)}
	}
	return record{typ: t, payload: payload, crc: stored, offset: off, size: size}, nil
}

// hasZeroSector reports whether some sector-aligned piece of data (which
// starts at file offset off) is entirely zero. A disk writes whole sectors, so
// an interrupted write shows up as sectors that are still zero (preallocated)
// — the same test as etcd's decoder.isTornEntry. A bit that flipped later
// leaves no such hole.
func hasZeroSector(data []byte, off int64) bool {
	for len(data) > 0 {
		n := sectorBytes - int(off%sectorBytes)
		n = min(n, len(data))
		if allZero(data[:n]) {
			return true
		}
		data, off = data[n:], off+int64(n)
	}
	return false
}

// allZero reports whether b holds only zero bytes.
func allZero(b []byte) bool {
	for _, c := range b {
		if c != 0 {
			return false
		}
	}
	return true
}
