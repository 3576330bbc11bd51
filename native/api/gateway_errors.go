package api

// Errors as etcd's gateway renders them (grpc-gateway v1, runtime/errors.go
// DefaultHTTPError and HTTPStatusFromCode): the gRPC status becomes an
// HTTP status and a JSON body that repeats the message,
//
//	404 {"error":"etcdserver: requested lease not found","message":"etcdserver: requested lease not found","code":5}
//
// and inside a stream, once it has started, an error chunk instead of a
// result:
//
//	{"error":{"grpc_code":14,"http_code":503,"message":"…","http_status":"Service Unavailable"}}

import (
	"encoding/json"
	"net/http"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
)

// httpStatusOf maps a gRPC code to the HTTP status grpc-gateway v1 uses.
func httpStatusOf(c codes.Code) int {
	switch c {
	case codes.OK:
		return http.StatusOK
	case codes.Canceled:
		return http.StatusRequestTimeout
	case codes.InvalidArgument, codes.FailedPrecondition, codes.OutOfRange:
		return http.StatusBadRequest
	case codes.DeadlineExceeded:
		return http.StatusGatewayTimeout
	case codes.NotFound:
		return http.StatusNotFound
	case codes.AlreadyExists, codes.Aborted:
		return http.StatusConflict
	case codes.PermissionDenied:
		return http.StatusForbidden
	case codes.Unauthenticated:
		return http.StatusUnauthorized
	case codes.ResourceExhausted:
		return http.StatusTooManyRequests
	case codes.Unimplemented:
		return http.StatusNotImplemented
	case codes.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError // Unknown, Internal, DataLoss
}

// gatewayErrorBody is the body of a failed unary call.
type gatewayErrorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
	Code    int32  `json:"code"`
}

// gatewayStreamError is the error chunk of a stream.
type gatewayStreamError struct {
	GRPCCode   int32  `json:"grpc_code"`
	HTTPCode   int32  `json:"http_code"`
	Message    string `json:"message"`
	HTTPStatus string `json:"http_status"`
}

// writeGatewayError answers a failed call.
func writeGatewayError(w http.ResponseWriter, err error) {
	st := status.Convert(toGRPC(err))
	body, _ := json.Marshal(gatewayErrorBody{Error: st.Message(), Message: st.Message(), Code: int32(st.Code())})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(httpStatusOf(st.Code()))
	w.Write(body)
}

// streamErrorChunk is the chunk that ends a stream with err.
func streamErrorChunk(err error) []byte {
	st := status.Convert(toGRPC(err))
	code := httpStatusOf(st.Code())
	chunk, _ := json.Marshal(map[string]gatewayStreamError{"error": {
		GRPCCode: int32(st.Code()), HTTPCode: int32(code), Message: st.Message(), HTTPStatus: http.StatusText(code),
	}})
	return append(chunk, '\n')
}

// statusCodeOf is the gRPC code err is answered with.
func statusCodeOf(err error) codes.Code { return status.Convert(toGRPC(err)).Code() }
