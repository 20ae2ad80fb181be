package circuits

import (
	"math/big"

	"github.com/consensys/gnark/frontend"
)

// SHA-256 over bits in plain R1CS.
//
// gnark's std/hash/sha2 uses lookup tables: about 131k constraints of table
// up front plus 35k per block, and a Pedersen commitment that costs about
// 123k more gas per on-chain verification. Working on bits instead costs
// about 26k per block and nothing up front (see constraints.txt): XOR is
// one multiplication per bit, Ch and Maj one or two, and each 32-bit
// addition is a single decomposition of the field sum into bits. For a
// batch's few kilobytes of public data the bit-level version is smaller
// and keeps the verifier free of commitments, so that is what Keel uses.

// word is a 32-bit word as bits, least significant first.
type word [32]frontend.Variable

type sha256Gadget struct{ api frontend.API }

var sha256K = [64]uint32{
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
}

var sha256IV = [8]uint32{0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19}

func constWord(v uint32) (w word) {
	for i := range w {
		w[i] = (v >> uint(i)) & 1
	}
	return w
}

func rotr(w word, n int) (out word) {
	for i := range out {
		out[i] = w[(i+n)%32]
	}
	return out
}

func shr(w word, n int) (out word) {
	for i := range out {
		if i+n < 32 {
			out[i] = w[i+n]
		} else {
			out[i] = 0
		}
	}
	return out
}

func (g sha256Gadget) xor3(a, b, c word) (out word) {
	for i := range out {
		out[i] = g.api.Xor(g.api.Xor(a[i], b[i]), c[i])
	}
	return out
}

// ch is (e AND f) XOR (NOT e AND g) = g + e(f − g): one constraint a bit.
func (g sha256Gadget) ch(e, f, gg word) (out word) {
	for i := range out {
		out[i] = g.api.Add(gg[i], g.api.Mul(e[i], g.api.Sub(f[i], gg[i])))
	}
	return out
}

// maj is the majority of a, b, c = ab + c(a XOR b): two constraints a bit.
func (g sha256Gadget) maj(a, b, c word) (out word) {
	for i := range out {
		ab := g.api.Mul(a[i], b[i])
		axb := g.api.Sub(g.api.Add(a[i], b[i]), g.api.Mul(ab, 2))
		out[i] = g.api.Add(ab, g.api.Mul(c[i], axb))
	}
	return out
}

var powersOfTwo = func() (p [40]*big.Int) {
	for i := range p {
		p[i] = new(big.Int).Lsh(big.NewInt(1), uint(i))
	}
	return p
}()

func (g sha256Gadget) pack(w word) frontend.Variable {
	terms := make([]frontend.Variable, 32)
	for i := range w {
		terms[i] = g.api.Mul(w[i], powersOfTwo[i])
	}
	return g.api.Add(terms[0], terms[1], terms[2:]...)
}

// add returns the sum of words (and a constant) mod 2^32, by decomposing
// the field sum into 32 bits plus enough carry bits.
func (g sha256Gadget) add(k uint32, ws ...word) word {
	terms := []frontend.Variable{k, 0}
	for _, w := range ws {
		terms = append(terms, g.pack(w))
	}
	sum := g.api.Add(terms[0], terms[1], terms[2:]...)
	carry := 1
	for 1<<carry < len(ws)+1 {
		carry++
	}
	b := g.api.ToBinary(sum, 32+carry)
	var out word
	copy(out[:], b[:32])
	return out
}

// compress is the SHA-256 compression function.
func (g sha256Gadget) compress(state [8]word, block [16]word) [8]word {
	var w [64]word
	copy(w[:16], block[:])
	for t := 16; t < 64; t++ {
		s0 := g.xor3(rotr(w[t-15], 7), rotr(w[t-15], 18), shr(w[t-15], 3))
		s1 := g.xor3(rotr(w[t-2], 17), rotr(w[t-2], 19), shr(w[t-2], 10))
		w[t] = g.add(0, s1, w[t-7], s0, w[t-16])
	}
	a, b, c, d, e, f, gg, h := state[0], state[1], state[2], state[3], state[4], state[5], state[6], state[7]
	for t := 0; t < 64; t++ {
		S1 := g.xor3(rotr(e, 6), rotr(e, 11), rotr(e, 25))
		S0 := g.xor3(rotr(a, 2), rotr(a, 13), rotr(a, 22))
		chv := g.ch(e, f, gg)
		majv := g.maj(a, b, c)
		// e' = d + T1 and a' = T1 + T2, each one decomposition.
		newE := g.add(sha256K[t], d, h, S1, chv, w[t])
		newA := g.add(sha256K[t], h, S1, chv, w[t], S0, majv)
		h, gg, f, e, d, c, b, a = gg, f, e, newE, c, b, a, newA
	}
	next := [8]word{a, b, c, d, e, f, gg, h}
	for i := range next {
		next[i] = g.add(0, state[i], next[i])
	}
	return next
}

// SHA256 hashes a message given as bits, most significant bit of each byte
// first (the order of the bytes on the wire). The length is fixed when the
// circuit is compiled. It returns the 256 digest bits in the same order.
func SHA256(api frontend.API, msg []frontend.Variable) []frontend.Variable {
	g := sha256Gadget{api: api}
	l := len(msg)
	padded := append([]frontend.Variable{}, msg...)
	padded = append(padded, 1)
	for (len(padded)+64)%512 != 0 {
		padded = append(padded, 0)
	}
	for i := 63; i >= 0; i-- {
		padded = append(padded, (uint64(l)>>uint(i))&1)
	}
	var state [8]word
	for i := range state {
		state[i] = constWord(sha256IV[i])
	}
	for off := 0; off < len(padded); off += 512 {
		var block [16]word
		for j := range block {
			for i := 0; i < 32; i++ {
				block[j][i] = padded[off+32*j+31-i]
			}
		}
		state = g.compress(state, block)
	}
	out := make([]frontend.Variable, 0, 256)
	for _, w := range state {
		for i := 31; i >= 0; i-- {
			out = append(out, w[i])
		}
	}
	return out
}
