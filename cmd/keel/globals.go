package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"reflect"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
)

// defaultRPC is where `keel devnet` serves the keel_ JSON-RPC API.
const defaultRPC = "http://127.0.0.1:9545"

// globals is what every command gets besides its own arguments. devnet.go
// and in-process tests use it as the other commands do.
//
//   - ctx ends on SIGINT or SIGTERM (main) or when a test says so; waits
//     and long-running commands (keel devnet) return when it does.
//   - stdout receives results only: text, or with --json exactly one JSON
//     object per result, so that `keel … --json | jq` works. stderr
//     receives usage and progress ("waiting for …"); main prints errors
//     there too.
//   - rpcURL and jsonOut are the common flags --rpc (KEEL_RPC, default
//     http://127.0.0.1:9545) and --json. Every FlagSet made by g.flagSet
//     carries them, so they go anywhere after the command name; g.parse
//     fills them in. (keel devnet can serve on g.rpcURL, so that one
//     KEEL_RPC points both sides at the same place.)
//   - lookupEnv reads the KEEL_ variables (envVar): os.LookupEnv, or a
//     map in tests.
//
// A command is a func(args []string, g *globals) error that first builds
// its flags with g.flagSet, parses them with g.parse (which reads the
// KEEL_ variables, and answers -h with flag.ErrHelp before the command
// does anything), then works. The flags test runs every command of the
// table with -h and checks the FlagSet it parsed.
type globals struct {
	ctx       context.Context
	stdout    io.Writer
	stderr    io.Writer
	rpcURL    string
	jsonOut   bool
	lookupEnv func(string) (string, bool)

	// flagSets records every FlagSet parsed, for the flags test.
	flagSets []*flag.FlagSet
}

func newGlobals(ctx context.Context, stdout, stderr io.Writer) *globals {
	return &globals{ctx: ctx, stdout: stdout, stderr: stderr, rpcURL: defaultRPC, lookupEnv: os.LookupEnv}
}

// Environment variables are scoped by role, as op-node's OP_NODE_* are, so
// that a variable set for one command never changes another's meaning:
// KEEL_L1_RPC, set for `keel deposit`, must not turn a devnet into a node on
// another L1. The client commands (keys, deposits, transfers, queries,
// exits) share KEEL_<FLAG>; each long-running role has its own prefix; and
// the common flags --rpc and --json, whose meaning is one everywhere, keep
// KEEL_RPC and KEEL_JSON.
var envRoles = map[string]string{
	"devnet":   "NODE",
	"node":     "NODE",
	"prover":   "PROVER",
	"follow":   "FOLLOW",
	"l1":       "L1NODE",
	"ceremony": "CEREMONY",
	"deploy":   "DEPLOY",
	"sponsor":  "SPONSOR",
}

// commonFlags are the flags every FlagSet carries, read from unscoped
// variables.
var commonFlags = map[string]bool{"rpc": true, "json": true}

// envVar is the environment variable that sets flag flagName of the
// FlagSet named fsName ("keel devnet"): --l1-rpc is KEEL_NODE_L1_RPC for
// keel devnet and KEEL_L1_RPC for keel deposit.
func envVar(fsName, flagName string) string {
	name := strings.ToUpper(strings.ReplaceAll(flagName, "-", "_"))
	if commonFlags[flagName] {
		return "KEEL_" + name
	}
	cmd, _, _ := strings.Cut(strings.TrimPrefix(fsName, "keel "), " ")
	if role, ok := envRoles[cmd]; ok {
		return "KEEL_" + role + "_" + name
	}
	return "KEEL_" + name
}

// flagSet returns the FlagSet of command name (for example "account new"),
// with the common flags bound to g. args names the positional arguments in
// the usage line; summary is the usage's description.
func (g *globals) flagSet(name, args, summary string) *flag.FlagSet {
	fs := flag.NewFlagSet("keel "+name, flag.ContinueOnError)
	// The flag package prints parse errors to Output; main prints them
	// once, so only the usage goes out, through Usage.
	fs.SetOutput(io.Discard)
	fs.Usage = func() { printFlagUsage(g.stderr, fs, args, summary) }
	fs.StringVar(&g.rpcURL, "rpc", defaultRPC, "the Keel node's JSON-RPC endpoint `URL`, http(s):// or ws(s)://")
	fs.BoolVar(&g.jsonOut, "json", false, "print the result as one JSON object")
	return fs
}

