package vm

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// ExitTag is the type byte of an exodus exit's signed message and of its
// commitment. No transaction type and no channel state uses it, so an exit
// signature is never a signature on anything else.
const ExitTag = 14

// Exit is a claim, made in exodus mode, that account Account held Balance
// in the state with root Root, paid to the L1 address Recipient. The exit
// circuit proves it: the account's leaf is in Root with that balance, and
// the account's key signed ExitMessage. The Rollup contract pays each
// account once.
type Exit struct {
	ChainID   uint64
	Root      Element
	Account   uint32
	Balance   uint64
	Recipient common.Address
}

// ExitMessage is what the account's key signs to exit to recipient:
//
//	HashChain(tag|chainID|account, recipient)
//
// It names the chain and the recipient, so a signature made to exit to one
// address on one chain serves nowhere else; the contract pays each account
// once, so it needs no nonce.
func ExitMessage(chainID uint64, account uint32, recipient common.Address) Element {
	return HashChain(packUints([]uint64{ExitTag, chainID, uint64(account)}, []uint{8, 64, 32}), addressElement(recipient))
}

// Commitment is the exit circuit's one public input, which the Rollup
// contract recomputes with its Poseidon2 library:
//
//	HashChain(tag|chainID|account, root, balance, recipient)
func (e *Exit) Commitment() Element {
	return HashChain(packUints([]uint64{ExitTag, e.ChainID, uint64(e.Account)}, []uint{8, 64, 32}), e.Root, ElementFromUint64(e.Balance), addressElement(e.Recipient))
}

// SignExit signs the exit of account to recipient with the account's key.
func SignExit(k *PrivateKey, chainID uint64, account uint32, recipient common.Address) (Signature, error) {
	if k == nil {
		return Signature{}, fmt.Errorf("%w: no key", ErrMalformed)
	}
	return k.SignElement(ExitMessage(chainID, account, recipient))
}

// addressElement is an L1 address as a field element (160 bits).
func addressElement(a common.Address) Element {
	var e Element
	e.SetBytes(a[:])
	return e
}

// ChannelExitTag is the type byte of a channel claim's commitment, apart
// from every transaction type, ExitTag and ChannelStateTag.
const ChannelExitTag = 16

// ChannelExit is a claim, made in exodus mode, about the channel in leaf
// Channel of the state with root Root: the leaf as that state holds it,
// and a state of the channel (its version and balances) that is either
// the leaf's own (the opening split of an open channel, or the state a
// closing one was closed or last challenged with) or signed by both
// parties' account keys. The exit circuit proves it; the Rollup contract
// runs the channel's dispute on L1 time with it and pays each party its
// share of the final split.
type ChannelExit struct {
	ChainID uint64
	Root    Element
	Channel uint32
	Leaf    ChannelLeaf
	// State is the claimed state; its ChainID and ChannelID are the
	// chain's and the leaf's.
	State ChannelState
}

// Recorded reports whether the claimed state is the leaf's own, which
// needs no signatures.
func (e *ChannelExit) Recorded() bool {
	return e.State.Version == e.Leaf.Version && e.State.BalanceA == e.Leaf.SplitA && e.State.BalanceB == e.Leaf.Total-e.Leaf.SplitA
}

// Commitment is the exit circuit's public input for a channel claim, which
// the Rollup contract recomputes from its root and the claim's calldata:
//
//	HashChain(tag|chainID|channel, root, leafX, leafY, total, version|balanceA|balanceB)
//
// where leafX and leafY are the channel leaf's packed fields
// (ChannelLeaf.Leaf), so the contract reads the parties, the period, the
// status and the deadline from them.
func (e *ChannelExit) Commitment() Element {
	leaf := e.Leaf.Leaf()
	head := packUints([]uint64{ChannelExitTag, e.ChainID, uint64(e.Channel)}, []uint{8, 64, 32})
	state := packUints([]uint64{e.State.Version, e.State.BalanceA, e.State.BalanceB}, []uint{64, 64, 64})
	return HashChain(head, e.Root, leaf.PubKey.X, leaf.PubKey.Y, ElementFromUint64(e.Leaf.Total), state)
}
