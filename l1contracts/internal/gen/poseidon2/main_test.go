package main

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/stretchr/testify/require"
)

// TestGeneratedUpToDate fails when src/Poseidon2.sol differs from what the
// generator makes of the gnark-crypto in go.mod: after a gnark-crypto bump or
// a hand edit. Run `go generate ./l1contracts`, then recompile the contracts.
func TestGeneratedUpToDate(t *testing.T) {
	want, err := generate(poseidon2.GetDefaultParameters())
	require.NoError(t, err)
	again, err := generate(poseidon2.GetDefaultParameters())
	require.NoError(t, err)
	require.True(t, bytes.Equal(want, again), "generator output is not deterministic")

	got, err := os.ReadFile(filepath.Join("..", "..", "..", "src", "Poseidon2.sol"))
	require.NoError(t, err)
	require.Equal(t, string(want), string(got), "src/Poseidon2.sol is stale: run go generate ./l1contracts, then make contracts")
}

func TestGenerateRejectsUnsupportedParameters(t *testing.T) {
	def := poseidon2.GetDefaultParameters()
	tests := []struct {
		name   string
		params *poseidon2.Parameters
	}{
		{"width 3", poseidon2.NewParameters(3, 6, 50)},
		{"odd full rounds", &poseidon2.Parameters{Width: 2, NbFullRounds: 5, NbPartialRounds: 50, RoundKeys: def.RoundKeys}},
		{"no partial rounds", &poseidon2.Parameters{Width: 2, NbFullRounds: 6, RoundKeys: def.RoundKeys[:6]}},
		{"missing round keys", &poseidon2.Parameters{Width: 2, NbFullRounds: 6, NbPartialRounds: 50, RoundKeys: def.RoundKeys[:55]}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := generate(tt.params)
			require.Error(t, err)
		})
	}
}

// TestBoundCheck checks that the lazy-reduction bookkeeping refuses an add
// that could exceed 2^256.
func TestBoundCheck(t *testing.T) {
	require.Equal(t, bound(5), maxBound) // floor((2^256-1)/p) for BN254
	var err error
	sum(&err, 2, 3)
	require.NoError(t, err)
	sum(&err, 3, 3)
	require.ErrorIs(t, err, errWrap)
}
