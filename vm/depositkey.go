package vm

import (
	"fmt"
	"math/big"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// DepositKey is an L2 key as a deposit names it on L1: the 32 bytes of
// PublicKey.Bytes, y little-endian with x's sign (1 when x is the larger
// of ±x) in the top bit. Rollup.deposit takes it as it is, so a wallet
// needs no curve arithmetic: it pastes the key `keel account` prints.
//
// The contract checks only that y is below the field modulus. Whether the
// bytes are a valid L2 key (a curve point of the prime-order subgroup,
// other than the identity, in its one encoding) is decided by the batch
// circuit, which decompresses the key: a valid key's deposit credits its
// account (TxDeposit), any other is paid back to its depositor on L1
// (TxDepositRefund). Either way the request is consumed, so that no key
// can jam the priority queue.
type DepositKey [PublicKeySize]byte

// DepositKeyOf returns pub's deposit key: its compressed encoding.
func DepositKeyOf(pub PublicKey) DepositKey { return pub.Bytes() }

// PublicKey decodes the key; it fails for every key a deposit refunds.
func (k DepositKey) PublicKey() (PublicKey, error) { return PublicKeyFromBytes(k[:]) }

// Valid reports whether a deposit to the key credits an account (true) or
// is refunded (false).
func (k DepositKey) Valid() bool {
	_, err := k.PublicKey()
	return err == nil
}

// Sign is the top bit of the encoding: x's sign.
func (k DepositKey) Sign() uint64 { return uint64(k[PublicKeySize-1] >> 7) }

// YInt is y, the encoding without its sign bit, read little-endian. It
// may be the modulus or more in a key Rollup.deposit refuses (see
// CheckCanonical).
func (k DepositKey) YInt() *big.Int {
	var be [PublicKeySize]byte
	for i := range k {
		be[PublicKeySize-1-i] = k[i]
	}
	be[0] &= 0x7f
	return new(big.Int).SetBytes(be[:])
}

// Y is y as a field element, the element the priority-queue hash takes.
func (k DepositKey) Y() Element {
	var e Element
	e.SetBigInt(k.YInt())
	return e
}

// CheckCanonical checks what Rollup.deposit checks at the door: y is a
// field element (below the modulus). Every other 32 bytes is a deposit
// the circuit can process, credited or refunded.
func (k DepositKey) CheckCanonical() error {
	if k.YInt().Cmp(fr.Modulus()) >= 0 {
		return fmt.Errorf("%w: deposit key %s: y is not below the field modulus", ErrMalformed, k)
	}
	return nil
}

// String returns the key as 0x-prefixed hex.
func (k DepositKey) String() string { return hexutil.Encode(k[:]) }

// MarshalText encodes the key as 0x-prefixed hex.
func (k DepositKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes 0x-prefixed hex of 32 bytes, valid key or not.
func (k *DepositKey) UnmarshalText(text []byte) error {
	b, err := hexutil.Decode(string(text))
	if err != nil {
		return fmt.Errorf("%w: deposit key: %v", ErrMalformed, err)
	}
	if len(b) != PublicKeySize {
		return fmt.Errorf("%w: deposit key is %d bytes, want %d", ErrMalformed, len(b), PublicKeySize)
	}
	copy(k[:], b)
	return nil
}

// PriorityHash advances the running hash of the L1 priority queue by one
// deposit. The Rollup contract computes the same chain as deposits arrive,
// and the circuit recomputes it over the batch's deposit and refund
// steps, so a skipped, invented or reordered deposit breaks the batch's
// public input.
//
//	next = HashChain(prev, kind|sign|amount, y)   kind = 1 (deposit), 8 bits; sign 8 bits; amount 64 bits
func PriorityHash(prev Element, amount uint64, key DepositKey) Element {
	return HashChain(prev, packUints([]uint64{uint64(TxDeposit), key.Sign(), amount}, []uint{8, 8, 64}), key.Y())
}
