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
	tx := vm.Tx{Type: vm.TxFullExit, ChainID: cfg.ChainID, PriorityID: b.PriorityCount(), From: from, L1To: l1Addr}
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

	unbound := circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth)
	// Mallory files a full exit of account 1 to herself, signed by her own
	// key: the VM pays nothing.
	mallory := key(t, "full exit mallory")
	b3 := c.batch()
	hers := fullExit(t, cfg, b3, 1, mallory)
	hersBatch := build(hers)
	require.Zero(t, hersBatch.Steps[0].Regs.Amount)

	// Each forged witness keeps every leaf path consistent, so the rule
	// under test is what must catch it.
	setSig := func(sl *circuits.Slot, sig vm.Signature) {
		rx, ry, sc := sig.Parts()
		sl.SigRX, sl.SigRY, sl.SigS = rx, ry, sc
	}
	mallorysSig := func() vm.Signature {
		sig, err := mallory.SignElement(good.Message())
		require.NoError(t, err)
		return sig
	}
	cases := []struct {
		name  string
		where string
		w     func() *circuits.BatchCircuit
	}{
		{"an honoured exit withheld", "slot", func() *circuits.BatchCircuit {
			// Mallory's request paid nothing; with the owner's signature
			// in its place, nothing is too little.
			w := witness(hersBatch)
			setSig(&w.Slots[0], good.Sig)
			return w
		}},
		{"an honoured exit voided by a non-zero nonce", "slot", func() *circuits.BatchCircuit {
			// A nonce the owner did not sign would make the signature
			// fail and excuse the payout: a full exit signs nonce 0.
			w := witness(hersBatch)
			setSig(&w.Slots[0], good.Sig)
			w.Slots[0].Nonce = 1
			return w
		}},
		{"an exit the owner did not sign paid out", "slot", func() *circuits.BatchCircuit {
			w := witness(honest)
			setSig(&w.Slots[0], mallorysSig())
			return w
		}},
		{"another key passed off as the account's", "slot", func() *circuits.BatchCircuit {
			w := witness(honest)
			pub := mallory.Public()
			w.Slots[0].SigPubX, w.Slots[0].SigPubY = pub.X, pub.Y
			setSig(&w.Slots[0], mallorysSig())
			return w
		}},
		{"a payout redirected to another address", "slot", func() *circuits.BatchCircuit {
			// The owner signed the recipient: another one voids the
			// signature, and an unsigned exit pays nothing.
			w := witness(honest)
			for i := 0; i < 3; i++ {
				w.Slots[i].Target = 0xbad
			}
			return w
		}},
		{"a fee charged on a full exit", "slot", func() *circuits.BatchCircuit {
			w := witness(honest)
			// (Fee 1 as a packed float in every step of the exit, so
			// that only the full exit's own rule can object.)
			for i := 0; i < 3; i++ {
				w.Slots[i].Fee, w.Slots[i].FeeM = 1, 1
			}
			return w
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := test.IsSolved(unbound, tc.w(), field)
			require.Error(t, err)
			require.Equal(t, tc.where, failedIn(err))
		})
	}
}
