package server

// How a request travels in the Raft log. A write becomes the Data of one
// entry: the CBOR encoding (RFC 8949) of an envelope that names the request
// (ID), the member that proposed it (Proposer) and the operation. When the
// entry is applied, every member applies the operation; only the proposer
// also answers the waiting client (etcd: InternalRaftRequest.Header.ID and
// the wait registry). A membership change is an EntryConfChange whose
// ConfChange.Context carries a confContext the same way.
//
//	raft.Entry{Type: normal, Data: CBOR(envelope{ID, Proposer, Put: ...})}
//	raft.Entry{Type: confchange, Data: ConfChange{AddVoter, n4, Context: CBOR(confContext{...})}}
//
// An entry with empty Data is the leader's no-op (Raft §8); entries whose
// Internal flag is set are the member's own (raise an alarm, revoke an
// expired lease, auto-compact, checkpoint leases) and answer no client.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/fxamacker/cbor/v2"
)

// envelope is the Data of a normal entry. Exactly one operation is set.
type envelope struct {
	ID       uint64      `cbor:"1,keyasint,omitempty"`
	Proposer raft.NodeID `cbor:"2,keyasint,omitempty"`
	Internal bool        `cbor:"3,keyasint,omitempty"`

	Put             *mvcc.PutRequest         `cbor:"4,keyasint,omitempty"`
	DeleteRange     *mvcc.DeleteRangeRequest `cbor:"5,keyasint,omitempty"`
	Txn             *mvcc.TxnRequest         `cbor:"6,keyasint,omitempty"`
	Compaction      *CompactionRequest       `cbor:"7,keyasint,omitempty"`
	LeaseGrant      *LeaseGrantRequest       `cbor:"8,keyasint,omitempty"`
	LeaseRevoke     *LeaseRevokeRequest      `cbor:"9,keyasint,omitempty"`
	LeaseCheckpoint *leaseCheckpointRequest  `cbor:"10,keyasint,omitempty"`
	Alarm           *AlarmRequest            `cbor:"11,keyasint,omitempty"`
	MemberUpdate    *MemberUpdateRequest     `cbor:"12,keyasint,omitempty"`
	MemberAttrs     *MemberAttributesRequest `cbor:"13,keyasint,omitempty"` // a member's own name and client URLs
}

// confContext is the Context of a membership change: the member's
// attributes, and on the bootstrap changes the cluster ID.
type confContext struct {
	ID        uint64      `cbor:"1,keyasint,omitempty"`
	Proposer  raft.NodeID `cbor:"2,keyasint,omitempty"`
	Member    MemberInfo  `cbor:"3,keyasint"`
	ClusterID uint64      `cbor:"4,keyasint,omitempty"`
}

// encoding is CBOR's core deterministic encoding: the same request makes
// the same bytes on every machine.
var encoding = func() cbor.EncMode {
	em, err := cbor.CoreDetEncOptions().EncMode()
	if err != nil {
		panic("server: CBOR encoding: " + err.Error())
	}
	return em
}()

// encode returns the bytes of v, refusing more than core.MaxRequestBytes:
// for the member's own entries (conf changes, internal requests).
func encode(v any) ([]byte, error) { return encodeWithin(v, core.MaxRequestBytes) }

// encodeWithin returns the bytes of v, refusing more than maxBytes: a
// client's request against Config.MaxRequestBytes (etcd:
// processInternalRaftRequestOnce, "if len(data) >
// int(s.Cfg.MaxRequestBytes)", answering ErrRequestTooLarge).
func encodeWithin(v any, maxBytes int) ([]byte, error) {
	data, err := encoding.Marshal(v)
	if err != nil {
		panic(fmt.Sprintf("server.encode: %v", err)) // plain structs always encode
	}
	if len(data) > maxBytes {
		return nil, ErrRequestTooLarge
	}
	return data, nil
}

// decodeEnvelope reads a normal entry's Data. A committed entry this
// package did not write is an impossible state.
func decodeEnvelope(e raft.Entry) envelope {
	var env envelope
	if err := cbor.Unmarshal(e.Data, &env); err != nil {
		panic(fmt.Sprintf("server.decodeEnvelope: entry %d: %v", e.Index, err))
	}
	return env
}

// decodeConfContext reads a membership change's Context.
func decodeConfContext(cc raft.ConfChange, index uint64) confContext {
	var ctx confContext
	if err := cbor.Unmarshal(cc.Context, &ctx); err != nil {
		panic(fmt.Sprintf("server.decodeConfContext: entry %d: %v", index, err))
	}
	if ctx.Member.ID != cc.Node {
		panic(fmt.Sprintf("server.decodeConfContext: entry %d changes n%d but carries member %x", index, cc.Node, uint64(ctx.Member.ID)))
	}
	return ctx
}
