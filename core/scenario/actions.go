package scenario

// Handlers of the commands that build the cluster, move time, break things
// and act as the operator. Each resolves its node names against the running
// cluster; an operating error (the node is already down, the leader refused
// a membership change) is printed and kept for `expect error`, while a
// mistake in the scenario (an unknown node) fails it.

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// needCluster fails commands that come before `cluster`.
func (r *Runner) needCluster() error {
	if r.cluster == nil {
		return fmt.Errorf("no cluster yet: start the scenario with `cluster N seed=S`")
	}
	return nil
}

// node resolves a node reference: nN, leader (now) or follower (the
// lowest-numbered running follower).
func (r *Runner) node(w string) (raft.NodeID, error) {
	if err := r.needCluster(); err != nil {
		return 0, err
	}
	st := r.cluster.State()
	switch w {
	case "leader":
		if st.Leader == raft.None {
			return 0, fmt.Errorf("there is no leader right now")
		}
		return st.Leader, nil
	case "follower":
		for _, n := range st.Nodes {
			if n.Up && n.Status.Role == raft.Follower {
				return n.ID, nil
			}
		}
		return 0, fmt.Errorf("there is no running follower right now")
	}
	n, err := nodeNumber(w)
	if err != nil {
		return 0, err
	}
	if _, err := r.cluster.Node(raft.NodeID(n)); err != nil {
		return 0, err
	}
	return raft.NodeID(n), nil
}

// link resolves FROM->TO.
func (r *Runner) link(w string) (sim.Link, error) {
	from, to, _ := splitLink(w)
	a, err := r.node(from)
	if err != nil {
		return sim.Link{}, err
	}
	b, err := r.node(to)
	return sim.Link{From: a, To: b}, err
}

var clusterOptions = map[string]bool{
	"seed": true, "learners": true, "election": true, "heartbeat": true, "tick": true,
	"snapshot-count": true, "catch-up": true, "prevote": true, "checkquorum": true,
	"timeout": true, "latency": true, "loss": true, "dup": true, "reorder": true,
	"snapshot-chunk": true, "max-inflight": true,
	"quota": true, "auto-compaction-mode": true, "auto-compaction-retention": true, "lease-checkpoint": true,
}

func checkCluster(args []string) error {
	_, err := clusterOpts(args)
	return err
}

// clusterOpts turns the words of `cluster` into sim.Options.
func clusterOpts(args []string) (sim.Options, error) {
	plain, kv, err := options(args)
	if err != nil {
		return sim.Options{}, err
	}
	plain, etcd := etcdWord(plain)
	if len(plain) != 1 {
		return sim.Options{}, fmt.Errorf("needs the number of nodes")
	}
	o := sim.Options{CheckInvariants: true, DigestTrace: true}
	if o.Nodes, err = strconv.Atoi(plain[0]); err != nil {
		return o, fmt.Errorf("%q is not a number of nodes", plain[0])
	}
	for k := range kv {
		if !clusterOptions[k] {
			return o, fmt.Errorf("unknown option %s=", k)
		}
	}
	p := optParser{kv: kv}
	o.Seed = p.uint("seed")
	o.Learners = int(p.uint("learners"))
	o.ElectionTicks = int(p.uint("election"))
	o.HeartbeatTicks = int(p.uint("heartbeat"))
	o.TickInterval = p.duration("tick")
	o.SnapshotCount = p.uint("snapshot-count")
	o.CatchUpEntries = p.uint("catch-up")
	o.SnapshotChunkBytes = int(p.uint("snapshot-chunk"))
	o.MaxInflightMsgs = int(p.uint("max-inflight"))
	o.DisablePreVote = !p.onOff("prevote", true)
	o.DisableCheckQuorum = !p.onOff("checkquorum", true)
	o.RequestTimeout = p.duration("timeout")
	o.Network = p.linkModel(sim.DefaultLinkModel)
	o.Etcd = p.etcdOptions(etcd)
	return o, p.err
}

