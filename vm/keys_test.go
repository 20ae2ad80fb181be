package vm

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/stretchr/testify/require"
)

// goldenEthKeyHex is a fixed Ethereum secret for the derivation golden test.
// It is a test vector, never a real key.
const goldenEthKeyHex = "289c2857d4598e37fb9647507e47a309d6133539bf21a8b9cb6df88fd5232032"

// goldenDerivedPubKey is the L2 public key DeriveKey yields for
// goldenEthKeyHex on chain 1. It pins the whole derivation (message text,
// EIP-191 hashing, RFC 6979 signing, seed hashing, EdDSA key generation):
// if it changes, every user's derived L2 key changes with it.
const goldenDerivedPubKey = "0x653afa9c1a407ae821a94c8c6fbccbe679b53bf16c6dd4c0f60ce6715dd33d30"

func newTestKey(t testing.TB) *PrivateKey {
	t.Helper()
	k, err := GenerateKey()
	require.NoError(t, err)
	return k
}

func TestSignVerify(t *testing.T) {
	k := newTestKey(t)
	other := newTestKey(t)
	msg := ElementFromUint64(42)
	sig, err := k.SignElement(msg)
	require.NoError(t, err)
	require.True(t, k.Public().VerifyElement(msg, sig), "a fresh signature must verify")

	flip := func(i int) Signature {
		s := sig
		s[i] ^= 0x01
		return s
	}
	tests := []struct {
		name string
		pub  PublicKey
		msg  Element
		sig  Signature
	}{
		{"different message", k.Public(), ElementFromUint64(43), sig},
		{"different key", other.Public(), msg, sig},
		{"flipped byte in R", k.Public(), msg, flip(3)},
		{"flipped byte in S", k.Public(), msg, flip(SignatureSize - 1)},
		{"flipped top bit of R", k.Public(), msg, func() Signature { s := sig; s[PublicKeySize-1] ^= 0x80; return s }()},
		{"zero signature", k.Public(), msg, Signature{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.False(t, tc.pub.VerifyElement(tc.msg, tc.sig))
		})
	}
}

// smallOrderPoints returns the identity and a point of order 2, which
// PublicKey.Validate must refuse as account keys.
func smallOrderPoints() (identity, order2 twistededwards.PointAffine) {
	var minusOne fr.Element
	minusOne.SetOne()
	minusOne.Neg(&minusOne)
	return twistededwards.PointAffine{Y: ElementFromUint64(1)}, twistededwards.PointAffine{Y: minusOne}
}

// TestVerifyElementRejectsDegenerateKeys: a key nobody holds a secret for
// verifies nothing. With A = O or A of small order, [8][h]A vanishes and
// R = [S]B forges a signature on any message without any secret; with the
// unset key (0, 0), which is not even a curve point, the extended-coordinate
// arithmetic degenerates to (0:0:0:0), which IsZero accepts. Account keys
// are validated at deposit, but VerifyElement is exported and its callers
// (the circuit witness builder, RPC pre-checks, channel code) should not have
// to know that.
func TestVerifyElementRejectsDegenerateKeys(t *testing.T) {
	k := newTestKey(t)
	msg := ElementFromUint64(42)
	sig, err := k.SignElement(msg)
	require.NoError(t, err)

	// R = B, S = 1: [S]B - R = O, so only the [h]A term can make it fail.
	var forged Signature
	base := twistededwards.GetEdwardsCurve().Base
	rb := base.Bytes()
	copy(forged[:PublicKeySize], rb[:])
	forged[SignatureSize-1] = 1

	identity, order2 := smallOrderPoints()
	tests := []struct {
		name string
		pub  PublicKey
		sig  Signature
	}{
		{"unset key, someone else's signature", PublicKey{}, sig},
		{"unset key, forged", PublicKey{}, forged},
		{"identity key, forged", PublicKey{X: identity.X, Y: identity.Y}, forged},
		{"order-2 key, forged", PublicKey{X: order2.X, Y: order2.Y}, forged},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.False(t, tc.pub.VerifyElement(msg, tc.sig))
		})
	}
}

