package sequencer_test

import (
	"context"
	"testing"
	"time"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestSequencerProcessesForcedChallenges: a stale close is challenged
// through the L1 queue. The requests (a valid one, then a stale one) are
// journaled before anything else and survive a hurried stop, are consumed
// in queue order whatever they hold, and the valid one replaces the
// closing state, which the finalize then pays; an L2 transaction cannot
// pose as one.
func TestSequencerProcessesForcedChallenges(t *testing.T) {
	dir := t.TempDir()
	h := newHarness(t, nil, dir)
	h.fund(1_000_000)
	alice, bob := h.users[0], h.users[1]
	_, id := h.openChannel(alice, bob, 9000, 0, 60)
	h.settle()
	leaf, _, found := h.sealedChannel(id)
	require.True(t, found)
	stale := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 1, BalanceA: 8000, BalanceB: 1000}
	_, err := h.seq.SendTransaction(h.stateTx(vm.TxChanDispute, leaf, stale, alice, bob))
	require.NoError(t, err)
	h.settle()

	request := func(n uint64, st vm.ChannelState) vm.PriorityRequest {
		tx := h.stateTx(vm.TxForcedChallenge, leaf, st, alice, bob)
		st.ChainID, st.ChannelID = 0, 0
		return vm.PriorityRequest{ID: n, Kind: vm.TxForcedChallenge, Channel: leaf, State: st, Sig: tx.Sig, SigB: tx.SigB}
	}
	v3 := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 3, BalanceA: 2000, BalanceB: 7000}
	v2 := vm.ChannelState{ChainID: h.cfg.VM.ChainID, ChannelID: id, Version: 2, BalanceA: 100, BalanceB: 8900}
	next := h.seq.NextPriority()
	require.NoError(t, h.seq.AddDeposits([]vm.PriorityRequest{request(next, v3), request(next+1, v2)}))
	hurry, cancel := context.WithCancel(context.Background())
	cancel()
	require.NoError(t, h.seq.Stop(hurry))
	h.open()
	defer h.seq.Stop(context.Background())
	require.Equal(t, next+2, h.seq.NextPriority())
	h.settle()
	_, ch, found := h.sealedChannel(id)
	require.True(t, found)
	require.Equal(t, vm.ChannelClosing, ch.Status)
	require.EqualValues(t, 3, ch.Version, "the valid request applies, the stale one after it does not")
	require.EqualValues(t, 2000, ch.SplitA)
	h.clock.Advance(2 * time.Minute)
	fin, err := h.seq.SendTransaction(&vm.Tx{Type: vm.TxChanFinalize, ChainID: h.cfg.VM.ChainID, Channel: leaf})
	require.NoError(t, err)
	h.settle()
	require.Equal(t, sequencer.TxSequenced, h.receipt(fin).Status)
	require.EqualValues(t, 1_000_000-9000-1+2000, h.balance(alice))
	require.EqualValues(t, 1_000_000+7000, h.balance(bob))

	_, err = h.seq.SendTransaction(&vm.Tx{Type: vm.TxForcedChallenge, ChainID: h.cfg.VM.ChainID, PriorityID: next + 2, Channel: leaf})
	require.Error(t, err, "forced challenges come from L1 only")
}
