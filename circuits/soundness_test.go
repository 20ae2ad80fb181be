package circuits_test

import (
	"math"
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

// TestSoundness forges batches as a dishonest sequencer would, each
// breaking one rule of the batch circuit and nothing else (see forge), and
// checks that the circuit rejects each, and where. `make mutate` deletes
// each assertion in turn and checks that some case here then goes through.
// Most cases run without the commitment check, as an adversary who also
// writes the public data would: the rule itself, not the commitment, must
// catch them.
func TestSoundness(t *testing.T) {
	f := newSoundnessFixture(t)
	cfg := f.c.cfg
	field := ecc.BN254.ScalarField()
	base := f.c.store.ReaderAt(f.head.BatchNumber)

	// The honest witness solves both shapes.
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), f.witness(), field))
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth), f.witness(), field))

	// forged builds a batch from the same head with other transactions,
	// as a dishonest sequencer would, and keeps the L1's view of the queue.
	forged := func(txs ...vm.Tx) *circuits.BatchCircuit {
		b, err := vm.NewBatch(cfg, base, f.head)
		require.NoError(t, err)
		for i := range txs {
			require.NoError(t, b.Apply(&txs[i]))
		}
		w, err := prover.Witness(cfg, f.c.sealUncommitted(b))
		require.NoError(t, err)
		w.PrioCountAfter, w.PrioHashAfter = f.honest.After.PriorityCount, f.honest.After.PriorityHash
		return w
	}
	edit := func(e func(sb *vm.SealedBatch)) func() *circuits.BatchCircuit {
		return edit0(t, cfg, base, f.honest, e)
	}
	// transfer0 is slot 0's transfer (1→2, 1000, fee 10) with changes,
	// signed by account 1 as the step's new signature.
	transfer0 := func(sb *vm.SealedBatch, change func(tx *vm.Tx)) vm.Tx {
		tx := f.txs[0]
		change(&tx)
		tx.Sig = vm.Signature{}
		resignStep(t, &sb.Steps[0], tx.Message(), f.c.keys[1])
		sb.Steps[0].Regs.Amount = tx.Amount
		return tx
	}
	// queueWith is the queue hash L1 holds after the head's and these
	// deposits.
	queueWith := func(deps ...vm.Tx) vm.Element {
		h := f.head.PriorityHash
		for _, d := range deps {
			h = vm.PriorityHash(h, d.Amount, vm.DepositKeyOf(d.PubKey))
		}
		return h
	}
	depA, depB := f.txs[2], f.txs[3]
	// oddKeyDeposit makes slot 4 a deposit of (x, −y) for depA's (x, y):
	// on the curve, outside the prime subgroup, and in L1's queue.
	oddKeyDeposit := func() *circuits.BatchCircuit {
		odd := depA.PubKey
		odd.Y.Neg(&depA.PubKey.Y)
		dep := depA
		dep.PubKey = odd
		return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
			sb.Steps[4].Leaves[0].After.PubKey = odd
			sb.Steps[4].DepositKey = vm.DepositKeyOf(odd)
			sb.After.PriorityHash = queueWith(dep, depB)
		})
	}
	bal1 := f.honest.Steps[0].Leaves[0].Before.Balance
	nonce1 := f.honest.Steps[0].Leaves[0].Before.Nonce
	require.Less(t, bal1, uint64(2_000_000))
	require.EqualValues(t, 1, nonce1, "account 1 has signed once before the batch")

	cases := []soundCase{
		// Signatures.
		{"bad signature", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Slots[0].SigS = new(big.Int).Add(w.Slots[0].SigS.(*big.Int), big.NewInt(1))
			return w
		}},
		{"signature by the wrong key", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			resign(t, &w.Slots[0], f.txs[0], f.c.keys[3])
			return w
		}},
		{"nonce ahead of the account's", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			tx := f.txs[0]
			tx.Nonce++
			resign(t, &w.Slots[0], tx, f.c.keys[1])
			w.Slots[0].Nonce = tx.Nonce
			return w
		}},
		{"a spent nonce replayed", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			tx := f.txs[0]
			tx.Nonce--
			resign(t, &w.Slots[0], tx, f.c.keys[1])
			w.Slots[0].Nonce = tx.Nonce
			return w
		}},
		// Leaf reads: a leaf's packed state (kind·2^96 + nonce·2^64 +
		// balance) read another way hashes the same.
		{"a spent nonce replayed on a leaf read as nonce n-1 and balance b+2^64 overspends", false, "slot", func() *circuits.BatchCircuit {
			const amount = 2_000_000
			w := forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				transfer0(sb, func(tx *vm.Tx) { tx.Nonce, tx.Amount = nonce1-1, amount })
				sb.Steps[0].Leaves[0].After.Balance = bal1 - amount - 10 // wraps: b + 2^64 − amount − fee
				sb.Steps[0].Leaves[0].After.Nonce = nonce1
				sb.Steps[0].Leaves[1].After.Balance += amount - 1000
			})
			w.Slots[0].A.Nonce, w.Slots[0].A.Balance, w.Slots[0].Nonce = nonce1-1, plus2to64(bal1), nonce1-1
			return w
		}},
		{"an overdraft leaving 2^64 − x, read back as nonce n and balance 2^64 − x", false, "slot", edit(func(sb *vm.SealedBatch) {
			const amount = 2_000_000
			transfer0(sb, func(tx *vm.Tx) { tx.Amount = amount })
			// The circuit's new leaf: nonce n+1 and balance b − amount −
			// fee < 0, which packs as nonce n and balance 2^64 + (b −
			// amount − fee).
			sb.Steps[0].Leaves[0].After.Balance = bal1 - amount - 10
			sb.Steps[0].Leaves[0].After.Nonce = nonce1
			sb.Steps[0].Leaves[1].After.Balance += amount - 1000
		})},
		{"a transfer out of an empty leaf with a made-up key and balance", false, "slot", edit(func(sb *vm.SealedBatch) {
			// An empty leaf hashes to 0 whatever its other fields say.
			mallory := key(t, "soundness mallory")
			st := &sb.Steps[0]
			st.Regs.Account = 9
			st.Leaves[0] = vm.LeafWitness{Index: 9,
				Before: vm.Account{PubKey: mallory.Public(), Balance: 1_000_000},
				After:  vm.Account{PubKey: mallory.Public(), Balance: 1_000_000 - 1000 - 10, Nonce: 1}}
			tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: 9, To: 2, Amount: 1000, Fee: 10}
			resignStep(t, st, tx.Message(), mallory)
		})},
		{"a leaf read with a made-up balance, every later path consistent", false, "update", func() *circuits.BatchCircuit {
			// The new leaf and every later path follow from the made-up
			// read; only the old leaf's path check can object.
			w := forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				sb.Steps[0].Leaves[0].After.Balance += 1_000_000
			})
			w.Slots[0].A.Balance = bal1 + 1_000_000
			return w
		}},
		// Amounts.
		{"a zero-amount transfer", false, "slot", edit(func(sb *vm.SealedBatch) {
			transfer0(sb, func(tx *vm.Tx) { tx.Amount = 0 })
			sb.Steps[0].Leaves[0].After.Balance += 1000
			sb.Steps[0].Leaves[1].After.Balance -= 1000
		})},
		{"a transfer publishes another amount than it moves", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Slots[0].AmountM = 999 // 999×10^0: canonical, and not the 1000 moved
			return w
		}},
		{"a transfer publishes another fee than it charges", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Slots[0].FeeM = 11
			return w
		}},
		// Where money goes.
		{"a transfer signed to account 2 credits account 3", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[0].Leaves[1].Index = 3
		})},
		{"a transfer to oneself", false, "slot", edit(func(sb *vm.SealedBatch) {
			transfer0(sb, func(tx *vm.Tx) { tx.To = 1 })
			sb.Steps[0].Regs.Target = vm.Element{}
			sb.Steps[0].Regs.Target.SetUint64(1)
			sb.Steps[0].Leaves[1].Index = 1
		})},
		{"a transfer to an empty leaf burns the amount", false, "slot", edit(func(sb *vm.SealedBatch) {
			// An empty leaf hashes to 0 whatever it is credited.
			transfer0(sb, func(tx *vm.Tx) { tx.To = 9 })
			sb.Steps[0].Regs.Target = vm.Element{}
			sb.Steps[0].Regs.Target.SetUint64(9)
			sb.Steps[0].Leaves[1].Index = 9
		})},
		{"a withdrawal to the zero address", false, "slot", edit(func(sb *vm.SealedBatch) {
			tx := f.txs[1]
			tx.L1To = common.Address{}
			resignStep(t, &sb.Steps[1], tx.Message(), f.c.keys[2])
			for i := 1; i <= 3; i++ {
				sb.Steps[i].Regs.Target = vm.Element{}
			}
		})},
		{"the fee payout credits another account than its record names", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[7].Leaves[0].Index = 1
		})},
		{"the fees paid to another account than the operator", false, "slot", edit(func(sb *vm.SealedBatch) {
			sb.Steps[7].Leaves[0].Index = 1
			sb.Steps[7].Regs.Account = 1
		})},
		{"fees debited and never credited", false, "Define", edit(func(sb *vm.SealedBatch) {
			st := &sb.Steps[7]
			st.Op = vm.OpNoop
			st.Leaves[0].After = st.Leaves[0].Before
		})},
		// Deposits.
		{"a deposit with the key's negation (same Y) takes account 2 over", false, "slot", func() *circuits.BatchCircuit {
			acc2, _, err := base.Leaf(2)
			require.NoError(t, err)
			neg := negated(acc2.PubKey)
			dep := depB
			dep.PubKey = neg
			return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				st := &sb.Steps[5]
				st.Regs.Account = 2
				st.Leaves[0].Index = 2
				st.Leaves[0].After.PubKey = neg
				st.DepositKey = vm.DepositKeyOf(neg)
				sb.After.PriorityHash = queueWith(depA, dep)
			})
		}},
		{"a deposit key outside the prime subgroup, (x, −y)", false, "slot", oddKeyDeposit},
		{"a deposit key outside the prime subgroup, (x, −y), claimed without torsion", false, "slot", func() *circuits.BatchCircuit {
			w := oddKeyDeposit()
			// Q with [8]Q = (x, y): its X matches, its Y does not.
			q := depA.PubKey.SubgroupWitness()
			w.Slots[4].PubQX, w.Slots[4].PubQY, w.Slots[4].KeyTorsion = q.X, q.Y, 0
			return w
		}},
		{"a deposit of the identity key, which anyone can sign for", false, "slot", func() *circuits.BatchCircuit {
			var id vm.PublicKey
			id.Y.SetOne()
			dep := depA
			dep.PubKey = id
			return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				sb.Steps[4].Leaves[0].After.PubKey = id
				sb.Steps[4].DepositKey = vm.DepositKeyOf(id)
				sb.After.PriorityHash = queueWith(dep, depB)
			})
		}},
		{"a deposit creating account 5 under Mallory's key, the request's key in the queue", false, "slot", func() *circuits.BatchCircuit {
			mallory := key(t, "soundness mallory").Public()
			// The step's deposit key stays the request's, as the queue hash
			// needs; the new leaf's key comes from the witness's leaf A.
			return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				sb.Steps[4].Leaves[0].After.PubKey = mallory
			})
		}},
		{"a deposit creating account 5 under the request's X and another Y", false, "slot", func() *circuits.BatchCircuit {
			odd := depA.PubKey
			odd.Y.Neg(&depA.PubKey.Y)
			return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				sb.Steps[4].Leaves[0].After.PubKey = odd
			})
		}},
		{"a deposit between a withdrawal and its data records", false, "slot", func() *circuits.BatchCircuit {
			// The deposit repeats the withdrawal's registers (a deposit's
			// fee and target are free), so the data records still match.
			wd := f.honest.Steps[1]
			acc2, _, err := base.Leaf(2)
			require.NoError(t, err)
			dep := vm.Tx{Type: vm.TxDeposit, PubKey: acc2.PubKey, Amount: wd.Regs.Amount}
			return forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				st := vm.Step{Op: vm.OpDeposit, Regs: wd.Regs, TxIndex: 2, DepositKey: vm.DepositKeyOf(acc2.PubKey)}
				st.Leaves[0] = vm.LeafWitness{Index: 2, After: vm.Account{Balance: dep.Amount}} // credited by dep.Amount
				st.Leaves[1] = vm.LeafWitness{Index: 0}
				// transfer, withdraw, deposit, data, data, deposit into 3,
				// transfer 3→1, fee payout: the deposit into 5 is gone.
				sb.Steps = []vm.Step{sb.Steps[0], sb.Steps[1], st, sb.Steps[2], sb.Steps[3], sb.Steps[5], sb.Steps[6], sb.Steps[7]}
				sb.After.PriorityHash = queueWith(dep, depB)
			})
		}},
		{"skipped deposit", false, "Define", func() *circuits.BatchCircuit {
			d := depB
			d.PriorityID = depA.PriorityID
			return forged(f.txs[0], f.txs[1], d, f.txs[4])
		}},
		{"reordered deposits", false, "Define", func() *circuits.BatchCircuit {
			a, b := depB, depA
			a.PriorityID, b.PriorityID = depA.PriorityID, depB.PriorityID
			return forged(f.txs[0], f.txs[1], a, b, f.txs[4])
		}},
		// Steps and registers.
		{"registers disagree between a head and its data", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Slots[3].Amount = w.Slots[3].Amount.(uint64) + 1
			return w
		}},
		{"stray continuation step", false, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Slots[4].Op = uint8(vm.OpData)
			return w
		}},
		{"wrong new root", false, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			w.NewRoot = 7
			return w
		}},
		// The commitment.
		{"changed public-data byte", true, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			pd := append([]byte{}, f.honest.PublicData...)
			pd[9] ^= 1 // the transfer's amount
			w.Commitment = vm.BatchCommitment(cfg.ChainID, cfg.Operator, f.honest.Before, f.honest.After, pd)
			return w
		}},
		// The payout map: the withdrawal is slot 1, the map byte 0x40.
		{"payout map without the withdrawal", true, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			pd := append([]byte{}, f.honest.PublicData...)
			require.Equal(t, byte(0x40), pd[8*vm.RecordSize])
			pd[8*vm.RecordSize] = 0
			w.Commitment = vm.BatchCommitment(cfg.ChainID, cfg.Operator, f.honest.Before, f.honest.After, pd)
			return w
		}},
		{"payout map naming a transfer", true, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			pd := append([]byte{}, f.honest.PublicData...)
			pd[8*vm.RecordSize] |= 0x80 // slot 0, the transfer
			w.Commitment = vm.BatchCommitment(cfg.ChainID, cfg.Operator, f.honest.Before, f.honest.After, pd)
			return w
		}},
		{"changed public input", true, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			var one, c vm.Element
			one.SetOne()
			c = f.honest.Commitment(cfg.Operator)
			c.Add(&c, &one)
			w.Commitment = c
			return w
		}},
		{"changed timestamp", true, "Define", func() *circuits.BatchCircuit {
			w := f.witness()
			w.Timestamp = f.honest.After.Timestamp + 1
			return w
		}},
		// The signatures bind the chain id before the commitment does.
		{"changed chain id", true, "slot", func() *circuits.BatchCircuit {
			w := f.witness()
			w.ChainID = cfg.ChainID + 1
			return w
		}},
	}
	runSoundCases(t, cfg, cases)
}

