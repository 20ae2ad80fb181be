package circuits_test

import (
	"fmt"
	"math/big"
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

// encodeKey is the deposit key of the curve point p, whatever its order.
func encodeKey(p twistededwards.PointAffine) vm.DepositKey { return p.Bytes() }

// undecodableKey is a deposit key whose y has no x on the curve.
func undecodableKey(t testing.TB) vm.DepositKey {
	for y := byte(2); ; y++ {
		var k vm.DepositKey
		k[0] = y
		if circuits.NewDepositKeyWitness(k).Decodes == 0 {
			require.False(t, k.Valid())
			return k
		}
	}
}

// smallOrder returns the curve's points of order dividing 8 that are not
// the identity, found as [ℓ] multiples of points outside the subgroup.
func smallOrder(t testing.TB, pub vm.PublicKey) []twistededwards.PointAffine {
	order := twistededwards.GetEdwardsCurve().Order
	var seen []twistededwards.PointAffine
	for y := byte(2); len(seen) < 7 && y < 200; y++ {
		var k vm.DepositKey
		k[0] = y
		w := circuits.NewDepositKeyWitness(k)
		if w.Decodes == 0 {
			continue
		}
		var p, t8 twistededwards.PointAffine
		p.X, p.Y = w.X, w.Y
		for m := 1; m < 8; m++ {
			t8.ScalarMultiplication(&p, &order)
			var km twistededwards.PointAffine
			km.ScalarMultiplication(&t8, new(big.Int).SetInt64(int64(m)))
			if km.IsZero() {
				continue
			}
			dup := false
			for _, s := range seen {
				dup = dup || s.Equal(&km)
			}
			if !dup {
				seen = append(seen, km)
			}
		}
	}
	require.Len(t, seen, 7, "the curve has seven points of small order")
	return seen
}

// TestDepositKeysInCircuit: a batch that consumes deposits of a valid key
// plus each small-order point, an undecodable key and the identity's two
// encodings solves the circuit with its commitment: the valid key is
// credited and every other refunded, as the VM decides.
func TestDepositKeysInCircuit(t *testing.T) {
	c := newTestChain(t, vm.Config{ChainID: 5, Depth: 4, Operator: 0, Slots: 12})
	c.funded(2)
	pub := key(t, "deposit keys").Public()
	p := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	keys := []vm.DepositKey{vm.DepositKeyOf(pub), undecodableKey(t)}
	for _, tp := range smallOrder(t, pub) {
		var q twistededwards.PointAffine
		q.Add(&p, &tp)
		keys = append(keys, encodeKey(q))
	}
	var id twistededwards.PointAffine
	id.Y.SetOne()
	idSigned := encodeKey(id)
	idSigned[31] |= 0x80
	keys = append(keys, encodeKey(id), idSigned)

	b := c.batch()
	depositor := common.Address{0xd0}
	for i, k := range keys {
		req := vm.PriorityRequest{ID: b.PriorityCount(), Key: k, Amount: uint64(100 + i), From: depositor}
		tx := req.Tx(c.cfg.ChainID)
		if i == 0 {
			require.Equal(t, vm.TxDeposit, tx.Type)
			tx.To = 3
		} else {
			require.Equal(t, vm.TxDepositRefund, tx.Type, "key %d", i)
		}
		require.NoError(t, c.apply(b, tx))
	}
	sb := c.seal(b)
	require.Len(t, sb.Withdrawals, len(keys)-1)
	w, err := prover.Witness(c.cfg, sb)
	require.NoError(t, err)
	require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(c.cfg.Slots, c.cfg.Depth), w, ecc.BN254.ScalarField()))
	c.requireConserved()
}

