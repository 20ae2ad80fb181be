package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestFleetDevnet runs the rollup as a fleet: a node process that proves
// nothing itself (--local-provers 0), two `keel prover` processes and a
// third that corrupts every proof it publishes, all under a steady load.
//   - One worker is killed with SIGKILL in the middle of a proof: its job
//     goes to another worker after the ack wait.
//   - The corrupt worker's results are rejected and counted by name, and
//     their jobs proven again by the others.
//   - The node is killed with SIGKILL while jobs are in flight and
//     restarted on the same data dir (the embedded NATS dies with it):
//     the workers reconnect by themselves.
//
// In the end every acknowledged transfer is finalized, every batch is on
// L1 exactly once and in order, both honest workers proved batches, and
// money is conserved.
func TestFleetDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes, geth and proofs; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logs := processLogs(t, dir)

	l1 := spawn(t, logs, "l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", "0")
	defer l1.kill()
	l1URL := l1.info["rpc"].(string)
	// The node's NATS port must survive its restart: the workers dial it.
	natsAddr := freeAddr(t)
	nodeArgs := devnetArgs(dir, l1URL, "2s", "--local-provers", "0", "--nats-listen", natsAddr,
		"--nats-ack-wait", "3s", "--metrics-addr", "127.0.0.1:0")
	n := spawn(t, logs, nodeArgs...)
	defer func() { n.kill() }()
	natsURL, creds := n.info["nats"].(string), n.info["natsCreds"].(string)
	require.Equal(t, "nats://"+natsAddr, natsURL)
	st, err := os.Stat(creds)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), st.Mode().Perm(), "the worker credentials are the owner's only")

	worker := func(name, logFile string) *child {
		return spawn(t, logFile, "prover", "--json", "--nats-url", natsURL, "--creds", creds,
			"--keys-dir", filepath.Join(dir, name+"-keys"), "--name", name, "--log-level", "info")
	}
	w1Log := filepath.Join(dir, "w1.log")
	w1 := worker("w1", w1Log)
	defer func() { w1.kill() }()
	w2 := worker("w2", logs)
	defer w2.kill()
	os.Setenv("KEEL_TEST_CORRUPT_PROOFS", "1")
	bad := worker("bad", logs)
	os.Unsetenv("KEEL_TEST_CORRUPT_PROOFS")
	defer bad.kill()

	c, err := client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	defer func() { c.Close() }()
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	eth, err := ethclient.DialContext(ctx, l1URL)
	require.NoError(t, err)
	defer eth.Close()
	dev := l1node.DeriveDevAccounts(3)
	users := make([]*crashUser, 2)
	const funding = 1_000_000_000
	for i := range users {
		seed := sha256.Sum256(fmt.Appendf(nil, "fleet user %d", i))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		users[i] = &crashUser{key: k, sent: map[common.Hash]uint64{}}
		_, err = client.Deposit(ctx, eth, info.Rollup, dev[i+1].Key, k.Public(), funding)
		require.NoError(t, err)
	}
	for _, u := range users {
		require.Eventually(t, func() bool {
			a, err := c.AccountByKey(ctx, u.key.Public())
			if err != nil || a == nil || a.Balance != strconv.Itoa(funding) {
				return false
			}
			u.index = a.Index
			return true
		}, time.Minute, 100*time.Millisecond, "the deposits are credited")
	}

	// A steady load: a transfer from each user every second, and a batch
	// sealed every 2 s, so that jobs are always in flight.
	var mu sync.Mutex
	load := func(stop <-chan struct{}) *sync.WaitGroup {
		var wg sync.WaitGroup
		for i, u := range users {
			to := users[(i+1)%len(users)]
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					select {
					case <-stop:
						return
					case <-time.After(time.Second):
					}
					mu.Lock()
					tx := &vm.Tx{Type: vm.TxTransfer, ChainID: uint64(info.ChainID), From: u.index, To: to.index, Amount: 1000 + uint64(u.nonce), Fee: 1, Nonce: u.nonce}
					mu.Unlock()
					if err := tx.Sign(u.key); err != nil {
						panic(err)
					}
					callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
					h, err := c.SendTransaction(callCtx, tx)
					cancel()
					mu.Lock()
					if err == nil && h == tx.Hash() {
						u.record(tx)
					} else {
						u.inFlight = []*vm.Tx{tx}
					}
					mu.Unlock()
					if err != nil {
						return // the node is gone: the answer is unknown
					}
				}
			}()
		}
		return &wg
	}

	// Phase 1: kill w1 in the middle of a proof.
	stop := make(chan struct{})
	wg := load(stop)
	require.Eventually(t, func() bool {
		b, _ := os.ReadFile(w1Log)
		return strings.Count(string(b), "proving a batch") > strings.Count(string(b), "proved a batch") &&
			strings.Count(string(b), "proved a batch") >= 1
	}, 3*time.Minute, 20*time.Millisecond, "w1 proves a batch and starts another")
	w1.kill()
	t.Logf("w1 killed mid-proof")

	// Phase 2: the corrupt worker is caught, then the node is killed with
	// jobs in flight.
	metrics := n.info["metrics"].(string)
	require.Eventually(t, func() bool {
		return metricValue(t, metrics, `keel_fleet_proofs_rejected_total{worker="bad"}`) >= 1
	}, 3*time.Minute, 200*time.Millisecond, "the corrupt worker's proof is rejected")
	require.Eventually(t, func() bool {
		in, err := c.ChainInfo(ctx)
		return err == nil && in.Fleet != nil && in.Fleet.InFlight >= 1
	}, time.Minute, 20*time.Millisecond, "jobs are in flight")
	n.kill()
	close(stop)
	wg.Wait()
	c.Close()
	accepted := map[string]float64{}
	n = spawn(t, logs, nodeArgs...)
	c, err = client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	for _, u := range users {
		if len(u.inFlight) == 1 {
			r, err := c.Receipt(ctx, u.inFlight[0].Hash())
			require.NoError(t, err)
			if r != nil && r.Status != client.StatusRejected {
				u.record(u.inFlight[0])
			}
			u.inFlight = nil
		}
	}
	// Phase 3: more load on the restarted node, proven by w2 (and bad).
	stop = make(chan struct{})
	wg = load(stop)
	time.Sleep(5 * time.Second)
	close(stop)
	wg.Wait()

	// Every acknowledged transfer ends finalized, every batch once and in
	// order. The deadline is generous: make test runs two packages at a
	// time on 2 cores, which doubles a proof's time here.
	deadline := time.Now().Add(8 * time.Minute)
	for {
		info, err = c.ChainInfo(ctx)
		require.NoError(t, err)
		if info.Pending == 0 && info.Finalized == info.Head {
			break
		}
		require.True(t, time.Now().Before(deadline), "the fleet never caught up: %+v, fleet %+v", info, info.Fleet)
		time.Sleep(200 * time.Millisecond)
	}
	// The last transfers may sit in the open batch until it seals.
	for _, u := range users {
		for _, h := range u.acked {
			for {
				r, err := c.Receipt(ctx, h)
				require.NoError(t, err)
				require.NotNil(t, r, "acknowledged %s lost", h)
				if r.Status == client.StatusFinalized {
					break
				}
				require.True(t, time.Now().Before(deadline), "tx %s is %s, not finalized", h, r.Status)
				time.Sleep(200 * time.Millisecond)
			}
		}
	}
	info, err = c.ChainInfo(ctx)
	require.NoError(t, err)
	l, err := l1view.ReadL1Rollup(ctx, eth, info.Rollup, 0)
	require.NoError(t, err)
	require.Len(t, l.Batches, int(info.Head))
	for i, b := range l.Batches {
		require.Equal(t, uint64(i+1), b.Number, "batches on L1 in order")
	}
	require.NoError(t, noDoubleSubmission(ctx, eth, info.Rollup, crypto.PubkeyToAddress(dev[0].Key.PublicKey)))

	// Both honest workers proved batches; the node's metrics since its
	// restart, and w1's own log before its death, say by whom.
	b, _ := os.ReadFile(w1Log)
	require.GreaterOrEqual(t, strings.Count(string(b), "proved a batch"), 1, "w1 proved batches")
	metrics = n.info["metrics"].(string)
	for _, w := range []string{"w2"} {
		accepted[w] = metricValue(t, metrics, `keel_fleet_proofs_accepted_total{worker="`+w+`"}`)
		require.GreaterOrEqual(t, accepted[w], 1.0, "%s proved batches after the node's restart", w)
	}
	require.Zero(t, metricValue(t, metrics, `keel_fleet_proofs_accepted_total{worker="bad"}`), "no corrupt proof is accepted")
	require.NotNil(t, info.Fleet)
	names := map[string]client.FleetWorker{}
	for _, w := range info.Fleet.Workers {
		names[w.Name] = w
	}
	require.Contains(t, names, "w2", "keel_chainInfo lists the live workers")
	require.Contains(t, names, "bad")
	require.Zero(t, names["bad"].Proofs)

	// Money is conserved: the Rollup's ETH is exactly the L2 balances.
	var total uint64
	for i := uint32(0); i < 1<<info.Depth; i++ {
		a, err := c.Account(ctx, i)
		require.NoError(t, err)
		v, err := strconv.ParseUint(a.Balance, 10, 64)
		require.NoError(t, err)
		total += v
	}
	held, err := eth.BalanceAt(ctx, info.Rollup, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(total), big.NewInt(1e9)), held, "Rollup ETH = L2 balances")
	acked := 0
	for _, u := range users {
		acked += len(u.acked)
	}
	t.Logf("%d transfers in %d batches, all finalized in order; w2 %v proofs after the restart", acked, info.Head, accepted["w2"])

	var out, errOut bytes.Buffer
	require.NoError(t, run(ctx, []string{"status", "--rpc", n.info["rpc"].(string)}, &out, &errOut), errOut.String())
	require.Contains(t, out.String(), "prover fleet: "+natsURL)
	require.Contains(t, out.String(), "w2")
}
