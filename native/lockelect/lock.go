package lockelect

// The Lock service (etcd: server/etcdserver/api/v3lock/lock.go): a
// distributed mutex served for clients that do not run clientv3's
// concurrency package themselves. The server runs it for them:
//
//	Lock(name, lease)    put name/<lease hex> with the caller's lease, then
//	                     wait until every key under name/ created before it
//	                     is gone (concurrency.Mutex); answer that key
//	Unlock(key)          delete the key; the next waiter's wait ends
//
// The caller keeps its lease alive; if the lease expires or is revoked the
// key goes with it and the lock passes on. Locking twice with the same
// lease finds the same key and holds the lock once.

import (
	"context"

	clientv3 "go.etcd.io/etcd/client/v3"
	"go.etcd.io/etcd/client/v3/concurrency"
)

type lockServer struct{ self *selfClient }

func (l lockServer) Lock(ctx context.Context, r *LockRequest) (*LockResponse, error) {
	s, err := callerSession(ctx, l.self, r.Lease)
	if err != nil {
		return nil, err
	}
	m := concurrency.NewMutex(s, string(r.Name))
	if err := m.Lock(ctx); err != nil {
		return nil, err
	}
	return &LockResponse{Header: m.Header(), Key: []byte(m.Key())}, nil
}

func (l lockServer) Unlock(ctx context.Context, r *UnlockRequest) (*UnlockResponse, error) {
	c, err := l.self.client()
	if err != nil {
		return nil, err
	}
	resp, err := c.Delete(ctx, string(r.Key))
	if err != nil {
		return nil, err
	}
	return &UnlockResponse{Header: resp.Header}, nil
}

// callerSession is a concurrency session on the caller's lease that this
// member does not keep alive: the caller does (etcd: v3election.go
// session, Orphan right after NewSession). Lease 0 grants a new lease of
// the session's default TTL, which then nobody keeps alive, as in etcd.
func callerSession(ctx context.Context, self *selfClient, lease int64) (*concurrency.Session, error) {
	c, err := self.client()
	if err != nil {
		return nil, err
	}
	s, err := concurrency.NewSession(c, concurrency.WithLease(clientv3.LeaseID(lease)), concurrency.WithContext(ctx))
	if err != nil {
		return nil, err
	}
	s.Orphan()
	return s, nil
}
