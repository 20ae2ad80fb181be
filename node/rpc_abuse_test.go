package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// rpcReply is a raw JSON-RPC response.
type rpcReply struct {
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

func post(t *testing.T, url, body string) (int, rpcReply) {
	t.Helper()
	resp, err := http.Post(url, "application/json", strings.NewReader(body))
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var r rpcReply
	if resp.StatusCode == http.StatusOK {
		if bytes.HasPrefix(bytes.TrimSpace(raw), []byte("[")) {
			// A batch reply: what matters is its first item.
			var items []rpcReply
			require.NoError(t, json.Unmarshal(raw, &items), "reply %q", raw)
			require.NotEmpty(t, items)
			return resp.StatusCode, items[0]
		}
		require.NoError(t, json.Unmarshal(raw, &r), "reply %q", raw)
	}
	return resp.StatusCode, r
}

// TestRPCAbuse sends the node what a careless or hostile client would:
// each gets a JSON-RPC error that says what was wrong, and the node keeps
// serving.
func TestRPCAbuse(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and the node; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	url := n.RPCEndpoint()

	alice := newUser(t, "abuse alice", nil)
	fundUsers(t, ctx, n, c, 1_000_000, alice)
	signed := func(mut func(*vm.Tx), key *vm.PrivateKey) string {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: 0, Amount: 1000, Fee: 1, Nonce: 0}
		mut(tx)
		require.NoError(t, tx.Sign(key))
		b, err := json.Marshal(tx)
		require.NoError(t, err)
		return string(b)
	}
	mallory := newUser(t, "abuse mallory", nil)

	cases := []struct {
		name   string
		body   string
		status int    // HTTP status when not 200
		want   string // in the JSON-RPC error message
	}{
		{name: "malformed JSON", body: `{"jsonrpc":"2.0","id":1,"method":"keel_chainInfo"`, want: "parse error"},
		{name: "unknown method", body: `{"jsonrpc":"2.0","id":1,"method":"keel_mintMoney","params":[]}`, want: "does not exist"},
		{name: "wrong param type", body: `{"jsonrpc":"2.0","id":1,"method":"keel_getAccount","params":["zero"]}`, want: "invalid argument"},
		{name: "too many params", body: `{"jsonrpc":"2.0","id":1,"method":"keel_getAccount","params":[1,2,3]}`, want: "too many arguments"},
		{name: "unknown tx field", body: `{"jsonrpc":"2.0","id":1,"method":"keel_sendTransaction","params":[{"type":"transfer","mint":"1"}]}`, want: "invalid argument"},
		{name: "index out of range", body: `{"jsonrpc":"2.0","id":1,"method":"keel_getAccount","params":[4294967295]}`, want: "out of range"},
		{name: "bad signature", body: `{"jsonrpc":"2.0","id":1,"method":"keel_sendTransaction","params":[` +
			signed(func(*vm.Tx) {}, mallory.key) + `]}`, want: "bad signature"},
		{name: "wrong chain", body: `{"jsonrpc":"2.0","id":1,"method":"keel_sendTransaction","params":[` +
			signed(func(tx *vm.Tx) { tx.ChainID++ }, alice.key) + `]}`, want: "wrong chain"},
		{name: "deep nesting", body: `{"jsonrpc":"2.0","id":1,"method":"keel_getAccount","params":[` + strings.Repeat("[", 20000) + strings.Repeat("]", 20000) + `]}`,
			want: "parse error"},
		{name: "oversize body", body: `{"jsonrpc":"2.0","id":1,"method":"keel_chainInfo","params":["` + strings.Repeat("x", cfg.MaxBodyBytes+1) + `"]}`,
			status: http.StatusRequestEntityTooLarge},
		{name: "batch flood", body: "[" + strings.TrimSuffix(strings.Repeat(`{"jsonrpc":"2.0","id":1,"method":"keel_chainInfo"},`, cfg.BatchItems+1), ",") + "]",
			want: "batch too large"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			status, r := post(t, url, tc.body)
			if tc.status != 0 {
				require.Equal(t, tc.status, status)
				return
			}
			require.Equal(t, http.StatusOK, status)
			require.NotNil(t, r.Error, "%s: expected an error, got %s", tc.name, r.Result)
			require.Contains(t, strings.ToLower(r.Error.Message), tc.want)
		})
	}

	// Subscriptions over WebSocket: batches and one transaction's status.
	ws, err := client.Dial(ctx, n.WSEndpoint())
	require.NoError(t, err)
	defer ws.Close()
	batches := make(chan client.Batch, 64)
	bsub, err := ws.SubscribeBatches(ctx, batches)
	require.NoError(t, err)
	defer bsub.Unsubscribe()

	// A real transaction goes through; its replay is refused by nonce.
	good := signed(func(*vm.Tx) {}, alice.key)
	var goodTx vm.Tx
	require.NoError(t, json.Unmarshal([]byte(good), &goodTx))
	statuses := make(chan client.Receipt, 16)
	tsub, err := ws.SubscribeTxStatus(ctx, goodTx.Hash(), statuses)
	require.NoError(t, err)
	defer tsub.Unsubscribe()
	_, r := post(t, url, `{"jsonrpc":"2.0","id":1,"method":"keel_sendTransaction","params":[`+good+`]}`)
	require.Nil(t, r.Error)
	var h common.Hash
	require.NoError(t, json.Unmarshal(r.Result, &h))
	_, r = post(t, url, `{"jsonrpc":"2.0","id":1,"method":"keel_sendTransaction","params":[`+good+`]}`)
	require.NotNil(t, r.Error)
	// Still pending it is "already known"; once executed, "nonce already used".
	require.Regexp(t, "already known|nonce already used", r.Error.Message)

	// The subscriber sees the transaction move forward to finalized, and
	// the batch that holds it go through every status.
	var seen []client.TxStatus
	for len(seen) == 0 || seen[len(seen)-1] != client.StatusFinalized {
		select {
		case r := <-statuses:
			require.Equal(t, h, r.Hash)
			if len(seen) > 0 {
				require.Greater(t, r.Status.Rank(), seen[len(seen)-1].Rank(), "status only moves forward")
			}
			seen = append(seen, r.Status)
		case err := <-tsub.Err():
			t.Fatalf("txStatus subscription ended: %v", err)
		case <-ctx.Done():
			t.Fatalf("no finalized event; saw %v", seen)
		}
	}
	require.Contains(t, seen, client.StatusSequenced)
	batchSeen := map[client.BatchStatus]bool{}
	for len(batchSeen) < 4 {
		select {
		case b := <-batches:
			batchSeen[b.Status] = true
		case <-ctx.Done():
			t.Fatalf("batch events: saw %v", batchSeen)
		}
	}
	require.True(t, batchSeen[client.BatchSealed] && batchSeen[client.BatchProven] && batchSeen[client.BatchSubmitted] && batchSeen[client.BatchFinalized])

	// Still up, still serving.
	info := chainInfo(t, c)
	require.EqualValues(t, cfg.ChainID, info.ChainID)
	var rec *client.Receipt
	require.NoError(t, c.Call(&rec, "keel_getTransactionReceipt", h))
	require.NotNil(t, rec)
}

