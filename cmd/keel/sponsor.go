package main

// `keel sponsor serve`: a fee sponsor (package sponsor) that pays the L2
// fees of its users' transfers and withdrawals under a policy file, and
// the --sponsor flag of `keel transfer` and `keel withdraw` that has one
// pay.

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/sponsor"
	"github.com/keel-rollup/keel/vm"
)

func sponsorCommands() []*command {
	return []*command{
		{name: "serve", summary: "pay users' L2 fees: co-sign their transfers and withdrawals under a policy file", run: runSponsorServe},
	}
}

// defaultSponsorDir is where `keel sponsor serve` keeps its ledger:
// ~/.keel/sponsor.
func defaultSponsorDir() string {
	return filepath.Join(filepath.Dir(defaultDataDir()), "sponsor")
}

// sponsorServeOut is what `keel sponsor serve` prints once it serves.
type sponsorServeOut struct {
	URL     string `json:"url"`
	Sponsor uint32 `json:"sponsor"`
	ChainID uint64 `json:"chainId"`
	DataDir string `json:"datadir"`
}

func runSponsorServe(args []string, g *globals) error {
	f := g.flagSet("sponsor serve", "", "Pay the L2 fees of users' transfers and withdrawals: serve an HTTP API that co-signs each\n"+
		"transaction the policy file allows (accounts, types, max_fee, daily_budget, per_user_per_hour), after\n"+
		"recording its fee durably in --datadir, so that a restart never resets the budget. The key file's\n"+
		"account pays the fees. Users pass --sponsor URL to keel transfer and keel withdraw.")
	k := addKeyFlags(f)
	accountS := f.String("account", "", "the sponsor's L2 account `INDEX`, which pays the fees (default: the key file's account, found through --rpc)")
	policyPath := f.String("policy", "", "the policy `FILE` (TOML): what the sponsor pays for")
	listen := f.String("listen", sponsor.DefaultListenAddr, "the `ADDRESS` to serve the sponsor API on (GET /info, POST /sponsor, /metrics)")
	dataDir := f.String("datadir", defaultSponsorDir(), "the ledger's `DIR`: what the sponsor has spent, kept across restarts")
	logLevel := f.String("log-level", "info", "log `level`: debug, info, warn, error")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	// Everything that needs neither the key nor the node first, so that a
	// bad file is named before a password or a node is needed.
	if *policyPath == "" {
		return errors.New("set --policy or KEEL_SPONSOR_POLICY: the TOML file of what the sponsor pays for (accounts, types, max_fee, daily_budget, per_user_per_hour)")
	}
	pol, err := sponsor.LoadPolicy(*policyPath)
	if err != nil {
		return fmt.Errorf("--policy %w", err)
	}
	var account *uint32
	if *accountS != "" {
		v, err := strconv.ParseUint(*accountS, 10, 32)
		if err != nil {
			return fmt.Errorf("--account %q is not an account index (a whole number)", *accountS)
		}
		idx := uint32(v)
		account = &idx
	}
	if *dataDir == "" {
		return errors.New("set --datadir: where the sponsor keeps its ledger")
	}
	if *listen == "" {
		return errors.New("set --listen: the address to serve on, like " + sponsor.DefaultListenAddr)
	}
	log, err := channelLogger(g, *logLevel)
	if err != nil {
		return err
	}
	// keyFlags.load names the user commands' variables; the sponsor's are
	// its role's.
	if k.file == "" {
		return errors.New("set --keyfile or KEEL_SPONSOR_KEYFILE: the sponsor's key file (its account pays the fees)")
	}
	if k.password == "" {
		return errors.New("set --password or KEEL_SPONSOR_PASSWORD: the sponsor's key file's password")
	}
	key, err := k.load()
	if err != nil {
		return err
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	info, err := c.ChainInfo(g.ctx)
	if err != nil {
		return err
	}
	if account == nil {
		acc, err := ownAccount(g, c, key)
		if err != nil {
			return fmt.Errorf("%w (the sponsor's account pays the fees; or set --account)", err)
		}
		account = &acc.Index
	}
	reg := prometheus.NewRegistry()
	m, err := sponsor.NewPromMetrics(reg)
	if err != nil {
		return err
	}
	svc, err := sponsor.New(sponsor.Config{Key: key, Account: *account, ChainID: uint64(info.ChainID), Policy: pol,
		DataDir: *dataDir, ListenAddr: *listen, Node: c, MetricsHandler: promhttp.HandlerFor(reg, promhttp.HandlerOpts{})}, log, m)
	if err != nil {
		return fmt.Errorf("keel sponsor serve: %w (is another keel sponsor serve using --datadir %s?)", err, *dataDir)
	}
	if err := svc.Start(g.ctx); err != nil {
		return errors.Join(fmt.Errorf("keel sponsor serve: %w", err), svc.Stop(context.WithoutCancel(g.ctx)))
	}
	out := sponsorServeOut{URL: svc.URL(), Sponsor: *account, ChainID: uint64(info.ChainID), DataDir: *dataDir}
	if err := g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "sponsor: account %d pays up to %d gwei a transaction, %d a day, on chain %d\n", out.Sponsor, pol.MaxFee, pol.DailyBudget, out.ChainID)
		fmt.Fprintf(w, "serving %s (keel transfer --sponsor %s); Ctrl-C stops\n", out.URL, out.URL)
	}); err != nil {
		return errors.Join(err, svc.Stop(context.WithoutCancel(g.ctx)))
	}
	<-g.ctx.Done()
	stop, cancel := context.WithTimeout(context.WithoutCancel(g.ctx), 10*time.Second)
	defer cancel()
	return svc.Stop(stop)
}

// addSponsorFlag adds --sponsor to keel transfer and keel withdraw.
func addSponsorFlag(f *flag.FlagSet) *string {
	return f.String("sponsor", "", "a sponsor service's `URL` (keel sponsor serve) that pays the fee: --fee, or the node's minimum, up to the sponsor's max fee")
}

// sendSponsored has the sponsor at url pay tx's fee: s.fee, which is
// --fee when feeSet, else the node's minimum. It returns the hash and the
// sponsor's account.
func sendSponsored(g *globals, s *signer, url string, feeSet bool, tx vm.Tx) (common.Hash, uint32, error) {
	sc, err := client.NewSponsorClient(url)
	if err != nil {
		return common.Hash{}, 0, fmt.Errorf("--sponsor: %w", err)
	}
	info, err := sc.Info(g.ctx)
	if err != nil {
		return common.Hash{}, 0, fmt.Errorf("--sponsor %s: %w", url, err)
	}
	maxFee, _ := info.MaxFeeGwei() // Info checked it
	switch {
	case s.fee <= maxFee:
	case feeSet:
		return common.Hash{}, 0, fmt.Errorf("--fee %d is above the sponsor's max fee of %d gwei: lower --fee, or leave it out", s.fee, maxFee)
	default:
		return common.Hash{}, 0, fmt.Errorf("the node's minimum fee is %d gwei, above the sponsor's max fee of %d: the node would refuse what the sponsor pays for", s.fee, maxFee)
	}
	tx.Fee = s.fee
	_, h, err := s.c.SendSponsored(g.ctx, s.key, sc, tx)
	if err != nil {
		return common.Hash{}, 0, err
	}
	g.progressf("the fee of %d gwei is paid by sponsor account %d", s.fee, info.Sponsor)
	return h, info.Sponsor, nil
}
