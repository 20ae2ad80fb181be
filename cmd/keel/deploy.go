package main

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/node"
	"github.com/rs/zerolog"
)

// runDeploy is `keel deploy`: a production deployment for keel node, with
// the ceremony's keys and never dev keys.
func runDeploy(args []string, g *globals) error {
	f := g.flagSet("deploy", "", "Deploy a rollup onto an L1: the batch and exit verifiers made from the ceremony's sealed\n"+
		"keys (keel ceremony seal) and the Rollup contract, owned and sequenced by --sequencer-key.\n"+
		"It writes deployment.json and the operator's L2 key into --datadir, the data dir keel node\n"+
		"then runs on.")
	dataDir := f.String("datadir", defaultNodeDataDir(), "the node's data `dir`, which receives deployment.json and the operator key")
	l1RPC := f.String("l1-rpc", "", "the L1's Ethereum JSON-RPC `URL`")
	seqKey := defineSequencerKeyFlag(f, ", and deploys and owns the contracts")
	keysDir := f.String("keys-dir", "", "the ceremony's sealed keys `dir`")
	chainID, depth, slots := defineChainFlags(f, node.ProductionConfig(""))
	exodusDelay := f.Uint64("exodus-delay", node.DefaultExodusDelay, "L1 `BLOCKS` a priority request may wait before anyone can switch the Rollup into exodus mode")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	cfg := node.DeployConfig{DataDir: *dataDir, L1RPC: *l1RPC, KeysDir: *keysDir, ChainID: *chainID, Depth: *depth, Slots: *slots,
		ExodusDelay: *exodusDelay, Log: zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(zerolog.InfoLevel)}
	if *seqKey != "" {
		k, err := crypto.HexToECDSA(strings.TrimPrefix(*seqKey, "0x"))
		if err != nil {
			return fmt.Errorf("keel deploy: --sequencer-key is not a hex secp256k1 private key: %v", err)
		}
		cfg.Key = k
	}
	quietGnark()
	d, err := node.Deploy(g.ctx, cfg)
	if err != nil {
		return fmt.Errorf("keel deploy: %w", err)
	}
	return g.emit(d, func(w io.Writer) {
		fmt.Fprintf(w, "Deployed on L1 chain %d at block %d:\n  Rollup         %s\n  Verifier       %s\n  Exit verifier  %s\n  vk hash        %s\n",
			d.L1ChainID, d.Block, d.Rollup, d.Verifier, d.ExitVerifier, d.VKHash)
		fmt.Fprintf(w, "Written to %s/deployment.json. Run: keel node --datadir %s --l1-rpc %s --keys-dir %s (and --sequencer-key or KEEL_NODE_SEQUENCER_KEY)\n",
			*dataDir, *dataDir, *l1RPC, *keysDir)
	})
}
