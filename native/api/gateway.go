package api

// The JSON gateway: etcd's v3 API as POST requests with JSON bodies on the
// client URLs, for clients without gRPC (curl, browsers, scripts). etcd
// generates it with grpc-gateway from the google.api.http options of
// rpc.proto (etcd: api/etcdserverpb/gw/rpc.pb.gw.go, mounted at /v3/ by
// embed/serve.go) and dials its own gRPC port; etcdlab calls the same
// interceptor and service methods as the gRPC server, in process:
//
//	POST /v3/kv/put  {"key": "Zm9v", "value": "YmFy"}
//	  │ decodeGatewayJSON: JSON -> *pb.PutRequest
//	  │ gatewayContext: the Authorization header becomes the call's token
//	  v
//	authUnary(ctx, req, "/etcdserverpb.KV/Put", kvServer.Put)    as for gRPC
//	  v
//	200 {"header":{"cluster_id":"…","member_id":"…","revision":"2","raft_term":"2"}}
//	or  {"error":"…","message":"…","code":N}             (gateway_errors.go)
//
// The JSON follows etcd's gateway (protobuf's JSON mapping as grpc-gateway
// v1 writes it, with the proto field names): keys and values in base64,
// 64-bit integers as strings, enums by name, fields at their zero value
// left out. Requests may name fields in snake_case or lowerCamelCase, give
// 64-bit integers as strings or numbers, and carry fields the message does
// not have (ignored, as etcd does). The streams (/v3/watch,
// /v3/lease/keepalive) are in gateway_stream.go.

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"

	"go.etcd.io/etcd/api/v3/v3rpc/rpctypes"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/metadata"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protojson"
	"google.golang.org/protobuf/protoadapt"
)

// gatewayBodyFactor: a JSON body may be this many times the largest gRPC
// message, since base64 grows keys and values by a third and the field
// names come on top. The core refuses a request above --max-request-bytes
// whichever way it came.
const gatewayBodyFactor = 2

var (
	// gatewayMarshal writes proto field names (cluster_id, not clusterId),
	// as etcd's gateway does (grpc-gateway's JSONPb{OrigName: true}).
	gatewayMarshal = protojson.MarshalOptions{UseProtoNames: true}
	// gatewayUnmarshal ignores unknown fields, as etcd's gateway does.
	gatewayUnmarshal = protojson.UnmarshalOptions{DiscardUnknown: true}
)

// gatewayRoute is one unary RPC under its gateway path.
type gatewayRoute struct {
	path       string // etcd's google.api.http path, e.g. /v3/kv/put
	method     string // the gRPC method, e.g. /etcdserverpb.KV/Put
	newRequest func() protoadapt.MessageV1
	call       grpc.UnaryHandler
}

// unary makes the route of one RPC; call is the service's method.
func unary[Req, Resp any](path, method string, call func(context.Context, *Req) (*Resp, error)) gatewayRoute {
	if _, ok := any(new(Req)).(protoadapt.MessageV1); !ok {
		panic(fmt.Sprintf("api.unary: the request of %s is not a protobuf message", method))
	}
	return gatewayRoute{
		path: path, method: method,
		newRequest: func() protoadapt.MessageV1 { return any(new(Req)).(protoadapt.MessageV1) },
		call:       func(ctx context.Context, req any) (any, error) { return call(ctx, req.(*Req)) },
	}
}

