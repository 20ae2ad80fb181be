package l1contracts

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/big"
	"regexp"
	"strings"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark/backend/groth16"
	groth16bn254 "github.com/consensys/gnark/backend/groth16/bn254"
)

// The batch verifier is gnark's own Solidity export (vk.ExportSolidity),
// but a deployment's verifying key is not known when the repository is
// built: the devnet makes dev keys on first run, production keys come from
// the ceremony. Compiling Solidity at run time would need Node, so instead:
//
//  1. src/Verifier.sol is gnark's export of a fixed template key, and
//     build/Verifier.bin its committed compilation;
//  2. VerifierBytecode exports the real key with gnark too, checks that the
//     two sources differ only in the key's constants, and swaps each
//     template constant (a PUSH32 immediate) in the bytecode for the real
//     one.
//
// The result is byte for byte what solc would make of gnark's export of the
// real key, minus the metadata hash. TestVerifierBytecode proves real
// proofs against it; TestArtifactsFresh keeps the template current.

//go:embed build/Verifier.bin
var verifierTemplateHex string

// vkConstant matches the constants of gnark's template that come from the
// verifying key.
var vkConstant = regexp.MustCompile(`(?m)^\s*uint256 constant ((?:ALPHA|BETA_NEG|GAMMA_NEG|DELTA_NEG|CONSTANT|PUB_\d+)_[XY](?:_[01])?) = (\d+);`)

// ExportVerifier returns gnark's Solidity verifier for vk.
func ExportVerifier(vk groth16.VerifyingKey) (string, error) {
	var buf bytes.Buffer
	if err := vk.ExportSolidity(&buf); err != nil {
		return "", fmt.Errorf("l1contracts: export verifier: %w", err)
	}
	return buf.String(), nil
}

// splitConstants returns the source with the key's constants blanked, and
// the constants in order.
func splitConstants(src string) (skeleton string, names []string, values []*big.Int) {
	for _, m := range vkConstant.FindAllStringSubmatch(src, -1) {
		v, _ := new(big.Int).SetString(m[2], 10)
		names = append(names, m[1])
		values = append(values, v)
	}
	skeleton = vkConstant.ReplaceAllString(src, "uint256 constant $1 = _;")
	return skeleton, names, values
}

var templateVK = sync.OnceValues(func() (*groth16bn254.VerifyingKey, error) {
	// Points [s]G from scalars hashed from a label, retried until every
	// constant of the export is a full 32 bytes and all are distinct: then
	// each shows up in the bytecode as one unambiguous PUSH32.
	_, _, g1, g2 := bn254.Generators()
	scalar := func(label string, try uint32) *big.Int {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], try)
		h := sha256.Sum256(append([]byte("keel verifier template "+label), b[:]...))
		var e fr.Element
		e.SetBytes(h[:])
		return e.BigInt(new(big.Int))
	}
	for try := uint32(0); try < 1000; try++ {
		vk := new(groth16bn254.VerifyingKey)
		vk.G1.Alpha.ScalarMultiplication(&g1, scalar("alpha", try))
		vk.G2.Beta.ScalarMultiplication(&g2, scalar("beta", try))
		vk.G2.Gamma.ScalarMultiplication(&g2, scalar("gamma", try))
		vk.G2.Delta.ScalarMultiplication(&g2, scalar("delta", try))
		vk.G1.K = make([]bn254.G1Affine, 2) // one public input
		vk.G1.K[0].ScalarMultiplication(&g1, scalar("k0", try))
		vk.G1.K[1].ScalarMultiplication(&g1, scalar("k1", try))
		if err := vk.Precompute(); err != nil {
			return nil, err
		}
		src, err := ExportVerifier(vk)
		if err != nil {
			return nil, err
		}
		_, _, values := splitConstants(src)
		seen := map[string]bool{}
		ok := len(values) > 0
		for _, v := range values {
			if len(v.Bytes()) != 32 || seen[v.String()] {
				ok = false
			}
			seen[v.String()] = true
		}
		if ok {
			return vk, nil
		}
	}
	return nil, fmt.Errorf("l1contracts: no usable template key")
})

// TemplateVerifierSource is src/Verifier.sol: gnark's export of the
// template key.
func TemplateVerifierSource() (string, error) {
	vk, err := templateVK()
	if err != nil {
		return "", err
	}
	return ExportVerifier(vk)
}

// VerifierBytecode returns the creation bytecode of gnark's Solidity
// verifier for vk, made from the committed template (see above).
func VerifierBytecode(vk groth16.VerifyingKey) ([]byte, error) {
	tmplSrc, err := TemplateVerifierSource()
	if err != nil {
		return nil, err
	}
	realSrc, err := ExportVerifier(vk)
	if err != nil {
		return nil, err
	}
	tSkel, tNames, tValues := splitConstants(tmplSrc)
	rSkel, rNames, rValues := splitConstants(realSrc)
	if tSkel != rSkel || strings.Join(tNames, ",") != strings.Join(rNames, ",") {
		return nil, fmt.Errorf("l1contracts: the verifying key's verifier differs from the template beyond its constants (a key with %d constants, the template %d); rebuild the template with make contracts", len(rNames), len(tNames))
	}
	code, err := hex.DecodeString(strings.TrimSpace(verifierTemplateHex))
	if err != nil {
		return nil, fmt.Errorf("l1contracts: template bytecode: %w", err)
	}
	for i, name := range tNames {
		var from, to [33]byte
		from[0], to[0] = 0x7f, 0x7f // PUSH32
		tValues[i].FillBytes(from[1:])
		rValues[i].FillBytes(to[1:])
		if n := bytes.Count(code, from[:]); n == 0 {
			return nil, fmt.Errorf("l1contracts: template constant %s not found in the bytecode", name)
		}
		code = bytes.ReplaceAll(code, from[:], to[:])
	}
	return code, nil
}
