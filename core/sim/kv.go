package sim

// KV is the simulator's default application: a map from string keys to
// string values, changed by put and delete commands encoded in CBOR. It keeps
// nothing but the map: results carry the log index of the entry, which is
// all a client of the simulator needs to see where its write landed.
//
// Snapshots are the pairs sorted by key, CBOR-encoded, so that two nodes with
// the same contents produce the same bytes (determinism contract: nothing
// observable depends on map iteration order).

import (
	"fmt"
	"sort"

	"github.com/fxamacker/cbor/v2"

	"github.com/etcdlab/etcdlab/core/raft"
)

// kvCommand is the wire form of a Command.
type kvCommand struct {
	ID    uint64 `cbor:"1,keyasint"`
	Op    OpKind `cbor:"2,keyasint"`
	Key   string `cbor:"3,keyasint"`
	Value string `cbor:"4,keyasint,omitempty"`
}

// kvPair is one pair in a snapshot.
type kvPair struct {
	Key   string `cbor:"1,keyasint"`
	Value string `cbor:"2,keyasint"`
}

// KV is a replicated key-value map. The zero value is not usable: NewKV.
type KV struct {
	data map[string]string
}

// NewKV returns an empty map.
func NewKV() *KV { return &KV{data: map[string]string{}} }

// Encode implements Application.
func (kv *KV) Encode(cmd Command) ([]byte, error) {
	if cmd.Op != OpPut && cmd.Op != OpDelete {
		return nil, fmt.Errorf("sim: kv: only put and delete go through the log, not %s", cmd.Op)
	}
	return cbor.Marshal(kvCommand(cmd))
}

// Apply implements Application. Entries that are not kv commands (the
// leader's empty entry, membership changes) change nothing.
func (kv *KV) Apply(e raft.Entry) Result {
	res := Result{Index: e.Index}
	if e.Type != raft.EntryNormal || len(e.Data) == 0 {
		return res
	}
	var cmd kvCommand
	if err := cbor.Unmarshal(e.Data, &cmd); err != nil {
		// Only Encode writes entries, so this is a corrupt log.
		panic(fmt.Sprintf("sim.KV.Apply: entry %d is not a kv command: %v", e.Index, err))
	}
	res.RequestID = cmd.ID
	switch cmd.Op {
	case OpPut:
		kv.data[cmd.Key] = cmd.Value
	case OpDelete:
		_, res.Found = kv.data[cmd.Key]
		delete(kv.data, cmd.Key)
	default:
		panic(fmt.Sprintf("sim.KV.Apply: entry %d has op %s", e.Index, cmd.Op))
	}
	return res
}

// Get implements Application.
func (kv *KV) Get(key string) (string, bool) {
	v, ok := kv.data[key]
	return v, ok
}

// Contents implements Application.
func (kv *KV) Contents() []KeyValue {
	out := make([]KeyValue, 0, len(kv.data))
	for k, v := range kv.data {
		out = append(out, KeyValue{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
	return out
}

// Snapshot implements Application.
func (kv *KV) Snapshot() []byte {
	pairs := make([]kvPair, 0, len(kv.data))
	for _, p := range kv.Contents() {
		pairs = append(pairs, kvPair(p))
	}
	data, err := cbor.Marshal(pairs)
	if err != nil {
		panic("sim.KV.Snapshot: " + err.Error())
	}
	return data
}

// Restore implements Application.
func (kv *KV) Restore(data []byte) error {
	var pairs []kvPair
	if len(data) > 0 {
		if err := cbor.Unmarshal(data, &pairs); err != nil {
			return fmt.Errorf("sim: kv: snapshot does not decode: %w", err)
		}
	}
	kv.data = make(map[string]string, len(pairs))
	for _, p := range pairs {
		kv.data[p.Key] = p.Value
	}
	return nil
}
