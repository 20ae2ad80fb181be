package circuits_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// sponsorFixture: accounts 0..3 funded, and the application's key at 6 and
// 7 (two accounts of one key) holding appFunds each. The honest batch is
//
//	0 transfer 1→2 (fee 10, sponsor 6)   1 sponsor 6
//	2 withdraw 2→L1 (fee 20, sponsor 7)  3,4 data   5 sponsor 7
//	6 fee payout   7 noop
type sponsorFixture struct {
	c      *testChain
	head   vm.Meta
	honest *vm.SealedBatch
	txs    []vm.Tx
}

func newSponsorFixture(t *testing.T) *sponsorFixture {
	f := sponsorChain(t, 10_000)
	c := f.c
	b := c.batch()
	f.txs = []vm.Tx{
		f.sponsored(vm.Tx{Type: vm.TxTransfer, From: 1, To: 2, Amount: 1000, Fee: 10}, 6),
		f.sponsored(vm.Tx{Type: vm.TxWithdraw, From: 2, L1To: l1Addr, Amount: 500, Fee: 20}, 7),
	}
	for _, tx := range f.txs {
		require.NoError(t, c.apply(b, tx))
	}
	f.honest = c.sealUncommitted(b)
	ops := []vm.Opcode{vm.OpTransfer, vm.OpSponsor, vm.OpWithdraw, vm.OpData, vm.OpData, vm.OpSponsor, vm.OpFeePayout, vm.OpNoop}
	for i, op := range ops {
		require.Equal(t, op, f.honest.Steps[i].Op, "step %d", i)
	}
	return f
}

// sponsorChain is the fixture's state, before its batch.
func sponsorChain(t *testing.T, appFunds uint64) *sponsorFixture {
	c := newTestChain(t, testConfig)
	c.funded(4)
	b := c.batch()
	require.NoError(t, c.apply(b, c.deposit(b, 6, appFunds)))
	c.keys[7] = c.keys[6]
	require.NoError(t, c.apply(b, c.deposit(b, 7, appFunds)))
	c.seal(b)
	f := &sponsorFixture{c: c}
	var err error
	f.head, err = c.store.Head()
	require.NoError(t, err)
	return f
}

// sponsored is tx signed by its sender naming sponsor, and co-signed by
// the sponsor's key.
func (f *sponsorFixture) sponsored(tx vm.Tx, sponsor uint32) vm.Tx {
	tx.Sponsored, tx.Sponsor = true, sponsor
	tx = f.c.signed(tx)
	require.NoError(f.c.t, tx.SignSponsor(f.c.keys[sponsor]))
	return tx
}

// TestSponsoredInCircuit: sponsored transfers and withdrawals prove with
// the commitment, and the sponsors, not the senders, pay the fees.
func TestSponsoredInCircuit(t *testing.T) {
	f := newSponsorFixture(t)
	cfg := f.c.cfg
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), witnessOf(t, cfg, f.honest), ecc.BN254.ScalarField()))
	require.Equal(t, uint64(1_000_001-1000), f.honest.Steps[0].Leaves[0].After.Balance, "the sender pays the amount alone")
	require.Equal(t, uint64(10_000-10), f.honest.Steps[1].Leaves[0].After.Balance)
	require.Equal(t, uint64(10_000-20), f.honest.Steps[5].Leaves[0].After.Balance)
	require.EqualValues(t, 30, f.honest.FeeTotal)
	f.c.seal(func() *vm.Batch {
		b := f.c.batch()
		for _, tx := range f.txs {
			require.NoError(t, b.Apply(&tx))
		}
		return b
	}())
	f.c.requireConserved()
}

