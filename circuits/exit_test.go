package circuits_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// exitFixture is a depth-4 state with three accounts and an honest exit of
// the second.
type exitFixture struct {
	tree  *vm.Tree
	keys  []*vm.PrivateKey
	exit  vm.Exit
	wit   prover.ExitWitness
	depth int
}

func newExitFixture(t *testing.T) *exitFixture {
	const depth = 4
	tree, err := vm.NewTree(depth, vm.NewMemStore(depth).ReaderAt(0))
	require.NoError(t, err)
	f := &exitFixture{tree: tree, depth: depth}
	for i, name := range []string{"exit a", "exit b", "exit c"} {
		k := key(t, name)
		f.keys = append(f.keys, k)
		require.NoError(t, tree.Set(uint64(i), vm.Account{Kind: vm.KindAccount, PubKey: k.Public(), Balance: uint64(1000 * (i + 1)), Nonce: uint32(i)}))
	}
	f.exit = f.claim(t, 1, 2000, common.HexToAddress("0xb0b"))
	f.wit = f.witness(t, 1, f.keys[1], f.exit.Recipient)
	return f
}

func (f *exitFixture) claim(t *testing.T, account uint32, balance uint64, to common.Address) vm.Exit {
	root, err := f.tree.Root()
	require.NoError(t, err)
	return vm.Exit{ChainID: 77, Root: root, Account: account, Balance: balance, Recipient: to}
}

func (f *exitFixture) witness(t *testing.T, account uint32, signer *vm.PrivateKey, to common.Address) prover.ExitWitness {
	acc, err := f.tree.Get(uint64(account))
	require.NoError(t, err)
	sibs, err := f.tree.Proof(uint64(account))
	require.NoError(t, err)
	sig, err := vm.SignExit(signer, 77, account, to)
	require.NoError(t, err)
	return prover.ExitWitness{Account: acc, Siblings: sibs, Sig: sig}
}

func (f *exitFixture) solve(t *testing.T, e vm.Exit, w prover.ExitWitness, mutate func(*circuits.ExitCircuit)) error {
	a, err := prover.ExitAssignment(e, w)
	require.NoError(t, err)
	if mutate != nil {
		mutate(a)
	}
	return test.IsSolved(circuits.NewExitCircuit(f.depth), a, ecc.BN254.ScalarField())
}

// TestExitCircuit: an honest exit solves; each way of claiming what is not
// yours fails in the circuit itself.
func TestExitCircuit(t *testing.T) {
	f := newExitFixture(t)
	require.NoError(t, f.solve(t, f.exit, f.wit, nil), "an honest exit")

	mallory := key(t, "exit mallory")
	cases := []struct {
		name string
		exit vm.Exit
		wit  prover.ExitWitness
		mut  func(*circuits.ExitCircuit)
	}{
		{"wrong balance (claim more)", f.claim(t, 1, 2001, f.exit.Recipient), f.wit, nil},
		{"wrong balance in the leaf too", f.exit, f.wit, func(c *circuits.ExitCircuit) { c.Balance = 5000; c.Commitment = withBalance(f.exit, 5000) }},
		{"signed by another key", f.exit, f.witness(t, 1, mallory, f.exit.Recipient), nil},
		{"signature for another recipient", f.claim(t, 1, 2000, common.HexToAddress("0xbad")), f.wit, nil},
		{"another account's leaf", f.claim(t, 2, 2000, f.exit.Recipient), f.wit, nil},
		{"a root that is not the state's", f.exit, f.wit, func(c *circuits.ExitCircuit) {
			c.Root = vm.ElementFromUint64(42)
			e := f.exit
			e.Root = vm.ElementFromUint64(42)
			c.Commitment = e.Commitment()
		}},
		{"a commitment for another chain", f.exit, f.wit, func(c *circuits.ExitCircuit) { e := f.exit; e.ChainID = 78; c.Commitment = e.Commitment() }},
		{"mallory's key swapped into the leaf", f.exit, f.witness(t, 1, mallory, f.exit.Recipient), func(c *circuits.ExitCircuit) {
			pub := mallory.Public()
			c.X, c.Y = pub.X, pub.Y
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, f.solve(t, tc.exit, tc.wit, tc.mut))
		})
	}
}

func withBalance(e vm.Exit, b uint64) vm.Element {
	e.Balance = b
	return e.Commitment()
}

// TestExitProveNamesTheProblem: ProveExit refuses a bad claim before
// proving, with the reason.
func TestExitProveNamesTheProblem(t *testing.T) {
	f := newExitFixture(t)
	_, err := prover.ProveExit(nil, f.claim(t, 1, 1999, f.exit.Recipient), f.wit)
	require.ErrorContains(t, err, "holds 2000 gwei, not 1999")
	_, err = prover.ProveExit(nil, f.exit, f.witness(t, 1, key(t, "exit mallory"), f.exit.Recipient))
	require.ErrorContains(t, err, "not the account key's signature")
	e := f.exit
	e.Root = vm.ElementFromUint64(1)
	_, err = prover.ProveExit(nil, e, f.wit)
	require.ErrorContains(t, err, "is not in root")
}
