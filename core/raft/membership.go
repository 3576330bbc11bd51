package raft

// Who votes and who only learns (thesis §4.1 single-server changes, §4.2.1
// learners). A membership change is an EntryConfChange entry in the log; it
// takes effect on a node when the node applies it (at Advance), so every
// node walks through the same sequence of configurations in log order.
//
// Interface: membership (voters/learners, sorted), isVoter/isLearner,
// apply(ConfChange), confState.

import (
	"fmt"
	"slices"
)

type membership struct {
	voters, learners []NodeID // sorted, disjoint
}

func membershipOf(cs ConfState) membership {
	return membership{voters: slices.Clone(cs.Voters), learners: slices.Clone(cs.Learners)}
}

func (m membership) isVoter(id NodeID) bool { _, ok := slices.BinarySearch(m.voters, id); return ok }
func (m membership) isLearner(id NodeID) bool {
	_, ok := slices.BinarySearch(m.learners, id)
	return ok
}
func (m membership) isMember(id NodeID) bool { return m.isVoter(id) || m.isLearner(id) }

// members returns voters and learners, sorted.
func (m membership) members() []NodeID {
	all := append(slices.Clone(m.voters), m.learners...)
	slices.Sort(all)
	return all
}

func (m membership) confState() ConfState {
	return ConfState{Voters: slices.Clone(m.voters), Learners: slices.Clone(m.learners)}
}

// apply returns the membership after cc and a sentence saying what changed.
// A change that makes no sense for this membership (it was checked against
// another one, or replayed) changes nothing (changed is false) and says so.
func (m membership) apply(cc ConfChange) (next membership, what string, changed bool) {
	out := membership{voters: slices.Clone(m.voters), learners: slices.Clone(m.learners)}
	id := cc.Node
	switch cc.Type {
	case AddVoter, PromoteLearner:
		if m.isVoter(id) {
			return m, fmt.Sprintf("no-op: n%d is already a voter", id), false
		}
		out.learners = remove(out.learners, id)
		out.voters = insert(out.voters, id)
		if m.isLearner(id) {
			return out, fmt.Sprintf("promoted learner n%d to voter", id), true
		}
		return out, fmt.Sprintf("added voter n%d", id), true
	case AddLearner:
		if m.isMember(id) {
			return m, fmt.Sprintf("no-op: n%d is already a member", id), false
		}
		out.learners = insert(out.learners, id)
		return out, fmt.Sprintf("added learner n%d", id), true
	case RemoveNode:
		if !m.isMember(id) {
			return m, fmt.Sprintf("no-op: n%d is not a member", id), false
		}
		out.voters = remove(out.voters, id)
		out.learners = remove(out.learners, id)
		return out, fmt.Sprintf("removed n%d", id), true
	}
	panic(fmt.Sprintf("membership.apply: unknown change type %d", cc.Type))
}

func insert(ids []NodeID, id NodeID) []NodeID {
	i, found := slices.BinarySearch(ids, id)
	if found {
		return ids
	}
	return slices.Insert(ids, i, id)
}

func remove(ids []NodeID, id NodeID) []NodeID {
	i, found := slices.BinarySearch(ids, id)
	if !found {
		return ids
	}
	return slices.Delete(ids, i, i+1)
}
