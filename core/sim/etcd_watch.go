package sim

// Watches of etcd mode. A client opens a watch on one member (etcd: a
// gRPC Watch stream to one endpoint): the member's key space queues watch
// responses — created, events, canceled — and the simulator hands them to
// the client after every event that touched the member, one RecWatch
// record per event, so a transcript shows events as they are delivered:
//
//	watch w1 on n2: foo           n2 applies put foo=bar at revision 3
//	                              -> record "n2 watch w1 PUT foo=bar create=3 mod=3 version=1"
//
// A member that installs a snapshot from the leader replaces its key space
// and closes the streams opened on the old one (core/server, deviations);
// the client then watches again from the revision after the last event it
// saw, as etcd's clientv3 does on a broken stream. A member that crashes
// or is removed ends its watches.

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/mvcc"
	"github.com/etcdlab/etcdlab/core/raft"
)

// watch is one client's watch on one member.
type watch struct {
	id     uint64
	node   raft.NodeID
	label  string
	req    mvcc.WatchRequest
	stream *mvcc.Stream
	store  *mvcc.Store // the key space the stream belongs to
	// lastRev is the revision of the last event delivered; events counts
	// them. ended: the watch is over (why says why).
	lastRev int64
	events  int
	ended   bool
	why     string
	// recent are the last events delivered, newest first, at most
	// watchRecentEvents.
	recent []WatchEvent
}

// watchRecentEvents bounds the events a WatchState keeps (the visualizer
// lists them; the trace has them all).
const watchRecentEvents = 8

// watchValueChars shortens the values a WatchEvent keeps.
const watchValueChars = 24

// WatchEvent is one event delivered to a watch, as the visualizer lists it.
type WatchEvent struct {
	Revision int64
	Type     string // "PUT" or "DELETE"
	Key      string
	// Value is the put value, cut to watchValueChars characters with an
	// ellipsis ("" for a DELETE).
	Value string
}

// WatchState is one watch, for the visualizer and scenarios.
type WatchState struct {
	ID           uint64
	Node         raft.NodeID
	Label        string
	Events       int
	LastRevision int64
	Ended        bool
	Why          string
	// Recent are the last events delivered, newest first (at most 8).
	Recent []WatchEvent
}

// WatchDelivery is what a RecWatch record carries: one event delivered to
// watch Watch, or a Note about the watch itself (created, canceled, ended).
type WatchDelivery struct {
	Watch uint64
	Event *mvcc.Event
	Note  string
}

func (d WatchDelivery) String() string {
	s := fmt.Sprintf("watch w%d ", d.Watch)
	if d.Event == nil {
		return s + d.Note
	}
	kv := d.Event.Kv
	if d.Event.Type == mvcc.EventDelete {
		return s + fmt.Sprintf("DELETE %s mod=%d", kv.Key, kv.ModRevision)
	}
	return s + "PUT " + describeKV(kv)
}

// Watch opens a watch on node via (raft.None: the leader now) and returns
// its id (w1, w2, ...). label is how it reads in the trace.
func (c *Cluster) Watch(via raft.NodeID, req mvcc.WatchRequest, label string) (uint64, error) {
	if c.opts.Etcd == nil {
		return 0, errNeedEtcdMode
	}
	if via == raft.None {
		if via = c.Leader(); via == raft.None {
			return 0, fmt.Errorf("no leader to watch on; name a node with via")
		}
	}
	p, err := c.upProc(via)
	if err != nil {
		return 0, err
	}
	w := &watch{id: uint64(len(c.watches) + 1), node: via, label: label, req: req}
	if err := c.openStream(p, w, req.StartRevision); err != nil {
		return 0, err
	}
	c.watches = append(c.watches, w)
	c.record(Record{Kind: RecAction, Node: via, Detail: fmt.Sprintf("watch w%d %s", w.id, label)})
	c.pollWatches(p)
	return w.id, c.err
}

// openStream opens w's stream on p's current key space from startRev.
func (c *Cluster) openStream(p *process, w *watch, startRev int64) error {
	st := p.member.NewWatchStream()
	req := w.req
	req.StartRevision = startRev
	if _, err := st.Watch(req); err != nil {
		st.Close()
		return fmt.Errorf("watch %s: %s", w.label, EtcdError(err))
	}
	w.stream, w.store = st, p.member.Store()
	return nil
}

