package lockelect

import (
	"reflect"
	"sort"
	"testing"

	"github.com/stretchr/testify/require"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"go.etcd.io/etcd/api/v3/mvccpb"
	"google.golang.org/protobuf/encoding/protowire"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// Every message of the two files has its Go struct, and every field of it
// a struct field of the matching Go type.
func TestEveryMessageHasItsStruct(t *testing.T) {
	structs := map[string]reflect.Type{}
	for _, m := range allMessages {
		structs[reflect.TypeOf(m).Elem().Name()] = reflect.TypeOf(m).Elem()
	}
	goType := map[protoreflect.Kind]reflect.Type{
		protoreflect.BytesKind: reflect.TypeOf([]byte(nil)),
		protoreflect.Int64Kind: reflect.TypeOf(int64(0)),
	}
	seen := 0
	for _, f := range []protoreflect.FileDescriptor{lockFile, electionFile} {
		for i := 0; i < f.Messages().Len(); i++ {
			md := f.Messages().Get(i)
			st, ok := structs[string(md.Name())]
			require.True(t, ok, "no Go struct for %s", md.FullName())
			require.Equal(t, md.Fields().Len(), st.NumField(), "fields of %s", md.FullName())
			for j := 0; j < st.NumField(); j++ {
				fd := fieldOf(md, st.Field(j))
				want := goType[fd.Kind()]
				if fd.Kind() == protoreflect.MessageKind {
					require.Equal(t, string(fd.Message().Name()), st.Field(j).Type.Elem().Name(), "%s", fd.FullName())
					continue
				}
				require.Equal(t, want, st.Field(j).Type, "%s", fd.FullName())
			}
			seen++
		}
	}
	require.Equal(t, len(allMessages), seen)
}

// The gRPC method names are etcd's.
func TestMethodNames(t *testing.T) {
	var names []string
	for _, svc := range []protoreflect.ServiceDescriptor{lockService, electionService} {
		for i := 0; i < svc.Methods().Len(); i++ {
			names = append(names, fullMethod(svc.Methods().Get(i)))
		}
	}
	sort.Strings(names)
	require.Equal(t, []string{
		"/v3electionpb.Election/Campaign", "/v3electionpb.Election/Leader", "/v3electionpb.Election/Observe",
		"/v3electionpb.Election/Proclaim", "/v3electionpb.Election/Resign",
		"/v3lockpb.Lock/Lock", "/v3lockpb.Lock/Unlock",
	}, names)
	require.True(t, methodOf(electionService, "Observe").IsStreamingServer())
}

// A request encodes to the bytes etcd's generated code writes: field 1
// (name, bytes) then field 2 (lease, varint).
func TestLockRequestBytes(t *testing.T) {
	b, err := proto.Marshal(toWire(&LockRequest{Name: []byte("job"), Lease: 0x694d}))
	require.NoError(t, err)
	want := protowire.AppendTag(nil, 1, protowire.BytesType)
	want = protowire.AppendBytes(want, []byte("job"))
	want = protowire.AppendTag(want, 2, protowire.VarintType)
	want = protowire.AppendVarint(want, 0x694d)
	require.Equal(t, want, b)
}

// A response's header and key-value are etcd's messages on the wire.
func TestLeaderResponseCarriesEtcdMessages(t *testing.T) {
	in := &LeaderResponse{
		Header: &pb.ResponseHeader{ClusterId: 1, MemberId: 2, Revision: 3, RaftTerm: 4},
		Kv:     &mvccpb.KeyValue{Key: []byte("e/1"), Value: []byte("v"), CreateRevision: 5, ModRevision: 6, Version: 1, Lease: 7},
	}
	b, err := proto.Marshal(toWire(in))
	require.NoError(t, err)

	num, typ, n := protowire.ConsumeTag(b)
	require.Equal(t, protowire.Number(1), num)
	require.Equal(t, protowire.BytesType, typ)
	field, m := protowire.ConsumeBytes(b[n:])
	var h pb.ResponseHeader
	require.NoError(t, h.Unmarshal(field))
	require.Equal(t, *in.Header, h)
	b = b[n+m:]
	num, _, n = protowire.ConsumeTag(b)
	require.Equal(t, protowire.Number(2), num)
	field, _ = protowire.ConsumeBytes(b[n:])
	var kv mvccpb.KeyValue
	require.NoError(t, kv.Unmarshal(field))
	require.Equal(t, *in.Kv, kv)
}

// Every message survives toWire, encoding, decoding and fromWire.
func TestRoundTrip(t *testing.T) {
	key := &LeaderKey{Name: []byte("e"), Key: []byte("e/694d"), Rev: 9, Lease: 0x694d}
	header := &pb.ResponseHeader{ClusterId: 11, MemberId: 12, Revision: 13, RaftTerm: 14}
	for _, in := range []any{
		&LockRequest{Name: []byte("l"), Lease: 1}, &LockResponse{Header: header, Key: []byte("l/1")},
		&UnlockRequest{Key: []byte("l/1")}, &UnlockResponse{Header: header},
		&CampaignRequest{Name: []byte("e"), Lease: 2, Value: []byte("v")}, &CampaignResponse{Header: header, Leader: key},
		key, &LeaderRequest{Name: []byte("e")},
		&LeaderResponse{Header: header, Kv: &mvccpb.KeyValue{Key: []byte("e/694d"), Value: []byte("v"), Lease: 3}},
		&ResignRequest{Leader: key}, &ResignResponse{Header: header},
		&ProclaimRequest{Leader: key, Value: []byte("w")}, &ProclaimResponse{Header: header},
	} {
		msg := toWire(in)
		b, err := proto.Marshal(msg)
		require.NoError(t, err)
		decoded := msg.New().Interface()
		require.NoError(t, proto.Unmarshal(b, decoded))
		out := reflect.New(reflect.TypeOf(in).Elem()).Interface()
		require.NoError(t, fromWire(decoded.ProtoReflect(), out))
		require.Equal(t, in, out)
	}
}
