package scenario

// `show`: print part of the cluster's state into the transcript — the nodes,
// a node's log, the state machines, the messages in flight, the network, or
// the last records of the full trace (message traffic included).

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func runShow(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	st := r.cluster.State()
	if cmd.Args[0] == "trace" {
		return r.showTrace(cmd.Args[1:])
	}
	nodes, err := r.selectNodes(st, cmd.Args[1:])
	if err != nil {
		return err
	}
	switch cmd.Args[0] {
	case "nodes":
		for _, ns := range nodes {
			r.printf("%s", describeNode(ns))
		}
	case "log":
		for _, ns := range nodes {
			r.printf("%s: %s", ns.Name, describeLog(ns))
		}
	case "data":
		for _, ns := range nodes {
			r.printf("%s: %s", ns.Name, nodeField(ns, "data"))
		}
	case "messages":
		if len(st.Messages) == 0 {
			r.printf("no messages in flight")
		}
		for _, m := range st.Messages {
			due := "held"
			if !m.Held {
				due = "due " + sim.FormatTime(m.Due)
			}
			r.printf("%s (%s)", m, due)
		}
	case "etcd":
		r.showEtcd(nodes)
	case "pages":
		r.showPages(nodes)
	case "network":
		r.showNetwork(st)
	}
	return nil
}

// showTrace prints the last N trace records (20 without N; the parser
// checked that N is a positive count).
func (r *Runner) showTrace(args []string) error {
	n := 20
	if len(args) == 1 {
		n, _ = strconv.Atoi(args[0])
	}
	recs := r.cluster.Trace(0)
	if len(recs) > n {
		recs = recs[len(recs)-n:]
	}
	for _, rec := range recs {
		r.printf("%s", rec)
	}
	return nil
}

// selectNodes is the named node, or every node.
func (r *Runner) selectNodes(st sim.State, args []string) ([]sim.NodeState, error) {
	if len(args) == 0 {
		return st.Nodes, nil
	}
	id, err := r.node(args[0])
	if err != nil {
		return nil, err
	}
	for _, ns := range st.Nodes {
		if ns.ID == id {
			return []sim.NodeState{ns}, nil
		}
	}
	return nil, fmt.Errorf("no node %s", sim.Name(id))
}

// describeNode renders one node on one line.
func describeNode(ns sim.NodeState) string {
	if !ns.Up {
		hs := ns.DiskHardState
		state := "down"
		if ns.Removed {
			state = "removed"
		}
		return fmt.Sprintf("%s %s (disk: term=%d vote=%s commit=%d snapshot=%d entries=%d)",
			ns.Name, state, hs.Term, nodeName(hs.Vote), hs.Commit, ns.Snapshot.Index, ns.DiskEntries)
	}
	s := ns.Status
	line := fmt.Sprintf("%s %s term=%d vote=%s lead=%s commit=%d applied=%d log=%d..%d snapshot=%d",
		ns.Name, s.Role, s.HardState.Term, nodeName(s.HardState.Vote), nodeName(s.Lead),
		s.HardState.Commit, ns.Applied, s.FirstIndex, s.LastIndex, ns.Snapshot.Index)
	if s.Role == raft.Leader {
		var prs []string
		for _, id := range append(append([]raft.NodeID(nil), s.Conf.Voters...), s.Conf.Learners...) {
			if pr, ok := s.Progress[id]; ok && id != ns.ID {
				prs = append(prs, fmt.Sprintf("%s:%s/%d", sim.Name(id), pr.State, pr.Match))
			}
		}
		line += " progress=[" + strings.Join(prs, " ") + "]"
	}
	if ns.DriftPPM != 0 {
		line += fmt.Sprintf(" drift=%+.1f%%", float64(ns.DriftPPM)/1e4)
	}
	return line
}

// describeLog renders a node's entries as index/term, with conf changes and
// empty entries marked.
func describeLog(ns sim.NodeState) string {
	if !ns.Up {
		return "down"
	}
	var parts []string
	if ns.Snapshot.Index > 0 {
		parts = append(parts, fmt.Sprintf("[snapshot %d/%d]", ns.Snapshot.Index, ns.Snapshot.Term))
	}
	for _, e := range ns.Log {
		p := fmt.Sprintf("%d/%d", e.Index, e.Term)
		switch {
		case e.Type == raft.EntryConfChange:
			p += "(conf)"
		case len(e.Data) == 0:
			p += "(empty)"
		}
		parts = append(parts, p)
	}
	if len(parts) == 0 {
		return "empty"
	}
	return strings.Join(parts, " ")
}

func (r *Runner) showNetwork(st sim.State) {
	r.printf("model %s", st.Network)
	if st.Partitions == nil {
		r.printf("no partition")
	}
	for i, g := range st.Partitions {
		var names []string
		for _, id := range g {
			names = append(names, sim.Name(id))
		}
		r.printf("group %d: %s", i+1, strings.Join(names, " "))
	}
	for _, l := range st.Cuts {
		r.printf("cut %s", l)
	}
	if st.HoldAll {
		r.printf("holding all messages")
	}
}
