package vm

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzAccountUnmarshal: the storage decoder never panics, rejects with
// ErrMalformed, and what it accepts re-encodes to the same bytes.
func FuzzAccountUnmarshal(f *testing.F) {
	for _, a := range []Account{
		{},
		treeTestAccount(1),
		{Kind: KindChannel, PubKey: fuzzKey(f, "a").Public(), Balance: 5, Nonce: 1, Aux: ElementFromUint64(9)},
	} {
		b, err := a.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{0xff}, AccountSize))
	f.Fuzz(func(t *testing.T, in []byte) {
		var a Account
		if err := a.UnmarshalBinary(in); err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			return
		}
		out, err := a.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, in, out)
		_ = a.Hash()
	})
}
