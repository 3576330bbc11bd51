package sim

// Linearizability of etcd mode's key space (Herlihy & Wing 1990), checked
// with porcupine (github.com/anishathalye/porcupine) on the client
// histories of the fault workload (etcd_workload_test.go): every put, get,
// delete and compare-and-swap, with its invoke and return virtual times,
// must fit one sequential order of a plain key-value map that respects
// real time. A get is linearizable here (ReadIndex, thesis §6.4);
// serializable gets are not issued, since they are allowed to be stale.
//
// Each operation touches one key (the CAS compares and writes the same
// key), so the history is checked key by key (porcupine's Partition),
// which keeps the search small. An operation that failed or timed out is
// an unknown outcome: it may have taken effect at any time after its
// invoke, or never — porcupine is told it returned at the end of time and
// the model accepts any output for it (as etcd's own robustness tests do).
//
//	c1  |--put k0 v1--|          |--get k0 -> v1--|
//	c2        |--cas k0 v1->v7 ?? (timed out) ..............>
//	c3                  |--get k0 -> v7--|        <- only if the cas is placed before it

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"
)

// kvInput is what porcupine sees of an operation's request.
type kvInput struct {
	kind          opKind
	key           string
	value, expect string
}

// kvOutput is what porcupine sees of its answer.
type kvOutput struct {
	unknown bool
	found   bool   // get: the key existed; cas: the compare held
	got     string // get, failed cas: the value read
}

// kvState is one key's value in the model ("" and !exists: absent).
type kvState struct {
	exists bool
	value  string
}