func TestPublicKeyValidate(t *testing.T) {
	identity, order2 := smallOrderPoints()
	tests := []struct {
		name string
		pub  PublicKey
		ok   bool
	}{
		{"generated key", newTestKey(t).Public(), true},
		{"unset", PublicKey{}, false},
		{"off the curve", PublicKey{X: ElementFromUint64(1), Y: ElementFromUint64(1)}, false},
		{"identity", PublicKey{X: identity.X, Y: identity.Y}, false},
		{"order 2", PublicKey{X: order2.X, Y: order2.Y}, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.pub.Validate()
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.ErrorIs(t, err, ErrMalformed)
			}
		})
	}
}

func TestPrivateKeyBytesRoundTrip(t *testing.T) {
	k := newTestKey(t)
	back, err := PrivateKeyFromBytes(k.Bytes())
	require.NoError(t, err)
	require.Equal(t, k.Bytes(), back.Bytes())
	require.Equal(t, k.Public(), back.Public())

	// The restored key signs for the same public key.
	msg := ElementFromUint64(7)
	sig, err := back.SignElement(msg)
	require.NoError(t, err)
	require.True(t, k.Public().VerifyElement(msg, sig))
}

func TestPrivateKeyFromBytesRejects(t *testing.T) {
	k := newTestKey(t)
	other := newTestKey(t)
	mismatched := append(append([]byte{}, other.Bytes()[:PublicKeySize]...), k.Bytes()[PublicKeySize:]...)
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short", k.Bytes()[:len(k.Bytes())-1]},
		// gnark-crypto's SetBytes checks only a minimum length, then
		// subtle.ConstantTimeCopy panics on the longer tail.
		{"long", append(k.Bytes(), 0)},
		{"public half of another key", mismatched},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = PrivateKeyFromBytes(tc.in) })
			require.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func TestPrivateKeyStringHidesSecret(t *testing.T) {
	k := newTestKey(t)
	raw := k.Bytes()
	// Bytes is pubkey || scalar || randSrc; only the pubkey may be shown.
	secrets := map[string][]byte{
		"whole encoding": raw,
		"scalar":         raw[PublicKeySize : 2*PublicKeySize],
		"nonce source":   raw[2*PublicKeySize:],
	}
	for _, format := range []string{"%v", "%s", "%+v", "%#v"} {
		out := fmt.Sprintf(format, k)
		for name, s := range secrets {
			require.NotContains(t, strings.ToLower(out), hex.EncodeToString(s), "%s of the key prints its %s", format, name)
		}
	}
	require.Contains(t, k.String(), k.Public().String(), "String names the public key")
}

// nonCurveY returns the compressed encoding of a y for which no x puts
// (x, y) on the curve.
func nonCurveY(t *testing.T) []byte {
	t.Helper()
	params := twistededwards.GetEdwardsCurve()
	var one fr.Element
	one.SetOne()
	for v := uint64(2); v < 1000; v++ {
		y := ElementFromUint64(v)
		var num, den, x2 fr.Element
		num.Square(&y)
		den.Mul(&num, &params.D)
		num.Sub(&one, &num)
		den.Sub(&params.A, &den)
		x2.Div(&num, &den)
		if x2.Legendre() == -1 {
			p := twistededwards.PointAffine{Y: y}
			b := p.Bytes()
			return b[:]
		}
	}
	t.Fatal("no non-square found")
	return nil
}

func pointBytes(p twistededwards.PointAffine) []byte {
	b := p.Bytes()
	return b[:]
}

func TestPublicKeyFromBytes(t *testing.T) {
	k := newTestKey(t)
	enc := k.Public().Bytes()
	got, err := PublicKeyFromBytes(enc[:])
	require.NoError(t, err)
	require.Equal(t, k.Public(), got)
	require.NoError(t, got.Validate())

	params := twistededwards.GetEdwardsCurve()
	identity, order2 := smallOrderPoints()
	require.True(t, order2.IsOnCurve())
	var outside twistededwards.PointAffine // on the curve, outside the prime-order subgroup
	outside.Add(&params.Base, &order2)
	require.True(t, outside.IsOnCurve())
	require.False(t, outside.IsInSubGroup())

	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short", enc[:PublicKeySize-1]},
		{"long", append(enc[:], 0)},
		{"not on the curve", nonCurveY(t)},
		{"identity", pointBytes(identity)},
		{"order-2 point", pointBytes(order2)},
		{"outside the subgroup", pointBytes(outside)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := PublicKeyFromBytes(tc.in)
			require.ErrorIs(t, err, ErrMalformed)
		})
	}
}

