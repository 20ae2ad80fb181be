package node

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/big"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

func chanTestKey(t *testing.T, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("node channel test " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// TestChannelAPI runs a channel's whole on-chain life through the keel_
// API and the Go SDK: open (B co-signing), keel_getChannel, a dispute with
// the opening, a challenge through client.ChannelChain, and a finalize
// once the batch time passes the deadline. The node is the API over a
// real sequencer, without L1 or prover: nothing here proves.
func TestChannelAPI(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	op, alice, bob := chanTestKey(t, "operator"), chanTestKey(t, "alice"), chanTestKey(t, "bob")
	var batchTime atomic.Uint64
	batchTime.Store(1_700_000_000)
	seq, err := sequencer.New(sequencer.Config{VM: vm.Config{ChainID: 5, Depth: 8, Operator: 0, Slots: 8}, OperatorKey: op.Public(),
		DataDir: t.TempDir(), BatchTimeout: 20 * time.Millisecond, BatchTime: batchTime.Load}, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel), nil)
	require.NoError(t, err)
	require.NoError(t, seq.Start(ctx))
	defer seq.Stop(context.Background())
	require.NoError(t, seq.AddDeposits([]vm.PriorityRequest{{ID: 0, Key: vm.DepositKeyOf(op.Public()), Amount: 1},
		{ID: 1, Key: vm.DepositKeyOf(alice.Public()), Amount: 1_000_000}, {ID: 2, Key: vm.DepositKeyOf(bob.Public()), Amount: 1_000_000}}))

	n := &Node{cfg: Config{ChainID: 5, Depth: 8, Slots: 8, Mempool: sequencer.DefaultMempoolConfig()}, l1chain: big.NewInt(1337),
		deploy: &Deployment{}, keys: &prover.Keys{}, seq: seq}
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", &API{n: n}))
	defer srv.Stop()
	c := client.NewClient(rpc.DialInProc(srv))
	defer c.Close()
	require.Eventually(t, func() bool {
		a, err := c.AccountByKey(ctx, bob.Public())
		return err == nil && a != nil
	}, 10*time.Second, 10*time.Millisecond)

	h, id, err := c.OpenChannel(ctx, alice, bob, client.OpenChannelParams{From: 1, To: 2, Amount: 5000, AmountB: 3000, Fee: 1, Period: 60})
	require.NoError(t, err)
	require.Equal(t, vm.ChannelIDOf(1, 0), id)
	r, err := c.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	require.Equal(t, "channelOpen", r.Type)
	require.NotNil(t, r.Channel)
	leaf := *r.Channel
	require.EqualValues(t, 3, leaf, "the next free leaf")
	var ch *client.Channel
	require.Eventually(t, func() bool {
		ch, err = c.GetChannel(ctx, id)
		return err == nil && ch != nil
	}, 10*time.Second, 10*time.Millisecond, "served once sealed")
	require.Equal(t, client.Channel{ID: client.Decimal(id), Leaf: leaf, Status: client.ChannelOpen, A: 1, B: 2, Period: 60,
		SplitA: 5000, SplitB: 3000, Total: 8000, Batch: ch.Batch}, *ch)

	var raw *client.Channel
	require.NoError(t, c.RPC().CallContext(ctx, &raw, "keel_getChannel", 12345), "a JSON number is an id too")
	require.Nil(t, raw, "null for a channel nobody opened")

	// Bob closes with the opening state, which he alone signs; sending it
	// twice is refused.
	opening := ch.State(5)
	bobSig, err := opening.Sign(bob)
	require.NoError(t, err)
	dh, err := c.SubmitChannelState(ctx, vm.TxChanDispute, leaf, opening, vm.Signature{}, bobSig)
	require.NoError(t, err)
	_, err = c.SubmitChannelState(ctx, vm.TxChanDispute, leaf, opening, vm.Signature{}, bobSig)
	require.ErrorContains(t, err, "already known")
	var rerr rpc.Error
	require.ErrorAs(t, err, &rerr)
	require.Equal(t, codeRejected, rerr.ErrorCode())
	r, err = c.WaitForStatus(ctx, dh, client.StatusSequenced)
	require.NoError(t, err)
	require.Equal(t, leaf, *r.Channel)

	// Alice's watcher answers with version 2.
	chain := client.NewChannelChain(c)
	require.Eventually(t, func() bool {
		_, _, _, closing, err := chain.ClosingState(ctx, id)
		return err == nil && closing
	}, 10*time.Second, 10*time.Millisecond)
	v2 := vm.ChannelState{ChainID: 5, ChannelID: id, Version: 2, BalanceA: 1000, BalanceB: 7000}
	sigA, err := v2.Sign(alice)
	require.NoError(t, err)
	sigB, err := v2.Sign(bob)
	require.NoError(t, err)
	require.NoError(t, chain.Challenge(ctx, v2, sigA, sigB))
	require.Eventually(t, func() bool {
		st, _, _, closing, err := chain.ClosingState(ctx, id)
		return err == nil && closing && st.Version == 2
	}, 10*time.Second, 10*time.Millisecond)
	ch, err = c.GetChannel(ctx, id)
	require.NoError(t, err)
	require.EqualValues(t, 1_700_000_060, ch.Deadline)

	// Finalize: refused before the deadline, paid after it.
	fh, err := c.FinalizeChannel(ctx, leaf)
	require.NoError(t, err)
	_, err = c.WaitForStatus(ctx, fh, client.StatusSequenced)
	require.ErrorIs(t, err, client.ErrRejected)
	require.ErrorContains(t, err, "challenge period ends at 1700000060")
	batchTime.Store(1_700_000_060)
	_, err = c.FinalizeChannel(ctx, leaf)
	require.NoError(t, err)
	_, err = c.WaitForStatus(ctx, fh, client.StatusSequenced)
	require.NoError(t, err)
	require.Eventually(t, func() bool {
		ch, err := c.GetChannel(ctx, id)
		return err == nil && ch == nil
	}, 10*time.Second, 10*time.Millisecond, "settled: null")
	a, err := c.Account(ctx, 1)
	require.NoError(t, err)
	require.Equal(t, "995999", a.Balance, "alice: 1,000,000 - 5,000 locked - fee 1 + 1,000 paid out")
	b, err := c.Account(ctx, 2)
	require.NoError(t, err)
	require.Equal(t, "1004000", b.Balance, "bob: 1,000,000 - 3,000 locked + 7,000 paid out")

	// keel_getAccountTransactions: both parties see every channel step
	// and their deposit, newest first; the finalize is bob's newest.
	require.Eventually(t, func() bool {
		r, err := c.Receipt(ctx, fh)
		return err == nil && r != nil && r.Time != nil
	}, 10*time.Second, 10*time.Millisecond, "the finalize is sealed")
	page, err := c.AccountTransactions(ctx, 2, 2, "")
	require.NoError(t, err)
	require.Len(t, page.Transactions, 2)
	require.Equal(t, fh, page.Transactions[0].Hash)
	require.NotEmpty(t, page.Next)
	rest, err := c.AccountTransactions(ctx, 2, 100, page.Next)
	require.NoError(t, err)
	require.Empty(t, rest.Next)
	types := []string{}
	for _, r := range append(page.Transactions, rest.Transactions...) {
		types = append(types, r.Type)
	}
	require.Equal(t, "deposit", types[len(types)-1], "bob's oldest is his deposit")
	require.Contains(t, types, "channelOpen")
	_, err = c.AccountTransactions(ctx, 2, 2, "seven")
	require.ErrorContains(t, err, `cursor "seven" is not a page cursor`)
	_, err = c.AccountTransactions(ctx, 2, 1000, "")
	require.ErrorContains(t, err, "limit 1000: allowed 1..100")
}