// TestDepositKeySoundness: the circuit decides a key's validity itself; a
// prover can neither refund a valid key's deposit nor credit any other.
func TestDepositKeySoundness(t *testing.T) {
	f := newSoundnessFixture(t)
	cfg := f.c.cfg
	base := f.c.store.ReaderAt(f.head.BatchNumber)
	depA, depB := f.txs[2], f.txs[3] // slot 4 creates account 5; slot 5 credits 3
	queue := func(first vm.DepositKey) vm.Element {
		h := vm.PriorityHash(f.head.PriorityHash, depA.Amount, first)
		return vm.PriorityHash(h, depB.Amount, vm.DepositKeyOf(depB.PubKey))
	}
	// refundA turns slot 4 into a refund of depA: no account is created.
	refundA := func(sb *vm.SealedBatch) {
		st := &sb.Steps[4]
		st.Op = vm.OpDepositRefund
		st.Leaves[0].After = st.Leaves[0].Before
	}
	// creditBad makes slot 4 credit account 5 under a key the request does
	// not validly name: the leaf gets (x, y) for the request's y.
	creditBad := func(k vm.DepositKey, x vm.Element) func(sb *vm.SealedBatch) {
		return func(sb *vm.SealedBatch) {
			st := &sb.Steps[4]
			st.DepositKey = k
			st.Leaves[0].After.PubKey = vm.PublicKey{X: x, Y: k.Y()}
			sb.After.PriorityHash = queue(k)
		}
	}
	// otherSign makes slot 4 a deposit of pub that creates account 5 under
	// (−X, y): on the curve and in the subgroup, but not the key L1 named.
	otherSign := func(pub vm.PublicKey) func() *circuits.BatchCircuit {
		return func() *circuits.BatchCircuit {
			neg := pub
			neg.X.Neg(&pub.X)
			w := forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				st := &sb.Steps[4]
				st.DepositKey = vm.DepositKeyOf(pub)
				st.Leaves[0].After.PubKey = neg
				sb.After.PriorityHash = queue(vm.DepositKeyOf(pub))
			})
			q := neg.SubgroupWitness()
			w.Slots[4].PubX, w.Slots[4].PubQX, w.Slots[4].PubQY = neg.X, q.X, q.Y
			return w
		}
	}
	bad := undecodableKey(t)
	pa := twistededwards.PointAffine{X: depA.PubKey.X, Y: depA.PubKey.Y}
	var torsion2 twistededwards.PointAffine
	torsion2.Neg(&pa)
	torsion2.Y.Neg(&torsion2.Y) // −P + (0, −1) = (x, −y)
	torsion2.X.Neg(&torsion2.X)
	smallKey := encodeKey(torsion2)
	require.False(t, smallKey.Valid())

	runSoundCases(t, cfg, []soundCase{
		{"a valid key's deposit refunded", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, f.honest, refundA)
		}},
		{"a valid key's deposit refunded, the key claimed not to decode", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, f.honest, refundA)
			w.Slots[4].KeyDecodes, w.Slots[4].PubX, w.Slots[4].KeyW = 0, 0, depA.PubKey.X
			return w
		}},
		{"a valid key's deposit refunded, the key claimed to have torsion", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, f.honest, refundA)
			w.Slots[4].KeyTorsion = 4
			return w
		}},
		{"an undecodable key's deposit credited", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, f.honest, creditBad(bad, depA.PubKey.X))
		}},
		{"an undecodable key's deposit credited, an X claimed", false, "slot", func() *circuits.BatchCircuit {
			w := forge(t, cfg, base, f.honest, creditBad(bad, depA.PubKey.X))
			w.Slots[4].KeyDecodes, w.Slots[4].PubX = 1, depA.PubKey.X
			return w
		}},
		{"a small-order key's deposit credited", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, f.honest, creditBad(smallKey, torsion2.X))
		}},
		{"a deposit credited δ gwei short, its sign absorbing δ·2^-64 in the queue head", false, "slot", func() *circuits.BatchCircuit {
			// head = 1·2^72 + sign·2^64 + amount is L1's when sign' =
			// sign + δ/2^64 (mod r) and amount' = amount − δ. The root
			// ±X whose sign' makes it "positive" must exist for the
			// forgery to pass every other rule: try δ until it does.
			field := ecc.BN254.ScalarField()
			half := new(big.Int).Rsh(new(big.Int).Sub(field, big.NewInt(1)), 1)
			inv := new(big.Int).ModInverse(new(big.Int).Lsh(big.NewInt(1), 64), field)
			sign0 := int64(vm.DepositKeyOf(depA.PubKey).Sign())
			x0 := depA.PubKey.X.BigInt(new(big.Int))
			for delta := int64(1); delta < 64; delta++ {
				sign := new(big.Int).Add(big.NewInt(sign0), new(big.Int).Mul(big.NewInt(delta), inv))
				sign.Mod(sign, field)
				factor := new(big.Int).Sub(big.NewInt(1), new(big.Int).Lsh(sign, 1))
				for _, x := range []*big.Int{x0, new(big.Int).Sub(field, x0)} {
					pos := new(big.Int).Mul(x, factor)
					pos.Mod(pos, field)
					if pos.Cmp(half) > 0 {
						continue
					}
					amount := depA.Amount - uint64(delta)
					var xe vm.Element
					xe.SetBigInt(x)
					key := vm.PublicKey{X: xe, Y: depA.PubKey.Y}
					w := forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
						st := &sb.Steps[4]
						st.Regs.Amount = amount
						st.Leaves[0].After.Balance = amount
						st.Leaves[0].After.PubKey = key
					})
					q := key.SubgroupWitness()
					w.Slots[4].KeySign, w.Slots[4].PubX, w.Slots[4].PubQX, w.Slots[4].PubQY = sign, xe, q.X, q.Y
					return w
				}
			}
			t.Fatal("no δ below 64 gives a forgeable sign")
			return nil
		}},
		// Both 253-bit decompositions are needed: the positive root X of
		// depA is small, and −X fails the first; a root just below
		// (r−1)/2 makes −X fail only the second.
		{"a deposit credited under the key's X with the other sign", false, "slot", otherSign(depA.PubKey)},
		{"a deposit credited under the other sign of an X just below (r−1)/2", false, "slot", otherSign(bigRootKey(t))},
	})
}

// bigRootKey is a key whose root of the sign's side, ±X ≤ (r−1)/2, lies
// above r − 2^253, so that r minus it fits 253 bits.
func bigRootKey(t testing.TB) vm.PublicKey {
	field := ecc.BN254.ScalarField()
	low := new(big.Int).Sub(field, new(big.Int).Lsh(big.NewInt(1), 253))
	for i := 0; i < 1000; i++ {
		pub := key(t, fmt.Sprintf("big root %d", i)).Public()
		x := pub.X.BigInt(new(big.Int))
		if pub.X.LexicographicallyLargest() {
			x.Sub(field, x)
		}
		if x.Cmp(low) > 0 {
			return pub
		}
	}
	t.Fatal("no key with a big root among 1000")
	return vm.PublicKey{}
}
