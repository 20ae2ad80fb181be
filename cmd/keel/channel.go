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
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

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
		{name: "challenge", summary: "challenge a stale close with your latest state, on L2 or --l1 through the priority queue", run: runChannelChallenge},
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

// existingStoreDir is the channel store a command that needs no password
// reads: --channel-store, or --keyfile's key's default store; it must
// exist.
func existingStoreDir(k *keyFlags, flag string) (string, error) {
	dir := flag
	if dir == "" {
		if k.file == "" {
			return "", errors.New("set --channel-store, or --keyfile to use its key's default channel store")
		}
		pub, err := keyFilePub(k.file)
		if err != nil {
			return "", err
		}
		dir = storeDir("", pub)
	}
	if _, err := os.Stat(dir); err != nil {
		return "", fmt.Errorf("no channel store at %s: open a channel first (keel channel open, listen or pay record it there)", dir)
	}
	return dir, nil
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

func decimalIDs(ids []uint64) []string {
	out := make([]string, len(ids))
	for i, id := range ids {
		out[i] = strconv.FormatUint(id, 10)
	}
	return out
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
