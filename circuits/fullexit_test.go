package circuits_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// fullExit is the next full-exit request of account from to l1Addr, signed
// by k.
func fullExit(t *testing.T, cfg vm.Config, b *vm.Batch, from uint32, k *vm.PrivateKey) vm.Tx {
	a, err := b.Account(from)
	require.NoError(t, err)
	tx := vm.Tx{Type: vm.TxFullExit, ChainID: cfg.ChainID, PriorityID: b.PriorityCount(), From: from, Nonce: a.Nonce, L1To: l1Addr}
	sig, err := k.SignElement(tx.Message())
	require.NoError(t, err)
	tx.Sig = sig
	return tx
}

// TestFullExitInCircuit: a batch of full exits (honoured, signed by
// another key, of an empty leaf) proves; a sequencer that withholds an
// honoured exit, pays out an unsigned one, passes off another key as the
// account's, or redirects the payout is caught by the circuit itself.
//
// Slots: 0-2 full exit of 1 (signed by 1: pays), 3-5 full exit of 2
// (signed by 1: pays nothing), 6-7 padding.
func TestFullExitInCircuit(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	head, err := c.store.Head()
	require.NoError(t, err)
	cfg := c.cfg
	build := func(txs ...vm.Tx) *vm.SealedBatch {
		b, err := vm.NewBatch(cfg, c.store.ReaderAt(head.BatchNumber), head)
		require.NoError(t, err)
		for i := range txs {
			require.NoError(t, b.Apply(&txs[i]))
		}
		return c.sealUncommitted(b)
	}
	b := c.batch()
	good := fullExit(t, cfg, b, 1, c.keys[1])
	bad := fullExit(t, cfg, b, 2, c.keys[1])
	bad.PriorityID++
	honest := build(good, bad)
	require.Equal(t, vm.OpFullExit, honest.Steps[0].Op)
	require.NotZero(t, honest.Steps[0].Regs.Amount)
	require.Zero(t, honest.Steps[3].Regs.Amount)

	field := ecc.BN254.ScalarField()
	witness := func(sb *vm.SealedBatch) *circuits.BatchCircuit {
		w, err := prover.Witness(cfg, sb)
		require.NoError(t, err)
		return w
	}
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), witness(honest), field), "honest full exits")

	// An exit of an empty leaf, alone, also proves (and pays nothing).
	b2 := c.batch()
	empty := fullExit(t, cfg, b2, 9, c.keys[1])
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), witness(build(empty)), field), "exit of an empty leaf")

	base := c.store.ReaderAt(head.BatchNumber)
	bal1 := honest.Steps[0].Leaves[0].Before.Balance
	// Mallory files a full exit of account 1 to herself, signed by her own
	// key: the VM pays nothing.
	mallory := key(t, "full exit mallory")
	b3 := c.batch()
	hers := fullExit(t, cfg, b3, 1, mallory)
	hersBatch := build(hers)
	require.Zero(t, hersBatch.Steps[0].Regs.Amount)

	// pays makes a full exit's three steps pay amount, the account's leaf
	// ending with balance and nonce as the circuit computes them.
	pays := func(sb *vm.SealedBatch, amount, balance uint64, nonce uint32) {
		for i := 0; i < 3; i++ {
			sb.Steps[i].Regs.Amount = amount
		}
		sb.Steps[0].Leaves[0].After.Balance, sb.Steps[0].Leaves[0].After.Nonce = balance, nonce
	}
	n1 := honest.Steps[0].Leaves[0].Before.Nonce
	cases := []soundCase{
		{"an honoured exit withheld: consumed, paying nothing", false, "slot", func() *circuits.BatchCircuit {
			// The circuit spends the nonce of an honoured request; the
			// forger pays nothing and keeps the balance.
			return forge(t, cfg, base, honest, func(sb *vm.SealedBatch) { pays(sb, 0, bal1, n1+1) })
		}},
		{"an exit another key signed pays out", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, hersBatch, func(sb *vm.SealedBatch) { pays(sb, bal1, 0, n1) })
		}},
		{"another key passed off as the account's", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, hersBatch, func(sb *vm.SealedBatch) {
				pays(sb, bal1, 0, n1+1)
				sb.Steps[0].Sig.PubKey = mallory.Public()
			})
		}},
		{"a fee charged on a full exit", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, honest, func(*vm.SealedBatch) {})
			// Fee 1 as a packed float in every step of the exit, so that
			// only the full exit's own rule can object.
			for i := 0; i < 3; i++ {
				w.Slots[i].Fee, w.Slots[i].FeeM = 1, 1
			}
			return w
		}},
	}
	runSoundCases(t, cfg, cases)
}

// TestFullExitReplayInCircuit: once a full exit has paid, the account's
// nonce has moved on, and the same request filed again (anyone can copy
// it from L1) pays nothing, though the account has been funded since. A
// sequencer that proves the replay paying the new balance is caught by
// the circuit itself.
func TestFullExitReplayInCircuit(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	cfg := c.cfg
	b := c.batch()
	first := fullExit(t, cfg, b, 1, c.keys[1])
	require.NoError(t, b.Apply(&first))
	paid := c.seal(b)
	require.Len(t, paid.Withdrawals, 1)

	b = c.batch()
	require.NoError(t, c.apply(b, c.deposit(b, 1, 777)))
	c.seal(b)

	head, err := c.store.Head()
	require.NoError(t, err)
	base := c.store.ReaderAt(head.BatchNumber)
	b = c.batch()
	replayed := first
	replayed.PriorityID = b.PriorityCount()
	require.NoError(t, b.Apply(&replayed))
	honest := c.sealUncommitted(b)
	require.Empty(t, honest.Withdrawals, "the VM pays nothing for a replay")
	acc := honest.Steps[0].Leaves[0].Before
	require.EqualValues(t, 777, acc.Balance)
	require.Equal(t, first.Nonce+1, acc.Nonce)

	field := ecc.BN254.ScalarField()
	w, err := prover.Witness(cfg, honest)
	require.NoError(t, err)
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), w, field), "the replay, consumed as a no-op, proves")
	c.requireConserved()

	runSoundCases(t, cfg, []soundCase{
		{"a replayed full exit pays the new balance", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, honest, func(sb *vm.SealedBatch) {
				for i := 0; i < 3; i++ {
					sb.Steps[i].Regs.Amount = acc.Balance
				}
				sb.Steps[0].Leaves[0].After.Balance = 0
			})
		}},
	})
}
