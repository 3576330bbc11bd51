package sim

// The application: the replicated state machine each simulated node runs on
// top of Raft. The simulator only needs a few things from it — turn a client
// command into log data, apply a committed entry, read a key, and save and
// restore its whole state as a snapshot — so the real etcd state machine
// (core/server) can plug in through the same small interface, and the
// simulator carries its own tiny default: a key-value map (kv.go).
//
// Durability. The application's state is volatile: a crash loses it. What
// survives is the node's disk (disk.go): the latest snapshot and the log
// after it. A restarting node restores the snapshot and Raft re-delivers the
// committed entries after it, so the state machine is rebuilt exactly — the
// role etcd's "consistent index" plays, saved in the same bbolt transaction
// as the data so that etcd knows which entries its backend already holds.

import "github.com/etcdlab/etcdlab/core/raft"

// OpKind is what a client asks for.
type OpKind uint8

const (
	OpPut OpKind = iota
	OpGet
	OpDelete
)

var opNames = [...]string{"put", "get", "delete"}

func (k OpKind) String() string {
	if int(k) < len(opNames) {
		return opNames[k]
	}
	return "OpKind(?)"
}

// Command is a write that goes through the log. ID names the client request
// so that the node it was sent to can answer it when the entry is applied.
type Command struct {
	ID    uint64
	Op    OpKind // OpPut or OpDelete
	Key   string
	Value string
}

// Result is what applying one entry produced.
type Result struct {
	// RequestID is the Command.ID the entry carried (0 if none, e.g. the
	// leader's empty entry).
	RequestID uint64
	// Index is the log index of the entry.
	Index uint64
	// Found reports, for a delete, whether the key existed.
	Found bool
}

// KeyValue is one pair of the application's contents, for display.
type KeyValue struct {
	Key, Value string
}

// Application is a replicated state machine the simulator can drive.
type Application interface {
	// Encode turns a command into the Data of a log entry.
	Encode(cmd Command) ([]byte, error)
	// Apply applies one committed entry (normal or conf change, in log
	// order) and returns its result.
	Apply(e raft.Entry) Result
	// Get reads a key from the local state.
	Get(key string) (value string, found bool)
	// Snapshot returns the whole state, deterministically encoded.
	Snapshot() []byte
	// Restore replaces the whole state with a snapshot's.
	Restore(data []byte) error
	// Contents lists every pair, sorted by key.
	Contents() []KeyValue
}
