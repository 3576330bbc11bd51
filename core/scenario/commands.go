package scenario

// The command table: every command's usage line, its syntax check (run by
// Parse, before anything executes) and its handler (run by the Runner).
// doc.go documents each command; keep the two in step.

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// spec describes one command.
type spec struct {
	usage string
	check func(args []string) error
	run   func(r *Runner, cmd *Command) error
}

var commands map[string]spec

func init() {
	commands = map[string]spec{
		"cluster":   {"cluster N [seed=S] [learners=K] [election=T] [heartbeat=T] [tick=D] [snapshot-count=N] [catch-up=N] [snapshot-chunk=B] [max-inflight=N] [prevote=on|off] [checkquorum=on|off] [timeout=D] [latency=D..D] [loss=P] [dup=P] [reorder=P]", checkCluster, runCluster},
		"net":       {"net [FROM->TO] [latency=D..D] [loss=P] [dup=P] [reorder=P] [drift NODE=±P% ...]", checkNet, runNet},
		"drift":     {"drift NODE=±P% ...", checkDrift, runDrift},
		"run":       {"run DURATION | run until CONDITION [within DURATION]", checkRun, runRun},
		"step":      {"step [N]", checkStep, runStep},
		"hold":      {"hold [FROM->TO ...]", checkLinks, runHold},
		"release":   {"release", checkArgs(0, 0), runRelease},
		"deliver":   {"deliver mID | deliver FROM->TO [TYPE] | deliver all", checkMessage, runDeliver},
		"drop":      {"drop mID | drop FROM->TO [TYPE]", checkMessage, runDrop},
		"duplicate": {"duplicate mID | duplicate FROM->TO [TYPE]", checkMessage, runDuplicate},
		"crash":     {"crash NODE", checkNode, runCrash},
		"restart":   {"restart NODE", checkNode, runRestart},
		"partition": {"partition NODE... | NODE... [| NODE...]", checkPartition, runPartition},
		"isolate":   {"isolate NODE", checkNode, runIsolate},
		"cut":       {"cut FROM->TO", checkLink, runCut},
		"heal":      {"heal [NODE | FROM->TO]", checkHeal, runHeal},
		"put":       {"put KEY VALUE [--lease=ID] [via NODE] [async]", checkPut, runPut},
		"get":       {"get KEY [--prefix] [--rev N] [--limit N] [--keys-only] [serializable] [via NODE] [async]", checkGet, runGet},
		"delete":    {"delete KEY [via NODE] [async]", checkClient(1, false), runDelete},
		"del":       {"del KEY [--prefix] [via NODE] [async]", checkDel, runDel},
		"txn":       {"txn [if COMPARE [and COMPARE...]] then OP[; OP...] [else OP[; OP...]] [via NODE] [async]", checkTxnWords, runTxn},
		"defrag":    {"defrag [NODE|all]", checkDefrag, runDefrag},
		"hashkv":    {"hashkv NODE|all [REV]", checkHashKV, runHashKV},
		"lease":     {"lease grant TTL | lease revoke ID | lease keep-alive ID | lease timetolive ID [--keys] | lease list", checkLease, runLease},
		"alarm":     {"alarm list | alarm disarm", checkAlarm, runAlarm},
		"watch":     {"watch KEY [--prefix] [--rev N] [via NODE]", checkWatch, runWatch},
		"member":    {"member add|add-learner|promote|remove NODE", checkMember, runMember},
		"transfer":  {"transfer NODE", checkNode, runTransfer},
		"campaign":  {"campaign NODE", checkNode, runCampaign},
		"snapshot":  {snapshotUsage, checkSnapshotAny, runSnapshotAny},
		"compact":   {"compact NODE INDEX | compact REV [--physical]", checkCompactAny, runCompactAny},
		"expect":    {"expect OBSERVABLE OP VALUE", checkExpect, runExpect},
		"show":      {"show nodes | log [NODE] | data [NODE] | etcd [NODE] | pages [NODE] | messages | network | trace [N]", checkShow, runShow},
	}
}

