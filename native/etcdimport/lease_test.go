package etcdimport

import (
	"encoding/binary"
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/protobuf/encoding/protowire"

	"github.com/etcdlab/etcdlab/core/lease"
)

// TestDecodeLease reads leasepb.Lease records: the bytes of etcd 3.4's
// file, a checkpointed remaining TTL, unknown fields skipped, and the
// damaged ones refused.
func TestDecodeLease(t *testing.T) {
	key := func(id uint64) []byte { return binary.BigEndian.AppendUint64(nil, id) }
	const id = 0x150ca1fdbecde90a
	real34 := []byte{0x08, 0x8a, 0xd2, 0xb7, 0xf6, 0xdb, 0xbf, 0xa8, 0x86, 0x15, 0x10, 0x90, 0x1c} // {ID, TTL 3600}
	l, err := decodeLease(key(id), real34)
	require.NoError(t, err)
	require.Equal(t, etcdLease{ID: lease.LeaseID(id), TTLSeconds: 3600}, l)

	l, err = decodeLease(key(7), etcdLeaseValue(7, 600, 42))
	require.NoError(t, err)
	require.Equal(t, etcdLease{ID: 7, TTLSeconds: 600, RemainingTTLSeconds: 42}, l)

	future := protowire.AppendTag(etcdLeaseValue(7, 600, 0), 9, protowire.BytesType)
	future = protowire.AppendBytes(future, []byte("a field of a later etcd"))
	l, err = decodeLease(key(7), future)
	require.NoError(t, err)
	require.Equal(t, etcdLease{ID: 7, TTLSeconds: 600}, l)

	for _, tc := range []struct {
		name     string
		key, val []byte
		want     string
	}{
		{"short key", []byte{1, 2, 3}, etcdLeaseValue(7, 600, 0), "want an 8-byte lease ID"},
		{"truncated varint", key(7), etcdLeaseValue(7, 600, 0)[:3], "not an etcd leasepb.Lease"},
		{"other lease", key(8), etcdLeaseValue(7, 600, 0), "names lease 0000000000000007"},
		{"truncated field", key(7), future[:len(future)-3], "not an etcd leasepb.Lease"},
	} {
		_, err := decodeLease(tc.key, tc.val)
		require.ErrorContains(t, err, tc.want, tc.name)
	}
}
