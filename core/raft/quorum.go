package raft

// Majority math, and nothing else (etcd keeps it in its own package,
// quorum/). A quorum of n voters is any n/2+1 of them (Raft §5.2); two
// quorums always share a voter, which is what makes elections and commits
// safe. Learners are never passed in here (thesis §4.2.1).
//
//	voters' match   [9 7 7 5 3]   sorted high to low
//	quorum = 3            ^       the 3rd highest, 7, is on a majority
//
// Interface: quorumSize, committedIndex, voteResult.

import "sort"

// quorumSize is how many of n voters form a majority.
func quorumSize(n int) int { return n/2 + 1 }

// committedIndex returns the highest index that a quorum of voters has
// (the quorum-th largest match). With no voters it returns 0: nothing can
// be committed by an empty configuration.
func committedIndex(voters []NodeID, match func(NodeID) uint64) uint64 {
	if len(voters) == 0 {
		return 0
	}
	idx := make([]uint64, len(voters))
	for i, id := range voters {
		idx[i] = match(id)
	}
	sort.Slice(idx, func(i, j int) bool { return idx[i] > idx[j] })
	return idx[quorumSize(len(voters))-1]
}

// voteOutcome is where an election stands.
type voteOutcome uint8

const (
	votePending voteOutcome = iota
	voteWon
	voteLost
)

// voteResult counts the votes of voters (true granted, false refused,
// absent not yet answered). Votes from non-voters are ignored.
func voteResult(voters []NodeID, votes map[NodeID]bool) voteOutcome {
	granted, refused := 0, 0
	for _, id := range voters {
		v, answered := votes[id]
		switch {
		case !answered:
		case v:
			granted++
		default:
			refused++
		}
	}
	q := quorumSize(len(voters))
	switch {
	case len(voters) == 0:
		return voteLost
	case granted >= q:
		return voteWon
	case len(voters)-refused < q:
		return voteLost
	}
	return votePending
}
