package vm

import (
	"fmt"
)

// LeafKind says what a tree leaf holds.
type LeafKind uint8

const (
	// KindEmpty is an unused leaf. Its hash is 0.
	KindEmpty LeafKind = 0
	// KindAccount is a user account: a key, a balance and a nonce.
	KindAccount LeafKind = 1
	// KindChannel is a payment channel between two accounts: its fields
	// packed into the leaf's X and Y, the locked total as its Balance, and
	// Nonce and Aux zero (see ChannelLeaf).
	KindChannel LeafKind = 2
)

// Account is one leaf of the state tree. Plain accounts have Aux = 0.
type Account struct {
	Kind    LeafKind
	PubKey  PublicKey
	Balance uint64
	Nonce   uint32
	Aux     Element
}

// AccountSize is the length of Account's storage encoding.
const AccountSize = 1 + 32 + 32 + 8 + 4 + 32

// IsEmpty reports whether the leaf is unused.
func (a *Account) IsEmpty() bool { return a.Kind == KindEmpty }

// packedState is the leaf's small fields in one element:
// kind (8 bits) | nonce (32 bits) | balance (64 bits).
func (a *Account) packedState() Element {
	return packUints([]uint64{uint64(a.Kind), uint64(a.Nonce), a.Balance}, []uint{8, 32, 64})
}

// Hash is the leaf's value in the tree:
//
//	empty leaf:  0
//	otherwise:   Compress(Compress(X, Y), Compress(kind|nonce|balance, Aux))
//
// Three Compress calls per leaf (about 560 constraints) instead of five for
// a Merkle–Damgård chain over the five fields.
func (a *Account) Hash() Element {
	if a.Kind == KindEmpty {
		return Element{}
	}
	key, state := Compress2(a.PubKey.X, a.PubKey.Y, a.packedState(), a.Aux)
	return Compress(key, state)
}

// accountHash2 is the Hash of two leaves, their four inner compressions
// paired in lockstep (Compress2).
func accountHash2(a, b *Account) (Element, Element) {
	if a.Kind == KindEmpty || b.Kind == KindEmpty {
		return a.Hash(), b.Hash()
	}
	ka, kb := Compress2(a.PubKey.X, a.PubKey.Y, b.PubKey.X, b.PubKey.Y)
	sa, sb := Compress2(a.packedState(), a.Aux, b.packedState(), b.Aux)
	return Compress2(ka, sa, kb, sb)
}

// MarshalBinary encodes the leaf for storage: kind, X, Y, balance, nonce, aux.
func (a *Account) MarshalBinary() ([]byte, error) {
	b := make([]byte, AccountSize)
	b[0] = byte(a.Kind)
	x, y, aux := a.PubKey.X.Bytes(), a.PubKey.Y.Bytes(), a.Aux.Bytes()
	copy(b[1:33], x[:])
	copy(b[33:65], y[:])
	be.PutUint64(b[65:73], a.Balance)
	be.PutUint32(b[73:77], a.Nonce)
	copy(b[77:109], aux[:])
	return b, nil
}

// UnmarshalBinary decodes MarshalBinary's encoding.
func (a *Account) UnmarshalBinary(b []byte) error {
	if len(b) != AccountSize {
		return fmt.Errorf("%w: account is %d bytes, want %d", ErrMalformed, len(b), AccountSize)
	}
	if b[0] > byte(KindChannel) {
		return fmt.Errorf("%w: account kind %d", ErrMalformed, b[0])
	}
	var out Account
	out.Kind = LeafKind(b[0])
	if err := out.PubKey.X.SetBytesCanonical(b[1:33]); err != nil {
		return fmt.Errorf("%w: account key x: %v", ErrMalformed, err)
	}
	if err := out.PubKey.Y.SetBytesCanonical(b[33:65]); err != nil {
		return fmt.Errorf("%w: account key y: %v", ErrMalformed, err)
	}
	out.Balance = be.Uint64(b[65:73])
	out.Nonce = be.Uint32(b[73:77])
	if err := out.Aux.SetBytesCanonical(b[77:109]); err != nil {
		return fmt.Errorf("%w: account aux: %v", ErrMalformed, err)
	}
	*a = out
	return nil
}
