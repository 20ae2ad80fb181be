package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// txOut is what `keel transfer` and `keel withdraw` print.
type txOut struct {
	Hash   common.Hash     `json:"hash"`
	Status client.TxStatus `json:"status"`
	Batch  *uint64         `json:"batch,omitempty"`
	From   uint32          `json:"from"`
	To     *uint32         `json:"to,omitempty"`   // transfer: the recipient account
	L1To   *common.Address `json:"l1To,omitempty"` // withdraw: the L1 address
	Amount string          `json:"amount"`         // gwei
	Fee    string          `json:"fee"`            // gwei
	// FeePaidBy is the sponsor's account when --sponsor paid the fee.
	FeePaidBy *uint32 `json:"feePaidBy,omitempty"`
	// Claim is set by `keel withdraw` when it claimed the ETH on L1.
	Claim *claimOut `json:"claim,omitempty"`
}

func (o *txOut) setReceipt(r *client.Receipt) {
	o.Status = r.Status
	if r.Batch != nil {
		b := uint64(*r.Batch)
		o.Batch = &b
	}
}

func (o *txOut) print(w io.Writer) {
	fmt.Fprintf(w, "transaction: %s\nstatus:      %s\n", o.Hash, o.Status)
	if o.Batch != nil {
		fmt.Fprintf(w, "batch:       %d\n", *o.Batch)
	}
}

func runTransfer(args []string, g *globals) error {
	f := g.flagSet("transfer", "", "Send gwei from the key file's L2 account to another L2 account, and follow the\ntransaction (--wait). The recipient must already have an account (made by a deposit).")
	k := addKeyFlags(f)
	toS := f.String("to", "", "the recipient `ACCOUNT`: an account index, or a public key (0x + 64 hex digits)")
	amountS := f.String("amount", "", "how much, `AMOUNT`: gwei (1500, 1500gwei) or ETH (0.5eth)")
	feeS := f.String("fee", "", "the `FEE` in gwei (default: the node's minimum fee)")
	sponsorURL := addSponsorFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "transfer")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	if err := transferAmount(amount); err != nil {
		return err
	}
	if *toS == "" {
		return errors.New("set --to: an account index or a public key")
	}
	s, err := openSigner(g, k, *feeS)
	if err != nil {
		return err
	}
	c, from, fee := s.c, s.from, s.fee
	defer c.Close()
	to, err := recipient(g, c, *toS)
	if err != nil {
		return err
	}
	if to == from.Index {
		return errors.New("--to is your own account: a transfer to self is not allowed")
	}
	var h common.Hash
	var paidBy *uint32
	if *sponsorURL != "" {
		var sp uint32
		h, sp, err = sendSponsored(g, s, *sponsorURL, *feeS != "", vm.Tx{Type: vm.TxTransfer, From: from.Index, To: to, Amount: amount})
		paidBy = &sp
	} else {
		h, err = c.Transfer(g.ctx, s.key, from.Index, to, amount, fee)
	}
	if err != nil {
		return fmt.Errorf("send transfer: %w", err)
	}
	out := txOut{Hash: h, Status: client.StatusPending, From: from.Index, To: &to,
		Amount: strconv.FormatUint(amount, 10), Fee: strconv.FormatUint(fee, 10), FeePaidBy: paidBy}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.setReceipt(r)
	}
	if err != nil {
		return err
	}
	return g.emit(out, out.print)
}

// recipient resolves --to: an account index, or the public key of an
// account.
func recipient(g *globals, c *client.Client, s string) (uint32, error) {
	if strings.HasPrefix(s, "0x") {
		var pub vm.PublicKey
		if err := pub.UnmarshalText([]byte(s)); err != nil {
			return 0, fmt.Errorf("--to %s is not a public key (0x + 64 hex digits) or an account index: %w", s, err)
		}
		acc, err := c.AccountByKey(g.ctx, pub)
		if err != nil {
			return 0, err
		}
		if acc == nil {
			return 0, fmt.Errorf("no L2 account for public key %s: its owner must deposit first (`keel deposit`); transfers go to existing accounts", s)
		}
		return acc.Index, nil
	}
	idx, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		return 0, fmt.Errorf("--to %q is not an account index or a public key (0x + 64 hex digits)", s)
	}
	acc, err := c.Account(g.ctx, uint32(idx))
	if err != nil {
		return 0, err
	}
	if acc.Kind != "account" {
		return 0, fmt.Errorf("account %d is %s: transfers go to existing accounts (made by a deposit)", idx, acc.Kind)
	}
	return uint32(idx), nil
}

// feeOrMin parses --fee, or reads the node's minimum fee when it is unset.
func feeOrMin(g *globals, c *client.Client, s string) (uint64, error) {
	if s == "" {
		info, err := c.ChainInfo(g.ctx)
		if err != nil {
			return 0, err
		}
		return info.MinFeeGwei()
	}
	fee, err := parseGwei(s)
	if err != nil {
		return 0, fmt.Errorf("--fee: %w", err)
	}
	return fee, checkFee(fee)
}
