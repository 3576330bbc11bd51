package api

// The gateway's streams (etcd: grpc-gateway v1's bidirectional and
// server streams, runtime.ForwardResponseStream). The request body is a
// sequence of JSON requests; the answer is a chunked HTTP response of
// newline-delimited results, written as they come:
//
//	POST /v3/watch  {"create_request": {"key": "Zm9v"}}
//	200 (chunked)
//	  {"result":{"header":{…},"created":true}}
//	  {"result":{"header":{…},"events":[{"kv":{"key":"Zm9v",…}}]}}
//	  …until the client goes away
//
// A gatewayStream stands in for the gRPC stream, so that the call runs
// through the same stream interceptor (authStream: the token, the watch
// permission checks) and service method as over gRPC. When the body has no
// more requests a watch stays open, as etcd's does; a keep-alive stream
// ends, answering each request once (etcd: LeaseKeepAlive ends at the
// client's io.EOF). A first request that does not decode is answered as a
// failed call (code Unknown, as etcd's gateway does); a later one ends
// the requests.

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"sync"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/protobuf/protoadapt"
)

// gatewayStreamRoute is one streaming RPC under its gateway path.
type gatewayStreamRoute struct {
	path, method string
	newRequest   func() protoadapt.MessageV1 // to check the first request
	clientStream bool                        // the client sends a stream of requests
	holdOpen     bool                        // at the body's end, wait for the client to go
	run          func(grpc.ServerStream) error
}

// gatewayStreamRoutes: Watch, LeaseKeepAlive and Snapshot (etcd:
// rpc.proto's google.api.http options).
func (s *Server) gatewayStreamRoutes() []gatewayStreamRoute {
	return []gatewayStreamRoute{
		{
			path: "/v3/watch", method: watchMethod, clientStream: true, holdOpen: true,
			newRequest: func() protoadapt.MessageV1 { return new(pb.WatchRequest) },
			run:        func(ss grpc.ServerStream) error { return watchServer{s: s}.Watch(watchStream{ss}) },
		},
		{
			path: "/v3/lease/keepalive", method: "/etcdserverpb.Lease/LeaseKeepAlive", clientStream: true,
			newRequest: func() protoadapt.MessageV1 { return new(pb.LeaseKeepAliveRequest) },
			run:        func(ss grpc.ServerStream) error { return leaseServer{s: s}.LeaseKeepAlive(keepAliveStream{ss}) },
		},
		{
			path: "/v3/maintenance/snapshot", method: "/etcdserverpb.Maintenance/Snapshot",
			newRequest: func() protoadapt.MessageV1 { return new(pb.SnapshotRequest) },
			run: func(ss grpc.ServerStream) error {
				req := new(pb.SnapshotRequest)
				if err := ss.RecvMsg(req); err != nil && !errors.Is(err, io.EOF) {
					return err
				}
				return maintenanceServer{s: s}.Snapshot(req, snapshotStream{ss})
			},
		},
	}
}

// serveStream answers one streaming RPC.
func (s *Server) serveStream(rt gatewayStreamRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		rc := http.NewResponseController(w)
		rc.EnableFullDuplex() // read later requests while results go out
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.gatewayBodyLimit()))
		first, err := nextGatewayJSON(dec)
		if err == nil {
			err = unmarshalGateway(first, rt.newRequest())
		}
		if err != nil && !errors.Is(err, io.EOF) {
			writeGatewayError(w, gatewayDecodeError(err, codes.Unknown))
			return
		}
		gs := &gatewayStream{ctx: gatewayContext(r), w: w, rc: rc, dec: dec, first: first, holdOpen: rt.holdOpen}
		w.Header().Set("Content-Type", "application/json")
		info := &grpc.StreamServerInfo{FullMethod: rt.method, IsClientStream: rt.clientStream, IsServerStream: true}
		err = s.authStream(nil, gs, info, func(_ any, ss grpc.ServerStream) error { return rt.run(ss) })
		if err != nil && !errors.Is(err, io.EOF) && r.Context().Err() == nil {
			gs.fail(err)
		}
	}
}

