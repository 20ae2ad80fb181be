package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// balanceOut is what `keel balance` prints.
type balanceOut struct {
	Index   uint32        `json:"index"`
	Kind    string        `json:"kind"`
	PubKey  *vm.PublicKey `json:"pubKey,omitempty"`
	Balance string        `json:"balance"` // gwei
	ETH     string        `json:"eth"`
	Nonce   uint32        `json:"nonce"`
	Batch   uint64        `json:"batch"`
}

func runBalance(args []string, g *globals) error {
	f := g.flagSet("balance", "", "Show an L2 account's balance and nonce (soft-confirmed: including the open batch).\nName the account by --index, --pubkey or --keyfile (--index and --pubkey win over\na --keyfile, which may come from KEEL_KEYFILE).")
	k := addKeyFlags(f)
	indexS := f.String("index", "", "the account `INDEX`")
	pubS := f.String("pubkey", "", "the account's public `KEY`, 0x + 64 hex digits")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *indexS != "" && *pubS != "" {
		return errors.New("name the account by one of --index or --pubkey, not both")
	}
	if *indexS == "" && *pubS == "" && k.file == "" {
		return errors.New("name the account: --keyfile, --index or --pubkey")
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	var acc *client.Account
	switch {
	case *indexS != "":
		idx, err := strconv.ParseUint(*indexS, 10, 32)
		if err != nil {
			return fmt.Errorf("--index %q is not an account index", *indexS)
		}
		if acc, err = c.Account(g.ctx, uint32(idx)); err != nil {
			return err
		}
	case *pubS != "":
		var pub vm.PublicKey
		if err := pub.UnmarshalText([]byte(*pubS)); err != nil {
			return fmt.Errorf("--pubkey is not a public key (0x + 64 hex digits): %w", err)
		}
		if acc, err = c.AccountByKey(g.ctx, pub); err != nil {
			return err
		}
		if acc == nil {
			return fmt.Errorf("no L2 account for public key %s yet: it is created by a first deposit (`keel deposit`)", pub)
		}
	default:
		key, err := k.load()
		if err != nil {
			return err
		}
		if acc, err = ownAccount(g, c, key); err != nil {
			return err
		}
	}
	bal, err := acc.BalanceGwei()
	if err != nil {
		return err
	}
	out := balanceOut{Index: acc.Index, Kind: acc.Kind, PubKey: acc.PubKey, Balance: acc.Balance, ETH: gweiToETH(bal),
		Nonce: acc.Nonce, Batch: uint64(acc.Batch)}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "account: %d (%s)\n", out.Index, out.Kind)
		if out.PubKey != nil {
			fmt.Fprintf(w, "key:     %s\n", out.PubKey)
		}
		fmt.Fprintf(w, "balance: %s gwei (%s ETH)\nnonce:   %d\nas of:   batch %d\n", out.Balance, out.ETH, out.Nonce, out.Batch)
	})
}

func runBatch(args []string, g *globals) error {
	f := g.flagSet("batch", "N", "Show sealed batch N: status, state roots, transactions, and its L1 commit.")
	pos, err := g.parseExact(f, args, 1)
	if err != nil {
		return err
	}
	n, err := strconv.ParseUint(pos[0], 10, 64)
	if err != nil {
		return fmt.Errorf("batch number %q: want a whole number", pos[0])
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	b, err := c.Batch(g.ctx, n)
	if err != nil {
		return err
	}
	if b == nil {
		info, err := c.ChainInfo(g.ctx)
		if err != nil {
			return err
		}
		return fmt.Errorf("batch %d is not sealed yet: the last sealed batch is %d", n, info.Head)
	}
	return g.emit(b, func(w io.Writer) {
		fmt.Fprintf(w, "batch:        %d\nstatus:       %s\nprev root:    %s\nroot:         %s\ncommitment:   %s\n",
			b.Number, b.Status, b.PrevRoot, b.Root, b.Commitment)
		fmt.Fprintf(w, "deposits:     %d consumed after it\nfees:         %s gwei\ntransactions: %d\n", b.PriorityCount, b.FeeTotal, len(b.Transactions))
		for _, h := range b.Transactions {
			fmt.Fprintf(w, "  %s\n", h)
		}
		if b.L1TxHash != nil {
			fmt.Fprintf(w, "L1 commit:    %s\n", b.L1TxHash)
		}
	})
}

func runStatus(args []string, g *globals) error {
	f := g.flagSet("status", "", "Show the chain: ids, L1 contracts, verifying key, and how far batches are sealed, proven and finalized.")
	if _, err := g.parseExact(f, args, 0); err != nil {
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
	return g.emit(info, func(w io.Writer) {
		fmt.Fprintf(w, "chain id:     %d (L1 chain %d)\n", info.ChainID, info.L1ChainID)
		if info.L1RPC != "" {
			fmt.Fprintf(w, "L1 endpoint:  %s\n", info.L1RPC)
		}
		fmt.Fprintf(w, "rollup:       %s\nverifier:     %s\nvk hash:      %s\ncircuit hash: %s\n", info.Rollup, info.Verifier, info.VKHash, info.CircuitHash)
		fmt.Fprintf(w, "tree depth:   %d\nbatch slots:  %d\noperator:     account %d\nminimum fee:  %s gwei\n", info.Depth, info.Slots, info.Operator, info.MinFee)
		fmt.Fprintf(w, "batches:      %d sealed, %d proven, %d finalized\npending txs:  %d\n", info.Head, info.Proven, info.Finalized, info.Pending)
		writeFleet(w, info.Fleet)
	})
}

// writeFleet prints the prover fleet of `keel status`.
func writeFleet(w io.Writer, f *client.FleetInfo) {
	if f == nil {
		fmt.Fprintf(w, "prover fleet: none (the node does not prove)\n")
		return
	}
	if f.NATS != "" {
		fmt.Fprintf(w, "prover fleet: %s", f.NATS)
		if f.Creds != "" {
			fmt.Fprintf(w, " (worker credentials: %s)", f.Creds)
		}
		fmt.Fprintln(w)
	} else {
		fmt.Fprintf(w, "prover fleet: in-process only\n")
	}
	if f.Error != "" {
		fmt.Fprintf(w, "  queue:      unreadable: %s\n", f.Error)
	} else {
		fmt.Fprintf(w, "  queue:      %d waiting, %d in flight (%d redelivered), %d dead letters\n", f.Queued, f.InFlight, f.Redelivered, f.DeadLetters)
	}
	if len(f.Workers) == 0 {
		fmt.Fprintf(w, "  workers:    none seen in the last minute\n")
		return
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "  WORKER\tPROOFS\tMEAN PROOF\tBUSY\tREJECTED\tLAST SEEN\n")
	for _, wk := range f.Workers {
		busy := "-"
		if wk.Concurrency > 0 {
			busy = fmt.Sprintf("%d/%d", wk.Busy, wk.Concurrency)
		}
		fmt.Fprintf(tw, "  %s\t%d\t%.1fs\t%s\t%d\t%ds ago\n", wk.Name, wk.Proofs, wk.MeanProofSeconds, busy, wk.Rejected,
			max(0, time.Now().Unix()-wk.LastSeen))
	}
	tw.Flush()
}
