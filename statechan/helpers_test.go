package statechan

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

const (
	testChain   = 7
	testChannel = 0x0000000100000002 // vm.ChannelIDOf(1, 2)
)

// testKey derives a reproducible key from a name.
func testKey(t testing.TB, name string) *vm.PrivateKey {
	t.Helper()
	seed := sha256.Sum256([]byte("statechan test key " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// Roles of the adversarial tests, as go-perun names them: Alice and Bob
// are honest, Mallory is a party who cheats.
type cast struct {
	alice, bob, mallory *vm.PrivateKey
}

func newCast(t testing.TB) cast {
	return cast{alice: testKey(t, "alice"), bob: testKey(t, "bob"), mallory: testKey(t, "mallory")}
}

func testParams(a, b *vm.PrivateKey, initA, initB uint64) Params {
	return Params{ChainID: testChain, ChannelID: testChannel, A: a.Public(), B: b.Public(), InitialA: initA, InitialB: initB}
}

func testLogger(t testing.TB) zerolog.Logger {
	return zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
}

// pair is two in-memory channels of the same params, one per party.
func pair(t testing.TB, p Params, a, b *vm.PrivateKey) (*Channel, *Channel) {
	t.Helper()
	ca, err := NewChannel(p, a)
	require.NoError(t, err)
	cb, err := NewChannel(p, b)
	require.NoError(t, err)
	return ca, cb
}

// pay runs one update from payer to payee in memory and checks that both
// hold the same co-signed state afterwards.
func pay(t testing.TB, payer, payee *Channel, amount uint64) SignedState {
	t.Helper()
	prop, err := payer.ProposeUpdate(amount)
	require.NoError(t, err)
	st, err := payee.Accept(prop)
	require.NoError(t, err)
	sig := st.SigA
	if payee.Role() == RoleB {
		sig = st.SigB
	}
	got, _, err := payer.HandleAccept(prop.State.Version, sig)
	require.NoError(t, err)
	require.Equal(t, st, got)
	require.Equal(t, payer.Latest(), payee.Latest())
	return st
}
