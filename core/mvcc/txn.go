package mvcc

// Txn: compare, then run one branch of operations, all at one revision.
//
// The order of work is etcd's (apply.go Txn):
//
//  1. every compare on the path — the outer txn's and those of the nested
//     txns in the branch it takes, recursively — is evaluated against the
//     store as it was BEFORE the txn: a nested compare does not see the
//     writes of operations before it (compareToPath);
//  2. the operations on that path are checked against the same state (puts:
//     the lease exists, ignore_value/ignore_lease keys exist; ranges: the
//     revision is neither future nor compacted), so that the txn either
//     fails whole or runs whole;
//  3. the operations run in order in one write transaction. Every change
//     gets the same main revision and the next sub revision; reads later in
//     the txn see earlier writes. A txn that changes nothing keeps the
//     revision.

import "bytes"

// Txn runs a transaction.
func (s *Store) Txn(r TxnRequest) (TxnResponse, error) {
	if err := s.validateTxn(r); err != nil {
		return TxnResponse{}, err
	}
	rtx := s.b.BeginRead()
	before := view{s: s, tx: rtx, rev: s.currentRev}
	path := before.comparePath(r)
	_, err := before.checkOps(r, path)
	rtx.Rollback()
	if err != nil {
		return TxnResponse{}, err
	}
	t := s.beginWrite()
	resp, _ := t.applyTxn(r, path)
	t.end()
	resp.Revision = s.currentRev
	return *resp, nil
}

// comparePath evaluates the compares of r and of the nested txns in the
// branch taken, depth first: the outcome of each txn on the path, in order.
func (v view) comparePath(r TxnRequest) []bool {
	ok := true
	for _, c := range r.Compare {
		if !v.compare(c) {
			ok = false
			break
		}
	}
	path := []bool{ok}
	for _, op := range branch(r, ok) {
		if op.Txn != nil {
			path = append(path, v.comparePath(*op.Txn)...)
		}
	}
	return path
}

func branch(r TxnRequest, ok bool) []Op {
	if ok {
		return r.Success
	}
	return r.Failure
}

// compare evaluates one Compare (etcd: applyCompare). Every key of the range
// must satisfy it. A missing key compares as a zero KeyValue (version 0,
// revisions 0, lease 0), except that a value compare on a missing key always
// fails: no value is not the empty value.
func (v view) compare(c Compare) bool {
	kvs, _, err := v.rangeKeys(c.Key, normEnd(c.RangeEnd), 0, 0, false)
	if err != nil {
		return false
	}
	if len(kvs) == 0 {
		return c.Target != CompareValue && compareKV(c, KeyValue{})
	}
	for _, kv := range kvs {
		if !compareKV(c, kv) {
			return false
		}
	}
	return true
}

func compareKV(c Compare, kv KeyValue) bool {
	var result int
	switch c.Target {
	case CompareValue:
		result = bytes.Compare(kv.Value, c.Value)
	case CompareCreate:
		result = cmpInt(kv.CreateRevision, c.CreateRevision)
	case CompareMod:
		result = cmpInt(kv.ModRevision, c.ModRevision)
	case CompareVersion:
		result = cmpInt(kv.Version, c.Version)
	case CompareLease:
		result = cmpInt(kv.Lease, c.Lease)
	}
	switch c.Result {
	case CompareEqual:
		return result == 0
	case CompareNotEqual:
		return result != 0
	case CompareGreater:
		return result > 0
	case CompareLess:
		return result < 0
	}
	return true
}

// checkOps checks the operations on the path before anything runs; it
// returns how many path entries r and its nested txns used.
func (v view) checkOps(r TxnRequest, path []bool) (int, error) {
	used := 1
	for _, op := range branch(r, path[0]) {
		switch {
		case op.Put != nil:
			if err := v.checkPut(*op.Put); err != nil {
				return 0, err
			}
		case op.Range != nil:
			// etcd: checkRequestRange (note: a negative revision is below
			// the first revision and so "compacted" here, while a plain
			// Range reads it as "now").
			switch rev := op.Range.Revision; {
			case rev == 0:
			case rev > v.rev:
				return 0, ErrFutureRev
			case rev < v.s.compactRev:
				return 0, ErrCompacted
			}
		case op.Txn != nil:
			n, err := v.checkOps(*op.Txn, path[used:])
			if err != nil {
				return 0, err
			}
			used += n
		}
	}
	return used, nil
}

// checkPut: etcd's checkRequestPut — the key must exist for ignore_value or
// ignore_lease, and the lease must be granted.
func (v view) checkPut(p PutRequest) error {
	if (p.IgnoreValue || p.IgnoreLease) && v.get(p.Key) == nil {
		return ErrKeyNotFound
	}
	if p.Lease != 0 && v.s.lessor != nil && !v.s.lessor.Exists(p.Lease) {
		return ErrLeaseNotFound
	}
	return nil
}

// applyTxn runs the branch of r that path selects; it returns the response
// and how many path entries it used. Every error was ruled out by checkOps.
func (t *writeTxn) applyTxn(r TxnRequest, path []bool) (*TxnResponse, int) {
	resp := &TxnResponse{Succeeded: path[0]}
	used := 1
	for _, op := range branch(r, path[0]) {
		var out OpResponse
		switch {
		case op.Range != nil:
			rr, err := t.view().rangeRequest(*op.Range)
			mustApply(err)
			out.Range = &rr
		case op.Put != nil:
			pr, err := t.applyPut(*op.Put)
			mustApply(err)
			out.Put = &pr
		case op.DeleteRange != nil:
			dr := t.applyDelete(*op.DeleteRange)
			out.DeleteRange = &dr
		case op.Txn != nil:
			sub, n := t.applyTxn(*op.Txn, path[used:])
			used += n
			out.Txn = sub
		}
		resp.Responses = append(resp.Responses, out)
	}
	return resp, used
}

func mustApply(err error) {
	if err != nil {
		panic("mvcc.writeTxn.applyTxn: an operation failed after its checks passed: " + err.Error())
	}
}
