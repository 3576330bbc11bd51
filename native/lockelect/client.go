package lockelect

// Clients of the two services, for programs (and tests) that speak them
// without etcd's generated stubs, which live in etcd's server module. On
// the wire they are the same calls: etcd's method names and messages.
//
//	conn, _ := grpc.Dial("127.0.0.1:2379", grpc.WithTransportCredentials(insecure.NewCredentials()))
//	key, err := lockelect.NewLockClient(conn).Lock(ctx, &lockelect.LockRequest{Name: []byte("job"), Lease: id})

import (
	"context"

	"google.golang.org/grpc"
	"google.golang.org/protobuf/reflect/protoreflect"
	"google.golang.org/protobuf/types/dynamicpb"
)

// LockClient calls v3lockpb.Lock.
type LockClient struct{ cc grpc.ClientConnInterface }

// NewLockClient is a Lock client on cc.
func NewLockClient(cc grpc.ClientConnInterface) LockClient { return LockClient{cc: cc} }

// Lock blocks until the lock is held and returns its key.
func (c LockClient) Lock(ctx context.Context, r *LockRequest, opts ...grpc.CallOption) (*LockResponse, error) {
	return invoke[LockResponse](ctx, c.cc, lockService, "Lock", r, opts)
}

// Unlock deletes a key Lock returned.
func (c LockClient) Unlock(ctx context.Context, r *UnlockRequest, opts ...grpc.CallOption) (*UnlockResponse, error) {
	return invoke[UnlockResponse](ctx, c.cc, lockService, "Unlock", r, opts)
}

// ElectionClient calls v3electionpb.Election.
type ElectionClient struct{ cc grpc.ClientConnInterface }

// NewElectionClient is an Election client on cc.
func NewElectionClient(cc grpc.ClientConnInterface) ElectionClient { return ElectionClient{cc: cc} }

// Campaign blocks until elected and returns the LeaderKey.
func (c ElectionClient) Campaign(ctx context.Context, r *CampaignRequest, opts ...grpc.CallOption) (*CampaignResponse, error) {
	return invoke[CampaignResponse](ctx, c.cc, electionService, "Campaign", r, opts)
}

// Proclaim replaces the leader's value.
func (c ElectionClient) Proclaim(ctx context.Context, r *ProclaimRequest, opts ...grpc.CallOption) (*ProclaimResponse, error) {
	return invoke[ProclaimResponse](ctx, c.cc, electionService, "Proclaim", r, opts)
}

// Leader returns the leader's key-value.
func (c ElectionClient) Leader(ctx context.Context, r *LeaderRequest, opts ...grpc.CallOption) (*LeaderResponse, error) {
	return invoke[LeaderResponse](ctx, c.cc, electionService, "Leader", r, opts)
}

// Resign gives leadership up.
func (c ElectionClient) Resign(ctx context.Context, r *ResignRequest, opts ...grpc.CallOption) (*ResignResponse, error) {
	return invoke[ResignResponse](ctx, c.cc, electionService, "Resign", r, opts)
}

// Observe opens a stream of the election's leader changes.
func (c ElectionClient) Observe(ctx context.Context, r *LeaderRequest, opts ...grpc.CallOption) (*ObserveClient, error) {
	m := methodOf(electionService, "Observe")
	stream, err := c.cc.NewStream(ctx, &electionServiceDesc.Streams[0], fullMethod(m), opts...)
	if err != nil {
		return nil, err
	}
	if err := stream.SendMsg(toWire(r)); err != nil {
		return nil, err
	}
	if err := stream.CloseSend(); err != nil {
		return nil, err
	}
	return &ObserveClient{stream: stream, out: m.Output()}, nil
}

// ObserveClient receives an Observe stream.
type ObserveClient struct {
	stream grpc.ClientStream
	out    protoreflect.MessageDescriptor
}

// Recv blocks for the next leader change.
func (o *ObserveClient) Recv() (*LeaderResponse, error) {
	msg := dynamicpb.NewMessage(o.out)
	if err := o.stream.RecvMsg(msg); err != nil {
		return nil, err
	}
	resp := new(LeaderResponse)
	return resp, fromWire(msg, resp)
}

// invoke makes one unary call of svc.
func invoke[Resp any](ctx context.Context, cc grpc.ClientConnInterface, svc protoreflect.ServiceDescriptor,
	name string, req any, opts []grpc.CallOption) (*Resp, error) {
	m := methodOf(svc, name)
	out := dynamicpb.NewMessage(m.Output())
	if err := cc.Invoke(ctx, fullMethod(m), toWire(req), out, opts...); err != nil {
		return nil, err
	}
	resp := new(Resp)
	return resp, fromWire(out, resp)
}
