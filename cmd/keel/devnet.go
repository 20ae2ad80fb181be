package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
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

// runDevnet runs the whole rollup in this process until Ctrl-C: the first
// drains and stops cleanly (the open batch is sealed, the prover finishes
// its proof), a second hurries (nothing acknowledged is lost either way).
func runDevnet(args []string, g *globals) error {
	def := node.DefaultConfig(defaultDataDir())
	fs := g.flagSet("devnet", "", "Run a local Keel devnet: the embedded L1 (go-ethereum dev mode), the contracts, "+
		"the sequencer, the prover, the bridge and the JSON-RPC API, in one process. The data dir keeps everything; "+
		"starting again on it resumes where it left off.")
	dataDir := fs.String("datadir", def.DataDir, "data `dir` (L1 chain, rollup state, proving keys)")
	rpcAddr := fs.String("rpc-addr", def.RPCAddr, "JSON-RPC listen `address` (HTTP and WebSocket)")
	metricsAddr := fs.String("metrics-addr", def.MetricsAddr, "Prometheus metrics listen `address`; empty turns metrics off")
	rateLimit := fs.Float64("rpc-rate-limit", def.RPCRateLimit, "JSON-RPC calls per second allowed to one connection (a WebSocket, or one IP over HTTP); 0 turns the limit off")
	rateBurst := fs.Int("rpc-rate-burst", def.RPCRateBurst, "calls one connection may make at once before --rpc-rate-limit applies")
	adminAddr := fs.String("admin-addr", "", "serve the admin_ JSON-RPC namespace (admin_sealBatch, admin_nodeInfo) on this `address`, behind JWT auth; empty keeps it off")
	adminSecret := fs.String("admin-jwt-secret", "", "`file` with the admin API's 32-byte hex JWT secret (default: <datadir>/admin.jwt, created if missing)")
	l1Port := fs.Int("l1-port", def.L1.HTTPPort, "the embedded L1's JSON-RPC `port` on 127.0.0.1 (HTTP and WebSocket)")
	l1RPC := fs.String("l1-rpc", "", "use this Ethereum JSON-RPC `URL` instead of the embedded L1 (needs --sequencer-key and --rollup)")
	seqKey := fs.String("sequencer-key", "", "hex L1 private `key` that submits batches (default: the embedded L1's first dev account)")
	rollup := fs.String("rollup", "", "deployed Rollup contract `address` (default: deploy on first start)")
	chainID := fs.Uint64("chain-id", def.ChainID, "L2 chain `id`, bound into every signature")
	depth := fs.Int("depth", def.Depth, "state tree `depth` (2^depth accounts)")
	slots := fs.Int("slots", def.Slots, "steps per batch (the circuit's size: 8 proves in about 5 s on 2 cores, 32 in about 18 s)")
	batchTimeout := fs.Duration("batch-timeout", def.BatchTimeout, "seal a non-empty batch this long after its first transaction")
	exodusDelay := fs.Uint64("exodus-delay", def.ExodusDelay, "for a Rollup this devnet deploys: L1 `BLOCKS` a deposit may wait before anyone can switch the Rollup into exodus mode")
	confirmations := fs.Uint64("l1-confirmations", def.L1Confirmations, "L1 blocks a deposit waits for")
	watchChannels := fs.String("watch-channels", "", "comma-separated channel store `dirs` (keel channel --channel-store) whose channels the node guards: it answers a stale close with the latest co-signed state; the stores must not be in use by a keel channel command")
	keysDir := fs.String("keys-dir", "", "proving-key `dir` (default: <datadir>/keys)")
	noDevKeys := fs.Bool("no-dev-keys", false, "refuse a local Groth16 setup: keys must come from a ceremony (in --keys-dir)")
	natsListen := fs.String("nats-listen", def.Fleet.Listen, "where the embedded NATS server takes prover workers (`address`); empty serves the node's own provers only")
	natsURL := fs.String("nats-url", "", "use this NATS server or cluster (`URL`, nats:// or tls://) for the prover fleet instead of the embedded one (needs --nats-creds)")
	natsCreds := fs.String("nats-creds", "", "credentials `file` for --nats-url: JSON {\"user\": ..., \"password\": ...}, mode 0600")
	natsCA := fs.String("nats-ca", "", "CA certificate `file` to trust for a tls:// --nats-url whose certificate is self-signed")
	natsTLSCert := fs.String("nats-tls-cert", "", "TLS certificate `file` for the embedded NATS listener (needed to listen beyond loopback)")
	natsTLSKey := fs.String("nats-tls-key", "", "TLS key `file` for --nats-tls-cert")
	natsInsecure := fs.Bool("nats-allow-insecure-remote", false, "let the embedded NATS listen beyond loopback without TLS: credentials and jobs cross the network in plaintext")
	natsReplicas := fs.Int("nats-replicas", def.Fleet.Topology.Replicas, "replicas of the fleet's streams (`N`; 3 on a three-server cluster)")
	ackWait := fs.Duration("nats-ack-wait", def.Fleet.Topology.AckWait, "how long a job waits for a worker that stopped sending heartbeats before another worker gets it")
	maxDeliver := fs.Int("nats-max-deliver", def.Fleet.Topology.MaxDeliver, "deliveries of a job before it goes to the dead letters (`N`)")
	localProvers := fs.Int("local-provers", def.Fleet.LocalProvers, "proofs the node runs at once itself (`N`), as one worker of its own queue; 0 leaves proving to keel prover workers")
	logJSON := fs.Bool("log-json", false, "log JSON lines instead of the console format")
	logLevel := fs.String("log-level", "info", "log `level`: debug, info, warn, error")
	if _, err := g.parseExact(fs, args, 0); err != nil {
		return err
	}
	lvl, err := zerolog.ParseLevel(*logLevel)
	if err != nil {
		return fmt.Errorf("keel devnet: --log-level %q: use debug, info, warn or error", *logLevel)
	}
	var log zerolog.Logger
	if *logJSON {
		log = zerolog.New(g.stderr).With().Timestamp().Logger().Level(lvl)
	} else {
		log = zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(lvl)
	}

	cfg := node.DefaultConfig(*dataDir)
	cfg.RPCAddr, cfg.MetricsAddr = *rpcAddr, *metricsAddr
	cfg.RPCRateLimit, cfg.RPCRateBurst = *rateLimit, *rateBurst
	cfg.AdminAddr, cfg.AdminJWTSecret = *adminAddr, *adminSecret
	cfg.L1.HTTPPort, cfg.L1.WSPort = *l1Port, *l1Port
	cfg.L1RPC = *l1RPC
	cfg.ChainID, cfg.Depth, cfg.Slots = *chainID, *depth, *slots
	cfg.BatchTimeout, cfg.L1Confirmations = *batchTimeout, *confirmations
	cfg.ExodusDelay = *exodusDelay
	for _, d := range strings.Split(*watchChannels, ",") {
		if d = strings.TrimSpace(d); d != "" {
			if _, err := os.Stat(d); err != nil {
				return fmt.Errorf("keel devnet: --watch-channels: no channel store at %s (%v): give the --channel-store of a keel channel command", d, err)
			}
			cfg.WatchChannels = append(cfg.WatchChannels, d)
		}
	}
	cfg.Fleet.Listen, cfg.Fleet.URL, cfg.Fleet.Creds, cfg.Fleet.CA = *natsListen, *natsURL, *natsCreds, *natsCA
	cfg.Fleet.TLSCert, cfg.Fleet.TLSKey, cfg.Fleet.AllowInsecureRemote = *natsTLSCert, *natsTLSKey, *natsInsecure
	cfg.Fleet.Topology.Replicas, cfg.Fleet.Topology.AckWait, cfg.Fleet.Topology.MaxDeliver = *natsReplicas, *ackWait, *maxDeliver
	cfg.Fleet.LocalProvers = *localProvers
	cfg.DevKeys = !*noDevKeys
	if *keysDir != "" {
		cfg.KeysDir = *keysDir
	}
	if *seqKey != "" {
		k, err := crypto.HexToECDSA(strings.TrimPrefix(*seqKey, "0x"))
		if err != nil {
			return fmt.Errorf("keel devnet: --sequencer-key is not a hex secp256k1 private key: %v", err)
		}
		cfg.SequencerKey = k
	}
	if *rollup != "" {
		if !common.IsHexAddress(*rollup) {
			return fmt.Errorf("keel devnet: --rollup %q is not an address", *rollup)
		}
		cfg.Rollup = common.HexToAddress(*rollup)
	}
	n, err := node.New(cfg, log)
	if err != nil {
		return err
	}
	fmt.Fprintf(g.stderr, "Starting Keel in %s (the first start generates proving keys: a minute or more; progress below)\n", cfg.DataDir)
	if err := n.Start(g.ctx); err != nil {
		if errors.Is(err, context.Canceled) {
			return errors.New("keel devnet: interrupted during start-up; run it again to continue (cached keys are kept)")
		}
		return err
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
	fmt.Fprintln(g.stderr, "Keel devnet running; Ctrl-C stops it (a second Ctrl-C hurries).")
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
