package l1node

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	gethlog "github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// testLog sends Info and above to t.Log and everything, Debug included, to
// the returned buffer. Nothing reaches t.Log once the test is over, so a
// late geth goroutine cannot fail it.
func testLog(t *testing.T) (zerolog.Logger, *syncBuffer) {
	tw := &tWriter{t: t}
	t.Cleanup(tw.close)
	buf := &syncBuffer{}
	w := zerolog.MultiLevelWriter(
		&zerolog.FilteredLevelWriter{Writer: zerolog.LevelWriterAdapter{Writer: tw}, Level: zerolog.InfoLevel},
		buf,
	)
	return zerolog.New(w).Level(zerolog.DebugLevel).With().Timestamp().Logger(), buf
}

type tWriter struct {
	mu   sync.Mutex
	t    *testing.T
	done bool
}

func (w *tWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.done {
		w.t.Log(strings.TrimRight(string(p), "\n"))
	}
	return len(p), nil
}

func (w *tWriter) close() { w.mu.Lock(); w.done = true; w.mu.Unlock() }

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// testConfig is a node on free ports, mining on demand.
func testConfig(dir string) Config {
	cfg := DefaultConfig(dir)
	cfg.HTTPPort, cfg.WSPort = 0, 0
	cfg.NumDevAccounts = 3
	return cfg
}

func startNode(t *testing.T, cfg Config) (*Node, *syncBuffer) {
	t.Helper()
	log, buf := testLog(t)
	n, err := New(cfg, log)
	require.NoError(t, err)
	require.NoError(t, n.Start(context.Background()))
	t.Cleanup(func() { require.NoError(t, n.Stop(context.Background())) })
	return n, buf
}

// testCtx bounds a test's calls. Generous: under -race, go-ethereum's log
// index takes 20 to 45 seconds to load its head map on each restart (half
// a second without -race).
func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	t.Cleanup(cancel)
	return ctx
}

// sendTx signs and sends a dynamic-fee transaction from a dev account and
// waits for its receipt.
func sendTx(t *testing.T, ctx context.Context, c *ethclient.Client, from DevAccount, to *common.Address, value *big.Int, gas uint64, data []byte) *types.Receipt {
	t.Helper()
	chainID, err := c.ChainID(ctx)
	require.NoError(t, err)
	nonce, err := c.PendingNonceAt(ctx, from.Address)
	require.NoError(t, err)
	head, err := c.HeaderByNumber(ctx, nil)
	require.NoError(t, err)
	tip := big.NewInt(params.GWei)
	tx, err := types.SignTx(types.NewTx(&types.DynamicFeeTx{
		ChainID:   chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip),
		Gas:       gas,
		To:        to,
		Value:     value,
		Data:      data,
	}), types.LatestSignerForChainID(chainID), from.Key)
	require.NoError(t, err)
	require.NoError(t, c.SendTransaction(ctx, tx))
	return waitReceipt(t, ctx, c, tx.Hash())
}

func waitReceipt(t *testing.T, ctx context.Context, c *ethclient.Client, hash common.Hash) *types.Receipt {
	t.Helper()
	for {
		r, err := c.TransactionReceipt(ctx, hash)
		if err == nil {
			return r
		}
		// Right after a start, geth answers "transaction indexing is in
		// progress" instead of null until its indexer has caught up.
		if !errors.Is(err, ethereum.NotFound) && !strings.Contains(err.Error(), "indexing is in progress") {
			require.NoError(t, err)
		}
		select {
		case <-ctx.Done():
			t.Fatalf("no receipt for %s: %v", hash, ctx.Err())
		case <-time.After(10 * time.Millisecond):
		}
	}
}

func balance(t *testing.T, ctx context.Context, c *ethclient.Client, a common.Address) *big.Int {
	t.Helper()
	b, err := c.BalanceAt(ctx, a, nil)
	require.NoError(t, err)
	return b
}

// transfer moves value between dev accounts and checks both balances.
func transfer(t *testing.T, ctx context.Context, c *ethclient.Client, from, to DevAccount, value *big.Int) *types.Receipt {
	t.Helper()
	fromBefore, toBefore := balance(t, ctx, c, from.Address), balance(t, ctx, c, to.Address)
	r := sendTx(t, ctx, c, from, &to.Address, value, params.TxGas, nil)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
	fee := new(big.Int).Mul(new(big.Int).SetUint64(r.GasUsed), r.EffectiveGasPrice)
	require.Equal(t, new(big.Int).Sub(fromBefore, new(big.Int).Add(value, fee)), balance(t, ctx, c, from.Address))
	require.Equal(t, new(big.Int).Add(toBefore, value), balance(t, ctx, c, to.Address))
	return r
}

