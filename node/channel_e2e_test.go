package node_test

import (
	"context"
	"fmt"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/node"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
	"golang.org/x/sync/errgroup"
)

// channelParty is one side of a channel: its statechan endpoint.
func channelParty(t *testing.T, ctx context.Context, u *user, p statechan.Params) *statechan.Endpoint {
	t.Helper()
	ep, err := statechan.New(statechan.Config{Key: u.key, Dir: t.TempDir(), Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, ep.Start(ctx))
	t.Cleanup(func() { _ = ep.Stop(context.Background()) })
	require.NoError(t, ep.Open(p))
	return ep
}

// payEach makes one payment per amount over sess and returns the payer's
// co-signed state after each: the old states Mallory may try to close with.
func payEach(t *testing.T, ctx context.Context, sess *statechan.Session, payer *statechan.Endpoint, amounts ...uint64) []statechan.SignedState {
	t.Helper()
	var states []statechan.SignedState
	for _, amount := range amounts {
		require.NoError(t, sess.Pay(ctx, amount))
		st, _, err := payer.State(sess.ChannelID())
		require.NoError(t, err)
		states = append(states, st)
	}
	return states
}

// openChannel opens a channel from a to b on the node and waits until its
// batch is sealed, returning the channel as the node reports it.
func openChannel(t *testing.T, ctx context.Context, cl *client.Client, a, b *user, amountA, amountB uint64, period uint32) *client.Channel {
	t.Helper()
	h, id, err := cl.OpenChannel(ctx, a.key, b.key, client.OpenChannelParams{From: a.index, To: b.index, Amount: amountA, AmountB: amountB, Fee: 10, Period: period})
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	var ch *client.Channel
	waitFor(t, ctx, "the channel's batch sealed", func() bool {
		ch, err = cl.GetChannel(ctx, id)
		require.NoError(t, err)
		return ch != nil
	})
	require.Equal(t, client.ChannelOpen, ch.Status)
	require.EqualValues(t, amountA+amountB, ch.Total)
	return ch
}

// TestChannelsEndToEnd is the payment-channel flow on a devnet that proves
// every batch and verifies it on the embedded L1:
//
//   - honest: Alice opens a channel with Bob (both fund it), pays him
//     10,000 times off-chain over websockets, and they close it
//     cooperatively; the close is proven and finalized on L1 and the L2
//     balances are the final state's.
//   - Mallory: she opens a channel with Bob, pays him three times, then
//     closes it unilaterally with her favourite old state. Bob's watcher
//     challenges with the latest co-signed state, and after the challenge
//     period the channel pays out what Bob is owed.
//
// Money is conserved throughout, and the L1 root is the node's.
func TestChannelsEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("proves batches")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	n, rc := startNode(t, ctx, cfg)
	defer n.Stop(context.Background())
	defer rc.Close()
	cl := client.NewClient(rc)
	dev := n.L1().DevAccounts()
	alice, bob, mallory := newUser(t, "alice", dev[1].Key), newUser(t, "bob", dev[2].Key), newUser(t, "mallory", dev[3].Key)
	const funds = 1_000_000
	fundUsers(t, ctx, n, rc, funds, alice, bob, mallory)
	chainID := cfg.ChainID

	// Honest flow.
	ch := openChannel(t, ctx, cl, alice, bob, 100_000, 50_000, 3600)
	params := statechan.Params{ChainID: chainID, ChannelID: uint64(ch.ID), A: alice.key.Public(), B: bob.key.Public(), InitialA: 100_000, InitialB: 50_000}
	epA, epB := channelParty(t, ctx, alice, params), channelParty(t, ctx, bob, params)
	addr, err := epB.Listen("127.0.0.1:0")
	require.NoError(t, err)
	sess, err := epA.Dial(ctx, "ws://"+addr.String()+"/", params.ChannelID)
	require.NoError(t, err)
	const payments = 10_000
	start := time.Now()
	var g errgroup.Group
	for w := 0; w < 16; w++ {
		g.Go(func() error {
			for i := w; i < payments; i += 16 {
				if err := sess.Pay(ctx, 1); err != nil {
					return fmt.Errorf("payment %d: %w", i, err)
				}
			}
			return nil
		})
	}
	require.NoError(t, g.Wait())
	t.Logf("%d payments in %v", payments, time.Since(start))
	final, err := sess.CloseChannel(ctx)
	require.NoError(t, err)
	require.True(t, final.State.Final)
	require.EqualValues(t, 100_000-payments, final.State.BalanceA)
	require.EqualValues(t, 50_000+payments, final.State.BalanceB)
	closeHash, err := cl.SubmitChannelState(ctx, vm.TxChanClose, ch.Leaf, final.State, final.SigA, final.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, closeHash, client.StatusFinalized)
	require.NoError(t, err, "the cooperative close is proven and verified on L1")
	gone, err := cl.GetChannel(ctx, params.ChannelID)
	require.NoError(t, err)
	require.Nil(t, gone, "a closed channel is removed")
	require.EqualValues(t, funds-100_000-10+final.State.BalanceA, balance(t, rc, alice.index))
	require.EqualValues(t, funds-50_000+final.State.BalanceB, balance(t, rc, bob.index))
	// The same close again is a known transaction; a unilateral close
	// with the same co-signed state finds no channel.
	_, err = cl.SubmitChannelState(ctx, vm.TxChanClose, ch.Leaf, final.State, final.SigA, final.SigB)
	require.ErrorContains(t, err, "already known")
	again, err := cl.SubmitChannelState(ctx, vm.TxChanDispute, ch.Leaf, final.State, final.SigA, final.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, again, client.StatusSequenced)
	require.ErrorContains(t, err, "no such channel")

	// Mallory's stale close, answered by Bob's watcher.
	const period = 4
	mch := openChannel(t, ctx, cl, mallory, bob, 60_000, 0, period)
	mparams := statechan.Params{ChainID: chainID, ChannelID: uint64(mch.ID), A: mallory.key.Public(), B: bob.key.Public(), InitialA: 60_000}
	epM, epB2 := channelParty(t, ctx, mallory, mparams), channelParty(t, ctx, bob, mparams)
	addr, err = epB2.Listen("127.0.0.1:0")
	require.NoError(t, err)
	msess, err := epM.Dial(ctx, "ws://"+addr.String()+"/", mparams.ChannelID)
	require.NoError(t, err)
	states := payEach(t, ctx, msess, epM, 5_000, 7_000, 9_000)
	// A payment beyond her balance in the channel is refused off-chain.
	require.ErrorIs(t, msess.Pay(ctx, 60_000), statechan.ErrInsufficientFunds)
	latest, _, err := epB2.State(mparams.ChannelID)
	require.NoError(t, err)
	require.Equal(t, states[2], latest)
	w, err := statechan.NewWatcher(statechan.WatcherConfig{Chain: client.NewChannelChain(cl), States: epB2.Store(), Interval: 100 * time.Millisecond, Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, w.Start(ctx))
	defer w.Stop(context.Background())
	stale := states[0] // Mallory keeps 55,000 of 60,000
	h, err := cl.SubmitChannelState(ctx, vm.TxChanDispute, mch.Leaf, stale.State, stale.SigA, stale.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	var closing *client.Channel
	waitFor(t, ctx, "the watcher's challenge", func() bool {
		closing, err = cl.GetChannel(ctx, mparams.ChannelID)
		require.NoError(t, err)
		return closing != nil && uint64(closing.Version) == latest.State.Version
	})
	require.Equal(t, client.ChannelClosing, closing.Status)
	// Finalize once the period is over (sent early, it is rejected).
	var fin *client.Receipt
	waitFor(t, ctx, "finalize after the challenge period", func() bool {
		h, err := cl.FinalizeChannel(ctx, mch.Leaf)
		require.NoError(t, err)
		fin, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
		return err == nil
	})
	_, err = cl.WaitForStatus(ctx, fin.Hash, client.StatusFinalized)
	require.NoError(t, err)
	require.EqualValues(t, funds-60_000-10+latest.State.BalanceA, balance(t, rc, mallory.index), "Mallory gets the latest state's share, not her stale one")
	// A close after the finalize finds no channel.
	late, err := cl.SubmitChannelState(ctx, vm.TxChanDispute, mch.Leaf, latest.State, latest.SigA, latest.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, late, client.StatusSequenced)
	require.ErrorContains(t, err, "no such channel")
	require.EqualValues(t, funds-50_000+final.State.BalanceB+latest.State.BalanceB, balance(t, rc, bob.index))

	// The L1 root is the node's, and money is conserved.
	require.GreaterOrEqual(t, requireL1Agrees(t, ctx, n, rc, cfg.Depth), uint64(3*funds))
}

// requireL1Agrees checks that the Rollup's root is the node's head root
// and that money is conserved: the contract holds the L2 balances
// (channels included) plus its pending withdrawals. It returns the L2
// total.
func requireL1Agrees(t *testing.T, ctx context.Context, n *node.Node, rc *rpc.Client, depth int) uint64 {
	t.Helper()
	info := chainInfo(t, rc)
	r := l1contracts.NewRollup()
	inst := r.Instance(n.L1Client(), n.Deployment().Rollup)
	root, err := bind.Call(inst, nil, r.PackStateRoot(), r.UnpackStateRoot)
	require.NoError(t, err)
	var head client.Batch
	require.NoError(t, rc.Call(&head, "keel_getBatch", uint64(info.Head)))
	require.Equal(t, head.Root.Big(), root, "the L1 root is the node's")
	var l2 uint64
	for i := uint32(0); i < 1<<depth; i++ {
		l2 += balance(t, rc, i)
	}
	pending, err := bind.Call(inst, nil, r.PackTotalPending(), r.UnpackTotalPending)
	require.NoError(t, err)
	held, err := n.L1Client().BalanceAt(ctx, n.Deployment().Rollup, nil)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(l2), big.NewInt(1e9)), new(big.Int).Sub(held, pending),
		"money is conserved: the contract holds the L2 balances (channels included) plus pending withdrawals")
	return l2
}
