package scenario

// Observables and conditions: what `expect` checks and `run until` waits
// for. A condition is OBSERVABLE OP VALUE, where OP is one of = != < <= > >=
// (spaces around it are optional: `n1 role=leader`); numbers compare as
// numbers, anything else as text (= and != only). The bare condition
// `leader` means `leader != none`. The observables are listed in doc.go.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// condition is a parsed OBSERVABLE OP VALUE.
type condition struct {
	observable []string
	op, value  string
}

func (c condition) String() string {
	return strings.Join(c.observable, " ") + " " + c.op + " " + c.value
}

var operators = []string{"!=", "<=", ">=", "=", "<", ">"}

// parseCondition reads a condition from words.
func parseCondition(words []string) (condition, error) {
	text := strings.Join(words, " ")
	at, op := -1, ""
	for _, o := range operators {
		if i := strings.Index(text, o); i >= 0 && (at < 0 || i < at) {
			at, op = i, o
		}
	}
	if at < 0 {
		if text == "leader" {
			return condition{observable: []string{"leader"}, op: "!=", value: "none"}, nil
		}
		return condition{}, fmt.Errorf("%q has no operator (= != < <= > >=)", text)
	}
	c := condition{observable: strings.Fields(text[:at]), op: op, value: strings.TrimSpace(text[at+len(op):])}
	if c.value == "" {
		return c, fmt.Errorf("%q compares with nothing", text)
	}
	return c, checkObservable(c.observable)
}

var nodeFields = map[string]bool{
	"role": true, "term": true, "vote": true, "commit": true, "applied": true, "lead": true,
	"log-length": true, "first-index": true, "last-index": true, "snapshot-index": true,
	"up": true, "data": true,
}

// checkObservable validates the shape of an observable.
func checkObservable(o []string) error {
	if len(o) == 0 {
		return fmt.Errorf("nothing to observe before the operator")
	}
	if ok, err := checkEtcdObservable(o); ok {
		return err
	}
	switch o[0] {
	case "leader", "term", "elections", "time", "in-flight", "result", "value", "error":
		if len(o) == 1 {
			return nil
		}
	case "messages":
		if len(o) == 2 {
			_, err := msgType(o[1])
			return err
		}
	case "events":
		if len(o) == 2 {
			return nil
		}
	case "all", "quorum":
		if len(o) == 2 && (nodeFields[o[1]] || etcdNodeFields[o[1]]) {
			return nil
		}
		return fmt.Errorf("%s needs a node field (%s)", o[0], fieldNames())
	}
	if isNodeRef(o[0]) && len(o) >= 2 {
		switch {
		case len(o) == 2 && nodeFields[o[1]]:
			return nil
		case len(o) == 3 && (o[1] == "progress" || o[1] == "match" || o[1] == "next") && isNodeRef(o[2]):
			return nil
		case len(o) == 3 && o[1] == "get":
			return nil
		}
		return fmt.Errorf("unknown node observable %q (fields: %s; progress|match|next NODE; get KEY)", strings.Join(o[1:], " "), fieldNames())
	}
	return fmt.Errorf("unknown observable %q", strings.Join(o, " "))
}

