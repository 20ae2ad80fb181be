package main

// `keel channel …`: payment channels end to end. The on-chain half goes
// through the node's API (client: open, close, dispute, challenge,
// finalize, keel_getChannel); the off-chain half is package statechan: an
// Endpoint over the party's channel store, a websocket listener on the
// receiving side and a dialer on the paying side, and a Watcher that
// answers stale closes.
//
// A channel store belongs to one key (statechan refuses a channel the key
// is no party of), so its default directory is named after the key:
// ~/.keel/channels/<the key's first 16 hex digits>, and two parties on one
// machine never share one. A party that does not have a channel in its
// store yet imports it from the chain while it is open (its version 0
// needs no co-signatures: the chain recorded it), so only the opener runs
// `open`, and the counterparty just runs `listen` or `pay`.

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
)

func channelCommands() []*command {
	return []*command{
		{name: "open", summary: "open a payment channel with another L2 account, locking funds on L2", run: runChannelOpen},
		{name: "listen", summary: "receive channel payments over a websocket, and challenge stale closes", run: runChannelListen},
		{name: "pay", summary: "pay over a channel: dial the peer's listener and co-sign new states", run: runChannelPay},
		{name: "close", summary: "settle a channel on L2: cooperatively with the peer, or --unilateral", run: runChannelClose},
		{name: "finalize", summary: "pay out a unilaterally closed channel once its challenge period is over", run: runChannelFinalize},
		{name: "watch", summary: "challenge stale closes of your channels until interrupted", run: runChannelWatch},
		{name: "info", summary: "a channel as L2 holds it, and your latest co-signed state", run: runChannelInfo},
	}
}

// addChannelFlag is --channel, the channel id every command but open takes.
func addChannelFlag(fs *flag.FlagSet) *string {
	return fs.String("channel", "", "the channel `ID` (a whole number: keel channel open prints it)")
}

// addStoreFlag is --channel-store.
func addStoreFlag(fs *flag.FlagSet) *string {
	return fs.String("channel-store", "", "your channel store's `DIR` (default ~/.keel/channels/<your key>)")
}

// parseChannelID reads --channel.
func parseChannelID(s string) (uint64, error) {
	if s == "" {
		return 0, errors.New("set --channel: the channel id `keel channel open` printed (or `keel channel info` shows)")
	}
	id, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("--channel %q is not a channel id: want a whole number, as `keel channel open` printed", s)
	}
	return id, nil
}

// storeDir is --channel-store, or the default directory of the key pub.
func storeDir(flag string, pub vm.PublicKey) string {
	if flag != "" {
		return flag
	}
	home, _ := os.UserHomeDir()
	return filepath.Join(home, ".keel", "channels", strings.TrimPrefix(pub.String(), "0x")[:16])
}

// keyFilePub reads the public key a key file holds in the clear, without
// the password.
func keyFilePub(path string) (vm.PublicKey, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return vm.PublicKey{}, fmt.Errorf("read key file: %w", err)
	}
	var f struct {
		PubKey vm.PublicKey `json:"pubkey"`
	}
	if err := json.Unmarshal(data, &f); err != nil || f.PubKey.IsZero() {
		return vm.PublicKey{}, fmt.Errorf("%s is not a Keel key file (made by keel account new): no public key in it", path)
	}
	return f.PubKey, nil
}

// parsePeriod reads --period: whole seconds ("3600") or a duration ("1h").
func parsePeriod(s string) (uint32, error) {
	secs, err := strconv.ParseUint(s, 10, 32)
	if err != nil {
		d, derr := time.ParseDuration(s)
		if derr != nil || d%time.Second != 0 {
			return 0, fmt.Errorf("--period %q: want whole seconds (3600) or a duration (1h)", s)
		}
		secs = uint64(d / time.Second)
	}
	if secs == 0 || secs > 1<<32-1 {
		return 0, fmt.Errorf("--period %q: the challenge period must be between 1 second and %d seconds", s, uint32(1<<32-1))
	}
	return uint32(secs), nil
}

