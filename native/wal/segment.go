package wal

// A segment is one file of the log. The log is the concatenation of its
// segments in sequence order; only the last one (the tail) is ever written.
//
//	dir/
//	  0000000000000000-0000000000000000.wal   seq 0, from index 0 (Create)
//	  0000000000000001-00000000000a1b2c.wal   seq 1, cut when seq 0 was full
//	  0000000000000002-00000000000b0f01.wal   seq 2, the tail
//
// The name is <seq>-<index>, both 16 hex digits: seq counts segments without
// gaps, and index is the first raft index the segment was cut for (one past
// the last index of the log at the moment of the cut). Every entry in effect
// at that moment is older than index, so a reader that starts from a snapshot
// at index s can skip every segment before the last one whose index is <= s
// (etcd: wal.searchIndex, with the same naming).
//
// Every segment opens with a header of records: crc (the chain seed),
// metadata, and the latest hard state (or, in the first segment, the empty
// snapshot marker). A segment is therefore readable without its predecessors.
//
// Interface: segment.name, parseSegmentName, listSegments, scanSegment.

import (
	"fmt"
	"os"
	"slices"
	"strings"
)

// segment identifies one segment file by its name.
type segment struct {
	seq   uint64 // position in the log, counting from 0 without gaps
	index uint64 // the first raft index the segment was cut for
}

const segmentSuffix = ".wal"

// name returns the segment's file name.
func (s segment) name() string {
	return fmt.Sprintf("%016x-%016x%s", s.seq, s.index, segmentSuffix)
}

// parseSegmentName reads a segment's identity from a file name; ok is false
// for files that are not segments (temporary files, copies kept by a repair).
func parseSegmentName(name string) (s segment, ok bool) {
	if len(name) != 16+1+16+len(segmentSuffix) || !strings.HasSuffix(name, segmentSuffix) {
		return segment{}, false
	}
	var seq, index uint64
	if _, err := fmt.Sscanf(name, "%016x-%016x.wal", &seq, &index); err != nil {
		return segment{}, false
	}
	s = segment{seq: seq, index: index}
	return s, s.name() == name
}

// listSegments returns the segments in dir in sequence order. A gap in the
// sequence means a file was lost or removed by hand: an error, because the
// entries in it are gone.
func listSegments(dir string) ([]segment, error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("wal: list %s: %w", dir, err)
	}
	var segs []segment
	for _, de := range des {
		if s, ok := parseSegmentName(de.Name()); ok && de.Type().IsRegular() {
			segs = append(segs, s)
		}
	}
	slices.SortFunc(segs, func(a, b segment) int { return cmpUint64(a.seq, b.seq) })
	for i := 1; i < len(segs); i++ {
		if segs[i].seq != segs[i-1].seq+1 {
			return nil, fmt.Errorf("wal: %s: segment %s is followed by %s: segments in between are missing",
				dir, segs[i-1].name(), segs[i].name())
		}
	}
	return segs, nil
}

func cmpUint64(a, b uint64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// scanSegment decodes the records of one segment file's bytes. It returns the
// good records in order, the chain seed carried by the first (crc) record,
// and the problem that stopped it — nil if the records run cleanly to the end
// of the bytes or into zero-filled space.
func scanSegment(buf []byte) (recs []record, seed uint32, prob *decodeProblem) {
	var prev uint32
	var off int64
	for {
		rec, p := decodeRecord(buf, off, prev)
		if p != nil {
			if p.end {
				p = nil
			}
			return recs, seed, p
		}
		switch {
		case off == 0 && rec.typ != recordCRC:
			return nil, 0, &decodeProblem{offset: 0,
				reason: fmt.Sprintf("segment starts with a %s record instead of a crc record", rec.typ)}
		case off == 0:
			seed, _ = decodeCRCPayload(rec.payload) // decodeRecord checked it
		case rec.typ == recordCRC:
			return recs, seed, &decodeProblem{offset: off, reason: "crc record in the middle of a segment"}
		}
		recs = append(recs, rec)
		prev = rec.crc
		off += rec.size
	}
}
