package node_test

import (
	"context"
	"encoding/json"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestSendTransactionsRPC: keel_sendTransactions answers each transaction
// of a mixed call on its own, refuses an oversize call naming the limit,
// and client.Sender groups concurrent sends into such calls; everything
// acknowledged executes, with money conserved.
func TestSendTransactionsRPC(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and the node; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	cfg.DisableProver = true
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	dev := n.L1().DevAccounts()
	alice, bob := newUser(t, "alice", dev[1].Key), newUser(t, "bob", dev[2].Key)
	fundUsers(t, ctx, n, c, 1_000_000, alice, bob)
	total := func() uint64 {
		var sum uint64
		for i := uint32(0); i < 1<<cfg.Depth; i++ {
			sum += balance(t, c, i)
		}
		return sum
	}
	before := total()

	transfer := func(u *user, to *user, nonce uint32, amount uint64) *vm.Tx {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: u.index, To: to.index, Amount: amount, Fee: 1, Nonce: nonce}
		require.NoError(t, tx.Sign(u.key))
		return tx
	}
	badSig := transfer(bob, alice, 0, 10)
	badSig.Amount = 11
	entries := []any{
		transfer(alice, bob, 0, 100),
		badSig,
		json.RawMessage(`{"type":"transfer","from":"not a number"}`),
		transfer(alice, bob, 1, 200),
		transfer(alice, bob, 0, 999), // nonce 0 again, as a replacement that pays no more
		nil,
		transfer(bob, alice, 0, 50),
	}
	var results []client.SendResult
	require.NoError(t, c.Call(&results, "keel_sendTransactions", entries))
	require.Len(t, results, len(entries))
	wantCode := map[int]int{1: -32003, 2: -32602, 4: -32003, 5: -32602}
	wantText := map[int]string{1: "bad signature", 2: "transaction 2 does not decode", 4: "replacement fee too low", 5: "transaction 5 is missing"}
	for i, r := range results {
		if code, bad := wantCode[i]; bad {
			require.Nil(t, r.Hash, "entry %d", i)
			require.NotNil(t, r.Error, "entry %d", i)
			require.Equal(t, code, r.Error.Code, "entry %d: %s", i, r.Error.Message)
			require.Contains(t, r.Error.Message, wantText[i], "entry %d", i)
			continue
		}
		require.Nil(t, r.Error, "entry %d", i)
		require.Equal(t, entries[i].(*vm.Tx).Hash(), *r.Hash, "entry %d", i)
	}

	// Too many, and none at all.
	big := make([]*vm.Tx, client.MaxSendBatch+1)
	for i := range big {
		big[i] = transfer(bob, alice, uint32(1+i), 1)
	}
	err := c.Call(&results, "keel_sendTransactions", big)
	var rerr rpc.Error
	require.ErrorAs(t, err, &rerr)
	require.Equal(t, -32602, rerr.ErrorCode())
	require.ErrorContains(t, err, "257 transactions in one call, the limit is 256")
	require.ErrorContains(t, c.Call(&results, "keel_sendTransactions", []any{}), "no transactions")

	// The Sender: many goroutines, each one account's nonces in order.
	s, err := client.NewSender(client.NewClient(c), client.SenderOptions{MaxBatch: 16})
	require.NoError(t, err)
	var wg sync.WaitGroup
	hashes := make([][]common.Hash, 2)
	for k, u := range []*user{alice, bob} {
		to := []*user{bob, alice}[k]
		first := []uint32{2, 1}[k]
		wg.Go(func() {
			for j := uint32(0); j < 40; j++ {
				h, err := s.Send(ctx, transfer(u, to, first+j, 3))
				if !assertNoErr(t, err) {
					return
				}
				hashes[k] = append(hashes[k], h)
			}
		})
	}
	// A refusal through the Sender is the node's error, code included.
	_, err = s.Send(ctx, badSig)
	require.ErrorAs(t, err, &rerr)
	require.Equal(t, -32003, rerr.ErrorCode())
	require.ErrorContains(t, err, "bad signature")
	wg.Wait()
	s.Close()
	_, err = s.Send(ctx, transfer(alice, bob, 99, 1))
	require.ErrorIs(t, err, client.ErrSenderClosed)

	// Everything acknowledged executes; money is conserved.
	last := hashes[0][len(hashes[0])-1]
	waitFor(t, ctx, "the Sender's transfers executed", func() bool {
		var rc *client.Receipt
		require.NoError(t, c.Call(&rc, "keel_getTransactionReceipt", last))
		return rc != nil && rc.Status != client.StatusPending && chainInfo(t, c).Pending == 0
	})
	require.Equal(t, before, total(), "money is conserved")
	require.EqualValues(t, 2, counterValue(t, n, "keel_sequencer_bad_signatures_total"), "the two bad signatures, each counted once")
	// Alice: two transfers and their fees out, Bob's 50 in, then 40 of 3
	// (fee 1) each way.
	require.Equal(t, uint64(1_000_000-(100+1)-(200+1)+50-40*(3+1)+40*3), balance(t, c, alice.index))
}

func assertNoErr(t *testing.T, err error) bool {
	t.Helper()
	if err != nil {
		t.Errorf("send: %v", err)
		return false
	}
	return true
}