// TestRPCSpam floods the node: thousands of transactions with bad
// signatures from many connections, and one account sending far more than
// the mempool lets one account hold. Every bad one is refused with its
// reason, the pool stays within its limits, and honest traffic still gets
// through.
func TestRPCSpam(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geth and the node; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cfg := testConfig(t, t.TempDir())
	cfg.Mempool.MaxPerAccount = 16
	cfg.BatchTimeout = time.Hour // nothing leaves the pool by sealing during the flood
	n, c := startNode(t, ctx, cfg)
	defer func() { c.Close(); n.Stop(context.Background()) }()
	alice, mallory := newUser(t, "spam alice", nil), newUser(t, "spam mallory", nil)
	fundUsers(t, ctx, n, c, 1_000_000, alice, mallory)

	// 2,000 forged transfers from alice's account, signed by mallory, over
	// 8 connections at once.
	const forged, conns = 2000, 8
	var wg sync.WaitGroup
	var refused atomic.Int64
	for k := 0; k < conns; k++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rc, err := rpc.DialContext(ctx, n.WSEndpoint())
			if err != nil {
				return
			}
			defer rc.Close()
			for i := k; i < forged; i += conns {
				tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: mallory.index, Amount: 1000, Fee: 1, Nonce: uint32(i % 8)}
				if tx.Sign(mallory.key) != nil {
					return
				}
				var h common.Hash
				if err := rc.Call(&h, "keel_sendTransaction", tx); err != nil && strings.Contains(err.Error(), "bad signature") {
					refused.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	require.EqualValues(t, forged, refused.Load(), "every forged transaction is refused as a bad signature")

	// Mallory sends more than one account may hold. Her nonces start one
	// past her account's, so none can execute and leave the pool: the
	// surplus is refused.
	before := chainInfo(t, c).Pending // the deposits, in the still-open batch
	full := 0
	for i := 0; i < 3*cfg.Mempool.MaxPerAccount; i++ {
		tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: mallory.index, To: alice.index, Amount: 1000, Fee: 1, Nonce: uint32(i + 1)}
		require.NoError(t, tx.Sign(mallory.key))
		var h common.Hash
		if err := c.Call(&h, "keel_sendTransaction", tx); err != nil {
			require.Regexp(t, "too many pooled transactions|nonce too far ahead", err.Error())
			full++
		}
	}
	require.Positive(t, full, "the per-account limit holds")
	info := chainInfo(t, c)
	require.Equal(t, before+cfg.Mempool.MaxPerAccount, info.Pending, "the pool holds exactly the limit for mallory")

	// Honest traffic still gets through.
	tx := &vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: alice.index, To: mallory.index, Amount: 1000, Fee: 1, Nonce: 0}
	h := send(t, c, tx, alice.key)
	var r *client.Receipt
	require.NoError(t, c.Call(&r, "keel_getTransactionReceipt", h))
	require.NotNil(t, r)
}
