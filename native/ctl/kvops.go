package ctl

// The requests of put, get and del: their flags, and how flags plus
// arguments become one clientv3.Op. The commands and the txn parser share
// these, so that "get k --prefix" means the same typed at the shell and
// inside a transaction (etcd: etcdctl's getGetOp/getPutOp/getDelOp).

import (
	"io"
	"strconv"
	"strings"

	"github.com/spf13/pflag"
	clientv3 "go.etcd.io/etcd/client/v3"
)

// GetFlags are get's options.
type GetFlags struct {
	Consistency    string
	SortOrder      string
	SortTarget     string
	Limit          int64
	Rev            int64
	Prefix         bool
	FromKey        bool
	KeysOnly       bool
	CountOnly      bool
	PrintValueOnly bool
}

// Register adds get's flags to fs, with etcdctl's names and defaults.
func (g *GetFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&g.Consistency, "consistency", "l", "Linearizable(l) or Serializable(s)")
	fs.StringVar(&g.SortOrder, "order", "", "Order of results; ASCEND or DESCEND (ASCEND by default)")
	fs.StringVar(&g.SortTarget, "sort-by", "", "Sort target; CREATE, KEY, MODIFY, VALUE, or VERSION")
	fs.Int64Var(&g.Limit, "limit", 0, "Maximum number of results")
	fs.BoolVar(&g.Prefix, "prefix", false, "Get keys with matching prefix")
	fs.BoolVar(&g.FromKey, "from-key", false, "Get keys that are greater than or equal to the given key using byte compare")
	fs.Int64Var(&g.Rev, "rev", 0, "Specify the kv revision")
	fs.BoolVar(&g.KeysOnly, "keys-only", false, "Get only the keys")
	fs.BoolVar(&g.CountOnly, "count-only", false, "Get only the count (with -w fields)")
	fs.BoolVar(&g.PrintValueOnly, "print-value-only", false, `Only write values when using the "simple" output format`)
}

var sortOrders = map[string]clientv3.SortOrder{
	"": clientv3.SortNone, "ASCEND": clientv3.SortAscend, "DESCEND": clientv3.SortDescend,
}

var sortTargets = map[string]clientv3.SortTarget{
	"": clientv3.SortByKey, "KEY": clientv3.SortByKey, "CREATE": clientv3.SortByCreateRevision,
	"MODIFY": clientv3.SortByModRevision, "VALUE": clientv3.SortByValue, "VERSION": clientv3.SortByVersion,
}

