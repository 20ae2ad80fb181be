package circuits_test

import (
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
		{"a deposit credited under the key's X with the other sign", false, "slot", func() *circuits.BatchCircuit {
			k := vm.DepositKeyOf(depA.PubKey)
			var negX vm.Element
			negX.Neg(&depA.PubKey.X)
			w := forge(t, cfg, base, f.honest, func(sb *vm.SealedBatch) {
				sb.Steps[4].Leaves[0].After.PubKey = vm.PublicKey{X: negX, Y: depA.PubKey.Y}
			})
			// −X is on the curve at y and in the subgroup: only the sign
			// rule tells it from X.
			w.Slots[4].PubX = negX
			q := vm.PublicKey{X: negX, Y: depA.PubKey.Y}.SubgroupWitness()
			w.Slots[4].PubQX, w.Slots[4].PubQY = q.X, q.Y
			require.Equal(t, k, vm.DepositKeyOf(depA.PubKey))
			return w
		}},
	})
}
