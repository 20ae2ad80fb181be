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
		(&ChannelLeaf{Status: ChannelClosing, A: 1, B: 2, OpenNonce: 3, Period: 60, Deadline: 1_000, Version: 7, SplitA: 4, Total: 9}).Leaf(),
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
		// A channel leaf decodes to fields that pack back to the same
		// leaf, or is refused as malformed: one leaf, one channel.
		if ch, err := ChannelOf(&a); err == nil {
			require.Equal(t, a, ch.Leaf())
		} else if a.Kind == KindChannel {
			require.ErrorIs(t, err, ErrMalformed)
		} else {
			require.ErrorIs(t, err, ErrNotChannel)
		}
	})
}
