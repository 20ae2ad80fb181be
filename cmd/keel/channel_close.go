package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// channelCloseOut is what `keel channel close` prints.
type channelCloseOut struct {
	Hash    common.Hash     `json:"hash"`
	Status  client.TxStatus `json:"status"`
	Batch   *uint64         `json:"batch,omitempty"`
	Channel string          `json:"channel"`
	// Kind is "cooperative" (a final state both signed: settled at once)
	// or "unilateral" (a dispute: the challenge period starts).
	Kind     string `json:"kind"`
	Version  uint64 `json:"version"`
	BalanceA string `json:"balanceA"`
	BalanceB string `json:"balanceB"`
	Period   uint32 `json:"period"`
}

func runChannelClose(args []string, g *globals) error {
	f := g.flagSet("channel close", "", "Settle a channel on L2. Cooperatively (--peer-url): agree a final state with the peer and\n"+
		"pay it out at once. --unilateral: close alone with your latest co-signed state; the peer may\n"+
		"answer with a newer one within the challenge period, then keel channel finalize pays out.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	peerURL := f.String("peer-url", "", "the peer's session `URL`, ws://host:port/, for a cooperative close")
	unilateral := f.Bool("unilateral", false, "close without the peer, with your latest co-signed state")
	store := addStoreFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "close")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	switch {
	case *unilateral && *peerURL != "":
		return errors.New("--unilateral closes without the peer: drop --peer-url (or drop --unilateral to close cooperatively)")
	case !*unilateral:
		if err := checkPeerURL(*peerURL); err != nil {
			return fmt.Errorf("%w; or close alone with --unilateral (a challenge period applies, then keel channel finalize)", err)
		}
	}
	log, key, c, err := channelParty(g, k, "warn")
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := chainChannel(g, c, id)
	if err != nil {
		return err
	}
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, nil)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	p, err := ensureChannel(g, c, ep, key, id)
	if err != nil {
		return err
	}
	latest, _, err := ep.State(id)
	if err != nil {
		return err
	}
	typ, kind := vm.TxChanClose, "cooperative"
	switch {
	case latest.State.Final:
		// Already agreed (earlier, or the peer closed first): settle it.
	case *unilateral:
		if ch.Status == client.ChannelClosing {
			return fmt.Errorf("channel %d is already closing at version %d (deadline %d): keel channel finalize pays it out after the deadline; a watcher (keel channel watch) challenges it if your state is newer", id, ch.Version, ch.Deadline)
		}
		typ, kind = vm.TxChanDispute, "unilateral"
		if latest.State.Version == 0 {
			// The opening carries no co-signatures; the closer alone signs
			// it, so that no stranger can start a channel's challenge period.
			sig, err := latest.State.Sign(key)
			if err != nil {
				return err
			}
			if key.Public() == p.A {
				latest.SigA = sig
			} else {
				latest.SigB = sig
			}
		}
	default:
		sess, err := ep.Dial(g.ctx, *peerURL, id)
		if err != nil {
			return fmt.Errorf("reach the peer: %w (is `keel channel listen` running there? without the peer, close with --unilateral)", err)
		}
		latest, err = sess.CloseChannel(g.ctx)
		sess.Disconnect()
		if err != nil {
			return fmt.Errorf("agree a final state with the peer: %w (without the peer, close with --unilateral)", err)
		}
	}
	h, err := c.SubmitChannelState(g.ctx, typ, ch.Leaf, latest.State, latest.SigA, latest.SigB)
	if err != nil {
		return fmt.Errorf("send channel %s close: %w", kind, err)
	}
	out := channelCloseOut{Hash: h, Status: client.StatusPending, Channel: strconv.FormatUint(id, 10), Kind: kind, Version: latest.State.Version,
		BalanceA: strconv.FormatUint(latest.State.BalanceA, 10), BalanceB: strconv.FormatUint(latest.State.BalanceB, 10), Period: ch.Period}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.Status = r.Status
		if r.Batch != nil {
			b := uint64(*r.Batch)
			out.Batch = &b
		}
	}
	if err != nil {
		return err
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "transaction: %s\nstatus:      %s\n", out.Hash, out.Status)
		if out.Batch != nil {
			fmt.Fprintf(w, "batch:       %d\n", *out.Batch)
		}
		fmt.Fprintf(w, "close:       %s, version %d: A gets %s gwei, B %s gwei\n", out.Kind, out.Version, out.BalanceA, out.BalanceB)
		if out.Kind == "unilateral" {
			fmt.Fprintf(w, "next:        after the %d s challenge period, keel channel finalize --channel %s\n", out.Period, out.Channel)
		}
	})
}

func runChannelFinalize(args []string, g *globals) error {
	f := g.flagSet("channel finalize", "", "Pay out a channel closed unilaterally, once its challenge period is over (the batch time\n"+
		"passed its deadline; keel channel info shows it). Anyone may send it; it needs no key.")
	chS := addChannelFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "finalize")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
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
		return fmt.Errorf("channel %d is %s: finalize pays out a channel closed unilaterally; close it first (keel channel close)", id, ch.Status)
	}
	h, err := c.FinalizeChannel(g.ctx, ch.Leaf)
	if err != nil {
		return fmt.Errorf("send channel finalize: %w", err)
	}
	out := txOut{Hash: h, Status: client.StatusPending}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.setReceipt(r)
	}
	if errors.Is(err, client.ErrRejected) {
		deadline := time.Unix(int64(ch.Deadline), 0).UTC()
		return fmt.Errorf("%w (the challenge period ends at batch time %d, %s; batches take the L1 head's time)", err, uint64(ch.Deadline), deadline.Format(time.RFC3339))
	}
	if err != nil {
		return err
	}
	return g.emit(struct {
		Hash    common.Hash     `json:"hash"`
		Status  client.TxStatus `json:"status"`
		Batch   *uint64         `json:"batch,omitempty"`
		Channel string          `json:"channel"`
		PaidA   string          `json:"paidA"`
		PaidB   string          `json:"paidB"`
	}{out.Hash, out.Status, out.Batch, strconv.FormatUint(id, 10), strconv.FormatUint(uint64(ch.SplitA), 10), strconv.FormatUint(uint64(ch.SplitB), 10)}, func(w io.Writer) {
		out.print(w)
		fmt.Fprintf(w, "paid out:    %d gwei to account %d, %d gwei to account %d\n", ch.SplitA, ch.A, ch.SplitB, ch.B)
	})
}
