package main

import (
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// claimOut is the L1 claim of `keel withdraw`.
type claimOut struct {
	L1TxHash common.Hash `json:"l1TxHash"`
	Wei      string      `json:"wei"`
	ETH      string      `json:"eth"`
}

func runWithdraw(args []string, g *globals) error {
	f := g.flagSet("withdraw", "", "Withdraw gwei from the key file's L2 account to an L1 address. Waits until the withdrawal's\nbatch is finalized on L1, then (--claim) claims the ETH from the Rollup contract with --l1-key.\nThe claim pays everything pending for the address.")
	k := addKeyFlags(f)
	amountS := f.String("amount", "", "how much, `AMOUNT`: gwei (1500, 1500gwei) or ETH (0.5eth)")
	feeS := f.String("fee", "", "the `FEE` in gwei (default: the node's minimum fee)")
	sponsorURL := addSponsorFlag(f)
	l1Key := addL1KeyFlag(f, "that claims (its address is the default --to)")
	toS := f.String("to", "", "the L1 `ADDRESS` to withdraw to (default: --l1-key's address)")
	claim := f.Bool("claim", true, "claim the ETH on L1 once the withdrawal is finalized (needs --l1-key of the --to address)")
	l1RPC := addL1RPCFlag(f)
	wait := addWaitFlag(f, client.StatusFinalized, "withdrawal")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	var to common.Address
	if *toS != "" {
		if !common.IsHexAddress(*toS) {
			return fmt.Errorf("--to %q is not an L1 address (0x + 40 hex digits)", *toS)
		}
		to = common.HexToAddress(*toS)
	}
	claimer := common.Address{}
	if *l1Key != "" || *claim || *toS == "" {
		eth, err := parseL1Key(*l1Key)
		if err != nil {
			return fmt.Errorf("%w; it claims the ETH on L1 (or pass --to and --claim=false)", err)
		}
		claimer = crypto.PubkeyToAddress(eth.PublicKey)
		if *toS == "" {
			to = claimer
		}
	}
	if *claim {
		if to != claimer {
			return fmt.Errorf("only %s can claim a withdrawal to it, and --l1-key is %s's key: pass --claim=false and claim later with the key of %s", to, claimer, to)
		}
		if wait.status != client.StatusFinalized {
			return errors.New("--claim needs the withdrawal finalized: drop --wait, or pass --claim=false")
		}
	}
	s, err := openSigner(g, k, *feeS)
	if err != nil {
		return err
	}
	c, from, fee := s.c, s.from, s.fee
	defer c.Close()
	var h common.Hash
	var paidBy *uint32
	if *sponsorURL != "" {
		var sp uint32
		h, sp, err = sendSponsored(g, s, *sponsorURL, *feeS != "", vm.Tx{Type: vm.TxWithdraw, From: from.Index, L1To: to, Amount: amount})
		paidBy = &sp
	} else {
		h, err = c.Withdraw(g.ctx, s.key, from.Index, to, amount, fee)
	}
	if err != nil {
		return fmt.Errorf("send withdrawal: %w", err)
	}
	out := txOut{Hash: h, Status: client.StatusPending, From: from.Index, L1To: &to,
		Amount: strconv.FormatUint(amount, 10), Fee: strconv.FormatUint(fee, 10), FeePaidBy: paidBy}
	g.progressf("withdrawal %s of %s gwei to %s sent", h, out.Amount, to)
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.setReceipt(r)
	}
	if err != nil {
		return err
	}
	if *claim {
		eth, _ := parseL1Key(*l1Key) // checked above
		info, err := c.ChainInfo(g.ctx)
		if err != nil {
			return err
		}
		l1, err := g.dialL1(*l1RPC, info)
		if err != nil {
			return err
		}
		defer l1.Close()
		g.progressf("claiming on L1 from the Rollup contract %s…", info.Rollup)
		rcpt, err := client.Claim(g.ctx, l1, info.Rollup, eth)
		if err != nil {
			return fmt.Errorf("withdrawal %s is finalized, but the claim failed: %w", h, err)
		}
		wei := client.ClaimedWei(rcpt)
		out.Claim = &claimOut{L1TxHash: rcpt.TxHash, Wei: wei.String(), ETH: weiToETH(wei)}
	}
	return g.emit(out, func(w io.Writer) {
		out.print(w)
		if out.Claim != nil {
			fmt.Fprintf(w, "claimed:     %s ETH to %s in L1 transaction %s\n", out.Claim.ETH, to, out.Claim.L1TxHash)
		} else if out.Status == client.StatusFinalized {
			fmt.Fprintf(w, "claimable:   %s can now claim it from the Rollup contract (Rollup.withdraw())\n", to)
		}
	})
}
