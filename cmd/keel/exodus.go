package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math"
	"math/big"
	"path/filepath"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
)

// l1Target is where a command that works from L1 alone looks: the L1
// endpoint and the Rollup. Flags win; what they leave out comes from the
// Keel node at --rpc when it answers, which it may not (the operator may be
// gone: that is what exodus is for). The rollup's rules (tree depth, batch
// size, chain id) are read from the contract itself (l1view.ReadParams).
type l1Target struct {
	url    string
	rollup common.Address
}

func resolveL1(g *globals, url, rollupS string) (*l1Target, error) {
	t := &l1Target{url: url}
	if rollupS != "" {
		if !common.IsHexAddress(rollupS) {
			return nil, fmt.Errorf("--rollup %q is not an address", rollupS)
		}
		t.rollup = common.HexToAddress(rollupS)
	}
	if t.rollup == (common.Address{}) || t.url == "" {
		info, err := nodeInfo(g)
		if err != nil {
			return nil, fmt.Errorf("%w (or give --l1-rpc and --rollup to work without a Keel node)", err)
		}
		if t.rollup == (common.Address{}) {
			t.rollup = info.Rollup
		}
		if t.url == "" {
			t.url = info.L1RPC
		}
	}
	if t.url == "" {
		return nil, errors.New("set --l1-rpc (the Keel node does not share its L1 endpoint)")
	}
	return t, nil
}

// nodeInfo asks the Keel node at --rpc for its chain info.
func nodeInfo(g *globals) (*client.ChainInfo, error) {
	c, err := g.dial()
	if err != nil {
		return nil, err
	}
	defer c.Close()
	return c.ChainInfo(g.ctx)
}

func (t *l1Target) dial(g *globals) (*ethclient.Client, error) {
	c, err := dialL1Client(g, t.url)
	if err != nil {
		return nil, fmt.Errorf("L1 at %s: %w", t.url, err)
	}
	if _, err := c.ChainID(g.ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("cannot reach the L1 at %s (check --l1-rpc): %w", t.url, err)
	}
	return c, nil
}

// addL1TargetFlags adds --l1-rpc, --rollup and --from-block.
func addL1TargetFlags(f *flag.FlagSet) (url, rollup *string, fromBlock *uint64) {
	url = addL1RPCFlag(f)
	rollup = f.String("rollup", "", "the Rollup contract `ADDRESS` (default: the Keel node's)")
	fromBlock = f.Uint64("from-block", 0, "the L1 `BLOCK` the Rollup was deployed in (reading starts there)")
	return
}

// runExodus is `keel exodus`: the Rollup's exodus state, and the two
// things anyone may do about it: activate it, refund a deposit.
func runExodus(args []string, g *globals) error {
	f := g.flagSet("exodus", "", "Show whether the Rollup is in exodus mode, or when it may be switched into it: when a\n"+
		"priority request (a deposit) waits longer than the contract's exodus delay, the sequencer has\n"+
		"stopped or is censoring, and anyone may --activate exodus. Batches and deposits then stop, every\n"+
		"account leaves with `keel exit`, and deposits no batch consumed are returned with --refund.")
	url, rollupS, _ := addL1TargetFlags(f)
	activate := f.Bool("activate", false, "switch the Rollup into exodus mode (needs --l1-key to pay the gas)")
	refund := f.Int64("refund", -1, "in exodus, return deposit `INDEX` (one no batch consumed) to its depositor")
	claim := f.Bool("claim", false, "claim what the Rollup owes --l1-key's address (refunds, exits, withdrawals)")
	l1KeyS := addL1KeyFlag(f, "that pays the gas of --activate, --refund or --claim")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	t, err := resolveL1(g, *url, *rollupS)
	if err != nil {
		return fmt.Errorf("keel exodus: %w", err)
	}
	l1, err := t.dial(g)
	if err != nil {
		return fmt.Errorf("keel exodus: %w", err)
	}
	defer l1.Close()
	if *activate || *refund >= 0 || *claim {
		key, err := parseL1Key(*l1KeyS)
		if err != nil {
			return fmt.Errorf("keel exodus: %w", err)
		}
		if *activate {
			if _, err := client.ActivateExodus(g.ctx, l1, t.rollup, key); err != nil {
				return fmt.Errorf("keel exodus --activate: %w", err)
			}
			g.progressf("exodus mode activated\n")
		}
		if *refund >= 0 {
			if _, err := client.RefundDeposit(g.ctx, l1, t.rollup, key, uint64(*refund)); err != nil {
				return fmt.Errorf("keel exodus --refund %d: %w", *refund, err)
			}
			g.progressf("deposit %d refunded: its depositor claims it with `keel exodus --claim`\n", *refund)
		}
		if *claim {
			r, err := client.Claim(g.ctx, l1, t.rollup, key)
			if err != nil {
				return fmt.Errorf("keel exodus --claim: %w", err)
			}
			g.progressf("claimed %s ETH in L1 tx %s\n", weiToETH(client.ClaimedWei(r)), r.TxHash)
		}
	}
	st, err := l1view.ReadExodus(g.ctx, l1, t.rollup)
	if err != nil {
		return err
	}
	return g.emit(st, func(w io.Writer) { printExodus(w, st) })
}

