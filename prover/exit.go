package prover

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
)

// CompileExit compiles the exodus exit circuit for a tree of the given
// depth. Its keys are cached like the batch circuit's, by circuit hash.
func CompileExit(depth int) (constraint.ConstraintSystem, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuits.NewExitCircuit(depth))
	if err != nil {
		return nil, fmt.Errorf("prover: compile exit circuit (depth %d): %w", depth, err)
	}
	return ccs, nil
}

// ExitProof is an exit's Groth16 proof; its public input is the exit's
// commitment.
type ExitProof struct {
	Exit  vm.Exit
	Proof groth16.Proof
}

// ExitWitness is what proving an exit needs beside the claim: the
// account's leaf, its Merkle path in the claim's root, and the account
// key's signature of vm.ExitMessage.
type ExitWitness struct {
	Account  vm.Account
	Siblings []vm.Element
	Sig      vm.Signature
}

// ProveExit proves e with keys for the exit circuit, and checks the proof.
// It first checks the claim natively, so that a wrong balance, path or
// signature is named rather than reported as an unsatisfied circuit.
func ProveExit(keys *Keys, e vm.Exit, w ExitWitness) (*ExitProof, error) {
	depth := len(w.Siblings)
	acc := w.Account
	if acc.Kind != vm.KindAccount {
		return nil, fmt.Errorf("prover: exit: leaf %d is not an account", e.Account)
	}
	if acc.Balance != e.Balance {
		return nil, fmt.Errorf("prover: exit: account %d holds %d gwei, not %d", e.Account, acc.Balance, e.Balance)
	}
	if !vm.VerifyProof(depth, e.Root, uint64(e.Account), acc.Hash(), w.Siblings) {
		return nil, fmt.Errorf("prover: exit: account %d is not in root %x", e.Account, e.Root.Bytes())
	}
	if !acc.PubKey.VerifyElement(vm.ExitMessage(e.ChainID, e.Account, e.Recipient), w.Sig) {
		return nil, fmt.Errorf("prover: exit: the signature is not the account key's signature of the exit to %s", e.Recipient)
	}
	if keys == nil || keys.CCS == nil || keys.PK == nil || keys.VK == nil {
		return nil, errors.New("prover: exit: no proving key for the exit circuit")
	}
	c, err := ExitAssignment(e, w)
	if err != nil {
		return nil, err
	}
	full, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("prover: exit witness: %w", err)
	}
	proof, err := groth16.Prove(keys.CCS, keys.PK, full, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prover: prove exit of account %d: %w", e.Account, err)
	}
	out := &ExitProof{Exit: e, Proof: proof}
	if err := Verify(keys.VK, &Proof{Commitment: e.Commitment(), Proof: proof}); err != nil {
		return nil, fmt.Errorf("prover: exit of account %d: own proof does not verify: %w", e.Account, err)
	}
	return out, nil
}

// ExitAssignment is the exit circuit's full assignment for e: what
// ProveExit proves, and what circuit tests mutate. It checks nothing.
func ExitAssignment(e vm.Exit, w ExitWitness) (*circuits.ExitCircuit, error) {
	var r twistededwards.PointAffine
	if _, err := r.SetBytes(w.Sig[:32]); err != nil {
		return nil, fmt.Errorf("prover: exit: signature R: %w", err)
	}
	acc := w.Account
	c := circuits.NewExitCircuit(len(w.Siblings))
	c.Commitment = e.Commitment()
	c.ChainID, c.Root, c.Account, c.Balance = e.ChainID, e.Root, e.Account, e.Balance
	c.Recipient = new(big.Int).SetBytes(e.Recipient[:])
	c.X, c.Y, c.Nonce, c.Aux = acc.PubKey.X, acc.PubKey.Y, acc.Nonce, acc.Aux
	for i := range w.Siblings {
		c.Siblings[i] = w.Siblings[i]
	}
	c.SigRX, c.SigRY, c.SigS = r.X, r.Y, new(big.Int).SetBytes(w.Sig[32:])
	noChannel(c)
	return c, nil
}

// noChannel fills an account exit's channel-claim fields: zeros, and the
// base point for the keys and R, so that the unused signature check has
// points to work on.
func noChannel(c *circuits.ExitCircuit) {
	b := base()
	c.Mode, c.Version, c.BalanceA, c.BalanceB, c.Final, c.Signed = 0, 0, 0, 0, 0, 0
	for _, p := range []*circuits.ExitParty{&c.PartyA, &c.PartyB} {
		p.X, p.Y, p.Nonce, p.Balance, p.Aux = b.X, b.Y, 0, 0, 0
		for i := range p.Siblings {
			p.Siblings[i] = 0
		}
	}
	c.SigBRX, c.SigBRY, c.SigBS = b.X, b.Y, 0
}

// ChannelExitWitness is what proving a channel claim needs beside the
// claim: the channel leaf's path, the parties' account leaves and paths,
// and, for a state that is not the leaf's own, both parties' signatures
// of it.
type ChannelExitWitness struct {
	Siblings       []vm.Element
	PartyA, PartyB vm.Account
	SiblingsA      []vm.Element
	SiblingsB      []vm.Element
	SigA, SigB     vm.Signature
}