// logInitCode is contract creation code that emits LOG0 with data 42 and
// deploys nothing: PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 LOG0 STOP.
var logInitCode = common.FromHex("602a60005260206000a000")

func TestDeriveDevAccounts(t *testing.T) {
	// anvil's and Hardhat's accounts, from the same mnemonic and path.
	want := map[int]struct{ addr, key string }{
		0: {"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266", "ac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"},
		1: {"0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"},
		9: {"0xa0Ee7A142d267C1f36714E4a8F75612F20a79720", "2a871d0798f97d79848a013d4936a73bf4cc922c825d33c1cf7073dff6d409c6"},
	}
	accs := DeriveDevAccounts(10)
	require.Len(t, accs, 10)
	for i, w := range want {
		require.Equal(t, w.addr, accs[i].Address.Hex(), "account %d", i)
		require.Equal(t, w.key, common.Bytes2Hex(crypto.FromECDSA(accs[i].Key)), "account %d", i)
	}
	seen := map[common.Address]bool{}
	for _, a := range accs {
		require.Equal(t, a.Address, crypto.PubkeyToAddress(a.Key.PublicKey))
		require.False(t, seen[a.Address])
		seen[a.Address] = true
	}
	require.Equal(t, accs[:3], DeriveDevAccounts(3), "a prefix derives the same accounts")
	require.Empty(t, DeriveDevAccounts(0))
}

func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig("/tmp/l1")
	require.NoError(t, ok.Validate())
	for _, tc := range []struct {
		name   string
		change func(*Config)
	}{
		{"empty data dir", func(c *Config) { c.DataDir = "" }},
		{"negative http port", func(c *Config) { c.HTTPPort = -1 }},
		{"http port too big", func(c *Config) { c.HTTPPort = 65536 }},
		{"negative ws port", func(c *Config) { c.WSPort = -5 }},
		{"ws port too big", func(c *Config) { c.WSPort = 1 << 20 }},
		{"zero chain id", func(c *Config) { c.ChainID = 0 }},
		{"negative period", func(c *Config) { c.BlockPeriod = -time.Second }},
		{"fractional period", func(c *Config) { c.BlockPeriod = 1500 * time.Millisecond }},
		{"gas limit too low", func(c *Config) { c.GasLimit = 100 }},
		{"no dev accounts", func(c *Config) { c.NumDevAccounts = 0 }},
		{"too many dev accounts", func(c *Config) { c.NumDevAccounts = maxDevAccounts + 1 }},
		{"zero dev balance", func(c *Config) { c.DevBalanceEther = 0 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			err := c.Validate()
			require.ErrorIs(t, err, ErrInvalidConfig)
			_, err = New(c, zerolog.Nop())
			require.ErrorIs(t, err, ErrInvalidConfig)
		})
	}
	for _, tc := range []struct {
		name   string
		change func(*Config)
	}{
		{"free ports", func(c *Config) { c.HTTPPort, c.WSPort = 0, 0 }},
		{"one port for both", func(c *Config) { c.WSPort = c.HTTPPort }},
		{"two second blocks", func(c *Config) { c.BlockPeriod = 2 * time.Second }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := ok
			tc.change(&c)
			require.NoError(t, c.Validate())
		})
	}
}

