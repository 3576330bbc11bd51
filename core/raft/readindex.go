package raft

// Linearizable reads without writing to the log (thesis §6.4, ReadIndex):
//
//  1. the leader records its commit index as the read index;
//  2. it confirms it is still the leader: a heartbeat round carrying the
//     request's context, answered by a quorum of voters;
//  3. the read may be served once the state machine has applied the read
//     index (the caller waits for that; it gets a ReadState).
//
// A new leader does not know the commit index of the previous term until it
// commits an entry of its own (§6.4 step 1, the no-op of §8), so requests
// wait until then. A single-voter cluster answers at once. Followers forward
// requests to the leader and turn its answer into their own ReadState.

import "slices"

// readRequest is one ReadIndex request waiting for its heartbeat quorum.
type readRequest struct {
	index uint64
	from  NodeID // who asked (the leader itself, or a follower)
	ctx   []byte
	acks  map[NodeID]bool
}

// readQueue holds the requests in arrival order, plus those deferred
// until the leader commits in its term.
type readQueue struct {
	pending  []*readRequest
	deferred []Message
}

func (q *readQueue) lastContext() []byte {
	if len(q.pending) == 0 {
		return nil
	}
	return q.pending[len(q.pending)-1].ctx
}

// leaderReadIndex handles MsgReadIndex on the leader.
func (n *Node) leaderReadIndex(m Message) {
	ctx := m.Context
	if len(n.conf.voters) == 1 && n.conf.isVoter(n.id) {
		n.answerRead(m.From, n.log.committed, ctx)
		return
	}
	if !n.committedInTerm() {
		n.reads.deferred = append(n.reads.deferred, m)
		return
	}
	for _, r := range n.reads.pending {
		if string(r.ctx) == string(ctx) {
			return // the same request again: it is already waiting
		}
	}
	req := &readRequest{index: n.log.committed, from: m.From, ctx: ctx, acks: map[NodeID]bool{n.id: true}}
	n.reads.pending = append(n.reads.pending, req)
	for _, id := range n.peers() {
		n.sendHeartbeat(id, ctx)
	}
}

// releaseDeferredReads serves the requests that waited for the first
// commit of the leader's term.
func (n *Node) releaseDeferredReads() {
	deferred := n.reads.deferred
	n.reads.deferred = nil
	for _, m := range deferred {
		n.leaderReadIndex(m)
	}
}

// readAcked counts a heartbeat answer for the request with ctx; once a
// quorum answered, that request and every earlier one are served (a quorum
// confirming a later round confirms the earlier ones too).
func (n *Node) readAcked(from NodeID, ctx []byte) {
	at := slices.IndexFunc(n.reads.pending, func(r *readRequest) bool { return string(r.ctx) == string(ctx) })
	if at < 0 {
		return
	}
	req := n.reads.pending[at]
	req.acks[from] = true
	if voteResult(n.conf.voters, req.acks) != voteWon {
		return
	}
	done := n.reads.pending[:at+1]
	n.reads.pending = slices.Clone(n.reads.pending[at+1:])
	for _, r := range done {
		n.answerRead(r.from, r.index, r.ctx)
	}
}

// answerRead hands a read index to whoever asked.
func (n *Node) answerRead(to NodeID, index uint64, ctx []byte) {
	if to == n.id || to == None {
		n.readStates = append(n.readStates, ReadState{Index: index, RequestCtx: ctx})
		n.emit(Event{Kind: EvReadIndexReady, Index: index})
		return
	}
	n.send(Message{Type: MsgReadIndexResp, To: to, Index: index, Context: ctx})
}
