package l1contracts_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// exodusDelay is the test Rollup's deadline for priority requests, in L1
// blocks.
const exodusDelay = 5

func errID(sig string) common.Hash { return crypto.Keccak256Hash([]byte(sig)) }

// exitProof proves account's exit of its whole balance to `to`, from the
// env's committed state.
func (e *env) exitProof(account uint32, to common.Address) []byte {
	head, err := e.store.Head()
	require.NoError(e.t, err)
	tree, err := vm.NewTree(rollupConfig.Depth, e.store.ReaderAt(head.BatchNumber))
	require.NoError(e.t, err)
	acc, err := tree.Get(uint64(account))
	require.NoError(e.t, err)
	sibs, err := tree.Proof(uint64(account))
	require.NoError(e.t, err)
	sig, err := vm.SignExit(e.l2keys[account], rollupConfig.ChainID, account, to)
	require.NoError(e.t, err)
	claim := vm.Exit{ChainID: rollupConfig.ChainID, Root: head.Root, Account: account, Balance: acc.Balance, Recipient: to}
	p, err := prover.ProveExit(e.exitKeys, claim, prover.ExitWitness{Account: acc, Siblings: sibs, Sig: sig})
	require.NoError(e.t, err)
	raw, err := p.SolidityBytes()
	require.NoError(e.t, err)
	return raw
}

func (e *env) balanceOf(account uint32) uint64 {
	head, err := e.store.Head()
	require.NoError(e.t, err)
	a, ok, err := e.store.ReaderAt(head.BatchNumber).Leaf(uint64(account))
	require.NoError(e.t, err)
	if !ok {
		return 0
	}
	return a.Balance
}

func (e *env) pending(to common.Address) *big.Int {
	v, err := bind.Call(e.inst, nil, e.rollup.PackPendingWithdrawals(to), e.rollup.UnpackPendingWithdrawals)
	require.NoError(e.t, err)
	return v
}

// TestRollupExodus: the sequencer stops with a deposit unprocessed; before
// the deadline nobody can start exodus, after it anyone can; batches and
// deposits then stop; each account exits once with its exact balance,
// proven by the exit circuit and signed by its own key; the unprocessed
// deposit is refunded to its depositor; and the contract's ETH is always
// what it owes.
func TestRollupExodus(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()

	// Three accounts, a transfer, all verified.
	d0, _ := e.depositL2(0, 10)
	d1, _ := e.depositL2(1, 5000)
	d2, _ := e.depositL2(2, 3000)
	sb, proof := e.prove([]vm.Tx{d0, d1, d2})
	_, err := e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb.Changes))
	tr := vm.Tx{Type: vm.TxTransfer, ChainID: rollupConfig.ChainID, From: 1, To: 2, Amount: 1000, Fee: 1}
	require.NoError(t, tr.Sign(e.l2keys[1]))
	sb, proof = e.prove([]vm.Tx{tr})
	_, err = e.commit(e.seq, sb, sb.PublicData, proof)
	require.NoError(t, err)
	require.NoError(t, e.store.Commit(sb.Changes))

	// Then the sequencer stops, with one more deposit in the queue.
	d3, _ := e.depositL2(3, 700)
	alice, bob := common.HexToAddress("0xa11ce"), common.HexToAddress("0xb0b")
	proofA := e.exitProof(1, alice)
	_, err = e.send(e.user, nil, e.rollup.PackExit(1, e.balanceOf(1), alice, proofA))
	requireRevert(t, err, errID("NotInExodus()"), "an exit before exodus")
	_, err = e.send(e.user, nil, e.rollup.PackActivateExodus())
	requireRevert(t, err, errID("NoExpiredRequest(uint64,uint256)"), "exodus before the deadline")

	// (Gas estimation runs against the head, so the head itself must be
	// past the deadline.)
	for i := 0; i < exodusDelay+1; i++ {
		e.backend.Commit()
	}
	r, err := e.send(e.user, nil, e.rollup.PackActivateExodus())
	require.NoError(t, err, "anyone activates exodus once a request expired")
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	_, err = e.send(e.user, nil, e.rollup.PackActivateExodus())
	requireRevert(t, err, errID("ExodusActive()"), "exodus twice")

	// Batches and deposits stop.
	sb, proof = e.prove([]vm.Tx{d3})
	_, err = e.commit(e.seq, sb, sb.PublicData, proof)
	requireRevert(t, err, errID("ExodusActive()"), "a batch in exodus")
	pub := d3.PubKey
	_, err = e.send(e.user, big.NewInt(gwei), e.rollup.PackDeposit(vm.DepositKeyOf(pub)))
	requireRevert(t, err, errID("ExodusActive()"), "a deposit in exodus")

	// Exits: a wrong balance fails; the right one pays; a second does not.
	balA, balB := e.balanceOf(1), e.balanceOf(2)
	require.EqualValues(t, 3999, balA)
	_, err = e.send(e.user, nil, e.rollup.PackExit(1, balA+1, alice, proofA))
	require.Error(t, err, "an exit claiming more than the balance")
	_, err = e.send(e.user, nil, e.rollup.PackExit(1, balA, bob, proofA))
	require.Error(t, err, "an exit redirected to another address")
	r, err = e.send(e.user, nil, e.rollup.PackExit(1, balA, alice, proofA))
	require.NoError(t, err)
	t.Logf("exit gas: %d", r.GasUsed)
	require.Equal(t, new(big.Int).SetUint64(balA*gwei), e.pending(alice))
	_, err = e.send(e.user, nil, e.rollup.PackExit(1, balA, alice, proofA))
	requireRevert(t, err, errID("AlreadyExited(uint32)"), "a second exit")
	_, err = e.send(e.user, nil, e.rollup.PackExit(2, balB, bob, e.exitProof(2, bob)))
	require.NoError(t, err)
	require.Equal(t, new(big.Int).SetUint64(balB*gwei), e.pending(bob))

	// Refunds: the unprocessed deposit goes back to its depositor, once;
	// a consumed one is not refundable.
	user := crypto.PubkeyToAddress(e.user.PublicKey)
	_, err = e.send(e.owner, nil, e.rollup.PackRefundDeposit(3))
	require.NoError(t, err)
	require.Equal(t, new(big.Int).SetUint64(700*gwei), e.pending(user))
	_, err = e.send(e.owner, nil, e.rollup.PackRefundDeposit(3))
	requireRevert(t, err, errID("NotRefundable(uint64)"), "a second refund")
	_, err = e.send(e.owner, nil, e.rollup.PackRefundDeposit(1))
	requireRevert(t, err, errID("NotRefundable(uint64)"), "refund of a consumed deposit")

	// Money: the contract holds what it owes (pending payouts) plus the
	// balances not yet exited (the operator's), and everything deposited
	// is accounted for.
	owed, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	notExited := e.balanceOf(0)
	require.Equal(t, new(big.Int).Add(owed, new(big.Int).SetUint64(notExited*gwei)), held)
	require.Equal(t, e.deposited, balA+balB+700+notExited)

	// And the payouts are claimable.
	_, err = e.send(e.user, nil, e.rollup.PackWithdraw())
	require.NoError(t, err)
	require.Zero(t, e.pending(user).Sign())
}
