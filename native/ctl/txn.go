package ctl

// etcdctl's transaction language, read from stdin: three blocks, each
// ended by an empty line — compares, then the requests to run if all
// compares hold, then the requests to run otherwise.
//
//	mod("key1") > "0"            <- compares: target("key") op "value"
//	value("key2") = "x"
//	                             <- empty line
//	put key1 "new value"         <- success requests: get, put, del with
//	del key2 --prev-kv              the flags of the commands
//	                             <- empty line
//	get key1                     <- failure requests
//	                             <- empty line
//
// Targets: ver|version, c|create, m|mod (integers), val|value (bytes),
// lease (a lease ID in hex). Ops: = != > <. Words may be "double quoted"
// (Go escapes) or 'single quoted' (taken literally).

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// TxnRequest is a parsed transaction.
type TxnRequest struct {
	Compares []clientv3.Cmp
	Success  []clientv3.Op
	Failure  []clientv3.Op
}

// ReadTxn reads the three blocks from r. prompt, if not nil, is called
// before each block with etcdctl's interactive prompt. Errors carry
// ExitInvalidInput.
func ReadTxn(r io.Reader, prompt func(string)) (*TxnRequest, error) {
	in := bufio.NewReader(r)
	ask := func(s string) {
		if prompt != nil {
			prompt(s)
		}
	}
	var req TxnRequest
	ask("compares:")
	err := readBlock(in, func(line string) error {
		cmp, err := ParseCompare(line)
		if err == nil {
			req.Compares = append(req.Compares, cmp)
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	ask("success requests (get, put, del):")
	if req.Success, err = readOps(in); err != nil {
		return nil, err
	}
	ask("failure requests (get, put, del):")
	if req.Failure, err = readOps(in); err != nil {
		return nil, err
	}
	return &req, nil
}

// readBlock hands each line to parse until an empty line.
func readBlock(in *bufio.Reader, parse func(string) error) error {
	for {
		line, err := in.ReadString('\n')
		if err != nil {
			return &CodedError{Code: ExitInvalidInput, Err: err}
		}
		line = strings.TrimSpace(line)
		if line == "" {
			return nil
		}
		if err := parse(line); err != nil {
			return WithCode(ExitInvalidInput, err)
		}
	}
}

func readOps(in *bufio.Reader) ([]clientv3.Op, error) {
	var ops []clientv3.Op
	err := readBlock(in, func(line string) error {
		op, err := ParseRequest(line)
		if err == nil {
			ops = append(ops, op)
		}
		return err
	})
	return ops, err
}

// ParseRequest reads one request line: get, put or del with its flags.
func ParseRequest(line string) (clientv3.Op, error) {
	words, err := SplitWords(line)
	if err != nil || len(words) < 2 {
		return clientv3.Op{}, fmt.Errorf("invalid txn compare request: %s", line)
	}
	invalid := fmt.Errorf("invalid txn request: %s", line)
	fs := pflag.NewFlagSet(words[0], pflag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var op clientv3.Op
	switch words[0] {
	case "get":
		var g GetFlags
		g.Register(fs)
		if fs.Parse(words[1:]) != nil {
			return op, invalid
		}
		op, err = g.Op(fs.Args())
	case "put":
		var p PutFlags
		p.Register(fs)
		if fs.Parse(words[1:]) != nil {
			return op, invalid
		}
		op, err = p.Op(fs.Args(), strings.NewReader(""))
	case "del":
		var d DelFlags
		d.Register(fs)
		if fs.Parse(words[1:]) != nil {
			return op, invalid
		}
		op, err = d.Op(fs.Args())
	default:
		return op, invalid
	}
	if err != nil {
		return op, invalid
	}
	return op, nil
}

// ParseCompare reads one compare line: target("key") op "value".
func ParseCompare(line string) (clientv3.Cmp, error) {
	malformed := fmt.Errorf("malformed comparison: %s", line)
	target, rest, ok := strings.Cut(line, "(")
	if !ok {
		return clientv3.Cmp{}, malformed
	}
	quotedKey, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return clientv3.Cmp{}, malformed
	}
	key, _ := strconv.Unquote(quotedKey)
	rest, ok = strings.CutPrefix(rest[len(quotedKey):], ")")
	if !ok {
		return clientv3.Cmp{}, malformed
	}
	op, rest, _ := strings.Cut(strings.TrimSpace(rest), " ")
	rest = strings.TrimSpace(rest)
	quotedValue, err := strconv.QuotedPrefix(rest)
	if err != nil || quotedValue != rest {
		return clientv3.Cmp{}, malformed
	}
	value, _ := strconv.Unquote(quotedValue)
	switch op {
	case "=", "!=", ">", "<":
	default:
		return clientv3.Cmp{}, fmt.Errorf("malformed comparison: %s (unknown operator %s)", line, op)
	}
	return compareOn(target, key, op, value, line)
}

// compareOn builds the compare; integer targets must have integer values.
func compareOn(target, key, op, value, line string) (clientv3.Cmp, error) {
	invalid := fmt.Errorf("invalid txn compare request: %s", line)
	switch target {
	case "val", "value":
		return clientv3.Compare(clientv3.Value(key), op, value), nil
	case "lease":
		id, err := ParseLeaseID(value)
		if err != nil {
			return clientv3.Cmp{}, invalid
		}
		return clientv3.Compare(clientv3.LeaseValue(key), op, int64(id)), nil
	}
	n, err := strconv.ParseInt(value, 10, 64)
	switch target {
	case "ver", "version":
		if err == nil {
			return clientv3.Compare(clientv3.Version(key), op, n), nil
		}
	case "c", "create":
		if err == nil {
			return clientv3.Compare(clientv3.CreateRevision(key), op, n), nil
		}
	case "m", "mod":
		if err == nil {
			return clientv3.Compare(clientv3.ModRevision(key), op, n), nil
		}
	default:
		return clientv3.Cmp{}, fmt.Errorf("malformed comparison: %s (unknown target %s)", line, target)
	}
	return clientv3.Cmp{}, invalid
}

// SplitWords splits a line into words at white space; "double quoted"
// words take Go escapes, 'single quoted' words are literal.
func SplitWords(line string) ([]string, error) {
	var words []string
	for {
		line = strings.TrimLeft(line, " \t")
		if line == "" {
			return words, nil
		}
		switch line[0] {
		case '"':
			quoted, err := strconv.QuotedPrefix(line)
			if err != nil {
				return nil, err
			}
			word, _ := strconv.Unquote(quoted)
			words = append(words, word)
			line = line[len(quoted):]
		case '\'':
			end := strings.IndexByte(line[1:], '\'')
			if end < 0 {
				return nil, errors.New("unterminated single quote")
			}
			words = append(words, line[1:end+1])
			line = line[end+2:]
		default:
			end := strings.IndexAny(line, " \t")
			if end < 0 {
				end = len(line)
			}
			words = append(words, line[:end])
			line = line[end:]
		}
	}
}
