package sim

// Faults: what can go wrong, on demand. A crash stops a node between two
// events: its disk survives (disk.go), everything in memory is lost, and the
// messages on their way to it are dropped when they arrive. A restart boots
// it from its disk. The network can be partitioned into groups, a node
// isolated, one direction of a link cut, the link model changed, and a
// node's clock made to drift; heal undoes partitions and cuts.

import (
	"errors"
	"fmt"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
)

// ErrCrashed answers the client requests waiting on a node that crashed.
var ErrCrashed = errors.New("sim: the node crashed before answering")

// Crash stops node id; only its disk survives.
func (c *Cluster) Crash(id raft.NodeID) error {
	p, err := c.upProc(id)
	if err != nil {
		return err
	}
	c.stop(p, ErrCrashed)
	p.role, p.lead = raft.Follower, raft.None
	c.record(Record{Kind: RecCrash, Node: id})
	return c.err
}

// Restart boots node id from what its disk kept.
func (c *Cluster) Restart(id raft.NodeID) error {
	p, err := c.proc(id)
	if err != nil {
		return err
	}
	switch {
	case p.removed:
		return fmt.Errorf("%s was removed from the cluster; it cannot restart", Name(id))
	case p.up:
		return fmt.Errorf("%s is already running", Name(id))
	}
	c.record(Record{Kind: RecRestart, Node: id, Detail: fmt.Sprintf("term=%d commit=%d snapshot=%d entries=%d",
		p.disk.hardState.Term, p.disk.hardState.Commit, p.disk.snapshotIndex(), len(p.disk.entriesAfterSnapshot()))})
	if p.check != nil {
		p.check.restarting(p)
	}
	if err := c.start(p); err != nil {
		return err
	}
	return c.err
}

// Partition splits the network into the given groups; nodes not listed form
// one more group together.
func (c *Cluster) Partition(groups ...[]raft.NodeID) error {
	var parts []string
	for _, g := range groups {
		for _, id := range g {
			if _, err := c.proc(id); err != nil {
				return err
			}
		}
		parts = append(parts, names(g))
	}
	c.net.partition(groups)
	c.record(Record{Kind: RecNetwork, Detail: "partition " + strings.Join(parts, " | ")})
	return nil
}

// Isolate cuts node id off from every other node.
func (c *Cluster) Isolate(id raft.NodeID) error {
	if _, err := c.proc(id); err != nil {
		return err
	}
	c.net.isolate(id)
	c.record(Record{Kind: RecNetwork, Detail: "isolate " + Name(id)})
	return nil
}

// Cut blocks messages from l.From to l.To (the other direction still works).
func (c *Cluster) Cut(l Link) error {
	if err := c.checkLink(l); err != nil {
		return err
	}
	c.net.cuts[l] = true
	c.record(Record{Kind: RecNetwork, Detail: "cut " + l.String()})
	return nil
}

// Heal removes every partition and cut.
func (c *Cluster) Heal() {
	c.net.heal()
	c.record(Record{Kind: RecNetwork, Detail: "heal"})
}

// HealLink lifts the cut of one direction of a link.
func (c *Cluster) HealLink(l Link) error {
	if err := c.checkLink(l); err != nil {
		return err
	}
	if !c.net.cuts[l] {
		return fmt.Errorf("%s is not cut", l)
	}
	delete(c.net.cuts, l)
	c.record(Record{Kind: RecNetwork, Detail: "heal " + l.String()})
	return nil
}

// HealNode brings node id back into the main group and lifts its cuts.
func (c *Cluster) HealNode(id raft.NodeID) error {
	if _, err := c.proc(id); err != nil {
		return err
	}
	c.net.healNode(id)
	c.record(Record{Kind: RecNetwork, Detail: "heal " + Name(id)})
	return nil
}

// SetNetwork changes the model of every link (per-link settings are
// forgotten). Messages already in flight keep their delivery times.
func (c *Cluster) SetNetwork(m LinkModel) error {
	if err := m.validate(); err != nil {
		return err
	}
	c.net.model = m
	c.net.links = map[Link]LinkModel{}
	c.record(Record{Kind: RecNetwork, Detail: m.String()})
	return nil
}

// SetLink changes the model of one direction of one link.
func (c *Cluster) SetLink(l Link, m LinkModel) error {
	if err := c.checkLink(l); err != nil {
		return err
	}
	if err := m.validate(); err != nil {
		return err
	}
	c.net.links[l] = m
	c.record(Record{Kind: RecNetwork, Detail: l.String() + " " + m.String()})
	return nil
}

// NetworkModel is the model of link l (the cluster-wide one unless set).
func (c *Cluster) NetworkModel(l Link) LinkModel { return c.net.modelOf(l) }

// SetDrift makes node id's clock run ppm parts per million fast (positive)
// or slow (negative): +200000 is 20% fast. It takes effect at its next tick.
func (c *Cluster) SetDrift(id raft.NodeID, ppm int64) error {
	p, err := c.proc(id)
	if err != nil {
		return err
	}
	if ppm <= -1_000_000 || ppm > 10_000_000 {
		return fmt.Errorf("drift %+d ppm for %s is out of range (-999999..+10000000)", ppm, Name(id))
	}
	p.driftPPM = ppm
	c.record(Record{Kind: RecNetwork, Node: id, Detail: fmt.Sprintf("drift %+.1f%%", float64(ppm)/1e4)})
	return nil
}

func (c *Cluster) checkLink(l Link) error {
	if _, err := c.proc(l.From); err != nil {
		return err
	}
	if _, err := c.proc(l.To); err != nil {
		return err
	}
	if l.From == l.To {
		return fmt.Errorf("a link joins two different nodes, not %s to itself", Name(l.From))
	}
	return nil
}

func names(ids []raft.NodeID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = Name(id)
	}
	return strings.Join(s, " ")
}
