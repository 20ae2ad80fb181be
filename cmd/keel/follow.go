package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/node"
	"github.com/rs/zerolog"
)

// runFollow is `keel follow`: a read-only node that rebuilds the L2 state
// from L1 alone and serves the read API.
func runFollow(args []string, g *globals) error {
	home, _ := os.UserHomeDir()
	f := g.flagSet("follow", "", "Run a read-only node that trusts only L1: it replays every committed batch's public data\n"+
		"and the deposit queue, checks each against the root L1 recorded, and serves keel_getAccount,\n"+
		"keel_getProof, keel_getBatch and keel_chainInfo from the state it rebuilt.")
	dataDir := f.String("datadir", filepath.Join(home, ".keel", "follower"), "data `dir` for the rebuilt state")
	l1RPC := f.String("l1-rpc", "", "the L1 JSON-RPC endpoint `URL` (required)")
	rollupS := f.String("rollup", "", "the Rollup contract `ADDRESS` (required)")
	fromBlock := f.Uint64("from-block", 0, "the L1 `BLOCK` the Rollup was deployed in")
	rpcAddr := f.String("rpc-addr", "127.0.0.1:9547", "the read API's listen `address`")
	poll := f.Duration("poll", 2*time.Second, "how often to read L1")
	cf := addConfigFlags(f, "follow", []string{"l1", "rpc"})
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if err := cf.apply(); err != nil {
		return fmt.Errorf("keel follow: %w", err)
	}
	if *cf.print {
		return cf.write(g.stdout)
	}
	if *l1RPC == "" || !common.IsHexAddress(*rollupS) {
		return errors.New("keel follow: set --l1-rpc and --rollup (the contract address `keel status` prints)")
	}
	log := zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger()
	fl, err := node.NewFollower(node.FollowerConfig{DataDir: *dataDir, L1RPC: *l1RPC, Rollup: common.HexToAddress(*rollupS),
		FromBlock: *fromBlock, RPCAddr: *rpcAddr, PollInterval: *poll}, log)
	if err != nil {
		return err
	}
	g.progressf("replaying the rollup's history from %s…\n", *l1RPC)
	if err := fl.Start(g.ctx); err != nil {
		return err
	}
	if err := g.emit(map[string]any{"rpc": fl.RPCEndpoint()}, func(w io.Writer) {
		fmt.Fprintf(w, "Keel follower: read API at %s, state rebuilt from L1 in %s\n", fl.RPCEndpoint(), *dataDir)
	}); err != nil {
		fl.Stop(context.WithoutCancel(g.ctx))
		return err
	}
	<-g.ctx.Done()
	return fl.Stop(context.WithoutCancel(g.ctx))
}
