package ctl

// The json format: the answer as the gRPC API defines it, marshalled by
// encoding/json with the API's own field tags (snake_case, zero values
// left out, bytes as base64). --hex does not change it, as in etcdctl 3.4.

import (
	"encoding/json"
	"fmt"

	pb "go.etcd.io/etcd/api/v3/etcdserverpb"
)

func (p *Printer) json(v any) {
	b, err := json.Marshal(v)
	if err != nil {
		fmt.Fprintf(p.Err, "%v\n", err)
		return
	}
	p.println(string(b))
}

// txnAnswer is a TxnResponse in the JSON shape etcdctl 3.4 prints: the
// API of etcd 3.5 tags the one-of wrappers ("response_put"), 3.4's did not
// ("ResponsePut"); scripts read the latter.
type txnAnswer struct {
	Header    *pb.ResponseHeader `json:"header,omitempty"`
	Succeeded bool               `json:"succeeded,omitempty"`
	Responses []opAnswer         `json:"responses,omitempty"`
}

type opAnswer struct {
	Response any
}

func txnJSON(r *pb.TxnResponse) txnAnswer {
	a := txnAnswer{Header: r.Header, Succeeded: r.Succeeded}
	for _, op := range r.Responses {
		var one any
		switch v := op.Response.(type) {
		case *pb.ResponseOp_ResponsePut:
			one = struct{ ResponsePut *pb.PutResponse }{v.ResponsePut}
		case *pb.ResponseOp_ResponseRange:
			one = struct{ ResponseRange *pb.RangeResponse }{v.ResponseRange}
		case *pb.ResponseOp_ResponseDeleteRange:
			one = struct{ ResponseDeleteRange *pb.DeleteRangeResponse }{v.ResponseDeleteRange}
		case *pb.ResponseOp_ResponseTxn:
			one = struct{ ResponseTxn txnAnswer }{txnJSON(v.ResponseTxn)}
		}
		a.Responses = append(a.Responses, opAnswer{Response: one})
	}
	return a
}