// TestEncodingSoundness: one transition has one encoding. A transfer's
// amount and fee are written with the smallest exponent (vm.packFloat),
// and padding comes only at the end (as Seal writes it).
//
// The padded batch: 0 transfer 1→2 (no fee, so no payout), 1–7 padding.
func TestEncodingSoundness(t *testing.T) {
	c := newTestChain(t, testConfig)
	c.funded(4)
	head, err := c.store.Head()
	require.NoError(t, err)
	cfg := c.cfg
	base := c.store.ReaderAt(head.BatchNumber)
	b := c.batch()
	require.NoError(t, c.apply(b, c.signed(vm.Tx{Type: vm.TxTransfer, From: 1, To: 2, Amount: 1000, Fee: 0})))
	honest := c.sealUncommitted(b)
	pad := 1 // the first padding step: no fee, so no payout
	require.Equal(t, vm.OpNoop, honest.Steps[pad].Op)
	require.NotEqual(t, vm.OpNoop, honest.Steps[pad-1].Op)
	w0, err := prover.Witness(cfg, honest)
	require.NoError(t, err)
	require.EqualValues(t, 0, w0.Slots[0].AmountE, "1000 is 1000×10^0")
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), w0, ecc.BN254.ScalarField()))

	runSoundCases(t, cfg, []soundCase{
		{"a transfer amount as 1×10^3, not 1000×10^0", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, honest, func(*vm.SealedBatch) {})
			w.Slots[0].AmountE, w.Slots[0].AmountM = 3, 1
			return w
		}},
		{"a zero fee as 0×10^1", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, honest, func(*vm.SealedBatch) {})
			w.Slots[0].FeeE = 1
			return w
		}},
		{"padding before a transaction", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, honest, func(sb *vm.SealedBatch) {
				first := sb.Steps[pad]
				sb.Steps = append(append([]vm.Step{first}, sb.Steps[:pad]...), sb.Steps[pad+1:]...)
			})
		}},
		{"a reserved opcode published", false, "slot", func() *circuits.BatchCircuit {
			// 13 is reserved: a step no follower can decode, doing nothing.
			w := forge(t, cfg, base, honest, func(*vm.SealedBatch) {})
			w.Slots[pad].Op = 13
			return w
		}},
	})
}

