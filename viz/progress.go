package viz

// The leader's view of each follower: the index up to which their logs are
// known to match (Match, Raft Figure 2 matchIndex), the next entry to send
// (Next, nextIndex) and how the leader is sending (etcd's flow-control
// states):
//
//	probe      one MsgApp at a time, until the follower's log matches
//	replicate  stream entries without waiting, up to MaxInflightMsgs
//	snapshot   the follower needs entries the leader compacted: send a
//	           snapshot and nothing else until it lands (Raft §7)

import (
	"fmt"

	"github.com/etcdlab/etcdlab/core/raft"
)

// progressOf describes the leader's view of node id ("match 5 · next 6 ·
// replicate"); false when there is no leader or it does not track id.
func progressOf(lead raft.Status, id raft.NodeID) (string, bool) {
	pr, ok := lead.Progress[id]
	if !ok {
		return "", false
	}
	s := fmt.Sprintf("match %d · next %d · %s", pr.Match, pr.Next, pr.State)
	if pr.State == raft.ProgressSnapshot && pr.PendingSnapshot > 0 {
		s += fmt.Sprintf(" %d", pr.PendingSnapshot)
	}
	return s, true
}