// pollWatches hands the responses queued on p's watch streams to their
// clients.
func (c *Cluster) pollWatches(p *process) {
	for _, w := range c.watches {
		if w.ended || w.node != p.id {
			continue
		}
		if w.store != p.member.Store() {
			c.rewatch(p, w)
		}
		for _, resp := range w.stream.Responses() {
			c.deliverWatch(w, resp)
		}
	}
}

// rewatch reopens a watch whose stream a snapshot install closed, from
// the revision after the last event it delivered.
func (c *Cluster) rewatch(p *process, w *watch) {
	from := w.req.StartRevision
	if w.lastRev > 0 {
		from = w.lastRev + 1
	}
	if err := c.openStream(p, w, from); err != nil {
		c.endWatch(w, err.Error())
		return
	}
	c.record(Record{Kind: RecWatch, Node: w.node, Watch: WatchDelivery{Watch: w.id,
		Note: fmt.Sprintf("re-watched from revision %d (the snapshot install closed the stream)", from)}})
}

// deliverWatch records one response of w's stream.
func (c *Cluster) deliverWatch(w *watch, resp mvcc.WatchResponse) {
	switch {
	case resp.Canceled && resp.CompactRevision != 0:
		c.endWatch(w, fmt.Sprintf("canceled: %s (compact revision %d)", EtcdError(mvcc.ErrCompacted), resp.CompactRevision))
		return
	case resp.Canceled:
		c.endWatch(w, "canceled "+resp.CancelReason)
		return
	case resp.Created:
		if w.req.StartRevision <= 0 {
			// "From now" means from the revision after the one it was
			// created at; a re-watch must resume there, not from a later
			// "now" (etcd: clientv3 sets the next revision from the
			// created response's header).
			w.req.StartRevision = resp.Revision + 1
		}
		c.record(Record{Kind: RecWatch, Node: w.node, Watch: WatchDelivery{Watch: w.id, Note: fmt.Sprintf("created at revision %d", resp.Revision)}})
	}
	for i := range resp.Events {
		ev := resp.Events[i]
		w.events++
		w.lastRev = ev.Kv.ModRevision
		w.remember(ev)
		c.record(Record{Kind: RecWatch, Node: w.node, Watch: WatchDelivery{Watch: w.id, Event: &ev}})
	}
}

// remember keeps ev among w's recent events, dropping the oldest beyond
// watchRecentEvents.
func (w *watch) remember(ev mvcc.Event) {
	we := WatchEvent{Revision: ev.Kv.ModRevision, Type: "PUT", Key: string(ev.Kv.Key)}
	if ev.Type == mvcc.EventDelete {
		we.Type = "DELETE"
	} else {
		we.Value = shorten(string(ev.Kv.Value), watchValueChars)
	}
	w.recent = append([]WatchEvent{we}, w.recent...)
	if len(w.recent) > watchRecentEvents {
		w.recent = w.recent[:watchRecentEvents]
	}
}

// shorten cuts s to n runes, marking the cut with an ellipsis.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// endWatch ends w and records why.
func (c *Cluster) endWatch(w *watch, why string) {
	w.ended, w.why = true, why
	if w.stream != nil {
		w.stream.Close()
	}
	c.record(Record{Kind: RecWatch, Node: w.node, Watch: WatchDelivery{Watch: w.id, Note: why}})
}

// endWatches ends the watches on p, which went down.
func (c *Cluster) endWatches(p *process, why error) {
	for _, w := range c.watches {
		if !w.ended && w.node == p.id {
			c.endWatch(w, "ended: "+why.Error())
		}
	}
}

// watchStates lists every watch opened, by id.
func (c *Cluster) watchStates() []WatchState {
	var out []WatchState
	for _, w := range c.watches {
		out = append(out, WatchState{ID: w.id, Node: w.node, Label: w.label, Events: w.events,
			LastRevision: w.lastRev, Ended: w.ended, Why: w.why, Recent: append([]WatchEvent(nil), w.recent...)})
	}
	return out
}