// channelAmount parses an amount a channel locks (may be zero when empty)
// and checks that the public data can carry it.
func channelAmount(flag, s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	v, err := parseGwei(s)
	if err != nil {
		return 0, fmt.Errorf("--%s: %w", flag, err)
	}
	if _, ok := vm.PackAmount(v); !ok {
		return 0, fmt.Errorf("--%s: a channel cannot lock exactly %d gwei (amounts are 19 significant bits times a power of ten): the nearest is %d gwei", flag, v, vm.RoundAmount(v))
	}
	return v, nil
}

// peerAccount resolves --peer (an account index, a public key, or a key
// file) and, when given, --peer-key, which must agree with it.
func peerAccount(g *globals, c *client.Client, peer, peerKeyFile string) (uint32, vm.PublicKey, error) {
	if peer == "" {
		peer = peerKeyFile
	}
	var acc *client.Account
	var err error
	switch {
	case isDigits(peer):
		idx, perr := strconv.ParseUint(peer, 10, 32)
		if perr != nil {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer %q is not an account index", peer)
		}
		if acc, err = c.Account(g.ctx, uint32(idx)); err != nil {
			return 0, vm.PublicKey{}, err
		}
		if acc.Kind != "account" || acc.PubKey == nil {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer: index %d is %s, not an account: a channel's counterparty is an L2 account (made by a deposit)", idx, acc.Kind)
		}
	default:
		var pub vm.PublicKey
		if strings.HasPrefix(peer, "0x") {
			if err := pub.UnmarshalText([]byte(peer)); err != nil {
				return 0, vm.PublicKey{}, fmt.Errorf("--peer %s is not a public key (0x + 64 hex digits), an account index or a key file: %w", peer, err)
			}
		} else if pub, err = keyFilePub(peer); err != nil {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer: %w", err)
		}
		if acc, err = c.AccountByKey(g.ctx, pub); err != nil {
			return 0, vm.PublicKey{}, err
		}
		if acc == nil {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer: no L2 account for key %s: its owner must deposit first (`keel deposit`)", pub)
		}
	}
	if peerKeyFile != "" && peerKeyFile != peer {
		pub, err := keyFilePub(peerKeyFile)
		if err != nil {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer-key: %w", err)
		}
		if pub != *acc.PubKey {
			return 0, vm.PublicKey{}, fmt.Errorf("--peer-key %s holds key %s, but --peer is account %d of key %s", peerKeyFile, pub, acc.Index, acc.PubKey)
		}
	}
	return acc.Index, *acc.PubKey, nil
}

// channelParty is what a command acting as a channel party needs: its
// logger at level, its key, and a connection to the node (the caller
// closes it).
func channelParty(g *globals, k *keyFlags, level string) (zerolog.Logger, *vm.PrivateKey, *client.Client, error) {
	log, err := channelLogger(g, level)
	if err != nil {
		return log, nil, nil, err
	}
	key, err := k.load()
	if err != nil {
		return log, nil, nil, err
	}
	c, err := g.dial()
	return log, key, c, err
}

// channelLogger is the statechan endpoint's and watcher's logger, on
// stderr.
func channelLogger(g *globals, level string) (zerolog.Logger, error) {
	lvl, err := zerolog.ParseLevel(level)
	if err != nil {
		return zerolog.Logger{}, fmt.Errorf("--log-level %q: want debug, info, warn or error", level)
	}
	return zerolog.New(zerolog.ConsoleWriter{Out: g.stderr, TimeFormat: time.TimeOnly}).With().Timestamp().Logger().Level(lvl), nil
}

