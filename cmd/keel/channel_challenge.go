package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
)

// channelChallengeOut is what `keel channel challenge` prints.
type channelChallengeOut struct {
	Channel string `json:"channel"`
	Leaf    uint32 `json:"leaf"`
	Version uint64 `json:"version"`
	// Closing is the version the channel is closing with.
	Closing uint64 `json:"closing"`
	// Path is "l2" (a challenge transaction) or "l1" (a request in the
	// Rollup's priority queue).
	Path     string          `json:"path"`
	Hash     *common.Hash    `json:"hash,omitempty"`
	Status   client.TxStatus `json:"status,omitempty"`
	Request  *uint64         `json:"request,omitempty"`
	L1TxHash *common.Hash    `json:"l1TxHash,omitempty"`
}

// runChannelChallenge is `keel channel challenge`: answer a stale close
// by hand, on L2 or, with --l1, through the L1 priority queue.
func runChannelChallenge(args []string, g *globals) error {
	f := g.flagSet("channel challenge", "", "Challenge a channel that is closing with a state older than your latest co-signed one, with\n"+
		"yours. By default on L2; --l1 files it in the Rollup's L1 priority queue instead, for when\n"+
		"the sequencer does not take your L2 challenge: it must then process it in order, or let exodus\n"+
		"mode start (keel exodus). Watchers (keel channel watch, listen, the node's) do this by themselves.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	store := addStoreFlag(f)
	onL1 := f.Bool("l1", false, "file the challenge on L1, through Rollup.requestChannelChallenge (needs --l1-key)")
	url, rollupS, _ := addL1TargetFlags(f)
	l1KeyS := addL1KeyFlag(f, "that pays the gas of --l1")
	wait := addWaitFlag(f, client.StatusSequenced, "challenge")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	if !*onL1 && (*l1KeyS != "" || *url != "" || *rollupS != "") {
		return errors.New("--l1-key, --l1-rpc and --rollup are for --l1: add it to challenge through L1")
	}
	dir, err := existingStoreDir(k, *store)
	if err != nil {
		return err
	}
	st, err := statechan.OpenStore(dir, nil)
	if err != nil {
		return fmt.Errorf("open the channel store %s: %w (if keel channel listen or watch runs on it, it challenges by itself)", dir, err)
	}
	defer st.Close()
	latest, err := st.Latest(id)
	if err != nil {
		return fmt.Errorf("channel %d in %s: %w", id, dir, err)
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := chainChannel(g, c, id)
	if err != nil {
		return err
	}
	if ch.Status != client.ChannelClosing {
		return fmt.Errorf("channel %d is %s, not closing: there is nothing to challenge", id, ch.Status)
	}
	if uint64(ch.Version) >= latest.State.Version {
		return fmt.Errorf("channel %d is closing with version %d, and your latest state is version %d: nothing newer to challenge with", id, ch.Version, latest.State.Version)
	}
	out := channelChallengeOut{Channel: strconv.FormatUint(id, 10), Leaf: ch.Leaf, Version: latest.State.Version, Closing: uint64(ch.Version), Path: "l2"}
	if *onL1 {
		eth, err := parseL1Key(*l1KeyS)
		if err != nil {
			return fmt.Errorf("keel channel challenge --l1: %w; it pays the request's gas", err)
		}
		t, err := resolveL1(g, *url, *rollupS)
		if err != nil {
			return fmt.Errorf("keel channel challenge --l1: %w", err)
		}
		l1, err := t.dial(g)
		if err != nil {
			return fmt.Errorf("keel channel challenge --l1: %w", err)
		}
		defer l1.Close()
		r, err := client.RequestChannelChallenge(g.ctx, l1, t.rollup, eth, ch.Leaf, latest.State, latest.SigA, latest.SigB)
		if err != nil {
			return fmt.Errorf("keel channel challenge --l1: %w", err)
		}
		idx, err := client.DepositIndex(r)
		if err != nil {
			return err
		}
		out.Path, out.Request, out.L1TxHash = "l1", &idx, &r.TxHash
		return g.emit(out, func(w io.Writer) {
			fmt.Fprintf(w, "filed on L1: channel %d (leaf %d), version %d over the closing %d\n", id, ch.Leaf, out.Version, out.Closing)
			fmt.Fprintf(w, "request:     %d in the priority queue (L1 tx %s)\n", idx, r.TxHash)
			fmt.Fprintf(w, "next:        the sequencer must process it in order; if it does not, keel exodus --activate after the exodus delay\n")
		})
	}
	h, err := c.SubmitChannelState(g.ctx, vm.TxChanChallenge, ch.Leaf, latest.State, latest.SigA, latest.SigB)
	if err != nil {
		return fmt.Errorf("send the challenge: %w", err)
	}
	out.Hash, out.Status = &h, client.StatusPending
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.Status = r.Status
	}
	if err != nil {
		return fmt.Errorf("%w (if the sequencer does not take it, challenge with --l1)", err)
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "challenged channel %d with version %d over the closing %d\ntransaction: %s\nstatus:      %s\n", id, out.Version, out.Closing, h, out.Status)
	})
}
