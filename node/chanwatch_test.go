package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestNodeWatchesChannels: Bob hands his channel store to his node and
// goes offline; Mallory closes their channel with a stale state, and the
// node answers with Bob's latest co-signed state before the deadline.
// (No proofs: the watcher works on sequenced state.)
func TestNodeWatchesChannels(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	cfg.DisableProver = true
	cfg.ChannelWatchInterval = 100 * time.Millisecond
	n, rc := startNode(t, ctx, cfg)
	defer n.Stop(context.Background())
	defer rc.Close()
	cl := client.NewClient(rc)
	dev := n.L1().DevAccounts()
	mallory, bob := newUser(t, "mallory", dev[1].Key), newUser(t, "bob", dev[2].Key)
	fundUsers(t, ctx, n, rc, 1_000_000, mallory, bob)

	ch := openChannel(t, ctx, cl, mallory, bob, 60_000, 0, 3600)
	p := statechan.Params{ChainID: cfg.ChainID, ChannelID: uint64(ch.ID), A: mallory.key.Public(), B: bob.key.Public(), InitialA: 60_000}
	epM := channelParty(t, ctx, mallory, p)
	bobDir := t.TempDir()
	epB, err := statechan.New(statechan.Config{Key: bob.key, Dir: bobDir, Logger: testLogger(t)})
	require.NoError(t, err)
	require.NoError(t, epB.Start(ctx))
	require.NoError(t, epB.Open(p))
	addr, err := epB.Listen("127.0.0.1:0")
	require.NoError(t, err)
	sess, err := epM.Dial(ctx, "ws://"+addr.String()+"/", p.ChannelID)
	require.NoError(t, err)
	states := payEach(t, ctx, sess, epM, 5_000, 7_000, 9_000)
	// Bob goes offline and leaves his store to his node.
	require.NoError(t, epB.Stop(ctx))
	require.Error(t, n.WatchChannels(ctx, t.TempDir()+"/missing/\x00"), "a bad store is refused with a reason")
	require.NoError(t, n.WatchChannels(ctx, bobDir))

	stale := states[0]
	h, err := cl.SubmitChannelState(ctx, vm.TxChanDispute, ch.Leaf, stale.State, stale.SigA, stale.SigB)
	require.NoError(t, err)
	_, err = cl.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	waitFor(t, ctx, "the node's challenge", func() bool {
		got, err := cl.GetChannel(ctx, p.ChannelID)
		require.NoError(t, err)
		return got != nil && uint64(got.Version) == states[2].State.Version
	})
	got, err := cl.GetChannel(ctx, p.ChannelID)
	require.NoError(t, err)
	require.Equal(t, client.ChannelClosing, got.Status)
	require.EqualValues(t, states[2].State.BalanceB, got.SplitB, "the latest split stands")

	mfs, err := n.Registry().Gather()
	require.NoError(t, err)
	var challenges float64
	for _, mf := range mfs {
		if mf.GetName() == "keel_statechan_challenges_total" {
			challenges = mf.GetMetric()[0].GetCounter().GetValue()
		}
	}
	require.GreaterOrEqual(t, challenges, 1.0)
}
