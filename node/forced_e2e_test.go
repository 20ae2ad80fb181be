package node_test

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestCensoredChallengeFallsBackToL1: Mallory closes her channel with Bob
// with a stale state, and the sequencer (a test hook) sits on every L2
// challenge. Bob's watcher, in his node, sees its challenge go unsequenced
// for two L1 blocks and files it in the Rollup's priority queue by
// itself; the sequencer must process that request in order, the batch
// that does is proven and verified on L1, and after the challenge period
// the finalize pays Bob the latest split. Money is conserved, and the L1
// root is the node's.
func TestCensoredChallengeFallsBackToL1(t *testing.T) {
	if testing.Short() {
		t.Skip("proves batches")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	cfg.ChannelWatchInterval = 200 * time.Millisecond
	cfg.ChannelFallbackBlocks = 2
	cfg.Censor = func(tx *vm.Tx) bool { return tx.Type == vm.TxChanChallenge }
	dir := t.TempDir()
	watchKey := mustKey(t)
	cfg.ChannelL1Key = watchKey
	n, rc := startNode(t, ctx, cfg)
	defer n.Stop(context.Background())
	defer rc.Close()
	cl := client.NewClient(rc)
	dev := n.L1().DevAccounts()
	mallory, bob := newUser(t, "mallory", dev[1].Key), newUser(t, "bob", dev[2].Key)
	const funds = 1_000_000
	fundUsers(t, ctx, n, rc, funds, mallory, bob)
	// The watchers' key pays its own gas.
	sendETH(t, ctx, n, dev[3].Key, crypto.PubkeyToAddress(watchKey.PublicKey), big.NewInt(1e18))

	const period = 20
	ch := openChannel(t, ctx, cl, mallory, bob, 60_000, 0, period)
	p := statechan.Params{ChainID: cfg.ChainID, ChannelID: uint64(ch.ID), A: mallory.key.Public(), B: bob.key.Public(), InitialA: 60_000}
	epM := channelParty(t, ctx, mallory, p)
	epB, err := statechan.New(statechan.Config{Key: bob.key, Dir: dir, Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, epB.Start(ctx))
	require.NoError(t, epB.Open(p))
	addr, err := epB.Listen("127.0.0.1:0")
	require.NoError(t, err)
	sess, err := epM.Dial(ctx, "ws://"+addr.String()+"/", p.ChannelID)
	require.NoError(t, err)
	states := payEach(t, ctx, sess, epM, 5_000, 7_000, 9_000)
	latest := states[2]
	// Bob goes offline and leaves his store to his node.
	require.NoError(t, epB.Stop(ctx))
	require.NoError(t, n.WatchChannels(ctx, dir))

	stale := states[0]
	h, err := cl.SubmitChannelState(ctx, vm.TxChanDispute, ch.Leaf, stale.State, stale.SigA, stale.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)

	// The L2 challenge is acknowledged and never sequenced; L1 blocks go
	// by (other L1 traffic), and the watcher falls back to L1.
	rollup := l1contracts.NewRollup()
	inst := rollup.Instance(n.L1Client(), n.Deployment().Rollup)
	count := func() uint64 {
		c, err := bind.Call(inst, nil, rollup.PackPrioCount(), rollup.UnpackPrioCount)
		require.NoError(t, err)
		return c
	}
	before := count()
	waitFor(t, ctx, "the watcher's challenge filed on L1", func() bool {
		sendETH(t, ctx, n, dev[4].Key, crypto.PubkeyToAddress(dev[5].Key.PublicKey), big.NewInt(1))
		return count() > before
	})
	var closing *client.Channel
	waitFor(t, ctx, "the forced challenge applied", func() bool {
		// Blocks on top of the request's, for the bridge's confirmations.
		sendETH(t, ctx, n, dev[4].Key, crypto.PubkeyToAddress(dev[5].Key.PublicKey), big.NewInt(1))
		closing, err = cl.GetChannel(ctx, p.ChannelID)
		require.NoError(t, err)
		return closing != nil && uint64(closing.Version) == latest.State.Version
	})
	require.Equal(t, client.ChannelClosing, closing.Status)
	require.EqualValues(t, latest.State.BalanceB, closing.SplitB, "the latest split stands")
	require.Equal(t, 1.0, counterValue(t, n, "keel_statechan_challenges_forced_total"))

	// After the period, the finalize pays the latest split, and it is
	// verified on L1 like every batch.
	var fin *client.Receipt
	waitFor(t, ctx, "finalize after the challenge period", func() bool {
		sendETH(t, ctx, n, dev[4].Key, crypto.PubkeyToAddress(dev[5].Key.PublicKey), big.NewInt(1))
		h, err := cl.FinalizeChannel(ctx, ch.Leaf)
		require.NoError(t, err)
		fin, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
		return err == nil
	})
	_, err = cl.WaitForStatus(ctx, fin.Hash, client.StatusFinalized)
	require.NoError(t, err)
	require.EqualValues(t, funds-60_000-10+latest.State.BalanceA, balance(t, rc, mallory.index), "Mallory gets the latest state's share, not her stale one")
	require.EqualValues(t, funds+latest.State.BalanceB, balance(t, rc, bob.index))

	info := chainInfo(t, rc)
	// Every batch verifies from L1 alone, the one that consumed the forced
	// challenge included, and its public data says it applied.
	var forcedSeen bool
	for b := uint64(1); b <= uint64(info.Finalized); b++ {
		var v l1view.Verdict
		require.NoError(t, rc.Call(&v, "keel_verifyBatch", b))
		require.True(t, v.Valid, "batch %d: %+v", b, v.Failed())
		var batch client.Batch
		require.NoError(t, rc.Call(&batch, "keel_getBatch", b))
		for _, op := range batch.Operations {
			if op.Op == vm.OpForcedChallenge.String() {
				require.NotNil(t, op.Applied)
				require.True(t, *op.Applied)
				forcedSeen = true
			}
		}
	}
	require.True(t, forcedSeen, "a verified batch consumed the forced challenge")
	require.GreaterOrEqual(t, requireL1Agrees(t, ctx, n, rc, cfg.Depth), uint64(2*funds))
}

func mustKey(t *testing.T) *ecdsa.PrivateKey {
	k, err := crypto.GenerateKey()
	require.NoError(t, err)
	return k
}

// sendETH sends wei from one L1 key to an address and waits until it is
// mined: L1 traffic that makes blocks.
func sendETH(t *testing.T, ctx context.Context, n *node.Node, from *ecdsa.PrivateKey, to common.Address, wei *big.Int) {
	t.Helper()
	l1 := n.L1Client()
	chain, err := l1.ChainID(ctx)
	require.NoError(t, err)
	nonce, err := l1.PendingNonceAt(ctx, crypto.PubkeyToAddress(from.PublicKey))
	require.NoError(t, err)
	tip, err := l1.SuggestGasPrice(ctx)
	require.NoError(t, err)
	tx, err := types.SignNewTx(from, types.LatestSignerForChainID(chain), &types.LegacyTx{Nonce: nonce, To: &to, Value: wei, Gas: 21_000, GasPrice: tip})
	require.NoError(t, err)
	require.NoError(t, l1.SendTransaction(ctx, tx))
	r, err := bind.WaitMined(ctx, l1, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
}
