package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestMain lets the crash suite run this test binary as the keel command:
// with KEEL_TEST_AS_MAIN=1 it is `keel` and its arguments.
func TestMain(m *testing.M) {
	if os.Getenv("KEEL_TEST_AS_MAIN") == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// testKeysDir is the proving-key cache the tests share across runs.
var testKeysDir = filepath.Join(os.TempDir(), "keel-test-keys")

// devnetArgs are the arguments of a small test devnet (depth 4, 16 slots)
// in dir against the L1 process at l1URL, sequenced by the first dev
// account; extra flags follow (the last of a repeated flag wins).
func devnetArgs(dir, l1URL, batchTimeout string, extra ...string) []string {
	dev := l1node.DeriveDevAccounts(1)
	args := []string{"devnet", "--json", "--datadir", filepath.Join(dir, "node"), "--l1-rpc", l1URL,
		"--sequencer-key", common.Bytes2Hex(crypto.FromECDSA(dev[0].Key)), "--rpc-addr", "127.0.0.1:0", "--metrics-addr", "", "--nats-listen", "127.0.0.1:0",
		"--depth", "4", "--slots", "16", "--batch-timeout", batchTimeout, "--keys-dir", testKeysDir, "--log-level", "warn"}
	return append(args, extra...)
}

// child is a keel process the crash suite runs and kills.
type child struct {
	cmd  *exec.Cmd
	info map[string]any
	log  string
}

// spawn starts `keel args...` and waits for the JSON line it prints when
// it is up.
func spawn(t testing.TB, logFile string, args ...string) *child {
	t.Helper()
	return spawnEnv(t, logFile, nil, args...)
}

// spawnEnv is spawn with more environment variables.
func spawnEnv(t testing.TB, logFile string, env []string, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], args...)
	cmd.Env = append(append(os.Environ(), "KEEL_TEST_AS_MAIN=1"), env...)
	// The child dies with the test, whatever happens to the test.
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	logf, err := os.OpenFile(logFile, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	require.NoError(t, err)
	defer logf.Close()
	cmd.Stderr = logf
	out, err := cmd.StdoutPipe()
	require.NoError(t, err)
	require.NoError(t, cmd.Start())
	lines := make(chan []byte, 1)
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 1<<20), 1<<20)
		if sc.Scan() {
			lines <- append([]byte(nil), sc.Bytes()...)
		}
		close(lines)
		for sc.Scan() { // drain
		}
	}()
	select {
	case line, ok := <-lines:
		if !ok {
			cmd.Wait()
			logs, _ := os.ReadFile(logFile)
			t.Fatalf("keel %v exited before it was up:\n%s", args[0], tail(logs))
		}
		var info map[string]any
		require.NoError(t, json.Unmarshal(line, &info), "%s", line)
		return &child{cmd: cmd, info: info, log: logFile}
	case <-time.After(5 * time.Minute):
		cmd.Process.Kill()
		t.Fatalf("keel %v did not come up", args[0])
	}
	return nil
}

// processLogs is the file the spawned processes log to; a failed test
// prints its tail.
func processLogs(t testing.TB, dir string) string {
	logs := filepath.Join(dir, "logs.txt")
	t.Cleanup(func() {
		if t.Failed() {
			b, _ := os.ReadFile(logs)
			t.Logf("process logs (tail):\n%s", tail(b))
		}
	})
	return logs
}

func tail(b []byte) []byte {
	if len(b) > 4000 {
		return b[len(b)-4000:]
	}
	return b
}

// kill is kill -9: no Stop, no flush, no goodbye.
func (c *child) kill() {
	c.cmd.Process.Kill()
	c.cmd.Wait()
}

