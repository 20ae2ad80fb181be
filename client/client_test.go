package client_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

const testChainID = 77

// fakeNode is a stand-in for the node's keel_ namespace: just enough state
// to check that every method's params and results survive the wire.
type fakeNode struct {
	mu       sync.Mutex
	accounts map[uint32]client.Account
	receipts map[common.Hash][]client.Receipt // status script: each read advances one step
	sent     []vm.Tx
	proofArg []*uint64
	batches  []client.Batch // what newBatches publishes
}

func newFakeNode(t *testing.T, alice, bob vm.PublicKey) *fakeNode {
	t.Helper()
	return &fakeNode{
		accounts: map[uint32]client.Account{
			3: {Index: 3, Kind: "account", PubKey: &alice, Balance: "1000000", Nonce: 5, Batch: 9},
			4: {Index: 4, Kind: "account", PubKey: &bob, Balance: "18446744073709551615", Nonce: 0, Batch: 9},
		},
		receipts: map[common.Hash][]client.Receipt{},
	}
}

// script makes a receipt move through statuses, one per read.
func (n *fakeNode) script(h common.Hash, steps ...client.Receipt) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for i := range steps {
		steps[i].Hash = h
	}
	n.receipts[h] = steps
}

func (n *fakeNode) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if tx.ChainID != testChainID {
		return common.Hash{}, fmt.Errorf("vm: wrong chain id: %d", tx.ChainID)
	}
	acc, ok := n.accounts[tx.From]
	if !ok || !tx.VerifySignature(*acc.PubKey) {
		return common.Hash{}, errors.New("vm: bad signature")
	}
	if tx.Nonce < acc.Nonce {
		return common.Hash{}, fmt.Errorf("sequencer: nonce already used: %d < %d", tx.Nonce, acc.Nonce)
	}
	n.sent = append(n.sent, *tx)
	return tx.Hash(), nil
}

func (n *fakeNode) GetAccount(index uint32) (client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if a, ok := n.accounts[index]; ok {
		return a, nil
	}
	return client.Account{Index: index, Kind: "empty", Balance: "0", Batch: 9}, nil
}

func (n *fakeNode) GetAccountByKey(pub vm.PublicKey) (*client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, a := range n.accounts {
		if *a.PubKey == pub {
			return &a, nil
		}
	}
	return nil, nil
}

func (n *fakeNode) GetTransactionReceipt(h common.Hash) (*client.Receipt, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	steps, ok := n.receipts[h]
	if !ok {
		return nil, nil
	}
	r := steps[0]
	if len(steps) > 1 {
		n.receipts[h] = steps[1:]
	}
	return &r, nil
}

func (n *fakeNode) GetBatch(number uint64) (*client.Batch, error) {
	for _, b := range n.batches {
		if uint64(b.Number) == number {
			return &b, nil
		}
	}
	return nil, nil
}

func (n *fakeNode) GetProof(index uint32, batch *uint64) (client.Proof, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.proofArg = append(n.proofArg, batch)
	b := uint64(9)
	if batch != nil {
		b = *batch
	}
	return client.Proof{Index: index, Batch: hexutil.Uint64(b), Root: common.HexToHash("0x01"),
		Account: n.accounts[index], Leaf: common.HexToHash("0x02"), Siblings: []common.Hash{common.HexToHash("0x03"), {}}}, nil
}

func (n *fakeNode) ChainInfo() client.ChainInfo {
	return client.ChainInfo{ChainID: testChainID, L1ChainID: 1337, L1RPC: "http://127.0.0.1:8545",
		Rollup: common.HexToAddress("0xaa"), Verifier: common.HexToAddress("0xbb"), VKHash: common.HexToHash("0xcc"),
		CircuitHash: common.HexToHash("0xdd"), Depth: 8, Slots: 4, Operator: 0, MinFee: "10",
		Head: 9, Proven: 8, Finalized: 7, Pending: 2}
}

func (n *fakeNode) GetWithdrawals(to common.Address) ([]client.Withdrawal, error) {
	return []client.Withdrawal{{Batch: 7, Account: 3, To: to, Amount: "500", Claimable: true}}, nil
}