// kvModel is a single key of etcd's key space as a sequential object.
var kvModel = porcupine.Model{
	Partition: func(history []porcupine.Operation) [][]porcupine.Operation {
		byKey := map[string][]porcupine.Operation{}
		for _, op := range history {
			k := op.Input.(kvInput).key
			byKey[k] = append(byKey[k], op)
		}
		keys := make([]string, 0, len(byKey))
		for k := range byKey {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := make([][]porcupine.Operation, 0, len(keys))
		for _, k := range keys {
			out = append(out, byKey[k])
		}
		return out
	},
	Init: func() interface{} { return kvState{} },
	Step: func(state, input, output interface{}) (bool, interface{}) {
		return kvStep(state.(kvState), input.(kvInput), output.(kvOutput))
	},
	DescribeOperation: func(input, output interface{}) string {
		in, out := input.(kvInput), output.(kvOutput)
		return describeKVOp(in, out)
	},
}

// kvStep applies one operation to the model: is the output possible from
// state, and what is the state after it?
func kvStep(s kvState, in kvInput, out kvOutput) (bool, kvState) {
	switch in.kind {
	case opGet:
		return out.unknown || (out.found == s.exists && out.got == s.value), s
	case opPut:
		return true, kvState{exists: true, value: in.value}
	case opDelete:
		return true, kvState{}
	case opCAS:
		holds := s.exists && s.value == in.expect
		if out.unknown {
			if holds {
				return true, kvState{exists: true, value: in.value}
			}
			return true, s
		}
		if out.found {
			return holds, kvState{exists: true, value: in.value}
		}
		return !holds && out.got == s.value, s
	}
	panic(fmt.Sprintf("sim.kvStep: unknown operation kind %d", in.kind))
}

func describeKVOp(in kvInput, out kvOutput) string {
	s := fmt.Sprintf("%s %s", in.kind, in.key)
	switch in.kind {
	case opPut:
		s += " " + in.value
	case opCAS:
		s += fmt.Sprintf(" %s->%s", in.expect, in.value)
	}
	switch {
	case out.unknown:
		return s + " -> ?"
	case in.kind == opGet && !out.found:
		return s + " -> absent"
	case in.kind == opGet:
		return s + " -> " + out.got
	case in.kind == opCAS && !out.found:
		return s + " -> failed, saw " + out.got
	}
	return s + " -> ok"
}

// porcupineHistory turns the workload's operations into porcupine's. A
// get that failed changed nothing and is left out; every other unknown
// outcome returns at the end of time.
func porcupineHistory(ops []*kvOp) []porcupine.Operation {
	var out []porcupine.Operation
	for _, op := range ops {
		if op.req != nil && !op.req.Done {
			op.unknown = true // still pending at the end
		}
		if op.unknown && op.kind == opGet {
			continue
		}
		ret := int64(op.ret)
		if op.unknown {
			ret = math.MaxInt64
		}
		out = append(out, porcupine.Operation{
			ClientId: op.client,
			Input:    kvInput{kind: op.kind, key: op.key, value: op.value, expect: op.expect},
			Call:     int64(op.call),
			Output:   kvOutput{unknown: op.unknown, found: op.found, got: op.got},
			Return:   ret,
		})
	}
	return out
}

// resolveUnknown settles what the finished run can tell about writes with
// unknown outcomes, which is what keeps porcupine's search small: every
// put and CAS writes a value of its own, so a value that never appears in
// the store's history (truth) was never written — the write had no effect
// and leaves the history — and one that does appear took effect no later
// than the first time any member applied its revision (firstApplied), when
// it could first be read. Neither step can hide a bug: a read that returns
// a value of a dropped write, or returns it too early, still has no
// linearization.
func resolveUnknown(ops []*kvOp, truth map[int64][]revEvent, firstApplied map[int64]time.Duration) []*kvOp {
	written := map[string]int64{} // key=value -> revision
	for rev, evs := range truth {
		for _, e := range evs {
			if !e.delete {
				written[e.key+"="+e.value] = rev
			}
		}
	}
	var out []*kvOp
	for _, op := range ops {
		if op.req != nil && !op.req.Done {
			op.unknown = true
		}
		if !op.unknown || (op.kind != opPut && op.kind != opCAS) {
			out = append(out, op)
			continue
		}
		rev, ok := written[op.key+"="+op.value]
		if !ok {
			continue // never took effect
		}
		cp := *op
		if t, ok := firstApplied[rev]; ok && t >= op.call {
			cp.unknown, cp.ret, cp.found = false, t, true
		}
		out = append(out, &cp)
	}
	return out
}

// checkLinearizable returns an error describing the history if no
// linearization exists.
func checkLinearizable(ops []*kvOp) error {
	h := porcupineHistory(ops)
	res, _ := porcupine.CheckOperationsVerbose(kvModel, h, 0)
	if res == porcupine.Ok {
		return nil
	}
	var lines []string
	for _, op := range h {
		lines = append(lines, fmt.Sprintf("  c%d [%d, %d] %s", op.ClientId, op.Call, op.Return,
			describeKVOp(op.Input.(kvInput), op.Output.(kvOutput))))
	}
	const maxLines = 60
	if len(lines) > maxLines {
		lines = append(lines[:maxLines], fmt.Sprintf("  ... %d more", len(lines)-maxLines))
	}
	return fmt.Errorf("history of %d operations is not linearizable (porcupine: %s):\n%s", len(h), res, strings.Join(lines, "\n"))
}

// TestLinearizabilityCheckerCatchesStaleRead feeds the checker a history
// with a stale read: put v1 completes, then a later get still sees nothing.
func TestLinearizabilityCheckerCatchesStaleRead(t *testing.T) {
	ops := []*kvOp{
		{client: 0, kind: opPut, key: "k0", value: "v1", call: 1, ret: 2},
		{client: 1, kind: opGet, key: "k0", call: 3, ret: 4},
	}
	if err := checkLinearizable(ops); err == nil {
		t.Fatal("a read after a completed put that misses it passed the checker")
	}
	ops[1].found, ops[1].got = true, "v1"
	if err := checkLinearizable(ops); err != nil {
		t.Fatalf("a correct history failed the checker: %v", err)
	}
}

// TestLinearizabilityCheckerUnknownOutcomes: a timed-out put may take
// effect late, but a CAS that succeeded against a value nobody wrote
// cannot be explained.
func TestLinearizabilityCheckerUnknownOutcomes(t *testing.T) {
	ok := []*kvOp{
		{client: 0, kind: opPut, key: "k0", value: "v1", call: 1, ret: 2, unknown: true},
		{client: 1, kind: opGet, key: "k0", call: 3, ret: 4},
		{client: 1, kind: opGet, key: "k0", call: 5, ret: 6, found: true, got: "v1"},
	}
	if err := checkLinearizable(ok); err != nil {
		t.Fatalf("an unknown put taking effect late failed the checker: %v", err)
	}
	bad := []*kvOp{
		{client: 0, kind: opPut, key: "k0", value: "v1", call: 1, ret: 2},
		{client: 1, kind: opCAS, key: "k0", expect: "v9", value: "v2", call: 3, ret: 4, found: true},
	}
	if err := checkLinearizable(bad); err == nil {
		t.Fatal("a CAS that succeeded against a value never written passed the checker")
	}
	lost := []*kvOp{
		{client: 0, kind: opPut, key: "k1", value: "v1", call: 1, ret: 2},
		{client: 1, kind: opCAS, key: "k1", expect: "v1", value: "v2", call: 3, ret: 4, found: true},
		{client: 2, kind: opGet, key: "k1", call: 5, ret: 6, found: true, got: "v1"},
	}
	if err := checkLinearizable(lost); err == nil {
		t.Fatal("a lost CAS write passed the checker")
	}
}
