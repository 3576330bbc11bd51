package wal

// The payload of every record is CBOR (RFC 8949), encoded deterministically
// (core deterministic encoding, RFC 8949 §4.2) so that the same state always
// gives the same bytes. Decoding is bounded: a payload read from disk cannot
// make the reader allocate more than the payload's own size suggests.

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

var (
	encMode = mustEncMode()
	decMode = mustDecMode()
)

func mustEncMode() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("wal.mustEncMode: " + err.Error())
	}
	return em
}

func mustDecMode() cbor.DecMode {
	dm, err := cbor.DecOptions{
		DupMapKey:        cbor.DupMapKeyEnforcedAPF,
		MaxNestedLevels:  16,
		MaxArrayElements: 1 << 16,
		MaxMapPairs:      1 << 10,
	}.DecMode()
	if err != nil {
		panic("wal.mustDecMode: " + err.Error())
	}
	return dm
}

// marshal encodes v; the types the log writes always encode.
func marshal(v any) []byte {
	b, err := encMode.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("wal.marshal: %T: %v", v, err))
	}
	return b
}

// unmarshal decodes a payload read from disk into v.
func unmarshal(payload []byte, v any) error { return decMode.Unmarshal(payload, v) }

// decodeCRCPayload reads the chain seed that a crc record carries.
func decodeCRCPayload(payload []byte) (uint32, error) {
	var seed uint32
	if err := unmarshal(payload, &seed); err != nil {
		return 0, err
	}
	return seed, nil
}
