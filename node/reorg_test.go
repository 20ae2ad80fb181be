package node_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// reorgL1 is a go-ethereum simulated chain served over HTTP, so that a
// whole node can use it as its external L1, and mined by the test: blocks
// come every few tens of milliseconds until the test pauses the miner to
// arrange a reorg.
type reorgL1 struct {
	t       *testing.T
	backend *simulated.Backend
	url     string

	mu     sync.Mutex // serialises Commit and Fork
	paused bool
	stop   chan struct{}
	done   chan struct{}
}

func newReorgL1(t *testing.T, alloc types.GenesisAlloc) *reorgL1 {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	b := simulated.NewBackend(alloc, func(nc *gethnode.Config, ec *ethconfig.Config) {
		nc.HTTPHost, nc.HTTPPort = "127.0.0.1", port
		nc.HTTPModules = []string{"eth", "net", "web3"}
	})
	l := &reorgL1{t: t, backend: b, url: fmt.Sprintf("http://127.0.0.1:%d", port), stop: make(chan struct{}), done: make(chan struct{})}
	go l.mine()
	t.Cleanup(func() {
		close(l.stop)
		<-l.done
		b.Close()
	})
	return l
}

func (l *reorgL1) mine() {
	defer close(l.done)
	for {
		select {
		case <-l.stop:
			return
		case <-time.After(50 * time.Millisecond):
		}
		l.mu.Lock()
		if !l.paused {
			l.backend.Commit()
		}
		l.mu.Unlock()
	}
}

// hold pauses the miner and returns the head; commit mines one block; fork
// starts a side chain at parent; resume lets the miner go on.
func (l *reorgL1) hold() *types.Header {
	l.mu.Lock()
	l.paused = true
	l.mu.Unlock()
	h, err := l.backend.Client().HeaderByNumber(context.Background(), nil)
	require.NoError(l.t, err)
	return h
}

func (l *reorgL1) commit(n int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for i := 0; i < n; i++ {
		l.backend.Commit()
	}
}

func (l *reorgL1) fork(parent common.Hash) {
	l.mu.Lock()
	defer l.mu.Unlock()
	require.NoError(l.t, l.backend.Fork(parent))
}

func (l *reorgL1) resume() {
	l.mu.Lock()
	l.paused = false
	l.mu.Unlock()
}

