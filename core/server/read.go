package server

// Reads. A Range (or a txn that only reads) never enters the log:
//
//   - serializable: answered at once from this member's store — fast, and
//     possibly stale (a partitioned member answers with what it has);
//   - linearizable (the default): the member asks Raft for a read index
//     (thesis §6.4, ReadIndex): the leader confirms with a heartbeat round
//     that it still leads and returns its commit index; once this member
//     has applied that index, its store reflects every write that
//     completed before the read began, and the read is served locally.
//
//	Submit(Range) ──ReadIndex(ctx)──> leader: heartbeat quorum ──> ReadState{index, ctx}
//	                                  wait until applied >= index ──> store.Range ──> respond
//
// A read whose leader changes before the index arrives fails with
// ErrLeaderChanged (etcd's read loop does the same); one that waits past
// the request timeout fails with ErrTimeout. etcd batches concurrent reads
// behind one ReadIndex; here each read asks on its own (the context is the
// member's sequence number), which shows the protocol one read at a time.

import (
	"encoding/binary"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// readWait is a linearizable read waiting for its read index, then for the
// apply index to reach it.
type readWait struct {
	req       Request
	ctx       []byte
	index     uint64
	confirmed bool // the ReadState arrived
	deadline  uint64
}

// submitRead serves a read: at once if serializable, else through ReadIndex.
func (m *Member) submitRead(r Request) {
	if r.Serializable {
		m.respond(m.execRead(r))
		return
	}
	if m.lead == raft.None {
		m.fail(r, ErrNoLeader)
		return
	}
	m.seq++
	ctx := binary.BigEndian.AppendUint64(nil, m.seq)
	m.busy[r.ID] = true
	m.reads = append(m.reads, &readWait{req: r, ctx: ctx, deadline: m.ticks + m.cfg.requestTimeoutTicks()})
	m.node.ReadIndex(ctx)
}

// execRead runs a read on the local store.
func (m *Member) execRead(r Request) Response {
	if r.Auth != nil {
		return m.passwordOf(r) // the one auth read (auth.go submitAuth)
	}
	resp := Response{ID: r.ID}
	if err := m.authorizeRead(r); err != nil {
		resp.Err = err
		return resp
	}
	if r.Range != nil {
		rr, err := m.store.Range(*r.Range)
		resp.Range, resp.Err = &rr, err
	} else {
		tr, err := m.store.Txn(*r.Txn)
		resp.Txn, resp.Err = &tr, err
	}
	if resp.Err != nil {
		resp.Range, resp.Txn = nil, nil
	}
	return resp
}

// readStateArrived records the read index Raft returned for a read.
func (m *Member) readStateArrived(rs raft.ReadState) {
	for _, rw := range m.reads {
		if !rw.confirmed && string(rw.ctx) == string(rs.RequestCtx) {
			rw.index, rw.confirmed = rs.Index, true
		}
	}
}

// serveReads answers the reads whose read index is applied.
func (m *Member) serveReads() {
	kept := m.reads[:0]
	for _, rw := range m.reads {
		if rw.confirmed && m.applied >= rw.index {
			m.respond(m.execRead(rw.req))
			continue
		}
		kept = append(kept, rw)
	}
	m.reads = kept
}

// failUnconfirmedReads fails the reads still waiting for a read index.
func (m *Member) failUnconfirmedReads(err error) {
	kept := m.reads[:0]
	for _, rw := range m.reads {
		if rw.confirmed {
			kept = append(kept, rw)
			continue
		}
		m.fail(rw.req, err)
	}
	m.reads = kept
}

// expireReads fails the reads past their deadline.
func (m *Member) expireReads() {
	kept := m.reads[:0]
	for _, rw := range m.reads {
		if m.ticks >= rw.deadline {
			m.emit(Event{Kind: EvRequestTimedOut, RequestID: rw.req.ID, Reason: ErrTimeout.Error()})
			m.fail(rw.req, ErrTimeout)
			continue
		}
		kept = append(kept, rw)
	}
	m.reads = kept
}

// readOnlyTxn reports whether a txn only reads (etcd: isTxnReadonly).
func readOnlyTxn(t mvcc.TxnRequest) bool {
	for _, ops := range [][]mvcc.Op{t.Success, t.Failure} {
		for _, op := range ops {
			switch {
			case op.Range != nil:
			case op.Txn != nil && readOnlyTxn(*op.Txn):
			default:
				return false
			}
		}
	}
	return true
}
