package api

// The Watch service (etcd: v3rpc/watch.go): one bidirectional stream per
// client carries many watchers. A receiving goroutine turns create, cancel
// and progress requests into calls on the daemon's WatchStream; the
// handler's own goroutine sends the stream's responses as they come.

import (
	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/native/daemon"
	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

type watchServer struct {
	pb.UnimplementedWatchServer
	s *Server
}

func (w watchServer) Watch(stream pb.Watch_WatchServer) error {
	ctx := stream.Context()
	ws, err := w.s.d.NewWatchStream(ctx)
	if err != nil {
		return toGRPC(err)
	}
	defer ws.Close()
	recvErr := make(chan error, 1)
	go func() { recvErr <- w.recvLoop(stream, ws) }()
	for {
		select {
		case r := <-ws.Responses():
			if err := stream.Send(w.toResponse(r)); err != nil {
				return err
			}
		case err := <-recvErr:
			return err
		case <-ws.Done():
			return toGRPC(ws.Err())
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// recvLoop applies the client's requests until the stream ends.
func (w watchServer) recvLoop(stream pb.Watch_WatchServer, ws *daemon.WatchStream) error {
	ctx := stream.Context()
	for {
		req, err := stream.Recv()
		if err != nil {
			return err
		}
		switch u := req.RequestUnion.(type) {
		case *pb.WatchRequest_CreateRequest:
			err = ws.Watch(ctx, fromWatchCreate(u.CreateRequest))
		case *pb.WatchRequest_CancelRequest:
			err = ws.Cancel(ctx, mvcc.WatchID(u.CancelRequest.WatchId))
		case *pb.WatchRequest_ProgressRequest:
			err = ws.RequestProgress(ctx)
		}
		if err != nil {
			return toGRPC(err)
		}
	}
}

func fromWatchCreate(c *pb.WatchCreateRequest) mvcc.WatchRequest {
	r := mvcc.WatchRequest{
		ID: mvcc.WatchID(c.WatchId), Key: c.Key, RangeEnd: c.RangeEnd, StartRevision: c.StartRevision,
		PrevKV: c.PrevKv, Fragment: c.Fragment, ProgressNotify: c.ProgressNotify,
	}
	for _, f := range c.Filters {
		switch f {
		case pb.WatchCreateRequest_NOPUT:
			r.NoPut = true
		case pb.WatchCreateRequest_NODELETE:
			r.NoDelete = true
		}
	}
	return r
}

func (w watchServer) toResponse(r mvcc.WatchResponse) *pb.WatchResponse {
	return &pb.WatchResponse{
		Header: w.s.header(r.Revision), WatchId: int64(r.WatchID),
		Created: r.Created, Canceled: r.Canceled, CompactRevision: r.CompactRevision,
		CancelReason: r.CancelReason, Fragment: r.Fragment, Events: toEvents(r.Events),
	}
}
