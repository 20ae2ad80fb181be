package client_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// ChannelChain is the chain a statechan.Watcher needs. The assertion lives
// here because package client may not import statechan.
var (
	_ statechan.Chain  = (*client.ChannelChain)(nil)
	_ statechan.L1Path = (*client.L1Path)(nil)
)

// chanNode is fakeNode with channels: keel_getChannel, and a
// keel_sendTransaction that takes the channel operations without a sender.
type chanNode struct {
	*fakeNode
	channels map[uint64]client.Channel
	reject   string // when set, channel operations are accepted, then rejected with it
}

func (n *chanNode) GetChannel(id client.Decimal) (*client.Channel, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if ch, ok := n.channels[uint64(id)]; ok {
		return &ch, nil
	}
	return nil, nil
}

func (n *chanNode) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	if tx.Type.IsSigned() {
		return n.fakeNode.SendTransaction(tx)
	}
	if err := tx.CheckStatic(testChainID, 8); err != nil {
		return common.Hash{}, err
	}
	n.mu.Lock()
	n.sent = append(n.sent, *tx)
	n.mu.Unlock()
	leaf := tx.Channel
	r := client.Receipt{Type: tx.Type.String(), Status: client.StatusSequenced, Batch: u64(10), Channel: &leaf}
	if n.reject != "" {
		r = client.Receipt{Status: client.StatusRejected, Error: n.reject}
	}
	n.script(tx.Hash(), r)
	return tx.Hash(), nil
}

func setupChannels(t *testing.T) (fixture, *chanNode) {
	t.Helper()
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	node := &chanNode{fakeNode: newFakeNode(t, alice.Public(), bob.Public()), channels: map[uint64]client.Channel{}}
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", node))
	c := client.NewClient(rpc.DialInProc(srv))
	t.Cleanup(func() { c.Close(); srv.Stop() })
	return fixture{node: node.fakeNode, c: c, alice: alice, bob: bob}, node
}

func TestOpenChannelSignsForBothParties(t *testing.T) {
	f, _ := setupChannels(t)
	ctx := context.Background()
	p := client.OpenChannelParams{From: 3, To: 4, Amount: 5000, AmountB: 2000, Fee: 10, Period: 3600}

	_, _, err := f.c.OpenChannel(ctx, f.alice, nil, p)
	require.ErrorContains(t, err, "B must co-sign")
	_, _, err = f.c.OpenChannel(ctx, f.alice, f.alice, p)
	require.ErrorContains(t, err, "belongs to another key")
	bad := p
	bad.To = 9
	_, _, err = f.c.OpenChannel(ctx, f.alice, f.bob, bad)
	require.ErrorIs(t, err, client.ErrNoAccount)
	bad = p
	bad.Period = 0
	_, _, err = f.c.OpenChannel(ctx, f.alice, f.bob, bad)
	require.ErrorIs(t, err, vm.ErrMalformed, "checked as the node will")
	require.Empty(t, f.node.sent, "nothing reached the node")

	h, id, err := f.c.OpenChannel(ctx, f.alice, f.bob, p)
	require.NoError(t, err)
	require.Len(t, f.node.sent, 1)
	tx := f.node.sent[0]
	require.Equal(t, tx.Hash(), h)
	require.Equal(t, vm.TxChanOpen, tx.Type)
	require.EqualValues(t, 5, tx.Nonce, "A's nonce")
	require.Equal(t, vm.ChannelIDOf(3, 5), id)
	require.True(t, tx.VerifySignature(f.alice.Public()))
	require.True(t, f.bob.Public().VerifyElement(tx.Message(), tx.SigB), "B co-signed the same message")
	require.EqualValues(t, 2000, tx.AmountB)
	require.EqualValues(t, 3600, tx.Period)

	// B locks nothing: B's key is not needed, and not used.
	p.AmountB = 0
	_, _, err = f.c.OpenChannel(ctx, f.alice, f.bob, p)
	require.NoError(t, err)
	require.Equal(t, vm.Signature{}, f.node.sent[1].SigB)
}

func TestChannelStateTransactions(t *testing.T) {
	f, node := setupChannels(t)
	ctx := context.Background()
	id := vm.ChannelIDOf(1<<22, 7) // above 2^53: survives the wire as a decimal string
	node.channels[id] = client.Channel{ID: client.Decimal(id), Leaf: 17, Status: client.ChannelOpen, A: 3, B: 4,
		Period: 60, SplitA: 600, SplitB: 400, Total: 1000, Batch: 9}
	ch, err := f.c.GetChannel(ctx, id)
	require.NoError(t, err)
	require.Equal(t, node.channels[id], *ch)
	ch, err = f.c.GetChannel(ctx, id+1)
	require.NoError(t, err)
	require.Nil(t, ch)

	st := vm.ChannelState{ChainID: testChainID, ChannelID: id, Version: 4, BalanceA: 100, BalanceB: 900, Final: true}
	sigA, err := st.Sign(f.alice)
	require.NoError(t, err)
	sigB, err := st.Sign(f.bob)
	require.NoError(t, err)
	h, err := f.c.SubmitChannelState(ctx, vm.TxChanClose, 17, st, sigA, sigB)
	require.NoError(t, err)
	tx := f.node.sent[0]
	require.Equal(t, tx.Hash(), h)
	require.Equal(t, vm.TxChanClose, tx.Type)
	require.EqualValues(t, 17, tx.Channel)
	require.Equal(t, st, tx.ChannelState(id))
	require.Equal(t, sigA, tx.Sig)
	require.Equal(t, sigB, tx.SigB)

	_, err = f.c.SubmitChannelState(ctx, vm.TxChanFinalize, 17, st, sigA, sigB)
	require.ErrorContains(t, err, "does not carry a channel state")
	notFinal := st
	notFinal.Final = false
	_, err = f.c.SubmitChannelState(ctx, vm.TxChanClose, 17, notFinal, sigA, sigB)
	require.ErrorIs(t, err, vm.ErrChannelState)
	otherChain := st
	otherChain.ChainID = 1
	_, err = f.c.SubmitChannelState(ctx, vm.TxChanClose, 17, otherChain, sigA, sigB)
	require.ErrorContains(t, err, "the node is chain 77")
	require.Len(t, f.node.sent, 1)

	h, err = f.c.FinalizeChannel(ctx, 17)
	require.NoError(t, err)
	require.Equal(t, vm.Tx{Type: vm.TxChanFinalize, ChainID: testChainID, Channel: 17}, f.node.sent[1])
	r, err := f.c.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	require.EqualValues(t, 17, *r.Channel)
}

