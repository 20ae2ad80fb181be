package circuits_test

import (
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/test"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// sealUncommitted seals b without committing it, so that an honest and a
// forged batch can both be built on the same head.
func (c *testChain) sealUncommitted(b *vm.Batch) *vm.SealedBatch {
	sb, err := b.Seal()
	require.NoError(c.t, err)
	return sb
}

var l1Addr = common.HexToAddress("0x1111111111111111111111111111111111111111")

// soundnessFixture is an honest batch that fills all 8 slots:
//
//	0 transfer 1→2   1 withdraw 2→L1   2,3 data   4 deposit (new account 5)
//	5 deposit (existing account 3)   6 transfer 3→1   7 fee payout
type soundnessFixture struct {
	c      *testChain
	head   vm.Meta
	honest *vm.SealedBatch
	txs    []vm.Tx
}

func newSoundnessFixture(t *testing.T) *soundnessFixture {
	c := newTestChain(t, testConfig)
	c.funded(4)
	// A first transfer from 1, so that its nonce in the batch is 1 and a
	// replay of nonce 0 can be tried.
	b := c.batch()
	require.NoError(t, c.apply(b, c.signed(vm.Tx{Type: vm.TxTransfer, From: 1, To: 3, Amount: 7})))
	c.seal(b)
	f := &soundnessFixture{c: c}
	var err error
	f.head, err = c.store.Head()
	require.NoError(t, err)
	b = c.batch()
	f.txs = []vm.Tx{
		c.signed(vm.Tx{Type: vm.TxTransfer, From: 1, To: 2, Amount: 1000, Fee: 10}),
		c.signed(vm.Tx{Type: vm.TxWithdraw, From: 2, L1To: l1Addr, Amount: 5000, Fee: 20}),
	}
	f.txs = append(f.txs, c.deposit(b, 5, 300))
	d2 := c.deposit(b, 3, 400)
	d2.PriorityID++
	f.txs = append(f.txs, d2, c.signed(vm.Tx{Type: vm.TxTransfer, From: 3, To: 1, Amount: 50, Fee: 1}))
	for _, tx := range f.txs {
		require.NoError(t, c.apply(b, tx))
	}
	f.honest = c.sealUncommitted(b)
	require.Len(t, f.honest.Steps, 8)
	require.Equal(t, vm.OpFeePayout, f.honest.Steps[7].Op)
	return f
}

func (f *soundnessFixture) witness() *circuits.BatchCircuit {
	w, err := prover.Witness(f.c.cfg, f.honest)
	require.NoError(f.c.t, err)
	return w
}

// resign replaces slot's signature with key's signature of tx.
func resign(t testing.TB, s *circuits.Slot, tx vm.Tx, k *vm.PrivateKey) {
	require.NoError(t, tx.Sign(k))
	var r twistededwards.PointAffine
	_, err := r.SetBytes(tx.Sig[:32])
	require.NoError(t, err)
	pub := k.Public()
	s.SigPubX, s.SigPubY, s.SigRX, s.SigRY = pub.X, pub.Y, r.X, r.Y
	s.SigS = new(big.Int).SetBytes(tx.Sig[32:])
}

func asElement(v any) *vm.Element {
	e, ok := v.(vm.Element)
	if !ok {
		panic("witness value is not a field element")
	}
	return &e
}

// failedIn names the part of the circuit whose assertion failed: a slot's
// rules ("slot"), a leaf path ("update"), or the batch-wide checks ("Define").
func failedIn(err error) string {
	for _, line := range strings.Split(err.Error(), "\n") {
		for _, fn := range []string{"(*batchAPI).update", "(*batchAPI).slot", "(*BatchCircuit).Define"} {
			if strings.Contains(line, fn) {
				return fn[strings.Index(fn, ".")+1:]
			}
		}
	}
	return "unknown: " + err.Error()
}

// TestSoundness mutates an honest witness so that it breaks one rule and
// checks that the circuit rejects it, and where. Most cases run without
// the commitment check, as an adversary who also writes the public data
// would: the rule itself, not the commitment, must catch them.
func TestSoundness(t *testing.T) {
	f := newSoundnessFixture(t)
	cfg := f.c.cfg
	field := ecc.BN254.ScalarField()
	unbound := circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth)
	bound := circuits.NewBatchCircuit(cfg.Slots, cfg.Depth)

	// The honest witness solves both.
	require.NoError(t, test.IsSolved(bound, f.witness(), field))
	require.NoError(t, test.IsSolved(unbound, f.witness(), field))

	// forged builds a batch from the same head with other transactions, as
	// a dishonest sequencer would, and keeps the L1's view of the queue.
	forged := func(txs ...vm.Tx) *circuits.BatchCircuit {
		b, err := vm.NewBatch(cfg, f.c.store.ReaderAt(f.head.BatchNumber), f.head)
		require.NoError(t, err)
		for i := range txs {
			require.NoError(t, b.Apply(&txs[i]))
		}
		sb := f.c.sealUncommitted(b)
		w, err := prover.Witness(cfg, sb)
		require.NoError(t, err)
		w.PrioCountAfter, w.PrioHashAfter = f.honest.After.PriorityCount, f.honest.After.PriorityHash
		return w
	}
	depA, depB := f.txs[2], f.txs[3]

	cases := []struct {
		name   string
		bound  bool
		where  string
		mutate func(w *circuits.BatchCircuit) *circuits.BatchCircuit
	}{
		{"bad signature", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[0].SigS = new(big.Int).Add(w.Slots[0].SigS.(*big.Int), big.NewInt(1))
			return w
		}},
		{"signature by the wrong key", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			resign(t, &w.Slots[0], f.txs[0], f.c.keys[3])
			return w
		}},
		{"wrong nonce", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			tx := f.txs[0]
			tx.Nonce++
			resign(t, &w.Slots[0], tx, f.c.keys[1])
			w.Slots[0].Nonce = tx.Nonce
			return w
		}},
		{"reused nonce", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			tx := f.txs[0]
			tx.Nonce--
			resign(t, &w.Slots[0], tx, f.c.keys[1])
			w.Slots[0].Nonce = tx.Nonce
			return w
		}},
		{"overdrawn balance", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			tx := f.txs[1]
			tx.Amount = w.Slots[1].A.Balance.(uint64) // plus the fee: one short
			resign(t, &w.Slots[1], tx, f.c.keys[2])
			for _, i := range []int{1, 2, 3} {
				w.Slots[i].Amount = tx.Amount
			}
			return w
		}},
		{"amount beyond 64 bits", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[4].Amount = new(big.Int).Lsh(big.NewInt(1), 64)
			return w
		}},
		{"balance overflow", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[5].Amount = uint64(1<<64 - 1) // onto account 3's balance
			return w
		}},
		{"zero amount", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[4].Amount = 0
			return w
		}},
		{"deposit into another key's account", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			k := f.c.keys[1].Public()
			w.Slots[5].PubX, w.Slots[5].PubY = k.X, k.Y
			return w
		}},
		{"deposit key outside the subgroup", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			// Adding the order-2 point (0, -1) maps (x, y) to (-x, -y).
			var x, y vm.Element
			x.Neg(asElement(w.Slots[4].PubX))
			y.Neg(asElement(w.Slots[4].PubY))
			w.Slots[4].PubX, w.Slots[4].PubY = x, y
			return w
		}},
		{"wrong old leaf", false, "update", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[0].A.Balance = w.Slots[0].A.Balance.(uint64) + 1
			return w
		}},
		{"wrong sibling", false, "update", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[0].B.Siblings[1] = 12345
			return w
		}},
		{"recipient is another account", false, "update", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[0].B.Index = 3
			w.Slots[0].Target = 3
			return w
		}},
		{"wrong new root", false, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.NewRoot = 7
			return w
		}},
		{"registers disagree between steps", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[3].Amount = w.Slots[3].Amount.(uint64) + 1
			return w
		}},
		{"stray continuation step", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[4].Op = uint8(vm.OpData)
			return w
		}},
		{"unknown opcode", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[4].Op = 9
			return w
		}},
		{"fee credited to someone else", false, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Slots[7].Account, w.Slots[7].A.Index = 1, 1
			return w
		}},
		{"fee not credited", false, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			// The payout slot becomes padding, its second leaf witness the
			// untouched operator leaf, so every path stays consistent.
			w.Slots[7].Op = uint8(vm.OpNoop)
			w.Slots[7].B = w.Slots[7].A
			return w
		}},
		{"skipped deposit", false, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			d := depB
			d.PriorityID = depA.PriorityID
			return forged(f.txs[0], f.txs[1], d, f.txs[4])
		}},
		{"reordered deposits", false, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			a, b := depB, depA
			a.PriorityID, b.PriorityID = depA.PriorityID, depB.PriorityID
			return forged(f.txs[0], f.txs[1], a, b, f.txs[4])
		}},
		{"changed public-data byte", true, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			pd := append([]byte{}, f.honest.PublicData...)
			pd[9] ^= 1 // the transfer's amount
			w.Commitment = vm.BatchCommitment(cfg.ChainID, cfg.Operator, f.honest.Before, f.honest.After, pd)
			return w
		}},
		{"changed public input", true, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			var one, c vm.Element
			one.SetOne()
			c = f.honest.Commitment(cfg.Operator)
			c.Add(&c, &one)
			w.Commitment = c
			return w
		}},
		{"changed timestamp", true, "Define", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.Timestamp = f.honest.After.Timestamp + 1
			return w
		}},
		// The signatures bind the chain id before the commitment does.
		{"changed chain id", true, "slot", func(w *circuits.BatchCircuit) *circuits.BatchCircuit {
			w.ChainID = cfg.ChainID + 1
			return w
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shape := unbound
			if tc.bound {
				shape = bound
			}
			err := test.IsSolved(shape, tc.mutate(f.witness()), field)
			require.Error(t, err, "the circuit must reject: %s", tc.name)
			require.Equal(t, tc.where, failedIn(err), "rejected by the wrong check: %v", err)
		})
	}
}
