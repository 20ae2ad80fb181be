package vm

import (
	"encoding/binary"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
)

// Element is a BN254 scalar-field element, the word of the VM: every hash,
// key coordinate and leaf is one.
type Element = fr.Element

// permutation is the width-2 Poseidon2 permutation with gnark-crypto's
// default BN254 parameters (rF=6, rP=50). gnark's std/permutation/poseidon2
// uses the same parameters, which circuits/hash_test.go checks.
var permutation = sync.OnceValue(func() *poseidon2.Permutation {
	return poseidon2.NewDefaultPermutation()
})

// Compress is Poseidon2's 2-to-1 compression function with feed-forward,
// Compress(l, r) = P(l, r)[1] + r. It equals gnark-crypto's
// Permutation.Compress and gnark's in-circuit poseidon2.Compress, but works
// on elements directly, which avoids the byte round trip on the hot path.
func Compress(l, r Element) Element {
	x := [2]Element{l, r}
	if err := permutation().Permutation(x[:]); err != nil {
		panic("vm: poseidon2 permutation width is not 2") // broken invariant
	}
	var out Element
	out.Add(&x[1], &r)
	return out
}

// HashChain hashes a list of elements Merkle–Damgård style with Compress
// and a zero initial value: h = Compress(...Compress(Compress(0, x0), x1)..., xn).
// It is the construction of gnark-crypto's NewMerkleDamgardHasher and of
// gnark's in-circuit poseidon2.NewMerkleDamgardHasher, so EdDSA challenges
// and the VM's own hashes are computed the same way in Go and in circuits.
func HashChain(xs ...Element) Element {
	var h Element
	for _, x := range xs {
		h = Compress(h, x)
	}
	return h
}

// ElementFromUint64 returns v as a field element.
func ElementFromUint64(v uint64) Element {
	var e Element
	e.SetUint64(v)
	return e
}

// packUints packs unsigned integers of the given bit widths into one field
// element, the first value in the most significant position. The widths must
// sum to at most 248 bits, so that the packing is injective below the modulus.
// Packing several small fields into one element saves Compress calls in the
// circuit, which range-checks each part anyway.
func packUints(parts []uint64, widths []uint) Element {
	var buf [32]byte
	var bits uint
	for _, w := range widths {
		bits += w
	}
	if bits > 248 || len(parts) != len(widths) {
		panic("vm: bad packing layout") // broken invariant
	}
	// Fill a big-endian 256-bit buffer from the least significant end.
	var shift uint
	for i := len(parts) - 1; i >= 0; i-- {
		v := parts[i]
		for b := uint(0); b < widths[i]; b++ {
			if v>>b&1 == 1 {
				pos := shift + b
				buf[31-pos/8] |= 1 << (pos % 8)
			}
		}
		shift += widths[i]
	}
	var e Element
	e.SetBytes(buf[:])
	return e
}

// putUint24 writes the low 24 bits of v big-endian into b[0:3].
func putUint24(b []byte, v uint32) {
	b[0], b[1], b[2] = byte(v>>16), byte(v>>8), byte(v)
}

// uint24 reads a big-endian 24-bit integer from b[0:3].
func uint24(b []byte) uint32 {
	return uint32(b[0])<<16 | uint32(b[1])<<8 | uint32(b[2])
}

var be = binary.BigEndian