// gatewayStream is a grpc.ServerStream over one HTTP exchange: RecvMsg
// decodes the body's next request, SendMsg writes one result chunk.
type gatewayStream struct {
	ctx      context.Context
	w        http.ResponseWriter
	rc       *http.ResponseController
	holdOpen bool

	recvMu sync.Mutex // the handler's receiving goroutine
	dec    *json.Decoder
	first  json.RawMessage // decoded before the call; nil after the first RecvMsg or for an empty body
	ended  bool            // no more requests

	sendMu sync.Mutex // sends come from more than one goroutine
	sent   bool
}

func (g *gatewayStream) Context() context.Context     { return g.ctx }
func (g *gatewayStream) SetHeader(metadata.MD) error  { return nil }
func (g *gatewayStream) SendHeader(metadata.MD) error { return nil }
func (g *gatewayStream) SetTrailer(metadata.MD)       {}

// RecvMsg hands out the body's requests in order; at the body's end it
// reports io.EOF, or for a watch waits until the client goes.
func (g *gatewayStream) RecvMsg(m any) error {
	g.recvMu.Lock()
	defer g.recvMu.Unlock()
	raw, err := g.next()
	if err == nil {
		err = unmarshalGateway(raw, m.(protoadapt.MessageV1))
	}
	if err == nil {
		return nil
	}
	g.ended = true // a request that does not decode ends the requests
	if g.holdOpen {
		<-g.ctx.Done()
		return g.ctx.Err()
	}
	return io.EOF
}

func (g *gatewayStream) next() (json.RawMessage, error) {
	if g.first != nil {
		raw := g.first
		g.first = nil
		return raw, nil
	}
	if g.ended {
		return nil, io.EOF
	}
	return nextGatewayJSON(g.dec)
}

// SendMsg writes {"result": m} and a newline, and flushes it to the client.
func (g *gatewayStream) SendMsg(m any) error {
	body, err := marshalGateway(m)
	if err != nil {
		return err
	}
	g.sendMu.Lock()
	defer g.sendMu.Unlock()
	g.sent = true
	chunk := make([]byte, 0, len(body)+len(`{"result":}`)+1)
	chunk = append(append(append(chunk, `{"result":`...), body...), "}\n"...)
	if _, err := g.w.Write(chunk); err != nil {
		return err
	}
	return g.rc.Flush()
}

// fail ends the stream with err: an error chunk, after the HTTP status of
// err if nothing was sent yet.
func (g *gatewayStream) fail(err error) {
	g.sendMu.Lock()
	defer g.sendMu.Unlock()
	chunk := streamErrorChunk(err)
	if !g.sent {
		g.sent = true
		g.w.WriteHeader(httpStatusOf(statusCodeOf(err)))
	}
	g.w.Write(chunk)
	g.rc.Flush()
}

// The typed streams the services take, over any grpc.ServerStream.
type (
	watchStream     struct{ grpc.ServerStream }
	keepAliveStream struct{ grpc.ServerStream }
	snapshotStream  struct{ grpc.ServerStream }
)

func (s watchStream) Send(m *pb.WatchResponse) error { return s.SendMsg(m) }
func (s watchStream) Recv() (*pb.WatchRequest, error) {
	m := new(pb.WatchRequest)
	return m, s.RecvMsg(m)
}

func (s keepAliveStream) Send(m *pb.LeaseKeepAliveResponse) error { return s.SendMsg(m) }
func (s keepAliveStream) Recv() (*pb.LeaseKeepAliveRequest, error) {
	m := new(pb.LeaseKeepAliveRequest)
	return m, s.RecvMsg(m)
}

func (s snapshotStream) Send(m *pb.SnapshotResponse) error { return s.SendMsg(m) }