// optParser reads key=value options, keeping the first error.
type optParser struct {
	kv  map[string]string
	err error
}

func (p *optParser) fail(k, v, want string) {
	if p.err == nil {
		p.err = fmt.Errorf("%s=%s: want %s", k, v, want)
	}
}

func (p *optParser) uint(k string) uint64 {
	v, ok := p.kv[k]
	if !ok {
		return 0
	}
	n, err := strconv.ParseUint(v, 10, 64)
	if err != nil {
		p.fail(k, v, "a whole number")
	}
	return n
}

func (p *optParser) duration(k string) time.Duration {
	v, ok := p.kv[k]
	if !ok {
		return 0
	}
	d, err := duration(v)
	if err != nil {
		p.fail(k, v, "a positive duration such as 100ms")
	}
	return d
}

func (p *optParser) onOff(k string, def bool) bool {
	switch p.kv[k] {
	case "":
		if _, ok := p.kv[k]; ok {
			p.fail(k, "", "on or off")
		}
		return def
	case "on":
		return true
	case "off":
		return false
	}
	p.fail(k, p.kv[k], "on or off")
	return def
}

// probability reads 0.1 or 10%.
func (p *optParser) probability(k string, def float64) float64 {
	v, ok := p.kv[k]
	if !ok {
		return def
	}
	f, err := parsePercent(v)
	if err != nil || f < 0 || f > 1 {
		p.fail(k, v, "a probability such as 0.1 or 10%")
	}
	return f
}

// linkModel reads latency=A..B loss= dup= reorder= over base.
func (p *optParser) linkModel(base sim.LinkModel) sim.LinkModel {
	if v, ok := p.kv["latency"]; ok {
		lo, hi, found := strings.Cut(v, "..")
		if !found {
			hi = lo
		}
		a, err1 := time.ParseDuration(lo)
		b, err2 := time.ParseDuration(hi)
		if err1 != nil || err2 != nil || a < 0 || b < a {
			p.fail("latency", v, "a range such as 1ms..10ms")
		}
		base.MinLatency, base.MaxLatency = a, b
	}
	base.Loss = p.probability("loss", base.Loss)
	base.Duplicate = p.probability("dup", base.Duplicate)
	base.Reorder = p.probability("reorder", base.Reorder)
	return base
}

// parsePercent reads "0.25" or "25%".
func parsePercent(v string) (float64, error) {
	if s, ok := strings.CutSuffix(v, "%"); ok {
		f, err := strconv.ParseFloat(s, 64)
		return f / 100, err
	}
	return strconv.ParseFloat(v, 64)
}

func runCluster(r *Runner, cmd *Command) error {
	if r.cluster != nil {
		return fmt.Errorf("the cluster is already built; a scenario has one `cluster` command")
	}
	o, err := clusterOpts(cmd.Args)
	if err != nil {
		return err
	}
	c, err := sim.New(o)
	if err != nil {
		return err
	}
	r.cluster = c
	return nil
}

// netWords splits `net` arguments into link, options and drift settings.
func netWords(args []string) (link string, kv map[string]string, drift []string, err error) {
	var rest []string
	for i, w := range args {
		if w == "drift" {
			drift = args[i+1:]
			break
		}
		rest = append(rest, w)
	}
	plain, kv, err := options(rest)
	if err != nil {
		return "", nil, nil, err
	}
	for k := range kv {
		switch k {
		case "latency", "loss", "dup", "reorder":
		default:
			return "", nil, nil, fmt.Errorf("unknown option %s=", k)
		}
	}
	if len(plain) > 1 {
		return "", nil, nil, fmt.Errorf("unexpected %q", plain[1])
	}
	if len(plain) == 1 {
		link = plain[0]
	}
	return link, kv, drift, nil
}

