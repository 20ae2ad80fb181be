package sequencer_test

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestSequencerProcessesFullExits: full-exit requests delivered by the
// bridge are journaled, survive a restart, are consumed in queue order
// beside deposits, pay the whole balance when the owner signed and
// nothing otherwise, and show up as withdrawals to the L1 address. A full
// exit sent to the RPC as an L2 transaction is refused.
func TestSequencerProcessesFullExits(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1_000_000)
	alice, bob := h.index(h.users[0]), h.index(h.users[1])
	to := common.HexToAddress("0xf0bce")
	request := func(id uint64, account uint32, k *vm.PrivateKey) vm.PriorityRequest {
		tx := vm.Tx{Type: vm.TxFullExit, ChainID: h.cfg.VM.ChainID, From: account, L1To: to}
		sig, err := k.SignElement(tx.Message())
		require.NoError(t, err)
		return vm.PriorityRequest{ID: id, Kind: vm.TxFullExit, Account: account, To: to, Sig: sig}
	}
	next := h.seq.NextPriority()
	good, bad := request(next, alice, h.users[0]), request(next+1, bob, h.users[0])
	require.NoError(t, h.seq.AddDeposits([]vm.PriorityRequest{good, bad}))

	// Journaled before anything else: a hurried stop and a restart keep them.
	hurry, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, h.seq.Stop(hurry))
	h.open()
	defer h.seq.Stop(context.Background())
	require.Equal(t, next+2, h.seq.NextPriority())
	h.settle()

	a, _, err := h.seq.Account(alice)
	require.NoError(t, err)
	require.Zero(t, a.Balance, "the owner's full exit takes the whole balance")
	b, _, err := h.seq.Account(bob)
	require.NoError(t, err)
	require.EqualValues(t, 1_000_000, b.Balance, "a request bob did not sign takes nothing")
	_, ws, err := h.seq.Withdrawals(to)
	require.NoError(t, err)
	require.Equal(t, []vm.Withdrawal{{Account: alice, To: to, Amount: 1_000_000}}, ws)
	require.EqualValues(t, 1+2*1_000_000, h.total(), "L2 balances plus the payout equal the deposits")

	tx := vm.Tx{Type: vm.TxFullExit, ChainID: h.cfg.VM.ChainID, PriorityID: next + 2, From: bob, L1To: to}
	_, err = h.seq.SendTransaction(&tx)
	require.Error(t, err, "full exits come from L1 only")
}
