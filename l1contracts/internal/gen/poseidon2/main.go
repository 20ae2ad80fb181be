// Command poseidon2 writes src/Poseidon2.sol, the Solidity Poseidon2 that
// Keel's L1 contracts use for the deposit queue's running hash.
//
// The library must agree bit for bit with vm.Compress, which is gnark-crypto's
// default BN254 permutation (width 2, 6 full rounds, 50 partial rounds, x^5
// S-box). Rather than copying 62 round constants by hand, this generator reads
// them from gnark-crypto at generation time, so bumping gnark-crypto and
// running `go generate ./l1contracts` is all it takes to follow a change; the
// test beside it fails while the checked-in file is stale.
//
// The round structure and the two width-2 matrices are code, not parameters, in
// gnark-crypto (poseidon2.go: matMulExternalInPlace, matMulInternalInPlace), so
// they are mirrored here; l1contracts' tests compare the compiled contract with
// vm.Compress to catch any drift there.
//
// Usage, from l1contracts/ (as go:generate runs it):
//
//	go run ./internal/gen/poseidon2 [-out src/Poseidon2.sol]
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"math/big"
	"os"
	"path/filepath"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

func main() {
	out := flag.String("out", filepath.Join("src", "Poseidon2.sol"), "file to write")
	flag.Parse()
	src, err := generate(poseidon2.GetDefaultParameters())
	if err != nil {
		fmt.Fprintln(os.Stderr, "poseidon2:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "poseidon2:", err)
		os.Exit(1)
	}
}

// generate renders the Solidity library for params. The output depends on
// params alone, so regenerating is reproducible and diffable.
func generate(params *poseidon2.Parameters) ([]byte, error) {
	if err := checkParams(params); err != nil {
		return nil, err
	}
	body, err := permutationYul(params)
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	fmt.Fprintf(&b, header, params.String(), params.NbFullRounds, params.NbPartialRounds, hex(fr.Modulus()))
	b.WriteString(body)
	b.WriteString(footer)
	return b.Bytes(), nil
}

// checkParams rejects parameters the emitted code does not implement.
func checkParams(p *poseidon2.Parameters) error {
	switch {
	case p.Width != 2:
		return fmt.Errorf("width %d: only the width-2 compression permutation is supported", p.Width)
	case poseidon2.DegreeSBox() != 5:
		return fmt.Errorf("s-box degree %d: only x^5 is supported", poseidon2.DegreeSBox())
	case p.NbFullRounds < 2 || p.NbFullRounds%2 != 0:
		return fmt.Errorf("%d full rounds: need a positive even number", p.NbFullRounds)
	case p.NbPartialRounds < 1:
		return fmt.Errorf("%d partial rounds: need at least one", p.NbPartialRounds)
	case len(p.RoundKeys) != p.NbFullRounds+p.NbPartialRounds:
		return fmt.Errorf("%d round keys for %d rounds", len(p.RoundKeys), p.NbFullRounds+p.NbPartialRounds)
	}
	for i, rk := range p.RoundKeys {
		want := 2
		if isPartial(p, i) {
			want = 1 // partial rounds add a key to the first word only
		}
		if len(rk) != want {
			return fmt.Errorf("round %d has %d keys, want %d", i, len(rk), want)
		}
	}
	return nil
}

func isPartial(p *poseidon2.Parameters, round int) bool {
	rf := p.NbFullRounds / 2
	return round >= rf && round < rf+p.NbPartialRounds
}

// The emitted code reduces modulo p lazily: a word may hold any value below
// k·p as long as k·p < 2^256, since mulmod and addmod take any 256-bit operand.
// bound tracks k for each word while emitting and refuses to emit an add
// that could wrap, so the saving of an addmod can never cost correctness.
type bound int

// maxBound is the largest k with k·p < 2^256 (5 for BN254).
var maxBound = func() bound {
	limit := new(big.Int).Lsh(big.NewInt(1), 256)
	k := new(big.Int).Div(new(big.Int).Sub(limit, big.NewInt(1)), fr.Modulus())
	return bound(k.Int64())
}()

var errWrap = errors.New("emitted add could exceed 2^256; reduce earlier")

// sum is the bound of a plain add of words with the given bounds.
func sum(e *error, bs ...bound) bound {
	var s bound
	for _, b := range bs {
		s += b
	}
	if s > maxBound && *e == nil {
		*e = errWrap
	}
	return s
}

// permutationYul emits the body of the assembly block of _compress: the
// permutation on (s0, s1) = (l, r), then h = s1 + r.
func permutationYul(p *poseidon2.Parameters) (string, error) {
	var (
		b      bytes.Buffer
		err    error
		s0, s1 bound = 1, 1 // callers pass canonical elements
	)
	w := func(format string, args ...any) { fmt.Fprintf(&b, "            "+format+"\n", args...) }

	// P lives on the stack. Used as a literal, it costs 33 bytes a use, and
	// solc (200 runs) then loads it with CODECOPY instead: 14.3k gas a
	// compress rather than 6.7k. The shape of the rounds below (temporaries
	// in nested blocks, results reassigned to s0 and s1) also measured
	// cheapest with solc 0.8.37's legacy pipeline: 6,742 gas against 7,410
	// for the same arithmetic with one more named temporary a round. viaIR
	// made it 12.9k. Re-measure (TestPoseidon2Gas) before reshaping.
	w("let p := P")
	w("// A full round adds a key to each word, applies x^5 to each and")
	w("// multiplies by [[2, 1], [1, 2]]. A partial round adds a key to s0,")
	w("// applies x^5 to it (x) and multiplies by [[2, 1], [1, 3]]:")
	w("// (s0, s1) := (2x + s1, x + 3·s1), computed through t = x + s1.")
	// Initial external matrix circ(2, 1): (2·s0 + s1, s0 + 2·s1).
	w("// initial linear layer: [[2, 1], [1, 2]]")
	w("let t := add(l, r)")
	w("let s0 := add(t, l)")
	w("let s1 := add(t, r)")
	t := sum(&err, s0, s1)
	s0, s1 = sum(&err, t, s0), sum(&err, t, s1)

	for i, rk := range p.RoundKeys {
		if isPartial(p, i) {
			// add key to s0, x^5 on s0, internal matrix [[2, 1], [1, 3]].
			w("{ // partial round %d", i)
			w("    let x := add(s0, %s)", hexElement(&rk[0]))
			sum(&err, s0, 1)
			w("    {")
			w("        let x2 := mulmod(x, x, p)")
			w("        x := mulmod(mulmod(x2, x2, p), x, p)")
			w("    }")
			w("    s0 := add(x, s1)") // t, kept in s0
			t := sum(&err, 1, s1)
			w("    s1 := addmod(s0, add(s1, s1), p)") // t + 2·s1 = x + 3·s1
			sum(&err, s1, s1)
			s1 = 1
			w("    s0 := add(s0, x)") // t + x = 2·x + s1
			s0 = sum(&err, t, 1)
			w("}")
			continue
		}
		// add keys, x^5 on both words, external matrix [[2, 1], [1, 2]].
		w("{ // full round %d", i)
		w("    let a := add(s0, %s)", hexElement(&rk[0]))
		sum(&err, s0, 1)
		w("    {")
		w("        let a2 := mulmod(a, a, p)")
		w("        a := mulmod(mulmod(a2, a2, p), a, p)")
		w("    }")
		w("    let c := add(s1, %s)", hexElement(&rk[1]))
		sum(&err, s1, 1)
		w("    {")
		w("        let c2 := mulmod(c, c, p)")
		w("        c := mulmod(mulmod(c2, c2, p), c, p)")
		w("    }")
		w("    s1 := add(a, c)")
		w("    s0 := add(a, s1)")
		s0 = sum(&err, 1, sum(&err, 1, 1))
		if i+1 < len(p.RoundKeys) && isPartial(p, i+1) {
			// A partial round doubles s1 with a plain add; keep it small.
			w("    s1 := addmod(c, s1, p)")
			s1 = 1
		} else {
			w("    s1 := add(c, s1)")
			s1 = sum(&err, 1, sum(&err, 1, 1))
		}
		w("}")
	}
	// Feed-forward of the right input, which also reduces.
	w("h := addmod(s1, r, p)")
	if err != nil {
		return "", err
	}
	return b.String(), nil
}

func hexElement(e *fr.Element) string {
	var v big.Int
	return hex(e.BigInt(&v))
}

func hex(v *big.Int) string { return fmt.Sprintf("0x%064x", v) }

// header takes the parameter string, the full and partial round counts, and
// the modulus.
const header = `// SPDX-License-Identifier: MIT
// Code generated by l1contracts/internal/gen/poseidon2 from gnark-crypto's
// ecc/bn254/fr/poseidon2 default parameters, %s. DO NOT EDIT.
// Regenerate with ` + "`go generate ./l1contracts`" + `.
pragma solidity 0.8.37;

/// @title Poseidon2 over the BN254 scalar field
/// @notice Poseidon2's width-2 compression, equal bit for bit to gnark-crypto's
/// default BN254 permutation (%d full rounds, %d partial rounds, x^5 S-box) and
/// so to Keel's vm.Compress and vm.HashChain and to gnark's in-circuit
/// poseidon2. The deposit queue's running hash depends on all three agreeing.
/// @dev The permutation is unrolled in assembly with the round keys inlined.
/// Words are reduced lazily: between S-boxes a word may exceed P (but never
/// 2^256; the generator checks the bounds), since mulmod and addmod accept any
/// 256-bit operand. Every result is canonical (< P).
library Poseidon2 {
    /// @notice P is the BN254 scalar field modulus (gnark-crypto's fr).
    uint256 internal constant P = %s;

    /// @notice An input was not a canonical field element (it was >= P).
    /// Reducing it silently would let two different inputs share one hash.
    error InputNotInField();

    /// @notice compress returns Poseidon2's compression P(l, r)[1] + r, as
    /// vm.Compress(l, r). Reverts with InputNotInField unless l, r < P.
    function compress(uint256 l, uint256 r) internal pure returns (uint256) {
        if (l >= P || r >= P) revert InputNotInField();
        return _compress(l, r);
    }

    /// @notice hashChain3 returns the Merkle–Damgård hash of three elements,
    /// compress(compress(compress(0, a), b), c), as vm.HashChain(a, b, c).
    /// The deposit queue calls it with a = the previous running hash.
    /// Reverts with InputNotInField unless all are < P.
    function hashChain3(uint256 a, uint256 b, uint256 c) internal pure returns (uint256) {
        if (a >= P || b >= P || c >= P) revert InputNotInField();
        return _compress(_compress(_compress(0, a), b), c);
    }

    /// @notice hashChain4 returns the Merkle–Damgård hash of four elements,
    /// compress(compress(compress(compress(0, a), b), c), d), as
    /// vm.HashChain(a, b, c, d). The full-exit queue and the exit commitment
    /// call it. Reverts with InputNotInField unless all are < P.
    function hashChain4(uint256 a, uint256 b, uint256 c, uint256 d) internal pure returns (uint256) {
        if (a >= P || b >= P || c >= P || d >= P) revert InputNotInField();
        return _compress(_compress(_compress(_compress(0, a), b), c), d);
    }

    /// @dev _compress requires l, r < P.
    function _compress(uint256 l, uint256 r) private pure returns (uint256 h) {
        assembly ("memory-safe") {
`

const footer = `        }
    }
}
`
