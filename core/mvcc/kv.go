package mvcc

// KeyValue: one version of one key, as Range returns it and as the backend
// stores it (etcd: mvccpb.KeyValue). The backend value is the CBOR encoding
// of the KeyValue; a deletion stores a KeyValue with only Key set, under a
// tombstone-marked revision.

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// KeyValue is a key at one revision.
type KeyValue struct {
	Key []byte `cbor:"1,keyasint"`
	// CreateRevision is the revision of the put that created this
	// incarnation of the key (the first put after a delete).
	CreateRevision int64 `cbor:"2,keyasint,omitempty"`
	// ModRevision is the revision of the put that wrote this version.
	ModRevision int64 `cbor:"3,keyasint,omitempty"`
	// Version counts the puts since CreateRevision: 1 for the creating put.
	// A delete resets it to 0.
	Version int64  `cbor:"4,keyasint,omitempty"`
	Value   []byte `cbor:"5,keyasint,omitempty"`
	// Lease is the lease the key is attached to, 0 for none.
	Lease int64 `cbor:"6,keyasint,omitempty"`
}

func (kv KeyValue) String() string {
	return fmt.Sprintf("%q=%q create=%d mod=%d ver=%d lease=%d", kv.Key, kv.Value, kv.CreateRevision, kv.ModRevision, kv.Version, kv.Lease)
}

// encodeKV is the backend value of kv.
func encodeKV(kv KeyValue) []byte {
	b, err := cbor.Marshal(kv)
	if err != nil {
		panic("mvcc.encodeKV: " + err.Error())
	}
	return b
}

// decodeKV reads a backend value; a value this package did not write is an
// impossible state.
func decodeKV(b []byte) KeyValue {
	var kv KeyValue
	if err := cbor.Unmarshal(b, &kv); err != nil {
		panic("mvcc.decodeKV: corrupt key/value in the backend: " + err.Error())
	}
	return kv
}