// startEndpoint opens the key's channel store in dir and starts a
// statechan endpoint on it. The caller stops it.
func startEndpoint(g *globals, key *vm.PrivateKey, dir string, log zerolog.Logger, onPayment func(statechan.Payment)) (*statechan.Endpoint, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("channel store %s: %w", dir, err)
	}
	ep, err := statechan.New(statechan.Config{Key: key, Dir: dir, Logger: log, OnPayment: onPayment})
	if err != nil {
		return nil, fmt.Errorf("open the channel store %s: %w (is another keel channel command using it? stop it first)", dir, err)
	}
	if err := ep.Start(g.ctx); err != nil {
		ep.Stop(context.WithoutCancel(g.ctx))
		return nil, err
	}
	return ep, nil
}

// chainChannel reads the channel from the node, with advice when it has
// none.
func chainChannel(g *globals, c *client.Client, id uint64) (*client.Channel, error) {
	ch, err := c.GetChannel(g.ctx, id)
	if err != nil {
		return nil, err
	}
	if ch == nil {
		return nil, fmt.Errorf("channel %d is not on L2: it was never opened, the batch that opened it is not sealed yet (retry in a few seconds), or it is settled already", id)
	}
	return ch, nil
}

// ensureChannel makes sure the endpoint's store has the channel, importing
// it from the chain while it is open, and returns its parameters.
func ensureChannel(g *globals, c *client.Client, ep *statechan.Endpoint, key *vm.PrivateKey, id uint64) (statechan.Params, error) {
	if p, err := ep.Store().Params(id); err == nil {
		return p, nil
	} else if !errors.Is(err, statechan.ErrUnknownChannel) {
		return statechan.Params{}, err
	}
	ch, err := chainChannel(g, c, id)
	if err != nil {
		return statechan.Params{}, err
	}
	if ch.Status != client.ChannelOpen {
		return statechan.Params{}, fmt.Errorf("channel %d is %s on L2 and not in your channel store: it takes no more payments (keel channel finalize pays it out after its deadline)", id, ch.Status)
	}
	chainID, err := c.ChainID(g.ctx)
	if err != nil {
		return statechan.Params{}, err
	}
	p := statechan.Params{ChainID: chainID, ChannelID: id, InitialA: uint64(ch.SplitA), InitialB: uint64(ch.SplitB)}
	for _, side := range []struct {
		index uint32
		pub   *vm.PublicKey
	}{{ch.A, &p.A}, {ch.B, &p.B}} {
		acc, err := c.Account(g.ctx, side.index)
		if err != nil {
			return statechan.Params{}, err
		}
		if acc.PubKey == nil {
			return statechan.Params{}, fmt.Errorf("channel %d's party %d has no account", id, side.index)
		}
		*side.pub = *acc.PubKey
	}
	if _, err := p.RoleOf(key.Public()); err != nil {
		return statechan.Params{}, fmt.Errorf("channel %d is between accounts %d and %d; your key %s is neither", id, ch.A, ch.B, key.Public())
	}
	if err := ep.Open(p); err != nil {
		return statechan.Params{}, err
	}
	return p, nil
}

// balances returns our and the peer's share of a state.
func balances(p statechan.Params, pub vm.PublicKey, s vm.ChannelState) (own, peer uint64) {
	if pub == p.A {
		return s.BalanceA, s.BalanceB
	}
	return s.BalanceB, s.BalanceA
}

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

// paymentOut is one payment `keel channel listen` received.
type paymentOut struct {
	Channel string `json:"channel"`
	Version uint64 `json:"version"`
	Amount  string `json:"amount"`
}