// parse sets every flag of fs from its KEEL_ variable, then parses args
// over them, so the command line wins. Flags and positional arguments may
// be mixed (`keel batch 7 --json`); everything after "--" is positional.
// It returns the positional arguments.
func (g *globals) parse(fs *flag.FlagSet, args []string) ([]string, error) {
	g.flagSets = append(g.flagSets, fs)
	var envErr error
	fs.VisitAll(func(f *flag.Flag) {
		v, ok := g.lookupEnv(envVar(fs.Name(), f.Name))
		if !ok || envErr != nil {
			return
		}
		if err := fs.Set(f.Name, v); err != nil {
			envErr = fmt.Errorf("%s: environment variable %s=%q: %v", fs.Name(), envVar(fs.Name(), f.Name), v, err)
		}
	})
	if envErr != nil {
		return nil, envErr
	}
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, fmt.Errorf("%s: %v (see `%s -h`)", fs.Name(), err, fs.Name())
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		if consumed := len(args) - len(rest); consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		pos, args = append(pos, rest[0]), rest[1:]
	}
}

// parseExact is parse for a command that takes exactly n positional
// arguments.
func (g *globals) parseExact(fs *flag.FlagSet, args []string, n int) ([]string, error) {
	pos, err := g.parse(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) != n {
		want := "no arguments"
		if n > 0 {
			want = fmt.Sprintf("%d argument(s)", n)
		}
		return nil, fmt.Errorf("`%s` takes %s, got %q (see `%s -h`)", fs.Name(), want, pos, fs.Name())
	}
	return pos, nil
}

func printFlagUsage(w io.Writer, fs *flag.FlagSet, args, summary string) {
	line := fs.Name() + " [flags]"
	if args != "" {
		line += " " + args
	}
	fmt.Fprintf(w, "usage: %s\n\n%s\n\nflags (each also read from its environment variable; the command line wins):\n", line, summary)
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		name := "--" + f.Name
		if arg != "" {
			name += " " + arg
		}
		def := ""
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0" {
			def = fmt.Sprintf(" (default %s)", f.DefValue)
		}
		fmt.Fprintf(w, "  %-24s %s%s [%s]\n", name, usage, def, envVar(fs.Name(), f.Name))
	})
}

// sameTypeAcrossCommands reports flags that two commands define with
// different types under one environment variable, which then cannot suit
// both.
func sameTypeAcrossCommands(sets []*flag.FlagSet) error {
	types := map[string]reflect.Type{}
	var errs []error
	for _, fs := range sets {
		fs.VisitAll(func(f *flag.Flag) {
			t := reflect.TypeOf(f.Value)
			env := envVar(fs.Name(), f.Name)
			if prev, ok := types[env]; ok && prev != t {
				errs = append(errs, fmt.Errorf("--%s (%s) is a %v in one command and a %v in %s", f.Name, env, prev, t, fs.Name()))
			}
			types[env] = t
		})
	}
	return errors.Join(errs...)
}

// emit prints a command's result: v as one JSON object with --json, else
// text.
func (g *globals) emit(v any, text func(w io.Writer)) error {
	if g.jsonOut {
		return json.NewEncoder(g.stdout).Encode(v)
	}
	text(g.stdout)
	return nil
}

// progressf tells the user what the command is waiting for, on stderr.
func (g *globals) progressf(format string, args ...any) {
	fmt.Fprintf(g.stderr, format+"\n", args...)
}

// unreachableError is the advice shown when the node does not answer; it
// still wraps client.ErrUnreachable.
type unreachableError struct {
	url string
	err error
}

func (e *unreachableError) Error() string {
	return fmt.Sprintf("cannot reach the Keel node at %s: is `keel devnet` running? (set --rpc or KEEL_RPC)", e.url)
}

func (e *unreachableError) Unwrap() error { return e.err }

