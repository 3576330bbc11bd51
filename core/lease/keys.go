package lease

// Keys attach to leases through the key space: a put with a lease attaches
// its key, a put that names another lease (or none) moves or detaches it, and
// a delete detaches it. When the lease goes, so do its keys (Revoke). Each
// key belongs to at most one lease; each lease keeps its keys sorted, so a
// revoke deletes them in the same order everywhere.
//
//	put k1 --lease=A     A: {k1}        owner: k1->A
//	put k2 --lease=A     A: {k1 k2}     owner: k1->A k2->A
//	put k1 --lease=B     A: {k2} B: {k1}
//	del k2               A: {}   B: {k1}
//
// etcd: lessor.Attach, Detach and GetLease; mvcc's put detaches the key from
// its old lease before attaching it to the new one, which Attach here does
// itself.

// Attach attaches keys to lease id, detaching each from the lease it had, if
// another. An unknown lease is an error and attaches nothing (etcd's apply
// refuses a put naming a missing lease with the same error).
func (l *Lessor) Attach(id LeaseID, keys []string) error {
	ls := l.get(id)
	if ls == nil {
		return ErrLeaseNotFound
	}
	for _, k := range keys {
		if old, ok := l.owner[k]; ok && old != id {
			l.detachKey(old, k)
		}
		ls.keys.ReplaceOrInsert(k)
		l.owner[k] = id
	}
	return nil
}

// Detach detaches keys from lease id. Keys not attached to id are left
// alone. An unknown lease is an error.
func (l *Lessor) Detach(id LeaseID, keys []string) error {
	if l.get(id) == nil {
		return ErrLeaseNotFound
	}
	for _, k := range keys {
		if l.owner[k] == id {
			l.detachKey(id, k)
		}
	}
	return nil
}

// detachKey removes k from lease id, which must hold it.
func (l *Lessor) detachKey(id LeaseID, k string) {
	ls := l.get(id)
	if ls == nil {
		panic("lease.detachKey: key " + k + " is owned by missing lease " + id.String())
	}
	if _, ok := ls.keys.Delete(k); !ok {
		panic("lease.detachKey: lease " + id.String() + " does not hold key " + k)
	}
	delete(l.owner, k)
}

// GetLease returns the lease key is attached to, or NoLease.
func (l *Lessor) GetLease(key string) LeaseID { return l.owner[key] }