// gatewayRoutes are the unary RPCs with etcd's paths and aliases (etcd:
// rpc.proto's google.api.http options).
func (s *Server) gatewayRoutes() []gatewayRoute {
	kv, ls, cl := kvServer{s: s}, leaseServer{s: s}, clusterServer{s: s}
	mt, au := maintenanceServer{s: s}, authServer{s: s}
	routes := []gatewayRoute{
		unary("/v3/kv/range", "/etcdserverpb.KV/Range", kv.Range),
		unary("/v3/kv/put", "/etcdserverpb.KV/Put", kv.Put),
		unary("/v3/kv/deleterange", "/etcdserverpb.KV/DeleteRange", kv.DeleteRange),
		unary("/v3/kv/txn", "/etcdserverpb.KV/Txn", kv.Txn),
		unary("/v3/kv/compaction", "/etcdserverpb.KV/Compact", kv.Compact),
		unary("/v3/lease/grant", "/etcdserverpb.Lease/LeaseGrant", ls.LeaseGrant),
		unary("/v3/lease/revoke", "/etcdserverpb.Lease/LeaseRevoke", ls.LeaseRevoke),
		unary("/v3/kv/lease/revoke", "/etcdserverpb.Lease/LeaseRevoke", ls.LeaseRevoke),
		unary("/v3/lease/timetolive", "/etcdserverpb.Lease/LeaseTimeToLive", ls.LeaseTimeToLive),
		unary("/v3/kv/lease/timetolive", "/etcdserverpb.Lease/LeaseTimeToLive", ls.LeaseTimeToLive),
		unary("/v3/lease/leases", "/etcdserverpb.Lease/LeaseLeases", ls.LeaseLeases),
		unary("/v3/kv/lease/leases", "/etcdserverpb.Lease/LeaseLeases", ls.LeaseLeases),
		unary("/v3/cluster/member/add", "/etcdserverpb.Cluster/MemberAdd", cl.MemberAdd),
		unary("/v3/cluster/member/remove", "/etcdserverpb.Cluster/MemberRemove", cl.MemberRemove),
		unary("/v3/cluster/member/update", "/etcdserverpb.Cluster/MemberUpdate", cl.MemberUpdate),
		unary("/v3/cluster/member/list", "/etcdserverpb.Cluster/MemberList", cl.MemberList),
		unary("/v3/cluster/member/promote", "/etcdserverpb.Cluster/MemberPromote", cl.MemberPromote),
		unary("/v3/maintenance/alarm", "/etcdserverpb.Maintenance/Alarm", mt.Alarm),
		unary("/v3/maintenance/status", "/etcdserverpb.Maintenance/Status", mt.Status),
		unary("/v3/maintenance/defragment", "/etcdserverpb.Maintenance/Defragment", mt.Defragment),
		unary("/v3/maintenance/hash", "/etcdserverpb.Maintenance/Hash", mt.Hash),
		unary("/v3/maintenance/hashkv", "/etcdserverpb.Maintenance/HashKV", mt.HashKV),
		unary("/v3/maintenance/transfer-leadership", "/etcdserverpb.Maintenance/MoveLeader", mt.MoveLeader),
		unary("/v3/maintenance/downgrade", "/etcdserverpb.Maintenance/Downgrade", mt.Downgrade),
	}
	return append(routes, authRoutes(au)...)
}

// authRoutes are the Auth service's RPCs (etcd: rpc.proto, service Auth).
func authRoutes(au authServer) []gatewayRoute {
	return []gatewayRoute{
		unary("/v3/auth/enable", "/etcdserverpb.Auth/AuthEnable", au.AuthEnable),
		unary("/v3/auth/disable", "/etcdserverpb.Auth/AuthDisable", au.AuthDisable),
		unary("/v3/auth/status", "/etcdserverpb.Auth/AuthStatus", au.AuthStatus),
		unary("/v3/auth/authenticate", "/etcdserverpb.Auth/Authenticate", au.Authenticate),
		unary("/v3/auth/user/add", "/etcdserverpb.Auth/UserAdd", au.UserAdd),
		unary("/v3/auth/user/get", "/etcdserverpb.Auth/UserGet", au.UserGet),
		unary("/v3/auth/user/list", "/etcdserverpb.Auth/UserList", au.UserList),
		unary("/v3/auth/user/delete", "/etcdserverpb.Auth/UserDelete", au.UserDelete),
		unary("/v3/auth/user/changepw", "/etcdserverpb.Auth/UserChangePassword", au.UserChangePassword),
		unary("/v3/auth/user/grant", "/etcdserverpb.Auth/UserGrantRole", au.UserGrantRole),
		unary("/v3/auth/user/revoke", "/etcdserverpb.Auth/UserRevokeRole", au.UserRevokeRole),
		unary("/v3/auth/role/add", "/etcdserverpb.Auth/RoleAdd", au.RoleAdd),
		unary("/v3/auth/role/get", "/etcdserverpb.Auth/RoleGet", au.RoleGet),
		unary("/v3/auth/role/list", "/etcdserverpb.Auth/RoleList", au.RoleList),
		unary("/v3/auth/role/delete", "/etcdserverpb.Auth/RoleDelete", au.RoleDelete),
		unary("/v3/auth/role/grant", "/etcdserverpb.Auth/RoleGrantPermission", au.RoleGrantPermission),
		unary("/v3/auth/role/revoke", "/etcdserverpb.Auth/RoleRevokePermission", au.RoleRevokePermission),
	}
}

