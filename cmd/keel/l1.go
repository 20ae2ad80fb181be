package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/keel-rollup/keel/node/l1node"
	"github.com/rs/zerolog"
)

// runL1 is `keel l1`: the embedded L1 alone, in its own process, for a
// rollup node started with --l1-rpc (the crash suite kills that node and
// keeps the L1 running, as a real L1 would).
func runL1(args []string, g *globals) error {
	def := l1node.DefaultConfig(filepath.Join(defaultDataDir(), "l1"))
	f := g.flagSet("l1", "", "Run the embedded L1 (go-ethereum in dev mode, funded dev accounts) on its own until Ctrl-C.\n"+
		"Point `keel devnet --l1-rpc` at it to run the rollup in another process.")
	dataDir := f.String("datadir", def.DataDir, "the L1 chain's data `dir`")
	port := f.Int("port", def.HTTPPort, "JSON-RPC `port` on 127.0.0.1 (HTTP and WebSocket; 0 picks a free one)")
	logLevel := f.String("log-level", "warn", "log `level`: debug, info, warn, error")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	lvl, err := zerolog.ParseLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("keel l1: --log-level %q: use debug, info, warn or error", *logLevel)
	}
	cfg := l1node.DefaultConfig(*dataDir)
	cfg.HTTPPort, cfg.WSPort = *port, *port
	n, err := l1node.New(cfg, zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(lvl))
	if err != nil {
		return err
	}
	if err := n.Start(g.ctx); err != nil {
		return err
	}
	if err := g.emit(map[string]any{"rpc": n.HTTPEndpoint(), "ws": n.WSEndpoint(), "chainId": n.ChainID().Uint64()},
		func(w io.Writer) { n.WriteBanner(w) }); err != nil {
		n.Stop(g.ctx)
		return err
	}
	<-g.ctx.Done()
	return n.Stop(context.WithoutCancel(g.ctx))
}