// dial connects to the node at --rpc.
func (g *globals) dial() (*client.Client, error) {
	c, err := client.Dial(g.ctx, g.rpcURL)
	if errors.Is(err, client.ErrBadURL) {
		return nil, fmt.Errorf("--rpc (or KEEL_RPC): %w", err)
	}
	return c, err
}

// dialL1 connects to the L1 node at url (--l1-rpc, else the endpoint the
// Keel node shares) and checks that it answers.
func (g *globals) dialL1(url string, info *client.ChainInfo) (*ethclient.Client, error) {
	if url == "" {
		url = info.L1RPC
	}
	if url == "" {
		return nil, errors.New("the Keel node does not share its L1 endpoint: set --l1-rpc or KEEL_L1_RPC")
	}
	l1, err := dialL1Client(g, url)
	var id *big.Int
	if err == nil {
		if id, err = l1.ChainID(g.ctx); err != nil {
			l1.Close()
		}
	}
	if err != nil {
		var netErr net.Error
		if errors.As(err, &netErr) {
			return nil, fmt.Errorf("cannot reach the L1 node at %s: %v (set --l1-rpc or KEEL_L1_RPC)", url, err)
		}
		return nil, fmt.Errorf("L1 node at %s: %w", url, err)
	}
	if id.Uint64() != uint64(info.L1ChainID) {
		l1.Close()
		return nil, fmt.Errorf("the L1 node at %s is chain %d, but the rollup settles on chain %d: check --l1-rpc", url, id.Uint64(), info.L1ChainID)
	}
	return l1, nil
}

// keyFlags are --keyfile and --password, which every command that signs
// uses.
type keyFlags struct {
	file, password string
}

func addKeyFlags(fs *flag.FlagSet) *keyFlags {
	k := new(keyFlags)
	fs.StringVar(&k.file, "keyfile", "", "the L2 key `FILE` (made by keel account new, import or derive)")
	fs.StringVar(&k.password, "password", "", "the key file's `PASSWORD`")
	return k
}

// passwordOrErr returns the password. golang.org/x/term is not among the
// module's dependencies, so there is no hidden-input prompt: the password
// comes from the flag or KEEL_PASSWORD.
func (k *keyFlags) passwordOrErr() (string, error) {
	if k.password == "" {
		return "", errors.New("set --password or KEEL_PASSWORD")
	}
	return k.password, nil
}

// load decrypts the key file.
func (k *keyFlags) load() (*vm.PrivateKey, error) {
	if k.file == "" {
		return nil, errors.New("set --keyfile or KEEL_KEYFILE (make one with `keel account new`)")
	}
	pw, err := k.passwordOrErr()
	if err != nil {
		return nil, err
	}
	data, err := os.ReadFile(k.file)
	if err != nil {
		return nil, fmt.Errorf("read key file: %w", err)
	}
	key, err := vm.DecryptKey(data, pw)
	if errors.Is(err, vm.ErrWrongPassword) {
		return nil, fmt.Errorf("key file %s: wrong password (or a damaged file)", k.file)
	}
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", k.file, err)
	}
	return key, nil
}

// parseL1Key reads an Ethereum private key given as hex. Errors never
// repeat the key.
func parseL1Key(s string) (*ecdsa.PrivateKey, error) {
	if s == "" {
		return nil, errors.New("set --l1-key or KEEL_L1_KEY (an Ethereum private key, 0x + 64 hex digits)")
	}
	k, err := crypto.HexToECDSA(strings.TrimPrefix(s, "0x"))
	if err != nil {
		return nil, errors.New("--l1-key is not an Ethereum private key: want 0x + 64 hex digits")
	}
	return k, nil
}

// signer is what a command that signs an L2 transaction works with.
type signer struct {
	key  *vm.PrivateKey
	c    *client.Client // the caller closes it
	from *client.Account
	fee  uint64
}

// openSigner loads the key file, dials the node, finds the key's account
// and settles the fee (feeS, or the node's minimum when empty).
func openSigner(g *globals, k *keyFlags, feeS string) (*signer, error) {
	key, err := k.load()
	if err != nil {
		return nil, err
	}
	c, err := g.dial()
	if err != nil {
		return nil, err
	}
	from, err := ownAccount(g, c, key)
	if err != nil {
		c.Close()
		return nil, err
	}
	fee, err := feeOrMin(g, c, feeS)
	if err != nil {
		c.Close()
		return nil, err
	}
	return &signer{key: key, c: c, from: from, fee: fee}, nil
}

