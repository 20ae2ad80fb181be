package circuits

import (
	"math/big"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	tedwards "github.com/consensys/gnark-crypto/ecc/twistededwards"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	gnarkposeidon2 "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

func el(v uint64) vm.Element { return vm.ElementFromUint64(v) }

// compressCircuit asserts Compress(L, R) == Out.
type compressCircuit struct{ L, R, Out frontend.Variable }

func (c *compressCircuit) Define(api frontend.API) error {
	h, err := NewHasher(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h.Compress(c.L, c.R), c.Out)
	return nil
}

// TestCompressParity shows that the VM's native Poseidon2 compression equals
// gnark's in-circuit one, and that a wrong output is rejected.
func TestCompressParity(t *testing.T) {
	for _, in := range [][2]vm.Element{{el(0), el(0)}, {el(1), el(2)}, {vm.Compress(el(3), el(4)), el(5)}} {
		want := vm.Compress(in[0], in[1])
		require.NoError(t, test.IsSolved(&compressCircuit{}, &compressCircuit{L: in[0], R: in[1], Out: want}, ecc.BN254.ScalarField()))
		bad := want
		bad.Add(&bad, &in[1])
		bad.Add(&bad, &bad) // anything else
		require.Error(t, test.IsSolved(&compressCircuit{}, &compressCircuit{L: in[0], R: in[1], Out: bad}, ecc.BN254.ScalarField()))
	}
}

// leafCircuit recomputes an account leaf hash from its fields.
type leafCircuit struct {
	X, Y, Kind, Nonce, Balance, Aux frontend.Variable
	Out                             frontend.Variable
}

func (c *leafCircuit) Define(api frontend.API) error {
	h, err := NewHasher(api)
	if err != nil {
		return err
	}
	api.AssertIsEqual(h.Leaf(c.X, c.Y, PackState(api, c.Kind, c.Nonce, c.Balance), c.Aux), c.Out)
	return nil
}

func TestLeafHashParity(t *testing.T) {
	k, err := vm.GenerateKey()
	require.NoError(t, err)
	a := vm.Account{Kind: vm.KindAccount, PubKey: k.Public(), Balance: 1<<64 - 1, Nonce: 1<<32 - 1, Aux: el(9)}
	assign := func(a vm.Account, out vm.Element) *leafCircuit {
		return &leafCircuit{X: a.PubKey.X, Y: a.PubKey.Y, Kind: uint64(a.Kind), Nonce: a.Nonce, Balance: a.Balance, Aux: a.Aux, Out: out}
	}
	require.NoError(t, test.IsSolved(&leafCircuit{}, assign(a, a.Hash()), ecc.BN254.ScalarField()))
	other := a
	other.Balance--
	require.Error(t, test.IsSolved(&leafCircuit{}, assign(other, a.Hash()), ecc.BN254.ScalarField()))
}

// sigCircuit checks an EdDSA signature with a Poseidon2 challenge, as the
// batch circuit will: the message is vm.Tx.Message, hashed in-circuit from
// its packed fields.
type sigCircuit struct {
	Head, Value, Target frontend.Variable
	PubKey              eddsa.PublicKey
	Sig                 eddsa.Signature
}

func (c *sigCircuit) Define(api frontend.API) error {
	h, err := NewHasher(api)
	if err != nil {
		return err
	}
	msg := h.Chain(c.Head, c.Value, c.Target)
	curve, err := twistededwards.NewEdCurve(api, tedwards.BN254)
	if err != nil {
		return err
	}
	hasher, err := gnarkposeidon2.New(api)
	if err != nil {
		return err
	}
	return eddsa.Verify(curve, c.Sig, msg, c.PubKey, hasher)
}

// TestSignatureParity shows that a transfer signed by the VM verifies in
// the circuit with the message rebuilt from the transaction's fields, and
// that a signature by another key, or over another amount, does not.
func TestSignatureParity(t *testing.T) {
	alice, err := vm.GenerateKey()
	require.NoError(t, err)
	bob, err := vm.GenerateKey()
	require.NoError(t, err)
	tx := vm.Tx{Type: vm.TxTransfer, ChainID: 7, From: 1, To: 2, Amount: 1000, Fee: 10, Nonce: 3}
	require.NoError(t, tx.Sign(alice))

	head := new(big.Int).Lsh(big.NewInt(int64(tx.Type)), 128)
	head.Or(head, new(big.Int).Lsh(new(big.Int).SetUint64(tx.ChainID), 64))
	head.Or(head, new(big.Int).Lsh(big.NewInt(int64(tx.Nonce)), 32))
	head.Or(head, big.NewInt(int64(tx.From)))
	value := new(big.Int).Lsh(new(big.Int).SetUint64(tx.Amount), 64)
	value.Or(value, new(big.Int).SetUint64(tx.Fee))

	assign := func(tx vm.Tx, pub vm.PublicKey, value *big.Int) *sigCircuit {
		var c sigCircuit
		c.Head, c.Value, c.Target = head, value, tx.To
		pk := pub.Bytes()
		c.PubKey.Assign(tedwards.BN254, pk[:])
		c.Sig.Assign(tedwards.BN254, tx.Sig[:])
		return &c
	}
	require.True(t, tx.VerifySignature(alice.Public()))
	require.NoError(t, test.IsSolved(&sigCircuit{}, assign(tx, alice.Public(), value), ecc.BN254.ScalarField()))
	require.Error(t, test.IsSolved(&sigCircuit{}, assign(tx, bob.Public(), value), ecc.BN254.ScalarField()), "wrong key")
	more := new(big.Int).Add(value, new(big.Int).Lsh(big.NewInt(1), 64))
	require.Error(t, test.IsSolved(&sigCircuit{}, assign(tx, alice.Public(), more), ecc.BN254.ScalarField()), "changed amount")

	// Constraint cost of one signed message, for the record.
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &sigCircuit{})
	require.NoError(t, err)
	t.Logf("EdDSA verify + 3-element message hash: %d constraints", cs.GetNbConstraints())
}
