package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	gnarkposeidon2 "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/keel-rollup/keel/vm"
)

// ExitCircuit proves an exodus exit (vm.Exit): that account Account, with
// balance Balance, is a leaf of the state with root Root, and that the
// account's own key signed the exit to Recipient (vm.ExitMessage). Its one
// public input is vm.Exit.Commitment, a Poseidon2 hash of the chain, the
// account, the root, the balance and the recipient, which the Rollup
// contract recomputes from its last verified root and the exit's calldata.
// The key, the nonce and the Merkle path stay private.
//
// It is small (a Merkle path, a signature and four hashes): a user proves
// their exit in a couple of seconds on a laptop, with only the keel binary.
type ExitCircuit struct {
	Commitment frontend.Variable `gnark:",public"`

	ChainID, Root, Account, Balance, Recipient frontend.Variable
	// The account's leaf: its key, nonce and aux (the balance is above),
	// and its path.
	X, Y, Nonce, Aux frontend.Variable
	Siblings         []frontend.Variable
	// The exit signature by (X, Y).
	SigRX, SigRY, SigS frontend.Variable
}

// NewExitCircuit returns the circuit's shape for a tree of the given depth.
func NewExitCircuit(depth int) *ExitCircuit {
	return &ExitCircuit{Siblings: make([]frontend.Variable, depth)}
}

// Define implements frontend.Circuit.
func (c *ExitCircuit) Define(api frontend.API) error {
	b, err := newBatchAPI(api, len(c.Siblings))
	if err != nil {
		return err
	}
	h, curve, depth := b.h, b.curve, b.depth
	// Ranges make the packings injective, as in the batch circuit. The
	// public input pins the chain, the balance and the recipient to the
	// contract's own (a uint64, a uint64, an address), so these checks are
	// belts to its braces.
	// mutate: implied by the commitment: it hashes the head, into which the
	// chain id enters at a fixed offset, and the contract's chain id is
	// below 2^64.
	_ = api.ToBinary(c.ChainID, 64)
	// mutate: implied by the commitment, which hashes the balance as the
	// contract's uint64.
	_ = api.ToBinary(c.Balance, 64)
	// mutate: implied: the leaf packs kind 1, the nonce and the balance,
	// which the commitment pins, so another nonce is another leaf.
	_ = api.ToBinary(c.Nonce, 32)
	// mutate: implied by the commitment, which hashes the recipient as the
	// contract's address.
	_ = api.ToBinary(c.Recipient, 160)
	idx := api.ToBinary(c.Account, depth)

	// The leaf is an account (kind 1) with this balance, in Root.
	leaf := h.Leaf(c.X, c.Y, PackState(api, 1, c.Nonce, c.Balance), c.Aux)
	api.AssertIsEqual(b.root(leaf, idx, c.Siblings), c.Root)

	// Its key signed the exit to Recipient on this chain.
	head := api.Add(api.Mul(vm.ExitTag, twoTo(96)), api.Mul(c.ChainID, twoTo(32)), c.Account)
	msg := h.Chain(head, c.Recipient)
	hasher, err := gnarkposeidon2.New(api)
	if err != nil {
		return err
	}
	pub := eddsa.PublicKey{A: twistededwards.Point{X: c.X, Y: c.Y}}
	// mutate: implied by the Merkle path: (X, Y) is the key in the
	// account's leaf, which a deposit put there only as a point of the
	// prime subgroup.
	curve.AssertIsOnCurve(pub.A)
	if err := eddsa.Verify(curve, eddsa.Signature{R: twistededwards.Point{X: c.SigRX, Y: c.SigRY}, S: c.SigS}, msg, pub, hasher); err != nil {
		return err
	}

	// The public input binds all of it.
	api.AssertIsEqual(h.Chain(head, c.Root, c.Balance, c.Recipient), c.Commitment)
	return nil
}
