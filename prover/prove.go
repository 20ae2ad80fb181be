package prover

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark/backend"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
	"github.com/consensys/gnark/backend/solidity"
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
)

// Proof is a batch's Groth16 proof with its one public input.
type Proof struct {
	// BatchNumber is the batch the proof is for.
	BatchNumber uint64
	// Commitment is the public input, vm.BatchCommitment of the batch.
	Commitment vm.Element
	// Proof is the Groth16 proof (BN254).
	Proof groth16.Proof
}

// ErrInvalidProof means a proof does not verify against the key and input.
var ErrInvalidProof = errors.New("prover: invalid proof")

// Prover proves sealed batches with one set of keys.
type Prover struct {
	cfg  vm.Config
	keys *Keys
}

// New returns a prover for batches of cfg with keys. The keys' circuit must
// have cfg.Slots slots and depth cfg.Depth.
func New(cfg vm.Config, keys *Keys) (*Prover, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if keys == nil || keys.PK == nil || keys.VK == nil || keys.CCS == nil {
		return nil, fmt.Errorf("prover: incomplete keys")
	}
	return &Prover{cfg: cfg, keys: keys}, nil
}

// Keys returns the prover's keys.
func (p *Prover) Keys() *Keys { return p.keys }

// Prove builds the witness from sb's trace, proves it, and checks the
// proof before returning it: a proof that fails to verify here would be
// rejected on L1 and cost gas.
func (p *Prover) Prove(sb *vm.SealedBatch) (*Proof, error) {
	assignment, err := Witness(p.cfg, sb)
	if err != nil {
		return nil, err
	}
	full, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
	if err != nil {
		return nil, fmt.Errorf("prover: witness for batch %d: %w", sb.After.BatchNumber, err)
	}
	// The Solidity target only matters for circuits with commitments (it
	// picks the hash-to-field the exported verifier uses); set it anyway so
	// a future commitment cannot silently break on-chain verification.
	proof, err := groth16.Prove(p.keys.CCS, p.keys.PK, full, solidity.WithProverTargetSolidityVerifier(backend.GROTH16))
	if err != nil {
		return nil, fmt.Errorf("prover: prove batch %d: %w", sb.After.BatchNumber, err)
	}
	out := &Proof{BatchNumber: sb.After.BatchNumber, Commitment: sb.Commitment(p.cfg.Operator), Proof: proof}
	if err := Verify(p.keys.VK, out); err != nil {
		return nil, fmt.Errorf("prover: batch %d: own proof does not verify: %w", sb.After.BatchNumber, err)
	}
	return out, nil
}

// Verify checks proof against vk and its commitment.
func Verify(vk groth16.VerifyingKey, proof *Proof) error {
	pub, err := frontend.NewWitness(&circuits.BatchCircuit{Commitment: proof.Commitment}, ecc.BN254.ScalarField(), frontend.PublicOnly())
	if err != nil {
		return fmt.Errorf("prover: public witness: %w", err)
	}
	if err := groth16.Verify(proof.Proof, vk, pub, solidity.WithVerifierTargetSolidityVerifier(backend.GROTH16)); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidProof, err)
	}
	return nil
}

// SolidityBytes returns the proof as the 256 bytes the exported verifier's
// verifyProof(bytes proof, uint256[1] input) takes.
func (p *Proof) SolidityBytes() ([]byte, error) {
	bp, ok := p.Proof.(*groth16bn254.Proof)
	if !ok {
		return nil, fmt.Errorf("prover: not a BN254 proof")
	}
	raw := bp.MarshalSolidity()
	if len(raw) != 256 {
		return nil, fmt.Errorf("prover: solidity proof is %d bytes, want 256 (no commitments)", len(raw))
	}
	return raw, nil
}

// SolidityProof returns the proof as the gnark-exported Solidity
// verifier's verifyProof takes it: eight uint256 words (A.x, A.y,
// B.x.a1, B.x.a0, B.y.a1, B.y.a0, C.x, C.y), and the public input.
func (p *Proof) SolidityProof() (words [8]*big.Int, input [1]*big.Int, err error) {
	raw, err := p.SolidityBytes()
	if err != nil {
		return words, input, err
	}
	for i := range words {
		words[i] = new(big.Int).SetBytes(raw[32*i : 32*(i+1)])
	}
	input[0] = p.Commitment.BigInt(new(big.Int))
	return words, input, nil
}

// ProofFromSolidity parses the 256 bytes SolidityBytes produces (the
// calldata of Rollup.commitBatch), for a verifier that reads proofs from
// L1. Each coordinate must be canonical and each point on its curve and in
// its subgroup, so a parsed proof is one gnark would have made.
func ProofFromSolidity(raw []byte, batch uint64, commitment vm.Element) (*Proof, error) {
	if len(raw) != 256 {
		return nil, fmt.Errorf("%w: proof of %d bytes, want 256", ErrInvalidProof, len(raw))
	}
	var coords [8]fp.Element
	for i := range coords {
		if err := coords[i].SetBytesCanonical(raw[32*i : 32*(i+1)]); err != nil {
			return nil, fmt.Errorf("%w: word %d is not a field element", ErrInvalidProof, i)
		}
	}
	p := new(groth16bn254.Proof)
	p.Ar.X, p.Ar.Y = coords[0], coords[1]
	p.Bs.X.A1, p.Bs.X.A0, p.Bs.Y.A1, p.Bs.Y.A0 = coords[2], coords[3], coords[4], coords[5]
	p.Krs.X, p.Krs.Y = coords[6], coords[7]
	if !p.Ar.IsOnCurve() || !p.Ar.IsInSubGroup() || !p.Krs.IsOnCurve() || !p.Krs.IsInSubGroup() || !p.Bs.IsOnCurve() || !p.Bs.IsInSubGroup() {
		return nil, fmt.Errorf("%w: a point is not on its curve or not in its subgroup", ErrInvalidProof)
	}
	return &Proof{BatchNumber: batch, Commitment: commitment, Proof: p}, nil
}