func printExodus(w io.Writer, st *l1view.ExodusStatus) {
	switch {
	case st.Active:
		fmt.Fprintf(w, "exodus mode is ACTIVE: batches have stopped at %d; exit with `keel exit`\n", st.Batch)
	case st.CanActivate:
		fmt.Fprintf(w, "exodus mode can be activated now: request %d has waited since block %d (deadline %d, now %d); run keel exodus --activate\n", st.Consumed, st.OldestBlock, st.DeadlineBlock, st.Head)
	case st.Waiting:
		fmt.Fprintf(w, "not in exodus: request %d waits since block %d; exodus can be activated after block %d (now %d)\n", st.Consumed, st.OldestBlock, st.DeadlineBlock, st.Head)
	default:
		fmt.Fprintf(w, "not in exodus: every priority request is processed (delay %d blocks)\n", st.Delay)
	}
	fmt.Fprintf(w, "verified batch %d, root %s; requests %d made, %d consumed\n", st.Batch, st.Root, st.Requests, st.Consumed)
}

// exitOut is what `keel exit` reports.
type exitOut struct {
	*l1view.ExitPlan
	L1TxHash common.Hash  `json:"l1TxHash"`
	Claim    *common.Hash `json:"claimTxHash,omitempty"`
	ETH      string       `json:"eth"`
	// AlreadyExited says the account had exited before this run, which
	// then only settled its channels.
	AlreadyExited bool `json:"alreadyExited,omitempty"`
	// Channels are the account's channels and where their settlement
	// stands.
	Channels []channelSettleOut `json:"channels,omitempty"`
}

