package vm

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"strconv"
	"sync"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards"
	"github.com/consensys/gnark-crypto/ecc/bn254/twistededwards/eddsa"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

// PublicKeySize and SignatureSize are the byte lengths of a compressed
// public key and of a signature (compressed R, then S).
const (
	PublicKeySize  = 32
	SignatureSize  = 64
	PrivateKeySize = 96 // gnark-crypto: public key, scalar, nonce seed
)

// PublicKey is an L2 account key: a point of BN254's twisted Edwards curve
// (Baby Jubjub's BN254 sibling) in the prime-order subgroup. Account leaves
// and the circuit use the affine coordinates directly, so no decompression
// is ever needed inside a proof.
type PublicKey struct {
	X, Y Element
}

// Signature is an EdDSA signature in gnark-crypto's encoding.
type Signature [SignatureSize]byte

// PrivateKey is an L2 signing key.
type PrivateKey struct {
	key *eddsa.PrivateKey
}

// GenerateKey returns a fresh key from crypto/rand.
func GenerateKey() (*PrivateKey, error) {
	return generateKeyFrom(rand.Reader)
}

// PrivateKeyFromSeed derives a key deterministically from the first 32
// bytes of r. Tools and tests use it for reproducible keys; users should
// use GenerateKey or DeriveKey.
func PrivateKeyFromSeed(r io.Reader) (*PrivateKey, error) { return generateKeyFrom(r) }

func generateKeyFrom(r io.Reader) (*PrivateKey, error) {
	k, err := eddsa.GenerateKey(r)
	if err != nil {
		return nil, fmt.Errorf("vm: generate key: %w", err)
	}
	return &PrivateKey{key: k}, nil
}

// Public returns the key's public half.
func (k *PrivateKey) Public() PublicKey {
	return PublicKey{X: k.key.PublicKey.A.X, Y: k.key.PublicKey.A.Y}
}

// Bytes returns the key in gnark-crypto's private-key encoding. Keep it
// secret; write it only through EncryptKey.
func (k *PrivateKey) Bytes() []byte { return k.key.Bytes() }

// PrivateKeyFromBytes parses the encoding made by Bytes.
func PrivateKeyFromBytes(b []byte) (*PrivateKey, error) {
	if len(b) != PrivateKeySize {
		return nil, fmt.Errorf("%w: private key is %d bytes, want %d", ErrMalformed, len(b), PrivateKeySize)
	}
	var k eddsa.PrivateKey
	if _, err := k.SetBytes(b); err != nil {
		return nil, fmt.Errorf("%w: private key: %v", ErrMalformed, err)
	}
	return &PrivateKey{key: &k}, nil
}

// String never prints the secret, so a key that reaches a log leaks nothing.
func (k *PrivateKey) String() string { return "PrivateKey{" + k.Public().String() + "}" }

// SignElement signs a message that is one field element, as every VM
// message is (the Poseidon2 hash of a transaction's fields).
func (k *PrivateKey) SignElement(msg Element) (Signature, error) {
	mb := msg.Bytes()
	raw, err := k.key.Sign(mb[:], poseidon2.NewMerkleDamgardHasher())
	if err != nil {
		return Signature{}, fmt.Errorf("vm: sign: %w", err)
	}
	var sig Signature
	copy(sig[:], raw)
	return sig, nil
}

