package scenario

// Handlers of the commands that break things — crash, restart, partition,
// isolate, cut, heal — and of the manual message controls — deliver, drop,
// duplicate a message in flight (usually one held with `hold`).

import (
	"strconv"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// onNode runs an operation on one resolved node; its error is operating.
func onNode(do func(c *sim.Cluster, id raft.NodeID) error) func(*Runner, *Command) error {
	return func(r *Runner, cmd *Command) error {
		id, err := r.node(cmd.Args[0])
		if err != nil {
			return err
		}
		r.operating(do(r.cluster, id))
		return nil
	}
}

var (
	runCrash    = onNode((*sim.Cluster).Crash)
	runRestart  = onNode((*sim.Cluster).Restart)
	runIsolate  = onNode((*sim.Cluster).Isolate)
	runTransfer = onNode((*sim.Cluster).TransferLeader)
	runCampaign = onNode((*sim.Cluster).Campaign)
	runSnapshot = onNode((*sim.Cluster).Snapshot)
)

func runCompact(r *Runner, cmd *Command) error {
	id, err := r.node(cmd.Args[0])
	if err != nil {
		return err
	}
	index, _ := strconv.ParseUint(cmd.Args[1], 10, 64)
	r.operating(r.cluster.Compact(id, index))
	return nil
}

func runMember(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	var id raft.NodeID
	if cmd.Args[0] == "add" || cmd.Args[0] == "add-learner" {
		n, err := nodeNumber(cmd.Args[1])
		if err != nil {
			return err
		}
		id = raft.NodeID(n)
	} else {
		var err error
		if id, err = r.node(cmd.Args[1]); err != nil {
			return err
		}
	}
	if r.etcdMode() {
		return runEtcdMember(r, cmd, id)
	}
	switch cmd.Args[0] {
	case "add":
		r.operating(r.cluster.AddVoter(id))
	case "add-learner":
		r.operating(r.cluster.AddLearner(id))
	case "promote":
		r.operating(r.cluster.Promote(id))
	case "remove":
		r.operating(r.cluster.Remove(id))
	}
	return nil
}

func runPartition(r *Runner, cmd *Command) error {
	var groups [][]raft.NodeID
	for _, g := range splitGroups(cmd.Args) {
		var ids []raft.NodeID
		for _, w := range g {
			id, err := r.node(w)
			if err != nil {
				return err
			}
			ids = append(ids, id)
		}
		groups = append(groups, ids)
	}
	return r.cluster.Partition(groups...)
}

func runCut(r *Runner, cmd *Command) error {
	l, err := r.link(cmd.Args[0])
	if err != nil {
		return err
	}
	return r.cluster.Cut(l)
}

func runHeal(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	switch {
	case len(cmd.Args) == 0:
		r.cluster.Heal()
		return nil
	case isNodeRef(cmd.Args[0]):
		id, err := r.node(cmd.Args[0])
		if err != nil {
			return err
		}
		return r.cluster.HealNode(id)
	}
	l, err := r.link(cmd.Args[0])
	if err != nil {
		return err
	}
	r.operating(r.cluster.HealLink(l))
	return nil
}

// filter resolves a message selector: mID or FROM->TO [TYPE] (* for any).
func (r *Runner) filter(args []string) (sim.MessageFilter, error) {
	if err := r.needCluster(); err != nil {
		return sim.MessageFilter{}, err
	}
	if args[0][0] == 'm' && len(args) == 1 {
		id, _ := strconv.ParseUint(args[0][1:], 10, 64)
		return sim.MessageFilter{ID: id}, nil
	}
	f := sim.MessageFilter{AnyType: len(args) == 1}
	from, to, _ := splitLink(args[0])
	var err error
	if from != "*" {
		if f.From, err = r.node(from); err != nil {
			return f, err
		}
	}
	if to != "*" {
		if f.To, err = r.node(to); err != nil {
			return f, err
		}
	}
	if len(args) == 2 {
		f.Type, _ = msgType(args[1])
	}
	return f, nil
}

func runDeliver(r *Runner, cmd *Command) error {
	if cmd.Args[0] == "all" {
		if err := r.needCluster(); err != nil {
			return err
		}
		for _, m := range r.cluster.State().Messages {
			if _, err := r.cluster.Deliver(sim.MessageFilter{ID: m.ID}); err != nil {
				return err
			}
		}
		return nil
	}
	return manual(r, cmd, (*sim.Cluster).Deliver)
}

func runDrop(r *Runner, cmd *Command) error { return manual(r, cmd, (*sim.Cluster).Drop) }

func runDuplicate(r *Runner, cmd *Command) error {
	return manual(r, cmd, (*sim.Cluster).Duplicate)
}

// manual applies a message control and prints the message it touched.
func manual(r *Runner, cmd *Command, do func(*sim.Cluster, sim.MessageFilter) (sim.MessageInfo, error)) error {
	f, err := r.filter(cmd.Args)
	if err != nil {
		return err
	}
	m, err := do(r.cluster, f)
	if r.cluster.Err() != nil {
		return r.cluster.Err()
	}
	if err != nil {
		r.operating(err)
		return nil
	}
	r.lastErr = nil
	r.printf("%s %s", cmd.Name, m)
	return nil
}
