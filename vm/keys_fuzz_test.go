package vm

import (
	"bytes"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/stretchr/testify/require"
)

const fuzzKeyPassword = "fuzz"

// FuzzDecryptKey: a key file from outside never panics the decoder; it
// either fails or yields a key that matches the file's public key.
func FuzzDecryptKey(f *testing.F) {
	for _, name := range []string{"a", "b"} {
		k := fuzzKey(f, name)
		// Minimal scrypt cost keeps each execution fast.
		file, err := EncryptKey(k, fuzzKeyPassword, 2, 1)
		require.NoError(f, err)
		f.Add(file)
		f.Add(bytes.Replace(file, []byte(`"version": 1`), []byte(`"version": 2`), 1))
	}
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"crypto":{"cipher":"des"}}`))
	f.Add([]byte(`not json`))
	f.Fuzz(func(t *testing.T, data []byte) {
		k, err := DecryptKey(data, fuzzKeyPassword)
		if err != nil {
			require.Nil(t, k)
			return
		}
		require.NoError(t, k.Public().Validate())
		back, err := PrivateKeyFromBytes(k.Bytes())
		require.NoError(t, err)
		require.Equal(t, k.Public(), back.Public())
	})
}

// FuzzPublicKeyFromBytes: the decoder never panics, rejects with
// ErrMalformed, and what it accepts is a valid key with exactly one encoding.
func FuzzPublicKeyFromBytes(f *testing.F) {
	for _, name := range []string{"a", "b", "c"} {
		b := fuzzKey(f, name).Public().Bytes()
		f.Add(b[:])
	}
	identity := twistededwards.PointAffine{Y: ElementFromUint64(1)}
	idb := identity.Bytes()
	f.Add(idb[:])
	f.Add(make([]byte, PublicKeySize))
	f.Add(bytes.Repeat([]byte{0xff}, PublicKeySize))
	f.Add([]byte{1, 2, 3})
	f.Fuzz(func(t *testing.T, in []byte) {
		pub, err := PublicKeyFromBytes(in)
		if err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			return
		}
		require.NoError(t, pub.Validate())
		enc := pub.Bytes()
		require.Equal(t, in, enc[:], "accepted a non-canonical encoding")
		again, err := PublicKeyFromBytes(enc[:])
		require.NoError(t, err)
		require.Equal(t, pub, again)
	})
}

// fuzzKey is a deterministic key, so that seed corpora are stable.
func fuzzKey(t testing.TB, name string) *PrivateKey {
	t.Helper()
	seed := make([]byte, 32)
	copy(seed, "keel fuzz key "+name)
	k, err := generateKeyFrom(bytes.NewReader(seed))
	require.NoError(t, err)
	return k
}

// FuzzPublicKeyText is the RPC parameter path (keel_getAccountByKey, the
// key in a deposit): the text decoder never panics, rejects with
// ErrMalformed, and what it accepts prints back as the same text.
func FuzzPublicKeyText(f *testing.F) {
	f.Add([]byte(fuzzKey(f, "a").Public().String()))
	f.Add([]byte("0x"))
	f.Add([]byte("0xzz"))
	f.Add([]byte(`"0x01"`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var pub PublicKey
		if err := pub.UnmarshalText(in); err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			return
		}
		require.NoError(t, pub.Validate())
		require.Equal(t, strings.ToLower(string(in)), pub.String())
		var sig Signature
		if err := sig.UnmarshalText(in); err == nil {
			t.Fatalf("a 32-byte key decoded as a %d-byte signature", SignatureSize)
		}
	})
}
