package vm

import (
	"math/rand"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/stretchr/testify/require"
)

// TestVerifyMatchesGnarkCrypto checks the VM's cofactored verifier against
// gnark-crypto's reference Verify on valid signatures and on random
// tamperings of signature, message and key.
func TestVerifyMatchesGnarkCrypto(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	reference := func(pub PublicKey, msg Element, sig Signature) bool {
		pk := eddsa.PublicKey{A: twistededwards.PointAffine{X: pub.X, Y: pub.Y}}
		mb := msg.Bytes()
		ok, err := pk.Verify(sig[:], mb[:], poseidon2.NewMerkleDamgardHasher())
		return err == nil && ok
	}
	n := 200
	if testing.Short() {
		n = 40
	}
	valid, invalid := 0, 0
	for i := 0; i < n; i++ {
		k := testKey(t, string(rune('a'+i%26))+"verify")
		other := testKey(t, "other")
		msg := ElementFromUint64(rng.Uint64())
		sig, err := k.SignElement(msg)
		require.NoError(t, err)
		pub := k.Public()
		switch i % 5 {
		case 1:
			sig[rng.Intn(SignatureSize)] ^= byte(1 << uint(rng.Intn(8)))
		case 2:
			msg = ElementFromUint64(rng.Uint64())
		case 3:
			pub = other.Public()
		case 4:
			// S pushed to or above the group order must fail.
			o := curveOrder().Bytes()
			copy(sig[32+32-len(o):], o)
		}
		want := reference(pub, msg, sig)
		require.Equal(t, want, pub.VerifyElement(msg, sig), "case %d (kind %d)", i, i%5)
		if want {
			valid++
		} else {
			invalid++
		}
	}
	require.Greater(t, valid, n/10)
	require.Greater(t, invalid, n/2)
}

func BenchmarkVerifyElement(b *testing.B) {
	k := testKey(b, "bench")
	msg := ElementFromUint64(42)
	sig, err := k.SignElement(msg)
	require.NoError(b, err)
	pub := k.Public()
	for b.Loop() {
		if !pub.VerifyElement(msg, sig) {
			b.Fatal("bad signature")
		}
	}
}

func BenchmarkVerifyGnarkCrypto(b *testing.B) {
	k := testKey(b, "bench")
	msg := ElementFromUint64(42)
	sig, err := k.SignElement(msg)
	require.NoError(b, err)
	pk := eddsa.PublicKey{A: twistededwards.PointAffine{X: k.Public().X, Y: k.Public().Y}}
	mb := msg.Bytes()
	for b.Loop() {
		if ok, _ := pk.Verify(sig[:], mb[:], poseidon2.NewMerkleDamgardHasher()); !ok {
			b.Fatal("bad signature")
		}
	}
}