// VerifyElement reports whether sig is pub's signature of msg.
//
// It is cofactored EdDSA exactly as gnark's in-circuit eddsa.Verify checks
// it, so the VM accepts what the batch circuit accepts:
//
//	S < ℓ,  R on the curve,  h = HashChain(R.X, R.Y, A.X, A.Y, msg),
//	[8]([S]B − [h]A − R) = O
//
// gnark-crypto's PublicKey.Verify also checks that A and R lie in the
// prime-order subgroup, two scalar multiplications more. Account keys are
// subgroup-checked once, when a deposit creates the account (see
// PublicKey.Validate), and a small-order component in R only yields another
// valid signature of the same message by the same key, which the nonce
// makes useless. Dropping both checks halves the cost of a verification.
func (pub PublicKey) VerifyElement(msg Element, sig Signature) bool {
	// A key off the curve, or of small order, is one nobody holds a secret
	// for; with it the equation below degenerates and any signature, or a
	// trivial forgery, would pass. Deposits never create such keys, but
	// VerifyElement should not rely on its callers knowing that.
	if !pub.onCurveNotSmallOrder() {
		return false
	}
	var r twistededwards.PointAffine
	if _, err := r.SetBytes(sig[:32]); err != nil || !r.IsOnCurve() {
		return false
	}
	var s big.Int
	s.SetBytes(sig[32:])
	if s.Cmp(curveOrder()) >= 0 {
		return false
	}
	h := HashChain(r.X, r.Y, pub.X, pub.Y, msg)
	var hb big.Int
	h.BigInt(&hb)

	var sB twistededwards.PointAffine
	sB.ScalarMultiplicationBase(&s)
	var q, a, t twistededwards.PointExtended
	a.FromAffine(&twistededwards.PointAffine{X: pub.X, Y: pub.Y})
	t.ScalarMultiplication(&a, &hb) // [h]A
	t.Neg(&t)
	q.FromAffine(&sB)
	q.Add(&q, &t) // [S]B − [h]A
	var negR twistededwards.PointAffine
	negR.Neg(&r)
	q.MixedAdd(&q, &negR)
	q.Double(&q)
	q.Double(&q)
	q.Double(&q) // cofactor 8
	return q.IsZero()
}

// SubgroupWitness returns Q = [8⁻¹ mod ℓ]pub, the point with [8]Q = pub. It
// proves that pub lies in the prime-order subgroup at the cost of three
// doublings, which is how the batch circuit and the L1 contract's deposit
// check a key without a full scalar multiplication by ℓ.
func (pub PublicKey) SubgroupWitness() PublicKey {
	p := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	var q twistededwards.PointAffine
	q.ScalarMultiplication(&p, inv8())
	return PublicKey{X: q.X, Y: q.Y}
}

var inv8 = sync.OnceValue(func() *big.Int {
	return new(big.Int).ModInverse(big.NewInt(8), curveOrder())
})

// onCurveNotSmallOrder reports whether pub is a curve point with [8]pub ≠ O:
// a few field multiplications, far cheaper than the full subgroup check.
func (pub PublicKey) onCurveNotSmallOrder() bool {
	p := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	if !p.IsOnCurve() {
		return false
	}
	var e twistededwards.PointExtended
	e.FromAffine(&p)
	e.Double(&e)
	e.Double(&e)
	e.Double(&e)
	return !e.IsZero()
}

var curveOrder = sync.OnceValue(func() *big.Int {
	p := twistededwards.GetEdwardsCurve()
	return new(big.Int).Set(&p.Order)
})

// Bytes returns the 32-byte compressed encoding of the key.
func (pub PublicKey) Bytes() [PublicKeySize]byte {
	p := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	return p.Bytes()
}

// IsZero reports whether the key is unset.
func (pub PublicKey) IsZero() bool { return pub.X.IsZero() && pub.Y.IsZero() }

// PublicKeyFromBytes decodes a compressed key and checks that it is a valid
// curve point in the prime-order subgroup and not the identity, so that no
// funds can be locked to a key nobody can sign for.
func PublicKeyFromBytes(b []byte) (PublicKey, error) {
	if len(b) != PublicKeySize {
		return PublicKey{}, fmt.Errorf("%w: public key is %d bytes, want %d", ErrMalformed, len(b), PublicKeySize)
	}
	var p twistededwards.PointAffine
	if _, err := p.SetBytes(b); err != nil {
		return PublicKey{}, fmt.Errorf("%w: public key: %v", ErrMalformed, err)
	}
	pub := PublicKey{X: p.X, Y: p.Y}
	if err := pub.Validate(); err != nil {
		return PublicKey{}, err
	}
	// gnark-crypto reduces y modulo q, so a key has up to three encodings;
	// accept only the canonical one, so that every transaction has one.
	if canon := pub.Bytes(); !bytes.Equal(canon[:], b) {
		return PublicKey{}, fmt.Errorf("%w: public key encoding is not canonical", ErrMalformed)
	}
	return pub, nil
}

// Validate checks that the key is on the curve, in the prime-order subgroup
// and not the identity.
func (pub PublicKey) Validate() error {
	p := twistededwards.PointAffine{X: pub.X, Y: pub.Y}
	if !p.IsOnCurve() {
		return fmt.Errorf("%w: public key is not on the curve", ErrMalformed)
	}
	if p.IsZero() {
		return fmt.Errorf("%w: public key is the identity", ErrMalformed)
	}
	if !p.IsInSubGroup() {
		return fmt.Errorf("%w: public key is not in the prime-order subgroup", ErrMalformed)
	}
	return nil
}

