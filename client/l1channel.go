package client

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/keel-rollup/keel/vm"
)

// RequestChannelChallenge files a co-signed state of the channel in leaf
// as a challenge through the Rollup's priority queue
// (Rollup.requestChannelChallenge): the sequencer must process it in
// order, or let exodus mode start. The batch that consumes it applies it
// if it is a valid challenge of the closing channel (a newer state, both
// parties' signatures, before the deadline) and changes nothing otherwise.
// l1Key pays the gas; DepositIndex reads the request's queue index from
// the receipt.
func RequestChannelChallenge(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, leaf uint32, st vm.ChannelState, sigA, sigB vm.Signature) (*types.Receipt, error) {
	parts := func(s vm.Signature) [3]*big.Int {
		rx, ry, sc := s.Parts()
		return [3]*big.Int{rx.BigInt(new(big.Int)), ry.BigInt(new(big.Int)), sc.BigInt(new(big.Int))}
	}
	data := rollupABI.PackRequestChannelChallenge(leaf, st.Version, st.Final, st.BalanceA, st.BalanceB, parts(sigA), parts(sigB))
	return transact(ctx, backend, rollup, l1Key, nil, data, "request channel challenge")
}

// L1Path is a statechan.Watcher's fallback over an L1 endpoint: it files
// challenges through the Rollup's priority queue, follows the request,
// and activates exodus mode if it expires. (This package does not import
// statechan; the interface is met by the method set, and a test asserts
// it.)
type L1Path struct {
	// Backend is the L1 endpoint; Rollup the contract; Key pays the gas.
	Backend L1Backend
	Rollup  common.Address
	Key     *ecdsa.PrivateKey
	// Leaf resolves a channel id to its leaf index: the channel's leaf is
	// what the L1 request names. NodeLeaf asks a node.
	Leaf func(ctx context.Context, channelID uint64) (uint32, error)
}

// NodeLeaf resolves channel ids to leaves through the node c talks to.
func NodeLeaf(c *Client) func(context.Context, uint64) (uint32, error) {
	return func(ctx context.Context, id uint64) (uint32, error) {
		info, err := c.GetChannel(ctx, id)
		if err != nil {
			return 0, err
		}
		if info == nil {
			return 0, fmt.Errorf("%w: %d", ErrNoChannel, id)
		}
		return info.Leaf, nil
	}
}

// Block returns the L1 head's number.
func (p *L1Path) Block(ctx context.Context) (uint64, error) {
	h, err := p.Backend.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("client: read the L1 head: %w", err)
	}
	return h.Number.Uint64(), nil
}

// ForceChallenge files the state through the priority queue and returns
// the request's queue index.
func (p *L1Path) ForceChallenge(ctx context.Context, st vm.ChannelState, sigA, sigB vm.Signature) (uint64, error) {
	leaf, err := p.Leaf(ctx, st.ChannelID)
	if err != nil {
		return 0, err
	}
	r, err := RequestChannelChallenge(ctx, p.Backend, p.Rollup, p.Key, leaf, st, sigA, sigB)
	if err != nil {
		return 0, err
	}
	return DepositIndex(r)
}

// Request reports whether verified batches consumed request index, and
// whether it has waited past the exodus delay unconsumed.
func (p *L1Path) Request(ctx context.Context, index uint64) (consumed, expired bool, err error) {
	inst := rollupABI.Instance(p.Backend, p.Rollup)
	opts := &bind.CallOpts{Context: ctx}
	done, err := bind.Call(inst, opts, rollupABI.PackPrioConsumed(), rollupABI.UnpackPrioConsumed)
	if err != nil {
		return false, false, fmt.Errorf("client: read prioConsumed: %w", err)
	}
	if done > index {
		return true, false, nil
	}
	rec, err := bind.Call(inst, opts, rollupABI.PackPrioRequests(new(big.Int).SetUint64(index)), rollupABI.UnpackPrioRequests)
	if err != nil {
		return false, false, fmt.Errorf("client: read request %d: %w", index, err)
	}
	delay, err := bind.Call(inst, opts, rollupABI.PackExodusDelay(), rollupABI.UnpackExodusDelay)
	if err != nil {
		return false, false, fmt.Errorf("client: read exodusDelay: %w", err)
	}
	head, err := p.Block(ctx)
	if err != nil {
		return false, false, err
	}
	madeAt := new(big.Int).And(rec, big.NewInt(1<<32-1)).Uint64()
	// activateExodus runs in the next block.
	return false, head+1 > madeAt+delay, nil
}

// ActivateExodus switches the Rollup into exodus mode (see the function
// of that name).
func (p *L1Path) ActivateExodus(ctx context.Context) error {
	_, err := ActivateExodus(ctx, p.Backend, p.Rollup, p.Key)
	return err
}

// SubmitChannelExit sends, in exodus mode, a proven claim on the channel in
// leaf (Rollup.channelExit): its first claim starts its settlement on L1,
// a later one with a newer co-signed state replaces the standing state
// until the deadline. leafX, leafY and total are the channel leaf's packed
// fields, st the claimed state, proof the exit circuit's proof of it.
func SubmitChannelExit(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, leaf uint32, leafX, leafY *big.Int, total uint64, st vm.ChannelState, proof []byte) (*types.Receipt, error) {
	data := rollupABI.PackChannelExit(leaf, leafX, leafY, total, st.Version, st.BalanceA, st.BalanceB, proof)
	return transact(ctx, backend, rollup, l1Key, nil, data, "channel exit")
}

// ClaimChannelShare pays, once a settling channel's deadline has passed,
// party A's (or partyB's) share to where that party's account exited.
func ClaimChannelShare(ctx context.Context, backend L1Backend, rollup common.Address, l1Key *ecdsa.PrivateKey, leaf uint32, partyB bool) (*types.Receipt, error) {
	return transact(ctx, backend, rollup, l1Key, nil, rollupABI.PackClaimChannelShare(leaf, partyB), "claim channel share")
}

// Exited reports whether account has exited in exodus mode.
func Exited(ctx context.Context, backend L1Backend, rollup common.Address, account uint32) (bool, error) {
	v, err := bind.Call(rollupABI.Instance(backend, rollup), &bind.CallOpts{Context: ctx}, rollupABI.PackExited(account), rollupABI.UnpackExited)
	if err != nil {
		return false, fmt.Errorf("client: read exited(%d): %w", account, err)
	}
	return v, nil
}
