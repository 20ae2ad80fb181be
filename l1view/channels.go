package l1view

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// Channels in exodus: a channel still open (or closing) in the last
// verified state is settled on L1 (Rollup.channelExit, claimChannelShare).
// ChannelsOf finds an account's channels from L1 data alone,
// ProveChannelClaim proves a state of one, and ReadSettlement reads where
// its settlement stands.

// AccountChannel is a channel in the verified state that an account is a
// party of.
type AccountChannel struct {
	Leaf    uint32
	Channel vm.ChannelLeaf
	// PartyB says the account is the channel's party B.
	PartyB bool
}

// ChannelsOf returns the channels of account in the verified state: those
// the public data of verified batches opened with it as a party, and that
// the state still holds.
func (v *Verified) ChannelsOf(account uint32) ([]AccountChannel, error) {
	seen := map[uint32]bool{}
	var out []AccountChannel
	for n := uint64(1); n <= v.Status.Batch; n++ {
		ops, err := vm.DecodePublicData(v.L1.Batches[n-1].PublicData)
		if err != nil {
			return nil, fmt.Errorf("l1view: batch %d: %w", n, err)
		}
		for _, op := range ops {
			if op.Op != vm.OpChanOpen || op.Account != account && op.To != account || seen[op.Channel] {
				continue
			}
			seen[op.Channel] = true
			leaf, err := v.Tree.Get(uint64(op.Channel))
			if err != nil {
				return nil, err
			}
			if leaf.Kind != vm.KindChannel {
				continue // settled on L2
			}
			ch, err := vm.ChannelOf(&leaf)
			if err != nil {
				return nil, err
			}
			if ch.A != account && ch.B != account {
				continue // the leaf was reused by another channel
			}
			out = append(out, AccountChannel{Leaf: op.Channel, Channel: ch, PartyB: ch.B == account})
		}
	}
	return out, nil
}

// ChannelClaimCall is channelExit's calldata for a proven claim.
type ChannelClaimCall struct {
	Leaf         uint32
	LeafX, LeafY *big.Int
	Total        uint64
	State        vm.ChannelState
	Proof        []byte
}

// ProveChannelClaim proves a claim on the channel in leaf with state st:
// the leaf's own state (no signatures) or one both parties signed.
func (v *Verified) ProveChannelClaim(leaf uint32, st vm.ChannelState, sigA, sigB vm.Signature, exitKeys *prover.Keys) (*ChannelClaimCall, error) {
	l, err := v.Tree.Get(uint64(leaf))
	if err != nil {
		return nil, err
	}
	ch, err := vm.ChannelOf(&l)
	if err != nil {
		return nil, fmt.Errorf("l1view: leaf %d: %w", leaf, err)
	}
	w := prover.ChannelExitWitness{SigA: sigA, SigB: sigB}
	if w.Siblings, err = v.Tree.Proof(uint64(leaf)); err != nil {
		return nil, err
	}
	for _, p := range []struct {
		acc  *vm.Account
		sibs *[]vm.Element
		i    uint32
	}{{&w.PartyA, &w.SiblingsA, ch.A}, {&w.PartyB, &w.SiblingsB, ch.B}} {
		if *p.acc, err = v.Tree.Get(uint64(p.i)); err != nil {
			return nil, err
		}
		if *p.sibs, err = v.Tree.Proof(uint64(p.i)); err != nil {
			return nil, err
		}
	}
	claim := vm.ChannelExit{ChainID: v.L1.Config.ChainID, Root: v.Head.Root, Channel: leaf, Leaf: ch, State: st}
	p, err := prover.ProveChannelExit(exitKeys, claim, w)
	if err != nil {
		return nil, err
	}
	raw, err := p.SolidityBytes()
	if err != nil {
		return nil, err
	}
	packed := ch.Leaf()
	return &ChannelClaimCall{Leaf: leaf, LeafX: packed.PubKey.X.BigInt(new(big.Int)), LeafY: packed.PubKey.Y.BigInt(new(big.Int)), Total: ch.Total, State: st, Proof: raw}, nil
}

// Settlement is a channel's settlement in exodus mode, as the Rollup
// holds it.
type Settlement struct {
	// Started says a claim has started it; the rest is zero otherwise.
	Started         bool
	Version, SplitA uint64
	Deadline        uint64 // L1 time, unix seconds
	PaidA, PaidB    bool
}

// ReadSettlement reads the settlement of the channel in leaf.
func ReadSettlement(ctx context.Context, client bridge.L1Client, rollup common.Address, leaf uint32) (*Settlement, error) {
	r := l1contracts.NewRollup()
	s, err := bind.Call(r.Instance(client, rollup), &bind.CallOpts{Context: ctx}, r.PackChannelSettlements(leaf), r.UnpackChannelSettlements)
	if err != nil {
		return nil, fmt.Errorf("l1view: read the settlement of channel leaf %d: %w", leaf, err)
	}
	return &Settlement{Started: s.Total != 0, Version: s.Version, SplitA: s.SplitA, Deadline: s.Deadline, PaidA: s.PaidA, PaidB: s.PaidB}, nil
}
