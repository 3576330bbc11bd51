package raft

// How a node comes to life: brand new with a bootstrap membership, brand
// new and empty (it joins a running cluster and learns everything from the
// leader), or restarting from what it persisted.
//
// Bootstrap writes the initial membership as committed entries 1..k of
// term 1, as etcd does, so that a member which joins later and replays the
// log from the start sees the same configurations in the same order.
// Restart rebuilds the membership from the snapshot's ConfState plus the
// conf-change entries up to Applied; the committed entries after Applied
// are handed out again.

import (
	"errors"
	"fmt"
)

// New returns a node for cfg.
func New(cfg Config) (*Node, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	n := &Node{id: cfg.ID, rand: cfg.Rand}
	var err error
	switch {
	case !cfg.HardState.IsEmpty() || !cfg.Snapshot.IsEmpty() || len(cfg.Entries) > 0:
		err = n.restart(cfg)
	default:
		err = n.bootstrap(cfg.Bootstrap)
	}
	if err != nil {
		return nil, err
	}
	cfg.HardState, cfg.Snapshot, cfg.Entries, cfg.Bootstrap = HardState{}, nil, nil, nil
	n.cfg = cfg
	n.becomeFollower(n.term, None)
	n.events = nil // a fresh node has done nothing yet
	return n, nil
}

// bootstrap starts a brand-new node; with changes, the configuration they
// make is in effect at once so that the node can campaign.
func (n *Node) bootstrap(changes []ConfChange) error {
	n.log = newLog(0, 0)
	if len(changes) == 0 {
		return nil
	}
	ents := make([]Entry, len(changes))
	for i, cc := range changes {
		if cc.Node == None {
			return errors.New("raft: config: Bootstrap names node 0")
		}
		next, what, changed := n.conf.apply(cc)
		if !changed {
			return fmt.Errorf("raft: config: Bootstrap change %d (%s n%d) does nothing: %s", i+1, cc.Type, cc.Node, what)
		}
		n.conf = next
		ents[i] = Entry{Term: 1, Index: uint64(i + 1), Type: EntryConfChange, Data: cc.Marshal()}
	}
	n.log.entries = ents
	n.log.committed = uint64(len(ents))
	n.term = 1
	n.confIndex = uint64(len(ents))
	return nil
}

// restart rebuilds the node from persisted state.
func (n *Node) restart(cfg Config) error {
	n.log = newLog(0, 0)
	if !cfg.Snapshot.IsEmpty() {
		meta := cfg.Snapshot.Meta
		n.log = newLog(meta.Index, meta.Term)
		n.conf = membershipOf(meta.Conf)
		n.held = cloneSnapshot(cfg.Snapshot)
	}
	for i, e := range cfg.Entries {
		if e.Index != n.log.lastIndex()+1 {
			return fmt.Errorf("raft: config: entry %d has index %d, want %d (entries must follow the snapshot without gaps)", i, e.Index, n.log.lastIndex()+1)
		}
		n.log.entries = append(n.log.entries, cloneEntry(e))
	}
	hs := cfg.HardState
	if hs.Commit > n.log.lastIndex() {
		return fmt.Errorf("raft: config: commit index %d is beyond the last entry %d; the log is missing entries", hs.Commit, n.log.lastIndex())
	}
	n.term, n.vote = hs.Term, hs.Vote
	n.log.committed = max(hs.Commit, n.log.snapIndex)
	n.log.stable = n.log.lastIndex()
	n.prevHard = hs
	n.applied, n.applying = cfg.Applied, cfg.Applied
	for i := n.log.firstIndex(); i <= cfg.Applied; i++ {
		e := n.log.entries[i-n.log.firstIndex()]
		if e.Type != EntryConfChange {
			continue
		}
		cc, err := UnmarshalConfChange(e.Data)
		if err != nil {
			return fmt.Errorf("raft: config: entry %d: %w", e.Index, err)
		}
		n.conf, _, _ = n.conf.apply(cc)
	}
	n.confIndex = cfg.Applied
	return nil
}
