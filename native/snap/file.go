package snap

// One snapshot file: a CBOR envelope around the CBOR-encoded raft.Snapshot,
// with a magic string, a format version, and a CRC-32C of the snapshot bytes.
//
//	<term:016x>-<index:016x>.snap
//	  envelope (CBOR map)
//	    1: magic   "etcdlab-snap"
//	    2: version 1
//	    3: crc     CRC-32C (Castagnoli) of 4
//	    4: body    CBOR of raft.Snapshot{Meta, Data}
//
// A truncated file fails to decode as CBOR (the envelope's length prefixes
// promise more bytes than there are); a flipped bit in the body fails the
// CRC; a file that is not ours fails the magic. Each says so in its reason.
// The name must agree with the meta inside, so a renamed file is refused.
//
// Interface: fileName, parseFileName, encodeFile, decodeFile.

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
	fileVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

type envelope struct {
	Magic   string `cbor:"1,keyasint"`
	Version uint   `cbor:"2,keyasint"`
	CRC     uint32 `cbor:"3,keyasint"`
	Body    []byte `cbor:"4,keyasint"`
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

// encodeFile returns the bytes of s's file.
func encodeFile(s *raft.Snapshot) []byte {
	body, err := encMode.Marshal(s)
	if err != nil {
		panic("snap.encodeFile: " + err.Error())
	}
	b, err := encMode.Marshal(envelope{Magic: fileMagic, Version: fileVersion,
		CRC: crc32.Checksum(body, castagnoli), Body: body})
	if err != nil {
		panic("snap.encodeFile: " + err.Error())
	}
	return b
}

// decodeFile checks and decodes a snapshot file's bytes; the error is the
// reason the file cannot be used.
func decodeFile(id fileID, b []byte) (*raft.Snapshot, error) {
	var env envelope
	if err := decMode.Unmarshal(b, &env); err != nil {
		return nil, fmt.Errorf("truncated or not a snapshot file (%d bytes): %v", len(b), err)
	}
	if env.Magic != fileMagic {
		return nil, fmt.Errorf("not an etcdlab snapshot file (magic %q)", env.Magic)
	}
	if env.Version != fileVersion {
		return nil, fmt.Errorf("snapshot format version %d, this build reads version %d", env.Version, fileVersion)
	}
	if got := crc32.Checksum(env.Body, castagnoli); got != env.CRC {
		return nil, fmt.Errorf("checksum mismatch (stored %08x, computed %08x)", env.CRC, got)
	}
	var s raft.Snapshot
	if err := decMode.Unmarshal(env.Body, &s); err != nil {
		return nil, fmt.Errorf("undecodable snapshot: %v", err)
	}
	if s.Meta.Index != id.index || s.Meta.Term != id.term {
		return nil, fmt.Errorf("the file name says index %d term %d but the snapshot holds index %d term %d",
			id.index, id.term, s.Meta.Index, s.Meta.Term)
	}
	return &s, nil
}
