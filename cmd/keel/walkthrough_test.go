package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/node"
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
