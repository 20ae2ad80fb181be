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
	return c, nil
}

// SolidityBytes is the proof as the exported verifier takes it (256 bytes).
func (p *ExitProof) SolidityBytes() ([]byte, error) {
	return (&Proof{Commitment: p.Exit.Commitment(), Proof: p.Proof}).SolidityBytes()
}