func runChannelListen(args []string, g *globals) error {
	f := g.flagSet("channel listen", "", "Receive payments: serve channel sessions on --addr until interrupted; payers dial\n"+
		"ws://ADDR/ (keel channel pay --peer-url). Every payment received is printed once it is co-signed\n"+
		"and durable in your channel store. With --watch (the default) a stale close of any of your\n"+
		"channels is challenged with your latest co-signed state.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	addr := f.String("addr", "127.0.0.1:7600", "the `host:port` to serve sessions on (port 0 picks one)")
	store := addStoreFlag(f)
	watch := f.Bool("watch", true, "also watch your channels and challenge stale closes")
	poll := f.Duration("poll", statechan.DefaultWatchInterval, "how often the watcher reads L2; keep it well inside the challenge period")
	logLevel := f.String("log-level", "warn", "log `level` on stderr: debug, info, warn or error")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	var id uint64
	if *chS != "" {
		var err error
		if id, err = parseChannelID(*chS); err != nil {
			return err
		}
	}
	log, key, c, err := channelParty(g, k, *logLevel)
	if err != nil {
		return err
	}
	defer c.Close()
	var outMu sync.Mutex
	onPayment := func(p statechan.Payment) {
		outMu.Lock()
		defer outMu.Unlock()
		out := paymentOut{Channel: strconv.FormatUint(p.ChannelID, 10), Version: p.Version, Amount: strconv.FormatUint(p.Amount, 10)}
		_ = g.emit(out, func(w io.Writer) {
			fmt.Fprintf(w, "received %s gwei on channel %s (version %d)\n", out.Amount, out.Channel, out.Version)
		})
	}
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, onPayment)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	if *chS != "" {
		if _, err := ensureChannel(g, c, ep, key, id); err != nil {
			return err
		}
	}
	all, err := ep.Store().Channels()
	if err != nil {
		return err
	}
	// Channels whose final state is co-signed take no more payments: they
	// are not advertised (the watcher still watches every channel).
	var ids []uint64
	for _, id := range all {
		if _, st, err := ep.State(id); err == nil && st != statechan.StatusClosed {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return errors.New("no open channels to serve: name one with --channel (it is imported from L2 while open)")
	}
	a, err := ep.Listen(*addr)
	if err != nil {
		return err
	}
	if *watch {
		w, err := statechan.NewWatcher(statechan.WatcherConfig{Chain: client.NewChannelChain(c), States: ep.Store(), Interval: *poll, Logger: log})
		if err != nil {
			return err
		}
		if err := w.Start(g.ctx); err != nil {
			return err
		}
		defer w.Stop(context.WithoutCancel(g.ctx))
	}
	url := "ws://" + a.String() + "/"
	outMu.Lock()
	err = g.emit(map[string]any{"listening": url, "channels": decimalIDs(ids)}, func(w io.Writer) {
		fmt.Fprintf(w, "listening on %s for channel(s) %s; Ctrl-C stops\n", url, strings.Join(decimalIDs(ids), ", "))
	})
	outMu.Unlock()
	if err != nil {
		return err
	}
	<-g.ctx.Done()
	return nil
}

func decimalIDs(ids []uint64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatUint(id, 10)
	}
	return out
}

// channelStateOut is the co-signed state `keel channel pay` ends at.
type channelStateOut struct {
	Channel     string `json:"channel"`
	Paid        string `json:"paid,omitempty"`
	Payments    int    `json:"payments,omitempty"`
	Version     uint64 `json:"version"`
	Balance     string `json:"balance"`     // ours
	PeerBalance string `json:"peerBalance"` // the peer's
}

