package node_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/sponsor"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// testConfig is a devnet small enough to prove in seconds: a depth-4 tree
// and 16-slot batches, keys cached across test runs in the temp dir.
func testConfig(t *testing.T, dir string) node.Config {
	cfg := node.DefaultConfig(dir)
	cfg.Depth, cfg.Slots = 4, 16
	cfg.L1.HTTPPort, cfg.L1.WSPort = 0, 0
	cfg.RPCAddr, cfg.MetricsAddr = "127.0.0.1:0", "127.0.0.1:0"
	cfg.Fleet.Listen = "" // the node's own prover only
	cfg.KeysDir = filepath.Join(os.TempDir(), "keel-test-keys")
	cfg.BatchTimeout = 300 * time.Millisecond
	cfg.L1PollInterval = 200 * time.Millisecond
	return cfg
}

func testLogger(t testing.TB) zerolog.Logger {
	return zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
}

func startNode(t *testing.T, ctx context.Context, cfg node.Config) (*node.Node, *rpc.Client) {
	t.Helper()
	n, err := node.New(cfg, testLogger(t))
	require.NoError(t, err)
	require.NoError(t, n.Start(ctx))
	c, err := rpc.DialContext(ctx, n.WSEndpoint())
	require.NoError(t, err)
	return n, c
}

type user struct {
	key   *vm.PrivateKey
	l1    *ecdsa.PrivateKey
	index uint32
	nonce uint32
}

