package server

// The backend quota (etcd: --quota-backend-bytes, etcdserver/quota.go).
// A write that would take the backend file past the quota is refused and
// raises the NOSPACE alarm, through Raft, so every member agrees; while the
// alarm is active the cluster refuses everything that needs space — puts,
// txns that put, lease grants — and serves reads and deletes, which is how
// an operator gets out:
//
//	write: size + cost >= quota ──> ErrNoSpace + propose ALARM ACTIVATE NOSPACE
//	                                       │ applied on every member
//	                                       v
//	        puts / txn puts / grants refused at submit and at apply
//	operator: compact (history gone, SizeInUse drops)
//	          defrag on every member (Size drops)
//	          alarm disarm (ALARM DEACTIVATE, through Raft) ──> writes work again
//
// The estimate is etcd's: the backend's file size (not what is in use —
// hence the defrag) plus a cost per request: 256 bytes + key + value per
// put (a txn counts its costlier branch), 64 bytes per lease. The check
// runs at submit and again at apply, where, as in etcd, a write that no
// longer fits is applied anyway (every member must apply the same entries)
// but answered with ErrNoSpace and raises the alarm.

import (
	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/mvcc"
)

// quotaAvailable reports whether a write of cost bytes fits (etcd:
// BackendQuota.Available).
func (m *Member) quotaAvailable(cost int) bool {
	q := m.cfg.QuotaBackendBytes
	if q < 0 || cost == 0 {
		return true
	}
	return m.be.Size()+int64(cost) < q
}

// requestCost is etcd's estimate of the bytes a request adds.
func requestCost(r Request) int {
	switch {
	case r.Put != nil:
		return putCost(*r.Put)
	case r.Txn != nil:
		return txnCost(*r.Txn)
	case r.LeaseGrant != nil:
		return core.QuotaLeaseOverheadBytes
	}
	return 0
}

func putCost(p mvcc.PutRequest) int {
	return core.QuotaKVOverheadBytes + len(p.Key) + len(p.Value)
}

// txnCost is the costlier of the two branches (etcd: costTxn; nested txns
// count too).
func txnCost(t mvcc.TxnRequest) int {
	return max(opsCost(t.Success), opsCost(t.Failure))
}

func opsCost(ops []mvcc.Op) int {
	cost := 0
	for _, op := range ops {
		switch {
		case op.Put != nil:
			cost += putCost(*op.Put)
		case op.Txn != nil:
			cost += txnCost(*op.Txn)
		}
	}
	return cost
}

// checkQuota admits a write at submit: refused while NOSPACE is active,
// and refused with the alarm raised if it does not fit.
func (m *Member) checkQuota(r Request) error {
	cost := requestCost(r)
	if cost == 0 {
		return nil
	}
	if m.alarms.has(AlarmNoSpace) {
		return ErrNoSpace
	}
	if !m.quotaAvailable(cost) {
		m.raiseNoSpace()
		return ErrNoSpace
	}
	return nil
}

// raiseNoSpace proposes this member's NOSPACE alarm, once.
func (m *Member) raiseNoSpace() {
	if m.raisingNoSpace || m.alarms.has(AlarmNoSpace) {
		return
	}
	m.raisingNoSpace = true
	m.proposeInternal(envelope{Alarm: &AlarmRequest{Action: AlarmActivate, MemberID: m.id, Alarm: AlarmNoSpace}}, internalAlarm)
}
