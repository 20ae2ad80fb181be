package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/nats-io/nats.go"
	"github.com/rs/zerolog"
)

// proverConfigSections are the TOML sections of keel prover's config
// file: [nats] url and ca, [log] level; the rest are top-level keys.
var proverConfigSections = []string{"nats", "log"}

// defaultNATSURL is where `keel devnet`'s embedded NATS server listens.
const defaultNATSURL = "nats://127.0.0.1:4222"

// runProver is `keel prover`: a worker of the prover fleet. It pulls jobs
// from the node's NATS JetStream work queue, proves them and publishes
// the proofs; with no flags it joins the local devnet.
func runProver(args []string, g *globals) error {
	f := g.flagSet("prover", "", "Prove batches for a Keel node as one worker of its prover fleet (NATS JetStream): pull jobs,\n"+
		"prove them, publish the proofs. Run as many as you have machines; with no flags it joins the local devnet.\n"+
		"Keys come from the node through NATS once per circuit and are cached in --keys-dir.")
	url := f.String("nats-url", defaultNATSURL, "the node's NATS `URL` (nats:// or tls://)")
	creds := f.String("creds", filepath.Join(defaultDataDir(), "nats", "worker.creds"), "the worker credentials `FILE` the node wrote in <datadir>/nats (mode 0600)")
	keysDir := f.String("keys-dir", filepath.Join(defaultDataDir(), "prover-keys"), "`DIR` to cache the proving keys fetched from the node, by circuit hash")
	name := f.String("name", "", "this worker's `NAME` in results, logs and keel status (default: host-pid)")
	concurrency := f.Int("concurrency", 1, "how many `N` proofs to run at once")
	ca := f.String("nats-ca", "", "CA certificate `file` to trust for a tls:// NATS URL whose certificate is self-signed")
	logLevel := f.String("log-level", "info", "log `level`: debug, info, warn, error")
	cf := addConfigFlags(f, "prover", proverConfigSections)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if err := cf.apply(); err != nil {
		return fmt.Errorf("keel prover: %w", err)
	}
	if *cf.print {
		return cf.write(g.stdout)
	}
	lvl, err := zerolog.ParseLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("keel prover: --log-level %q: use debug, info, warn or error", *logLevel)
	}
	log := zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(lvl)
	// The worker adopts the node's ack wait and delivery limit; this
	// topology only matters to a worker that starts before any node.
	topo := fleet.DefaultTopology()
	cfg := fleet.WorkerConfig{Name: *name, Concurrency: *concurrency, KeysDir: *keysDir, Topology: topo}
	// The test binary's hook for a hostile worker: never honoured by a
	// real keel binary.
	cfg.Corrupt = os.Getenv("KEEL_TEST_AS_MAIN") == "1" && os.Getenv("KEEL_TEST_CORRUPT_PROOFS") == "1"
	if err := cfg.Validate(); err != nil {
		return fmt.Errorf("keel prover: %w", err)
	}
	c, err := fleet.LoadCreds(*creds)
	if err != nil {
		return fmt.Errorf("keel prover: %w (is the node running, and is --creds its <datadir>/nats/worker.creds?)", err)
	}
	var extra []nats.Option
	if *ca != "" {
		extra = append(extra, nats.RootCAs(*ca))
	}
	nc, js, err := fleet.Connect(g.ctx, *url, c, cfg.Name, log, extra...)
	if err != nil {
		return fmt.Errorf("keel prover: connect to %s: %w", *url, err)
	}
	defer nc.Close()
	w, err := fleet.NewWorker(cfg, js, log, nil)
	if err != nil {
		return fmt.Errorf("keel prover: %w", err)
	}
	if err := w.Start(g.ctx); err != nil {
		return fmt.Errorf("keel prover: %w", err)
	}
	if err := g.emit(map[string]any{"name": cfg.Name, "natsUrl": *url, "concurrency": cfg.Concurrency}, func(w io.Writer) {
		fmt.Fprintf(w, "prover %s: proving jobs from %s, %d at a time (Ctrl-C stops)\n", cfg.Name, *url, cfg.Concurrency)
	}); err != nil {
		_ = w.Stop(context.WithoutCancel(g.ctx))
		return err
	}
	<-g.ctx.Done()
	// A proof in progress finishes, within the ack wait; past it, the job
	// goes to another worker anyway.
	stop, cancel := context.WithTimeout(context.WithoutCancel(g.ctx), w.AckWait())
	defer cancel()
	return w.Stop(stop)
}