// TestPublicKeyFromBytesIsCanonical: each key has one encoding. gnark-crypto's
// PointAffine.SetBytes reduces y modulo the field order, so y+q (which still
// fits below the sign bit, since 2q < 2^255) decodes to the same point, and a
// deposit could then be encoded several ways.
func TestPublicKeyFromBytesIsCanonical(t *testing.T) {
	// Find a key whose y+q still fits below the sign bit (most do).
	var pub PublicKey
	var y big.Int
	for {
		pub = newTestKey(t).Public()
		pub.Y.BigInt(&y)
		y.Add(&y, fr.Modulus())
		if y.BitLen() < 255 {
			break
		}
	}
	enc := pub.Bytes()
	alias := make([]byte, PublicKeySize)
	y.FillBytes(alias)
	for i, j := 0, len(alias)-1; i < j; i, j = i+1, j-1 { // to little-endian
		alias[i], alias[j] = alias[j], alias[i]
	}
	alias[PublicKeySize-1] |= enc[PublicKeySize-1] & 0x80 // same sign bit
	require.NotEqual(t, enc[:], alias)

	got, err := PublicKeyFromBytes(alias)
	require.ErrorIs(t, err, ErrMalformed, "decoded non-canonical encoding as %v", got)
}

func TestPublicKeyAndSignatureJSON(t *testing.T) {
	k := newTestKey(t)
	sig, err := k.SignElement(ElementFromUint64(9))
	require.NoError(t, err)

	type doc struct {
		PubKey PublicKey `json:"pubKey"`
		Sig    Signature `json:"sig"`
	}
	in := doc{PubKey: k.Public(), Sig: sig}
	js, err := json.Marshal(in)
	require.NoError(t, err)
	require.Contains(t, string(js), `"`+k.Public().String()+`"`)
	var out doc
	require.NoError(t, json.Unmarshal(js, &out))
	require.Equal(t, in, out)

	badPub := []struct {
		name string
		in   string
	}{
		{"no 0x", `"` + strings.TrimPrefix(k.Public().String(), "0x") + `"`},
		{"not hex", `"0xzz"`},
		{"short", `"0x0102"`},
		{"identity", `"` + hexPoint(twistededwards.PointAffine{Y: ElementFromUint64(1)}) + `"`},
	}
	for _, tc := range badPub {
		t.Run("pubkey "+tc.name, func(t *testing.T) {
			var p PublicKey
			require.ErrorIs(t, json.Unmarshal([]byte(tc.in), &p), ErrMalformed)
		})
	}
	badSig := []struct {
		name string
		in   string
	}{
		{"not hex", `"0xzz"`},
		{"short", `"0x` + strings.Repeat("ab", SignatureSize-1) + `"`},
		{"long", `"0x` + strings.Repeat("ab", SignatureSize+1) + `"`},
	}
	for _, tc := range badSig {
		t.Run("signature "+tc.name, func(t *testing.T) {
			var s Signature
			require.ErrorIs(t, json.Unmarshal([]byte(tc.in), &s), ErrMalformed)
		})
	}
}

func hexPoint(p twistededwards.PointAffine) string {
	b := p.Bytes()
	return "0x" + hex.EncodeToString(b[:])
}

// keyFileFields decodes a key file into a generic map for tampering.
func keyFileFields(t *testing.T, data []byte) map[string]any {
	t.Helper()
	var m map[string]any
	require.NoError(t, json.Unmarshal(data, &m))
	return m
}

func keyFileCrypto(m map[string]any) map[string]any { return m["crypto"].(map[string]any) }

func remarshal(t *testing.T, m map[string]any) []byte {
	t.Helper()
	b, err := json.Marshal(m)
	require.NoError(t, err)
	return b
}

// flipHex changes one hex digit in the middle of s.
func flipHex(s string) string {
	b := []byte(s)
	i := len(b) / 2
	if b[i] == '0' {
		b[i] = '1'
	} else {
		b[i] = '0'
	}
	return string(b)
}