func runChannelPay(args []string, g *globals) error {
	f := g.flagSet("channel pay", "", "Pay the peer over a channel: dial its listener (keel channel listen prints the URL) and\n"+
		"co-sign one new state per payment; each is durable in both stores before the next.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	peerURL := f.String("peer-url", "", "the peer's session `URL`, ws://host:port/ (what its keel channel listen prints)")
	amountS := f.String("amount", "", "how much each payment is, `AMOUNT`: gwei (1500) or ETH (0.5eth)")
	count := f.Int("count", 1, "how many `payments` of --amount to make")
	store := addStoreFlag(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	if err := checkPeerURL(*peerURL); err != nil {
		return err
	}
	amount, err := parseAmountFlag(*amountS)
	if err != nil {
		return err
	}
	if *count < 1 {
		return fmt.Errorf("--count %d: make at least one payment", *count)
	}
	log, key, c, err := channelParty(g, k, "warn")
	if err != nil {
		return err
	}
	defer c.Close()
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, nil)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	p, err := ensureChannel(g, c, ep, key, id)
	if err != nil {
		return err
	}
	sess, err := ep.Dial(g.ctx, *peerURL, id)
	if err != nil {
		return fmt.Errorf("reach the peer: %w (is `keel channel listen` running there, for this channel?)", err)
	}
	defer sess.Disconnect()
	for i := range *count {
		if err := sess.Pay(g.ctx, amount); err != nil {
			return fmt.Errorf("payment %d of %d: %w", i+1, *count, err)
		}
	}
	latest, _, err := ep.State(id)
	if err != nil {
		return err
	}
	own, peer := balances(p, key.Public(), latest.State)
	out := channelStateOut{Channel: strconv.FormatUint(id, 10), Paid: strconv.FormatUint(amount*uint64(*count), 10), Payments: *count,
		Version: latest.State.Version, Balance: strconv.FormatUint(own, 10), PeerBalance: strconv.FormatUint(peer, 10)}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "paid:     %s gwei in %d payment(s)\nversion:  %d\nbalances: %s gwei yours, %s gwei the peer's\n",
			out.Paid, out.Payments, out.Version, out.Balance, out.PeerBalance)
	})
}

func checkPeerURL(u string) error {
	if u == "" {
		return errors.New("set --peer-url: the ws://host:port/ address the peer's keel channel listen prints")
	}
	if !strings.HasPrefix(u, "ws://") && !strings.HasPrefix(u, "wss://") {
		return fmt.Errorf("--peer-url %q: want a websocket URL, ws://host:port/ (or wss://)", u)
	}
	return nil
}

// channelCloseOut is what `keel channel close` prints.
type channelCloseOut struct {
	Hash    common.Hash     `json:"hash"`
	Status  client.TxStatus `json:"status"`
	Batch   *uint64         `json:"batch,omitempty"`
	Channel string          `json:"channel"`
	// Kind is "cooperative" (a final state both signed: settled at once)
	// or "unilateral" (a dispute: the challenge period starts).
	Kind     string `json:"kind"`
	Version  uint64 `json:"version"`
	BalanceA string `json:"balanceA"`
	BalanceB string `json:"balanceB"`
	Period   uint32 `json:"period"`
}