func commandNames() string {
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	return strings.Join(names, " ")
}

// checkArgs accepts between lo and hi arguments.
func checkArgs(lo, hi int) func([]string) error {
	return func(args []string) error {
		switch {
		case len(args) < lo:
			return fmt.Errorf("needs at least %d argument(s), got %d", lo, len(args))
		case len(args) > hi:
			return fmt.Errorf("takes at most %d argument(s), got %d", hi, len(args))
		}
		return nil
	}
}

// isNodeRef reports whether w can name a node: nN, leader or follower.
func isNodeRef(w string) bool {
	if w == "leader" || w == "follower" {
		return true
	}
	_, err := nodeNumber(w)
	return err == nil
}

// nodeNumber parses nN.
func nodeNumber(w string) (uint64, error) {
	if !strings.HasPrefix(w, "n") {
		return 0, fmt.Errorf("%q is not a node (write n1, n2, ..., leader or follower)", w)
	}
	n, err := strconv.ParseUint(w[1:], 10, 8)
	if err != nil || n == 0 {
		return 0, fmt.Errorf("%q is not a node (write n1, n2, ..., leader or follower)", w)
	}
	return n, nil
}

func checkNode(args []string) error {
	if err := checkArgs(1, 1)(args); err != nil {
		return err
	}
	if !isNodeRef(args[0]) {
		return fmt.Errorf("%q is not a node (write n1, n2, ..., leader or follower)", args[0])
	}
	return nil
}

// splitLink splits FROM->TO.
func splitLink(w string) (from, to string, ok bool) {
	from, to, ok = strings.Cut(w, "->")
	return from, to, ok && from != "" && to != ""
}

func checkLink(args []string) error {
	if err := checkArgs(1, 1)(args); err != nil {
		return err
	}
	return checkLinkWord(args[0], false)
}

func checkLinkWord(w string, wildcard bool) error {
	from, to, ok := splitLink(w)
	if !ok {
		return fmt.Errorf("%q is not a link (write n1->n2)", w)
	}
	for _, side := range []string{from, to} {
		if !(isNodeRef(side) || wildcard && side == "*") {
			return fmt.Errorf("%q in %q is not a node", side, w)
		}
	}
	return nil
}

func checkLinks(args []string) error {
	for _, a := range args {
		if err := checkLinkWord(a, false); err != nil {
			return err
		}
	}
	return nil
}

func checkHeal(args []string) error {
	if err := checkArgs(0, 1)(args); err != nil || len(args) == 0 {
		return err
	}
	if strings.Contains(args[0], "->") {
		return checkLinkWord(args[0], false)
	}
	return checkNode(args)
}

func checkPartition(args []string) error {
	groups := splitGroups(args)
	if len(groups) < 2 {
		return fmt.Errorf("needs at least two groups separated by |")
	}
	for _, g := range groups {
		if len(g) == 0 {
			return fmt.Errorf("a group is empty")
		}
		for _, w := range g {
			if !isNodeRef(w) {
				return fmt.Errorf("%q is not a node", w)
			}
		}
	}
	return nil
}

// splitGroups splits words at "|" (also accepted glued: "n1|n2").
func splitGroups(args []string) [][]string {
	joined := strings.ReplaceAll(strings.Join(args, " "), "|", " | ")
	var groups [][]string
	cur := []string{}
	for _, w := range strings.Fields(joined) {
		if w == "|" {
			groups = append(groups, cur)
			cur = []string{}
			continue
		}
		cur = append(cur, w)
	}
	return append(groups, cur)
}

func checkMessage(args []string) error {
	if err := checkArgs(1, 2)(args); err != nil {
		return err
	}
	switch {
	case args[0] == "all" && len(args) == 1:
		return nil
	case strings.HasPrefix(args[0], "m") && len(args) == 1:
		_, err := strconv.ParseUint(args[0][1:], 10, 64)
		if err != nil {
			return fmt.Errorf("%q is not a message id (write m12)", args[0])
		}
		return nil
	}
	if err := checkLinkWord(args[0], true); err != nil {
		return err
	}
	if len(args) == 2 {
		if _, err := msgType(args[1]); err != nil {
			return err
		}
	}
	return nil
}