// TestL1Reorgs runs a whole node on an L1 that reorganises: around a
// deposit (the reorged chain re-mines it beside another, in a new order)
// and around a batch commit (the commit's block is dropped and the commit
// mined again). With confirmations deeper than the reorgs, the node
// credits each deposit once, at the index the final chain gave it; calls a
// batch finalized only once its commit is deep; commits every batch once;
// and its root is the L1 root, also when it restarts in the middle of the
// commit's reorg. Money is conserved.
func TestL1Reorgs(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a simulated L1, the node and real proofs; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	eth := new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))
	keys := make([]*ecdsa.PrivateKey, 4) // the sequencer, then depositors
	alloc := types.GenesisAlloc{}
	for i := range keys {
		seed := crypto.Keccak256([]byte(fmt.Sprintf("keel reorg l1 key %d", i)))
		k, err := crypto.ToECDSA(seed)
		require.NoError(t, err)
		keys[i] = k
		alloc[crypto.PubkeyToAddress(k.PublicKey)] = types.Account{Balance: eth}
	}
	l1 := newReorgL1(t, alloc)

	const confirmations = 4
	cfg := testConfig(t, t.TempDir())
	cfg.L1RPC, cfg.SequencerKey, cfg.L1Confirmations = l1.url, keys[0], confirmations
	cfg.L1PollInterval = 50 * time.Millisecond
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	sim := l1.backend.Client()
	rollup := n.Deployment().Rollup

	alice, bob, carol := newUser(t, "reorg alice", keys[1]), newUser(t, "reorg bob", keys[2]), newUser(t, "reorg carol", keys[3])
	sendDeposit := func(u *user, gwei uint64) *types.Transaction {
		opts := bind.NewKeyedTransactor(u.l1, big.NewInt(1337))
		opts.Value = new(big.Int).Mul(new(big.Int).SetUint64(gwei), big.NewInt(1e9))
		opts.GasLimit = 300_000
		pub := u.key.Public()
		r := l1contracts.NewRollup()
		tx, err := bind.Transact(r.Instance(sim, rollup), opts, r.PackDeposit(vm.DepositKeyOf(pub)))
		require.NoError(t, err)
		return tx
	}
	credited := func(u *user) uint64 {
		var a *client.Account
		require.NoError(t, c.Call(&a, "keel_getAccountByKey", u.key.Public()))
		if a == nil {
			return 0
		}
		u.index = a.Index
		v, err := strconv.ParseUint(a.Balance, 10, 64)
		require.NoError(t, err)
		return v
	}

	// Reorg around a deposit: alice's deposit is mined, then its block is
	// replaced, within the confirmation depth, by a chain where bob's
	// deposit comes first and alice's is mined again after it.
	base := l1.hold()
	sendDeposit(alice, 1_000_000)
	l1.commit(2)
	require.Zero(t, credited(alice), "not credited before it is deep")
	l1.fork(base.Hash())
	sendDeposit(bob, 2_000_000)
	l1.commit(3) // the side chain is now the longer: alice's deposit goes back to the pool
	l1.resume()
	waitFor(t, ctx, "both deposits credited", func() bool { return credited(alice) > 0 && credited(bob) > 0 })
	require.EqualValues(t, 1_000_000, credited(alice))
	require.EqualValues(t, 2_000_000, credited(bob))

	// Transfers, so that batches go to L1.
	send(t, c, &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: bob.index, To: alice.index, Amount: 1234, Fee: 1, Nonce: 0}, bob.key)
	waitFor(t, ctx, "a batch finalized", func() bool { return chainInfo(t, c).Finalized > 0 })

	// Reorg around a commit: wait for a commit in the pool, mine it, and
	// drop its block before it is deep.
	send(t, c, &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: bob.index, Amount: 77, Fee: 1, Nonce: 0}, alice.key)
	base = l1.hold()
	seqAddr := crypto.PubkeyToAddress(keys[0].PublicKey)
	waitFor(t, ctx, "a commit transaction in the pool", func() bool {
		pending, err := sim.PendingNonceAt(ctx, seqAddr)
		require.NoError(t, err)
		mined, err := sim.NonceAt(ctx, seqAddr, nil)
		require.NoError(t, err)
		return pending > mined
	})
	before := chainInfo(t, c)
	l1.commit(2)
	onChain := batchNumber(t, sim, rollup, nil)
	require.Greater(t, onChain, uint64(before.Finalized), "the commit is mined")
	time.Sleep(300 * time.Millisecond) // several node polls
	require.Less(t, uint64(chainInfo(t, c).Finalized), onChain, "a commit two blocks deep is not final with %d confirmations", confirmations)
	// The node goes down with the commit mined but shallow, and comes back
	// after the reorg dropped its block: a restart in the middle of a
	// reorg, with nothing in memory about the commit it sent.
	c.Close()
	require.NoError(t, n.Stop(context.Background()))
	minedIn, err := sim.HeaderByNumber(ctx, new(big.Int).Add(base.Number, big.NewInt(1)))
	require.NoError(t, err)
	l1.fork(base.Hash())
	l1.commit(3)
	now, err := sim.HeaderByNumber(ctx, minedIn.Number)
	require.NoError(t, err)
	require.NotEqual(t, minedIn.Hash(), now.Hash(), "the reorg replaced the commit's block")
	l1.resume()
	n, c = startNode(t, ctx, cfg)

	// A deposit after the reorgs, then everything settles.
	sendDeposit(carol, 500_000)
	waitFor(t, ctx, "carol credited", func() bool { return credited(carol) > 0 })
	waitFor(t, ctx, "every batch finalized on L1", func() bool {
		info := chainInfo(t, c)
		return info.Pending == 0 && info.Finalized == info.Head && info.Head >= hexutil.Uint64(onChain)
	})

	// The L1 agrees with the node, every batch was committed once and no
	// commit reverted, and money is conserved.
	info := chainInfo(t, c)
	require.EqualValues(t, info.Finalized, batchNumber(t, sim, rollup, nil))
	rec, ok, err := n.Sequencer().Batch(uint64(info.Finalized))
	require.NoError(t, err)
	require.True(t, ok)
	require.Equal(t, rec.After.Root.BigInt(new(big.Int)), stateRoot(t, sim, rollup))
	committedOnce(t, ctx, sim, rollup, uint64(info.Finalized))
	var total uint64
	for i := uint32(0); i < 1<<cfg.Depth; i++ {
		total += balance(t, c, i)
	}
	// The deposits are the canonical chain's: the node's own genesis
	// deposit for the operator account, then alice's, bob's and carol's.
	r := l1contracts.NewRollup()
	logs, err := sim.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{rollup},
		Topics: [][]common.Hash{{r.GetABI().Events[l1contracts.RollupDepositEventName].ID}}})
	require.NoError(t, err)
	var deposited uint64
	for i := range logs {
		ev, err := r.UnpackDepositEvent(&logs[i])
		require.NoError(t, err)
		require.EqualValues(t, i, ev.Index, "one deposit per queue index on the canonical chain")
		deposited += ev.AmountGwei
	}
	require.Len(t, logs, 4)
	require.Equal(t, deposited, total, "L2 balances equal the deposits (no withdrawals here)")
	require.Greater(t, deposited, uint64(3_500_000))
}

func batchNumber(t *testing.T, c simulated.Client, rollup common.Address, at *big.Int) uint64 {
	r := l1contracts.NewRollup()
	n, err := bind.Call(r.Instance(c, rollup), &bind.CallOpts{BlockNumber: at}, r.PackBatchNumber(), r.UnpackBatchNumber)
	require.NoError(t, err)
	return n
}

func stateRoot(t *testing.T, c simulated.Client, rollup common.Address) *big.Int {
	r := l1contracts.NewRollup()
	root, err := bind.Call(r.Instance(c, rollup), nil, r.PackStateRoot(), r.UnpackStateRoot)
	require.NoError(t, err)
	return root
}

// committedOnce checks the canonical chain's BatchCommitted events: batches
// 1..last, each exactly once.
func committedOnce(t *testing.T, ctx context.Context, c simulated.Client, rollup common.Address, last uint64) {
	r := l1contracts.NewRollup()
	logs, err := c.FilterLogs(ctx, ethereum.FilterQuery{Addresses: []common.Address{rollup},
		Topics: [][]common.Hash{{r.GetABI().Events[l1contracts.RollupBatchCommittedEventName].ID}}})
	require.NoError(t, err)
	seen := map[uint64]int{}
	for i := range logs {
		ev, err := r.UnpackBatchCommittedEvent(&logs[i])
		require.NoError(t, err)
		seen[ev.Batch]++
	}
	for b := uint64(1); b <= last; b++ {
		require.Equal(t, 1, seen[b], "batch %d commits on the canonical chain", b)
	}
	require.Len(t, seen, int(last))
}