func newUser(t *testing.T, name string, l1 *ecdsa.PrivateKey) *user {
	seed := sha256.Sum256([]byte("keel e2e " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return &user{key: k, l1: l1}
}

func deposit(t *testing.T, ctx context.Context, l1 *ethclient.Client, rollup common.Address, from *ecdsa.PrivateKey, pub vm.PublicKey, gwei uint64) {
	t.Helper()
	chain, err := l1.ChainID(ctx)
	require.NoError(t, err)
	r := l1contracts.NewRollup()
	opts := bind.NewKeyedTransactor(from, chain)
	opts.Value = new(big.Int).Mul(new(big.Int).SetUint64(gwei), big.NewInt(1e9))
	tx, err := bind.Transact(r.Instance(l1, rollup), opts, r.PackDeposit(vm.DepositKeyOf(pub)))
	require.NoError(t, err)
	rc, err := bind.WaitMined(ctx, l1, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, rc.Status)
}

// fundUsers deposits gwei for each user from dev account i+1 and waits
// until the sequencer has credited every one, learning their indices.
func fundUsers(t *testing.T, ctx context.Context, n *node.Node, c *rpc.Client, gwei uint64, users ...*user) {
	t.Helper()
	dev := n.L1().DevAccounts()
	for i, u := range users {
		deposit(t, ctx, n.L1Client(), n.Deployment().Rollup, dev[i+1].Key, u.key.Public(), gwei)
	}
	for _, u := range users {
		waitFor(t, ctx, "deposit credited", func() bool {
			var a *client.Account
			require.NoError(t, c.Call(&a, "keel_getAccountByKey", u.key.Public()))
			if a == nil {
				return false
			}
			u.index = a.Index
			return a.Balance == strconv.FormatUint(gwei, 10)
		})
	}
}

func chainInfo(t *testing.T, c *rpc.Client) client.ChainInfo {
	var info client.ChainInfo
	require.NoError(t, c.Call(&info, "keel_chainInfo"))
	return info
}

func account(t *testing.T, c *rpc.Client, i uint32) client.Account {
	var a client.Account
	require.NoError(t, c.Call(&a, "keel_getAccount", i))
	return a
}

func balance(t *testing.T, c *rpc.Client, i uint32) uint64 {
	v, err := strconv.ParseUint(account(t, c, i).Balance, 10, 64)
	require.NoError(t, err)
	return v
}

// waitFor polls cond until it holds or the context ends.
func waitFor(t *testing.T, ctx context.Context, what string, cond func() bool) {
	t.Helper()
	for !cond() {
		select {
		case <-ctx.Done():
			t.Fatalf("timed out waiting for %s", what)
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func send(t *testing.T, c *rpc.Client, tx *vm.Tx, k *vm.PrivateKey) common.Hash {
	t.Helper()
	require.NoError(t, tx.Sign(k))
	var h common.Hash
	require.NoError(t, c.Call(&h, "keel_sendTransaction", tx))
	require.Equal(t, tx.Hash(), h)
	return h
}

// TestDevnetEndToEnd runs the whole rollup in process on the embedded L1:
// deposits are credited, hundreds of transfers run among several accounts,
// the node is stopped and restarted midway, withdrawals are made and
// claimed on L1, every batch is proven and verified by the Rollup
// contract, the L1 root equals the sequencer's, and money is conserved.
func TestDevnetEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and proves every batch; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 12*time.Minute)
	defer cancel()
	dir := t.TempDir()
	cfg := testConfig(t, dir)
	n, c := startNode(t, ctx, cfg)
	dev := n.L1().DevAccounts()
	rollup := n.Deployment().Rollup
	info := chainInfo(t, c)
	require.Equal(t, rollup, info.Rollup)
	require.EqualValues(t, cfg.ChainID, info.ChainID)

	users := make([]*user, 4)
	const depositGwei = 1_000_000_000 // 1 ETH each
	for i := range users {
		users[i] = newUser(t, fmt.Sprint("user", i), dev[i+1].Key)
	}
	fundUsers(t, ctx, n, c, depositGwei, users...)
	deposited := uint64(len(users))*depositGwei + 1 // + the operator's gwei
	require.NotEqual(t, users[0].index, users[1].index)

	// Transfers in two halves, with a restart between them.
	const perHalf = 120
	var hashes []common.Hash
	transfers := func(count int) {
		for i := 0; i < count; i++ {
			from := users[i%len(users)]
			to := users[(i+1+i/len(users))%len(users)]
			if to == from {
				to = users[(i+2)%len(users)]
			}
			tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: from.index, To: to.index, Amount: 1000 + uint64(i%7), Fee: 1, Nonce: from.nonce}
			hashes = append(hashes, send(t, c, tx, from.key))
			from.nonce++
		}
	}
	transfers(perHalf)

	// Replays and a bad signature are refused with a reason; the node stays up.
	replay := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: users[0].index, To: users[1].index, Amount: 1000, Fee: 1, Nonce: 0}
	require.NoError(t, replay.Sign(users[0].key))
	var h common.Hash
	err := c.Call(&h, "keel_sendTransaction", replay)
	require.ErrorContains(t, err, "nonce")

	// Stop midway (Stop seals the open batch) and restart on the same data.
	c.Close()
	require.NoError(t, n.Stop(ctx))
	n, c = startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	for _, h := range hashes {
		var r *client.Receipt
		require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", h))
		require.NotNil(t, r, "acknowledged tx %s lost in the restart", h)
		require.NotEqual(t, client.StatusRejected, r.Status, r.Error)
	}
	transfers(perHalf)

	// A newcomer holding exactly what it moves transfers and withdraws
	// through a sponsor: users[3]'s application, running the sponsor
	// service, pays the fees.
	newcomer := newUser(t, "newcomer", dev[7].Key)
	fundUsers(t, ctx, n, c, 300_000_000, newcomer)
	deposited += 300_000_000
	sponsored := sponsoredSends(t, ctx, n, cfg.ChainID, users[3], newcomer, users[0].index, dev[7].Address)
	hashes = append(hashes, sponsored...)

	// Withdrawals to fresh L1 addresses, then wait until everything is final.
	withdrawn := map[common.Address]uint64{dev[7].Address: 200_000_000}
	for i, u := range users[:2] {
		// Withdraw to dev accounts nobody else uses: they hold ETH for the
		// claim's gas. (A freshly funded address can meet a txpool that has
		// not caught up with the funding block on the dev chain.)
		l1key := dev[5+i].Key
		to := dev[5+i].Address
		amount := uint64(100_000_000 * (i + 1))
		tx := &vm.Tx{Type: vm.TxWithdraw, ChainID: cfg.ChainID, From: u.index, L1To: to, Amount: amount, Fee: 1, Nonce: u.nonce}
		hashes = append(hashes, send(t, c, tx, u.key))
		u.nonce++
		withdrawn[to] = amount
		u.l1 = l1key
	}
	last := hashes[len(hashes)-1]
	waitFor(t, ctx, "the last transaction finalized on L1", func() bool {
		var r *client.Receipt
		require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", last))
		require.NotEqual(t, client.StatusRejected, r.Status, r.Error)
		return r.Status == client.StatusFinalized
	})
	// Let everything sealed so far (the operator's deposit batch, the fee
	// payout) finalize too.
	waitFor(t, ctx, "all batches finalized", func() bool {
		i := chainInfo(t, c)
		return i.Finalized == i.Head && i.Pending == 0
	})
	for _, h := range hashes {
		var r *client.Receipt
		require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", h))
		require.Equal(t, client.StatusFinalized, r.Status, "tx %s", h)
		require.NotNil(t, r.L1TxHash)
	}

	// Every batch is on L1, and the L1 root is the sequencer's.
	info = chainInfo(t, c)
	l1 := n.L1Client()
	r := l1contracts.NewRollup()
	inst := r.Instance(l1, rollup)
	onChain, err := bind.Call(inst, nil, r.PackBatchNumber(), r.UnpackBatchNumber)
	require.NoError(t, err)
	require.EqualValues(t, info.Head, onChain)
	root, err := bind.Call(inst, nil, r.PackStateRoot(), r.UnpackStateRoot)
	require.NoError(t, err)
	var head client.Batch
	require.NoError(t, c.Call(&head, "keel_getBatch", uint64(info.Head)))
	require.Equal(t, head.Root.Big(), root, "the L1 root is the sequencer's")
	require.Equal(t, client.BatchFinalized, head.Status)
	require.Len(t, head.Proof, 256)

	// Claim the withdrawals on L1: the ETH arrives.
	paidOut := uint64(0)
	for to, amount := range withdrawn {
		var ws []client.Withdrawal
		require.NoError(t, c.Call(&ws, "keel_getWithdrawals", to))
		require.Len(t, ws, 1)
		require.True(t, ws[0].Claimable)
		require.Equal(t, strconv.FormatUint(amount, 10), ws[0].Amount)
		var key *ecdsa.PrivateKey
		for _, u := range append(users, newcomer) {
			if crypto.PubkeyToAddress(u.l1.PublicKey) == to {
				key = u.l1
			}
		}
		before, err := l1.BalanceAt(ctx, to, nil)
		require.NoError(t, err)
		opts := bind.NewKeyedTransactor(key, n.L1().ChainID())
		// Fixed gas: the dev chain's pending state, which estimation
		// reads, can lag the funding just mined.
		opts.GasLimit = 200_000
		tx, err := bind.Transact(inst, opts, r.PackWithdraw())
		require.NoError(t, err)
		rc, err := bind.WaitMined(ctx, l1, tx.Hash())
		require.NoError(t, err)
		require.Equal(t, types.ReceiptStatusSuccessful, rc.Status)
		after, err := l1.BalanceAt(ctx, to, nil)
		require.NoError(t, err)
		gas := new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice)
		got := new(big.Int).Sub(new(big.Int).Add(after, gas), before)
		require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(amount), big.NewInt(1e9)), got, "the withdrawn ETH arrived")
		paidOut += amount
	}

	// The newcomer paid no fee: its account is empty, and the receipts
	// and the batches' operations name the sponsor.
	require.Zero(t, balance(t, c, newcomer.index))
	for _, h := range sponsored {
		var r *client.Receipt
		require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", h))
		require.NotNil(t, r.FeePaidBy)
		require.Equal(t, users[3].index, *r.FeePaidBy)
		var b client.Batch
		require.NoError(t, c.Call(&b, "keel_getBatch", uint64(*r.Batch)))
		paidBy := 0
		for _, op := range b.Operations {
			if op.Account == newcomer.index && op.FeePaidBy != nil && *op.FeePaidBy == users[3].index {
				paidBy++
			}
		}
		require.NotZero(t, paidBy, "batch %d's operations name the sponsor", *r.Batch)
	}

	// Money is conserved: L2 balances + pending withdrawals = deposits - paid out.
	var l2 uint64
	for i := uint32(0); i < 1<<cfg.Depth; i++ {
		l2 += balance(t, c, i)
	}
	pending, err := bind.Call(inst, nil, r.PackTotalPending(), r.UnpackTotalPending)
	require.NoError(t, err)
	pendingGwei := new(big.Int).Div(pending, big.NewInt(1e9)).Uint64()
	require.Equal(t, deposited-paidOut, l2+pendingGwei, "money is conserved")
	contractBal, err := l1.BalanceAt(ctx, rollup, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(deposited-paidOut), big.NewInt(1e9)), contractBal, "the contract holds what L2 owns")
}

