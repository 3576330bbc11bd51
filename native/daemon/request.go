package daemon

// Client requests into the loop and their answers out of it. The core
// answers every submitted request in a later Ready, error or not, and
// times out those the log never applies; the daemon only matches answers
// to callers by request ID (etcd: pkg/wait).
//
//	Do(ctx, req) ── ID ──> reqc ──> loop: waits[ID], member.Submit
//	                                 ... Ready.Responses[ID] ──> call.done ──> Do returns
//
// A caller that gives up (ctx done) abandons the wait; the loop still
// takes the answer and drops it. The loop never waits for a caller.

import (
	"context"
	"errors"

	"github.com/etcdlab/etcdlab/core/server"
)

// ErrRemoved: this member was removed from the cluster.
var ErrRemoved = errors.New("etcdserver: the member has been permanently removed from the cluster")

// call is one request waiting for its answer.
type call struct {
	req  server.Request
	done chan server.Response // buffered: the loop never blocks on it
}

// Do submits req (its ID is assigned here) and waits for the answer. The
// returned error is ctx's or ErrStopped; the request's own failure is in
// Response.Err.
func (d *Daemon) Do(ctx context.Context, req server.Request) (server.Response, error) {
	req.ID = d.nextID.Add(1)
	c := &call{req: req, done: make(chan server.Response, 1)}
	select {
	case d.reqc <- c:
	case <-ctx.Done():
		return server.Response{}, ctx.Err()
	case <-d.donec:
		return server.Response{}, ErrStopped
	}
	select {
	case resp := <-c.done:
		return resp, nil
	case <-ctx.Done():
		return server.Response{}, ctx.Err()
	case <-d.donec:
		return server.Response{}, ErrStopped
	}
}

// submit runs on the loop.
func (d *Daemon) submit(c *call) {
	if _, dup := d.waits[c.req.ID]; dup {
		panic("daemon.submit: request ID reused while waiting")
	}
	d.waits[c.req.ID] = c
	d.member.Submit(c.req)
}

// deliver answers the callers of rd.Responses.
func (d *Daemon) deliver(resps []server.Response) {
	for _, r := range resps {
		if c, ok := d.waits[r.ID]; ok {
			delete(d.waits, r.ID)
			c.done <- r
		}
	}
}

// control runs fn on the loop and waits for it.
func (d *Daemon) control(ctx context.Context, fn func()) error {
	done := make(chan struct{})
	wrapped := func() { fn(); close(done) }
	select {
	case d.ctlc <- wrapped:
	case <-ctx.Done():
		return ctx.Err()
	case <-d.donec:
		return ErrStopped
	}
	select {
	case <-done:
		return nil
	case <-d.donec:
		return ErrStopped
	}
}
