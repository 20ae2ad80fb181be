package circuits_test

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// Consistent forgeries.
//
// A soundness case breaks one rule and checks that the circuit rejects
// it. It proves something only if that rule alone rejects it: a forged
// witness whose later Merkle paths are stale, or whose queue hash is not
// the one L1 holds, is rejected by those checks whatever the rule under
// test says, and the case stays green when the rule is deleted. `make
// mutate` deletes each assertion in turn to find such cases.
//
// So every case forges as a dishonest sequencer would: it edits the VM's
// trace of an honest batch (a step's leaves before and after, its
// registers, its signature), and forge re-threads every leaf path through
// a vm.Tree from the state before the batch, so that every path, every
// root and the new root agree with the forged leaves. What the forger
// writes as a leaf's After is what the circuit computes from the witness
// with the rule under test deleted.

// cloneSealed deep-copies what forge edits of a sealed batch.
func cloneSealed(sb *vm.SealedBatch) *vm.SealedBatch {
	out := *sb
	out.Txs = append([]vm.Tx(nil), sb.Txs...)
	out.Steps = make([]vm.Step, len(sb.Steps))
	for i, st := range sb.Steps {
		if st.Sig != nil {
			sig := *st.Sig
			st.Sig = &sig
		}
		if st.Chan != nil {
			ch := *st.Chan
			st.Chan = &ch
		}
		for k := range st.Leaves {
			st.Leaves[k].Siblings = append([]vm.Element(nil), st.Leaves[k].Siblings...)
		}
		out.Steps[i] = st
	}
	out.PublicData = append([]byte(nil), sb.PublicData...)
	return &out
}

// rethread recomputes every leaf witness of sb's trace, in order, on the
// state base: each leaf's Before is what the tree holds, its path is the
// tree's, and the tree then takes its After. A leaf that an earlier
// (forged) step changed keeps the change its own step makes: its balance
// and nonce move by the same amounts, and a step that writes a key, kind
// or aux still writes it. A forger who gives a Before that hashes to what
// the tree holds (an empty leaf with made-up fields, say) keeps it and its
// After as written. The new root becomes sb.After.Root.
func rethread(t testing.TB, cfg vm.Config, base vm.NodeReader, sb *vm.SealedBatch) {
	tree, err := vm.NewTree(cfg.Depth, base)
	require.NoError(t, err)
	for i := range sb.Steps {
		for k := range sb.Steps[i].Leaves {
			lw := &sb.Steps[i].Leaves[k]
			cur, err := tree.Get(uint64(lw.Index))
			require.NoError(t, err)
			if cur != lw.Before && cur.Hash() != lw.Before.Hash() {
				after := cur
				after.Balance += lw.After.Balance - lw.Before.Balance
				after.Nonce += lw.After.Nonce - lw.Before.Nonce
				if lw.After.Kind != lw.Before.Kind {
					after.Kind = lw.After.Kind
				}
				if lw.After.PubKey != lw.Before.PubKey {
					after.PubKey = lw.After.PubKey
				}
				if lw.After.Aux != lw.Before.Aux {
					after.Aux = lw.After.Aux
				}
				lw.Before, lw.After = cur, after
			}
			if lw.RootBefore, err = tree.Root(); err != nil {
				t.Fatal(err)
			}
			lw.Siblings, err = tree.Proof(uint64(lw.Index))
			require.NoError(t, err)
			require.NoError(t, tree.Set(uint64(lw.Index), lw.After))
			if lw.RootAfter, err = tree.Root(); err != nil {
				t.Fatal(err)
			}
		}
	}
	sb.After.Root, err = tree.Root()
	require.NoError(t, err)
}

