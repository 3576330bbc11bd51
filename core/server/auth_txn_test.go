package server

import (
	"testing"

	"github.com/etcdlab/etcdlab/core/auth"
	"github.com/etcdlab/etcdlab/core/lease"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// A put inside a txn is checked as a put on its own is (auth_apply.go:
// "txn ... each op as above"): with prev-kv it needs READ on the key, and
// with a lease WRITE on the lease's keys. Otherwise a write-only user reads
// a secret through the txn's prev_kv, and a user attaches its key to a
// lease it could not revoke. (etcd 3.4 checks neither inside a txn; the
// checks outside a txn are etcd's.)
func TestAuthTxnPutIsCheckedLikeAPut(t *testing.T) {
	c := newCluster(t, 3, 91, nil)
	l := c.leader()
	c.setupAuth(l)
	root := c.mustLogin(l, "root", "rootpw")
	for _, a := range []AuthRequest{
		{RoleAdd: &RoleAddRequest{Name: "w"}},
		{RoleGrantPermission: &RoleGrantPermissionRequest{Name: "w", Perm: auth.Permission{Type: auth.Write, Key: []byte("/w/"), RangeEnd: []byte("/w0")}}},
		{UserAdd: &UserAddRequest{Name: "wo", Password: testPassword("wopw")}},
		{UserGrantRole: &UserGrantRoleRequest{User: "wo", Role: "w"}},
	} {
		c.mustDo(l, as(root, authReq(a)))
	}
	c.mustDo(l, as(root, put("/w/k", "secret")))
	grant := c.mustDo(l, as(root, Request{LeaseGrant: &LeaseGrantRequest{TTLSeconds: 100}}))
	id := grant.LeaseGrant.ID
	c.mustDo(l, as(root, Request{Put: &mvcc.PutRequest{Key: []byte("/other"), Value: []byte("x"), Lease: int64(id)}}))
	wo := c.mustLogin(l, "wo", "wopw")

	// Outside a txn both are refused.
	wantErr(t, "put with prev-kv, no READ", c.do(l, as(wo, Request{Put: &mvcc.PutRequest{Key: []byte("/w/k"), Value: []byte("v"), PrevKV: true}})), auth.ErrPermissionDenied)
	wantErr(t, "put on a lease holding /other", c.do(l, as(wo, Request{Put: &mvcc.PutRequest{Key: []byte("/w/l"), Value: []byte("v"), Lease: int64(id)}})), auth.ErrPermissionDenied)

	txn := func(p mvcc.PutRequest) Request {
		return Request{Txn: &mvcc.TxnRequest{Success: []mvcc.Op{{Put: &p}}}}
	}
	resp := c.do(l, as(wo, txn(mvcc.PutRequest{Key: []byte("/w/k"), Value: []byte("v"), PrevKV: true})))
	if resp.Err == nil && resp.Txn != nil && len(resp.Txn.Responses) == 1 && resp.Txn.Responses[0].Put != nil && resp.Txn.Responses[0].Put.PrevKV != nil {
		t.Fatalf("a write-only user read %q through a txn put's prev-kv", resp.Txn.Responses[0].Put.PrevKV.Value)
	}
	wantErr(t, "txn put with prev-kv, no READ", resp, auth.ErrPermissionDenied)
	wantErr(t, "txn put on a lease holding /other", c.do(l, as(wo, txn(mvcc.PutRequest{Key: []byte("/w/l"), Value: []byte("v"), Lease: int64(id)}))), auth.ErrPermissionDenied)
	st, _ := c.nodes[l].m.lessor.Lookup(lease.LeaseID(id))
	if len(st.Keys) != 1 {
		t.Fatalf("the lease holds %v after the refused txn, want only /other", st.Keys)
	}
	// A plain txn put is still allowed.
	c.mustDo(l, as(wo, txn(mvcc.PutRequest{Key: []byte("/w/m"), Value: []byte("v")})))
}