// TestNode drives one node: HTTP and in-process clients, balances, a value
// transfer mined on demand, logs, a WebSocket subscription, metrics, the
// banner and the log bridge.
func TestNode(t *testing.T) {
	reg := prometheus.NewRegistry()
	m, err := NewPromMetrics(reg)
	require.NoError(t, err)
	cfg := testConfig(t.TempDir())
	cfg.WSPort = 0
	cfg.Metrics = m
	n, logs := startNode(t, cfg)
	ctx := testCtx(t)

	require.True(t, strings.HasPrefix(n.HTTPEndpoint(), "http://127.0.0.1:"), n.HTTPEndpoint())
	require.True(t, strings.HasPrefix(n.WSEndpoint(), "ws://127.0.0.1:"), n.WSEndpoint())
	c, err := ethclient.DialContext(ctx, n.HTTPEndpoint())
	require.NoError(t, err)
	t.Cleanup(c.Close)

	chainID, err := c.ChainID(ctx)
	require.NoError(t, err)
	require.Equal(t, big.NewInt(DefaultChainID), chainID)
	require.Equal(t, chainID, n.ChainID())
	accs := n.DevAccounts()
	require.Len(t, accs, cfg.NumDevAccounts)
	wantBal := new(big.Int).Mul(big.NewInt(DefaultDevBalanceEther), big.NewInt(params.Ether))
	require.Equal(t, wantBal, n.DevBalance())
	for _, a := range accs {
		require.Equal(t, wantBal, balance(t, ctx, c, a.Address), a.Address)
	}
	head, err := c.HeaderByNumber(ctx, nil)
	require.NoError(t, err)
	require.Zero(t, head.Number.Uint64())
	require.Equal(t, uint64(DefaultGasLimit), head.GasLimit)

	t.Run("transfer is mined on demand", func(t *testing.T) {
		r := transfer(t, ctx, c, accs[1], accs[2], big.NewInt(params.Ether))
		require.Equal(t, uint64(1), r.BlockNumber.Uint64(), "one block, for the one transaction")
		bn, err := c.BlockNumber(ctx)
		require.NoError(t, err)
		require.Equal(t, uint64(1), bn)
	})

	t.Run("logs", func(t *testing.T) {
		r := sendTx(t, ctx, c, accs[0], nil, new(big.Int), 100_000, logInitCode)
		require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
		require.Len(t, r.Logs, 1)
		got, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{r.ContractAddress}})
		require.NoError(t, err)
		require.Len(t, got, 1)
		require.Equal(t, r.BlockNumber.Uint64(), got[0].BlockNumber)
		require.Equal(t, common.LeftPadBytes([]byte{42}, 32), got[0].Data)
		none, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{accs[0].Address}})
		require.NoError(t, err)
		require.Empty(t, none)
	})

	t.Run("new heads over websocket", func(t *testing.T) {
		ws, err := ethclient.DialContext(ctx, n.WSEndpoint())
		require.NoError(t, err)
		defer ws.Close()
		heads := make(chan *types.Header, 4)
		sub, err := ws.SubscribeNewHead(ctx, heads)
		require.NoError(t, err)
		defer sub.Unsubscribe()
		r := transfer(t, ctx, c, accs[2], accs[1], big.NewInt(1))
		select {
		case h := <-heads:
			require.Equal(t, r.BlockNumber, h.Number)
			require.Equal(t, r.BlockHash, h.Hash())
		case err := <-sub.Err():
			t.Fatal(err)
		case <-ctx.Done():
			t.Fatal("no new head")
		}
	})

	t.Run("in-process client", func(t *testing.T) {
		ic, err := n.Client()
		require.NoError(t, err)
		defer ic.Close()
		want, err := c.BlockNumber(ctx)
		require.NoError(t, err)
		got, err := ic.BlockNumber(ctx)
		require.NoError(t, err)
		require.Equal(t, want, got)
		heads := make(chan *types.Header, 4)
		sub, err := ic.SubscribeNewHead(ctx, heads)
		require.NoError(t, err, "subscriptions work in-process")
		sub.Unsubscribe()
	})

	t.Run("metrics", func(t *testing.T) {
		bn, err := c.BlockNumber(ctx)
		require.NoError(t, err)
		require.Eventually(t, func() bool { return gauge(t, reg, "keel_l1_head_block_number") == float64(bn) },
			5*time.Second, 10*time.Millisecond)
		require.Positive(t, gauge(t, reg, "keel_l1_gas_used_total"))
	})

	t.Run("banner", func(t *testing.T) {
		var b bytes.Buffer
		require.NoError(t, n.WriteBanner(&b))
		out := b.String()
		require.Contains(t, out, n.HTTPEndpoint())
		require.Contains(t, out, n.WSEndpoint())
		require.Contains(t, out, "Chain ID      1337")
		require.Contains(t, out, "10000 ETH each")
		for _, a := range accs {
			require.Contains(t, out, a.Address.Hex())
			require.Contains(t, out, "0x"+common.Bytes2Hex(crypto.FromECDSA(a.Key)))
		}
	})

	t.Run("geth logs reach zerolog", func(t *testing.T) {
		require.Contains(t, logs.String(), `"src":"geth"`)
	})
}

