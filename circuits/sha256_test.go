package circuits

import (
	"crypto/sha256"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/test"
	"github.com/stretchr/testify/require"
)

type sha256Circuit struct {
	Msg    []frontend.Variable
	Digest [256]frontend.Variable
}

func (c *sha256Circuit) Define(api frontend.API) error {
	for _, b := range c.Msg {
		api.AssertIsBoolean(b)
	}
	d := SHA256(api, c.Msg)
	for i := range d {
		api.AssertIsEqual(d[i], c.Digest[i])
	}
	return nil
}

func bytesToBits(b []byte) []frontend.Variable {
	out := make([]frontend.Variable, 0, 8*len(b))
	for _, x := range b {
		for i := 7; i >= 0; i-- {
			out = append(out, (x>>uint(i))&1)
		}
	}
	return out
}

// TestSHA256Parity checks the bit-level SHA-256 against crypto/sha256 for
// lengths around the padding boundaries, and that a wrong digest fails.
func TestSHA256Parity(t *testing.T) {
	for _, n := range []int{0, 12, 55, 56, 64, 100} {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(i*37 + 11)
		}
		d := sha256.Sum256(msg)
		assign := &sha256Circuit{Msg: bytesToBits(msg)}
		copy(assign.Digest[:], bytesToBits(d[:]))
		shape := &sha256Circuit{Msg: make([]frontend.Variable, 8*n)}
		require.NoError(t, test.IsSolved(shape, assign, ecc.BN254.ScalarField()), "len %d", n)
		assign.Digest[200] = 1 - (d[25]>>7)&1 // flip bit 200
		require.Error(t, test.IsSolved(shape, assign, ecc.BN254.ScalarField()), "len %d wrong digest", n)
	}
}

func TestSHA256Cost(t *testing.T) {
	shape := &sha256Circuit{Msg: make([]frontend.Variable, 8*55)} // one block
	cs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, shape)
	require.NoError(t, err)
	t.Logf("bit-level sha256, one block: %d constraints", cs.GetNbConstraints())
	require.Less(t, cs.GetNbConstraints(), 35_000, "the bit-level sha256 must stay cheaper than std/hash/sha2's per-block cost")
}