func (n *fakeNode) NewBatches(ctx context.Context) (*rpc.Subscription, error) {
	notifier, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, rpc.ErrNotificationsUnsupported
	}
	sub := notifier.CreateSubscription()
	go func() {
		for _, b := range n.batches {
			if notifier.Notify(sub.ID, b) != nil {
				return
			}
		}
	}()
	return sub, nil
}

func (n *fakeNode) TxStatus(ctx context.Context, h common.Hash) (*rpc.Subscription, error) {
	notifier, ok := rpc.NotifierFromContext(ctx)
	if !ok {
		return nil, rpc.ErrNotificationsUnsupported
	}
	n.mu.Lock()
	steps, known := n.receipts[h]
	n.mu.Unlock()
	if !known {
		return nil, fmt.Errorf("unknown transaction %s", h)
	}
	sub := notifier.CreateSubscription()
	go func() {
		for _, r := range steps {
			if notifier.Notify(sub.ID, r) != nil {
				return
			}
		}
	}()
	return sub, nil
}

func testKey(t *testing.T, name string) *vm.PrivateKey {
	t.Helper()
	seed := sha256.Sum256([]byte(name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

type fixture struct {
	node       *fakeNode
	c          *client.Client
	alice, bob *vm.PrivateKey
}

func setup(t *testing.T) fixture {
	t.Helper()
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	node := newFakeNode(t, alice.Public(), bob.Public())
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", node))
	c := client.NewClient(rpc.DialInProc(srv))
	t.Cleanup(func() { c.Close(); srv.Stop() })
	return fixture{node: node, c: c, alice: alice, bob: bob}
}

func u64(v uint64) *hexutil.Uint64 { h := hexutil.Uint64(v); return &h }

func TestReadMethodsRoundTrip(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	info, err := f.c.ChainInfo(ctx)
	require.NoError(t, err)
	require.Equal(t, f.node.ChainInfo(), *info)
	minFee, err := info.MinFeeGwei()
	require.NoError(t, err)
	require.EqualValues(t, 10, minFee)
	id, err := f.c.ChainID(ctx)
	require.NoError(t, err)
	require.EqualValues(t, testChainID, id)

	acc, err := f.c.Account(ctx, 4)
	require.NoError(t, err)
	require.Equal(t, f.node.accounts[4], *acc)
	bal, err := acc.BalanceGwei()
	require.NoError(t, err)
	require.Equal(t, uint64(1<<64-1), bal, "balances above 2^53 survive")
	empty, err := f.c.Account(ctx, 100)
	require.NoError(t, err)
	require.Equal(t, "empty", empty.Kind)
	require.Nil(t, empty.PubKey)

	byKey, err := f.c.AccountByKey(ctx, f.alice.Public())
	require.NoError(t, err)
	require.NotNil(t, byKey)
	require.EqualValues(t, 3, byKey.Index)
	stranger, err := f.c.AccountByKey(ctx, testKey(t, "stranger").Public())
	require.NoError(t, err)
	require.Nil(t, stranger, "an unknown key has no account")

	h := common.HexToHash("0xabc")
	l1 := common.HexToHash("0xdef")
	want := client.Receipt{Type: "transfer", Status: client.StatusFinalized, Batch: u64(7), Position: u64(2), L1TxHash: &l1}
	f.node.script(h, want)
	want.Hash = h
	r, err := f.c.Receipt(ctx, h)
	require.NoError(t, err)
	require.Equal(t, want, *r)
	r, err = f.c.Receipt(ctx, common.HexToHash("0x404"))
	require.NoError(t, err)
	require.Nil(t, r)

	f.node.batches = []client.Batch{{Number: 7, Status: client.BatchFinalized, Root: common.HexToHash("0x77"),
		Transactions: []common.Hash{h}, PublicData: []byte{2, 0, 0, 3}, FeeTotal: "10", Proof: make([]byte, 256), L1TxHash: &l1}}
	b, err := f.c.Batch(ctx, 7)
	require.NoError(t, err)
	require.Equal(t, f.node.batches[0], *b)
	b, err = f.c.Batch(ctx, 8)
	require.NoError(t, err)
	require.Nil(t, b)

	p, err := f.c.Proof(ctx, 3, nil)
	require.NoError(t, err)
	require.EqualValues(t, 9, p.Batch, "no batch means the latest")
	require.Equal(t, f.node.accounts[3], p.Account)
	require.Len(t, p.Siblings, 2)
	five := uint64(5)
	p, err = f.c.Proof(ctx, 3, &five)
	require.NoError(t, err)
	require.EqualValues(t, 5, p.Batch)
	require.Nil(t, f.node.proofArg[0])
	require.Equal(t, five, *f.node.proofArg[1])

	to := common.HexToAddress("0x1234")
	ws, err := f.c.Withdrawals(ctx, to)
	require.NoError(t, err)
	require.Equal(t, []client.Withdrawal{{Batch: 7, Account: 3, To: to, Amount: "500", Claimable: true}}, ws)
}

func TestTransferAndWithdrawSignAndSend(t *testing.T) {
	f := setup(t)
	ctx := context.Background()

	h, err := f.c.Transfer(ctx, f.alice, 3, 4, 1500, 10)
	require.NoError(t, err)
	require.Len(t, f.node.sent, 1)
	tx := f.node.sent[0]
	require.Equal(t, tx.Hash(), h, "the node's hash is the transaction's")
	require.Equal(t, vm.TxTransfer, tx.Type)
	require.EqualValues(t, testChainID, tx.ChainID)
	require.EqualValues(t, 3, tx.From)
	require.EqualValues(t, 4, tx.To)
	require.EqualValues(t, 1500, tx.Amount)
	require.EqualValues(t, 10, tx.Fee)
	require.EqualValues(t, 5, tx.Nonce, "the nonce is the account's")
	require.True(t, tx.VerifySignature(f.alice.Public()))

	l1To := common.HexToAddress("0x00000000000000000000000000000000000000fe")
	h, err = f.c.Withdraw(ctx, f.alice, 3, l1To, 123_456_789_123, 10)
	require.NoError(t, err, "withdrawal amounts need not be packable")
	require.Len(t, f.node.sent, 2)
	tx = f.node.sent[1]
	require.Equal(t, tx.Hash(), h)
	require.Equal(t, vm.TxWithdraw, tx.Type)
	require.Equal(t, l1To, tx.L1To)
	require.EqualValues(t, 123_456_789_123, tx.Amount)
	require.True(t, tx.VerifySignature(f.alice.Public()))
}

func TestTransferChecksBeforeSending(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	for _, tc := range []struct {
		name     string
		key      *vm.PrivateKey
		from, to uint32
		amount   uint64
		want     error
		contains string
	}{
		{"unpackable amount", f.alice, 3, 4, 1_234_567, vm.ErrAmountNotPackable, "nearest is 1234560"},
		{"unpackable fee", f.alice, 3, 4, 1000, vm.ErrFeeNotPackable, ""},
		{"no sender account", f.alice, 100, 4, 1000, client.ErrNoAccount, "index 100 is empty"},
		{"someone else's account", f.bob, 3, 4, 1000, nil, "belongs to another key"},
		{"to self", f.alice, 3, 3, 1000, vm.ErrSelfTransfer, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fee := uint64(10)
			if tc.want == vm.ErrFeeNotPackable {
				fee = 12_345
			}
			_, err := f.c.Transfer(ctx, tc.key, tc.from, tc.to, tc.amount, fee)
			require.Error(t, err)
			if tc.want != nil {
				require.ErrorIs(t, err, tc.want)
			}
			require.Contains(t, err.Error(), tc.contains)
			require.Empty(t, f.node.sent, "nothing reached the node")
		})
	}
}

func TestNodeErrorsKeepTheirMessage(t *testing.T) {
	f := setup(t)
	ctx := context.Background()
	tx := vm.Tx{Type: vm.TxTransfer, ChainID: testChainID, From: 3, To: 4, Amount: 1000, Fee: 10, Nonce: 2}
	require.NoError(t, tx.Sign(f.alice))
	_, err := f.c.SendTransaction(ctx, &tx)
	require.Error(t, err)
	require.Equal(t, "sequencer: nonce already used: 2 < 5", err.Error())
	var rpcErr rpc.Error
	require.ErrorAs(t, err, &rpcErr, "the JSON-RPC error itself reaches the caller")
	require.NotErrorIs(t, err, client.ErrUnreachable)
}

func TestUnreachableNode(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + l.Addr().String()
	require.NoError(t, l.Close()) // nothing listens there now

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, err := client.Dial(ctx, url)
	require.NoError(t, err, "HTTP dials lazily")
	defer c.Close()
	_, err = c.ChainInfo(ctx)
	require.ErrorIs(t, err, client.ErrUnreachable)
	require.Contains(t, err.Error(), url)
}

func TestSubscriptions(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	f.node.batches = []client.Batch{
		{Number: 1, Status: client.BatchSealed, Root: common.HexToHash("0x11"), PublicData: []byte{4, 0}, FeeTotal: "0"},
		{Number: 1, Status: client.BatchProven, Root: common.HexToHash("0x11"), PublicData: []byte{4, 0}, FeeTotal: "0", Proof: []byte{1, 2}},
	}
	batches := make(chan client.Batch, 4)
	sub, err := f.c.SubscribeBatches(ctx, batches)
	require.NoError(t, err)
	for i, want := range f.node.batches {
		select {
		case got := <-batches:
			require.Equal(t, want, got, "event %d", i)
		case err := <-sub.Err():
			t.Fatalf("subscription ended: %v", err)
		case <-ctx.Done():
			t.Fatal("no batch event")
		}
	}
	sub.Unsubscribe()

	h := common.HexToHash("0x5eed")
	f.node.script(h, client.Receipt{Status: client.StatusPending}, client.Receipt{Status: client.StatusSequenced, Batch: u64(2), Position: u64(0)})
	receipts := make(chan client.Receipt, 4)
	sub, err = f.c.SubscribeTxStatus(ctx, h, receipts)
	require.NoError(t, err)
	defer sub.Unsubscribe()
	var got []client.Receipt
	for len(got) < 2 {
		select {
		case r := <-receipts:
			got = append(got, r)
		case <-ctx.Done():
			t.Fatal("no status event")
		}
	}
	require.Equal(t, []client.Receipt{
		{Hash: h, Status: client.StatusPending},
		{Hash: h, Status: client.StatusSequenced, Batch: u64(2), Position: u64(0)},
	}, got)

	_, err = f.c.SubscribeTxStatus(ctx, common.HexToHash("0x404"), receipts)
	require.ErrorContains(t, err, "unknown transaction", "a subscription's error reaches the caller")
}

func TestWaitForStatus(t *testing.T) {
	f := setup(t)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	h := common.HexToHash("0x01")
	f.node.script(h,
		client.Receipt{Status: client.StatusPending},
		client.Receipt{Status: client.StatusSequenced, Batch: u64(4)},
		client.Receipt{Status: client.StatusProven, Batch: u64(4)},
		client.Receipt{Status: client.StatusFinalized, Batch: u64(4)})
	r, err := f.c.WaitForStatus(ctx, h, client.StatusProven)
	require.NoError(t, err)
	require.Equal(t, client.StatusProven, r.Status, "it stops at the first status at least as far as wanted")
	require.EqualValues(t, 4, *r.Batch)

	// A later status than wanted satisfies the wait.
	r, err = f.c.WaitForStatus(ctx, h, client.StatusSequenced)
	require.NoError(t, err)
	require.Equal(t, client.StatusFinalized, r.Status)

	bad := common.HexToHash("0x02")
	f.node.script(bad, client.Receipt{Status: client.StatusPending},
		client.Receipt{Status: client.StatusRejected, Error: "vm: insufficient balance: 10 < 1010"})
	r, err = f.c.WaitForStatus(ctx, bad, client.StatusFinalized)
	require.ErrorIs(t, err, client.ErrRejected)
	require.ErrorContains(t, err, "vm: insufficient balance: 10 < 1010")
	require.Equal(t, client.StatusRejected, r.Status)

	short, cancelShort := context.WithTimeout(ctx, 500*time.Millisecond)
	defer cancelShort()
	_, err = f.c.WaitForStatus(short, common.HexToHash("0x404"), client.StatusSequenced)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	require.ErrorContains(t, err, "the node does not know it")

	_, err = f.c.WaitForStatus(ctx, h, client.TxStatus("done"))
	require.ErrorContains(t, err, `unknown transaction status "done"`)
}

func TestBalanceGweiRejectsGarbage(t *testing.T) {
	for _, s := range []string{"", "-1", "1e9", "18446744073709551616"} {
		_, err := (&client.Account{Balance: s}).BalanceGwei()
		require.Error(t, err, strconv.Quote(s))
	}
}
