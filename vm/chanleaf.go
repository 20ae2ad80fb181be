package vm

import (
	"fmt"
	"math/big"
)

// ChannelStatus is where a channel leaf is in its life. A channel that has
// been settled (cooperatively or after its challenge period) is removed:
// its leaf is empty again.
type ChannelStatus uint8

const (
	// ChannelOpen is a channel that nobody has moved to close.
	ChannelOpen ChannelStatus = 1
	// ChannelClosing is a channel closed unilaterally: it holds the state
	// it was closed (or last challenged) with until Deadline.
	ChannelClosing ChannelStatus = 2
)

func (s ChannelStatus) String() string {
	switch s {
	case ChannelOpen:
		return "open"
	case ChannelClosing:
		return "closing"
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// ChannelLeaf is a payment channel as the state tree holds it. It is
// stored in an ordinary leaf of kind KindChannel whose fields are reused:
//
//	X       = status (8) | A (32) | B (32) | open nonce (32) | period (32) | deadline (64)
//	Y       = version (64) | split A (64)
//	Balance = the locked total
//	Nonce = 0, Aux = 0
//
// The parties are account indices, not keys: an account's key never
// changes, so the signatures of a channel operation are checked against
// the keys in the parties' account leaves, which the operation's steps
// touch anyway. That keeps the leaf at the account's three Compress calls
// and the circuit's leaf gadget unchanged.
type ChannelLeaf struct {
	Status ChannelStatus
	// A and B are the parties' account indices; A opened the channel.
	A, B uint32
	// OpenNonce is the nonce of A's open transaction: with A it makes the
	// channel id (ChannelIDOf), fresh for every channel.
	OpenNonce uint32
	// Period is the challenge period in seconds, chosen at the open.
	Period uint32
	// Deadline is the batch time from which a closing channel may be
	// finalized; 0 while open.
	Deadline uint64
	// Version and SplitA are the state the channel is held at: the opening
	// (version 0, A's funding) until a unilateral close records a
	// co-signed state.
	Version uint64
	SplitA  uint64
	// Total is the locked amount, BalanceA + BalanceB of every state.
	Total uint64
}

// ID is the channel's id, which every state of it signs.
func (c *ChannelLeaf) ID() uint64 { return ChannelIDOf(c.A, c.OpenNonce) }

// Leaf returns the tree leaf that holds the channel.
func (c *ChannelLeaf) Leaf() Account {
	return Account{
		Kind: KindChannel,
		PubKey: PublicKey{
			X: packUints([]uint64{uint64(c.Status), uint64(c.A), uint64(c.B), uint64(c.OpenNonce), uint64(c.Period), c.Deadline}, []uint{8, 32, 32, 32, 32, 64}),
			Y: packUints([]uint64{c.Version, c.SplitA}, []uint{64, 64}),
		},
		Balance: c.Total,
	}
}

// ChannelOf decodes a channel leaf. It fails with ErrNotChannel for a leaf
// of another kind and ErrMalformed for fields out of range.
func ChannelOf(a *Account) (ChannelLeaf, error) {
	if a.Kind != KindChannel {
		return ChannelLeaf{}, fmt.Errorf("%w: leaf kind %d", ErrNotChannel, a.Kind)
	}
	x, y := a.PubKey.X.BigInt(new(big.Int)), a.PubKey.Y.BigInt(new(big.Int))
	if x.BitLen() > 200 || y.BitLen() > 128 || a.Nonce != 0 || !a.Aux.IsZero() {
		return ChannelLeaf{}, fmt.Errorf("%w: channel leaf fields out of range", ErrMalformed)
	}
	take := func(v *big.Int, bits uint) uint64 {
		mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), bits), big.NewInt(1))
		out := new(big.Int).And(v, mask).Uint64()
		v.Rsh(v, bits)
		return out
	}
	var c ChannelLeaf
	c.Deadline = take(x, 64)
	c.Period = uint32(take(x, 32))
	c.OpenNonce = uint32(take(x, 32))
	c.B = uint32(take(x, 32))
	c.A = uint32(take(x, 32))
	c.Status = ChannelStatus(take(x, 8))
	c.SplitA = take(y, 64)
	c.Version = take(y, 64)
	c.Total = a.Balance
	if c.Status != ChannelOpen && c.Status != ChannelClosing || c.SplitA > c.Total {
		return ChannelLeaf{}, fmt.Errorf("%w: channel leaf status %d, split %d of %d", ErrMalformed, c.Status, c.SplitA, c.Total)
	}
	return c, nil
}