func fieldNames() string {
	var names []string
	for f := range nodeFields {
		names = append(names, f)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// msgType parses a message type name (MsgApp, or App).
func msgType(w string) (raft.MsgType, error) {
	for t := raft.MsgType(0); t <= raft.MsgUnreachable; t++ {
		if t.String() == w || t.String() == "Msg"+w {
			return t, nil
		}
	}
	return 0, fmt.Errorf("unknown message type %q (MsgApp, MsgVote, MsgHeartbeat, ...)", w)
}

// holds evaluates a condition now.
func (r *Runner) holds(c condition) (bool, error) {
	if c.observable[0] == "all" || c.observable[0] == "quorum" {
		return r.holdsOnNodes(c)
	}
	actual, err := r.observe(c.observable)
	if err != nil {
		return false, err
	}
	want, err := r.valueOf(c.value)
	if err != nil {
		return false, err
	}
	return compare(actual, c.op, want)
}

// valueOf evaluates the right side of a condition: a value of two or more
// words that reads as an observable (`leader applied`, `n1 commit`) is
// observed now; anything else is taken literally.
func (r *Runner) valueOf(v string) (string, error) {
	words := strings.Fields(v)
	if len(words) < 2 || words[0] == "all" || words[0] == "quorum" || checkObservable(words) != nil {
		return v, nil
	}
	return r.observe(words)
}

// holdsOnNodes evaluates `all FIELD OP V` (every member) or `quorum FIELD
// OP V` (a majority of the voters).
func (r *Runner) holdsOnNodes(c condition) (bool, error) {
	st := r.cluster.State()
	voters := votersOf(st)
	n, votersOK := 0, 0
	for _, ns := range st.Nodes {
		if ns.Removed {
			continue
		}
		want, err := r.valueOf(c.value)
		if err != nil {
			return false, err
		}
		ok, err := compare(r.field(ns, c.observable[1]), c.op, want)
		if err != nil {
			return false, err
		}
		if !ok && c.observable[0] == "all" {
			return false, nil
		}
		if ok {
			n++
			if voters[ns.ID] {
				votersOK++
			}
		}
	}
	if c.observable[0] == "all" {
		return true, nil
	}
	return votersOK > len(voters)/2, nil
}

// votersOf is the voter set of the most advanced running node.
func votersOf(st sim.State) map[raft.NodeID]bool {
	var best *sim.NodeState
	for i := range st.Nodes {
		ns := &st.Nodes[i]
		if ns.Up && (best == nil || ns.Status.HardState.Commit > best.Status.HardState.Commit) {
			best = ns
		}
	}
	out := map[raft.NodeID]bool{}
	if best != nil {
		for _, id := range best.Status.Conf.Voters {
			out[id] = true
		}
	}
	return out
}

// compare applies op to actual and want.
func compare(actual, op, want string) (bool, error) {
	a, errA := strconv.ParseInt(actual, 10, 64)
	b, errB := strconv.ParseInt(want, 10, 64)
	if errA == nil && errB == nil {
		switch op {
		case "=":
			return a == b, nil
		case "!=":
			return a != b, nil
		case "<":
			return a < b, nil
		case "<=":
			return a <= b, nil
		case ">":
			return a > b, nil
		case ">=":
			return a >= b, nil
		}
	}
	switch op {
	case "=":
		return actual == want, nil
	case "!=":
		return actual != want, nil
	}
	return false, fmt.Errorf("cannot compare %q %s %q: not numbers", actual, op, want)
}

// observe reads an observable's current value as text.
func (r *Runner) observe(o []string) (string, error) {
	r.count()
	st := r.cluster.State()
	if v, ok, err := r.observeEtcd(st, o); ok {
		return v, err
	}
	switch o[0] {
	case "leader":
		if len(o) == 1 {
			return nodeName(st.Leader), nil
		}
	case "term":
		var t uint64
		for _, ns := range st.Nodes {
			t = max(t, ns.Status.HardState.Term, ns.DiskHardState.Term)
		}
		return strconv.FormatUint(t, 10), nil
	case "elections":
		return strconv.Itoa(r.events["elections"]), nil
	case "time":
		return sim.FormatTime(st.Time), nil
	case "in-flight":
		return strconv.Itoa(len(st.Messages)), nil
	case "messages":
		t, _ := msgType(o[1])
		return strconv.Itoa(r.sent[t]), nil
	case "events":
		return strconv.Itoa(r.events[o[1]]), nil
	case "result", "value", "error":
		return r.lastOutcome(o[0]), nil
	case "all", "quorum":
		return r.describeNodes(st, o[1]), nil
	}
	return r.observeNode(st, o)
}

// observeNode reads nX FIELD, nX progress|match|next nY, nX get KEY.
func (r *Runner) observeNode(st sim.State, o []string) (string, error) {
	id, err := r.node(o[0])
	if err != nil {
		if o[0] == "leader" || o[0] == "follower" {
			return "none", nil
		}
		return "", err
	}
	var ns sim.NodeState
	for _, n := range st.Nodes {
		if n.ID == id {
			ns = n
		}
	}
	switch {
	case len(o) == 2:
		return r.field(ns, o[1]), nil
	case etcdKeyFields[o[1]]:
		return keyField(ns, o[1], o[2]), nil
	case o[1] == "get":
		for _, kv := range ns.Data {
			if kv.Key == o[2] {
				return kv.Value, nil
			}
		}
		return "none", nil
	}
	peer, err := r.node(o[2])
	if err != nil {
		return "", err
	}
	pr, ok := ns.Status.Progress[peer]
	switch {
	case !ok:
		return "none", nil
	case o[1] == "match":
		return strconv.FormatUint(pr.Match, 10), nil
	case o[1] == "next":
		return strconv.FormatUint(pr.Next, 10), nil
	}
	return pr.State.String(), nil
}

// nodeField reads one field of a node.
func nodeField(ns sim.NodeState, f string) string {
	if v, ok := etcdField(ns, f); ok {
		return v
	}
	s := ns.Status
	u := func(v uint64) string { return strconv.FormatUint(v, 10) }
	switch f {
	case "role":
		switch {
		case ns.Removed:
			return "removed"
		case !ns.Up:
			return "down"
		}
		return s.Role.String()
	case "term":
		return u(max(s.HardState.Term, ns.DiskHardState.Term))
	case "vote":
		if !ns.Up {
			return nodeName(ns.DiskHardState.Vote)
		}
		return nodeName(s.HardState.Vote)
	case "commit":
		return u(max(s.HardState.Commit, ns.DiskHardState.Commit))
	case "applied":
		return u(ns.Applied)
	case "lead":
		return nodeName(s.Lead)
	case "log-length":
		if s.LastIndex < s.FirstIndex {
			return "0"
		}
		return u(s.LastIndex - s.FirstIndex + 1)
	case "first-index":
		return u(s.FirstIndex)
	case "last-index":
		return u(s.LastIndex)
	case "snapshot-index":
		return u(ns.Snapshot.Index)
	case "up":
		return strconv.FormatBool(ns.Up)
	case "data":
		var parts []string
		for _, kv := range ns.Data {
			parts = append(parts, kv.Key+"="+kv.Value)
		}
		if len(parts) == 0 {
			return "none"
		}
		return strings.Join(parts, " ")
	}
	panic("scenario.nodeField: unchecked field " + f)
}

// describeNodes renders FIELD of every member: "n1=5 n2=5 n3=3".
func (r *Runner) describeNodes(st sim.State, f string) string {
	var parts []string
	for _, ns := range st.Nodes {
		if !ns.Removed {
			parts = append(parts, ns.Name+"="+r.field(ns, f))
		}
	}
	return strings.Join(parts, " ")
}

// lastOutcome reads the last client request's result, value or error.
func (r *Runner) lastOutcome(what string) string {
	switch what {
	case "error":
		if r.lastErr != nil {
			return r.lastErr.Error()
		}
		if req := r.lastReq; r.lastAsync && req != nil && req.Done && req.Err != nil {
			if req.Etcd != nil {
				return sim.EtcdError(req.Err) // as await reports it
			}
			return req.Err.Error()
		}
		return "none"
	case "value":
		if r.lastReq == nil || !r.lastReq.Done || r.lastReq.Err != nil || !r.lastReq.Found || r.lastReq.Op != sim.OpGet {
			return "none"
		}
		return r.lastReq.Value
	}
	if r.lastReq == nil {
		return "none"
	}
	return r.lastReq.Outcome()
}

func nodeName(id raft.NodeID) string {
	if id == raft.None {
		return "none"
	}
	return sim.Name(id)
}

func runExpect(r *Runner, cmd *Command) error {
	if err := r.needCluster(); err != nil {
		return err
	}
	c, _ := parseCondition(cmd.Args)
	ok, err := r.holds(c)
	if err != nil {
		return err
	}
	if !ok {
		actual, _ := r.observe(c.observable)
		return fmt.Errorf("expect %s: actual %s", c, actual)
	}
	r.printf("ok")
	return nil
}
