package lockelect

// The two gRPC services as grpc.ServiceDesc values — what protoc-gen-go-grpc
// would have generated from etcd's .proto files — taken from the
// descriptors, so that the full method names are etcd's by construction:
//
//	/v3lockpb.Lock/Lock                 /v3electionpb.Election/Campaign
//	/v3lockpb.Lock/Unlock               /v3electionpb.Election/Proclaim
//	                                    /v3electionpb.Election/Leader
//	                                    /v3electionpb.Election/Observe  (server stream)
//	                                    /v3electionpb.Election/Resign
//
// A handler decodes the request into a dynamic message of the input type,
// copies it into its Go struct (wire.go), runs the call through the
// server's interceptors (native/api's auth interceptor passes the caller's
// token on) and encodes the answer the same way.

import (
	"context"
	"crypto/tls"

	"github.com/etcdlab/etcdlab/native/daemon"
	"google.golang.org/grpc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// lockAPI is the Lock service (etcd: v3lockpb.LockServer).
type lockAPI interface {
	Lock(context.Context, *LockRequest) (*LockResponse, error)
	Unlock(context.Context, *UnlockRequest) (*UnlockResponse, error)
}

// electionAPI is the Election service (etcd: v3electionpb.ElectionServer).
type electionAPI interface {
	Campaign(context.Context, *CampaignRequest) (*CampaignResponse, error)
	Proclaim(context.Context, *ProclaimRequest) (*ProclaimResponse, error)
	Leader(context.Context, *LeaderRequest) (*LeaderResponse, error)
	Observe(*LeaderRequest, observeStream) error
	Resign(context.Context, *ResignRequest) (*ResignResponse, error)
}

// observeStream is the server side of one Observe call.
type observeStream interface {
	Send(*LeaderResponse) error
	Context() context.Context
}

var (
	lockService     = lockFile.Services().ByName("Lock")
	electionService = electionFile.Services().ByName("Election")
)

var lockServiceDesc = grpc.ServiceDesc{
	ServiceName: string(lockService.FullName()),
	HandlerType: (*lockAPI)(nil),
	Methods: []grpc.MethodDesc{
		unary(lockService, "Lock", lockAPI.Lock),
		unary(lockService, "Unlock", lockAPI.Unlock),
	},
	Metadata: lockFile.Path(),
}

var electionServiceDesc = grpc.ServiceDesc{
	ServiceName: string(electionService.FullName()),
	HandlerType: (*electionAPI)(nil),
	Methods: []grpc.MethodDesc{
		unary(electionService, "Campaign", electionAPI.Campaign),
		unary(electionService, "Proclaim", electionAPI.Proclaim),
		unary(electionService, "Leader", electionAPI.Leader),
		unary(electionService, "Resign", electionAPI.Resign),
	},
	Streams:  []grpc.StreamDesc{{StreamName: "Observe", Handler: observeHandler, ServerStreams: true}},
	Metadata: electionFile.Path(),
}

// Register serves the Lock and Election services on gs for member d. The
// services call the member through a client on its own advertised client
// URLs (self.go), dialed with tlsConfig when those are https. That client
// is closed when d stops, or earlier by the returned stop: called before
// a graceful stop of gs, it ends the client's own streams to gs (lease
// keep-alives), which a graceful stop would otherwise wait for.
func Register(gs grpc.ServiceRegistrar, d *daemon.Daemon, tlsConfig *tls.Config) (stop func()) {
	self := newSelfClient(d, tlsConfig)
	gs.RegisterService(&lockServiceDesc, lockServer{self: self})
	gs.RegisterService(&electionServiceDesc, electionServer{self: self})
	return self.close
}

// fullMethod is "/package.Service/Method", as gRPC names a call.
func fullMethod(m protoreflect.MethodDescriptor) string {
	return "/" + string(m.Parent().FullName()) + "/" + string(m.Name())
}

// methodOf is the service's method called name.
func methodOf(svc protoreflect.ServiceDescriptor, name string) protoreflect.MethodDescriptor {
	m := svc.Methods().ByName(protoreflect.Name(name))
	if m == nil {
		panic("lockelect.methodOf: " + string(svc.FullName()) + " has no method " + name)
	}
	return m
}

// unary is the gRPC method name of svc, answered by call.
func unary[S, Req, Resp any](svc protoreflect.ServiceDescriptor, name string,
	call func(S, context.Context, *Req) (*Resp, error)) grpc.MethodDesc {
	m := methodOf(svc, name)
	handler := func(srv any, ctx context.Context, dec func(any) error, intercept grpc.UnaryServerInterceptor) (any, error) {
		in := dynamicpb.NewMessage(m.Input())
		if err := dec(in); err != nil {
			return nil, err
		}
		serve := func(ctx context.Context, in any) (any, error) {
			req := new(Req)
			if err := fromWire(in.(*dynamicpb.Message), req); err != nil {
				return nil, err
			}
			resp, err := call(srv.(S), ctx, req)
			if err != nil {
				return nil, err
			}
			return toWire(resp), nil
		}
		if intercept == nil {
			return serve(ctx, in)
		}
		return intercept(ctx, in, &grpc.UnaryServerInfo{Server: srv, FullMethod: fullMethod(m)}, serve)
	}
	return grpc.MethodDesc{MethodName: name, Handler: handler}
}

// observeHandler reads Observe's one request and streams the answers.
func observeHandler(srv any, stream grpc.ServerStream) error {
	in := dynamicpb.NewMessage(methodOf(electionService, "Observe").Input())
	if err := stream.RecvMsg(in); err != nil {
		return err
	}
	req := new(LeaderRequest)
	if err := fromWire(in, req); err != nil {
		return err
	}
	return srv.(electionAPI).Observe(req, observeSender{stream})
}

type observeSender struct{ grpc.ServerStream }

func (o observeSender) Send(r *LeaderResponse) error { return o.SendMsg(toWire(r)) }
