package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
)

// channelInfoOut is what `keel channel info` prints.
type channelInfoOut struct {
	// Chain is the channel as the last sealed batch holds it; nil when
	// L2 has none (not sealed yet, or settled).
	Chain *client.Channel `json:"chain"`
	// Local is your latest co-signed state, when your store has the
	// channel.
	Local *localStateOut `json:"local,omitempty"`
}

type localStateOut struct {
	Store    string `json:"store"`
	Version  uint64 `json:"version"`
	BalanceA string `json:"balanceA"`
	BalanceB string `json:"balanceB"`
	Final    bool   `json:"final"`
}

func runChannelInfo(args []string, g *globals) error {
	f := g.flagSet("channel info", "", "Show a channel as L2 holds it (status, parties, locked total, the recorded state, the\n"+
		"deadline of a unilateral close) and, given --keyfile or --channel-store, your latest co-signed state.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	store := addStoreFlag(f)
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
	var out channelInfoOut
	if out.Chain, err = c.GetChannel(g.ctx, id); err != nil {
		return err
	}
	dir := *store
	if dir == "" && k.file != "" {
		pub, err := keyFilePub(k.file)
		if err != nil {
			return err
		}
		dir = storeDir("", pub)
	}
	if dir != "" {
		if _, err := os.Stat(dir); err == nil {
			st, err := statechan.OpenStore(dir, nil)
			if err != nil {
				return fmt.Errorf("open the channel store %s: %w (a running keel channel listen or watch holds it; stop it to read your states)", dir, err)
			}
			latest, err := st.Latest(id)
			st.Close()
			switch {
			case err == nil:
				out.Local = &localStateOut{Store: dir, Version: latest.State.Version, BalanceA: strconv.FormatUint(latest.State.BalanceA, 10),
					BalanceB: strconv.FormatUint(latest.State.BalanceB, 10), Final: latest.State.Final}
			case !errors.Is(err, statechan.ErrUnknownChannel):
				return err
			}
		}
	}
	if out.Chain == nil && out.Local == nil {
		return fmt.Errorf("channel %d is not on L2 (never opened, its batch not sealed yet, or settled) and not in your channel store", id)
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "channel:  %d\n", id)
		if ch := out.Chain; ch != nil {
			fmt.Fprintf(w, "on L2:    %s, leaf %d, accounts %d (A) and %d (B), as of batch %d\n", ch.Status, ch.Leaf, ch.A, ch.B, ch.Batch)
			fmt.Fprintf(w, "locked:   %d gwei\nstate:    version %d: A %d gwei, B %d gwei\nperiod:   %d s\n", ch.Total, ch.Version, ch.SplitA, ch.SplitB, ch.Period)
			if ch.Status == client.ChannelClosing {
				fmt.Fprintf(w, "deadline: batch time %d (%s): keel channel finalize after it\n", ch.Deadline, time.Unix(int64(ch.Deadline), 0).UTC().Format(time.RFC3339))
			}
		} else {
			fmt.Fprintln(w, "on L2:    none (not sealed yet, or settled)")
		}
		if l := out.Local; l != nil {
			final := ""
			if l.Final {
				final = ", final"
			}
			fmt.Fprintf(w, "yours:    version %d%s: A %s gwei, B %s gwei (in %s)\n", l.Version, final, l.BalanceA, l.BalanceB, l.Store)
		}
	})
}
