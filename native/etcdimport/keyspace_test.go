package etcdimport

import (
	"testing"

	"github.com/stretchr/testify/require"
	"go.etcd.io/etcd/api/v3/mvccpb"

	"github.com/etcdlab/etcdlab/core/mvcc"
)

// TestDecodeRevisionKeys: etcd's revision keys as the real 3.4 file has
// them (hex from `etcdctl snapshot save`), and the malformed ones.
func TestDecodeRevisionKeys(t *testing.T) {
	value := etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")})
	c, err := decodeChange(revKey(4, 0, false), value)
	require.NoError(t, err)
	require.Equal(t, change{rev: mvcc.Revision{Main: 4}, kv: mvcc.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")}}, c)

	sub := etcdKV(t, mvccpb.KeyValue{Key: []byte("t2"), CreateRevision: 9, ModRevision: 9, Version: 1})
	c, err = decodeChange(revKey(9, 1, false), sub)
	require.NoError(t, err)
	require.Equal(t, mvcc.Revision{Main: 9, Sub: 1}, c.rev, "the sub revision of the second put of a txn")

	for _, tc := range []struct {
		name string
		key  []byte
		want string
	}{
		{"short", revKey(4, 0, false)[:16], "is 16 bytes, want 17"},
		{"long", append(revKey(4, 0, true), 't'), "is 19 bytes"},
		{"no separator", append(revKey(4, 0, false)[:8], append([]byte{'-'}, revKey(4, 0, false)[9:]...)...), "separator"},
		{"bad mark", append(revKey(4, 0, false), 'x'), "not the tombstone mark"},
		{"revision 0", revKey(0, 0, false), "out of range"},
		{"negative", revKey(-1, 0, false), "out of range"},
	} {
		_, err := decodeChange(tc.key, value)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.ErrorContains(t, err, `bucket "key"`, tc.name)
	}
}

// TestDecodeTombstone: a deletion is a key with the mark 't' and a value
// holding only the key; it keeps its key and nothing else.
func TestDecodeTombstone(t *testing.T) {
	c, err := decodeChange(revKey(6, 0, true), []byte{0x0a, 0x01, 'b'}) // the bytes of etcd 3.4's file
	require.NoError(t, err)
	require.True(t, c.tombstone)
	require.Equal(t, mvcc.Revision{Main: 6}, c.rev)
	require.Equal(t, mvcc.KeyValue{Key: []byte("b")}, c.kv)

	_, err = decodeChange(revKey(6, 0, true), []byte{}) // no key
	require.ErrorContains(t, err, "key is not provided")
}

// TestDecodeCorruptRecord: values that are not a sound change are refused
// with the revision and the reason.
func TestDecodeCorruptRecord(t *testing.T) {
	good := etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 3, Value: []byte("3")})
	for _, tc := range []struct {
		name  string
		value []byte
		want  string
	}{
		{"truncated", good[:len(good)-1], "not an etcd mvccpb.KeyValue"},
		{"CBOR", []byte{0xa2, 0x01, 0x41, 'a', 0x03, 0x04}, "not an etcd mvccpb.KeyValue"},
		{"wrong mod revision", etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 3, Version: 3}), "mod revision 3 differs"},
		{"created later", etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 5, ModRevision: 4, Version: 1}), "create revision 5 is not in 1..4"},
		{"version 0", etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4}), "version 0"},
		{"negative lease", etcdKV(t, mvccpb.KeyValue{Key: []byte("a"), CreateRevision: 2, ModRevision: 4, Version: 1, Lease: -5}), "lease -5"},
	} {
		_, err := decodeChange(revKey(4, 0, false), tc.value)
		require.ErrorContains(t, err, tc.want, tc.name)
		require.ErrorContains(t, err, "4.0", tc.name)
	}
}
