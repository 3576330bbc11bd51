package viz

// What a log entry says, in the scenario language's words: "put x 1",
// "delete x", "member add-learner n4", or "(empty)" for the entry a new
// leader appends (Raft §8). The simulator's key-value commands are CBOR
// maps keyed by small integers (core/sim/kv.go); this reads them back with
// a mirror of that layout, so the visualizer needs nothing unexported.

import (
	"fmt"

	"github.com/fxamacker/cbor/v2"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

// kvEntry mirrors sim's kvCommand (core/sim/kv.go): keep the tags in step.
type kvEntry struct {
	ID    uint64     `cbor:"1,keyasint"`
	Op    sim.OpKind `cbor:"2,keyasint"`
	Key   string     `cbor:"3,keyasint"`
	Value string     `cbor:"4,keyasint,omitempty"`
}

// DescribeEntry renders what entry e asks the state machine to do.
func DescribeEntry(e raft.Entry) string {
	if e.Type == raft.EntryConfChange {
		cc, err := raft.UnmarshalConfChange(e.Data)
		if err != nil {
			return "membership change (undecodable)"
		}
		return fmt.Sprintf("member %s %s", cc.Type, sim.Name(cc.Node))
	}
	if len(e.Data) == 0 {
		return "(empty)"
	}
	var c kvEntry
	if err := cbor.Unmarshal(e.Data, &c); err != nil {
		return fmt.Sprintf("(%d bytes)", len(e.Data))
	}
	if c.Op == sim.OpPut {
		return fmt.Sprintf("put %s %s", c.Key, c.Value)
	}
	return fmt.Sprintf("%s %s", c.Op, c.Key)
}
