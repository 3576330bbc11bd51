package sim

// The transport: how a message leaves one node and reaches another through
// the network model (network.go), and the manual controls lessons and the
// debugger use to hold a message and then deliver, drop or duplicate it.
//
// A message that cannot be sent because its link is cut or its destination is
// down makes the sender's transport report the peer unreachable, as etcd's
// rafthttp does when a stream breaks; a message lost at random does not (the
// sender cannot tell).

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
)

// send puts m on the network.
func (c *Cluster) send(from *process, m raft.Message) {
	c.net.nextID++
	info := infoOf(c.net.nextID, m, c.now)
	l := Link{m.From, m.To}
	to := c.procs[m.To]
	switch {
	case to == nil || to.removed:
		c.record(Record{Kind: RecDrop, Msg: info, Detail: "no such member"})
		return
	case !c.net.canReach(l):
		c.record(Record{Kind: RecDrop, Msg: info, Detail: "partition"})
		c.reportUnreachable(from, m.To)
		return
	case !to.up:
		c.record(Record{Kind: RecDrop, Msg: info, Detail: Name(m.To) + " is down"})
		c.reportUnreachable(from, m.To)
		return
	case c.net.rand.Chance(c.net.modelOf(l).Loss):
		c.record(Record{Kind: RecDrop, Msg: info, Detail: "loss"})
		return
	}
	f := c.launch(&flight{info: info, msg: m})
	c.record(Record{Kind: kindOf(f), Msg: f.info})
	if c.net.rand.Chance(c.net.modelOf(l).Duplicate) {
		c.duplicate(f)
	}
}

func kindOf(f *flight) RecordKind {
	if f.info.Held {
		return RecHold
	}
	return RecSend
}

// launch registers f and schedules its delivery, unless its link is held.
func (c *Cluster) launch(f *flight) *flight {
	c.net.flights[f.info.ID] = f
	l := Link{f.info.From, f.info.To}
	if c.net.held(l) {
		f.info.Held, f.info.Due = true, 0
		return f
	}
	f.info.Held = false
	f.info.Due = c.now + c.net.latency(l)
	f.deliver = c.queue.schedule(&item{at: f.info.Due, kind: EvDeliver, msg: f.info.ID})
	return f
}

// duplicate puts a copy of f on the network, with its own id and delay.
func (c *Cluster) duplicate(f *flight) *flight {
	c.net.nextID++
	cp := &flight{info: f.info, msg: f.msg}
	cp.info.ID, cp.info.Sent = c.net.nextID, c.now
	c.launch(cp)
	c.record(Record{Kind: RecDuplicate, Msg: cp.info})
	return cp
}

// reportUnreachable notes, once per Ready, that from could not reach to.
func (c *Cluster) reportUnreachable(from *process, to raft.NodeID) {
	if !contains(from.unreachable, to) {
		from.unreachable = append(from.unreachable, to)
	}
}

// deliver hands message id to its destination, unless the partition or a
// crash swallowed it on the way.
func (c *Cluster) deliver(id uint64) (MessageInfo, raft.NodeID) {
	f := c.net.flights[id]
	if f == nil {
		panic(fmt.Sprintf("sim.Cluster.deliver: message m%d is not in flight", id))
	}
	delete(c.net.flights, id)
	f.deliver = nil
	to := c.procs[f.info.To]
	switch {
	case to == nil || to.removed:
		c.record(Record{Kind: RecDrop, Msg: f.info, Detail: "no such member"})
	case !to.up:
		c.record(Record{Kind: RecDrop, Msg: f.info, Detail: Name(f.info.To) + " is down"})
	case !c.net.canReach(Link{f.info.From, f.info.To}):
		c.record(Record{Kind: RecDrop, Msg: f.info, Detail: "partition"})
	default:
		c.record(Record{Kind: RecDeliver, Msg: f.info})
		if err := to.step(f.msg); err != nil {
			c.record(Record{Kind: RecAction, Node: to.id, Detail: "step " + f.info.Type.String() + ": " + err.Error()})
		}
		c.drive(to)
	}
	return f.info, f.info.To
}

// MessageFilter selects in-flight messages: by ID, or by any of From, To
// and Type that are set (zero/All means any).
type MessageFilter struct {
	ID       uint64
	From, To raft.NodeID
	Type     raft.MsgType
	AnyType  bool
}

func (mf MessageFilter) match(m MessageInfo) bool {
	if mf.ID != 0 {
		return m.ID == mf.ID
	}
	return (mf.From == 0 || m.From == mf.From) && (mf.To == 0 || m.To == mf.To) && (mf.AnyType || m.Type == mf.Type)
}

// find returns the oldest in-flight message that mf selects.
func (c *Cluster) find(mf MessageFilter) (*flight, error) {
	for _, m := range c.net.inFlight() {
		if mf.match(m) {
			return c.net.flights[m.ID], nil
		}
	}
	if mf.ID != 0 {
		return nil, fmt.Errorf("message m%d is not in flight", mf.ID)
	}
	return nil, fmt.Errorf("no message in flight matches %s", mf)
}

func (mf MessageFilter) String() string {
	s := "*"
	if mf.From != 0 {
		s = Name(mf.From)
	}
	s += "->"
	if mf.To != 0 {
		s += Name(mf.To)
	} else {
		s += "*"
	}
	if !mf.AnyType {
		s += " " + mf.Type.String()
	}
	return s
}

// Deliver delivers the selected message now, ahead of its due time (held or
// not), and returns it.
func (c *Cluster) Deliver(mf MessageFilter) (MessageInfo, error) {
	f, err := c.find(mf)
	if err != nil {
		return MessageInfo{}, err
	}
	c.queue.cancel(f.deliver)
	info, _ := c.deliver(f.info.ID)
	return info, c.err
}

// Drop loses the selected message and returns it.
func (c *Cluster) Drop(mf MessageFilter) (MessageInfo, error) {
	f, err := c.find(mf)
	if err != nil {
		return MessageInfo{}, err
	}
	c.queue.cancel(f.deliver)
	delete(c.net.flights, f.info.ID)
	c.record(Record{Kind: RecDrop, Msg: f.info, Detail: "dropped by hand"})
	return f.info, nil
}

// Duplicate copies the selected message and returns the copy.
func (c *Cluster) Duplicate(mf MessageFilter) (MessageInfo, error) {
	f, err := c.find(mf)
	if err != nil {
		return MessageInfo{}, err
	}
	return c.duplicate(f).info, nil
}

// Hold makes new messages on the given links (all links if none) wait in
// flight for Deliver, Drop or Release instead of arriving by themselves.
func (c *Cluster) Hold(links ...Link) {
	if len(links) == 0 {
		c.net.holdAll = true
	}
	for _, l := range links {
		c.net.holdLinks[l] = true
	}
	c.record(Record{Kind: RecNetwork, Detail: "hold " + describeLinks(links)})
}

// Release ends Hold on every link and sends every held message on its way,
// with a fresh delay from now.
func (c *Cluster) Release() {
	c.net.holdAll = false
	c.net.holdLinks = map[Link]bool{}
	for _, m := range c.net.inFlight() {
		if f := c.net.flights[m.ID]; f.info.Held {
			c.launch(f)
		}
	}
	c.record(Record{Kind: RecNetwork, Detail: "release"})
}

func describeLinks(links []Link) string {
	if len(links) == 0 {
		return "all links"
	}
	s := ""
	for i, l := range links {
		if i > 0 {
			s += " "
		}
		s += l.String()
	}
	return s
}
