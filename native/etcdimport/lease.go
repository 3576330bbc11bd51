package etcdimport

// Leases: etcd's bucket "lease" maps the lease ID (8 bytes big endian) to
// a leasepb.Lease (etcd: lease/lessor.go persistTo, lease/leasepb/
// lease.proto):
//
//	message Lease { int64 ID = 1; int64 TTL = 2; int64 RemainingTTL = 3; }
//
// leasepb lives in etcd's server module, which etcdlab does not import, so
// the three varint fields are read with protowire; any other field is
// skipped, as a protobuf decoder would. The keys attached to a lease are
// not stored with it in either program: they are found again from the
// lease field of each key's latest change when the backend is opened.

import (
	"encoding/binary"
	"fmt"

	"google.golang.org/protobuf/encoding/protowire"

	"github.com/etcdlab/etcdlab/core/backend"
	"github.com/etcdlab/etcdlab/core/lease"
)

// Field numbers of leasepb.Lease.
const (
	leaseFieldID           = 1
	leaseFieldTTL          = 2
	leaseFieldRemainingTTL = 3
)

// etcdLease is one decoded leasepb.Lease.
type etcdLease struct {
	ID                  lease.LeaseID
	TTLSeconds          int64
	RemainingTTLSeconds int64
}

// decodeLease decodes one pair of etcd's bucket "lease" and checks that
// the ID in the value is the one in the key.
func decodeLease(k, v []byte) (etcdLease, error) {
	if len(k) != 8 {
		return etcdLease{}, fmt.Errorf("bucket %q: key %x is %d bytes, want an 8-byte lease ID", leaseBucket, k, len(k))
	}
	keyID := int64(binary.BigEndian.Uint64(k))
	var l etcdLease
	for b := v; len(b) > 0; {
		num, typ, n := protowire.ConsumeTag(b)
		if n < 0 {
			return etcdLease{}, leaseError(keyID, protowire.ParseError(n))
		}
		b = b[n:]
		if typ != protowire.VarintType || num < leaseFieldID || num > leaseFieldRemainingTTL {
			if n = protowire.ConsumeFieldValue(num, typ, b); n < 0 {
				return etcdLease{}, leaseError(keyID, protowire.ParseError(n))
			}
			b = b[n:]
			continue
		}
		x, n := protowire.ConsumeVarint(b)
		if n < 0 {
			return etcdLease{}, leaseError(keyID, protowire.ParseError(n))
		}
		b = b[n:]
		switch num {
		case leaseFieldID:
			l.ID = lease.LeaseID(x)
		case leaseFieldTTL:
			l.TTLSeconds = int64(x)
		case leaseFieldRemainingTTL:
			l.RemainingTTLSeconds = int64(x)
		}
	}
	if int64(l.ID) != keyID {
		return etcdLease{}, leaseError(keyID, fmt.Errorf("the record names lease %016x", int64(l.ID)))
	}
	return l, nil
}

func leaseError(id int64, err error) error {
	return fmt.Errorf("bucket %q, lease %016x: the value is not an etcd leasepb.Lease: %v", leaseBucket, id, err)
}

// readLeases decodes every lease, in ID order.
func readLeases(tx backend.ReadTx) ([]etcdLease, error) {
	var out []etcdLease
	err := forEachIn(tx, leaseBucket, func(k, v []byte) error {
		l, err := decodeLease(k, v)
		if err == nil {
			out = append(out, l)
		}
		return err
	})
	return out, err
}