func TestChannelChainFeedsTheWatcher(t *testing.T) {
	f, node := setupChannels(t)
	ctx := context.Background()
	chain := client.NewChannelChain(f.c)
	id := vm.ChannelIDOf(3, 5)

	_, _, _, closing, err := chain.ClosingState(ctx, id)
	require.NoError(t, err)
	require.False(t, closing, "unknown to the node: not closing")
	node.channels[id] = client.Channel{ID: client.Decimal(id), Leaf: 12, Status: client.ChannelOpen, A: 3, B: 4,
		Period: 60, SplitA: 1000, Total: 1000}
	_, _, _, closing, err = chain.ClosingState(ctx, id)
	require.NoError(t, err)
	require.False(t, closing, "open")

	// Bob disputes with the opening; Alice's store holds version 5.
	node.channels[id] = client.Channel{ID: client.Decimal(id), Leaf: 12, Status: client.ChannelClosing, A: 3, B: 4,
		Period: 60, Deadline: 1_700_000_060, SplitA: 1000, Total: 1000}
	st, sigA, sigB, closing, err := chain.ClosingState(ctx, id)
	require.NoError(t, err)
	require.True(t, closing)
	require.Equal(t, vm.ChannelState{ChainID: testChainID, ChannelID: id, BalanceA: 1000}, st)
	require.Equal(t, vm.Signature{}, sigA, "the chain keeps no signatures")
	require.Equal(t, vm.Signature{}, sigB)

	store, err := statechan.OpenStore(t.TempDir(), nil)
	require.NoError(t, err)
	defer store.Close()
	require.NoError(t, store.Create(statechan.Params{ChainID: testChainID, ChannelID: id, A: f.alice.Public(), B: f.bob.Public(), InitialA: 1000}))
	v5 := vm.ChannelState{ChainID: testChainID, ChannelID: id, Version: 5, BalanceA: 700, BalanceB: 300}
	latest := statechan.SignedState{State: v5}
	latest.SigA, err = v5.Sign(f.alice)
	require.NoError(t, err)
	latest.SigB, err = v5.Sign(f.bob)
	require.NoError(t, err)
	require.NoError(t, store.Save(id, &latest, nil))

	w, err := statechan.NewWatcher(statechan.WatcherConfig{Chain: chain, States: store})
	require.NoError(t, err)
	challenged, err := w.Check(ctx)
	require.NoError(t, err)
	require.Len(t, challenged, 1)
	require.Len(t, f.node.sent, 1)
	tx := f.node.sent[0]
	require.Equal(t, vm.TxChanChallenge, tx.Type)
	require.EqualValues(t, 12, tx.Channel)
	require.Equal(t, v5, tx.ChannelState(id))
	require.Equal(t, latest.SigA, tx.Sig)

	// The node has it already (the chain still shows the old version until
	// its batch is sealed): the next round follows it instead of resending.
	_, err = w.Check(ctx)
	require.NoError(t, err)
	require.Len(t, f.node.sent, 1)

	// A refused challenge comes back with the node's reason.
	node.reject = "vm: channel is not in a state that allows this: challenge period ended"
	v6 := vm.ChannelState{ChainID: testChainID, ChannelID: id, Version: 6, BalanceA: 600, BalanceB: 400}
	s6A, _ := v6.Sign(f.alice)
	s6B, _ := v6.Sign(f.bob)
	err = chain.Challenge(ctx, v6, s6A, s6B)
	require.ErrorIs(t, err, client.ErrRejected)
	require.ErrorContains(t, err, "challenge period ended")
	err = chain.Challenge(ctx, vm.ChannelState{ChainID: testChainID, ChannelID: id + 1, Version: 1}, s6A, s6B)
	require.ErrorIs(t, err, client.ErrNoChannel)
}

func TestDecimalJSON(t *testing.T) {
	for in, want := range map[string]uint64{`"18446744073709551615"`: 1<<64 - 1, `12`: 12, `"0"`: 0} {
		var d client.Decimal
		require.NoError(t, json.Unmarshal([]byte(in), &d), in)
		require.EqualValues(t, want, d)
	}
	for _, in := range []string{`"-1"`, `"0x10"`, `1.5`, `"18446744073709551616"`, `null`} {
		var d client.Decimal
		require.Error(t, json.Unmarshal([]byte(in), &d), in)
	}
	b, err := json.Marshal(client.Decimal(1 << 60))
	require.NoError(t, err)
	require.Equal(t, fmt.Sprintf("%q", "1152921504606846976"), string(b))
}
