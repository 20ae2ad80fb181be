package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestChannelChallengeThroughL1: Mallory closes her channel with Bob with
// a stale state; `keel channel challenge --l1` files Bob's latest
// co-signed state, from his store, in the Rollup's priority queue, and the
// sequencer applies it in order.
func TestChannelChallengeThroughL1(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet and proves; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	n := startTestNode(t, ctx)
	t.Setenv("KEEL_RPC", n.RPCEndpoint())
	c, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	defer c.Close()
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	dev := n.L1().DevAccounts()
	key := func(name string) *vm.PrivateKey {
		seed := sha256.Sum256([]byte("challenge " + name))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		return k
	}
	mallory, bob := key("mallory"), key("bob")
	var idx [2]uint32
	for i, k := range []*vm.PrivateKey{mallory, bob} {
		_, err := client.Deposit(ctx, n.L1Client(), info.Rollup, dev[i+1].Key, k.Public(), 1_000_000)
		require.NoError(t, err)
		require.Eventually(t, func() bool {
			a, err := c.AccountByKey(ctx, k.Public())
			if err != nil || a == nil {
				return false
			}
			idx[i] = a.Index
			return true
		}, time.Minute, 50*time.Millisecond)
	}
	h, id, err := c.OpenChannel(ctx, mallory, nil, client.OpenChannelParams{From: idx[0], To: idx[1], Amount: 50_000, Fee: 10, Period: 3600})
	require.NoError(t, err)
	_, err = c.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	var ch *client.Channel
	require.Eventually(t, func() bool {
		ch, err = c.GetChannel(ctx, id)
		return err == nil && ch != nil
	}, time.Minute, 50*time.Millisecond)

	signed := func(v, toB uint64) statechan.SignedState {
		st := vm.ChannelState{ChainID: uint64(info.ChainID), ChannelID: id, Version: v, BalanceA: 50_000 - toB, BalanceB: toB}
		out := statechan.SignedState{State: st}
		out.SigA, err = st.Sign(mallory)
		require.NoError(t, err)
		out.SigB, err = st.Sign(bob)
		require.NoError(t, err)
		return out
	}
	stale, latest := signed(1, 1_000), signed(4, 30_000)
	store := filepath.Join(t.TempDir(), "bob")
	st, err := statechan.OpenStore(store, nil)
	require.NoError(t, err)
	require.NoError(t, st.Create(statechan.Params{ChainID: uint64(info.ChainID), ChannelID: id, A: mallory.Public(), B: bob.Public(), InitialA: 50_000}))
	require.NoError(t, st.Save(id, &latest, nil))
	require.NoError(t, st.Close())
	h, err = c.SubmitChannelState(ctx, vm.TxChanDispute, ch.Leaf, stale.State, stale.SigA, stale.SigB)
	require.NoError(t, err)
	_, err = c.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ch, err = c.GetChannel(ctx, id)
		return err == nil && ch != nil && ch.Status == client.ChannelClosing
	}, time.Minute, 50*time.Millisecond)

	chS := strconv.FormatUint(id, 10)
	var stdout, stderr bytes.Buffer
	err = run(ctx, []string{"channel", "challenge", "--channel-store", store, "--channel", chS, "--l1",
		"--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[3].Key)), "--json"}, &stdout, &stderr)
	require.NoError(t, err, "%s", stderr.String())
	var out channelChallengeOut
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out), "%s", stdout.String())
	require.Equal(t, "l1", out.Path)
	require.EqualValues(t, 4, out.Version)
	require.EqualValues(t, 1, out.Closing)
	require.NotNil(t, out.Request)
	require.Eventually(t, func() bool {
		ch, err = c.GetChannel(ctx, id)
		return err == nil && ch != nil && uint64(ch.Version) == 4
	}, 2*time.Minute, 100*time.Millisecond, "the sequencer applies the request from the L1 queue")
	require.EqualValues(t, 30_000, ch.SplitB)
}