func checkClient(keyAndValue int, serializable bool) func([]string) error {
	return func(args []string) error {
		if len(args) < keyAndValue {
			return fmt.Errorf("needs %d argument(s) before the options", keyAndValue)
		}
		rest := args[keyAndValue:]
		for i := 0; i < len(rest); i++ {
			switch rest[i] {
			case "async":
			case "serializable":
				if !serializable {
					return fmt.Errorf("only get can be serializable")
				}
			case "via":
				if i+1 >= len(rest) || !isNodeRef(rest[i+1]) {
					return fmt.Errorf("via needs a node")
				}
				i++
			default:
				return fmt.Errorf("unexpected %q", rest[i])
			}
		}
		return nil
	}
}

func checkMember(args []string) error {
	if err := checkArgs(2, 2)(args); err != nil {
		return err
	}
	switch args[0] {
	case "add", "add-learner", "promote", "remove":
	default:
		return fmt.Errorf("unknown member action %q (add, add-learner, promote, remove)", args[0])
	}
	return checkNode(args[1:])
}

func checkCompact(args []string) error {
	if err := checkArgs(2, 2)(args); err != nil {
		return err
	}
	if err := checkNode(args[:1]); err != nil {
		return err
	}
	if _, err := strconv.ParseUint(args[1], 10, 64); err != nil {
		return fmt.Errorf("%q is not an index", args[1])
	}
	return nil
}

func checkStep(args []string) error {
	if err := checkArgs(0, 1)(args); err != nil {
		return err
	}
	if len(args) == 1 {
		if n, err := strconv.Atoi(args[0]); err != nil || n < 1 {
			return fmt.Errorf("%q is not a positive count", args[0])
		}
	}
	return nil
}

func checkRun(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("needs a duration or `until`")
	}
	if args[0] != "until" {
		if len(args) != 1 {
			return fmt.Errorf("takes one duration")
		}
		_, err := duration(args[0])
		return err
	}
	cond, _, err := splitWithin(args[1:])
	if err != nil {
		return err
	}
	_, err = parseCondition(cond)
	return err
}

// splitWithin separates "COND... within D" into the condition words and D
// (DefaultWithin if absent).
func splitWithin(words []string) ([]string, time.Duration, error) {
	if n := len(words); n >= 2 && words[n-2] == "within" {
		d, err := duration(words[n-1])
		return words[:n-2], d, err
	}
	return words, DefaultWithin, nil
}

// DefaultWithin bounds `run until` when no `within` is given.
const DefaultWithin = 10 * time.Second

func checkExpect(args []string) error {
	_, err := parseCondition(args)
	return err
}

func checkShow(args []string) error {
	if len(args) == 0 {
		return fmt.Errorf("needs what to show")
	}
	switch args[0] {
	case "nodes", "messages", "network":
		return checkArgs(1, 1)(args)
	case "log", "data", "etcd", "pages":
		if len(args) == 2 && !isNodeRef(args[1]) {
			return fmt.Errorf("%q is not a node", args[1])
		}
		return checkArgs(1, 2)(args)
	case "trace":
		if len(args) == 2 {
			if n, err := strconv.Atoi(args[1]); err != nil || n < 1 {
				return fmt.Errorf("%q is not a positive count", args[1])
			}
		}
		return checkArgs(1, 2)(args)
	}
	return fmt.Errorf("cannot show %q", args[0])
}

// duration parses a Go duration (1s, 250ms, 1m30s) that must be positive.
func duration(w string) (time.Duration, error) {
	d, err := time.ParseDuration(w)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%q is not a positive duration (write 250ms, 2s, 1m)", w)
	}
	return d, nil
}
