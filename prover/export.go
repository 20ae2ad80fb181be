package prover

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fp"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// Third-party verification
//
// Keel exports its verifying key and every proof in the JSON format of
// snarkjs (iden3), the most widely used Groth16 tool on BN254, so anyone
// can check a batch proof with a verifier Keel did not write:
//
//	snarkjs groth16 verify verification_key.json public.json proof.json
//
// verification_key.json:
//
//	{"protocol":"groth16","curve":"bn128","nPublic":1,
//	 "vk_alpha_1":[x,y,"1"],
//	 "vk_beta_2":[[x.a0,x.a1],[y.a0,y.a1],["1","0"]],
//	 "vk_gamma_2":…, "vk_delta_2":…,
//	 "IC":[[x,y,"1"],[x,y,"1"]]}
//
// proof.json: {"pi_a":[x,y,"1"],"pi_b":[[x.a0,x.a1],[y.a0,y.a1],["1","0"]],
// "pi_c":[x,y,"1"],"protocol":"groth16","curve":"bn128"}
//
// public.json: ["<commitment>"], the batch's one public input in decimal
// (vm.BatchCommitment).
//
// Numbers are decimal strings; G2 coordinates are elements of F_p², a0 + a1·u,
// listed a0 first. The check is the textbook Groth16 equation
// e(A, B) = e(α, β)·e(IC₀ + commitment·IC₁, γ)·e(C, δ).

// SnarkjsVerifyingKey is verification_key.json.
type SnarkjsVerifyingKey struct {
	Protocol string       `json:"protocol"`
	Curve    string       `json:"curve"`
	NPublic  int          `json:"nPublic"`
	Alpha1   [3]string    `json:"vk_alpha_1"`
	Beta2    [3][2]string `json:"vk_beta_2"`
	Gamma2   [3][2]string `json:"vk_gamma_2"`
	Delta2   [3][2]string `json:"vk_delta_2"`
	IC       [][3]string  `json:"IC"`
}

// SnarkjsProof is proof.json.
type SnarkjsProof struct {
	PiA      [3]string    `json:"pi_a"`
	PiB      [3][2]string `json:"pi_b"`
	PiC      [3]string    `json:"pi_c"`
	Protocol string       `json:"protocol"`
	Curve    string       `json:"curve"`
}

func fpString(e *fp.Element) string { return e.BigInt(new(big.Int)).String() }

func g1JSON(p *bn254.G1Affine) [3]string {
	return [3]string{fpString(&p.X), fpString(&p.Y), "1"}
}

func g2JSON(p *bn254.G2Affine) [3][2]string {
	return [3][2]string{
		{fpString(&p.X.A0), fpString(&p.X.A1)},
		{fpString(&p.Y.A0), fpString(&p.Y.A1)},
		{"1", "0"},
	}
}

// ExportVerifyingKeyJSON returns vk as snarkjs verification_key.json.
func ExportVerifyingKeyJSON(vk groth16.VerifyingKey) ([]byte, error) {
	v, ok := vk.(*groth16bn254.VerifyingKey)
	if !ok {
		return nil, fmt.Errorf("prover: not a BN254 verifying key")
	}
	if len(v.CommitmentKeys) > 0 {
		return nil, fmt.Errorf("prover: verifying key has commitments, which snarkjs cannot check")
	}
	out := SnarkjsVerifyingKey{
		Protocol: "groth16", Curve: "bn128", NPublic: len(v.G1.K) - 1,
		Alpha1: g1JSON(&v.G1.Alpha), Beta2: g2JSON(&v.G2.Beta), Gamma2: g2JSON(&v.G2.Gamma), Delta2: g2JSON(&v.G2.Delta),
	}
	for i := range v.G1.K {
		out.IC = append(out.IC, g1JSON(&v.G1.K[i]))
	}
	return json.MarshalIndent(out, "", "  ")
}

// ExportJSON returns the proof as snarkjs proof.json and its public input
// as public.json.
func (p *Proof) ExportJSON() (proofJSON, publicJSON []byte, err error) {
	bp, ok := p.Proof.(*groth16bn254.Proof)
	if !ok {
		return nil, nil, fmt.Errorf("prover: not a BN254 proof")
	}
	proofJSON, err = json.MarshalIndent(SnarkjsProof{
		PiA: g1JSON(&bp.Ar), PiB: g2JSON(&bp.Bs), PiC: g1JSON(&bp.Krs), Protocol: "groth16", Curve: "bn128",
	}, "", "  ")
	if err != nil {
		return nil, nil, err
	}
	publicJSON, err = json.Marshal([]string{p.Commitment.BigInt(new(big.Int)).String()})
	return proofJSON, publicJSON, err
}