// crashUser sends transfers one at a time and remembers which were
// acknowledged: those must survive every crash.
type crashUser struct {
	key   *vm.PrivateKey
	index uint32
	nonce uint32
	acked []common.Hash
	sent  map[common.Hash]uint64 // acked transfer hash → amount
	// withdrawn is acked withdrawal hash → amount, all to l1To.
	withdrawn map[common.Hash]uint64
	l1To      common.Address
	// inFlight is what was sent in a call whose answer never came (the
	// node was killed mid-call): it may or may not have been made durable.
	// A group sent with keel_sendTransactions is journaled whole or not at
	// all.
	inFlight []*vm.Tx
	// grouped users send three transactions a call with
	// keel_sendTransactions, the others one with keel_sendTransaction.
	grouped bool
}

// record notes an acknowledged transaction.
func (u *crashUser) record(tx *vm.Tx) {
	h := tx.Hash()
	u.acked = append(u.acked, h)
	if tx.Type == vm.TxWithdraw {
		u.withdrawn[h] = tx.Amount
	} else {
		u.sent[h] = tx.Amount
	}
	u.nonce++
}

// TestCrashSuite runs a load of transfers and withdrawals against a keel
// node in its own process and kills it with SIGKILL at random moments
// (ingest, sealing, proving, L1 submission, withdrawal processing),
// restarting it each time on the same data dir against an L1 that keeps
// running. After every restart no acknowledged transaction may be missing;
// at the end, once the node has caught up, every batch is on L1 exactly
// once, the L1 root is the node's, the state rebuilt from L1 alone is the
// node's, the balances are what the acknowledged transactions make them,
// each withdrawal is claimable on L1 exactly once, and money is conserved:
// the Rollup holds exactly the L2 balances plus the pending withdrawals.
//
// KEEL_CRASH_KILLS sets the number of kills (default 3; `make crash` runs 20).
func TestCrashSuite(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes, geth and proofs; run without -short")
	}
	kills := 3
	if v := os.Getenv("KEEL_CRASH_KILLS"); v != "" {
		var err error
		kills, err = strconv.Atoi(v)
		require.NoError(t, err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 35*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logs := processLogs(t, dir)

	l1 := spawn(t, logs, "l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", "0")
	defer l1.kill()
	l1URL := l1.info["rpc"].(string)
	dev := l1node.DeriveDevAccounts(10)
	nodeArgs := devnetArgs(dir, l1URL, "1s")

	n := spawn(t, logs, nodeArgs...)
	c, err := client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	eth, err := ethclient.DialContext(ctx, l1URL)
	require.NoError(t, err)
	defer eth.Close()

	users := make([]*crashUser, 3)
	const funding = 1_000_000_000
	for i := range users {
		seed := sha256.Sum256(fmt.Appendf(nil, "crash user %d", i))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		users[i] = &crashUser{key: k, sent: map[common.Hash]uint64{}, withdrawn: map[common.Hash]uint64{}, grouped: i == 2,
			l1To: common.BytesToAddress(crypto.Keccak256(fmt.Appendf(nil, "crash user %d L1", i))[:20])}
		_, err = client.Deposit(ctx, eth, info.Rollup, dev[i+1].Key, k.Public(), funding)
		require.NoError(t, err)
	}
	for _, u := range users {
		for {
			a, err := c.AccountByKey(ctx, u.key.Public())
			require.NoError(t, err)
			if a != nil && a.Balance == strconv.Itoa(funding) {
				u.index = a.Index
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}

	rng := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	for k := 0; k < kills; k++ {
		// Load from every user until the kill.
		stop := make(chan struct{})
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
					default:
					}
					group := 1
					if u.grouped {
						group = 3
					}
					u.inFlight = nil
					for j := range group {
						nonce := u.nonce + uint32(j)
						amount := uint64(1000 + (nonce%9)*1000)
						tx := &vm.Tx{Type: vm.TxTransfer, ChainID: uint64(info.ChainID), From: u.index, To: to.index, Amount: amount, Fee: 1, Nonce: nonce}
						if nonce%5 == 4 { // every fifth, a withdrawal to L1
							tx = &vm.Tx{Type: vm.TxWithdraw, ChainID: uint64(info.ChainID), From: u.index, L1To: u.l1To, Amount: amount, Fee: 1, Nonce: nonce}
						}
						if err := tx.Sign(u.key); err != nil {
							panic(err)
						}
						u.inFlight = append(u.inFlight, tx)
					}
					callCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
					var hashes []common.Hash
					if u.grouped {
						results, err := c.SendTransactions(callCtx, u.inFlight)
						cancel()
						if err != nil {
							return // the node is gone (or going): the answer is unknown
						}
						for j, r := range results {
							if r.Error != nil {
								panic(fmt.Sprintf("node refused %s: %v", u.inFlight[j].Hash(), r.Error))
							}
							hashes = append(hashes, *r.Hash)
						}
					} else {
						h, err := c.SendTransaction(callCtx, u.inFlight[0])
						cancel()
						if err != nil {
							return
						}
						hashes = append(hashes, h)
					}
					for j, tx := range u.inFlight {
						if hashes[j] != tx.Hash() {
							panic(fmt.Sprintf("node acknowledged %s as %s", tx.Hash(), hashes[j]))
						}
						u.record(tx)
					}
					u.inFlight = nil
					// A steady trickle, not a flood: 2 cores prove a
					// 16-slot batch in about 3 s, and every batch must
					// be proven before the suite ends.
					time.Sleep(250 * time.Millisecond)
				}
			}()
		}
		time.Sleep(time.Duration(300+rng.IntN(7000)) * time.Millisecond)
		at, _ := c.ChainInfo(ctx)
		n.kill()
		close(stop)
		wg.Wait()
		c.Close()
		if at != nil {
			t.Logf("kill %d: sealed %d, proven %d, finalized %d, pending %d", k+1, at.Head, at.Proven, at.Finalized, at.Pending)
		}

		n = spawn(t, logs, nodeArgs...)
		c, err = client.Dial(ctx, n.info["rpc"].(string))
		require.NoError(t, err)
		for _, u := range users {
			for _, h := range u.acked {
				r, err := c.Receipt(ctx, h)
				require.NoError(t, err)
				require.NotNil(t, r, "kill %d: acknowledged transaction %s lost", k+1, h)
				require.NotEqual(t, client.StatusRejected, r.Status, "kill %d: %s: %s", k+1, h, r.Error)
			}
			// A call whose answer never came made it whole or not at all.
			made := 0
			for _, tx := range u.inFlight {
				r, err := c.Receipt(ctx, tx.Hash())
				require.NoError(t, err)
				if r != nil && r.Status != client.StatusRejected {
					made++
				}
			}
			require.True(t, made == 0 || made == len(u.inFlight), "kill %d: %d of a call's %d transactions survived", k+1, made, len(u.inFlight))
			for _, tx := range u.inFlight[:made] {
				u.record(tx)
			}
			u.inFlight = nil
		}
	}

	// Catch up: everything acknowledged is finalized on L1.
	defer n.kill()
	defer c.Close()
	// Liveness: the backlog is proven at a few seconds a batch.
	info, err = c.ChainInfo(ctx)
	require.NoError(t, err)
	deadline := time.Now().Add(3*time.Minute + 6*time.Second*time.Duration(info.Head-info.Proven))
	for {
		info, err = c.ChainInfo(ctx)
		require.NoError(t, err)
		if info.Pending == 0 && info.Finalized == info.Head {
			break
		}
		require.True(t, time.Now().Before(deadline), "the node never caught up: %+v", info)
		time.Sleep(200 * time.Millisecond)
	}
	total := 0
	for _, u := range users {
		total += len(u.acked)
		for _, h := range u.acked {
			r, err := c.Receipt(ctx, h)
			require.NoError(t, err)
			require.Equal(t, client.StatusFinalized, r.Status, "tx %s", h)
		}
	}
	withdrawals := 0
	for _, u := range users {
		withdrawals += len(u.withdrawn)
	}
	t.Logf("%d kills, %d acknowledged transactions (%d withdrawals), 0 lost, %d batches", kills, total, withdrawals, info.Head)

	// Balances are what the acknowledged transactions make them, and each
	// withdrawal is claimable on L1 once.
	r := l1contracts.NewRollup()
	rollup := r.Instance(eth, info.Rollup)
	for i, u := range users {
		from := users[(i+len(users)-1)%len(users)]
		want, out := uint64(funding), uint64(0)
		for _, amt := range u.sent {
			want -= amt + 1
		}
		for _, amt := range u.withdrawn {
			want -= amt + 1
			out += amt
		}
		for _, amt := range from.sent {
			want += amt
		}
		a, err := c.Account(ctx, u.index)
		require.NoError(t, err)
		require.Equal(t, strconv.FormatUint(want, 10), a.Balance, "user %d", i)
		pending, err := bind.Call(rollup, nil, r.PackPendingWithdrawals(u.l1To), r.UnpackPendingWithdrawals)
		require.NoError(t, err)
		require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(out), big.NewInt(1e9)), pending, "user %d's withdrawals on L1", i)
	}

	// Money is conserved: the Rollup's ETH is the L2 balances plus what
	// is owed to L1 addresses.
	var l2 uint64
	for i := uint32(0); i < 1<<info.Depth; i++ {
		a, err := c.Account(ctx, i)
		require.NoError(t, err)
		v, err := strconv.ParseUint(a.Balance, 10, 64)
		require.NoError(t, err)
		l2 += v
	}
	owed, err := bind.Call(rollup, nil, r.PackTotalPending(), r.UnpackTotalPending)
	require.NoError(t, err)
	held, err := eth.BalanceAt(ctx, info.Rollup, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Add(new(big.Int).Mul(new(big.Int).SetUint64(l2), big.NewInt(1e9)), owed), held, "Rollup ETH = L2 balances + pending withdrawals")

	// Every batch is on L1 exactly once, and L1 agrees with the node.
	l, err := l1view.ReadL1Rollup(ctx, eth, info.Rollup, 0)
	require.NoError(t, err)
	require.Len(t, l.Batches, int(info.Head))
	require.NoError(t, noDoubleSubmission(ctx, eth, info.Rollup, crypto.PubkeyToAddress(dev[0].Key.PublicKey)))
	store := vm.NewMemStore(info.Depth)
	require.NoError(t, l.Rebuild(store, uint64(info.Head)), "the state rebuilt from L1")
	head, err := store.Head()
	require.NoError(t, err)
	b, err := c.Batch(ctx, uint64(info.Head))
	require.NoError(t, err)
	require.Equal(t, b.Root, common.Hash(head.Root.Bytes()), "the L1 state is the node's")
}

