package lockelect

// The two .proto files of etcd's helper services, written out as
// descriptor values instead of generated code (doc.go says why):
//
//	etcd: server/etcdserver/api/v3lock/v3lockpb/v3lock.proto
//	etcd: server/etcdserver/api/v3election/v3electionpb/v3election.proto
//
// Message names, field names, numbers and types are etcd's, which is all
// the wire sees. The header and key-value fields point at etcd's own
// etcdserverpb.ResponseHeader and mvccpb.KeyValue, found in the protobuf
// registry under the file names go.etcd.io/etcd/api/v3 registered them
// with. The HTTP gateway options of etcd's files are left out: etcdlab has
// no gateway.

import (
	_ "go.etcd.io/etcd/api/v3/etcdserverpb" // registers rpc.proto (ResponseHeader)
	_ "go.etcd.io/etcd/api/v3/mvccpb"       // registers kv.proto (KeyValue)
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protodesc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/reflect/protoregistry"
	"google.golang.org/protobuf/types/descriptorpb"
)

// Full names of etcd's messages our messages embed.
const (
	headerName   = "etcdserverpb.ResponseHeader"
	keyValueName = "mvccpb.KeyValue"
)

// The files, built once. A mistake in them is a programmer error: the
// package panics when it loads (and its tests fail).
var (
	lockFile     = buildFile(lockFileProto())
	electionFile = buildFile(electionFileProto())
)

// lockFileProto is v3lock.proto.
func lockFileProto() *descriptorpb.FileDescriptorProto {
	header := messageField("header", 1, headerName)
	return &descriptorpb.FileDescriptorProto{
		Name:       proto.String("etcdserver/api/v3lock/v3lockpb/v3lock.proto"),
		Package:    proto.String("v3lockpb"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{fileOf(headerName)},
		MessageType: []*descriptorpb.DescriptorProto{
			message("LockRequest", bytesField("name", 1), int64Field("lease", 2)),
			message("LockResponse", header, bytesField("key", 2)),
			message("UnlockRequest", bytesField("key", 1)),
			message("UnlockResponse", header),
		},
		Service: []*descriptorpb.ServiceDescriptorProto{
			service("Lock",
				method("Lock", "v3lockpb.LockRequest", "v3lockpb.LockResponse", false),
				method("Unlock", "v3lockpb.UnlockRequest", "v3lockpb.UnlockResponse", false)),
		},
	}
}

// electionFileProto is v3election.proto.
func electionFileProto() *descriptorpb.FileDescriptorProto {
	header := messageField("header", 1, headerName)
	const pkg = "v3electionpb."
	return &descriptorpb.FileDescriptorProto{
		Name:       proto.String("etcdserver/api/v3election/v3electionpb/v3election.proto"),
		Package:    proto.String("v3electionpb"),
		Syntax:     proto.String("proto3"),
		Dependency: []string{fileOf(headerName), fileOf(keyValueName)},
		MessageType: []*descriptorpb.DescriptorProto{
			message("CampaignRequest", bytesField("name", 1), int64Field("lease", 2), bytesField("value", 3)),
			message("CampaignResponse", header, messageField("leader", 2, pkg+"LeaderKey")),
			message("LeaderKey", bytesField("name", 1), bytesField("key", 2), int64Field("rev", 3), int64Field("lease", 4)),
			message("LeaderRequest", bytesField("name", 1)),
			message("LeaderResponse", header, messageField("kv", 2, keyValueName)),
			message("ResignRequest", messageField("leader", 1, pkg+"LeaderKey")),
			message("ResignResponse", header),
			message("ProclaimRequest", messageField("leader", 1, pkg+"LeaderKey"), bytesField("value", 2)),
			message("ProclaimResponse", header),
		},
		Service: []*descriptorpb.ServiceDescriptorProto{
			service("Election",
				method("Campaign", pkg+"CampaignRequest", pkg+"CampaignResponse", false),
				method("Proclaim", pkg+"ProclaimRequest", pkg+"ProclaimResponse", false),
				method("Leader", pkg+"LeaderRequest", pkg+"LeaderResponse", false),
				method("Observe", pkg+"LeaderRequest", pkg+"LeaderResponse", true),
				method("Resign", pkg+"ResignRequest", pkg+"ResignResponse", false)),
		},
	}
}

// fileOf is the registered file that declares etcd's message name.
func fileOf(name protoreflect.FullName) string {
	d, err := protoregistry.GlobalFiles.FindDescriptorByName(name)
	if err != nil {
		panic("lockelect.fileOf: " + string(name) + " is not registered by go.etcd.io/etcd/api/v3: " + err.Error())
	}
	return d.ParentFile().Path()
}

func buildFile(fdp *descriptorpb.FileDescriptorProto) protoreflect.FileDescriptor {
	fd, err := protodesc.NewFile(fdp, protoregistry.GlobalFiles)
	if err != nil {
		panic("lockelect.buildFile: " + fdp.GetName() + ": " + err.Error())
	}
	return fd
}

func message(name string, fields ...*descriptorpb.FieldDescriptorProto) *descriptorpb.DescriptorProto {
	return &descriptorpb.DescriptorProto{Name: proto.String(name), Field: fields}
}

func scalarField(name string, number int32, kind descriptorpb.FieldDescriptorProto_Type) *descriptorpb.FieldDescriptorProto {
	return &descriptorpb.FieldDescriptorProto{
		Name:     proto.String(name),
		JsonName: proto.String(name), // all of etcd's names here are one lower-case word
		Number:   proto.Int32(number),
		Label:    descriptorpb.FieldDescriptorProto_LABEL_OPTIONAL.Enum(),
		Type:     kind.Enum(),
	}
}

func bytesField(name string, number int32) *descriptorpb.FieldDescriptorProto {
	return scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_BYTES)
}

func int64Field(name string, number int32) *descriptorpb.FieldDescriptorProto {
	return scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_INT64)
}

// messageField refers to a message by its full name.
func messageField(name string, number int32, typeName protoreflect.FullName) *descriptorpb.FieldDescriptorProto {
	f := scalarField(name, number, descriptorpb.FieldDescriptorProto_TYPE_MESSAGE)
	f.TypeName = proto.String("." + string(typeName))
	return f
}

func service(name string, methods ...*descriptorpb.MethodDescriptorProto) *descriptorpb.ServiceDescriptorProto {
	return &descriptorpb.ServiceDescriptorProto{Name: proto.String(name), Method: methods}
}

func method(name string, in, out protoreflect.FullName, serverStreams bool) *descriptorpb.MethodDescriptorProto {
	return &descriptorpb.MethodDescriptorProto{
		Name:            proto.String(name),
		InputType:       proto.String("." + string(in)),
		OutputType:      proto.String("." + string(out)),
		ServerStreaming: proto.Bool(serverStreams),
	}
}
