package scenario

// The words of etcd mode's client commands, turned into etcd requests
// (mvcc and server types): etcdctl's flags (--prefix, --rev, --lease,
// --keys, --physical), lease references, and the one-line txn:
//
//	txn if value(k) = v and version(j) > 0 then put k v2; del j else get k --prefix
//	    compares  value(KEY) version(KEY) create(KEY) mod(KEY) lease(KEY)
//	              with = != < > and a value (quotes optional, as etcdctl's)
//	    ops       put KEY VALUE [--lease=ID] | get KEY [--prefix] [--rev N] [--limit N] [--keys-only] | del KEY [--prefix]
//
// `put KEY --value-bytes=N` (the scenario's own flag, not etcdctl's) puts a
// value of N bytes of "x", to fill a backend without a line of N letters.
//
// A lease is named by its ID in hex, as etcdctl prints it, or as Ln: the
// n-th lease a `lease grant` of this scenario was granted.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// flags splits etcdctl-style flags (--name, --name=value, --name value for
// names in valued) from the other words, keeping only names in allowed.
func flags(words []string, allowed, valued map[string]bool) (map[string]string, []string, error) {
	out, rest := map[string]string{}, []string(nil)
	for i := 0; i < len(words); i++ {
		w := words[i]
		if !strings.HasPrefix(w, "--") {
			rest = append(rest, w)
			continue
		}
		name, value, hasValue := strings.Cut(w[2:], "=")
		if !allowed[name] {
			return nil, nil, fmt.Errorf("unknown flag --%s", name)
		}
		if valued[name] && !hasValue {
			if i+1 >= len(words) {
				return nil, nil, fmt.Errorf("--%s needs a value", name)
			}
			value, i = words[i+1], i+1
		}
		if valued[name] && value == "" {
			return nil, nil, fmt.Errorf("--%s needs a value", name)
		}
		out[name] = value
	}
	return out, rest, nil
}

var (
	putFlags     = map[string]bool{"lease": true, "value-bytes": true}
	getFlags     = map[string]bool{"rev": true, "prefix": true, "limit": true, "keys-only": true}
	delFlags     = map[string]bool{"prefix": true}
	valuedFlags  = map[string]bool{"lease": true, "rev": true, "limit": true, "value-bytes": true}
	noFlags      = map[string]bool{}
	compactFlags = map[string]bool{"physical": true}
)

// prefixEnd is the end of the range of keys that start with key (etcd:
// clientv3.GetPrefixRangeEnd): key with its last byte below 0xff raised by
// one, or "\x00" (every key after) if there is none.
func prefixEnd(key []byte) []byte {
	end := append([]byte(nil), key...)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return []byte{0}
}

// leaseResolver turns a lease reference into its ID.
type leaseResolver func(ref string) (int64, error)

// syntaxOnly accepts any well-formed lease reference (for Parse).
func syntaxOnly(ref string) (int64, error) { return 0, checkLeaseRef(ref) }

func checkLeaseRef(ref string) error {
	if n, ok := strings.CutPrefix(ref, "L"); ok {
		if i, err := strconv.Atoi(n); err == nil && i >= 1 {
			return nil
		}
	}
	if _, err := strconv.ParseUint(ref, 16, 64); err != nil {
		return fmt.Errorf("%q is not a lease (write its hex ID, or L1 for the first lease granted)", ref)
	}
	return nil
}

// putRequest builds put KEY VALUE [--lease=ID].
func putRequest(args []string, lease leaseResolver) (*mvcc.PutRequest, error) {
	f, rest, err := flags(args, putFlags, valuedFlags)
	if err != nil {
		return nil, err
	}
	if n, ok := f["value-bytes"]; ok {
		size, err := strconv.Atoi(n)
		if err != nil || size < 1 || size > core.MaxRequestBytes || len(rest) != 1 {
			return nil, fmt.Errorf("write put KEY --value-bytes=N with 1 <= N <= %d", core.MaxRequestBytes)
		}
		rest = append(rest, strings.Repeat("x", size))
	}
	if len(rest) != 2 {
		return nil, fmt.Errorf("put needs KEY VALUE")
	}
	p := &mvcc.PutRequest{Key: []byte(rest[0]), Value: []byte(rest[1])}
	if ref, ok := f["lease"]; ok {
		if p.Lease, err = lease(ref); err != nil {
			return nil, err
		}
	}
	return p, nil
}

// rangeRequest builds get KEY [--prefix] [--rev N] [--limit N] [--keys-only].
func rangeRequest(args []string) (*mvcc.RangeRequest, error) {
	f, rest, err := flags(args, getFlags, valuedFlags)
	if err != nil {
		return nil, err
	}
	if len(rest) != 1 {
		return nil, fmt.Errorf("get needs one KEY")
	}
	g := &mvcc.RangeRequest{Key: []byte(rest[0])}
	if _, ok := f["prefix"]; ok {
		g.RangeEnd = prefixEnd(g.Key)
	}
	_, g.KeysOnly = f["keys-only"]
	for _, n := range []struct {
		name string
		dst  *int64
	}{{"rev", &g.Revision}, {"limit", &g.Limit}} {
		if v, ok := f[n.name]; ok {
			if *n.dst, err = strconv.ParseInt(v, 10, 64); err != nil || *n.dst < 0 {
				return nil, fmt.Errorf("--%s=%s: want a whole number", n.name, v)
			}
		}
	}
	return g, nil
}