// Op turns get's arguments (key [range_end]) and flags into a range request.
func (g *GetFlags) Op(args []string) (clientv3.Op, error) {
	if len(args) == 0 {
		return clientv3.Op{}, Exitf(ExitBadArgs, "get command needs one argument as key and an optional argument as range_end")
	}
	if g.Prefix && g.FromKey {
		return clientv3.Op{}, Exitf(ExitBadArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one")
	}
	if g.KeysOnly && g.CountOnly {
		return clientv3.Op{}, Exitf(ExitBadArgs, "`--keys-only` and `--count-only` cannot be set at the same time, choose one")
	}
	var opts []clientv3.OpOption
	switch g.Consistency {
	case "s":
		opts = append(opts, clientv3.WithSerializable())
	case "l":
	default:
		return clientv3.Op{}, Exitf(ExitBadFeature, "unknown consistency flag %q", g.Consistency)
	}
	order, ok := sortOrders[strings.ToUpper(g.SortOrder)]
	if !ok {
		return clientv3.Op{}, Exitf(ExitBadFeature, "bad sort order %v", g.SortOrder)
	}
	target, ok := sortTargets[strings.ToUpper(g.SortTarget)]
	if !ok {
		return clientv3.Op{}, Exitf(ExitBadFeature, "bad sort target %v", g.SortTarget)
	}
	key, rangeOpts, err := keyRange(args, g.Prefix, g.FromKey)
	if err != nil {
		return clientv3.Op{}, err
	}
	opts = append(opts, rangeOpts...)
	opts = append(opts, clientv3.WithLimit(g.Limit), clientv3.WithSort(target, order))
	if g.Rev > 0 {
		opts = append(opts, clientv3.WithRev(g.Rev))
	}
	if g.KeysOnly {
		opts = append(opts, clientv3.WithKeysOnly())
	}
	if g.CountOnly {
		opts = append(opts, clientv3.WithCountOnly())
	}
	return clientv3.OpGet(key, opts...), nil
}

// keyRange reads "key [range_end]" with --prefix or --from-key. An empty
// key with either flag means every key: etcd spells that from "\x00".
func keyRange(args []string, prefix, fromKey bool) (string, []clientv3.OpOption, error) {
	key := args[0]
	var opts []clientv3.OpOption
	if len(args) > 1 {
		if prefix || fromKey {
			return "", nil, Exitf(ExitBadArgs, "too many arguments, only accept one argument when `--prefix` or `--from-key` is set")
		}
		opts = append(opts, clientv3.WithRange(args[1]))
	}
	switch {
	case (prefix || fromKey) && key == "":
		key = "\x00"
		opts = append(opts, clientv3.WithFromKey())
	case prefix:
		opts = append(opts, clientv3.WithPrefix())
	case fromKey:
		opts = append(opts, clientv3.WithFromKey())
	}
	return key, opts, nil
}

// PutFlags are put's options.
type PutFlags struct {
	Lease       string
	PrevKV      bool
	IgnoreValue bool
	IgnoreLease bool
}

// Register adds put's flags to fs.
func (f *PutFlags) Register(fs *pflag.FlagSet) {
	fs.StringVar(&f.Lease, "lease", "0", "lease ID (in hexadecimal) to attach to the key")
	fs.BoolVar(&f.PrevKV, "prev-kv", false, "return the previous key-value pair before modification")
	fs.BoolVar(&f.IgnoreValue, "ignore-value", false, "updates the key using its current value")
	fs.BoolVar(&f.IgnoreLease, "ignore-lease", false, "updates the key using its current lease")
}

// Op turns put's arguments (key [value]) into a put; without a value (and
// without --ignore-value) the value is all of stdin.
func (f *PutFlags) Op(args []string, stdin io.Reader) (clientv3.Op, error) {
	usage := Exitf(ExitBadArgs, "put command needs 1 argument and input from stdin or 2 arguments")
	if len(args) == 0 {
		return clientv3.Op{}, usage
	}
	if f.IgnoreValue && len(args) > 1 {
		return clientv3.Op{}, Exitf(ExitBadArgs, "put command needs only 1 argument when 'ignore-value' is set")
	}
	var value string
	if !f.IgnoreValue {
		if len(args) > 1 {
			value = args[1]
		} else if b, err := io.ReadAll(stdin); err == nil && len(b) > 0 {
			value = string(b)
		} else {
			return clientv3.Op{}, usage
		}
	}
	id, err := ParseLeaseID(f.Lease)
	if err != nil {
		return clientv3.Op{}, Exitf(ExitBadArgs, "bad lease ID (%v), expecting ID in Hex", err)
	}
	var opts []clientv3.OpOption
	if id != 0 {
		opts = append(opts, clientv3.WithLease(id))
	}
	if f.PrevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	if f.IgnoreValue {
		opts = append(opts, clientv3.WithIgnoreValue())
	}
	if f.IgnoreLease {
		opts = append(opts, clientv3.WithIgnoreLease())
	}
	return clientv3.OpPut(args[0], value, opts...), nil
}

// ParseLeaseID reads a lease ID as the command line writes it: hexadecimal.
func ParseLeaseID(s string) (clientv3.LeaseID, error) {
	id, err := strconv.ParseInt(s, 16, 64)
	return clientv3.LeaseID(id), err
}

// DelFlags are del's options.
type DelFlags struct {
	Prefix  bool
	PrevKV  bool
	FromKey bool
}

// Register adds del's flags to fs.
func (f *DelFlags) Register(fs *pflag.FlagSet) {
	fs.BoolVar(&f.Prefix, "prefix", false, "delete keys with matching prefix")
	fs.BoolVar(&f.PrevKV, "prev-kv", false, "return deleted key-value pairs")
	fs.BoolVar(&f.FromKey, "from-key", false, "delete keys that are greater than or equal to the given key using byte compare")
}

// Op turns del's arguments (key [range_end]) into a delete.
func (f *DelFlags) Op(args []string) (clientv3.Op, error) {
	if len(args) == 0 || len(args) > 2 {
		return clientv3.Op{}, Exitf(ExitBadArgs, "del command needs one argument as key and an optional argument as range_end")
	}
	if f.Prefix && f.FromKey {
		return clientv3.Op{}, Exitf(ExitBadArgs, "`--prefix` and `--from-key` cannot be set at the same time, choose one")
	}
	key, opts, err := keyRange(args, f.Prefix, f.FromKey)
	if err != nil {
		return clientv3.Op{}, err
	}
	if f.PrevKV {
		opts = append(opts, clientv3.WithPrevKV())
	}
	return clientv3.OpDelete(key, opts...), nil
}
