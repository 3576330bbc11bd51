package mvcc

// --max-txn-ops as a parameter (ValidateTxnWithin) and as the Store's
// Config.MaxTxnOps: raised, lowered, the default, and not counted at all.

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/etcdlab/etcdlab/core"
	"github.com/etcdlab/etcdlab/core/backend"
)

func distinctPuts(n int) []Op {
	return ops(n, func(i int) Op { return putOp(fmt.Sprintf("k%04d", i)) })
}

func TestValidateTxnWithin(t *testing.T) {
	r150 := TxnRequest{Success: distinctPuts(150)}
	require.Equal(t, ErrTooManyOps, ValidateTxn(r150), "the default is etcd's 128")
	require.NoError(t, ValidateTxnWithin(r150, 200), "a raised limit admits 150 ops")
	require.Equal(t, ErrTooManyOps, ValidateTxnWithin(TxnRequest{Compare: make([]Compare, 201)}, 200))
	require.Equal(t, ErrTooManyOps, ValidateTxnWithin(TxnRequest{Success: distinctPuts(5)}, 4), "a lowered limit")
	// A nested txn gets what its parent left, under any limit.
	nested := TxnRequest{Success: append(distinctPuts(150), txnOp(ops(50, func(i int) Op { return putOp(fmt.Sprintf("n%d", i)) }), nil))}
	require.Equal(t, ErrTooManyOps, ValidateTxnWithin(nested, 200))
	require.NoError(t, ValidateTxnWithin(nested, 201+50))
	// The other checks do not depend on the limit.
	require.Equal(t, ErrDuplicateKey, ValidateTxnWithin(TxnRequest{Success: []Op{putOp("a"), putOp("a")}}, 200))
}

func TestStoreMaxTxnOps(t *testing.T) {
	r150 := TxnRequest{Success: distinctPuts(150)}
	for _, tc := range []struct {
		name      string
		maxTxnOps int
		want      error
	}{
		{"default", 0, ErrTooManyOps},
		{"raised", 200, nil},
		{"lowered", 100, ErrTooManyOps},
		{"not counted", NoTxnOpsLimit, nil},
	} {
		s, err := New(backend.NewMemory(), Config{MaxTxnOps: tc.maxTxnOps})
		require.NoError(t, err)
		require.Equal(t, tc.want, s.validateTxn(r150), tc.name)
		require.Equal(t, ErrDuplicateKey, s.validateTxn(TxnRequest{Success: []Op{putOp("a"), putOp("a")}}), tc.name)
	}
	require.Equal(t, core.MaxTxnOps, txnOpsLimit(0))
}