// noDoubleSubmission scans every block for the sequencer's commitBatch
// transactions: each must have succeeded (a batch sent twice would revert
// the second time), and each batch number must be committed once.
func noDoubleSubmission(ctx context.Context, eth *ethclient.Client, rollup, sequencer common.Address) error {
	head, err := eth.BlockNumber(ctx)
	if err != nil {
		return err
	}
	r := l1contracts.NewRollup()
	signer := types.LatestSignerForChainID(big.NewInt(1337))
	seen := map[uint64]common.Hash{}
	for n := uint64(0); n <= head; n++ {
		blk, err := eth.BlockByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			return err
		}
		for _, tx := range blk.Transactions() {
			if tx.To() == nil || *tx.To() != rollup {
				continue
			}
			if _, err := bridge.DecodeCommitBatch(tx.Data()); err != nil {
				continue // a deposit or a claim
			}
			if from, err := types.Sender(signer, tx); err != nil || from != sequencer {
				return fmt.Errorf("commit transaction %s not from the sequencer", tx.Hash())
			}
			rc, err := eth.TransactionReceipt(ctx, tx.Hash())
			if err != nil {
				return err
			}
			if rc.Status != types.ReceiptStatusSuccessful {
				return fmt.Errorf("commit transaction %s reverted: a batch sent twice?", tx.Hash())
			}
			for _, l := range rc.Logs {
				ev, err := r.UnpackBatchCommittedEvent(l)
				if err != nil {
					continue
				}
				if prev, ok := seen[ev.Batch]; ok {
					return fmt.Errorf("batch %d committed twice: %s and %s", ev.Batch, prev, tx.Hash())
				}
				seen[ev.Batch] = tx.Hash()
			}
		}
	}
	if len(seen) == 0 {
		return errors.New("no commit transactions found")
	}
	return nil
}

