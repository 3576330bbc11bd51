package ctl

// The Printer: one method per kind of answer, each printing in the format
// chosen by -w. The format-specific shapes live in simple.go, fields.go,
// json.go and table.go; this file picks among them.

import (
	"fmt"
	"io"

	clientv3 "go.etcd.io/etcd/client/v3"
)

// Output formats, the values of -w/--write-out.
const (
	FormatSimple   = "simple"
	FormatJSON     = "json"
	FormatFields   = "fields"
	FormatTable    = "table"
	FormatProtobuf = "protobuf"
)

// Printer prints answers to Out (and, for the few answers etcdctl splits,
// complaints to Err). ValueOnly is get's --print-value-only.
type Printer struct {
	Format    string
	Hex       bool
	ValueOnly bool
	Out       io.Writer
	Err       io.Writer
}

// NewPrinter checks the format name and returns a printer for it.
func NewPrinter(format string, hex bool, out, errOut io.Writer) (*Printer, error) {
	switch format {
	case FormatSimple, FormatJSON, FormatFields, FormatTable:
		return &Printer{Format: format, Hex: hex, Out: out, Err: errOut}, nil
	case FormatProtobuf:
		return nil, Exitf(ExitBadFeature, "protobuf output is not supported by etcdlab; use -w json, which carries the same fields")
	}
	// etcdctl's words, kept for scripts; --help lists the formats.
	return nil, Exitf(ExitBadFeature, "unsupported output format")
}

// unsupported is the error for a format a verb does not have.
func (p *Printer) unsupported() error {
	return Exitf(ExitBadFeature, "%s not supported as output format", p.Format)
}

// EndpointHealth is the result of checking one endpoint: a read that went
// through, and no alarm raised.
type EndpointHealth struct {
	Ep     string `json:"endpoint"`
	Health bool   `json:"health"`
	Took   string `json:"took"`
	Error  string `json:"error,omitempty"`
}

// EndpointStatus is one endpoint's Status answer.
type EndpointStatus struct {
	Ep   string                   `json:"Endpoint"`
	Resp *clientv3.StatusResponse `json:"Status"`
}

// EndpointHashKV is one endpoint's HashKV answer.
type EndpointHashKV struct {
	Ep   string                   `json:"Endpoint"`
	Resp *clientv3.HashKVResponse `json:"HashKV"`
}

// SnapshotStatus describes a snapshot file: a CRC-32C over every bucket
// name, key and value, the newest revision, the number of keys (in all
// buckets) and the database size. etcd: etcdutl snapshot status.
type SnapshotStatus struct {
	Hash      uint32 `json:"hash"`
	Revision  int64  `json:"revision"`
	TotalKey  int    `json:"totalKey"`
	TotalSize int64  `json:"totalSize"`
}

// dispatch runs the shape of p's format; a nil shape means unsupported.
func (p *Printer) dispatch(simple, fields, json, table func()) error {
	var f func()
	switch p.Format {
	case FormatSimple:
		f = simple
	case FormatFields:
		f = fields
	case FormatJSON:
		f = json
	case FormatTable:
		f = table
	}
	if f == nil {
		return p.unsupported()
	}
	f()
	return nil
}

func (p *Printer) printf(format string, args ...any) { fmt.Fprintf(p.Out, format, args...) }
func (p *Printer) println(args ...any)               { fmt.Fprintln(p.Out, args...) }
