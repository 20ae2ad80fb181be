package vm

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

func channelKey(t testing.TB, name string) *PrivateKey {
	seed := sha256.Sum256([]byte("channel " + name))
	k, err := PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// TestChannelStateSignatureBindsEveryField changes each field of a signed
// state in turn: the signature must stop verifying, so a state replays on
// no other chain, channel or version, and no split can be altered.
func TestChannelStateSignatureBindsEveryField(t *testing.T) {
	alice := channelKey(t, "alice")
	st := ChannelState{ChainID: 7, ChannelID: ChannelIDOf(3, 9), Version: 41, BalanceA: 600, BalanceB: 400}
	sig, err := st.Sign(alice)
	require.NoError(t, err)
	require.True(t, st.Verify(alice.Public(), sig))
	require.False(t, st.Verify(channelKey(t, "bob").Public(), sig), "another key")

	for name, mut := range map[string]func(*ChannelState){
		"chain":     func(s *ChannelState) { s.ChainID++ },
		"channel":   func(s *ChannelState) { s.ChannelID = ChannelIDOf(3, 10) },
		"version":   func(s *ChannelState) { s.Version++ },
		"balance A": func(s *ChannelState) { s.BalanceA--; s.BalanceB++ },
		"balance B": func(s *ChannelState) { s.BalanceB++ },
		"final":     func(s *ChannelState) { s.Final = true },
	} {
		changed := st
		mut(&changed)
		require.False(t, changed.Verify(alice.Public(), sig), "a signature survives a change of %s", name)
	}
}

// TestChannelStateIsNotATransaction: the tag keeps a channel signature from
// ever being a transaction signature, whatever the numbers.
func TestChannelStateIsNotATransaction(t *testing.T) {
	for typ := TxDeposit; typ <= TxWithdraw; typ++ {
		require.NotEqual(t, ChannelStateTag, int(typ))
	}
	alice := channelKey(t, "alice")
	st := ChannelState{ChainID: 7, ChannelID: 2, Version: 0, BalanceA: 1000}
	sig, err := st.Sign(alice)
	require.NoError(t, err)
	tx := Tx{Type: TxTransfer, ChainID: 7, From: 0, To: 2, Amount: 1000, Nonce: 0, Sig: sig}
	require.False(t, tx.VerifySignature(alice.Public()))
	require.NotEqual(t, st.Message(), tx.Message())
}

func TestChannelStateEncoding(t *testing.T) {
	st := ChannelState{ChainID: 1, ChannelID: ChannelIDOf(1, 2), Version: 3, BalanceA: 4, BalanceB: 5, Final: true}
	b, err := st.MarshalBinary()
	require.NoError(t, err)
	require.Len(t, b, ChannelStateSize)
	var got ChannelState
	require.NoError(t, got.UnmarshalBinary(b))
	require.Equal(t, st, got)

	bad := append([]byte(nil), b...)
	bad[40] = 2
	require.ErrorIs(t, got.UnmarshalBinary(bad), ErrMalformed)
	require.ErrorIs(t, got.UnmarshalBinary(b[:40]), ErrMalformed)
	over := ChannelState{BalanceA: 1 << 63, BalanceB: 1 << 63}
	ob, err := over.MarshalBinary()
	require.NoError(t, err)
	require.True(t, errors.Is(got.UnmarshalBinary(ob), ErrMalformed), "balances that overflow")
}

func FuzzChannelState(f *testing.F) {
	good, _ := ChannelState{ChainID: 1, ChannelID: 2, Version: 3, BalanceA: 4, BalanceB: 5}.MarshalBinary()
	f.Add(good)
	f.Add(make([]byte, ChannelStateSize))
	f.Fuzz(func(t *testing.T, b []byte) {
		var st ChannelState
		if st.UnmarshalBinary(b) != nil {
			return
		}
		again, err := st.MarshalBinary()
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("decoded state re-encodes differently: %x vs %x", again, b)
		}
	})
}