// String returns the compressed key in hex.
func (pub PublicKey) String() string {
	b := pub.Bytes()
	return hexutil.Encode(b[:])
}

// MarshalText encodes the key as 0x-prefixed compressed hex.
func (pub PublicKey) MarshalText() ([]byte, error) { return []byte(pub.String()), nil }

// UnmarshalText decodes 0x-prefixed compressed hex and validates the point.
func (pub *PublicKey) UnmarshalText(text []byte) error {
	b, err := hexutil.Decode(string(text))
	if err != nil {
		return fmt.Errorf("%w: public key: %v", ErrMalformed, err)
	}
	p, err := PublicKeyFromBytes(b)
	if err != nil {
		return err
	}
	*pub = p
	return nil
}

// Parts returns the signature's R (decompressed) and S as field elements,
// the form the circuit and the L1 contract take it in.
func (s Signature) Parts() (rx, ry, sc Element) {
	var r twistededwards.PointAffine
	r.SetBytes(s[:32]) // never fails on 32 bytes
	sc.SetBytes(s[32:])
	return r.X, r.Y, sc
}

// SignatureFromParts is the inverse of Parts for R on the curve and S
// below the curve order (what Rollup.requestFullExit accepts).
func SignatureFromParts(rx, ry, sc *big.Int) Signature {
	var r twistededwards.PointAffine
	r.X.SetBigInt(rx)
	r.Y.SetBigInt(ry)
	var out Signature
	rb := r.Bytes()
	copy(out[:32], rb[:])
	sc.FillBytes(out[32:])
	return out
}

// MarshalText encodes the signature as 0x-prefixed hex.
func (s Signature) MarshalText() ([]byte, error) { return []byte(hexutil.Encode(s[:])), nil }

// UnmarshalText decodes 0x-prefixed hex of exactly SignatureSize bytes.
func (s *Signature) UnmarshalText(text []byte) error {
	b, err := hexutil.Decode(string(text))
	if err != nil {
		return fmt.Errorf("%w: signature: %v", ErrMalformed, err)
	}
	if len(b) != SignatureSize {
		return fmt.Errorf("%w: signature is %d bytes, want %d", ErrMalformed, len(b), SignatureSize)
	}
	copy(s[:], b)
	return nil
}

// DerivationMessage is the text an Ethereum key signs (EIP-191 personal_sign)
// to derive its L2 key. It names the chain, so one Ethereum key yields a
// different L2 key on every Keel chain and a signature made for one chain's
// derivation is useless on another.
func DerivationMessage(chainID uint64) []byte {
	return []byte("Keel L2 key derivation\n\nSign this message to derive your Keel account key.\nOnly sign it on a Keel client you trust.\n\nChain ID: " + strconv.FormatUint(chainID, 10))
}

// DeriveKeyFromSignature turns the 65-byte personal_sign signature of
// DerivationMessage into an L2 key. A wallet that signs deterministically
// (RFC 6979, as geth and MetaMask do) therefore always yields the same L2
// key, and the user keeps only the Ethereum secret.
func DeriveKeyFromSignature(ethSig []byte) (*PrivateKey, error) {
	if len(ethSig) != crypto.SignatureLength {
		return nil, fmt.Errorf("%w: ethereum signature is %d bytes, want %d", ErrMalformed, len(ethSig), crypto.SignatureLength)
	}
	seed := crypto.Keccak256(ethSig[:64]) // v varies between wallets (0/1 or 27/28)
	return generateKeyFrom(bytes.NewReader(seed))
}

// DeriveKey signs DerivationMessage(chainID) with an Ethereum key and
// derives the L2 key from the signature.
func DeriveKey(ethKey *ecdsa.PrivateKey, chainID uint64) (*PrivateKey, error) {
	sig, err := crypto.Sign(accounts.TextHash(DerivationMessage(chainID)), ethKey)
	if err != nil {
		return nil, fmt.Errorf("vm: derive key: sign: %w", err)
	}
	return DeriveKeyFromSignature(sig)
}

// Key-file scrypt costs. StandardScrypt matches geth's keystore (256 MB,
// about a second); LightScrypt is for tests and throwaway dev keys.
const (
	StandardScryptN = keystore.StandardScryptN
	StandardScryptP = keystore.StandardScryptP
	LightScryptN    = keystore.LightScryptN
	LightScryptP    = keystore.LightScryptP
)