func runChannelClose(args []string, g *globals) error {
	f := g.flagSet("channel close", "", "Settle a channel on L2. Cooperatively (--peer-url): agree a final state with the peer and\n"+
		"pay it out at once. --unilateral: close alone with your latest co-signed state; the peer may\n"+
		"answer with a newer one within the challenge period, then keel channel finalize pays out.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	peerURL := f.String("peer-url", "", "the peer's session `URL`, ws://host:port/, for a cooperative close")
	unilateral := f.Bool("unilateral", false, "close without the peer, with your latest co-signed state")
	store := addStoreFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "close")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	switch {
	case *unilateral && *peerURL != "":
		return errors.New("--unilateral closes without the peer: drop --peer-url (or drop --unilateral to close cooperatively)")
	case !*unilateral:
		if err := checkPeerURL(*peerURL); err != nil {
			return fmt.Errorf("%w; or close alone with --unilateral (a challenge period applies, then keel channel finalize)", err)
		}
	}
	log, key, c, err := channelParty(g, k, "warn")
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := chainChannel(g, c, id)
	if err != nil {
		return err
	}
	ep, err := startEndpoint(g, key, storeDir(*store, key.Public()), log, nil)
	if err != nil {
		return err
	}
	defer ep.Stop(context.WithoutCancel(g.ctx))
	p, err := ensureChannel(g, c, ep, key, id)
	if err != nil {
		return err
	}
	latest, _, err := ep.State(id)
	if err != nil {
		return err
	}
	typ, kind := vm.TxChanClose, "cooperative"
	switch {
	case latest.State.Final:
		// Already agreed (earlier, or the peer closed first): settle it.
	case *unilateral:
		if ch.Status == client.ChannelClosing {
			return fmt.Errorf("channel %d is already closing at version %d (deadline %d): keel channel finalize pays it out after the deadline; a watcher (keel channel watch) challenges it if your state is newer", id, ch.Version, ch.Deadline)
		}
		typ, kind = vm.TxChanDispute, "unilateral"
		if latest.State.Version == 0 {
			// The opening carries no co-signatures; the closer alone signs
			// it, so that no stranger can start a channel's challenge period.
			sig, err := latest.State.Sign(key)
			if err != nil {
				return err
			}
			if key.Public() == p.A {
				latest.SigA = sig
			} else {
				latest.SigB = sig
			}
		}
	default:
		sess, err := ep.Dial(g.ctx, *peerURL, id)
		if err != nil {
			return fmt.Errorf("reach the peer: %w (is `keel channel listen` running there? without the peer, close with --unilateral)", err)
		}
		latest, err = sess.CloseChannel(g.ctx)
		sess.Disconnect()
		if err != nil {
			return fmt.Errorf("agree a final state with the peer: %w (without the peer, close with --unilateral)", err)
		}
	}
	h, err := c.SubmitChannelState(g.ctx, typ, ch.Leaf, latest.State, latest.SigA, latest.SigB)
	if err != nil {
		return fmt.Errorf("send channel %s close: %w", kind, err)
	}
	out := channelCloseOut{Hash: h, Status: client.StatusPending, Channel: strconv.FormatUint(id, 10), Kind: kind, Version: latest.State.Version,
		BalanceA: strconv.FormatUint(latest.State.BalanceA, 10), BalanceB: strconv.FormatUint(latest.State.BalanceB, 10), Period: ch.Period}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.Status = r.Status
		if r.Batch != nil {
			b := uint64(*r.Batch)
			out.Batch = &b
		}
	}
	if err != nil {
		return err
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "transaction: %s\nstatus:      %s\n", out.Hash, out.Status)
		if out.Batch != nil {
			fmt.Fprintf(w, "batch:       %d\n", *out.Batch)
		}
		fmt.Fprintf(w, "close:       %s, version %d: A gets %s gwei, B %s gwei\n", out.Kind, out.Version, out.BalanceA, out.BalanceB)
		if out.Kind == "unilateral" {
			fmt.Fprintf(w, "next:        after the %d s challenge period, keel channel finalize --channel %s\n", out.Period, out.Channel)
		}
	})
}

func runChannelFinalize(args []string, g *globals) error {
	f := g.flagSet("channel finalize", "", "Pay out a channel closed unilaterally, once its challenge period is over (the batch time\n"+
		"passed its deadline; keel channel info shows it). Anyone may send it; it needs no key.")
	chS := addChannelFlag(f)
	wait := addWaitFlag(f, client.StatusSequenced, "finalize")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	ch, err := chainChannel(g, c, id)
	if err != nil {
		return err
	}
	if ch.Status != client.ChannelClosing {
		return fmt.Errorf("channel %d is %s: finalize pays out a channel closed unilaterally; close it first (keel channel close)", id, ch.Status)
	}
	h, err := c.FinalizeChannel(g.ctx, ch.Leaf)
	if err != nil {
		return fmt.Errorf("send channel finalize: %w", err)
	}
	out := txOut{Hash: h, Status: client.StatusPending}
	r, err := waitThrough(g, c, h, wait.status)
	if r != nil {
		out.setReceipt(r)
	}
	if errors.Is(err, client.ErrRejected) {
		deadline := time.Unix(int64(ch.Deadline), 0).UTC()
		return fmt.Errorf("%w (the challenge period ends at batch time %d, %s; batches take the L1 head's time)", err, uint64(ch.Deadline), deadline.Format(time.RFC3339))
	}
	if err != nil {
		return err
	}
	return g.emit(struct {
		Hash    common.Hash     `json:"hash"`
		Status  client.TxStatus `json:"status"`
		Batch   *uint64         `json:"batch,omitempty"`
		Channel string          `json:"channel"`
		PaidA   string          `json:"paidA"`
		PaidB   string          `json:"paidB"`
	}{out.Hash, out.Status, out.Batch, strconv.FormatUint(id, 10), strconv.FormatUint(uint64(ch.SplitA), 10), strconv.FormatUint(uint64(ch.SplitB), 10)}, func(w io.Writer) {
		out.print(w)
		fmt.Fprintf(w, "paid out:    %d gwei to account %d, %d gwei to account %d\n", ch.SplitA, ch.A, ch.SplitB, ch.B)
	})
}