// ownAccount returns the L2 account of key, with advice when it has none.
func ownAccount(g *globals, c *client.Client, key *vm.PrivateKey) (*client.Account, error) {
	acc, err := c.AccountByKey(g.ctx, key.Public())
	if err != nil {
		return nil, err
	}
	if acc == nil {
		return nil, fmt.Errorf("no L2 account for this key (%s) yet: deposit first with `keel deposit`", key.Public())
	}
	return acc, nil
}

// waitFlag is --wait: how far to follow a transaction before returning.
// It takes a status (pending, sequenced, proven, finalized), or true
// (sequenced) or false (pending: return once the node has the
// transaction).
type waitFlag struct{ status client.TxStatus }

func (w *waitFlag) String() string {
	if w == nil {
		return ""
	}
	return string(w.status)
}

func (w *waitFlag) Set(s string) error {
	switch st := client.TxStatus(strings.ToLower(s)); st {
	case "true", "yes":
		w.status = client.StatusSequenced
	case "false", "no", "none":
		w.status = client.StatusPending
	case client.StatusPending, client.StatusSequenced, client.StatusProven, client.StatusFinalized:
		w.status = st
	default:
		return errors.New("want pending, sequenced, proven or finalized (or true/false)")
	}
	return nil
}

func addWaitFlag(fs *flag.FlagSet, def client.TxStatus, what string) *waitFlag {
	w := &waitFlag{status: def}
	fs.Var(w, "wait", "how far to follow the "+what+", `STATUS`: pending (do not wait), sequenced, proven or finalized")
	return w
}

// waitThrough follows a transaction status by status up to want, telling
// the user each step, and returns the last receipt.
func waitThrough(g *globals, c *client.Client, h common.Hash, want client.TxStatus) (*client.Receipt, error) {
	var r *client.Receipt
	for _, st := range []client.TxStatus{client.StatusPending, client.StatusSequenced, client.StatusProven, client.StatusFinalized} {
		if st.Rank() > want.Rank() {
			break
		}
		if r != nil && r.Status.Rank() >= st.Rank() {
			continue
		}
		if st != client.StatusPending {
			g.progressf("waiting for %s to be %s…", h, st)
		}
		var err error
		if r, err = c.WaitForStatus(g.ctx, h, st); err != nil {
			return r, err
		}
	}
	return r, nil
}

// The client commands' L1 flags, defined once: --l1-rpc and --l1-key mean
// the same in every command that takes them (and read the same
// KEEL_L1_RPC and KEEL_L1_KEY).

// addL1RPCFlag adds --l1-rpc, the L1 endpoint a client command sends to.
func addL1RPCFlag(f *flag.FlagSet) *string {
	return f.String("l1-rpc", "", "the L1 JSON-RPC endpoint `URL` (default: the one the Keel node at --rpc shares)")
}

// addL1KeyFlag adds --l1-key; what says what the key does here.
func addL1KeyFlag(f *flag.FlagSet, what string) *string {
	usage := "the Ethereum private `KEY`, 0x + 64 hex digits"
	if what != "" {
		usage = "the Ethereum private `KEY` " + what + ", 0x + 64 hex digits"
	}
	return f.String("l1-key", "", usage)
}

// l1CallTimeout bounds each HTTP request to the L1, so that an endpoint
// that accepts a request and never answers cannot hang a command (the
// keel client's calls have client.DefaultCallTimeout).
var l1CallTimeout = 60 * time.Second

// dialL1Client dials an L1 endpoint for a client command: over HTTP each
// request times out after l1CallTimeout; a WebSocket's calls end with the
// command's context.
func dialL1Client(g *globals, url string) (*ethclient.Client, error) {
	c, err := rpc.DialOptions(g.ctx, url, rpc.WithHTTPClient(&http.Client{Timeout: l1CallTimeout}))
	if err != nil {
		return nil, err
	}
	return ethclient.NewClient(c), nil
}
