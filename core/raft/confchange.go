package raft

// How a ConfChange travels in the log: the Data of an EntryConfChange entry
// is the CBOR encoding of the ConfChange (RFC 8949; the field tags are on
// the type in types.go), the same bytes on every machine.

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Marshal encodes cc as the Data of an EntryConfChange entry.
func (cc ConfChange) Marshal() []byte {
	b, err := cbor.Marshal(cc)
	if err != nil {
		panic(fmt.Sprintf("ConfChange.Marshal: %v", err)) // a plain struct always encodes
	}
	return b
}

// UnmarshalConfChange decodes the Data of an EntryConfChange entry.
func UnmarshalConfChange(b []byte) (ConfChange, error) {
	var cc ConfChange
	if err := cbor.Unmarshal(b, &cc); err != nil {
		return ConfChange{}, fmt.Errorf("raft: decode conf change: %w", err)
	}
	if cc.Type > RemoveNode {
		return ConfChange{}, fmt.Errorf("raft: decode conf change: unknown type %d", cc.Type)
	}
	if cc.Node == None {
		return ConfChange{}, fmt.Errorf("raft: decode conf change: node must not be 0")
	}
	return cc, nil
}
