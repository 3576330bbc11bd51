package snap

// One snapshot file: a short CBOR header, then the snapshot's data, raw.
//
//	<term:016x>-<index:016x>.snap
//	  header (CBOR map)
//	    1: magic    "etcdlab-snap"
//	    2: version  2
//	    3: crc      CRC-32C (Castagnoli) of 4 followed by the data
//	    4: meta     CBOR of raft.SnapshotMeta
//	    5: length   bytes of data after the header
//	  data          raft.Snapshot.Data
//
// The data is written and read as it is, never re-encoded: a snapshot holds
// the whole backend, and a copy of tens of megabytes per save is time a
// member does not serve. Version 1 files (the whole raft.Snapshot CBOR-
// encoded inside the map as 4, nothing after it) are still read.
//
// A truncated file fails to decode as CBOR or comes up short of its length;
// a flipped bit fails the CRC; a file that is not ours fails the magic. Each
// says so in its reason. The name must agree with the meta inside, so a
// renamed file is refused.
//
// Interface: fileName, parseFileName, encodeHeader, encodeFile, decodeFile.

import (
	"fmt"
	"hash/crc32"
	"strings"

	"github.com/fxamacker/cbor/v2"

	"github.com/etcdlab/etcdlab/core/raft"
)

const (
	fileSuffix  = ".snap"
	fileMagic   = "etcdlab-snap"
	fileVersion = 2
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// header is the CBOR map opening a file. Body is the meta in version 2
// and the whole snapshot in version 1.
type header struct {
	Magic   string `cbor:"1,keyasint"`
	Version uint   `cbor:"2,keyasint"`
	CRC     uint32 `cbor:"3,keyasint"`
	Body    []byte `cbor:"4,keyasint"`
	Length  uint64 `cbor:"5,keyasint,omitempty"`
}

// fileID is what a snapshot file's name says about it.
type fileID struct {
	term, index uint64
}

func (id fileID) name() string { return fmt.Sprintf("%016x-%016x%s", id.term, id.index, fileSuffix) }

// parseFileName reads a snapshot file name; ok is false for other files
// (temporary files, .broken copies).
func parseFileName(name string) (id fileID, ok bool) {
	if len(name) != 16+1+16+len(fileSuffix) || !strings.HasSuffix(name, fileSuffix) {
		return fileID{}, false
	}
	if _, err := fmt.Sscanf(name, "%016x-%016x.snap", &id.term, &id.index); err != nil {
		return fileID{}, false
	}
	return id, id.name() == name
}

var (
	encMode = mustEncMode()
	decMode = mustDecMode()
)

func mustEncMode() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("snap.mustEncMode: " + err.Error())
	}
	return em
}

func mustDecMode() cbor.DecMode {
	dm, err := cbor.DecOptions{DupMapKey: cbor.DupMapKeyEnforcedAPF, MaxNestedLevels: 16}.DecMode()
	if err != nil {
		panic("snap.mustDecMode: " + err.Error())
	}
	return dm
}

// encodeHeader returns the header of s's file; s.Data follows it.
func encodeHeader(s *raft.Snapshot) []byte {
	meta, err := encMode.Marshal(&s.Meta)
	if err != nil {
		panic("snap.encodeHeader: " + err.Error())
	}
	crc := crc32.Update(crc32.Checksum(meta, castagnoli), castagnoli, s.Data)
	b, err := encMode.Marshal(header{Magic: fileMagic, Version: fileVersion, CRC: crc,
		Body: meta, Length: uint64(len(s.Data))})
	if err != nil {
		panic("snap.encodeHeader: " + err.Error())
	}
	return b
}

// encodeFile returns the bytes of s's file (Save writes the header and the
// data without joining them).
func encodeFile(s *raft.Snapshot) []byte {
	return append(encodeHeader(s), s.Data...)
}

// decodeFile checks and decodes a snapshot file's bytes; the error is the
// reason the file cannot be used. The snapshot's Data shares b.
func decodeFile(id fileID, b []byte) (*raft.Snapshot, error) {
	var h header
	rest, err := decMode.UnmarshalFirst(b, &h)
	if err != nil {
		return nil, fmt.Errorf("truncated or not a snapshot file (%d bytes): %v", len(b), err)
	}
	if h.Magic != fileMagic {
		return nil, fmt.Errorf("not an etcdlab snapshot file (magic %q)", h.Magic)
	}
	var s *raft.Snapshot
	switch h.Version {
	case 1:
		s, err = decodeV1(h, rest)
	case fileVersion:
		s, err = decodeV2(h, rest)
	default:
		return nil, fmt.Errorf("snapshot format version %d, this build reads versions 1 and %d", h.Version, fileVersion)
	}
	if err != nil {
		return nil, err
	}
	if s.Meta.Index != id.index || s.Meta.Term != id.term {
		return nil, fmt.Errorf("the file name says index %d term %d but the snapshot holds index %d term %d",
			id.index, id.term, s.Meta.Index, s.Meta.Term)
	}
	return s, nil
}

func decodeV2(h header, data []byte) (*raft.Snapshot, error) {
	if uint64(len(data)) != h.Length {
		return nil, fmt.Errorf("truncated or padded: the header promises %d bytes of data, the file holds %d", h.Length, len(data))
	}
	got := crc32.Update(crc32.Checksum(h.Body, castagnoli), castagnoli, data)
	if got != h.CRC {
		return nil, fmt.Errorf("checksum mismatch (stored %08x, computed %08x)", h.CRC, got)
	}
	s := &raft.Snapshot{Data: data}
	if err := decMode.Unmarshal(h.Body, &s.Meta); err != nil {
		return nil, fmt.Errorf("undecodable snapshot meta: %v", err)
	}
	return s, nil
}

func decodeV1(h header, rest []byte) (*raft.Snapshot, error) {
	if len(rest) != 0 {
		return nil, fmt.Errorf("%d bytes after a version 1 snapshot", len(rest))
	}
	if got := crc32.Checksum(h.Body, castagnoli); got != h.CRC {
		return nil, fmt.Errorf("checksum mismatch (stored %08x, computed %08x)", h.CRC, got)
	}
	var s raft.Snapshot
	if err := decMode.Unmarshal(h.Body, &s); err != nil {
		return nil, fmt.Errorf("undecodable snapshot: %v", err)
	}
	return &s, nil
}