// runExit is `keel exit`: leave in exodus mode with nothing but L1.
func runExit(args []string, g *globals) error {
	f := g.flagSet("exit", "", "In exodus mode, withdraw the key file's whole L2 balance to L1 without the operator: rebuild\n"+
		"the last verified state from L1 calldata alone, prove the account's balance with the exit circuit,\n"+
		"submit the proof to the Rollup, and (--claim) claim the ETH. Each account exits once.\n"+
		"Its payment channels are settled on L1 beside it: each is claimed with the latest state both parties\n"+
		"signed (from --channel-store) or its recorded one, a stale claim is challenged, and once the channel's\n"+
		"period is over the account's share is paid where it exited. Run keel exit again after a deadline.")
	k := addKeyFlags(f)
	url, rollupS, fromBlock := addL1TargetFlags(f)
	l1KeyS := addL1KeyFlag(f, "that pays the gas (its address is the default --to)")
	toS := f.String("to", "", "the L1 `ADDRESS` the balance goes to (default: --l1-key's address)")
	keysDir := f.String("keys-dir", filepath.Join(defaultDataDir(), "keys"), "the `DIR` holding the exit circuit's proving key (keel devnet's <datadir>/keys, or the ceremony's)")
	claim := f.Bool("claim", true, "claim the ETH once the exit is in (needs --l1-key of the --to address)")
	storeS := addStoreFlag(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	eth, err := parseL1Key(*l1KeyS)
	if err != nil {
		return fmt.Errorf("keel exit: %w; it pays the exit's gas", err)
	}
	sender := crypto.PubkeyToAddress(eth.PublicKey)
	to := sender
	if *toS != "" {
		if !common.IsHexAddress(*toS) {
			return fmt.Errorf("--to %q is not an L1 address (0x + 40 hex digits)", *toS)
		}
		to = common.HexToAddress(*toS)
	}
	if *claim && to != sender {
		return fmt.Errorf("only %s can claim what exits to it: pass --claim=false and claim later with its key", to)
	}
	key, err := k.load()
	if err != nil {
		return err
	}
	t, err := resolveL1(g, *url, *rollupS)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	l1, err := t.dial(g)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	defer l1.Close()
	st, err := l1view.ReadExodus(g.ctx, l1, t.rollup)
	if err != nil {
		return err
	}
	if !st.Active {
		msg := "the Rollup is not in exodus mode: while the sequencer works, withdraw with `keel withdraw`"
		if st.CanActivate {
			msg = "the Rollup is not in exodus mode yet, but it may be switched: run `keel exodus --activate` first"
		}
		return errors.New("keel exit: " + msg)
	}
	params, err := l1view.ReadParams(g.ctx, l1, t.rollup)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	g.progressf("loading the exit circuit's proving key (depth %d) from %s…\n", params.Config.Depth, *keysDir)
	ccs, err := prover.CompileExit(params.Config.Depth)
	if err != nil {
		return err
	}
	keys, err := prover.LoadKeys(*keysDir, ccs)
	if err != nil {
		return fmt.Errorf("keel exit: --keys-dir: %w", err)
	}
	g.progressf("rebuilding the state of batch %d from L1 and proving the exit…\n", st.Batch)
	v, err := l1view.RebuildVerified(g.ctx, l1, t.rollup, *fromBlock)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	index, err := v.AccountOf(key.Public())
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	chans, err := v.ChannelsOf(index)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	done, err := client.Exited(g.ctx, l1, t.rollup, index)
	if err != nil {
		return fmt.Errorf("keel exit: %w", err)
	}
	var out exitOut
	var owed uint64
	if done {
		if len(chans) == 0 {
			return fmt.Errorf("keel exit: account %d exited already (Rollup error AlreadyExited): each account exits once, and it has no channels to settle", index)
		}
		out.AlreadyExited = true
		out.ExitPlan = &l1view.ExitPlan{Account: index, Batch: v.Status.Batch, Root: v.Status.Root}
	} else {
		plan, err := v.PrepareExit(index, key, to, keys)
		if err != nil {
			return fmt.Errorf("keel exit: %w", err)
		}
		r, err := client.SubmitExit(g.ctx, l1, t.rollup, eth, plan.Account, plan.Balance, to, plan.Proof)
		if err != nil {
			return fmt.Errorf("keel exit: %w", err)
		}
		out.ExitPlan, out.L1TxHash, owed = plan, r.TxHash, plan.Balance
	}
	plan := out.ExitPlan
	states := openChannelStates(g, storeDir(*storeS, key.Public()), len(chans) > 0)
	defer states.close()
	for _, ch := range chans {
		res, err := settleChannel(g, l1, t.rollup, eth, v, keys, states, ch)
		if err != nil {
			return fmt.Errorf("keel exit: the account's balance is handled (L1 tx %s), but channel leaf %d: %w; run keel exit again", out.L1TxHash, ch.Leaf, err)
		}
		out.Channels = append(out.Channels, res)
		owed += res.PaidGwei
	}
	wei := new(big.Int).Mul(new(big.Int).SetUint64(owed), big.NewInt(1e9))
	out.ETH = weiToETH(wei)
	if *claim && owed > 0 {
		cr, err := client.Claim(g.ctx, l1, t.rollup, eth)
		if err != nil {
			return fmt.Errorf("keel exit: the exit is in (L1 tx %s) but the claim failed: %w; run keel withdraw's claim again later", out.L1TxHash, err)
		}
		out.Claim = &cr.TxHash
	}
	return g.emit(out, func(w io.Writer) {
		if out.AlreadyExited {
			fmt.Fprintf(w, "account %d exited before; its channels:\n", plan.Account)
		} else {
			fmt.Fprintf(w, "account %d exited with %s gwei to %s in L1 tx %s\n", plan.Account, strconv.FormatUint(plan.Balance, 10), to, out.L1TxHash)
		}
		for _, c := range out.Channels {
			fmt.Fprintf(w, "channel leaf %d: %s\n", c.Leaf, c.Note)
		}
		fmt.Fprintf(w, "owed to %s by this run: %s ETH\n", to, out.ETH)
		if out.Claim != nil {
			fmt.Fprintf(w, "claimed in L1 tx %s\n", *out.Claim)
		}
	})
}

// forceExitOut is what `keel force-exit` reports.
type forceExitOut struct {
	Account  uint32         `json:"account"`
	Nonce    uint32         `json:"nonce"`
	To       common.Address `json:"to"`
	Request  uint64         `json:"request"`
	L1TxHash common.Hash    `json:"l1TxHash"`
}

// runForceExit is `keel force-exit`: a full exit through the L1 queue.
func runForceExit(args []string, g *globals) error {
	f := g.flagSet("force-exit", "", "Ask L1 to pay the key file's whole L2 balance to an L1 address, through the Rollup's priority\n"+
		"queue: for a user the sequencer censors. The sequencer must process the request in order, or\n"+
		"after the exodus delay anyone may switch the Rollup into exodus mode (keel exodus). The ETH is\n"+
		"claimable by --to once the batch that pays it is verified (keel exodus --claim, or keel withdraw's claim).\n"+
		"The request names the account's L2 nonce: it pays only if that is still the account's nonce when the\n"+
		"sequencer processes it, and paying spends the nonce, so nobody can file the request again.")
	k := addKeyFlags(f)
	url, rollupS, fromBlock := addL1TargetFlags(f)
	l1KeyS := addL1KeyFlag(f, "that pays the gas (its address is the default --to)")
	toS := f.String("to", "", "the L1 `ADDRESS` to pay (default: --l1-key's address)")
	account := f.Int64("account", -1, "the account `INDEX` (default: found from L1 data by the key)")
	nonceFlag := f.Int64("nonce", -1, "the account's L2 `NONCE` the request names (default: its nonce in the last batch verified on L1)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	eth, err := parseL1Key(*l1KeyS)
	if err != nil {
		return fmt.Errorf("keel force-exit: %w; it pays the request's gas", err)
	}
	to := crypto.PubkeyToAddress(eth.PublicKey)
	if *toS != "" {
		if !common.IsHexAddress(*toS) {
			return fmt.Errorf("--to %q is not an L1 address (0x + 40 hex digits)", *toS)
		}
		to = common.HexToAddress(*toS)
	}
	key, err := k.load()
	if err != nil {
		return err
	}
	t, err := resolveL1(g, *url, *rollupS)
	if err != nil {
		return fmt.Errorf("keel force-exit: %w", err)
	}
	l1, err := t.dial(g)
	if err != nil {
		return fmt.Errorf("keel force-exit: %w", err)
	}
	defer l1.Close()
	l, err := l1view.ReadL1Rollup(g.ctx, l1, t.rollup, *fromBlock)
	if err != nil {
		return err
	}
	idx := uint32(*account)
	if *account < 0 {
		// Found from L1 alone: the sequencer may be the one refusing us.
		if idx, err = l1view.AccountOf(l, key.Public()); errors.Is(err, l1view.ErrNoAccount) {
			return fmt.Errorf("keel force-exit: the key %s has no account in a batch verified on L1 yet: wait until its deposit is finalized, or give --account", key.Public())
		} else if err != nil {
			return fmt.Errorf("keel force-exit: %w", err)
		}
	}
	if *nonceFlag > math.MaxUint32 {
		return fmt.Errorf("keel force-exit: --nonce %d is beyond 2^32-1", *nonceFlag)
	}
	nonce := uint32(*nonceFlag)
	if *nonceFlag < 0 {
		// From L1 alone as well: the state after the last verified batch.
		if nonce, err = verifiedNonce(l, idx); err != nil {
			return fmt.Errorf("keel force-exit: %w", err)
		}
	}
	r, err := client.RequestFullExit(g.ctx, l1, t.rollup, eth, key, l.Config.ChainID, idx, nonce, to)
	if err != nil {
		return fmt.Errorf("keel force-exit: %w", err)
	}
	n, err := client.DepositIndex(r)
	if err != nil {
		return err
	}
	out := forceExitOut{Account: idx, Nonce: nonce, To: to, Request: n, L1TxHash: r.TxHash}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "full exit of account %d (nonce %d) to %s queued as L1 request %d (tx %s)\n", idx, nonce, to, n, r.TxHash)
	})
}

// verifiedNonce is account idx's nonce in the state after the last batch
// verified on L1, rebuilt from L1 data alone.
func verifiedNonce(l *l1view.L1Rollup, idx uint32) (uint32, error) {
	store := vm.NewMemStore(l.Config.Depth)
	if err := l.Rebuild(store, uint64(len(l.Batches))); err != nil {
		return 0, fmt.Errorf("rebuild the state from L1: %w", err)
	}
	head, err := store.Head()
	if err != nil {
		return 0, err
	}
	a, _, err := store.ReaderAt(head.BatchNumber).Leaf(uint64(idx))
	if err != nil {
		return 0, err
	}
	return a.Nonce, nil
}
