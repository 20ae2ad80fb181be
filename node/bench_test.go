package node_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/vm"
	dto "github.com/prometheus/client_model/go"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

// benchConfig is the devnet's production shape (depth-24 tree, default
// batch), with keys cached in the temp dir across benchmark runs.
func benchConfig(b *testing.B) node.Config {
	cfg := node.DefaultConfig(b.TempDir())
	cfg.L1.HTTPPort, cfg.L1.WSPort = 0, 0
	cfg.RPCAddr, cfg.MetricsAddr = "127.0.0.1:0", ""
	cfg.Fleet.Listen = ""
	cfg.KeysDir = filepath.Join(os.TempDir(), "keel-bench-keys")
	return cfg
}

// fundAccounts deposits for n fresh L2 keys, spread over the dev
// accounts, and waits until all are credited.
func fundAccounts(b *testing.B, ctx context.Context, n *node.Node, c *rpc.Client, count int, gwei uint64) []*user {
	users := make([]*user, count)
	devs := n.L1().DevAccounts()[1:]
	r := l1contracts.NewRollup()
	inst := r.Instance(n.L1Client(), n.Deployment().Rollup)
	var g errgroup.Group
	for d := range devs {
		g.Go(func() error {
			opts := bind.NewKeyedTransactor(devs[d].Key, n.L1().ChainID())
			opts.Value = new(big.Int).Mul(new(big.Int).SetUint64(gwei), big.NewInt(1e9))
			var last *types.Transaction
			for i := d; i < count; i += len(devs) {
				seed := sha256.Sum256(fmt.Appendf(nil, "bench user %d", i))
				k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
				if err != nil {
					return err
				}
				users[i] = &user{key: k}
				pub := k.Public()
				tx, err := bind.Transact(inst, opts, r.PackDeposit(vm.DepositKeyOf(pub)))
				if err != nil {
					return err
				}
				opts.Nonce = new(big.Int).SetUint64(tx.Nonce() + 1)
				last = tx
			}
			if last != nil {
				_, err := bind.WaitMined(ctx, n.L1Client(), last.Hash())
				return err
			}
			return nil
		})
	}
	require.NoError(b, g.Wait())
	for _, u := range users {
		for u.index == 0 {
			var a *client.Account
			require.NoError(b, c.Call(&a, "keel_getAccountByKey", u.key.Public()))
			if a != nil {
				u.index = a.Index
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	return users
}

// BenchmarkRPCIngest measures signed transfers accepted durably through the
// JSON-RPC API (WebSocket, 8 connections, 512 sending accounts), with the
// acknowledgement latency's p50 and p99, in two ways on one node:
//
//   - single: 64 goroutines, one keel_sendTransaction call per transfer;
//   - sender: 128 goroutines, each taking whole accounts in turn (nonces
//     in order), sending through a client.Sender per connection, which
//     groups what arrives together into keel_sendTransactions calls of up
//     to 256. By Little's law the latency is the goroutines over the rate,
//     so 128 keeps it near 13 ms at 10,000 a second.
//
// The prover is off: this is the ingest path (decode, signature check,
// mempool, synced journal write), with the sequencer executing and
// sealing beside it. Besides the acknowledgement rate it reports
// sealed-tx/s, the rate up to the moment the last acknowledged transfer
// is in a sealed batch, and cpu-µs/tx, the whole process's CPU time (the
// benchmark's own RPC clients included) over the transfers acknowledged.
func BenchmarkRPCIngest(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cfg := benchConfig(b)
	cfg.DisableProver = true
	cfg.RPCRateLimit = 0 // the benchmark is one client flooding on purpose
	cfg.Mempool.MaxTxs = 1 << 20
	n, err := node.New(cfg, testLogger(b).Level(zerolog.WarnLevel))
	require.NoError(b, err)
	require.NoError(b, n.Start(ctx))
	defer n.Stop(context.Background())
	c, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(b, err)
	defer c.Close()

	const accounts, perRound = 512, 40
	users := fundAccounts(b, ctx, n, c, accounts, 1_000_000_000)
	// round r holds nonces r*perRound .. r*perRound+perRound-1 of every
	// account, account-major so that one account's run is contiguous.
	round := func(r int) [][]*vm.Tx {
		out := make([][]*vm.Tx, accounts)
		var sg errgroup.Group
		sg.SetLimit(4)
		for i, u := range users {
			to := users[(i+1)%len(users)]
			out[i] = make([]*vm.Tx, perRound)
			for j := range perRound {
				tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: u.index, To: to.index, Amount: 1000, Fee: 1, Nonce: uint32(r*perRound + j)}
				out[i][j] = tx
				sg.Go(func() error { return tx.Sign(u.key) })
			}
		}
		require.NoError(b, sg.Wait())
		return out
	}
	const conns = 8
	senderGoroutines := 128
	if v, _ := strconv.Atoi(os.Getenv("KEEL_BENCH_SENDER_GOROUTINES")); v > 0 {
		senderGoroutines = v
	}
	clients := make([]*rpc.Client, conns)
	for i := range clients {
		clients[i], err = rpc.DialContext(ctx, n.WSEndpoint())
		require.NoError(b, err)
		defer clients[i].Close()
	}
	waitSealed := func() {
		for {
			var info client.ChainInfo
			require.NoError(b, c.Call(&info, "keel_chainInfo"))
			if info.Pending == 0 {
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}
	report := func(mode string, count int, lat []time.Duration, acked, sealed time.Duration, cpu time.Duration) {
		slices.Sort(lat)
		b.ReportMetric(float64(count)/acked.Seconds(), mode+"-tx/s")
		b.ReportMetric(float64(count)/sealed.Seconds(), mode+"-sealed-tx/s")
		b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, mode+"-p50-ms")
		b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, mode+"-p99-ms")
		b.ReportMetric(float64(cpu.Microseconds())/float64(count), mode+"-cpu-µs/tx")
	}
	b.ResetTimer()

	// drive runs goroutines senders, each taking whole accounts in turn and
	// sending their transfers in nonce order with send, and reports the
	// rates, latencies and CPU under mode.
	drive := func(mode string, txs [][]*vm.Tx, goroutines int, send func(g int, tx *vm.Tx) error) {
		lat := make([]time.Duration, 0, accounts*perRound)
		var mu sync.Mutex
		var next atomic.Int64
		var wg sync.WaitGroup
		cpu0 := processCPU()
		start := time.Now()
		for g := range goroutines {
			wg.Go(func() {
				for {
					i := int(next.Add(1)) - 1
					if i >= accounts {
						return
					}
					for _, tx := range txs[i] {
						t0 := time.Now()
						if err := send(g, tx); err != nil {
							b.Errorf("%s, account %d: %v", mode, i, err)
							return
						}
						mu.Lock()
						lat = append(lat, time.Since(t0))
						mu.Unlock()
					}
				}
			})
		}
		wg.Wait()
		acked, cpu := time.Since(start), processCPU()-cpu0
		waitSealed()
		report(mode, accounts*perRound, lat, acked, time.Since(start), cpu)
	}

	// Single calls: 64 goroutines over 8 connections.
	// KEEL_BENCH_INGEST=sender skips them, to profile the Sender alone.
	rounds := 0
	if os.Getenv("KEEL_BENCH_INGEST") != "sender" {
		rounds++
		drive("single", round(0), 64, func(g int, tx *vm.Tx) error {
			var h common.Hash
			return clients[g%conns].Call(&h, "keel_sendTransaction", tx)
		})
	}

	// The Sender: a client.Sender per connection.
	senderConns, _ := strconv.Atoi(os.Getenv("KEEL_BENCH_SENDER_CONNS"))
	if senderConns <= 0 {
		senderConns = 2
	}
	senders := make([]*client.Sender, min(senderConns, conns))
	for i := range senders {
		senders[i], err = client.NewSender(client.NewClient(clients[i]), client.SenderOptions{})
		require.NoError(b, err)
		defer senders[i].Close()
	}
	drive("sender", round(rounds), senderGoroutines, func(g int, tx *vm.Tx) error {
		_, err := senders[g%len(senders)].Send(ctx, tx)
		return err
	})
	b.StopTimer()
	b.ReportMetric(0, "ns/op")
}

// processCPU is the process's user and system CPU time so far.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// BenchmarkFinality measures the time from keel_sendTransaction to
// finalized on L1 with the devnet's default batch (8 slots, depth 24):
// batch timeout, proof and L1 commit. It also reports the prover's
// throughput in transfers per second.
func BenchmarkFinality(b *testing.B) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Minute)
	defer cancel()
	cfg := benchConfig(b)
	n, err := node.New(cfg, testLogger(b).Level(zerolog.WarnLevel))
	require.NoError(b, err)
	require.NoError(b, n.Start(ctx))
	defer n.Stop(context.Background())
	c, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(b, err)
	defer c.Close()
	users := fundAccounts(b, ctx, n, c, 2, 1_000_000_000)
	waitAll := func() {
		for {
			var info client.ChainInfo
			require.NoError(b, c.Call(&info, "keel_chainInfo"))
			if info.Finalized == info.Head && info.Pending == 0 {
				return
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	waitAll()
	const rounds = 3
	var total, worst time.Duration
	b.ResetTimer()
	for r := 0; r < rounds; r++ {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: users[0].index, To: users[1].index, Amount: 1000, Fee: 1, Nonce: uint32(r)}
		require.NoError(b, tx.Sign(users[0].key))
		t0 := time.Now()
		var h common.Hash
		require.NoError(b, c.Call(&h, "keel_sendTransaction", tx))
		for {
			var rc *client.Receipt
			require.NoError(b, c.Call(&rc, "keel_getTransactionReceipt", h))
			if rc.Status == client.StatusFinalized {
				break
			}
			time.Sleep(50 * time.Millisecond)
		}
		d := time.Since(t0)
		total += d
		worst = max(worst, d)
	}
	b.StopTimer()
	b.ReportMetric(total.Seconds()/rounds, "s-to-final")
	b.ReportMetric(worst.Seconds(), "s-worst")

	// Prover throughput: full batches back to back.
	const full = 7 * 4 // four batches of 7 transfers and a fee payout
	fams, err := n.Registry().Gather()
	require.NoError(b, err)
	before := proverTotals(fams)
	for i := 0; i < full; i++ {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: users[0].index, To: users[1].index, Amount: 1000, Fee: 1, Nonce: uint32(rounds + i)}
		require.NoError(b, tx.Sign(users[0].key))
		var h common.Hash
		require.NoError(b, c.Call(&h, "keel_sendTransaction", tx))
	}
	waitAll()
	fams, err = n.Registry().Gather()
	require.NoError(b, err)
	after := proverTotals(fams)
	b.ReportMetric((after[0]-before[0])/(after[1]-before[1]), "proven-tx/s")
	b.ReportMetric(0, "ns/op")
}

// proverTotals reads transactions proven and seconds spent proving.
func proverTotals(fams []*dto.MetricFamily) [2]float64 {
	var out [2]float64
	for _, f := range fams {
		switch f.GetName() {
		case "keel_prover_txs_total":
			out[0] = f.GetMetric()[0].GetCounter().GetValue()
		case "keel_fleet_worker_prove_seconds":
			out[1] = f.GetMetric()[0].GetHistogram().GetSampleSum()
		}
	}
	return out
}

// BenchmarkSettledLoad measures the devnet as it ships (8 slots, depth
// 24, one local prover on the fleet's queue) under load, in two phases:
//   - settled throughput: 200 transfers sent as fast as they are
//     accepted, timed until the last is finalized on L1;
//   - sustained finality: transfers at 80% of that rate for
//     KEEL_BENCH_SUSTAIN (default 10m), each timed from its submission to
//     finalized on L1 (p50, p99), with the process's resident memory at
//     the start and the end of the phase.
func BenchmarkSettledLoad(b *testing.B) {
	sustain := 10 * time.Minute
	if v := os.Getenv("KEEL_BENCH_SUSTAIN"); v != "" {
		d, err := time.ParseDuration(v)
		require.NoError(b, err)
		sustain = d
	}
	ctx, cancel := context.WithTimeout(context.Background(), sustain+30*time.Minute)
	defer cancel()
	cfg := benchConfig(b)
	n, err := node.New(cfg, testLogger(b).Level(zerolog.WarnLevel))
	require.NoError(b, err)
	require.NoError(b, n.Start(ctx))
	defer n.Stop(context.Background())
	c, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(b, err)
	defer c.Close()
	users := fundAccounts(b, ctx, n, c, 4, 1_000_000_000)
	final := func(h common.Hash) bool {
		var rc *client.Receipt
		err := c.Call(&rc, "keel_getTransactionReceipt", h)
		return err == nil && rc != nil && rc.Status == client.StatusFinalized
	}
	send := func(u *user, to *user) common.Hash {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: u.index, To: to.index, Amount: 1000, Fee: 1, Nonce: u.nonce}
		require.NoError(b, tx.Sign(u.key))
		var h common.Hash
		require.NoError(b, c.Call(&h, "keel_sendTransaction", tx))
		u.nonce++
		return h
	}
	// Wait for the deposits' batches, so both phases start from a quiet chain.
	for {
		var info client.ChainInfo
		require.NoError(b, c.Call(&info, "keel_chainInfo"))
		if info.Finalized == info.Head && info.Pending == 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.ResetTimer()

	// Phase 1: settled throughput.
	const burst = 200
	t0 := time.Now()
	hashes := make([]common.Hash, burst)
	for i := range hashes {
		hashes[i] = send(users[i%len(users)], users[(i+1)%len(users)])
	}
	accepted := time.Since(t0)
	for !final(hashes[burst-1]) {
		time.Sleep(200 * time.Millisecond)
	}
	settled := time.Since(t0)
	for _, h := range hashes {
		require.True(b, final(h), "tx %s", h)
	}
	rate := burst / settled.Seconds()
	b.ReportMetric(accepted.Seconds(), "s-to-accept-200")
	b.ReportMetric(rate, "settled-tx/s")

	// Phase 2: 80% of that rate, sustained.
	load := 0.8 * rate
	rssStart := residentMB(b)
	type sent struct {
		hash common.Hash
		at   time.Time
	}
	var (
		mu          sync.Mutex
		outstanding []sent
		latencies   []time.Duration
	)
	done, stopWatch := make(chan struct{}), make(chan struct{})
	go func() { // the finality watcher
		defer close(done)
		for {
			mu.Lock()
			waiting := outstanding
			outstanding = nil
			mu.Unlock()
			var still []sent
			now := time.Now()
			for _, s := range waiting {
				if final(s.hash) {
					latencies = append(latencies, now.Sub(s.at))
				} else {
					still = append(still, s)
				}
			}
			mu.Lock()
			outstanding = append(outstanding, still...)
			left := len(outstanding)
			mu.Unlock()
			select {
			case <-stopWatch:
				if left == 0 {
					return
				}
			default:
			}
			select {
			case <-ctx.Done():
				return
			case <-time.After(250 * time.Millisecond):
			}
		}
	}()
	tick := time.NewTicker(time.Duration(float64(time.Second) / load))
	end := time.Now().Add(sustain)
	for i := 0; time.Now().Before(end); i++ {
		<-tick.C
		at := time.Now()
		h := send(users[i%len(users)], users[(i+1)%len(users)])
		mu.Lock()
		outstanding = append(outstanding, sent{h, at})
		mu.Unlock()
	}
	tick.Stop()
	rssEnd := residentMB(b)
	close(stopWatch) // the watcher returns once every transfer is final
	<-done
	b.StopTimer()
	slices.Sort(latencies)
	b.ReportMetric(load, "load-tx/s")
	b.ReportMetric(float64(len(latencies)), "sustained-txs")
	b.ReportMetric(latencies[len(latencies)/2].Seconds(), "final-p50-s")
	b.ReportMetric(latencies[len(latencies)*99/100].Seconds(), "final-p99-s")
	b.ReportMetric(rssStart, "rss-start-MB")
	b.ReportMetric(rssEnd, "rss-end-MB")
	b.ReportMetric(0, "ns/op")
}

// residentMB is this process's resident memory (VmRSS), in MB.
func residentMB(b *testing.B) float64 {
	raw, err := os.ReadFile("/proc/self/status")
	require.NoError(b, err)
	for _, line := range strings.Split(string(raw), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 64)
			require.NoError(b, err)
			return kb / 1024
		}
	}
	b.Fatal("no VmRSS in /proc/self/status")
	return 0
}
