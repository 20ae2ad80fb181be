package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCompress2 checks the lockstep pair against Compress (gnark-crypto's
// permutation) on edge values and random ones.
func TestCompress2(t *testing.T) {
	var minusOne Element
	minusOne.SetOne()
	minusOne.Neg(&minusOne)
	edges := []Element{{}, ElementFromUint64(1), minusOne}
	var cases [][4]Element
	for _, a := range edges {
		for _, b := range edges {
			cases = append(cases, [4]Element{a, b, b, a})
		}
	}
	for range 300 {
		var c [4]Element
		for i := range c {
			_, _ = c[i].SetRandom()
		}
		cases = append(cases, c)
	}
	for i, c := range cases {
		x, y := Compress2(c[0], c[1], c[2], c[3])
		require.Equal(t, Compress(c[0], c[1]), x, "case %d, first", i)
		require.Equal(t, Compress(c[2], c[3]), y, "case %d, second", i)
	}
}

func BenchmarkCompress2(b *testing.B) {
	l, r := ElementFromUint64(1), ElementFromUint64(2)
	for b.Loop() {
		l, r = Compress2(l, r, r, l)
	}
	benchSink = l
}
