package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
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
	calldata := f.Bool("calldata", false, "send nothing: print the `to`, `value` and `data` of the deposit for any wallet (MetaMask, ethers, cast) to send")
	pubS := f.String("pubkey", "", "with --calldata: deposit to this L2 public `KEY` (0x + 64 hex digits) instead of the key file's")
	rollupS := f.String("rollup", "", "with --calldata: the Rollup contract `ADDRESS` (default: the Keel node's)")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	if *calldata {
		return printDepositCalldata(g, k, *pubS, *rollupS, amount)
	}
	if *pubS != "" || *rollupS != "" {
		return errors.New("--pubkey and --rollup go with --calldata; a deposit sent by keel goes to the key file's account on the node's Rollup")
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

// depositCalldata is what keel deposit --calldata prints: a transaction
// for any wallet to send.
type depositCalldata struct {
	To       common.Address `json:"to"`
	Value    string         `json:"value"` // wei, decimal
	ValueHex string         `json:"valueHex"`
	Data     hexutil.Bytes  `json:"data"`
	PubKey   vm.PublicKey   `json:"pubKey"`
}

// printDepositCalldata prints the deposit transaction without sending it.
// The key is --pubkey's, or the key file's; the Rollup is --rollup, or the
// node's.
func printDepositCalldata(g *globals, k *keyFlags, pubS, rollupS string, amount uint64) error {
	var pub vm.PublicKey
	if pubS != "" {
		if err := pub.UnmarshalText([]byte(pubS)); err != nil {
			return fmt.Errorf("--pubkey is not a public key (0x + 64 hex digits): %w", err)
		}
	} else {
		key, err := k.load()
		if err != nil {
			return fmt.Errorf("%w (or name the key with --pubkey)", err)
		}
		pub = key.Public()
	}
	var rollup common.Address
	if rollupS != "" {
		if !common.IsHexAddress(rollupS) {
			return fmt.Errorf("--rollup %q is not an address (0x + 40 hex digits)", rollupS)
		}
		rollup = common.HexToAddress(rollupS)
	} else {
		c, err := g.dial()
		if err != nil {
			return fmt.Errorf("%w (or name the Rollup with --rollup)", err)
		}
		defer c.Close()
		info, err := c.ChainInfo(g.ctx)
		if err != nil {
			return err
		}
		rollup = info.Rollup
	}
	value, data, err := client.DepositCall(pub, amount)
	if err != nil {
		return err
	}
	out := depositCalldata{To: rollup, Value: value.String(), ValueHex: hexutil.EncodeBig(value), Data: data, PubKey: pub}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "to:     %s\nvalue:  %s wei (%s ETH)\ndata:   %s\n", out.To, out.Value, gweiToETH(amount), out.Data)
	})
}
