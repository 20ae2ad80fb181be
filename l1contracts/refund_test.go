package l1contracts_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestRollupRefundsBadKeyDeposits: deposit(key) takes any 32 bytes whose
// y is a field element, with no curve arithmetic. A key the circuit finds
// invalid (no point at y; a point outside the prime subgroup) is consumed
// by a real proven batch and paid back to its depositor, beside a valid
// deposit that is credited; the contract then holds exactly what it owes.
func TestRollupRefundsBadKeyDeposits(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	userAddr := crypto.PubkeyToAddress(e.user.PublicKey)

	d0, r0 := e.depositL2(0, 10)
	t.Logf("deposit(bytes32) gas: %d", r0.GasUsed)

	var undecodable vm.DepositKey
	for y := byte(2); ; y++ {
		undecodable[0] = y
		if circuits.NewDepositKeyWitness(undecodable).Decodes == 0 {
			break
		}
	}
	pub := l2key(t, "refund").Public()
	small := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	small.X.Neg(&small.X)
	small.Y.Neg(&small.Y) // pub + (0, −1): on the curve, of order 2ℓ
	txs := []vm.Tx{d0}
	var refunded uint64
	for i, k := range []vm.DepositKey{undecodable, small.Bytes()} {
		require.False(t, k.Valid())
		count, err := bind.Call(e.inst, nil, e.rollup.PackPrioCount(), e.rollup.UnpackPrioCount)
		require.NoError(t, err)
		amount := uint64(70 + i)
		r, err := e.send(e.user, new(big.Int).Mul(new(big.Int).SetUint64(amount), big.NewInt(gwei)), e.rollup.PackDeposit(k))
		require.NoError(t, err, "deposit to invalid key %d is accepted at the door", i)
		require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
		t.Logf("deposit(bytes32) gas, invalid key %d: %d", i, r.GasUsed)
		req := vm.PriorityRequest{ID: count, Key: k, Amount: amount, From: userAddr}
		txs = append(txs, req.Tx(rollupConfig.ChainID))
		require.Equal(t, vm.TxDepositRefund, txs[len(txs)-1].Type)
		refunded += amount
	}

	sb, proof := e.prove(txs)
	require.Len(t, sb.Withdrawals, 2)
	pendingBefore, err := bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(userAddr), e.rollup.UnpackPendingWithdrawals)
	require.NoError(t, err)
	r, err := e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	require.NoError(t, e.store.Commit(sb.Changes))
	t.Logf("commitBatch gas with two refunds: %d", r.GasUsed)

	pending, err := bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(userAddr), e.rollup.UnpackPendingWithdrawals)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).SetUint64(refunded*gwei).String(), new(big.Int).Sub(pending, pendingBefore).String(), "the depositor is owed both refunds")

	// The contract holds what it owes: the L2 balances and the claims.
	var l2 uint64
	for i := uint64(0); i < 1<<uint(rollupConfig.Depth); i++ {
		a, _, err := e.store.ReaderAt(sb.After.BatchNumber).Leaf(i)
		require.NoError(t, err)
		l2 += a.Balance
	}
	require.EqualValues(t, 10, l2, "only the valid deposit was credited")
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	total, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	require.Equal(t, held.String(), new(big.Int).Add(total, new(big.Int).SetUint64(l2*gwei)).String())
	// A refund consumed by a batch cannot be refunded again in exodus.
	_, err = e.send(e.user, nil, e.rollup.PackRefundDeposit(1))
	require.Error(t, err)
}
