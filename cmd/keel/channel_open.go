package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
)

// channelOpenOut is what `keel channel open` prints.
type channelOpenOut struct {
	Hash    common.Hash     `json:"hash"`
	Status  client.TxStatus `json:"status"`
	Batch   *uint64         `json:"batch,omitempty"`
	Channel string          `json:"channel"` // the id, decimal
	// Leaf is the channel's leaf index, once the open is sequenced.
	Leaf       *uint32 `json:"leaf,omitempty"`
	A          uint32  `json:"a"`
	B          uint32  `json:"b"`
	Amount     string  `json:"amount"`
	PeerAmount string  `json:"peerAmount"`
	Period     uint32  `json:"period"`
	Fee        string  `json:"fee"`
	Store      string  `json:"store,omitempty"`
}

func runChannelOpen(args []string, g *globals) error {
	f := g.flagSet("channel open", "", "Open a payment channel between the key file's L2 account (party A) and --peer (party B),\n"+
		"locking --amount from you and --peer-amount from the peer (who then co-signs: give its --peer-key).\n"+
		"Once the open is sequenced the channel is recorded in your channel store, ready for keel channel pay.")
	k := addKeyFlags(f)
	peerS := f.String("peer", "", "the counterparty: an account `INDEX`, a public key (0x + 64 hex digits) or its key file")
	amountS := f.String("amount", "", "what you lock, `AMOUNT`: gwei (1500, 1500gwei) or ETH (0.5eth)")
	peerAmountS := f.String("peer-amount", "", "what the counterparty locks, `AMOUNT` (needs --peer-key)")
	peerKey := f.String("peer-key", "", "the counterparty's key `FILE`: it co-signs the open when it locks funds")
	peerPW := f.String("peer-password", "", "the counterparty key file's `PASSWORD` (default: --password)")
	periodS := f.String("period", "3600", "the challenge `PERIOD` of a unilateral close: seconds (3600) or a duration (1h)")
	feeS := f.String("fee", "", "the `FEE` in gwei (default: the node's minimum fee)")
	store := addStoreFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "open")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	amount, err := channelAmount("amount", *amountS)
	if err != nil {
		return err
	}
	peerAmount, err := channelAmount("peer-amount", *peerAmountS)
	if err != nil {
		return err
	}
	if amount == 0 && peerAmount == 0 {
		return errors.New("set --amount (and/or --peer-amount): a channel must lock something")
	}
	if peerAmount > 0 && *peerKey == "" {
		return errors.New("--peer-amount needs --peer-key: the counterparty co-signs an open that locks its funds")
	}
	if *peerS == "" && *peerKey == "" {
		return errors.New("set --peer: the counterparty's account index, public key or key file")
	}
	period, err := parsePeriod(*periodS)
	if err != nil {
		return err
	}
	s, err := openSigner(g, k, *feeS)
	if err != nil {
		return err
	}
	c, from := s.c, s.from
	defer c.Close()
	to, peerPub, err := peerAccount(g, c, *peerS, *peerKey)
	if err != nil {
		return err
	}
	if to == from.Index {
		return errors.New("--peer is your own account: a channel needs two accounts")
	}
	var keyB *vm.PrivateKey
	if peerAmount > 0 {
		pk := keyFlags{file: *peerKey, password: *peerPW}
		if pk.password == "" {
			pk.password = k.password
		}
		if keyB, err = pk.load(); err != nil {
			return fmt.Errorf("--peer-key: %w", err)
		}
	}
	h, id, err := c.OpenChannel(g.ctx, s.key, keyB, client.OpenChannelParams{From: from.Index, To: to, Amount: amount, AmountB: peerAmount, Fee: s.fee, Period: period})
	if err != nil {
		return fmt.Errorf("send channel open: %w", err)
	}
	out := channelOpenOut{Hash: h, Status: client.StatusPending, Channel: strconv.FormatUint(id, 10), A: from.Index, B: to,
		Amount: strconv.FormatUint(amount, 10), PeerAmount: strconv.FormatUint(peerAmount, 10), Period: period, Fee: strconv.FormatUint(s.fee, 10)}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.Status, out.Leaf = r.Status, r.Channel
		if r.Batch != nil {
			b := uint64(*r.Batch)
			out.Batch = &b
		}
	}
	if err != nil {
		return err
	}
	if out.Status.Rank() >= client.StatusSequenced.Rank() {
		// Executed: record it, so that keel channel pay finds it. (A
		// pending open may still be rejected; the channel is imported
		// from L2 later then.)
		chainID, err := c.ChainID(g.ctx)
		if err != nil {
			return err
		}
		dir := storeDir(*store, s.key.Public())
		if err := recordChannel(dir, statechan.Params{ChainID: chainID, ChannelID: id, A: s.key.Public(), B: peerPub, InitialA: amount, InitialB: peerAmount}); err != nil {
			return err
		}
		out.Store = dir
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "transaction: %s\nstatus:      %s\n", out.Hash, out.Status)
		if out.Batch != nil {
			fmt.Fprintf(w, "batch:       %d\n", *out.Batch)
		}
		fmt.Fprintf(w, "channel:     %s (accounts %d and %d)\n", out.Channel, out.A, out.B)
		if out.Leaf != nil {
			fmt.Fprintf(w, "leaf:        %d\n", *out.Leaf)
		}
		fmt.Fprintf(w, "locked:      %s gwei yours, %s gwei the peer's\nperiod:      %d s\n", out.Amount, out.PeerAmount, out.Period)
		if out.Store != "" {
			fmt.Fprintf(w, "store:       %s\n", out.Store)
		}
	})
}

// recordChannel creates the channel in the store at dir (already there is
// fine).
func recordChannel(dir string, p statechan.Params) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("channel store %s: %w", dir, err)
	}
	st, err := statechan.OpenStore(dir, nil)
	if err != nil {
		return fmt.Errorf("open the channel store %s: %w (is another keel channel command using it?)", dir, err)
	}
	err = st.Create(p)
	if errors.Is(err, statechan.ErrChannelExists) {
		err = nil
	}
	return errors.Join(err, st.Close())
}
