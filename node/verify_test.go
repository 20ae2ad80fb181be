package node_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestVerifyFromL1 checks the devnet's batches from L1 data alone: each
// verifies (proof by the contract's verifier and by gnark, public data
// re-executed to the recorded root); a tampered proof, public data or root
// is caught and the failed check named; and a follower that rebuilds the
// state from L1 reaches the sequencer's root.
func TestVerifyFromL1(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and proves; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	dev := n.L1().DevAccounts()
	alice, bob := newUser(t, "verify alice", nil), newUser(t, "verify bob", nil)
	fundUsers(t, ctx, n, c, 5_000_000, alice, bob)
	var last common.Hash
	for i := 0; i < 6; i++ {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: bob.index, Amount: 1000, Fee: 1, Nonce: alice.nonce}
		last = send(t, c, tx, alice.key)
		alice.nonce++
	}
	w := &vm.Tx{Type: vm.TxWithdraw, ChainID: cfg.ChainID, From: bob.index, L1To: dev[7].Address, Amount: 2000, Fee: 1, Nonce: 0}
	last = send(t, c, w, bob.key)
	waitFor(t, ctx, "everything finalized", func() bool {
		var r *client.Receipt
		require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", last))
		info := chainInfo(t, c)
		return r.Status == client.StatusFinalized && info.Finalized == info.Head && info.Pending == 0
	})

	l, err := l1view.ReadL1Rollup(ctx, n.L1Client(), n.Deployment().Rollup, n.Deployment().Block)
	require.NoError(t, err)
	info := chainInfo(t, c)
	require.Len(t, l.Batches, int(info.Head))
	for b := uint64(1); b <= uint64(len(l.Batches)); b++ {
		v, err := l1view.VerifyBatch(ctx, n.L1Client(), l, b, n.Keys().VK)
		require.NoError(t, err)
		require.True(t, v.Valid, "batch %d: %+v", b, v.Checks)
		require.Len(t, v.Checks, 4)
	}

	// Tampering is caught and named.
	store := vm.NewMemStore(cfg.Depth)
	last1 := uint64(len(l.Batches))
	require.NoError(t, l.Rebuild(store, last1-1))
	before, err := store.Head()
	require.NoError(t, err)
	cases := []struct {
		name, failed string
		mut          func(b *bridge.CommittedBatch)
	}{
		{"flipped proof byte", "proof (on-chain verifier)", func(b *bridge.CommittedBatch) { b.Proof[70] ^= 1 }},
		{"changed public data", "public input", func(b *bridge.CommittedBatch) { b.PublicData[9] ^= 1 }},
		{"changed root", "public input", func(b *bridge.CommittedBatch) { b.NewRoot.Add(b.NewRoot, big.NewInt(1)) }},
	}
	for _, tc := range cases {
		b := l.Batches[last1-1] // a copy, with its slices and root copied too
		b.Proof, b.PublicData, b.NewRoot = append([]byte(nil), b.Proof...), append([]byte(nil), b.PublicData...), new(big.Int).Set(b.NewRoot)
		tc.mut(&b)
		v, err := l1view.CheckBatch(ctx, n.L1Client(), l, before, store.ReaderAt(before.BatchNumber), b, n.Keys().VK)
		require.NoError(t, err)
		require.False(t, v.Valid, tc.name)
		require.Equal(t, tc.failed, v.Failed().Name, "%s: %+v", tc.name, v.Checks)
	}

	// A follower synced from L1 alone reaches the sequencer's root.
	require.NoError(t, l.Rebuild(store, last1))
	head, err := store.Head()
	require.NoError(t, err)
	var batch client.Batch
	require.NoError(t, c.Call(&batch, "keel_getBatch", uint64(info.Head)))
	require.Equal(t, batch.Root, common.Hash(head.Root.Bytes()), "the follower's root is the sequencer's")

	// The read-only node does the same on its own and serves the read API.
	f, err := node.NewFollower(node.FollowerConfig{DataDir: t.TempDir(), L1RPC: n.L1Endpoint(), Rollup: n.Deployment().Rollup,
		FromBlock: n.Deployment().Block, RPCAddr: "127.0.0.1:0", PollInterval: 200 * time.Millisecond}, testLogger(t))
	require.NoError(t, err)
	require.NoError(t, f.Start(ctx))
	defer f.Stop(context.Background())
	fc, err := client.Dial(ctx, f.RPCEndpoint())
	require.NoError(t, err)
	defer fc.Close()
	finfo, err := fc.ChainInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, info.Head, finfo.Head)
	require.Equal(t, info.Rollup, finfo.Rollup)
	for i := uint32(0); i < 1<<cfg.Depth; i++ {
		want := account(t, c, i)
		got, err := fc.Account(ctx, i)
		require.NoError(t, err)
		require.Equal(t, want.Balance, got.Balance, "account %d", i)
		require.Equal(t, want.Nonce, got.Nonce, "account %d", i)
		require.Equal(t, want.Kind, got.Kind, "account %d", i)
	}
	fb, err := fc.Batch(ctx, uint64(info.Head))
	require.NoError(t, err)
	require.Equal(t, batch.Root, fb.Root)
	proof, err := fc.Proof(ctx, alice.index, nil)
	require.NoError(t, err)
	require.Equal(t, batch.Root, proof.Root)

	// More batches: the follower reads only the new blocks and keeps up,
	// and what it read piecewise is what a full read finds.
	for i := 0; i < 3; i++ {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: bob.index, Amount: 1000, Fee: 1, Nonce: alice.nonce}
		last = send(t, c, tx, alice.key)
		alice.nonce++
	}
	waitFor(t, ctx, "the new batches finalized and followed", func() bool {
		info = chainInfo(t, c)
		finfo, err := fc.ChainInfo(ctx)
		require.NoError(t, err)
		return info.Pending == 0 && info.Finalized == info.Head && finfo.Head == info.Head
	})
	require.Greater(t, uint64(info.Head), last1)
	require.Equal(t, account(t, c, alice.index).Balance, func() string {
		a, err := fc.Account(ctx, alice.index)
		require.NoError(t, err)
		return a.Balance
	}())
	extended, err := l.Extend(ctx, n.L1Client())
	require.NoError(t, err)
	full, err := l1view.ReadL1Rollup(ctx, n.L1Client(), n.Deployment().Rollup, n.Deployment().Block)
	require.NoError(t, err)
	require.Equal(t, len(full.Batches), len(extended.Batches))
	require.Equal(t, len(full.Deposits), len(extended.Deposits))
	for i := range full.Batches {
		require.Equal(t, full.Batches[i].TxHash, extended.Batches[i].TxHash)
		require.Equal(t, full.Batches[i].PublicData, extended.Batches[i].PublicData)
	}
	require.Len(t, l.Batches, int(last1), "Extend leaves the original as it was")
}
