package main

import (
	"crypto/ecdsa"
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
)

// channelSettleOut is what keel exit did about one of the account's
// channels, and where its settlement on L1 stands.
type channelSettleOut struct {
	Leaf    uint32 `json:"leaf"`
	Channel string `json:"channel"`
	// Version and SplitA are the state the channel stands at on L1.
	Version uint64 `json:"version"`
	SplitA  uint64 `json:"splitA"`
	// Deadline is the L1 time (unix seconds) from which shares are paid.
	Deadline uint64 `json:"deadline"`
	// Claimed is the L1 transaction of this run's claim on the channel
	// (the first, or a newer state's); Share the one that paid the
	// account's share, PaidGwei.
	Claimed  *common.Hash `json:"claimTxHash,omitempty"`
	Share    *common.Hash `json:"shareTxHash,omitempty"`
	PaidGwei uint64       `json:"paidGwei"`
	Note     string       `json:"note"`
}

// settleChannel moves one of the exiting account's channels along its
// settlement on L1: it claims the channel with the best state the account
// knows (its store's latest co-signed state when newer than the leaf's
// own, else the leaf's), challenges a standing state older than that, and
// once the deadline has passed has the account's share paid.
func settleChannel(g *globals, l1 *ethclient.Client, rollup common.Address, eth *ecdsa.PrivateKey, v *l1view.Verified, keys *prover.Keys,
	states channelStates, ac l1view.AccountChannel) (channelSettleOut, error) {
	ch := ac.Channel
	out := channelSettleOut{Leaf: ac.Leaf, Channel: strconv.FormatUint(ch.ID(), 10)}
	// The leaf's own state, and the store's latest if it is newer.
	best := vm.ChannelState{Version: ch.Version, BalanceA: ch.SplitA, BalanceB: ch.Total - ch.SplitA}
	var sigA, sigB vm.Signature
	if latest, ok := states.latest(ch.ID()); ok && latest.State.Version > best.Version {
		best = latest.State
		best.ChainID, best.ChannelID = 0, 0
		sigA, sigB = latest.SigA, latest.SigB
	}
	s, err := l1view.ReadSettlement(g.ctx, l1, rollup, ac.Leaf)
	if err != nil {
		return out, err
	}
	now := uint64(time.Now().Unix())
	if h, err := l1.HeaderByNumber(g.ctx, nil); err == nil {
		now = h.Time
	}
	if !s.Started || best.Version > s.Version && now < s.Deadline {
		g.progressf("proving a claim on channel leaf %d at version %d…\n", ac.Leaf, best.Version)
		call, err := v.ProveChannelClaim(ac.Leaf, best, sigA, sigB, keys)
		if err != nil {
			return out, err
		}
		r, err := client.SubmitChannelExit(g.ctx, l1, rollup, eth, call.Leaf, call.LeafX, call.LeafY, call.Total, call.State, call.Proof)
		if err != nil {
			return out, err
		}
		out.Claimed = &r.TxHash
		if s, err = l1view.ReadSettlement(g.ctx, l1, rollup, ac.Leaf); err != nil {
			return out, err
		}
	}
	out.Version, out.SplitA, out.Deadline = s.Version, s.SplitA, s.Deadline
	paid := ac.PartyB && s.PaidB || !ac.PartyB && s.PaidA
	switch {
	case paid:
		out.Note = fmt.Sprintf("settled at version %d; the share was paid before", s.Version)
	case now < s.Deadline:
		out.Note = fmt.Sprintf("stands at version %d until %s; run keel exit again after it to be paid", s.Version, time.Unix(int64(s.Deadline), 0).UTC().Format(time.RFC3339))
	default:
		r, err := client.ClaimChannelShare(g.ctx, l1, rollup, eth, ac.Leaf, ac.PartyB)
		if err != nil {
			return out, err
		}
		out.Share = &r.TxHash
		out.PaidGwei = s.SplitA
		if ac.PartyB {
			out.PaidGwei = ch.Total - s.SplitA
		}
		out.Note = fmt.Sprintf("settled at version %d: %d gwei paid", s.Version, out.PaidGwei)
	}
	return out, nil
}

// channelStates is the account's channel store, opened once for all its
// channels; a missing or locked store holds nothing, and the channels are
// claimed with their recorded states.
type channelStates struct{ st *statechan.Store }

// openChannelStates opens the store at dir when there are channels to
// settle (want) and the store exists.
func openChannelStates(g *globals, dir string, want bool) channelStates {
	if !want {
		return channelStates{}
	}
	if _, err := os.Stat(dir); err != nil {
		return channelStates{}
	}
	st, err := statechan.OpenStore(dir, nil)
	if err != nil {
		g.progressf("channel store %s: %v; claiming with the recorded states\n", dir, err)
		return channelStates{}
	}
	return channelStates{st: st}
}

// latest is the latest co-signed state of channel id, if the store has it.
func (s channelStates) latest(id uint64) (statechan.SignedState, bool) {
	if s.st == nil {
		return statechan.SignedState{}, false
	}
	latest, err := s.st.Latest(id)
	if err != nil {
		return statechan.SignedState{}, false
	}
	return latest, true
}

func (s channelStates) close() {
	if s.st != nil {
		s.st.Close()
	}
}
