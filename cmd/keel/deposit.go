package main

import (
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// depositOut is what `keel deposit` prints.
type depositOut struct {
	L1TxHash      common.Hash `json:"l1TxHash"`
	L1Block       uint64      `json:"l1Block"`
	PriorityIndex uint64      `json:"priorityIndex"`
	Amount        string      `json:"amount"` // gwei
	// Index and Balance are set once the sequencer has credited the
	// deposit (not with --wait=pending).
	Index   *uint32 `json:"index,omitempty"`
	Balance string  `json:"balance,omitempty"` // gwei
}

func runDeposit(args []string, g *globals) error {
	f := g.flagSet("deposit", "", "Deposit ETH from an L1 account into the L2 account of a key file, through the Rollup\ncontract. The first deposit to a key creates its account. Waits (--wait) until the sequencer\nhas credited it and prints the account's index and balance.")
	k := addKeyFlags(f)
	l1Key := addL1KeyFlag(f, "that pays")
	amountS := f.String("amount", "", "how much, `AMOUNT`: gwei (1500, 1500gwei) or ETH (0.5eth)")
	l1RPC := addL1RPCFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "deposit (sequenced: credited on L2)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	eth, err := parseL1Key(*l1Key)
	if err != nil {
		return err
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
	before, err := c.AccountByKey(g.ctx, key.Public())
	if err != nil {
		return err
	}
	var had uint64
	if before != nil {
		if had, err = before.BalanceGwei(); err != nil {
			return err
		}
	}
	l1, err := g.dialL1(*l1RPC, info)
	if err != nil {
		return err
	}
	defer l1.Close()

	rcpt, err := client.Deposit(g.ctx, l1, info.Rollup, eth, key.Public(), amount)
	if err != nil {
		return err
	}
	idx, err := client.DepositIndex(rcpt)
	if err != nil {
		return err
	}
	out := depositOut{L1TxHash: rcpt.TxHash, L1Block: rcpt.BlockNumber.Uint64(), PriorityIndex: idx, Amount: strconv.FormatUint(amount, 10)}
	g.progressf("deposited %s gwei in L1 transaction %s (block %d, deposit #%d)", out.Amount, out.L1TxHash, out.L1Block, idx)

	if wait.status.Rank() >= client.StatusSequenced.Rank() {
		g.progressf("waiting for the sequencer to credit it…")
		acc, err := waitCredited(g, c, key.Public(), had+amount, idx)
		if err != nil {
			return err
		}
		out.Index, out.Balance = &acc.Index, acc.Balance
		if wait.status.Rank() > client.StatusSequenced.Rank() {
			if err := waitBatchStatus(g, c, wait.status); err != nil {
				return err
			}
		}
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "deposit:  %s gwei (%s ETH)\nL1 tx:    %s (block %d)\n", out.Amount, gweiToETH(amount), out.L1TxHash, out.L1Block)
		if out.Index != nil {
			bal, _ := strconv.ParseUint(out.Balance, 10, 64)
			fmt.Fprintf(w, "account:  %d\nbalance:  %s gwei (%s ETH)\n", *out.Index, out.Balance, gweiToETH(bal))
		}
	})
}

// waitCredited polls until the key's account shows the deposit: its
// balance reached want, or the last sealed batch consumed deposit idx
// (the balance may have been spent since).
func waitCredited(g *globals, c *client.Client, pub vm.PublicKey, want uint64, idx uint64) (*client.Account, error) {
	tick := time.NewTicker(client.PollInterval)
	defer tick.Stop()
	for {
		acc, err := c.AccountByKey(g.ctx, pub)
		if err != nil {
			return nil, err
		}
		if acc != nil {
			bal, err := acc.BalanceGwei()
			if err != nil {
				return nil, err
			}
			if bal >= want {
				return acc, nil
			}
			info, err := c.ChainInfo(g.ctx)
			if err != nil {
				return nil, err
			}
			b, err := c.Batch(g.ctx, uint64(info.Head))
			if err != nil {
				return nil, err
			}
			if b != nil && uint64(b.PriorityCount) > idx {
				return acc, nil
			}
		}
		select {
		case <-g.ctx.Done():
			return nil, fmt.Errorf("waiting for the sequencer to credit deposit #%d: %w", idx, g.ctx.Err())
		case <-tick.C:
		}
	}
}

// waitBatchStatus waits until the batch open now (which holds anything
// just sequenced) is proven or finalized. It may wait a batch longer than
// needed: the deposit can sit in an earlier batch.
func waitBatchStatus(g *globals, c *client.Client, want client.TxStatus) error {
	info, err := c.ChainInfo(g.ctx)
	if err != nil {
		return err
	}
	target := uint64(info.Head) + 1
	g.progressf("waiting for batch %d to be %s…", target, want)
	tick := time.NewTicker(client.PollInterval)
	defer tick.Stop()
	for {
		reached := uint64(info.Proven)
		if want == client.StatusFinalized {
			reached = uint64(info.Finalized)
		}
		if reached >= target {
			return nil
		}
		select {
		case <-g.ctx.Done():
			return fmt.Errorf("waiting for batch %d to be %s: %w", target, want, g.ctx.Err())
		case <-tick.C:
		}
		if info, err = c.ChainInfo(g.ctx); err != nil {
			return err
		}
	}
}
