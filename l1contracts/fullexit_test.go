package l1contracts_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestRollupFullExit: a full-exit request enters the priority queue with
// the same hash the VM computes; requests the circuit could not process
// are refused at the door; the batch that consumes an honoured and an
// unsigned request proves, commits and pays exactly the account's balance
// to the requested address, and nothing for the other.
func TestRollupFullExit(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	d0, _ := e.depositL2(0, 10)
	d1, _ := e.depositL2(1, 5000)
	d2, _ := e.depositL2(2, 700)
	sb, proof := e.prove([]vm.Tx{d0, d1, d2})
	_, err := e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb.Changes))

	alice := common.HexToAddress("0xa11ce")
	request := func(account uint32, to common.Address, k *vm.PrivateKey) (vm.Tx, error) {
		head, err := e.store.Head()
		require.NoError(t, err)
		acc, _, err := e.store.ReaderAt(head.BatchNumber).Leaf(uint64(account))
		require.NoError(t, err)
		tx := vm.Tx{Type: vm.TxFullExit, ChainID: rollupConfig.ChainID, From: account, Nonce: acc.Nonce, L1To: to}
		sig, err := k.SignElement(tx.Message())
		require.NoError(t, err)
		tx.Sig = sig
		count, err := bind.Call(e.inst, nil, e.rollup.PackPrioCount(), e.rollup.UnpackPrioCount)
		require.NoError(t, err)
		tx.PriorityID = count
		rx, ry, s := sig.Parts()
		r, err := e.send(e.user, nil, e.rollup.PackRequestFullExit(account, tx.Nonce, to, rx.BigInt(new(big.Int)), ry.BigInt(new(big.Int)), s.BigInt(new(big.Int))))
		if err == nil {
			t.Logf("requestFullExit gas: %d", r.GasUsed)
		}
		return tx, err
	}
	raw := func(account uint32, to common.Address, rx, ry, s *big.Int) error {
		_, err := e.send(e.user, nil, e.rollup.PackRequestFullExit(account, 0, to, rx, ry, s))
		return err
	}

	// Requests the circuit could not process never enter the queue.
	good, err := request(1, alice, e.l2keys[1])
	require.NoError(t, err)
	grx, gry, gs := good.Sig.Parts()
	order, _ := new(big.Int).SetString("2736030358979909402780800718157159386076813972158567259200215660948447373041", 10)
	requireRevert(t, raw(16, alice, grx.BigInt(new(big.Int)), gry.BigInt(new(big.Int)), gs.BigInt(new(big.Int))), errID("AccountOutOfRange(uint32,uint8)"), "an account beyond the tree")
	requireRevert(t, raw(1, alice, grx.BigInt(new(big.Int)), gry.BigInt(new(big.Int)), order), errID("InvalidSignature()"), "S not below the order")
	requireRevert(t, raw(1, alice, big.NewInt(1), big.NewInt(2), gs.BigInt(new(big.Int))), errID("InvalidSignature()"), "R off the curve")
	requireRevert(t, raw(1, common.Address{}, grx.BigInt(new(big.Int)), gry.BigInt(new(big.Int)), gs.BigInt(new(big.Int))), errID("ZeroAddress()"), "no recipient")

	// The queue hash is the VM's.
	prev := e.call(e.rollup.PackPrioHashes(big.NewInt(int64(good.PriorityID))))
	var prevE vm.Element
	prevE.SetBigInt(prev)
	want := vm.FullExitPriorityHash(prevE, 1, good.Nonce, alice, good.Sig)
	require.Equal(t, want.BigInt(new(big.Int)), e.call(e.rollup.PackPrioHashes(big.NewInt(int64(good.PriorityID+1)))))

	// Mallory asks for account 2's balance with her own key: queued, and
	// consumed as a no-op.
	bad, err := request(2, alice, l2key(t, "mallory"))
	require.NoError(t, err)

	for _, tx := range []vm.Tx{good, bad} { // one 3-step exit per 4-slot batch
		sb, proof = e.prove([]vm.Tx{tx})
		r, err := e.commit(e.seq, sb, sb.PublicData, proof)
		require.NoError(t, err)
		t.Logf("commitBatch gas with a full exit: %d", r.GasUsed)
		require.NoError(t, e.store.Commit(sb.Changes))
	}
	require.Zero(t, e.balanceOf(1))
	require.EqualValues(t, 700, e.balanceOf(2), "an unsigned request takes nothing")
	require.Equal(t, new(big.Int).SetUint64(5000*gwei), e.pending(alice))

	owed, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	l2 := e.balanceOf(0) + e.balanceOf(1) + e.balanceOf(2)
	require.Equal(t, new(big.Int).Add(owed, new(big.Int).SetUint64(l2*gwei)), held, "Rollup ETH = L2 balances + pending payouts")
	require.Equal(t, e.deposited, l2+5000)

	// Account 1 is funded again, and anyone files alice's old request
	// again from the public L1 log: it names a spent nonce, so the batch
	// that consumes it pays nothing, and the new funds stay on L2.
	d1again, _ := e.depositL2(1, 777)
	replayed := good
	count, err := bind.Call(e.inst, nil, e.rollup.PackPrioCount(), e.rollup.UnpackPrioCount)
	require.NoError(t, err)
	replayed.PriorityID = count // the deposit is request count-1
	_, err = e.send(e.user, nil, e.rollup.PackRequestFullExit(1, good.Nonce, alice, grx.BigInt(new(big.Int)), gry.BigInt(new(big.Int)), gs.BigInt(new(big.Int))))
	require.NoError(t, err)
	sb, proof = e.prove([]vm.Tx{d1again})
	_, err = e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb.Changes))
	sb, proof = e.prove([]vm.Tx{replayed})
	require.Empty(t, sb.Withdrawals, "a replayed request pays nothing")
	_, err = e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err, "the batch consuming the replay proves and commits")
	require.NoError(t, e.store.Commit(sb.Changes))
	require.EqualValues(t, 777, e.balanceOf(1), "the new funds stay on L2")
	require.Equal(t, new(big.Int).SetUint64(5000*gwei), e.pending(alice), "nothing more is owed to alice")
	owed, err = bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	held, err = e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	l2 = e.balanceOf(0) + e.balanceOf(1) + e.balanceOf(2)
	require.Equal(t, new(big.Int).Add(owed, new(big.Int).SetUint64(l2*gwei)), held, "Rollup ETH = L2 balances + pending payouts")
}