func TestEncryptDecryptKey(t *testing.T) {
	const password = "correct horse battery staple"
	k := newTestKey(t)
	other := newTestKey(t)
	file, err := EncryptKey(k, password, LightScryptN, LightScryptP)
	require.NoError(t, err)
	require.NotContains(t, string(file), hex.EncodeToString(k.Bytes()[PublicKeySize:]), "the secret is stored in the clear")

	back, err := DecryptKey(file, password)
	require.NoError(t, err)
	require.Equal(t, k.Bytes(), back.Bytes())

	tamper := func(f func(m map[string]any)) []byte {
		m := keyFileFields(t, file)
		f(m)
		return remarshal(t, m)
	}
	tests := []struct {
		name     string
		data     []byte
		password string
		want     error // nil: any error
	}{
		{"wrong password", file, "Tr0ub4dor&3", ErrWrongPassword},
		{"empty password", file, "", ErrWrongPassword},
		{"tampered ciphertext", tamper(func(m map[string]any) {
			c := keyFileCrypto(m)
			c["ciphertext"] = flipHex(c["ciphertext"].(string))
		}), password, nil},
		{"tampered mac", tamper(func(m map[string]any) {
			c := keyFileCrypto(m)
			c["mac"] = flipHex(c["mac"].(string))
		}), password, nil},
		{"tampered salt", tamper(func(m map[string]any) {
			p := keyFileCrypto(m)["kdfparams"].(map[string]any)
			p["salt"] = flipHex(p["salt"].(string))
		}), password, nil},
		{"swapped pubkey", tamper(func(m map[string]any) {
			m["pubkey"] = other.Public().String()
		}), password, ErrMalformed},
		{"missing pubkey", tamper(func(m map[string]any) { delete(m, "pubkey") }), password, ErrMalformed},
		{"invalid pubkey", tamper(func(m map[string]any) { m["pubkey"] = "0x01" }), password, ErrMalformed},
		{"version 0", tamper(func(m map[string]any) { m["version"] = 0 }), password, ErrMalformed},
		{"version 2", tamper(func(m map[string]any) { m["version"] = 2 }), password, ErrMalformed},
		{"unknown cipher", tamper(func(m map[string]any) { keyFileCrypto(m)["cipher"] = "aes-256-gcm" }), password, ErrMalformed},
		{"unknown kdf", tamper(func(m map[string]any) { keyFileCrypto(m)["kdf"] = "argon2id" }), password, ErrMalformed},
		{"ciphertext not hex", tamper(func(m map[string]any) { keyFileCrypto(m)["ciphertext"] = "xyz" }), password, ErrMalformed},
		{"garbage", []byte("not json"), password, ErrMalformed},
		{"empty", nil, password, ErrMalformed},
		{"json array", []byte("[]"), password, ErrMalformed},
		{"empty object", []byte("{}"), password, ErrMalformed},
		{"version only", []byte(`{"version":1}`), password, ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := DecryptKey(tc.data, tc.password)
			require.Error(t, err)
			require.Nil(t, got)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
		})
	}
}

// TestDecryptKeyHostileFile: a damaged or hostile key file is an error, never
// a panic. geth's keystore.DecryptDataV3 type-asserts kdfparams, slices the
// derived key to 32 bytes and hands the iv to cipher.NewCTR unchecked, so
// DecryptKey must validate those fields before calling it; and the decrypted
// secret goes to PrivateKeyFromBytes, which must check its exact length.
func TestDecryptKeyHostileFile(t *testing.T) {
	const password = "pw"
	k := newTestKey(t)
	file, err := EncryptKey(k, password, 2, 1)
	require.NoError(t, err)
	tamper := func(f func(c map[string]any)) []byte {
		m := keyFileFields(t, file)
		f(keyFileCrypto(m))
		return remarshal(t, m)
	}
	params := func(c map[string]any) map[string]any { return c["kdfparams"].(map[string]any) }
	// A well-formed file, right password, whose secret is one byte too long.
	longSecret, err := keystore.EncryptDataV3(append(k.Bytes(), 0), []byte(password), 2, 1)
	require.NoError(t, err)
	longFile := tamper(func(c map[string]any) {
		js, err := json.Marshal(longSecret)
		require.NoError(t, err)
		for key := range c {
			delete(c, key)
		}
		require.NoError(t, json.Unmarshal(js, &c))
	})
	tests := []struct {
		name string
		data []byte
	}{
		{"crypto without kdfparams", []byte(`{"version":1,"crypto":{"cipher":"aes-128-ctr","kdf":"scrypt"}}`)},
		{"salt is a number", tamper(func(c map[string]any) { params(c)["salt"] = 1 })},
		{"dklen missing", tamper(func(c map[string]any) { delete(params(c), "dklen") })},
		{"n is a string", tamper(func(c map[string]any) { params(c)["n"] = "2" })},
		{"dklen 0", tamper(func(c map[string]any) { params(c)["dklen"] = 0 })},
		// The MAC covers only the ciphertext, so a shortened iv still passes
		// it with the right password and reaches cipher.NewCTR.
		{"iv of 1 byte", tamper(func(c map[string]any) { c["cipherparams"].(map[string]any)["iv"] = "00" })},
		{"secret of 97 bytes", longFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			require.NotPanics(t, func() { _, err = DecryptKey(tc.data, password) })
			require.ErrorIs(t, err, ErrMalformed)
		})
	}
}

