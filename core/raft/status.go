package raft

// A read-only picture of the node for tests, the visualizer and the
// debugger. Everything returned is a copy.

import "strconv"

// Status returns the node's full state.
func (n *Node) Status() Status {
	s := Status{
		ID: n.id, Role: n.reportedRole(), HardState: n.hardState(), Lead: n.lead,
		Applied: n.applied, FirstIndex: n.log.firstIndex(), LastIndex: n.log.lastIndex(),
		Conf:                      n.conf.confState(),
		ElectionElapsed:           n.electionElapsed,
		RandomizedElectionTimeout: n.randomizedElectionTimeout,
		HeartbeatElapsed:          n.heartbeatElapsed,
		LeadTransferee:            n.leadTransferee,
		PendingConfIndex:          n.pendingConfIndex,
	}
	if n.held != nil {
		s.Snapshot = cloneSnapshot(n.held).Meta
	}
	if n.role == Leader {
		s.Progress = make(map[NodeID]Progress, len(n.prs))
		for id, pr := range n.prs {
			s.Progress[id] = pr.public()
		}
	}
	return s
}

func itoa(i uint64) string { return strconv.FormatUint(i, 10) }
