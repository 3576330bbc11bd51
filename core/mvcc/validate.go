package mvcc

// Request checks that need no state: etcd runs them in the gRPC layer before
// a request is proposed to Raft (etcd: api/v3rpc/key.go checkRangeRequest,
// checkPutRequest, checkTxnRequest, checkIntervals), so that a malformed
// request never reaches the log. The Store runs them again on entry; the
// server may call them early to refuse before proposing.

import (
	"bytes"
	"math"

	"github.com/etcdlab/etcdlab/core"
)

// ValidateRange checks a RangeRequest.
func ValidateRange(r RangeRequest) error {
	if len(r.Key) == 0 {
		return ErrEmptyKey
	}
	return nil
}

// ValidatePut checks a PutRequest.
func ValidatePut(r PutRequest) error {
	switch {
	case len(r.Key) == 0:
		return ErrEmptyKey
	case r.IgnoreValue && len(r.Value) != 0:
		return ErrValueProvided
	case r.IgnoreLease && r.Lease != 0:
		return ErrLeaseProvided
	}
	return nil
}

// ValidateDeleteRange checks a DeleteRangeRequest.
func ValidateDeleteRange(r DeleteRangeRequest) error {
	if len(r.Key) == 0 {
		return ErrEmptyKey
	}
	return nil
}

// ValidateTxn checks a TxnRequest against core.MaxTxnOps: see
// ValidateTxnWithin.
func ValidateTxn(r TxnRequest) error { return ValidateTxnWithin(r, core.MaxTxnOps) }

// ValidateTxnWithin checks a TxnRequest: at most maxOps compares and
// operations per branch (etcd: --max-txn-ops, checked by v3rpc's
// checkTxnRequest before proposing), empty keys at every level, then
// duplicate writes.
func ValidateTxnWithin(r TxnRequest, maxOps int) error {
	if err := checkTxn(r, maxOps); err != nil {
		return err
	}
	if _, _, err := checkIntervals(r.Success); err != nil {
		return err
	}
	_, _, err := checkIntervals(r.Failure)
	return err
}

// validateTxn checks a txn the store is asked to run, against its own
// Config.MaxTxnOps.
func (s *Store) validateTxn(r TxnRequest) error { return ValidateTxnWithin(r, s.maxTxnOps) }

// txnOpsLimit turns Config.MaxTxnOps into the bound checkTxn compares
// with: the default for 0, no bound (math.MaxInt, which a nested txn's
// budget never overflows) for NoTxnOpsLimit.
func txnOpsLimit(maxOps int) int {
	switch {
	case maxOps == 0:
		return core.MaxTxnOps
	case maxOps < 0:
		return math.MaxInt
	}
	return maxOps
}

// checkTxn: the largest of len(Compare), len(Success) and len(Failure) must
// not exceed maxOps; a nested txn gets what its parent left (etcd main:
// checkRequestOp(u, maxTxnOps-opc); v3.5 gave each level the full limit).
func checkTxn(r TxnRequest, maxOps int) error {
	ops := max(len(r.Compare), len(r.Success), len(r.Failure))
	if ops > maxOps {
		return ErrTooManyOps
	}
	for _, c := range r.Compare {
		if len(c.Key) == 0 {
			return ErrEmptyKey
		}
	}
	for _, list := range [][]Op{r.Success, r.Failure} {
		for _, op := range list {
			if err := checkOp(op, maxOps-ops); err != nil {
				return err
			}
		}
	}
	return nil
}

func checkOp(op Op, maxOps int) error {
	switch {
	case op.Range != nil:
		return ValidateRange(*op.Range)
	case op.Put != nil:
		return ValidatePut(*op.Put)
	case op.DeleteRange != nil:
		return ValidateDeleteRange(*op.DeleteRange)
	case op.Txn != nil:
		return checkTxn(*op.Txn, maxOps)
	}
	return ErrKeyNotFound // an empty op: etcd answers "key not found"
}

// interval is a deleted key range in the index's form (normEnd): end nil is
// the single key begin, end empty is every key >= begin.
type interval struct{ begin, end []byte }

// contains reports whether key falls in iv. Deviation: etcd's interval tree
// takes a range_end of "\x00" literally, as the empty interval
// [begin, "\x00"), so it lets a txn put a key inside a from-key delete — and
// then panics applying it if the put has ignore_value. Here "\x00" means
// what it means everywhere else: every key >= begin.
func (iv interval) contains(key []byte) bool {
	switch {
	case iv.end == nil:
		return bytes.Equal(iv.begin, key)
	case len(iv.end) == 0:
		return bytes.Compare(iv.begin, key) <= 0
	}
	return bytes.Compare(iv.begin, key) <= 0 && bytes.Compare(key, iv.end) < 0
}

// checkIntervals finds keys written twice on one path of ops: two puts of a
// key, or a put of a key inside a deleted range, at this level or in nested
// txns. A nested txn's Success and Failure may put the same key, since only
// one of them runs; deletes may overlap deletes. It returns the keys put and
// the ranges deleted, for the level above (etcd: checkIntervals).
func checkIntervals(ops []Op) (map[string]bool, []interval, error) {
	var dels []interval
	for _, op := range ops {
		if d := op.DeleteRange; d != nil {
			dels = append(dels, interval{begin: d.Key, end: normEnd(d.RangeEnd)})
		}
	}
	deleted := func(k string) bool {
		for _, iv := range dels {
			if iv.contains([]byte(k)) {
				return true
			}
		}
		return false
	}
	puts := map[string]bool{}
	for _, op := range ops {
		if op.Txn == nil {
			continue
		}
		putsThen, delsThen, err := checkIntervals(op.Txn.Success)
		if err != nil {
			return nil, nil, err
		}
		putsElse, delsElse, err := checkIntervals(op.Txn.Failure)
		if err != nil {
			return nil, nil, err
		}
		for k := range putsThen {
			if puts[k] || deleted(k) {
				return nil, nil, ErrDuplicateKey
			}
			puts[k] = true
		}
		for k := range putsElse {
			if (puts[k] && !putsThen[k]) || deleted(k) {
				return nil, nil, ErrDuplicateKey
			}
			puts[k] = true
		}
		dels = append(append(dels, delsThen...), delsElse...)
	}
	for _, op := range ops {
		if op.Put == nil {
			continue
		}
		k := string(op.Put.Key)
		if puts[k] || deleted(k) {
			return nil, nil, ErrDuplicateKey
		}
		puts[k] = true
	}
	return puts, dels, nil
}
