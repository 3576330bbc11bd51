package viz

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core/raft"
	"github.com/etcdlab/etcdlab/core/sim"
)

func TestDescribeEntry(t *testing.T) {
	kv := sim.NewKV()
	put, err := kv.Encode(sim.Command{ID: 3, Op: sim.OpPut, Key: "x", Value: "1"})
	require.NoError(t, err)
	del, err := kv.Encode(sim.Command{ID: 4, Op: sim.OpDelete, Key: "x"})
	require.NoError(t, err)
	cc := raft.ConfChange{Type: raft.AddLearner, Node: 4}.Marshal()
	for want, e := range map[string]raft.Entry{
		"put x 1":               {Data: put},
		"delete x":              {Data: del},
		"(empty)":               {},
		"member add-learner n4": {Type: raft.EntryConfChange, Data: cc},
		"(2 bytes)":             {Data: []byte{0xff, 0xff}},
	} {
		require.Equal(t, want, DescribeEntry(e))
	}
}