// serveUnary answers one unary RPC: the body is one JSON request (an empty
// body is an empty request, as in etcd), the answer one JSON response.
func (s *Server) serveUnary(rt gatewayRoute) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		req := rt.newRequest()
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, s.gatewayBodyLimit()))
		raw, err := nextGatewayJSON(dec)
		if err == nil {
			err = unmarshalGateway(raw, req)
		}
		if err != nil && !errors.Is(err, io.EOF) {
			writeGatewayError(w, gatewayDecodeError(err, codes.InvalidArgument))
			return
		}
		resp, err := s.authUnary(gatewayContext(r), req, &grpc.UnaryServerInfo{FullMethod: rt.method}, rt.call)
		if err != nil {
			if r.Context().Err() == nil { // else the client is gone
				writeGatewayError(w, err)
			}
			return
		}
		body, err := marshalGateway(resp)
		if err != nil {
			writeGatewayError(w, status.Error(codes.Internal, err.Error()))
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}
}

// gatewayBodyLimit is the largest JSON body the gateway reads.
func (s *Server) gatewayBodyLimit() int64 {
	return gatewayBodyFactor * int64(s.cfg.MaxRequestBytes+grpcOverheadBytes)
}

// gatewayContext carries the Authorization header as the call's token:
// etcd's gateway passes it on as gRPC metadata "authorization", which
// etcd reads as the token when "token" is absent (etcd: auth/store.go
// AuthInfoFromCtx; tokenOf in auth.go).
func gatewayContext(r *http.Request) context.Context {
	ctx := r.Context()
	if token := r.Header.Get("Authorization"); token != "" {
		ctx = metadata.NewIncomingContext(ctx, metadata.Pairs(rpctypes.TokenFieldNameSwagger, token))
	}
	return ctx
}

// nextGatewayJSON reads the next JSON value of a body (io.EOF at its end).
// It checks that the value is an object the way etcd's gateway does
// (golang/protobuf's jsonpb decodes into a map first), so that a malformed
// body gets the same message as from etcd.
func nextGatewayJSON(dec *json.Decoder) (json.RawMessage, error) {
	var raw json.RawMessage
	if err := dec.Decode(&raw); err != nil {
		return nil, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return nil, err
	}
	if fields == nil { // null: an empty request
		return json.RawMessage("{}"), nil
	}
	return raw, nil
}

// unmarshalGateway fills m from one JSON object.
func unmarshalGateway(raw json.RawMessage, m protoadapt.MessageV1) error {
	return gatewayUnmarshal.Unmarshal(raw, protoadapt.MessageV2Of(m))
}

// marshalGateway writes m as compact JSON (protojson varies its spacing on
// purpose; etcd's gateway writes none).
func marshalGateway(m any) ([]byte, error) {
	v1, ok := m.(protoadapt.MessageV1)
	if !ok {
		return nil, fmt.Errorf("api.marshalGateway: %T is not a protobuf message", m)
	}
	b, err := gatewayMarshal.Marshal(protoadapt.MessageV2Of(v1))
	if err != nil {
		return nil, err
	}
	var out bytes.Buffer
	if err := json.Compact(&out, b); err != nil {
		return nil, err
	}
	return out.Bytes(), nil
}

// gatewayDecodeError is the status of a body that did not decode: code
// (InvalidArgument for a unary call, Unknown for a stream's first request,
// as etcd's gateway answers), or ResourceExhausted for a body too large.
func gatewayDecodeError(err error, code codes.Code) error {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		return status.Errorf(codes.ResourceExhausted,
			"etcdlab: the JSON body is larger than %d bytes (%d times --max-request-bytes plus gRPC's overhead)", tooLarge.Limit, gatewayBodyFactor)
	}
	return status.Error(code, err.Error())
}
