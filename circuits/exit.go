package circuits

import (
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/algebra/native/twistededwards"
	gnarkposeidon2 "github.com/consensys/gnark/std/hash/poseidon2"
	"github.com/consensys/gnark/std/signature/eddsa"
	"github.com/keel-rollup/keel/vm"
)

// ExitCircuit proves the two claims of exodus mode, as Mode says.
//
// Mode 0, an account's exit (vm.Exit): account Account, with balance
// Balance, is a leaf of the state with root Root, and the account's own
// key signed the exit to Recipient (vm.ExitMessage). The public input is
// vm.Exit.Commitment.
//
// Mode 1, a channel claim (vm.ChannelExit): leaf Account of the state with
// root Root is a channel whose packed fields are X and Y and whose locked
// total is Balance, and (Version, BalanceA, BalanceB) is a state of it that
// either is the leaf's own (Signed 0) or was signed by both parties' keys,
// read from their account leaves in the same root (Signed 1). The public
// input is vm.ChannelExit.Commitment, from which the Rollup contract reads
// the parties, the period, the status and the deadline.
//
// Either way the Rollup recomputes the commitment from its last verified
// root and the claim's calldata; keys, nonces and paths stay private. It
// is small (three Merkle paths, two signatures, a few hashes): a user
// proves a claim in a couple of seconds on a laptop.
type ExitCircuit struct {
	Commitment frontend.Variable `gnark:",public"`

	// Mode is 0 for an account's exit, 1 for a channel claim.
	Mode frontend.Variable

	ChainID, Root, Account, Balance, Recipient frontend.Variable
	// The leaf at Account: an account's key, nonce and aux (the balance
	// is above), or a channel's packed X and Y (nonce and aux 0); and its
	// path.
	X, Y, Nonce, Aux frontend.Variable
	Siblings         []frontend.Variable
	// The exit's signature by (X, Y), or party A's of the claimed state.
	SigRX, SigRY, SigS frontend.Variable

	// A channel claim's state, whether it carries both parties'
	// signatures, the parties' account leaves, and party B's signature.
	// An account's exit carries zeros and, for the keys and R, the base
	// point.
	Version, BalanceA, BalanceB, Final, Signed frontend.Variable
	PartyA, PartyB                             ExitParty
	SigBRX, SigBRY, SigBS                      frontend.Variable
}

// ExitParty is a channel party's account leaf and its path.
type ExitParty struct {
	X, Y, Nonce, Balance, Aux frontend.Variable
	Siblings                  []frontend.Variable
}

// NewExitCircuit returns the circuit's shape for a tree of the given depth.
func NewExitCircuit(depth int) *ExitCircuit {
	return &ExitCircuit{
		Siblings: make([]frontend.Variable, depth),
		PartyA:   ExitParty{Siblings: make([]frontend.Variable, depth)},
		PartyB:   ExitParty{Siblings: make([]frontend.Variable, depth)},
	}
}