// keyFileVersion is the version of the key-file JSON below.
const keyFileVersion = 1

// keyFile is a password-encrypted L2 key. The crypto section is geth's
// keystore v3 format (scrypt, aes-128-ctr, keccak MAC), so its strength and
// tooling are those of geth's keystore.
type keyFile struct {
	Version int                 `json:"version"`
	PubKey  PublicKey           `json:"pubkey"`
	Crypto  keystore.CryptoJSON `json:"crypto"`
}

// EncryptKey returns a JSON key file holding k encrypted under password.
func EncryptKey(k *PrivateKey, password string, scryptN, scryptP int) ([]byte, error) {
	cj, err := keystore.EncryptDataV3(k.Bytes(), []byte(password), scryptN, scryptP)
	if err != nil {
		return nil, fmt.Errorf("vm: encrypt key: %w", err)
	}
	return json.MarshalIndent(keyFile{Version: keyFileVersion, PubKey: k.Public(), Crypto: cj}, "", "  ")
}

// DecryptKey opens a key file made by EncryptKey. A wrong password yields
// ErrWrongPassword, and so does a tampered ciphertext: the MAC cannot tell
// the two apart. A damaged file yields ErrMalformed.
func DecryptKey(data []byte, password string) (*PrivateKey, error) {
	var kf keyFile
	if err := json.Unmarshal(data, &kf); err != nil {
		return nil, fmt.Errorf("%w: key file: %v", ErrMalformed, err)
	}
	if kf.Version != keyFileVersion {
		return nil, fmt.Errorf("%w: key file version %d, want %d", ErrMalformed, kf.Version, keyFileVersion)
	}
	if err := checkCryptoJSON(&kf.Crypto); err != nil {
		return nil, err
	}
	raw, err := keystore.DecryptDataV3(kf.Crypto, password)
	if err != nil {
		if err == keystore.ErrDecrypt {
			return nil, ErrWrongPassword
		}
		return nil, fmt.Errorf("%w: key file: %v", ErrMalformed, err)
	}
	k, err := PrivateKeyFromBytes(raw)
	if err != nil {
		return nil, err
	}
	if k.Public() != kf.PubKey {
		return nil, fmt.Errorf("%w: key file public key does not match its secret", ErrMalformed)
	}
	return k, nil
}

// maxScryptN bounds the scrypt cost a key file may ask for (geth's standard
// is 2^18), so a hostile file cannot make DecryptKey allocate gigabytes.
const maxScryptN = 1 << 20

// checkCryptoJSON validates what geth's DecryptDataV3 assumes without
// checking (it type-asserts the kdf parameters and slices the iv), so a
// damaged or hostile file is an error, never a panic.
func checkCryptoJSON(c *keystore.CryptoJSON) error {
	bad := func(what string) error { return fmt.Errorf("%w: key file: %s", ErrMalformed, what) }
	if c.Cipher != "aes-128-ctr" {
		return bad("cipher must be aes-128-ctr")
	}
	if iv, err := hex.DecodeString(c.CipherParams.IV); err != nil || len(iv) != 16 {
		return bad("iv must be 16 bytes of hex")
	}
	if c.KDF != "scrypt" {
		return bad("kdf must be scrypt")
	}
	if salt, ok := c.KDFParams["salt"].(string); !ok || salt == "" {
		return bad("scrypt salt missing")
	}
	for _, k := range []string{"n", "r", "p", "dklen"} {
		v, ok := c.KDFParams[k].(float64)
		if !ok || v < 1 || v != float64(int64(v)) {
			return bad("scrypt parameter " + k + " must be a positive integer")
		}
	}
	if c.KDFParams["dklen"].(float64) != 32 {
		return bad("scrypt dklen must be 32")
	}
	if n := c.KDFParams["n"].(float64); n > maxScryptN || int64(n)&(int64(n)-1) != 0 {
		return bad("scrypt n must be a power of two up to 2^20")
	}
	if c.KDFParams["r"].(float64) > 32 || c.KDFParams["p"].(float64) > 16 {
		return bad("scrypt r or p too large")
	}
	return nil
}

// basePoint is the curve's base point as a key: the stand-in signer of a
// step whose signature the circuit computes but does not require.
func basePoint() PublicKey {
	b := twistededwards.GetEdwardsCurve().Base
	return PublicKey{X: b.X, Y: b.Y}
}
