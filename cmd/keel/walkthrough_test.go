package main

import (
	"bytes"
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// walkthrough returns the command lines of the README's quick start, the
// block between the walkthrough markers.
func walkthrough(t *testing.T) []string {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	s := string(readme)
	begin, end := strings.Index(s, "<!-- walkthrough:begin -->"), strings.Index(s, "<!-- walkthrough:end -->")
	require.True(t, begin >= 0 && end > begin, "README has no walkthrough block")
	var lines []string
	for _, l := range strings.Split(s[begin:end], "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "<!--") || strings.HasPrefix(l, "```") || strings.HasPrefix(l, "#") {
			continue
		}
		lines = append(lines, l)
	}
	require.NotEmpty(t, lines)
	return lines
}

// startTestNode runs an in-process devnet small enough to prove in
// seconds (a depth-4 tree, 16-slot batches, keys cached across runs),
// stopped when the test ends.
func startTestNode(t *testing.T, ctx context.Context) *node.Node {
	t.Helper()
	cfg := node.DefaultConfig(t.TempDir())
	cfg.Depth, cfg.Slots = 4, 16
	cfg.L1.HTTPPort, cfg.L1.WSPort = 0, 0
	cfg.RPCAddr, cfg.MetricsAddr = "127.0.0.1:0", ""
	cfg.Fleet.Listen = ""
	cfg.KeysDir = filepath.Join(os.TempDir(), "keel-test-keys")
	cfg.BatchTimeout = 300 * time.Millisecond
	cfg.L1PollInterval = 200 * time.Millisecond
	n, err := node.New(cfg, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel))
	require.NoError(t, err)
	require.NoError(t, n.Start(ctx))
	t.Cleanup(func() { _ = n.Stop(context.Background()) })
	return n
}

// runWalkthrough runs the quick start's lines in order: an `export` sets
// the variable for the rest of the test, every other line is a keel
// command that must succeed.
func runWalkthrough(t *testing.T, ctx context.Context, lines []string) {
	t.Helper()
	for _, line := range lines {
		if v, ok := strings.CutPrefix(line, "export "); ok {
			k, val, found := strings.Cut(v, "=")
			require.True(t, found, "export line %q", line)
			t.Setenv(k, val)
			continue
		}
		args := strings.Fields(line)
		require.Equal(t, "keel", args[0], "walkthrough line %q", line)
		var stdout, stderr bytes.Buffer
		err := run(ctx, args[1:], &stdout, &stderr)
		t.Logf("$ %s\n%s%s", line, stdout.String(), stderr.String())
		require.NoError(t, err, "walkthrough line %q", line)
	}
}

// TestREADMEWalkthrough runs the README's quick start word for word
// against an in-process devnet (a small tree and batch, so that it proves
// in seconds), and checks the balances it should leave behind.
func TestREADMEWalkthrough(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet and proves; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	n := startTestNode(t, ctx)

	lines := walkthrough(t)
	t.Chdir(t.TempDir()) // the key files land here
	t.Setenv("KEEL_RPC", n.RPCEndpoint())
	runWalkthrough(t, ctx, lines)

	c, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	defer c.Close()
	alice, err := c.Account(ctx, 1)
	require.NoError(t, err)
	bob, err := c.Account(ctx, 2)
	require.NoError(t, err)
	// Alice: 1 ETH − 0.25 ETH − 0.5 ETH − two 1-gwei fees; Bob: 0.1 + 0.25 ETH.
	require.Equal(t, "249999998", alice.Balance)
	require.Equal(t, "350000000", bob.Balance)
	ws, err := c.Withdrawals(ctx, n.L1().DevAccounts()[1].Address)
	require.NoError(t, err)
	require.Len(t, ws, 1)
	require.Equal(t, "500000000", ws[0].Amount)
	require.True(t, ws[0].Claimable)
}

// TestWalletDeposit: keel deposit --calldata prints a transaction that a
// wallet sends as is, with no curve arithmetic of its own; sent as a raw
// signed transaction, it credits the right account, and the money is
// the L1 value's.
func TestWalletDeposit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	n := startTestNode(t, ctx)
	t.Setenv("KEEL_RPC", n.RPCEndpoint())
	carol, err := vm.GenerateKey()
	require.NoError(t, err)
	pub, err := carol.Public().MarshalText()
	require.NoError(t, err)
	out := keel(t, ctx, "deposit", "--calldata", "--json", "--pubkey", string(pub), "--amount", "0.01eth")
	var tx struct {
		To    common.Address `json:"to"`
		Value string         `json:"value"`
		Data  hexutil.Bytes  `json:"data"`
	}
	require.NoError(t, json.Unmarshal(out, &tx), "%s", out)
	require.Equal(t, n.Deployment().Rollup, tx.To)
	require.Equal(t, "10000000000000000", tx.Value)

	// The wallet: a plain signed transaction with to, value and data.
	eth, err := ethclient.DialContext(ctx, n.L1Endpoint())
	require.NoError(t, err)
	defer eth.Close()
	payer := n.L1().DevAccounts()[3]
	nonce, err := eth.PendingNonceAt(ctx, payer.Address)
	require.NoError(t, err)
	tip, err := eth.SuggestGasTipCap(ctx)
	require.NoError(t, err)
	head, err := eth.HeaderByNumber(ctx, nil)
	require.NoError(t, err)
	chain, err := eth.ChainID(ctx)
	require.NoError(t, err)
	value, ok := new(big.Int).SetString(tx.Value, 10)
	require.True(t, ok)
	gas, err := eth.EstimateGas(ctx, ethereum.CallMsg{From: payer.Address, To: &tx.To, Value: value, Data: tx.Data})
	require.NoError(t, err)
	signed, err := types.SignNewTx(payer.Key, types.LatestSignerForChainID(chain), &types.DynamicFeeTx{
		ChainID: chain, Nonce: nonce, GasTipCap: tip, GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas: gas, To: &tx.To, Value: value, Data: tx.Data})
	require.NoError(t, err)
	require.NoError(t, eth.SendTransaction(ctx, signed))
	t.Logf("a wallet deposit costs %d gas", gas)

	c, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	defer c.Close()
	for {
		a, err := c.AccountByKey(ctx, carol.Public())
		require.NoError(t, err)
		if a != nil {
			require.Equal(t, "10000000", a.Balance, "the account is credited with the L1 value, in gwei")
			require.Equal(t, carol.Public(), *a.PubKey)
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("the wallet deposit was never credited")
		case <-time.After(100 * time.Millisecond):
		}
	}
	// A key that is no key is refused before anything is printed.
	_, err = keelErr(ctx, "deposit", "--calldata", "--pubkey", "0x"+strings.Repeat("11", 32), "--amount", "1")
	require.ErrorContains(t, err, "--pubkey")
}
