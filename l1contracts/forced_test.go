package l1contracts_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// sigParts is a signature as requestChannelChallenge takes it.
func sigParts(s vm.Signature) [3]*big.Int {
	rx, ry, sc := s.Parts()
	return [3]*big.Int{rx.BigInt(new(big.Int)), ry.BigInt(new(big.Int)), sc.BigInt(new(big.Int))}
}

// TestRollupForcedChannelChallenge: a channel challenge filed on L1 enters
// the priority queue with the hash the VM computes, requests the circuit
// could not read are refused at the door, and the proven batch that
// consumes a valid request and a half-signed one replaces the stale
// closing state with the valid one only: the finalize then pays the
// latest split, and the Rollup holds exactly what it owes. A batch whose
// timestamp lags L1 by more than MAX_TIMESTAMP_LAG is refused.
func TestRollupForcedChannelChallenge(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d0, _ := e.depositL2(0, 10)
	d1, _ := e.depositL2(1, 5000)
	d2, _ := e.depositL2(2, 700)
	e.commitBatch(d0, d1, d2)

	// Channel 1↔2 in leaf 6: 3,000 from A, 500 from B, a period of an
	// hour; A (Mallory's role here) closes it with version 1.
	const leaf, period = 6, 3600
	open := vm.Tx{Type: vm.TxChanOpen, ChainID: rollupConfig.ChainID, From: 1, To: 2, Channel: leaf, Amount: 3000, AmountB: 500, Period: period}
	require.NoError(t, open.Sign(e.l2keys[1]))
	require.NoError(t, open.SignB(e.l2keys[2]))
	id := vm.ChannelIDOf(1, 0)
	state := func(v, a uint64) vm.ChannelState {
		return vm.ChannelState{ChainID: rollupConfig.ChainID, ChannelID: id, Version: v, BalanceA: a, BalanceB: 3500 - a}
	}
	signed := func(st vm.ChannelState, ka, kb *vm.PrivateKey) (vm.Signature, vm.Signature) {
		a, err := st.Sign(ka)
		require.NoError(t, err)
		b, err := st.Sign(kb)
		require.NoError(t, err)
		return a, b
	}
	stale := vm.Tx{Type: vm.TxChanDispute, Channel: leaf}
	stale.SetChannelState(state(1, 3200))
	stale.Sig, stale.SigB = signed(state(1, 3200), e.l2keys[1], e.l2keys[2])
	e.commitBatch(open, stale)

	request := func(st vm.ChannelState, sigA, sigB vm.Signature) (vm.Tx, error) {
		count, err := bind.Call(e.inst, nil, e.rollup.PackPrioCount(), e.rollup.UnpackPrioCount)
		require.NoError(t, err)
		r, err := e.send(e.user, nil, e.rollup.PackRequestChannelChallenge(leaf, st.Version, st.Final, st.BalanceA, st.BalanceB, sigParts(sigA), sigParts(sigB)))
		if err == nil {
			t.Logf("requestChannelChallenge gas: %d", r.GasUsed)
		}
		tx := vm.Tx{Type: vm.TxForcedChallenge, ChainID: rollupConfig.ChainID, PriorityID: count, Channel: leaf, Sig: sigA, SigB: sigB}
		tx.SetChannelState(st)
		return tx, err
	}
	latest := state(3, 1000)
	sigA, sigB := signed(latest, e.l2keys[1], e.l2keys[2])

	// Requests the circuit could not read never enter the queue.
	order, _ := new(big.Int).SetString("2736030358979909402780800718157159386076813972158567259200215660948447373041", 10)
	raw := func(channel uint32, a, b [3]*big.Int) error {
		_, err := e.send(e.user, nil, e.rollup.PackRequestChannelChallenge(channel, 3, false, 1000, 2500, a, b))
		return err
	}
	pa, pb := sigParts(sigA), sigParts(sigB)
	requireRevert(t, raw(16, pa, pb), errID("AccountOutOfRange(uint32,uint8)"), "a leaf beyond the tree")
	requireRevert(t, raw(leaf, [3]*big.Int{big.NewInt(1), big.NewInt(2), pa[2]}, pb), errID("InvalidSignature()"), "A's R off the curve")
	requireRevert(t, raw(leaf, pa, [3]*big.Int{pb[0], pb[1], order}), errID("InvalidSignature()"), "B's S not below the order")

	good, err := request(latest, sigA, sigB)
	require.NoError(t, err)
	var prev vm.Element
	prev.SetBigInt(e.call(e.rollup.PackPrioHashes(big.NewInt(int64(good.PriorityID)))))
	want := vm.ForcedChallengePriorityHash(prev, leaf, latest, sigA, sigB)
	require.Equal(t, want.BigInt(new(big.Int)), e.call(e.rollup.PackPrioHashes(big.NewInt(int64(good.PriorityID+1)))), "the queue hash is the VM's")
	// A newer state B alone signed (Mallory forged A's with her key):
	// queued, and consumed as a no-op.
	forged := state(4, 0)
	mA, _ := signed(forged, l2key(t, "mallory"), e.l2keys[2])
	_, fB := signed(forged, e.l2keys[1], e.l2keys[2])
	half, err := request(forged, mA, fB)
	require.NoError(t, err)

	sb := e.commitBatch(good, half)
	ops, err := vm.DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	require.True(t, ops[0].Applied)
	require.False(t, ops[1].Applied)
	leafNow, _, err := e.store.ReaderAt(sb.After.BatchNumber).Leaf(leaf)
	require.NoError(t, err)
	ch, err := vm.ChannelOf(&leafNow)
	require.NoError(t, err)
	require.EqualValues(t, 3, ch.Version)
	require.EqualValues(t, 1000, ch.SplitA)

	// After the deadline, the finalize pays the forced state's split.
	e.adjustTime(period * time.Second)
	e.backend.Commit()
	e.commitBatch(vm.Tx{Type: vm.TxChanFinalize, ChainID: rollupConfig.ChainID, Channel: leaf})
	require.EqualValues(t, 5000-3000+1000, e.balanceOf(1))
	require.EqualValues(t, 700-500+2500, e.balanceOf(2))
	owed, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	l2 := e.balanceOf(0) + e.balanceOf(1) + e.balanceOf(2)
	require.Equal(t, e.deposited, l2)
	require.Equal(t, new(big.Int).Add(owed, new(big.Int).SetUint64(l2*gwei)), held, "Rollup ETH = L2 balances + pending payouts")

	// L2 time may not lag L1 by more than a day: a sequencer could
	// otherwise backdate a dispute past its period.
	head, err := e.store.Head()
	require.NoError(t, err)
	e.adjustTime(25 * time.Hour)
	e.backend.Commit()
	late, proof := e.proveAt(head, head.Timestamp, nil)
	_, err = e.commit(e.seq, late, late.PublicData, proof)
	requireRevert(t, err, errID("BadTimestamp(uint64,uint64,uint256)"), "a timestamp a day behind L1")
}

// commitBatch proves txs as the next batch, commits it, and keeps its
// state.
func (e *env) commitBatch(txs ...vm.Tx) *vm.SealedBatch {
	e.t.Helper()
	sb, proof := e.prove(txs)
	r, err := e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(e.t, err)
	e.t.Logf("commitBatch gas, batch %d: %d", sb.After.BatchNumber, r.GasUsed)
	require.NoError(e.t, e.store.Commit(sb.Changes))
	return sb
}
