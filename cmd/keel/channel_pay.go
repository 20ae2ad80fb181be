package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
)

// paymentOut is one payment `keel channel listen` received.
type paymentOut struct {
	Channel string `json:"channel"`
	Version uint64 `json:"version"`
	Amount  string `json:"amount"`
}

func runChannelListen(args []string, g *globals) error {
	f := g.flagSet("channel listen", "", "Receive payments: serve channel sessions on --addr until interrupted; payers dial\n"+
		"ws://ADDR/ (keel channel pay --peer-url). Every payment received is printed once it is co-signed\n"+
		"and durable in your channel store. With --watch (the default) a stale close of any of your\n"+
		"channels is challenged with your latest co-signed state; with --l1-key too, through the L1\n"+
		"priority queue when the sequencer does not take the L2 challenge (see keel channel watch).")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	addr := f.String("addr", "127.0.0.1:7600", "the `host:port` to serve sessions on (port 0 picks one)")
	store := addStoreFlag(f)
	watch := f.Bool("watch", true, "also watch your channels and challenge stale closes")
	poll := f.Duration("poll", statechan.DefaultWatchInterval, "how often the watcher reads L2; keep it well inside the challenge period")
	logLevel := f.String("log-level", "warn", "log `level` on stderr: debug, info, warn or error")
	fallback := addL1FallbackFlags(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if err := fallback.check(); err != nil {
		return err
	}
	if !*watch && *fallback.key != "" {
		return errors.New("--l1-key pays the watcher's L1 fallback: drop it with --watch=false")
	}
	var id uint64
	if *chS != "" {
		var err error
		if id, err = parseChannelID(*chS); err != nil {
			return err
		}
	}
	log, key, c, err := channelParty(g, k, *logLevel)
	if err != nil {
		return err
	}
	defer c.Close()
	var outMu sync.Mutex
	onPayment := func(p statechan.Payment) {
		outMu.Lock()
		defer outMu.Unlock()
		out := paymentOut{Channel: strconv.FormatUint(p.ChannelID, 10), Version: p.Version, Amount: strconv.FormatUint(p.Amount, 10)}
		_ = g.emit(out, func(w io.Writer) {
			fmt.Fprintf(w, "received %s gwei on channel %s (version %d)\n", out.Amount, out.Channel, out.Version)
		})
	}
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, onPayment)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	if *chS != "" {
		if _, err := ensureChannel(g, c, ep, key, id); err != nil {
			return err
		}
	}
	all, err := ep.Store().Channels()
	if err != nil {
		return err
	}
	// Channels whose final state is co-signed take no more payments: they
	// are not advertised (the watcher still watches every channel).
	var ids []uint64
	for _, id := range all {
		if _, st, err := ep.State(id); err == nil && st != statechan.StatusClosed {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return errors.New("no open channels to serve: name one with --channel (it is imported from L2 while open)")
	}
	a, err := ep.Listen(*addr)
	if err != nil {
		return err
	}
	if *watch {
		cfg := statechan.WatcherConfig{Chain: client.NewChannelChain(c), States: ep.Store(), Interval: *poll, Logger: log}
		closeL1, err := fallback.apply(g, c, &cfg)
		if err != nil {
			return err
		}
		defer closeL1()
		w, err := statechan.NewWatcher(cfg)
		if err != nil {
			return err
		}
		if err := w.Start(g.ctx); err != nil {
			return err
		}
		defer w.Stop(context.WithoutCancel(g.ctx))
	}
	url := "ws://" + a.String() + "/"
	outMu.Lock()
	err = g.emit(map[string]any{"listening": url, "channels": decimalIDs(ids)}, func(w io.Writer) {
		fmt.Fprintf(w, "listening on %s for channel(s) %s; Ctrl-C stops\n", url, strings.Join(decimalIDs(ids), ", "))
	})
	outMu.Unlock()
	if err != nil {
		return err
	}
	<-g.ctx.Done()
	return nil
}

// channelStateOut is the co-signed state `keel channel pay` ends at.
type channelStateOut struct {
	Channel     string `json:"channel"`
	Paid        string `json:"paid,omitempty"`
	Payments    int    `json:"payments,omitempty"`
	Version     uint64 `json:"version"`
	Balance     string `json:"balance"`     // ours
	PeerBalance string `json:"peerBalance"` // the peer's
}

func runChannelPay(args []string, g *globals) error {
	f := g.flagSet("channel pay", "", "Pay the peer over a channel: dial its listener (keel channel listen prints the URL) and\n"+
		"co-sign one new state per payment; each is durable in both stores before the next.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	peerURL := f.String("peer-url", "", "the peer's session `URL`, ws://host:port/ (what its keel channel listen prints)")
	amountS := f.String("amount", "", "how much each payment is, `AMOUNT`: gwei (1500) or ETH (0.5eth)")
	count := f.Int("count", 1, "how many `payments` of --amount to make")
	store := addStoreFlag(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	if err := checkPeerURL(*peerURL); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	if *count < 1 {
		return fmt.Errorf("--count %d: make at least one payment", *count)
	}
	log, key, c, err := channelParty(g, k, "warn")
	if err != nil {
		return err
	}
	defer c.Close()
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, nil)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	p, err := ensureChannel(g, c, ep, key, id)
	if err != nil {
		return err
	}
	sess, err := ep.Dial(g.ctx, *peerURL, id)
	if err != nil {
		return fmt.Errorf("reach the peer: %w (is `keel channel listen` running there, for this channel?)", err)
	}
	defer sess.Disconnect()
	for i := range *count {
		if err := sess.Pay(g.ctx, amount); err != nil {
			return fmt.Errorf("payment %d of %d: %w", i+1, *count, err)
		}
	}
	latest, _, err := ep.State(id)
	if err != nil {
		return err
	}
	own, peer := balances(p, key.Public(), latest.State)
	out := channelStateOut{Channel: strconv.FormatUint(id, 10), Paid: strconv.FormatUint(amount*uint64(*count), 10), Payments: *count,
		Version: latest.State.Version, Balance: strconv.FormatUint(own, 10), PeerBalance: strconv.FormatUint(peer, 10)}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "paid:     %s gwei in %d payment(s)\nversion:  %d\nbalances: %s gwei yours, %s gwei the peer's\n",
			out.Paid, out.Payments, out.Version, out.Balance, out.PeerBalance)
	})
}
