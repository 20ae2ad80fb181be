package sequencer_test

import (
	"context"
	"testing"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestSponsoredAdmission: a sponsored transfer is admitted and executes
// with the sponsor paying the fee; one whose sponsor did not sign, or
// cannot pay beside the fees of its transactions still waiting, is
// refused at admission with the reason.
func TestSponsoredAdmission(t *testing.T) {
	h := newHarness(t, nil, t.TempDir())
	defer h.seq.Stop(context.Background())
	h.fund(1_000)
	alice, bob, carol := h.index(h.users[0]), h.index(h.users[1]), h.index(h.users[2])
	before := h.total()
	sponsored := func(from uint32, key *vm.PrivateKey, nonce uint32, to uint32, amount, fee uint64, sponsorKey *vm.PrivateKey) *vm.Tx {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: h.cfg.VM.ChainID, From: from, To: to, Amount: amount, Fee: fee, Nonce: nonce, Sponsored: true, Sponsor: carol}
		require.NoError(t, tx.Sign(key))
		require.NoError(t, tx.SignSponsor(sponsorKey))
		return tx
	}
	// Alice moves her whole balance; Carol pays the fee.
	all := sponsored(alice, h.users[0], 0, bob, 1_000, 10, h.users[2])
	notSigned := sponsored(alice, h.users[0], 1, bob, 1, 10, h.users[0])
	hashes, errs := h.seq.SendTransactions([]*vm.Tx{all, notSigned})
	require.NoError(t, errs[0])
	require.Equal(t, all.Hash(), hashes[0])
	require.ErrorIs(t, errs[1], vm.ErrBadSignature)
	require.ErrorContains(t, errs[1], "sponsor")
	h.settle()
	require.Equal(t, sequencer.TxSequenced, h.receipt(hashes[0]).Status)

	acc := func(i uint32) vm.Account {
		a, _, err := h.seq.Account(i)
		require.NoError(t, err)
		return a
	}
	require.Zero(t, acc(alice).Balance)
	require.EqualValues(t, 2_000, acc(bob).Balance)
	require.EqualValues(t, 990, acc(carol).Balance)
	require.Equal(t, before, h.total(), "money is conserved: the fee went from the sponsor to the operator")

	// Carol now holds 990: a fee of 1,000 is refused at once, naming her.
	_, err := h.seq.SendTransaction(sponsored(bob, h.users[1], 0, alice, 5, 1_000, h.users[2]))
	require.ErrorIs(t, err, vm.ErrSponsorFunds)
	require.ErrorContains(t, err, "sponsor 3 cannot pay the fee: it has 990, the fee is 1000")

	// The fees of her transactions still waiting count: two of 400 fit
	// in 990, a third does not, and once the two execute she has 190.
	_, errs = h.seq.SendTransactions([]*vm.Tx{
		sponsored(bob, h.users[1], 0, alice, 5, 400, h.users[2]),
		sponsored(bob, h.users[1], 1, alice, 5, 400, h.users[2]),
		sponsored(bob, h.users[1], 2, alice, 5, 400, h.users[2]),
	})
	require.NoError(t, errs[0])
	require.NoError(t, errs[1])
	require.ErrorIs(t, errs[2], vm.ErrSponsorFunds)
	require.ErrorContains(t, errs[2], "it has 990, of which 800 pays for the transactions it sponsors that wait in the pool, the fee is 400")
	h.settle()
	require.EqualValues(t, 190, acc(carol).Balance)
	_, err = h.seq.SendTransaction(sponsored(bob, h.users[1], 2, alice, 5, 200, h.users[2]))
	require.ErrorContains(t, err, "it has 190, the fee is 200")
	_, err = h.seq.SendTransaction(sponsored(bob, h.users[1], 2, alice, 5, 190, h.users[2]))
	require.NoError(t, err, "what she has is free again once the held transactions ran")
	require.Equal(t, before, h.total(), "money is conserved")
}