func gauge(t *testing.T, reg *prometheus.Registry, name string) float64 {
	t.Helper()
	mfs, err := reg.Gather()
	require.NoError(t, err)
	for _, mf := range mfs {
		if mf.GetName() == name {
			m := mf.GetMetric()[0]
			if m.GetGauge() != nil {
				return m.GetGauge().GetValue()
			}
			return m.GetCounter().GetValue()
		}
	}
	t.Fatalf("metric %s not found", name)
	return 0
}

// TestRestart stops a node and starts it again on the same data dir, both
// the same Node and a new one: the chain, balances and mining go on, and
// settings the stored chain cannot take are refused.
func TestRestart(t *testing.T) {
	dir := t.TempDir()
	cfg := testConfig(dir)
	log, _ := testLog(t)
	n, err := New(cfg, log)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, n.Stop(context.Background())) })
	ctx := testCtx(t)
	accs := n.DevAccounts()

	require.NoError(t, n.Start(ctx))
	require.ErrorIs(t, n.Start(ctx), ErrStarted)
	c, err := n.Client()
	require.NoError(t, err)
	transfer(t, ctx, c, accs[0], accs[1], big.NewInt(params.Ether))
	transfer(t, ctx, c, accs[1], accs[2], big.NewInt(params.GWei))
	// Two transfers, two blocks at least: geth's dev mode sometimes mines
	// an empty block of its own beside them.
	block, err := c.BlockNumber(ctx)
	require.NoError(t, err)
	require.GreaterOrEqual(t, block, uint64(2))
	balances := make([]*big.Int, len(accs))
	for i, a := range accs {
		balances[i] = balance(t, ctx, c, a.Address)
	}
	c.Close()

	t.Run("a second node on the same data dir is refused", func(t *testing.T) {
		other, err := New(cfg, log)
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, other.Stop(context.Background())) })
		err = other.Start(ctx)
		require.ErrorIs(t, err, ErrDataDirInUse)
		require.Contains(t, err.Error(), dir)
		require.NoError(t, other.Stop(ctx), "stopping a node that never started is fine")
	})

	require.NoError(t, n.Stop(ctx))
	require.NoError(t, n.Stop(ctx), "Stop is idempotent")
	require.Empty(t, n.HTTPEndpoint())
	_, err = n.Client()
	require.ErrorIs(t, err, ErrNotRunning)

	// checkContinues starts a node on dir and checks that the chain goes on.
	checkContinues := func(t *testing.T, n *Node) {
		require.NoError(t, n.Start(ctx))
		defer func() { require.NoError(t, n.Stop(ctx)) }()
		c, err := ethclient.DialContext(ctx, n.HTTPEndpoint())
		require.NoError(t, err)
		defer c.Close()
		got, err := c.BlockNumber(ctx)
		require.NoError(t, err)
		require.GreaterOrEqual(t, got, block, "the head survives the restart")
		for i, a := range accs {
			require.Equal(t, balances[i], balance(t, ctx, c, a.Address), "balance of dev account %d", i)
		}
		r := transfer(t, ctx, c, accs[2], accs[0], big.NewInt(params.GWei))
		require.Greater(t, r.BlockNumber.Uint64(), got, "mining goes on")
		block = r.BlockNumber.Uint64()
		for i, a := range accs {
			balances[i] = balance(t, ctx, c, a.Address)
		}
	}
	t.Run("same node", func(t *testing.T) { checkContinues(t, n) })
	t.Run("new node, other gas limit", func(t *testing.T) {
		cfg2 := cfg
		cfg2.GasLimit = 20_000_000 // shapes only block 0: the stored genesis wins
		n2, err := New(cfg2, log)
		require.NoError(t, err)
		t.Cleanup(func() { require.NoError(t, n2.Stop(context.Background())) })
		checkContinues(t, n2)
	})

	for _, tc := range []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"other chain id", func(c *Config) { c.ChainID = 31337 }, "chain id"},
		{"more dev accounts", func(c *Config) { c.NumDevAccounts = 4 }, "dev account 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := cfg
			tc.change(&c)
			n, err := New(c, log)
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, n.Stop(context.Background())) })
			err = n.Start(ctx)
			require.ErrorIs(t, err, ErrGenesisMismatch)
			require.Contains(t, err.Error(), tc.want)
		})
	}
}