// ProveChannelExit proves a channel claim with keys for the exit circuit,
// and checks the proof. It first checks the claim natively, so that a
// wrong path, split or signature is named rather than reported as an
// unsatisfied circuit.
func ProveChannelExit(keys *Keys, e vm.ChannelExit, w ChannelExitWitness) (*Proof, error) {
	depth := len(w.Siblings)
	leaf := e.Leaf.Leaf()
	if !vm.VerifyProof(depth, e.Root, uint64(e.Channel), leaf.Hash(), w.Siblings) {
		return nil, fmt.Errorf("prover: channel claim: leaf %d holds no such channel in root %x", e.Channel, e.Root.Bytes())
	}
	for _, p := range []struct {
		who   string
		index uint32
		acc   vm.Account
		sibs  []vm.Element
	}{{"A", e.Leaf.A, w.PartyA, w.SiblingsA}, {"B", e.Leaf.B, w.PartyB, w.SiblingsB}} {
		if p.acc.Kind != vm.KindAccount || !vm.VerifyProof(depth, e.Root, uint64(p.index), p.acc.Hash(), p.sibs) {
			return nil, fmt.Errorf("prover: channel claim: party %s's account %d is not in the root", p.who, p.index)
		}
	}
	if e.State.BalanceA > e.Leaf.Total || e.State.BalanceA+e.State.BalanceB != e.Leaf.Total {
		return nil, fmt.Errorf("prover: channel claim: %d + %d is not the channel's %d", e.State.BalanceA, e.State.BalanceB, e.Leaf.Total)
	}
	st := e.State
	st.ChainID, st.ChannelID = e.ChainID, e.Leaf.ID()
	signed := !e.Recorded()
	if signed && (!st.Verify(w.PartyA.PubKey, w.SigA) || !st.Verify(w.PartyB.PubKey, w.SigB)) {
		return nil, fmt.Errorf("prover: channel claim: version %d of channel %d is not signed by both parties", st.Version, st.ChannelID)
	}
	if keys == nil || keys.CCS == nil || keys.PK == nil || keys.VK == nil {
		return nil, errors.New("prover: channel claim: no proving key for the exit circuit")
	}
	c, err := ChannelExitAssignment(e, w)
	if err != nil {
		return nil, err
	}
	full, err := frontend.NewWitness(c, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("prover: channel claim witness: %w", err)
	}
	proof, err := groth16.Prove(keys.CCS, keys.PK, full, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prover: prove the claim on channel leaf %d: %w", e.Channel, err)
	}
	out := &Proof{Commitment: e.Commitment(), Proof: proof}
	if err := Verify(keys.VK, out); err != nil {
		return nil, fmt.Errorf("prover: channel claim: own proof does not verify: %w", err)
	}
	return out, nil
}

// ChannelExitAssignment is the exit circuit's full assignment for a
// channel claim. It checks nothing.
func ChannelExitAssignment(e vm.ChannelExit, w ChannelExitWitness) (*circuits.ExitCircuit, error) {
	c := circuits.NewExitCircuit(len(w.Siblings))
	leaf := e.Leaf.Leaf()
	c.Commitment = e.Commitment()
	c.Mode = 1
	c.ChainID, c.Root, c.Account, c.Balance, c.Recipient = e.ChainID, e.Root, e.Channel, e.Leaf.Total, 0
	c.X, c.Y, c.Nonce, c.Aux = leaf.PubKey.X, leaf.PubKey.Y, 0, 0
	for i := range w.Siblings {
		c.Siblings[i] = w.Siblings[i]
	}
	c.Version, c.BalanceA, c.BalanceB = e.State.Version, e.State.BalanceA, e.State.BalanceB
	c.Final, c.Signed = 0, 0
	if e.State.Final {
		c.Final = 1
	}
	b := base()
	sigA, sigB := w.SigA, w.SigB
	if !e.Recorded() {
		c.Signed = 1
	}
	for _, p := range []struct {
		dst  *circuits.ExitParty
		acc  vm.Account
		sibs []vm.Element
	}{{&c.PartyA, w.PartyA, w.SiblingsA}, {&c.PartyB, w.PartyB, w.SiblingsB}} {
		p.dst.X, p.dst.Y, p.dst.Nonce, p.dst.Balance, p.dst.Aux = p.acc.PubKey.X, p.acc.PubKey.Y, p.acc.Nonce, p.acc.Balance, p.acc.Aux
		if len(p.sibs) != len(w.Siblings) {
			return nil, fmt.Errorf("prover: channel claim: a party's path has %d levels, the channel's %d", len(p.sibs), len(w.Siblings))
		}
		for i := range p.sibs {
			p.dst.Siblings[i] = p.sibs[i]
		}
	}
	set := func(sig vm.Signature, rx, ry, s *frontend.Variable) error {
		if sig == (vm.Signature{}) {
			*rx, *ry, *s = b.X, b.Y, 0
			return nil
		}
		var r twistededwards.PointAffine
		if _, err := r.SetBytes(sig[:32]); err != nil {
			return fmt.Errorf("prover: channel claim: signature R: %w", err)
		}
		*rx, *ry, *s = r.X, r.Y, new(big.Int).SetBytes(sig[32:])
		return nil
	}
	if err := set(sigA, &c.SigRX, &c.SigRY, &c.SigS); err != nil {
		return nil, err
	}
	if err := set(sigB, &c.SigBRX, &c.SigBRY, &c.SigBS); err != nil {
		return nil, err
	}
	return c, nil
}

// SolidityBytes is the proof as the exported verifier takes it (256 bytes).
func (p *ExitProof) SolidityBytes() ([]byte, error) {
	return (&Proof{Commitment: p.Exit.Commitment(), Proof: p.Proof}).SolidityBytes()
}