// Define implements frontend.Circuit.
func (c *ExitCircuit) Define(api frontend.API) error {
	b, err := newBatchAPI(api, len(c.Siblings))
	if err != nil {
		return err
	}
	h, curve, depth := b.h, b.curve, b.depth
	// mutate: implied: the Selects below assert their selector boolean,
	// and the leaf's kind, 1 + Mode, must be a kind the tree holds.
	api.AssertIsBoolean(c.Mode)
	channel := c.Mode
	account := api.Sub(1, c.Mode)
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
	// mutate: implied: the leaf packs the kind, the nonce and the balance,
	// which the commitment pins, so another nonce is another leaf.
	_ = api.ToBinary(c.Nonce, 32)
	// mutate: implied by the commitment, which hashes the recipient as the
	// contract's address.
	_ = api.ToBinary(c.Recipient, 160)
	idx := api.ToBinary(c.Account, depth)

	// The leaf is an account (kind 1) with this balance, or a channel
	// (kind 2) with this total, in Root.
	leaf := h.Leaf(c.X, c.Y, PackState(api, api.Add(1, c.Mode), c.Nonce, c.Balance), c.Aux)
	api.AssertIsEqual(b.root(leaf, idx, c.Siblings), c.Root)

	// A channel's fields (vm.ChannelLeaf.Leaf), zeros for an account.
	xb := api.ToBinary(api.Mul(channel, c.X), 200)
	yb := api.ToBinary(api.Mul(channel, c.Y), 128)
	chA, chNonce := api.FromBinary(xb[160:192]...), api.FromBinary(xb[96:128]...)
	chB := api.FromBinary(xb[128:160]...)
	chSplitA, chVersion := api.FromBinary(yb[0:64]...), api.FromBinary(yb[64:128]...)

	// The parties' account leaves, in the same root.
	party := func(p *ExitParty, index frontend.Variable) {
		l := h.Leaf(p.X, p.Y, PackState(api, 1, p.Nonce, p.Balance), p.Aux)
		r := b.root(l, api.ToBinary(index, depth), p.Siblings)
		b.assertIf(channel, r, c.Root)
	}
	party(&c.PartyA, chA)
	party(&c.PartyB, chB)

	// The claimed state: 64-bit fields, and it splits the total.
	for _, v := range []frontend.Variable{c.Version, c.BalanceA, c.BalanceB} {
		// mutate: implied by the commitment, which hashes the three as
		// one packed element of the contract's uint64s.
		_ = api.ToBinary(v, 64)
	}
	api.AssertIsBoolean(c.Final)
	// mutate: implied: Signed outside {0, 1} makes both rules below
	// apply (the leaf's own state and both signatures), never neither.
	api.AssertIsBoolean(c.Signed)
	b.assertIf(channel, api.Add(c.BalanceA, c.BalanceB), c.Balance)
	// Unsigned, it is the leaf's own state.
	own := api.Mul(channel, api.Sub(1, c.Signed))
	b.assertIf(own, c.Version, chVersion)
	b.assertIf(own, c.BalanceA, chSplitA)

	// The signatures: an exit's by the account, or the state's by both
	// parties (vm.ChannelState.Message).
	exitHead := api.Add(api.Mul(vm.ExitTag, twoTo(96)), api.Mul(c.ChainID, twoTo(32)), c.Account)
	exitMsg := h.Chain(exitHead, c.Recipient)
	stHead := api.Add(api.Mul(vm.ChannelStateTag, twoTo(128)), api.Mul(c.ChainID, twoTo(64)), api.Mul(chA, twoTo(32)), chNonce)
	stMsg := h.Chain(stHead, api.Add(api.Mul(c.Version, 2), c.Final), api.Add(api.Mul(c.BalanceA, twoTo(64)), c.BalanceB))
	valid := func(pubX, pubY, rx, ry, s, msg frontend.Variable) (frontend.Variable, error) {
		hasher, err := gnarkposeidon2.New(api)
		if err != nil {
			return nil, err
		}
		r := twistededwards.Point{X: rx, Y: ry}
		// mutate: implied by the challenge hash in eddsa.IsValid (see the
		// batch circuit's signature).
		curve.AssertIsOnCurve(r)
		return eddsa.IsValid(curve, eddsa.Signature{R: r, S: s}, msg, eddsa.PublicKey{A: twistededwards.Point{X: pubX, Y: pubY}}, hasher)
	}
	v1, err := valid(api.Select(channel, c.PartyA.X, c.X), api.Select(channel, c.PartyA.Y, c.Y), c.SigRX, c.SigRY, c.SigS, api.Select(channel, stMsg, exitMsg))
	if err != nil {
		return err
	}
	v2, err := valid(c.PartyB.X, c.PartyB.Y, c.SigBRX, c.SigBRY, c.SigBS, stMsg)
	if err != nil {
		return err
	}
	b.assertIf(account, v1, 1)
	b.assertIf(api.Mul(channel, c.Signed), api.Mul(v1, v2), 1)

	// The public input binds all of it.
	exitC := h.Chain(exitHead, c.Root, c.Balance, c.Recipient)
	chHead := api.Add(api.Mul(vm.ChannelExitTag, twoTo(96)), api.Mul(c.ChainID, twoTo(32)), c.Account)
	state := api.Add(api.Mul(c.Version, twoTo(128)), api.Mul(c.BalanceA, twoTo(64)), c.BalanceB)
	chanC := h.Chain(chHead, c.Root, c.X, c.Y, c.Balance, state)
	api.AssertIsEqual(api.Select(channel, chanC, exitC), c.Commitment)
	return nil
}
