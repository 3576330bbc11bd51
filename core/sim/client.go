package sim

// Clients. A client request is issued now and arrives at its node as an
// event; a write is proposed there and answered when that node applies the
// entry that carries it (matched by request id, as etcd's wait registry
// does); a linearizable read asks Raft for a read index (thesis §6.4) and is
// answered once the node has applied up to it; a serializable read is
// answered at once from the node's local state, possibly stale. A request
// not answered within RequestTimeout fails.
//
//	Put(n2, "x", "1") --EvRequest--> n2.Propose --> ... --> n2 applies it
//	                                                        -> Request.Done

import (
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/server"
)

// Operating errors a request can end with (besides raft's).
var (
	ErrTimeout  = errors.New("sim: request timed out")
	ErrNoLeader = errors.New("sim: no leader to send the request to")
)

// Request is one client request and, once Done, its answer.
type Request struct {
	ID           uint64
	Op           OpKind
	Key, Value   string
	Serializable bool
	// Via is the node the client chose (None: the leader when it arrives);
	// Node the node that took it.
	Via, Node raft.NodeID

	Issued, Finished time.Duration
	Done             bool
	Err              error
	// Index is the entry a write was applied at, or a read's read index.
	Index uint64
	// Found reports whether a get found the key (Value holds it) or a
	// delete removed one.
	Found bool

	// Etcd is the request a server.Member answers (etcd mode); Reply its
	// answer once Done, and Label how the request reads ("put foo bar").
	Etcd  *server.Request
	Reply *server.Response
	Label string

	readIndex uint64 // linearizable read: 0 until the ReadState arrives
	timeout   *item
}

// String renders the request and its answer.
func (r *Request) String() string {
	if r.Etcd != nil {
		return r.etcdString()
	}
	s := fmt.Sprintf("r%d %s %s", r.ID, r.Op, r.Key)
	if r.Op == OpPut {
		s += " " + r.Value
	}
	if r.Serializable {
		s += " serializable"
	}
	if r.Node != raft.None {
		s += " at " + Name(r.Node)
	}
	if !r.Done {
		return s + ": pending"
	}
	return s + ": " + r.Outcome()
}

// Outcome renders the answer alone: "ok index=5", "x=1", "not found", or
// "error: ...".
func (r *Request) Outcome() string {
	if r.Etcd != nil {
		return r.etcdOutcome()
	}
	switch {
	case !r.Done:
		return "pending"
	case r.Err != nil:
		return "error: " + r.Err.Error()
	case r.Op == OpGet && r.Found:
		return fmt.Sprintf("%s=%s index=%d", r.Key, r.Value, r.Index)
	case r.Op == OpGet:
		return fmt.Sprintf("%s not found index=%d", r.Key, r.Index)
	case r.Op == OpDelete && !r.Found:
		return fmt.Sprintf("ok index=%d (key did not exist)", r.Index)
	}
	return fmt.Sprintf("ok index=%d", r.Index)
}

// Put asks node via (raft.None: the leader) to set key to value.
func (c *Cluster) Put(via raft.NodeID, key, value string) *Request {
	return c.issue(&Request{Op: OpPut, Key: key, Value: value, Via: via})
}

// Delete asks node via (raft.None: the leader) to delete key.
func (c *Cluster) Delete(via raft.NodeID, key string) *Request {
	return c.issue(&Request{Op: OpDelete, Key: key, Via: via})
}

// Get reads key at node via (raft.None: the leader): linearizably through
// ReadIndex, or from local state if serializable.
func (c *Cluster) Get(via raft.NodeID, key string, serializable bool) *Request {
	return c.issue(&Request{Op: OpGet, Key: key, Via: via, Serializable: serializable})
}

// Requests lists every request issued, in order.
func (c *Cluster) Requests() []*Request { return c.requests }

// issue schedules r's arrival now and its timeout.
func (c *Cluster) issue(r *Request) *Request {
	c.nextReqID++
	r.ID, r.Issued = c.nextReqID, c.now
	if c.opts.Etcd != nil && r.Etcd == nil {
		asEtcd(r)
	}
	c.requests = append(c.requests, r)
	c.queue.schedule(&item{at: c.now, kind: EvRequest, req: r})
	r.timeout = c.queue.schedule(&item{at: c.now + c.opts.RequestTimeout, kind: EvRequestTimeout, req: r})
	return r
}

// arrive hands r to its node.
func (c *Cluster) arrive(r *Request) {
	if r.Done {
		return
	}
	via := r.Via
	if via == raft.None {
		if via = c.Leader(); via == raft.None {
			c.finish(r, ErrNoLeader)
			return
		}
	}
	r.Node = via
	c.record(Record{Kind: RecRequest, Node: via, Detail: r.String()})
	p, err := c.upProc(via)
	if err != nil {
		c.finish(r, errors.New("sim: "+err.Error()))
		return
	}
	if p.member != nil || r.Etcd != nil {
		c.submit(p, r)
		return
	}
	switch {
	case r.Op == OpGet && r.Serializable:
		r.Index = p.applied
		r.Value, r.Found = p.app.Get(r.Key)
		c.finish(r, nil)
	case r.Op == OpGet:
		p.reads = append(p.reads, r)
		ctx := make([]byte, 8)
		binary.BigEndian.PutUint64(ctx, r.ID)
		p.node.ReadIndex(ctx)
	default:
		data, err := p.app.Encode(Command{ID: r.ID, Op: r.Op, Key: r.Key, Value: r.Value})
		if err == nil {
			err = p.node.Propose(data)
		}
		if err != nil {
			c.finish(r, err)
		} else {
			p.pending[r.ID] = r
		}
	}
	c.drive(p)
}

// timeout fails r if it is still waiting.
func (c *Cluster) timeout(r *Request) {
	r.timeout = nil
	if r.Done {
		return
	}
	if p := c.procs[r.Node]; p != nil && p.up {
		delete(p.pending, r.ID)
		kept := p.reads[:0]
		for _, x := range p.reads {
			if x != r {
				kept = append(kept, x)
			}
		}
		p.reads = kept
	}
	c.finish(r, ErrTimeout)
}

// finish answers r.
func (c *Cluster) finish(r *Request, err error) {
	if r.Done {
		panic(fmt.Sprintf("sim.Cluster.finish: request r%d answered twice", r.ID))
	}
	r.Done, r.Err, r.Finished = true, err, c.now
	c.queue.cancel(r.timeout)
	r.timeout = nil
	c.record(Record{Kind: RecResponse, Node: r.Node, Detail: r.String()})
}

// Await steps until r is answered or limit of virtual time has passed.
func (c *Cluster) Await(r *Request, limit time.Duration) error {
	ok, err := c.RunUntil(func(*Cluster) bool { return r.Done }, limit)
	if err != nil {
		return err
	}
	if !ok {
		return fmt.Errorf("request r%d not answered within %v", r.ID, limit)
	}
	return nil
}