func checkNet(args []string) error {
	link, kv, drift, err := netWords(args)
	if err != nil {
		return err
	}
	if link != "" {
		if err := checkLinkWord(link, false); err != nil {
			return err
		}
	}
	p := optParser{kv: kv}
	p.linkModel(sim.DefaultLinkModel)
	if p.err != nil {
		return p.err
	}
	if len(drift) > 0 || (len(args) > 0 && args[len(args)-1] == "drift") {
		return checkDrift(drift)
	}
	return nil
}

func runNet(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	link, kv, drift, _ := netWords(cmd.Args)
	if len(kv) > 0 {
		p := optParser{kv: kv}
		if link == "" {
			if err := r.cluster.SetNetwork(p.linkModel(r.cluster.NetworkModel(sim.Link{}))); err != nil {
				return err
			}
		} else {
			l, err := r.link(link)
			if err != nil {
				return err
			}
			if err := r.cluster.SetLink(l, p.linkModel(r.cluster.NetworkModel(l))); err != nil {
				return err
			}
		}
	}
	return setDrift(r, drift)
}

func checkDrift(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("needs NODE=±P%% settings")
	}
	for _, w := range args {
		n, v, ok := strings.Cut(w, "=")
		if !ok || !isNodeRef(n) {
			return fmt.Errorf("%q: write n2=+20%%", w)
		}
		if _, err := driftPPM(v); err != nil {
			return err
		}
	}
	return nil
}

// driftPPM reads +20% or -500ppm.
func driftPPM(v string) (int64, error) {
	if s, ok := strings.CutSuffix(v, "ppm"); ok {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q is not a drift (write +20%% or -500ppm)", v)
		}
		return n, nil
	}
	s, ok := strings.CutSuffix(v, "%")
	f, err := strconv.ParseFloat(s, 64)
	if !ok || err != nil {
		return 0, fmt.Errorf("%q is not a drift (write +20%% or -500ppm)", v)
	}
	return int64(math.Round(f * 1e4)), nil
}

func runDrift(r *Runner, cmd *Command) error { return setDrift(r, cmd.Args) }

func setDrift(r *Runner, words []string) error {
	for _, w := range words {
		n, v, _ := strings.Cut(w, "=")
		id, err := r.node(n)
		if err != nil {
			return err
		}
		ppm, _ := driftPPM(v)
		if err := r.cluster.SetDrift(id, ppm); err != nil {
			return err
		}
	}
	return nil
}

func runRun(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	if cmd.Args[0] != "until" {
		d, _ := duration(cmd.Args[0])
		return r.cluster.RunFor(d)
	}
	words, within, _ := splitWithin(cmd.Args[1:])
	cond, _ := parseCondition(words)
	var evalErr error
	ok, err := r.cluster.RunUntil(func(*sim.Cluster) bool {
		holds, err := r.holds(cond)
		if err != nil {
			evalErr = err
			return true
		}
		return holds
	}, within)
	switch {
	case err != nil:
		return err
	case evalErr != nil:
		return evalErr
	case !ok:
		actual, _ := r.observe(cond.observable)
		return fmt.Errorf("run until %s: not reached within %v (now %s: %s)", cond, within, sim.FormatTime(r.cluster.Now()), actual)
	}
	return nil
}

func runStep(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	n := 1
	if len(cmd.Args) == 1 {
		n, _ = strconv.Atoi(cmd.Args[0])
	}
	for i := 0; i < n; i++ {
		ev, err := r.cluster.Step()
		if err == sim.ErrIdle {
			r.printf("nothing left to happen")
			return nil
		}
		r.printf("step: %s", ev)
		r.flush()
		if err != nil {
			return err
		}
	}
	return nil
}

func runHold(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	var links []sim.Link
	for _, w := range cmd.Args {
		l, err := r.link(w)
		if err != nil {
			return err
		}
		links = append(links, l)
	}
	r.cluster.Hold(links...)
	return nil
}

func runRelease(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	r.cluster.Release()
	return nil
}