// TestSponsorSoundness: each rule of a sponsored transaction, broken
// alone, is refused by the circuit.
func TestSponsorSoundness(t *testing.T) {
	f := newSponsorFixture(t)
	cfg := f.c.cfg
	base := f.c.store.ReaderAt(f.head.BatchNumber)
	edit := func(e func(sb *vm.SealedBatch)) func() *circuits.BatchCircuit {
		return edit0(t, cfg, base, f.honest, e)
	}
	app := f.c.keys[6]
	mallory := key(t, "mallory")

	// The same state but for the application's accounts, which hold too
	// little: the honest batch forged onto it.
	poor := sponsorChain(t, 15)
	poorBase := poor.c.store.ReaderAt(poor.head.BatchNumber)

	other := f.txs[0]
	other.To, other.Amount = 3, 2000
	require.NoError(t, other.Sign(f.c.keys[1]))
	require.NoError(t, other.SignSponsor(app))

	runSoundCases(t, cfg, []soundCase{
		{"a sponsor that did not sign: another key's signature", false, "slot", edit(func(sb *vm.SealedBatch) {
			resignStep(t, &sb.Steps[1], sb.Steps[1].Sig.Message, mallory)
		})},
		{"a sponsor that did not sign: its key over another message", false, "slot", edit(func(sb *vm.SealedBatch) {
			resignStep(t, &sb.Steps[1], vm.HashChain(sb.Steps[1].Sig.Message), app)
		})},
		{"the sponsor's signature replayed for another transaction", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[1].Sig = &vm.SigWitness{PubKey: app.Public(), Message: other.SponsorMessage(), Sig: other.SponsorSig}
		})},
		{"the sponsor's signature replayed by another sponsor of the same key", false, "slot", edit(func(sb *vm.SealedBatch) {
			// The sender re-signs naming 7 (so only the sponsor's
			// message can refuse it), and account 7 pays with the
			// signature 6 gave.
			tx := f.txs[0]
			tx.Sponsor = 7
			require.NoError(t, tx.Sign(f.c.keys[1]))
			sb.Steps[0].Sponsor = 7
			sb.Steps[0].Sig = &vm.SigWitness{PubKey: f.c.keys[1].Public(), Message: tx.Message(), Sig: tx.Sig}
			sp := &sb.Steps[1]
			sp.Regs.Account = 7
			sp.Leaves[0].Index = 7
		})},
		{"the fee taken from the sender as well", false, "update", edit(func(sb *vm.SealedBatch) {
			sb.Steps[0].Leaves[0].After.Balance -= 10
			sb.Steps[1].Leaves[0].After.Balance += 10
		})},
		{"the fee taken from the sender instead: no sponsor named", false, "slot", edit(func(sb *vm.SealedBatch) {
			// The head claims no sponsor, so its message is not the one
			// the sender signed.
			sb.Steps[0].Sponsored, sb.Steps[0].Sponsor = false, 0
			sb.Steps[0].Leaves[0].After.Balance -= 10
			sb.Steps[1] = vm.Step{Op: vm.OpNoop, Regs: sb.Steps[0].Regs, TxIndex: -1, Leaves: [2]vm.LeafWitness{sb.Steps[7].Leaves[0], sb.Steps[7].Leaves[1]}}
		})},
		{"the sponsor's step left out", false, "slot", edit(func(sb *vm.SealedBatch) {
			// The withdrawal's head comes where the sponsor's step is owed.
			sb.Steps = append(append(sb.Steps[:1:1], sb.Steps[2:]...), sb.Steps[7])
		})},
		{"a sponsor step no head owes", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[0].Sponsored, sb.Steps[0].Sponsor = false, 0
			resignStep(t, &sb.Steps[0], func() vm.Element {
				tx := f.txs[0]
				tx.Sponsored, tx.Sponsor, tx.SponsorSig = false, 0, vm.Signature{}
				return tx.Message()
			}(), f.c.keys[1])
			// The sender pays its own fee, and the sponsor's step pays
			// it again.
			sb.Steps[0].Leaves[0].After.Balance -= 10
		})},
		{"the sponsor pays another fee than the transaction's", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[1].Regs.Fee = 20
			sb.Steps[1].Leaves[0].After.Balance -= 10
		})},
		{"a sponsor without the fee", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, poorBase, f.honest, func(sb *vm.SealedBatch) {
				sb.Before = poor.head
				sb.After.PriorityCount, sb.After.PriorityHash = poor.head.PriorityCount, poor.head.PriorityHash
			})
		}},
	})
}