// interrupt is Ctrl-C: a clean stop.
func (c *child) interrupt(t *testing.T) {
	require.NoError(t, c.cmd.Process.Signal(os.Interrupt))
	require.NoError(t, c.cmd.Wait())
}

// TestL1Outage stops the L1 under a running node for a while: the node
// keeps accepting and sequencing transactions, says in its log and metrics
// that L1 is unreachable, and once the L1 is back it catches up by itself:
// every transaction ends finalized on L1.
func TestL1Outage(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes, geth and proofs; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logs := processLogs(t, dir)
	l1Args := []string{"l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", "0"}
	l1 := spawn(t, logs, l1Args...)
	l1URL := l1.info["rpc"].(string)
	u, err := url.Parse(l1URL)
	require.NoError(t, err)
	dev := l1node.DeriveDevAccounts(10)
	n := spawn(t, logs, devnetArgs(dir, l1URL, "300ms", "--metrics-addr", "127.0.0.1:0")...)
	defer n.kill()
	c, err := client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	defer c.Close()
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	eth, err := ethclient.DialContext(ctx, l1URL)
	require.NoError(t, err)
	seed := sha256.Sum256([]byte("outage user"))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	_, err = client.Deposit(ctx, eth, info.Rollup, dev[1].Key, k.Public(), 1_000_000)
	require.NoError(t, err)
	eth.Close()
	var acc *client.Account
	for acc == nil {
		acc, err = c.AccountByKey(ctx, k.Public())
		require.NoError(t, err)
		time.Sleep(100 * time.Millisecond)
	}

	// The L1 goes away. The node keeps taking transactions.
	l1.interrupt(t)
	var hashes []common.Hash
	for i := uint32(0); i < 5; i++ {
		h, err := c.Transfer(ctx, k, acc.Index, 0, 1000, 1)
		require.NoError(t, err, "the node takes transactions while L1 is down")
		r, err := c.WaitForStatus(ctx, h, client.StatusSequenced)
		require.NoError(t, err)
		require.Equal(t, client.StatusSequenced, r.Status)
		hashes = append(hashes, h)
	}
	metrics := n.info["metrics"].(string)
	require.Eventually(t, func() bool { return metricValue(t, metrics, "keel_l1_submit_errors_total") > 0 }, time.Minute, 200*time.Millisecond,
		"the metrics say L1 is unreachable")
	b, err := os.ReadFile(logs)
	require.NoError(t, err)
	require.Contains(t, string(b), "L1 unavailable; retrying", "the log says so")

	// The L1 comes back on the same port; the node recovers by itself.
	l1 = spawn(t, logs, "l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", u.Port())
	defer l1.kill()
	for _, h := range hashes {
		r, err := c.WaitForStatus(ctx, h, client.StatusFinalized)
		require.NoError(t, err)
		require.Equal(t, client.StatusFinalized, r.Status)
	}
}

// metricValue reads one counter or gauge from a Prometheus endpoint.
func metricValue(t *testing.T, endpoint, name string) float64 {
	resp, err := http.Get(endpoint)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		line := sc.Text()
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			v, err := strconv.ParseFloat(rest, 64)
			require.NoError(t, err)
			return v
		}
	}
	return 0
}
