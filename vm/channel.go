package vm

import (
	"encoding/binary"
	"fmt"
	"math"
)

// ChannelStateTag is the type byte of a channel state's signed message. It
// sits where a transaction's type sits in Tx.Message, and no transaction
// type uses it, so a signature on a channel state is never a signature on a
// transaction, nor the other way round.
const ChannelStateTag = 15

// ChannelStateSize is the length of ChannelState's binary encoding.
const ChannelStateSize = 8 + 8 + 8 + 8 + 8 + 1

// ChannelState is one state of a two-party payment channel: how the
// channel's locked funds split between party A and party B after Version
// updates. Both parties sign it; the higher version wins a dispute, and a
// state marked Final may be settled cooperatively at once.
type ChannelState struct {
	// ChainID binds the state to one L2 chain.
	ChainID uint64
	// ChannelID names the channel for ever: ChannelIDOf(opener, nonce),
	// from the account that opens it and the nonce its open transaction
	// used. A nonce is used once, so no two channels share an id, and a
	// state signed for one channel is worthless in any other.
	ChannelID uint64
	// Version orders the states of a channel; each update increments it.
	Version uint64
	// BalanceA and BalanceB are the parties' shares in gwei. Their sum is
	// the channel's locked total in every state.
	BalanceA, BalanceB uint64
	// Final marks the last state, which both sign to close cooperatively.
	Final bool
}

// ChannelIDOf is the id of the channel opened by account opener with its
// transaction of the given nonce.
func ChannelIDOf(opener, nonce uint32) uint64 { return uint64(opener)<<32 | uint64(nonce) }

// Total returns BalanceA + BalanceB, or an error wrapping ErrOverflow.
func (s *ChannelState) Total() (uint64, error) {
	if s.BalanceA > math.MaxUint64-s.BalanceB {
		return 0, fmt.Errorf("%w: channel %d balances", ErrOverflow, s.ChannelID)
	}
	return s.BalanceA + s.BalanceB, nil
}

// Message is the field element both parties sign:
//
//	HashChain(tag|chainID|channelID, version|final, balanceA|balanceB)
//
// with | packing into one element (8+64+64, 64+1 and 64+64 bits). Every
// field is in it: the chain, the channel and the version bind a signature
// to one state of one channel on one chain.
func (s *ChannelState) Message() Element {
	final := uint64(0)
	if s.Final {
		final = 1
	}
	head := packUints([]uint64{ChannelStateTag, s.ChainID, s.ChannelID}, []uint{8, 64, 64})
	version := packUints([]uint64{s.Version, final}, []uint{64, 1})
	split := packUints([]uint64{s.BalanceA, s.BalanceB}, []uint{64, 64})
	return HashChain(head, version, split)
}

// Sign returns k's signature of the state.
func (s *ChannelState) Sign(k *PrivateKey) (Signature, error) { return k.SignElement(s.Message()) }

// Verify reports whether sig is pub's signature of the state.
func (s *ChannelState) Verify(pub PublicKey, sig Signature) bool {
	return pub.VerifyElement(s.Message(), sig)
}

// MarshalBinary encodes the state in ChannelStateSize bytes: the five
// integers big-endian, then the final flag (0 or 1).
func (s ChannelState) MarshalBinary() ([]byte, error) {
	b := make([]byte, 0, ChannelStateSize)
	for _, v := range []uint64{s.ChainID, s.ChannelID, s.Version, s.BalanceA, s.BalanceB} {
		b = binary.BigEndian.AppendUint64(b, v)
	}
	if s.Final {
		return append(b, 1), nil
	}
	return append(b, 0), nil
}

// UnmarshalBinary decodes MarshalBinary's encoding. It rejects any other
// length, a flag other than 0 or 1, and balances whose sum overflows, so
// every state has exactly one encoding.
func (s *ChannelState) UnmarshalBinary(b []byte) error {
	if len(b) != ChannelStateSize {
		return fmt.Errorf("%w: channel state of %d bytes, want %d", ErrMalformed, len(b), ChannelStateSize)
	}
	if b[40] > 1 {
		return fmt.Errorf("%w: channel state final flag %d", ErrMalformed, b[40])
	}
	out := ChannelState{
		ChainID: binary.BigEndian.Uint64(b[0:]), ChannelID: binary.BigEndian.Uint64(b[8:]), Version: binary.BigEndian.Uint64(b[16:]),
		BalanceA: binary.BigEndian.Uint64(b[24:]), BalanceB: binary.BigEndian.Uint64(b[32:]), Final: b[40] == 1,
	}
	if _, err := out.Total(); err != nil {
		return fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	*s = out
	return nil
}