func TestDeriveKey(t *testing.T) {
	ek, err := crypto.HexToECDSA(goldenEthKeyHex)
	require.NoError(t, err)
	ek2, err := crypto.GenerateKey()
	require.NoError(t, err)

	derive := func(t *testing.T, chainID uint64) PublicKey {
		t.Helper()
		k, err := DeriveKey(ek, chainID)
		require.NoError(t, err)
		return k.Public()
	}
	t.Run("deterministic", func(t *testing.T) {
		a, err := DeriveKey(ek, 1)
		require.NoError(t, err)
		b, err := DeriveKey(ek, 1)
		require.NoError(t, err)
		require.Equal(t, a.Bytes(), b.Bytes())
		// A fresh key is a valid signing key.
		msg := ElementFromUint64(5)
		sig, err := a.SignElement(msg)
		require.NoError(t, err)
		require.True(t, b.Public().VerifyElement(msg, sig))
		require.NoError(t, a.Public().Validate())
	})
	t.Run("golden", func(t *testing.T) {
		require.Equal(t, goldenDerivedPubKey, derive(t, 1).String())
	})
	t.Run("chain ids differ", func(t *testing.T) {
		seen := map[PublicKey]uint64{}
		for _, id := range []uint64{0, 1, 2, 7, 1 << 40} {
			p := derive(t, id)
			prev, dup := seen[p]
			require.False(t, dup, "chains %d and %d derive the same key", prev, id)
			seen[p] = id
		}
	})
	t.Run("eth keys differ", func(t *testing.T) {
		k2, err := DeriveKey(ek2, 1)
		require.NoError(t, err)
		require.NotEqual(t, derive(t, 1), k2.Public())
	})
	t.Run("v is ignored", func(t *testing.T) {
		sig, err := crypto.Sign(crypto.Keccak256([]byte("any digest")), ek)
		require.NoError(t, err)
		require.LessOrEqual(t, sig[64], byte(1))
		plain, err := DeriveKeyFromSignature(sig)
		require.NoError(t, err)
		legacy := append([]byte{}, sig...)
		legacy[64] += 27
		fromLegacy, err := DeriveKeyFromSignature(legacy)
		require.NoError(t, err)
		require.Equal(t, plain.Bytes(), fromLegacy.Bytes())
		// The signature itself matters.
		other := append([]byte{}, sig...)
		other[10] ^= 1
		fromOther, err := DeriveKeyFromSignature(other)
		require.NoError(t, err)
		require.NotEqual(t, plain.Public(), fromOther.Public())
	})
	t.Run("matches DeriveKeyFromSignature", func(t *testing.T) {
		// A wallet (MetaMask personal_sign) returns v = 27/28.
		sig, err := crypto.Sign(crypto.Keccak256([]byte(fmt.Sprintf("\x19Ethereum Signed Message:\n%d%s", len(DerivationMessage(3)), DerivationMessage(3)))), ek)
		require.NoError(t, err)
		sig[64] += 27
		fromWallet, err := DeriveKeyFromSignature(sig)
		require.NoError(t, err)
		require.Equal(t, derive(t, 3), fromWallet.Public())
	})
	t.Run("wrong signature length", func(t *testing.T) {
		for _, n := range []int{0, 64, 66} {
			_, err := DeriveKeyFromSignature(make([]byte, n))
			require.ErrorIs(t, err, ErrMalformed, "length %d", n)
		}
	})
}

func TestDerivationMessageNamesChain(t *testing.T) {
	require.Contains(t, string(DerivationMessage(12345)), "Chain ID: 12345")
	require.NotEqual(t, DerivationMessage(1), DerivationMessage(11))
}
