package sim

// The event queue: the simulator's only notion of "what happens next". Every
// future happening — a node's clock ticking, a message arriving, a client
// request arriving or timing out, a scheduled fault — is an item in one
// priority queue ordered by (virtual time, sequence number). The sequence
// number is handed out when an item is scheduled, so two items due at the
// same instant run in the order they were scheduled: the order is total and
// the same on every machine.
//
//	 now                                                       future
//	  |  (1.000s #41 tick n2) (1.003s #38 deliver m17) (1.100s #44 tick n1)
//	  v
//	Step(): pop the head, advance the clock to its time, carry it out.

import (
	"container/heap"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
)

// EventKind names what a queue item does when its time comes.
type EventKind uint8

const (
	// EvTick: one tick of a node's clock.
	EvTick EventKind = iota
	// EvDeliver: a message arrives at its destination.
	EvDeliver
	// EvRequest: a client request arrives at a node.
	EvRequest
	// EvRequestTimeout: a client gives up on a request.
	EvRequestTimeout
	// EvFault: a scheduled fault (or any scheduled action) happens.
	EvFault
)

var eventKindNames = [...]string{"tick", "deliver", "request", "request-timeout", "fault"}

func (k EventKind) String() string {
	if int(k) < len(eventKindNames) {
		return eventKindNames[k]
	}
	return "EventKind(?)"
}

// item is one scheduled happening. Only the fields its kind names are set.
type item struct {
	at   time.Duration
	seq  uint64
	kind EventKind

	node        raft.NodeID // EvTick: the node
	incarnation int         // EvTick: the node life it belongs to
	msg         uint64      // EvDeliver: the message id
	req         *Request    // EvRequest, EvRequestTimeout
	fault       *fault      // EvFault

	index int // position in the heap, maintained by eventQueue
}

// eventQueue is a min-heap of items by (at, seq); it implements
// heap.Interface, and the methods below are the only way to use it.
type eventQueue struct {
	items   []*item
	nextSeq uint64
}

func (q *eventQueue) Len() int { return len(q.items) }
func (q *eventQueue) Less(i, j int) bool {
	a, b := q.items[i], q.items[j]
	if a.at != b.at {
		return a.at < b.at
	}
	return a.seq < b.seq
}
func (q *eventQueue) Swap(i, j int) {
	q.items[i], q.items[j] = q.items[j], q.items[i]
	q.items[i].index = i
	q.items[j].index = j
}
func (q *eventQueue) Push(x any) {
	it := x.(*item)
	it.index = len(q.items)
	q.items = append(q.items, it)
}
func (q *eventQueue) Pop() any {
	n := len(q.items)
	it := q.items[n-1]
	q.items[n-1] = nil
	q.items = q.items[:n-1]
	it.index = -1
	return it
}

// schedule stamps it with the next sequence number and queues it.
func (q *eventQueue) schedule(it *item) *item {
	q.nextSeq++
	it.seq = q.nextSeq
	heap.Push(q, it)
	return it
}

// next removes and returns the earliest item, or nil if the queue is empty.
func (q *eventQueue) next() *item {
	if len(q.items) == 0 {
		return nil
	}
	return heap.Pop(q).(*item)
}

// peek returns the earliest item without removing it, or nil.
func (q *eventQueue) peek() *item {
	if len(q.items) == 0 {
		return nil
	}
	return q.items[0]
}

// cancel removes it if it is still queued.
func (q *eventQueue) cancel(it *item) {
	if it != nil && it.index >= 0 && it.index < len(q.items) && q.items[it.index] == it {
		heap.Remove(q, it.index)
	}
}
