package mvcc

// Writes: a write transaction gathers the changes of one request — a put, a
// delete or a whole txn — under one main revision, beginRev+1, numbering
// them with sub revisions 0, 1, 2, ... in the order they happen. It writes
// each change to bucket "key" and to the index at once (reads inside the
// transaction see them), and at the end commits the backend, advances the
// current revision and notifies the watch hub. A transaction that changed
// nothing — a read-only txn, a delete of missing keys — leaves the revision
// alone (etcd: storeTxnWrite).

import "github.com/etcdlab/etcdlab/core/backend"

type writeTxn struct {
	s        *Store
	tx       backend.WriteTx
	beginRev int64
	changes  []KeyValue // in order; a deletion has only Key set
}

func (s *Store) beginWrite() *writeTxn {
	return &writeTxn{s: s, tx: s.b.BeginWrite(), beginRev: s.currentRev}
}

// view reads through the transaction: its revision is the one being written
// once something was written.
func (t *writeTxn) view() view {
	rev := t.beginRev
	if len(t.changes) > 0 {
		rev++
	}
	return view{s: t.s, tx: t.tx, rev: rev}
}

// put writes key = value with lease at the transaction's revision.
func (t *writeTxn) put(key, value []byte, lease int64) {
	key, value = clone(key), clone(value)
	rev := t.beginRev + 1
	created, ver, oldLease := rev, int64(0), int64(0)
	if _, c, v, ok := t.s.index.get(key, rev); ok {
		created, ver = c.Main, v
		if t.s.lessor != nil {
			oldLease = t.s.lessor.LeaseOf(key)
		}
	}
	at := Revision{Main: rev, Sub: int64(len(t.changes))}
	kv := KeyValue{Key: key, Value: value, CreateRevision: created, ModRevision: rev, Version: ver + 1, Lease: lease}
	mustOK(t.tx.SeqPut(keyBucket, revBytes(at), encodeKV(kv)))
	t.s.index.put(key, at)
	t.changes = append(t.changes, kv)
	if t.s.lessor != nil {
		if oldLease != 0 {
			t.s.lessor.Detach(oldLease, key)
		}
		if lease != 0 {
			t.s.lessor.Attach(lease, key)
		}
	}
}

// deleteRange deletes the live keys in [key, end) and returns how many.
func (t *writeTxn) deleteRange(key, end []byte) int64 {
	rev := t.beginRev + 1
	keys := t.s.index.liveKeys(key, end, rev)
	for _, k := range keys {
		if t.s.lessor != nil {
			if kv := t.view().get(k); kv != nil && kv.Lease != 0 {
				t.s.lessor.Detach(kv.Lease, k)
			}
		}
		at := Revision{Main: rev, Sub: int64(len(t.changes))}
		mustOK(t.tx.SeqPut(keyBucket, tombstoneBytes(at), encodeKV(KeyValue{Key: k})))
		if !t.s.index.tombstone(k, at) {
			panic("mvcc.writeTxn.deleteRange: a live key has no live generation")
		}
		t.changes = append(t.changes, KeyValue{Key: k})
	}
	return int64(len(keys))
}

// end commits the transaction; with changes, the store moves to the new
// revision and the watchers hear of it.
func (t *writeTxn) end() {
	if len(t.changes) == 0 {
		t.tx.Rollback()
		return
	}
	rev := t.beginRev + 1
	t.s.currentRev = rev
	t.s.writeMeta(t.tx)
	mustCommit(t.tx)
	t.s.hub.notify(rev, t.events(rev))
}

// events turns the changes into watch events.
func (t *writeTxn) events(rev int64) []Event {
	evs := make([]Event, len(t.changes))
	for i, kv := range t.changes {
		if kv.CreateRevision == 0 {
			kv.ModRevision = rev // a deletion carries its revision (etcd does the same)
			evs[i] = Event{Type: EventDelete, Kv: kv}
		} else {
			evs[i] = Event{Type: EventPut, Kv: kv}
		}
	}
	return evs
}

// Put writes one key (etcd: applierV3backend.Put).
func (s *Store) Put(r PutRequest) (PutResponse, error) {
	if err := ValidatePut(r); err != nil {
		return PutResponse{}, err
	}
	if r.Lease != 0 && s.lessor != nil && !s.lessor.Exists(r.Lease) {
		return PutResponse{}, ErrLeaseNotFound
	}
	t := s.beginWrite()
	resp, err := t.applyPut(r)
	if err != nil {
		t.tx.Rollback()
		return PutResponse{}, err
	}
	t.end()
	return resp, nil
}

// applyPut runs a put inside the transaction.
func (t *writeTxn) applyPut(r PutRequest) (PutResponse, error) {
	var prev *KeyValue
	if r.IgnoreValue || r.IgnoreLease || r.PrevKV {
		prev = t.view().get(r.Key)
	}
	if (r.IgnoreValue || r.IgnoreLease) && prev == nil {
		return PutResponse{}, ErrKeyNotFound
	}
	value, lease := r.Value, r.Lease
	if r.IgnoreValue {
		value = prev.Value
	}
	if r.IgnoreLease {
		lease = prev.Lease
	}
	t.put(r.Key, value, lease)
	resp := PutResponse{Revision: t.beginRev + 1}
	if r.PrevKV {
		resp.PrevKV = prev
	}
	return resp, nil
}

// DeleteRange deletes keys (etcd: applierV3backend.DeleteRange).
func (s *Store) DeleteRange(r DeleteRangeRequest) (DeleteRangeResponse, error) {
	if err := ValidateDeleteRange(r); err != nil {
		return DeleteRangeResponse{}, err
	}
	t := s.beginWrite()
	resp := t.applyDelete(r)
	t.end()
	return resp, nil
}

// applyDelete runs a delete inside the transaction. The response revision is
// the transaction's new revision if anything in it changed so far, else the
// current one.
func (t *writeTxn) applyDelete(r DeleteRangeRequest) DeleteRangeResponse {
	end := normEnd(r.RangeEnd)
	var resp DeleteRangeResponse
	if r.PrevKV {
		resp.PrevKVs, _, _ = t.view().rangeKeys(r.Key, end, 0, 0, false)
	}
	resp.Deleted = t.deleteRange(r.Key, end)
	resp.Revision = t.view().rev
	return resp
}

func clone(b []byte) []byte {
	if b == nil {
		return nil
	}
	return append(make([]byte, 0, len(b)), b...)
}