// deleteRequest builds del KEY [--prefix].
func deleteRequest(args []string) (*mvcc.DeleteRangeRequest, error) {
	f, rest, err := flags(args, delFlags, valuedFlags)
	if err != nil {
		return nil, err
	}
	if len(rest) != 1 {
		return nil, fmt.Errorf("del needs one KEY")
	}
	d := &mvcc.DeleteRangeRequest{Key: []byte(rest[0])}
	if _, ok := f["prefix"]; ok {
		d.RangeEnd = prefixEnd(d.Key)
	}
	return d, nil
}

// txnRequest builds a one-line txn from the words after `txn`.
func txnRequest(words []string, lease leaseResolver) (*mvcc.TxnRequest, error) {
	words = strings.Fields(strings.ReplaceAll(strings.Join(words, " "), ";", " ; "))
	cmps, success, failure, err := txnParts(words)
	if err != nil {
		return nil, err
	}
	t := &mvcc.TxnRequest{}
	for _, c := range cmps {
		cmp, err := compareOf(c, lease)
		if err != nil {
			return nil, err
		}
		t.Compare = append(t.Compare, cmp)
	}
	if t.Success, err = opsOf(success, lease); err != nil {
		return nil, err
	}
	if t.Failure, err = opsOf(failure, lease); err != nil {
		return nil, err
	}
	return t, nil
}

// txnParts splits "if C and C then OPS else OPS" into the compares (each
// three words) and the two branches (op words separated by ";").
func txnParts(words []string) (cmps [][]string, success, failure []string, err error) {
	then := indexOf(words, "then")
	if then < 0 {
		return nil, nil, nil, fmt.Errorf("txn needs `then` (txn if value(k) = v then put k v2 else get k)")
	}
	if then > 0 {
		if words[0] != "if" {
			return nil, nil, nil, fmt.Errorf("txn starts with `if` or `then`, not %q", words[0])
		}
		for _, c := range splitOn(words[1:then], "and") {
			if len(c) != 3 {
				return nil, nil, nil, fmt.Errorf("compare %q: write TARGET(KEY) OP VALUE, e.g. value(k) = v", strings.Join(c, " "))
			}
			cmps = append(cmps, c)
		}
	}
	success = words[then+1:]
	if e := indexOf(success, "else"); e >= 0 {
		success, failure = success[:e], success[e+1:]
	}
	return cmps, success, failure, nil
}

// compareOf builds one compare: TARGET(KEY) OP VALUE.
func compareOf(w []string, lease leaseResolver) (mvcc.Compare, error) {
	target, key, ok := strings.Cut(strings.TrimSuffix(w[0], ")"), "(")
	if !ok || !strings.HasSuffix(w[0], ")") || unquote(key) == "" {
		return mvcc.Compare{}, fmt.Errorf("%q: write TARGET(KEY), e.g. value(k)", w[0])
	}
	c := mvcc.Compare{Key: []byte(unquote(key))}
	results := map[string]mvcc.CompareResult{"=": mvcc.CompareEqual, "!=": mvcc.CompareNotEqual, "<": mvcc.CompareLess, ">": mvcc.CompareGreater}
	res, ok := results[w[1]]
	if !ok {
		return c, fmt.Errorf("compare operator %q: write = != < or >", w[1])
	}
	c.Result = res
	v := unquote(w[2])
	var err error
	switch target {
	case "value":
		c.Target, c.Value = mvcc.CompareValue, []byte(v)
	case "version":
		c.Target = mvcc.CompareVersion
		c.Version, err = strconv.ParseInt(v, 10, 64)
	case "create":
		c.Target = mvcc.CompareCreate
		c.CreateRevision, err = strconv.ParseInt(v, 10, 64)
	case "mod":
		c.Target = mvcc.CompareMod
		c.ModRevision, err = strconv.ParseInt(v, 10, 64)
	case "lease":
		c.Target = mvcc.CompareLease
		if v != "0" {
			c.Lease, err = lease(v)
		}
	default:
		return c, fmt.Errorf("compare target %q: write value, version, create, mod or lease", target)
	}
	if err != nil {
		return c, fmt.Errorf("compare %s: %q is not a number or lease", w[0], v)
	}
	return c, nil
}

// opsOf builds the operations of one branch.
func opsOf(words []string, lease leaseResolver) ([]mvcc.Op, error) {
	var ops []mvcc.Op
	for _, w := range splitOn(words, ";") {
		if len(w) == 0 {
			continue
		}
		var op mvcc.Op
		var err error
		switch w[0] {
		case "put":
			op.Put, err = putRequest(w[1:], lease)
		case "get":
			op.Range, err = rangeRequest(w[1:])
		case "del":
			op.DeleteRange, err = deleteRequest(w[1:])
		default:
			err = fmt.Errorf("txn operation %q: write put, get or del", w[0])
		}
		if err != nil {
			return nil, err
		}
		ops = append(ops, op)
	}
	return ops, nil
}

func indexOf(words []string, w string) int {
	for i, x := range words {
		if x == w {
			return i
		}
	}
	return -1
}

// splitOn splits words at every sep.
func splitOn(words []string, sep string) [][]string {
	out := [][]string{{}}
	for _, w := range words {
		if w == sep {
			out = append(out, []string{})
			continue
		}
		out[len(out)-1] = append(out[len(out)-1], w)
	}
	return out
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// clientTail splits the trailing client options (via NODE, async,
// serializable) off a command's words.
func clientTail(words []string) (body, tail []string) {
	end := len(words)
	for end > 0 {
		switch {
		case words[end-1] == "async" || words[end-1] == "serializable":
			end--
		case end >= 2 && words[end-2] == "via" && isNodeRef(words[end-1]):
			end -= 2
		default:
			return words[:end], words[end:]
		}
	}
	return words[:end], words[end:]
}