// TestBlockPeriod checks that a non-zero period produces blocks with no
// transactions, as geth --dev.period does.
func TestBlockPeriod(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for timed blocks")
	}
	cfg := testConfig(t.TempDir())
	cfg.BlockPeriod = time.Second
	n, _ := startNode(t, cfg)
	c, err := n.Client()
	require.NoError(t, err)
	defer c.Close()
	ctx := testCtx(t)
	require.Eventually(t, func() bool {
		bn, err := c.BlockNumber(ctx)
		require.NoError(t, err)
		return bn >= 2
	}, 10*time.Second, 50*time.Millisecond)
}

func TestSlogHandler(t *testing.T) {
	var buf bytes.Buffer
	zl := zerolog.New(&buf).Level(zerolog.DebugLevel)
	l := newGethLogger(&zl).With("component", "miner")

	l.Trace("dropped: below debug")
	l.Info("Imported block", "number", 7, "hash", common.HexToHash("0x1234567890abcdef"), "err", errors.New("boom"), "nilbig", (*big.Int)(nil), "dur", time.Second)
	l.Warn("careful")
	l.Error("bad")
	l.Write(gethlog.LevelCrit, "very bad")

	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	require.Len(t, lines, 4)
	var first map[string]any
	require.NoError(t, json.Unmarshal([]byte(lines[0]), &first))
	require.Equal(t, "debug", first["level"], "geth's Info is Keel's debug")
	require.Equal(t, "Imported block", first["message"])
	require.Equal(t, "miner", first["component"])
	require.EqualValues(t, 7, first["number"])
	require.Equal(t, "boom", first["err"])
	require.Equal(t, "<nil>", first["nilbig"])
	require.Equal(t, "1s", first["dur"])
	require.Equal(t, common.HexToHash("0x1234567890abcdef").Hex(), first["hash"], "hashes in full")
	for i, want := range []string{"warn", "error", "error"} {
		var m map[string]any
		require.NoError(t, json.Unmarshal([]byte(lines[i+1]), &m))
		require.Equal(t, want, m["level"])
	}
}

// TestDataDirLayout pins where the chain lives, so geth's own tools find it.
func TestDataDirLayout(t *testing.T) {
	dir := t.TempDir()
	n, _ := startNode(t, testConfig(dir))
	require.NotEmpty(t, n.HTTPEndpoint())
	matches, err := filepath.Glob(filepath.Join(dir, gethName, "chaindata", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, matches)
}

// TestStopReleasesGoroutines starts and stops nodes and checks that no
// goroutine of ours (head watcher, block producer) outlives Stop.
func TestStopReleasesGoroutines(t *testing.T) {
	before := runtime.NumGoroutine()
	const runs = 3
	for range runs {
		n, err := New(testConfig(t.TempDir()), zerolog.Nop())
		require.NoError(t, err)
		require.NoError(t, n.Start(context.Background()))
		c, err := n.Client()
		require.NoError(t, err)
		c.Close()
		require.NoError(t, n.Stop(context.Background()))
	}
	// go-ethereum's own shutdown leaves the odd goroutine that ends later
	// (goleveldb's pool drainer); one leaked per run would exceed the slack.
	require.Eventually(t, func() bool { return runtime.NumGoroutine() < before+runs },
		5*time.Second, 50*time.Millisecond, "goroutines: %d before, %d after", before, runtime.NumGoroutine())
}

// TestPortInUse checks that a taken port fails Start before anything is
// opened, so the same node starts once the port is free; and that HTTP and
// WebSocket get separate listeners when their ports differ.
func TestPortInUse(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	cfg := testConfig(t.TempDir())
	cfg.HTTPPort = port
	log, _ := testLog(t)
	n, err := New(cfg, log)
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, n.Stop(context.Background())) })

	err = n.Start(context.Background())
	require.ErrorIs(t, err, ErrPortInUse)
	require.Contains(t, err.Error(), fmt.Sprintf("HTTPPort %d", port))
	require.Empty(t, n.HTTPEndpoint())

	require.NoError(t, l.Close())
	require.NoError(t, n.Start(context.Background()), "the failed start left nothing behind")
	require.Equal(t, fmt.Sprintf("http://127.0.0.1:%d", port), n.HTTPEndpoint())
	require.NotContains(t, n.WSEndpoint(), fmt.Sprintf(":%d", port), "WebSocket has its own listener")
	ctx := testCtx(t)
	ws, err := ethclient.DialContext(ctx, n.WSEndpoint())
	require.NoError(t, err)
	defer ws.Close()
	id, err := ws.ChainID(ctx)
	require.NoError(t, err)
	require.Equal(t, n.ChainID(), id)
}