// TestLeafSoundness forges batches on leaves deposits cannot make: an
// account at its last nonce, one near 2^64 gwei, a channel leaf. Each
// forgery reads or writes a leaf so that its packed state (kind·2^96 +
// nonce·2^64 + balance) stays a real leaf's, and only a range check can
// object. It also checks that the signer's key is exactly the account's,
// and that a transaction is never left half done at the end of a batch.
//
// The honest batch: 0 transfer 1→2 (1000, fee 10), 1 fee payout, padding.
func TestLeafSoundness(t *testing.T) {
	c := newTestChain(t, testConfig)
	cfg := c.cfg
	keys := map[uint32]*vm.PrivateKey{}
	leaves := map[uint32]vm.Account{}
	for i, name := range map[uint32]string{0: "leaf op", 1: "leaf a", 2: "leaf b", 3: "leaf exhausted", 4: "leaf rich"} {
		keys[i] = key(t, name)
		leaves[i] = vm.Account{Kind: vm.KindAccount, PubKey: keys[i].Public(), Balance: 1_000_000}
	}
	exhausted, rich := leaves[3], leaves[4]
	exhausted.Nonce = math.MaxUint32
	rich.Balance = math.MaxUint64 - 499 // 2^64 − 500
	leaves[3], leaves[4] = exhausted, rich
	ch := vm.ChannelLeaf{Status: vm.ChannelOpen, A: 1, B: 2, OpenNonce: 7, Period: 100, SplitA: 30_000, Total: 50_000}
	leaves[6] = ch.Leaf()
	c.genesis(leaves, keys)

	head, err := c.store.Head()
	require.NoError(t, err)
	base := c.store.ReaderAt(head.BatchNumber)
	b := c.batch()
	tr := c.signed(vm.Tx{Type: vm.TxTransfer, From: 1, To: 2, Amount: 1000, Fee: 10})
	require.NoError(t, c.apply(b, tr))
	honest := c.sealUncommitted(b)
	require.Equal(t, vm.OpFeePayout, honest.Steps[1].Op)
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), witnessOf(t, cfg, honest), ecc.BN254.ScalarField()))

	// transferTo re-signs step 0's transfer to another recipient and
	// credits that leaf instead.
	transferTo := func(sb *vm.SealedBatch, to uint32) {
		tx := tr
		tx.To = to
		resignStep(t, &sb.Steps[0], tx.Message(), keys[1])
		sb.Steps[0].Regs.Target = vm.ElementFromUint64(uint64(to))
		sb.Steps[0].Leaves[1].Index = to
	}
	sk1, pub1 := secretScalar(keys[1]), keys[1].Public()

	// A batch ending in a withdrawal's head without its data records:
	// deposits into 1 and 2, then a fee-free withdrawal from 2.
	b = c.batch()
	var deps []vm.Tx
	for i := 0; i < 5; i++ {
		d := c.deposit(b, uint32(1+i%2), 100)
		require.NoError(t, c.apply(b, d))
		deps = append(deps, d)
	}
	require.NoError(t, c.apply(b, c.signed(vm.Tx{Type: vm.TxWithdraw, From: 2, L1To: l1Addr, Amount: 500})))
	withdrawal := c.sealUncommitted(b)
	require.Equal(t, []vm.Opcode{vm.OpDeposit, vm.OpDeposit, vm.OpDeposit, vm.OpDeposit, vm.OpDeposit, vm.OpWithdraw, vm.OpData, vm.OpData},
		[]vm.Opcode{withdrawal.Steps[0].Op, withdrawal.Steps[1].Op, withdrawal.Steps[2].Op, withdrawal.Steps[3].Op, withdrawal.Steps[4].Op, withdrawal.Steps[5].Op, withdrawal.Steps[6].Op, withdrawal.Steps[7].Op})

	runSoundCases(t, cfg, []soundCase{
		{"a transfer from the last nonce turns the account into a channel leaf", false, "slot", func() *circuits.BatchCircuit {
			// Nonce 2^32 packs as kind + 1 and nonce 0.
			return forge(t, cfg, base, honest, func(sb *vm.SealedBatch) {
				tx := tr
				tx.From, tx.Nonce = 3, math.MaxUint32
				resignStep(t, &sb.Steps[0], tx.Message(), keys[3])
				sb.Steps[0].Regs.Account = 3
				sb.Steps[0].Leaves[0].Index = 3
				sb.Steps[0].Leaves[0].After.Kind = vm.KindChannel // the nonce wraps to 0
			})
		}},
		{"a transfer credits a channel leaf read as an account with nonce 2^32", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, honest, func(sb *vm.SealedBatch) { transferTo(sb, 6) })
			w.Slots[0].B.Kind, w.Slots[0].B.Nonce = 1, new(big.Int).Lsh(big.NewInt(1), 32)
			return w
		}},
		{"a credit past 2^64 read back as nonce + 1 and 500 gwei", false, "slot", edit0(t, cfg, base, honest, func(sb *vm.SealedBatch) {
			transferTo(sb, 4)
			sb.Steps[0].Leaves[1].After.Nonce++ // the balance wraps to 500
		})},
		{"a transfer signed under the key's negation −A (same Y)", false, "slot", func() *circuits.BatchCircuit {
			w := witnessOf(t, cfg, honest)
			neg := negated(pub1)
			curve := twistededwards.GetEdwardsCurve()
			rx, ry, s := signUnder(new(big.Int).Sub(&curve.Order, sk1), neg, tr.Message())
			setSignature(&w.Slots[0], neg, rx, ry, s)
			return w
		}},
		{"a transfer signed under −A + (0, −1) (same X)", false, "slot", func() *circuits.BatchCircuit {
			// (x, −y) = −A + (0, −1): the owner's negated secret signs for
			// it under the cofactored check.
			w := witnessOf(t, cfg, honest)
			odd := pub1
			odd.Y.Neg(&pub1.Y)
			curve := twistededwards.GetEdwardsCurve()
			rx, ry, s := signUnder(new(big.Int).Sub(&curve.Order, sk1), odd, tr.Message())
			setSignature(&w.Slots[0], odd, rx, ry, s)
			return w
		}},
		{"a withdrawal's head in the last slot, its data never made", false, "Define", func() *circuits.BatchCircuit {
			// Two more deposits (L1 holds them) fill the slots the data
			// records took.
			var prio vm.Element = head.PriorityHash
			for _, d := range append(deps, deps[4], deps[4]) {
				prio = vm.PriorityHash(prio, d.Amount, vm.DepositKeyOf(d.PubKey))
			}
			return forge(t, cfg, base, withdrawal, func(sb *vm.SealedBatch) {
				d := sb.Steps[4]
				sb.Steps = append(sb.Steps[:5:5], d, d, sb.Steps[5])
				sb.After.PriorityCount, sb.After.PriorityHash = head.PriorityCount+7, prio
			})
		}},
	})
}

// edit0 is forge as a soundCase's witness.
func edit0(t testing.TB, cfg vm.Config, base vm.NodeReader, honest *vm.SealedBatch, e func(sb *vm.SealedBatch)) func() *circuits.BatchCircuit {
	return func() *circuits.BatchCircuit { return forge(t, cfg, base, honest, e) }
}
