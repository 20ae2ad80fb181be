package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
)

func runChannelWatch(args []string, g *globals) error {
	f := g.flagSet("channel watch", "", "Watch your channels until interrupted: when one is closed unilaterally with a state older\n"+
		"than your latest co-signed one, challenge it with yours. Needs no password: only your channel\n"+
		"store (--channel-store, or the default one of --keyfile's key). keel channel listen watches too.\n"+
		"With --l1-key it also falls back to L1 by itself: a challenge L2 has not taken within\n"+
		"--fallback-blocks L1 blocks is filed in the Rollup's priority queue (keel channel challenge --l1),\n"+
		"and if the sequencer lets that expire, it activates exodus mode.")
	k := addKeyFlags(f)
	store := addStoreFlag(f)
	poll := f.Duration("poll", statechan.DefaultWatchInterval, "how often to read L2; keep it well inside the challenge period")
	logLevel := f.String("log-level", "warn", "log `level` on stderr: debug, info, warn or error")
	fallback := addL1FallbackFlags(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if err := fallback.check(); err != nil {
		return err
	}
	if *poll <= 0 {
		return fmt.Errorf("--poll %s: want a positive duration", *poll)
	}
	dir, err := existingStoreDir(k, *store)
	if err != nil {
		return err
	}
	log, err := channelLogger(g, *logLevel)
	if err != nil {
		return err
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	st, err := statechan.OpenStore(dir, &statechan.StoreOptions{Logger: log})
	if err != nil {
		return fmt.Errorf("open the channel store %s: %w (if keel channel listen runs on it, it watches already)", dir, err)
	}
	defer st.Close()
	cfg := statechan.WatcherConfig{Chain: client.NewChannelChain(c), States: st, Interval: *poll, Logger: log}
	closeL1, err := fallback.apply(g, c, &cfg)
	if err != nil {
		return err
	}
	defer closeL1()
	w, err := statechan.NewWatcher(cfg)
	if err != nil {
		return err
	}
	ids, err := st.Channels()
	if err != nil {
		return err
	}
	if err := g.emit(map[string]any{"watching": dir, "channels": decimalIDs(ids)}, func(w io.Writer) {
		fmt.Fprintf(w, "watching %d channel(s) in %s every %s; Ctrl-C stops\n", len(ids), dir, *poll)
	}); err != nil {
		return err
	}
	// Check rounds are driven here rather than by Watcher.Start, so that
	// each challenge is reported on stdout.
	t := time.NewTicker(*poll)
	defer t.Stop()
	for {
		challenged, err := w.Check(g.ctx)
		for _, s := range challenged {
			out := map[string]any{"challenged": strconv.FormatUint(s.State.ChannelID, 10), "version": s.State.Version}
			if err := g.emit(out, func(w io.Writer) {
				fmt.Fprintf(w, "challenged a stale close of channel %d with version %d\n", s.State.ChannelID, s.State.Version)
			}); err != nil {
				return err
			}
		}
		if err != nil && g.ctx.Err() == nil {
			g.progressf("watch round failed, retrying: %v", err)
		}
		select {
		case <-g.ctx.Done():
			return nil
		case <-t.C:
		}
	}
}