// sponsoredSends runs the sponsor service for app's account and has user,
// which holds exactly 300,000,000 gwei, transfer 100,000,000 to account
// `to` and withdraw the rest to l1To through it. It returns the two
// transactions' hashes, each sequenced.
func sponsoredSends(t *testing.T, ctx context.Context, n *node.Node, chainID uint64, app, user *user, to uint32, l1To common.Address) []common.Hash {
	t.Helper()
	nc, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	defer nc.Close()
	svc := startSponsor(t, ctx, n, chainID, app)
	sp, err := client.NewSponsorClient(svc.URL())
	require.NoError(t, err)

	var hashes []common.Hash
	for _, tx := range []vm.Tx{
		{Type: vm.TxTransfer, From: user.index, To: to, Amount: 100_000_000, Fee: 1},
		{Type: vm.TxWithdraw, From: user.index, L1To: l1To, Amount: 200_000_000, Fee: 1},
	} {
		sent, h, err := nc.SendSponsored(ctx, user.key, sp, tx)
		require.NoError(t, err)
		require.Equal(t, app.index, sent.Sponsor)
		hashes = append(hashes, h)
		// The next one reads the sender's nonce once this one is in the
		// open batch.
		waitFor(t, ctx, "the sponsored transaction sequenced", func() bool {
			var r *client.Receipt
			require.NoError(t, nc.RPC().Call(&r, "keel_getTransactionReceipt", h))
			require.NotEqual(t, client.StatusRejected, r.Status, r.Error)
			return r.Status != client.StatusPending
		})
	}
	// Beyond the policy's max fee, the sponsor refuses, saying why.
	_, _, err = nc.SendSponsored(ctx, user.key, sp, vm.Tx{Type: vm.TxTransfer, From: user.index, To: to, Amount: 1, Fee: 20})
	require.ErrorContains(t, err, "max fee")
	return hashes
}

// startSponsor runs the sponsor service for app's account, reading the
// node n, until the test ends: it pays fees up to 10 gwei, 1,000 a day, 5
// transactions a user an hour.
func startSponsor(t *testing.T, ctx context.Context, n *node.Node, chainID uint64, app *user) *sponsor.Service {
	t.Helper()
	nc, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	policy := &sponsor.Policy{Types: []vm.TxType{vm.TxTransfer, vm.TxWithdraw}, MaxFee: 10, DailyBudget: 1_000, PerUserPerHour: 5}
	svc, err := sponsor.New(sponsor.Config{Key: app.key, Account: app.index, ChainID: chainID, Policy: policy,
		DataDir: t.TempDir(), ListenAddr: "127.0.0.1:0", Node: nc}, testLogger(t), nil)
	require.NoError(t, err)
	require.NoError(t, svc.Start(ctx))
	t.Cleanup(func() {
		require.NoError(t, svc.Stop(context.Background()))
		nc.Close()
	})
	return svc
}
