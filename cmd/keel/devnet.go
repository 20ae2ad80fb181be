package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/keel-rollup/keel/node"
	"github.com/rs/zerolog"
)

// defaultDataDir is where `keel devnet` keeps its state: ~/.keel/devnet.
func defaultDataDir() string {
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".keel", "devnet")
	}
	return filepath.Join(os.TempDir(), "keel-devnet")
}

// defaultNodeDataDir is where `keel node` keeps its state: ~/.keel/node.
func defaultNodeDataDir() string {
	return filepath.Join(filepath.Dir(defaultDataDir()), "node")
}

// runDevnet runs the whole rollup in this process until Ctrl-C: the first
// drains and stops cleanly (the open batch is sealed, the prover finishes
// its proof), a second hurries (nothing acknowledged is lost either way).
// It is keel node's preset for development: its own L1, dev keys and a
// deployment on the first start.
func runDevnet(args []string, g *globals) error {
	fs := g.flagSet("devnet", "", "Run a local Keel devnet: the embedded L1 (go-ethereum dev mode), the contracts, "+
		"the sequencer, the prover, the bridge and the JSON-RPC API, in one process. The data dir keeps everything; "+
		"starting again on it resumes where it left off. For development only: its proving keys come from a local "+
		"setup whose toxic waste this machine knew; keel node runs a real rollup.")
	return runNodeCommand(g, fs, args, true)
}

// runNode is `keel node`, the production node: an external L1, a
// deployment (keel deploy, or --rollup), and the ceremony's keys. It never
// makes dev keys or prints dev accounts, and a missing setting is an
// error, never a fall back to devnet behaviour.
func runNode(args []string, g *globals) error {
	fs := g.flagSet("node", "", "Run a Keel rollup node on an external L1: the sequencer, the prover fleet, the bridge "+
		"and the JSON-RPC API. It needs --l1-rpc, --sequencer-key, the ceremony's keys in --keys-dir (keel ceremony), and "+
		"a deployment: the data dir's deployment.json from keel deploy, or an existing Rollup's --rollup. Settings "+
		"come from flags, KEEL_NODE_ variables and a --config TOML file, in that order of precedence.")
	return runNodeCommand(g, fs, args, false)
}

// runNodeCommand runs keel devnet or keel node with fs's arguments.
func runNodeCommand(g *globals, fs *flag.FlagSet, args []string, devnet bool) error {
	base := node.ProductionConfig
	dataDir := defaultNodeDataDir()
	if devnet {
		base, dataDir = node.DefaultConfig, defaultDataDir()
	}
	f := defineNodeFlags(fs, base(dataDir), devnet)
	if _, err := g.parseExact(fs, args, 0); err != nil {
		return err
	}
	if err := f.cf.apply(); err != nil {
		return fmt.Errorf("keel %s: %w", f.name(), err)
	}
	if *f.cf.print {
		return f.cf.write(g.stdout)
	}
	cfg, lvl, err := f.config(base)
	if err != nil {
		return err
	}
	var log zerolog.Logger
	if *f.logJSON {
		log = zerolog.New(g.stderr).With().Timestamp().Logger().Level(lvl)
	} else {
		log = zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(lvl)
	}
	n, err := node.New(cfg, log)
	if err != nil {
		return err
	}
	if devnet {
		fmt.Fprintf(g.stderr, "Starting Keel in %s (the first start generates proving keys: a minute or more; progress below)\n", cfg.DataDir)
	} else {
		fmt.Fprintf(g.stderr, "Starting the Keel node in %s\n", cfg.DataDir)
	}
	if err := n.Start(g.ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("keel %s: interrupted during start-up; run it again to continue", f.name())
		}
		return fmt.Errorf("keel %s: %w", f.name(), err)
	}
	info := map[string]any{"rpc": n.RPCEndpoint(), "ws": n.WSEndpoint(), "l1Rpc": n.L1Endpoint(),
		"metrics": n.MetricsEndpoint(), "deployment": n.Deployment()}
	if a := n.AdminEndpoint(); a != "" {
		info["admin"] = a
	}
	if url, creds := n.FleetEndpoint(); url != "" {
		info["nats"], info["natsCreds"] = url, creds
	}
	if err := g.emit(info, func(w io.Writer) { n.WriteBanner(w) }); err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "Keel %s running; Ctrl-C stops it (a second Ctrl-C hurries).\n", f.name())
	<-g.ctx.Done()

	// Draining: a second interrupt cancels stopCtx, which Stop reads as
	// "hurry".
	stopCtx, hurry := context.WithCancel(context.Background())
	defer hurry()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	go func() {
		select {
		case <-sigs:
			fmt.Fprintln(g.stderr, "hurrying: not waiting for the prover")
			hurry()
		case <-stopCtx.Done():
		}
	}()
	fmt.Fprintln(g.stderr, "stopping: sealing the open batch and finishing the current proof")
	return n.Stop(stopCtx)
}
