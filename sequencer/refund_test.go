package sequencer_test

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestSequencerRefundsInvalidKeys: a deposit to a key that is no valid L2
// key is consumed in queue order, without jamming it (the deposit after it
// is credited), and recorded as a refund to its depositor, which survives
// a restart; no L2 balance changes.
func TestSequencerRefundsInvalidKeys(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1000)
	before := h.total()

	var bad vm.DepositKey // y = 0: (±√−1, 0), of order 4
	require.False(t, bad.Valid())
	dave := seqKey(t, "dave")
	depositor := common.Address{0xde}
	require.NoError(t, h.seq.AddDeposits([]vm.PriorityRequest{
		{ID: 4, Key: bad, Amount: 77, From: depositor},
		{ID: 5, Key: vm.DepositKeyOf(dave.Public()), Amount: 10},
	}))
	h.settle()
	require.Equal(t, before+10, h.total(), "the valid deposit behind the refund is credited; the refund credits nothing")
	h.index(dave)

	check := func() {
		_, ws, err := h.seq.Withdrawals(depositor)
		require.NoError(t, err)
		require.Equal(t, []vm.Withdrawal{{To: depositor, Amount: 77, Refund: true}}, ws)
	}
	check()
	require.NoError(t, h.seq.Stop(context.Background()))
	h.open()
	defer h.seq.Stop(context.Background())
	check()
}