// forge returns the witness of honest's trace as edit leaves it, every
// leaf path re-threaded on base (the state honest was built on).
func forge(t testing.TB, cfg vm.Config, base vm.NodeReader, honest *vm.SealedBatch, edit func(sb *vm.SealedBatch)) *circuits.BatchCircuit {
	sb := cloneSealed(honest)
	edit(sb)
	rethread(t, cfg, base, sb)
	w, err := prover.Witness(cfg, sb)
	require.NoError(t, err)
	return w
}

// resignStep replaces step's signature with k's signature of msg, and its
// key with k's public key.
func resignStep(t testing.TB, st *vm.Step, msg vm.Element, k *vm.PrivateKey) {
	sig, err := k.SignElement(msg)
	require.NoError(t, err)
	st.Sig = &vm.SigWitness{PubKey: k.Public(), Message: msg, Sig: sig}
}

// negated returns the public key −pub: the same Y, the X negated. It is in
// the prime subgroup when pub is, and its secret is the owner's negated.
func negated(pub vm.PublicKey) vm.PublicKey {
	out := pub
	out.X.Neg(&pub.X)
	return out
}

// plus2to64 returns v + 2^64, for a leaf read with its nonce one lower
// and its balance 2^64 higher: the same packed state, so the same hash.
func plus2to64(v uint64) *big.Int {
	return new(big.Int).Add(new(big.Int).SetUint64(v), new(big.Int).Lsh(big.NewInt(1), 64))
}

// soundCase is one forged witness and where the circuit must reject it.
type soundCase struct {
	name string
	// bound checks the case against the circuit with its commitment
	// (cases about the public data); the rest run without it, as an
	// adversary who also writes the public data would.
	bound bool
	// where is the part of the circuit whose assertion must fail (see
	// failedIn).
	where   string
	witness func() *circuits.BatchCircuit
}

// runSoundCases checks that every case's witness is rejected, and where.
func runSoundCases(t *testing.T, cfg vm.Config, cases []soundCase) {
	field := ecc.BN254.ScalarField()
	unbound := circuits.NewBatchCircuitUnbound(cfg.Slots, cfg.Depth)
	bound := circuits.NewBatchCircuit(cfg.Slots, cfg.Depth)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			shape := unbound
			if tc.bound {
				shape = bound
			}
			err := test.IsSolved(shape, tc.witness(), field)
			require.Error(t, err, "the circuit must reject: %s", tc.name)
			require.Equal(t, tc.where, failedIn(err), "rejected by the wrong check: %v", err)
		})
	}
}

// secretScalar is k's secret scalar (gnark-crypto's encoding: public key,
// then the scalar big-endian, then the nonce seed).
func secretScalar(k *vm.PrivateKey) *big.Int {
	return new(big.Int).SetBytes(k.Bytes()[32:64])
}

// signUnder signs msg with the secret scalar sk as if the key were pub:
// R = [r]B, h = HashChain(R.X, R.Y, pub.X, pub.Y, msg), S = r + h·sk mod
// ℓ. The circuit's cofactored check, [8]([S]B − [h]pub − R) = O, accepts
// it whenever pub − [sk]B has small order: pub = [sk]B, or pub =
// [sk]B + (0, −1) = (−x, −y).
func signUnder(sk *big.Int, pub vm.PublicKey, msg vm.Element) (rx, ry vm.Element, s *big.Int) {
	curve := twistededwards.GetEdwardsCurve()
	r := big.NewInt(987654321)
	var R twistededwards.PointAffine
	R.ScalarMultiplicationBase(r)
	h := vm.HashChain(R.X, R.Y, pub.X, pub.Y, msg)
	s = h.BigInt(new(big.Int))
	s.Mul(s, sk).Add(s, r).Mod(s, &curve.Order)
	return R.X, R.Y, s
}

// setSignature puts a signature under pub into a slot.
func setSignature(s *circuits.Slot, pub vm.PublicKey, rx, ry vm.Element, sc *big.Int) {
	s.SigPubX, s.SigPubY, s.SigRX, s.SigRY, s.SigS = pub.X, pub.Y, rx, ry, sc
}
