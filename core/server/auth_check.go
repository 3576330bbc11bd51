package server

// The auth checks outside the apply path: at submit, what etcd checks in
// front of Raft (v3_server.go, v3rpc), and when a read is served, what
// etcd checks in doSerialize. With auth disabled each is one test of a
// boolean.
//
//	Submit ─ token known? ─ membership change: root ─ lease keep-alive: WRITE on its keys
//	                      ─ lease time-to-live with keys, lease list: READ on the keys
//	serve a read ─ READ on the range (a txn: every compare and op)
//
// A token this member does not know is refused at once with
// ErrInvalidAuthToken (the client authenticates again). A request without
// a token goes on without a user, and whatever needs one refuses it with
// ErrUserEmpty. Authenticating, and asking for a user's password, need no
// token.

import (
	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/lease"
)

// authorizeSubmit runs the checks due before a request goes any further.
func (m *Member) authorizeSubmit(r Request) error {
	s := m.authStore()
	if !s.Enabled() || r.MemberAttributes != nil {
		return nil // auth off, or the daemon's own publication
	}
	if a := r.Auth; a != nil && (a.Authenticate != nil || a.Password != nil) {
		return nil
	}
	info, err := s.TokenInfo(r.Token, m.ticks)
	if err != nil {
		return err
	}
	switch {
	case r.MemberAdd != nil || r.MemberRemove != nil || r.MemberPromote != nil || r.MemberUpdate != nil:
		return s.IsAdminPermitted(info) // etcd: checkMembershipOperationPermission
	case r.LeaseKeepAlive != nil:
		return m.checkLeaseKeys(s, info, r.LeaseKeepAlive.ID, s.IsPutPermitted) // etcd: checkLeaseRenew
	case r.LeaseTimeToLive != nil && r.LeaseTimeToLive.Keys:
		return m.checkLeaseKeys(s, info, r.LeaseTimeToLive.ID, readKey(s)) // etcd: checkLeaseTimeToLive
	case r.LeaseLeases != nil:
		for _, id := range m.lessor.Leases() { // etcd: checkLeaseLeases
			if err := m.checkLeaseKeys(s, info, id, readKey(s)); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkLeaseKeys: root, or the permission check on every key of a lease.
// Without a user it is ErrUserEmpty even for a lease with no keys.
func (m *Member) checkLeaseKeys(s *auth.Store, info *auth.Info, id lease.LeaseID, check func(*auth.Info, []byte) error) error {
	if info == nil {
		return auth.ErrUserEmpty
	}
	if s.IsAdminPermitted(info) == nil {
		return nil
	}
	st, _ := m.lessor.Lookup(id)
	for _, k := range st.Keys {
		if err := check(info, []byte(k)); err != nil {
			return err
		}
	}
	return nil
}

// readKey is the READ check of one key.
func readKey(s *auth.Store) func(*auth.Info, []byte) error {
	return func(info *auth.Info, key []byte) error { return s.IsRangePermitted(info, key, nil) }
}

// authorizeRead checks a read as it is served (etcd: doSerialize with
// IsRangePermitted or checkTxnAuth).
func (m *Member) authorizeRead(r Request) error {
	s := m.authStore()
	if !s.Enabled() {
		return nil
	}
	info, err := s.TokenInfo(r.Token, m.ticks)
	switch {
	case err != nil:
		return err
	case r.Range != nil:
		return s.IsRangePermitted(info, r.Range.Key, r.Range.RangeEnd)
	}
	return m.checkTxn(s, info, *r.Txn)
}