func runChannelWatch(args []string, g *globals) error {
	f := g.flagSet("channel watch", "", "Watch your channels until interrupted: when one is closed unilaterally with a state older\n"+
		"than your latest co-signed one, challenge it with yours. Needs no password: only your channel\n"+
		"store (--channel-store, or the default one of --keyfile's key). keel channel listen watches too.")
	k := addKeyFlags(f)
	store := addStoreFlag(f)
	poll := f.Duration("poll", statechan.DefaultWatchInterval, "how often to read L2; keep it well inside the challenge period")
	logLevel := f.String("log-level", "warn", "log `level` on stderr: debug, info, warn or error")
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	if *poll <= 0 {
		return fmt.Errorf("--poll %s: want a positive duration", *poll)
	}
	dir := *store
	if dir == "" {
		if k.file == "" {
			return errors.New("set --channel-store, or --keyfile to watch its key's default channel store")
		}
		pub, err := keyFilePub(k.file)
		if err != nil {
			return err
		}
		dir = storeDir("", pub)
	}
	if _, err := os.Stat(dir); err != nil {
		return fmt.Errorf("no channel store at %s: open a channel first (keel channel open, listen or pay record it there)", dir)
	}
	log, err := channelLogger(g, *logLevel)
	if err != nil {
		return err
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	st, err := statechan.OpenStore(dir, &statechan.StoreOptions{Logger: log})
	if err != nil {
		return fmt.Errorf("open the channel store %s: %w (if keel channel listen runs on it, it watches already)", dir, err)
	}
	defer st.Close()
	w, err := statechan.NewWatcher(statechan.WatcherConfig{Chain: client.NewChannelChain(c), States: st, Interval: *poll, Logger: log})
	if err != nil {
		return err
	}
	ids, err := st.Channels()
	if err != nil {
		return err
	}
	if err := g.emit(map[string]any{"watching": dir, "channels": decimalIDs(ids)}, func(w io.Writer) {
		fmt.Fprintf(w, "watching %d channel(s) in %s every %s; Ctrl-C stops\n", len(ids), dir, *poll)
	}); err != nil {
		return err
	}
	// Check rounds are driven here rather than by Watcher.Start, so that
	// each challenge is reported on stdout.
	t := time.NewTicker(*poll)
	defer t.Stop()
	for {
		challenged, err := w.Check(g.ctx)
		for _, s := range challenged {
			out := map[string]any{"challenged": strconv.FormatUint(s.State.ChannelID, 10), "version": s.State.Version}
			if err := g.emit(out, func(w io.Writer) {
				fmt.Fprintf(w, "challenged a stale close of channel %d with version %d\n", s.State.ChannelID, s.State.Version)
			}); err != nil {
				return err
			}
		}
		if err != nil && g.ctx.Err() == nil {
			g.progressf("watch round failed, retrying: %v", err)
		}
		select {
		case <-g.ctx.Done():
			return nil
		case <-t.C:
		}
	}
}

// channelInfoOut is what `keel channel info` prints.
type channelInfoOut struct {
	// Chain is the channel as the last sealed batch holds it; nil when
	// L2 has none (not sealed yet, or settled).
	Chain *client.Channel `json:"chain"`
	// Local is your latest co-signed state, when your store has the
	// channel.
	Local *localStateOut `json:"local,omitempty"`
}

type localStateOut struct {
	Store    string `json:"store"`
	Version  uint64 `json:"version"`
	BalanceA string `json:"balanceA"`
	BalanceB string `json:"balanceB"`
	Final    bool   `json:"final"`
}

func runChannelInfo(args []string, g *globals) error {
	f := g.flagSet("channel info", "", "Show a channel as L2 holds it (status, parties, locked total, the recorded state, the\n"+
		"deadline of a unilateral close) and, given --keyfile or --channel-store, your latest co-signed state.")
	k := addKeyFlags(f)
	chS := addChannelFlag(f)
	store := addStoreFlag(f)
	if _, err := g.parseExact(f, args, 0); err != nil {
		return err
	}
	id, err := parseChannelID(*chS)
	if err != nil {
		return err
	}
	c, err := g.dial()
	if err != nil {
		return err
	}
	defer c.Close()
	var out channelInfoOut
	if out.Chain, err = c.GetChannel(g.ctx, id); err != nil {
		return err
	}
	dir := *store
	if dir == "" && k.file != "" {
		pub, err := keyFilePub(k.file)
		if err != nil {
			return err
		}
		dir = storeDir("", pub)
	}
	if dir != "" {
		if _, err := os.Stat(dir); err == nil {
			st, err := statechan.OpenStore(dir, nil)
			if err != nil {
				return fmt.Errorf("open the channel store %s: %w (a running keel channel listen or watch holds it; stop it to read your states)", dir, err)
			}
			latest, err := st.Latest(id)
			st.Close()
			switch {
			case err == nil:
				out.Local = &localStateOut{Store: dir, Version: latest.State.Version, BalanceA: strconv.FormatUint(latest.State.BalanceA, 10),
					BalanceB: strconv.FormatUint(latest.State.BalanceB, 10), Final: latest.State.Final}
			case !errors.Is(err, statechan.ErrUnknownChannel):
				return err
			}
		}
	}
	if out.Chain == nil && out.Local == nil {
		return fmt.Errorf("channel %d is not on L2 (never opened, its batch not sealed yet, or settled) and not in your channel store", id)
	}
	return g.emit(out, func(w io.Writer) {
		fmt.Fprintf(w, "channel:  %d\n", id)
		if ch := out.Chain; ch != nil {
			fmt.Fprintf(w, "on L2:    %s, leaf %d, accounts %d (A) and %d (B), as of batch %d\n", ch.Status, ch.Leaf, ch.A, ch.B, ch.Batch)
			fmt.Fprintf(w, "locked:   %d gwei\nstate:    version %d: A %d gwei, B %d gwei\nperiod:   %d s\n", ch.Total, ch.Version, ch.SplitA, ch.SplitB, ch.Period)
			if ch.Status == client.ChannelClosing {
				fmt.Fprintf(w, "deadline: batch time %d (%s): keel channel finalize after it\n", ch.Deadline, time.Unix(int64(ch.Deadline), 0).UTC().Format(time.RFC3339))
			}
		} else {
			fmt.Fprintln(w, "on L2:    none (not sealed yet, or settled)")
		}
		if l := out.Local; l != nil {
			final := ""
			if l.Final {
				final = ", final"
			}
			fmt.Fprintf(w, "yours:    version %d%s: A %s gwei, B %s gwei (in %s)\n", l.Version, final, l.BalanceA, l.BalanceB, l.Store)
		}
	})
}
