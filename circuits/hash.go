package circuits

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/std/permutation/poseidon2"
)

// Hasher computes the VM's Poseidon2 constructions inside a circuit.
type Hasher struct {
	api  frontend.API
	perm *poseidon2.Permutation
}

// NewHasher returns a Hasher for api.
func NewHasher(api frontend.API) (*Hasher, error) {
	p, err := poseidon2.NewPoseidon2(api)
	if err != nil {
		return nil, fmt.Errorf("circuits: poseidon2: %w", err)
	}
	return &Hasher{api: api, perm: p}, nil
}

// Compress is vm.Compress: 187 constraints.
func (h *Hasher) Compress(l, r frontend.Variable) frontend.Variable {
	return h.perm.Compress(l, r)
}

// Chain is vm.HashChain: Merkle–Damgård over Compress from a zero IV.
func (h *Hasher) Chain(xs ...frontend.Variable) frontend.Variable {
	var acc frontend.Variable = 0
	for _, x := range xs {
		acc = h.Compress(acc, x)
	}
	return acc
}

// Leaf is vm.Account.Hash for a non-empty leaf:
// Compress(Compress(x, y), Compress(state, aux)), where state is
// PackState(kind, nonce, balance). Callers select 0 for an empty leaf.
func (h *Hasher) Leaf(x, y, state, aux frontend.Variable) frontend.Variable {
	return h.Compress(h.Compress(x, y), h.Compress(state, aux))
}

var (
	two64 = new(big.Int).Lsh(big.NewInt(1), 64)
	two96 = new(big.Int).Lsh(big.NewInt(1), 96)
)

// PackState is the VM's kind(8) | nonce(32) | balance(64) packing as a
// linear combination: free in R1CS. It is injective only when the parts are
// range-checked, which the caller must do.
func PackState(api frontend.API, kind, nonce, balance frontend.Variable) frontend.Variable {
	return api.Add(api.Mul(kind, two96), api.Mul(nonce, two64), balance)
}
