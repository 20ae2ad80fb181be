package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// BenchmarkFleetScaling measures proven transfers per second at the
// devnet's production shape (8-slot batches, depth 24) with `keel prover`
// processes as the only provers: one worker and two workers at
// GOMAXPROCS=1 each (linear scaling would be 2×), and one worker at
// GOMAXPROCS=2 for comparison. Each case first proves one batch per
// worker (compiling the circuit and loading the keys), then times ten
// full batches from the first transfer sent to the last batch proven.
func BenchmarkFleetScaling(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 40*time.Minute)
	defer cancel()
	dir := b.TempDir()
	logs := processLogs(b, dir)
	cfg := node.DefaultConfig(filepath.Join(dir, "node"))
	cfg.L1.HTTPPort, cfg.L1.WSPort = 0, 0
	cfg.RPCAddr, cfg.MetricsAddr = "127.0.0.1:0", ""
	cfg.Fleet.Listen, cfg.Fleet.LocalProvers = "127.0.0.1:0", 0
	keysDir := filepath.Join(os.TempDir(), "keel-bench-keys")
	cfg.KeysDir = keysDir
	n, err := node.New(cfg, zerolog.New(zerolog.NewTestWriter(b)).Level(zerolog.WarnLevel))
	require.NoError(b, err)
	require.NoError(b, n.Start(ctx))
	defer n.Stop(context.Background())
	natsURL, creds := n.FleetEndpoint()
	c, err := client.Dial(ctx, n.WSEndpoint())
	require.NoError(b, err)
	defer c.Close()

	// Two funded users; the deposits' batch waits for the first worker.
	type sender struct {
		key   *vm.PrivateKey
		index uint32
		nonce uint32
	}
	var users [2]*sender
	for i := range users {
		seed := sha256.Sum256(fmt.Appendf(nil, "fleet bench user %d", i))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(b, err)
		users[i] = &sender{key: k}
		_, err = client.Deposit(ctx, n.L1Client(), n.Deployment().Rollup, n.L1().DevAccounts()[i+1].Key, k.Public(), 1_000_000_000)
		require.NoError(b, err)
	}
	for _, u := range users {
		for {
			a, err := c.AccountByKey(ctx, u.key.Public())
			require.NoError(b, err)
			if a != nil {
				u.index = a.Index
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	// fill sends batches full batches of transfers (7 and a fee payout).
	fill := func(batches int) {
		for range 7 * batches {
			tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: users[0].index, To: users[1].index, Amount: 1000, Fee: 1, Nonce: users[0].nonce}
			require.NoError(b, tx.Sign(users[0].key))
			_, err := c.SendTransaction(ctx, tx)
			require.NoError(b, err)
			users[0].nonce++
		}
	}
	// proven waits until every sealed batch is proven and nothing waits.
	proven := func() {
		for {
			info, err := c.ChainInfo(ctx)
			require.NoError(b, err)
			if info.Pending == 0 && info.Proven == info.Head {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	const batches = 10
	for _, tc := range []struct {
		name              string
		workers, maxprocs int
	}{
		{"1 worker GOMAXPROCS=1", 1, 1},
		{"2 workers GOMAXPROCS=1", 2, 1},
		{"1 worker GOMAXPROCS=2", 1, 2},
	} {
		b.Run(tc.name, func(b *testing.B) {
			os.Setenv("GOMAXPROCS", strconv.Itoa(tc.maxprocs))
			var workers []*child
			for i := range tc.workers {
				workers = append(workers, spawn(b, logs, "prover", "--json", "--nats-url", natsURL, "--creds", creds,
					"--keys-dir", keysDir, "--name", fmt.Sprintf("bench-%d", i), "--log-level", "warn"))
			}
			os.Unsetenv("GOMAXPROCS")
			defer func() {
				for _, w := range workers {
					w.kill()
				}
			}()
			fill(tc.workers) // warm up: one batch each
			proven()
			b.ResetTimer()
			t0 := time.Now()
			fill(batches)
			proven()
			took := time.Since(t0)
			b.StopTimer()
			b.ReportMetric(float64(7*batches)/took.Seconds(), "proven-tx/s")
			b.ReportMetric(took.Seconds()/batches, "s/batch")
			b.ReportMetric(0, "ns/op")
		})
	}
}
