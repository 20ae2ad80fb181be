package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// chanFakeNode is a node's keel_ namespace with just enough of the channel
// rules to drive the channel commands: opens get the next leaf, states are
// checked against both parties' keys, disputes start a closing period,
// finalize pays out. Nothing proves; this is the commands' test, not the
// VM's.
type chanFakeNode struct {
	mu       sync.Mutex
	accounts []client.Account
	channels map[uint64]client.Channel
	nextLeaf uint32
	sent     []vm.Tx
	receipts map[common.Hash]client.Receipt
}

func (n *chanFakeNode) ChainInfo() client.ChainInfo {
	return client.ChainInfo{ChainID: 77, L1ChainID: 1337, Depth: 8, Slots: 8, MinFee: "1"}
}

func (n *chanFakeNode) GetAccount(index uint32) (client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if int(index) < len(n.accounts) {
		return n.accounts[index], nil
	}
	return client.Account{Index: index, Kind: "empty", Balance: "0"}, nil
}

func (n *chanFakeNode) GetAccountByKey(pub vm.PublicKey) (*client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, a := range n.accounts {
		if *a.PubKey == pub {
			return &a, nil
		}
	}
	return nil, nil
}

func (n *chanFakeNode) GetChannel(id client.Decimal) (*client.Channel, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if ch, ok := n.channels[uint64(id)]; ok {
		return &ch, nil
	}
	return nil, nil
}

func (n *chanFakeNode) GetTransactionReceipt(h common.Hash) (*client.Receipt, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if r, ok := n.receipts[h]; ok {
		return &r, nil
	}
	return nil, nil
}

func (n *chanFakeNode) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if err := tx.CheckStatic(77, 8); err != nil {
		return common.Hash{}, err
	}
	h := tx.Hash()
	leaf := tx.Channel
	var ch *client.Channel
	for _, c := range n.channels {
		if c.Leaf == tx.Channel {
			c := c
			ch = &c
		}
	}
	switch tx.Type {
	case vm.TxChanOpen:
		from, to := &n.accounts[tx.From], n.accounts[tx.To]
		if !tx.VerifySignature(*from.PubKey) || tx.Nonce != from.Nonce {
			return common.Hash{}, errors.New("vm: bad signature")
		}
		if tx.AmountB > 0 && !to.PubKey.VerifyElement(tx.Message(), tx.SigB) {
			return common.Hash{}, errors.New("vm: bad signature: B's funding")
		}
		from.Nonce++
		leaf = n.nextLeaf
		n.nextLeaf++
		id := vm.ChannelIDOf(tx.From, tx.Nonce)
		n.channels[id] = client.Channel{ID: client.Decimal(id), Leaf: leaf, Status: client.ChannelOpen, A: tx.From, B: tx.To,
			OpenNonce: tx.Nonce, Period: tx.Period, SplitA: client.Decimal(tx.Amount), SplitB: client.Decimal(tx.AmountB),
			Total: client.Decimal(tx.Amount + tx.AmountB), Batch: 4}
	case vm.TxChanFinalize:
		if ch == nil || ch.Status != client.ChannelClosing {
			n.receipts[h] = client.Receipt{Hash: h, Status: client.StatusRejected, Error: "vm: channel is not in a state that allows this"}
			n.sent = append(n.sent, *tx)
			return h, nil
		}
		delete(n.channels, uint64(ch.ID))
	default:
		if ch == nil {
			return common.Hash{}, errors.New("vm: no such channel")
		}
		st := tx.ChannelState(uint64(ch.ID))
		okA, okB := st.Verify(*n.accounts[ch.A].PubKey, tx.Sig), st.Verify(*n.accounts[ch.B].PubKey, tx.SigB)
		if tx.Type == vm.TxChanDispute && st.Version == 0 {
			okA, okB = okA || okB, okA != okB // the opening: its closer's signature alone
		}
		if !okA || !okB {
			return common.Hash{}, errors.New("vm: bad signature of the channel state")
		}
		switch tx.Type {
		case vm.TxChanClose:
			delete(n.channels, uint64(ch.ID))
		case vm.TxChanDispute, vm.TxChanChallenge:
			ch.Status, ch.Version, ch.SplitA, ch.SplitB = client.ChannelClosing, client.Decimal(tx.Version), client.Decimal(tx.Amount), client.Decimal(tx.AmountB)
			ch.Deadline = client.Decimal(1_700_000_000 + uint64(ch.Period))
			n.channels[uint64(ch.ID)] = *ch
		}
	}
	n.sent = append(n.sent, *tx)
	b := hexutil.Uint64(4)
	n.receipts[h] = client.Receipt{Hash: h, Type: tx.Type.String(), Status: client.StatusSequenced, Batch: &b, Channel: &leaf}
	return h, nil
}

func (n *chanFakeNode) lastSent() vm.Tx {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.sent[len(n.sent)-1]
}

func (n *chanFakeNode) sentCount() int {
	n.mu.Lock()
	defer n.mu.Unlock()
	return len(n.sent)
}

// background runs a long-running keel command until the returned stop is
// called, and returns its stdout.
func background(t *testing.T, env map[string]string, args ...string) (*syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	g := newGlobals(ctx, &stdout, &stderr)
	g.lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan error, 1)
	go func() { done <- runWith(g, args) }()
	return &stdout, func() error {
		cancel()
		select {
		case err := <-done:
			if err != nil {
				t.Logf("stderr of keel %s: %s", strings.Join(args, " "), stderr.Bytes())
			}
			return err
		case <-time.After(10 * time.Second):
			return errors.New("command did not stop")
		}
	}
}

func TestChannelCommands(t *testing.T) {
	dir := t.TempDir()
	keyFile := func(name string) (*vm.PrivateKey, string) {
		seed := sha256.Sum256([]byte("channel cli " + name))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		data, err := vm.EncryptKey(k, "pw", vm.LightScryptN, vm.LightScryptP)
		require.NoError(t, err)
		path := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(path, data, 0o600))
		return k, path
	}
	op, _ := keyFile("operator")
	alice, aliceFile := keyFile("alice")
	bob, bobFile := keyFile("bob")
	po, pa, pb := op.Public(), alice.Public(), bob.Public()
	node := &chanFakeNode{nextLeaf: 3, channels: map[uint64]client.Channel{}, receipts: map[common.Hash]client.Receipt{}, accounts: []client.Account{
		{Index: 0, Kind: "account", PubKey: &po, Balance: "0"},
		{Index: 1, Kind: "account", PubKey: &pa, Balance: "1000000"},
		{Index: 2, Kind: "account", PubKey: &pb, Balance: "1000000"},
	}}
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", node))
	defer srv.Stop()
	httpSrv := httptest.NewServer(srv)
	defer httpSrv.Close()

	aliceStore, bobStore := filepath.Join(dir, "alice-channels"), filepath.Join(dir, "bob-channels")
	aliceEnv := map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_KEYFILE": aliceFile, "KEEL_PASSWORD": "pw", "KEEL_CHANNEL_STORE": aliceStore}
	bobEnv := map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_KEYFILE": bobFile, "KEEL_PASSWORD": "pw", "KEEL_CHANNEL_STORE": bobStore}
	keel := func(env map[string]string, args ...string) (string, error) {
		g, stdout, _ := testGlobals(t, env)
		err := runWith(g, args)
		return stdout.String(), err
	}

	t.Run("flag errors", func(t *testing.T) {
		for _, tc := range []struct {
			args []string
			want string
		}{
			{[]string{"channel", "open", "--amount", "1000"}, "set --peer"},
			{[]string{"channel", "open", "--peer", "2"}, "a channel must lock something"},
			{[]string{"channel", "open", "--peer", "2", "--amount", "1000", "--peer-amount", "500"}, "--peer-amount needs --peer-key"},
			{[]string{"channel", "open", "--peer", "2", "--amount", "1234567"}, "the nearest is 1234560 gwei"},
			{[]string{"channel", "open", "--peer", "2", "--amount", "1000", "--period", "0"}, "between 1 second"},
			{[]string{"channel", "open", "--peer", "2", "--amount", "1000", "--period", "1.5s"}, "want whole seconds"},
			{[]string{"channel", "open", "--peer", "1", "--amount", "1000"}, "your own account"},
			{[]string{"channel", "open", "--peer", "7", "--amount", "1000"}, "index 7 is empty"},
			{[]string{"channel", "open", "--peer", "0x1234", "--amount", "1000"}, "is not a public key"},
			{[]string{"channel", "open", "--peer", bobFile, "--peer-key", aliceFile, "--amount", "1000", "--peer-amount", "5"}, "holds key"},
			{[]string{"channel", "pay", "--peer-url", "ws://x/", "--amount", "5"}, "set --channel"},
			{[]string{"channel", "pay", "--channel", "x1", "--peer-url", "ws://x/", "--amount", "5"}, "is not a channel id"},
			{[]string{"channel", "pay", "--channel", "1", "--amount", "5"}, "set --peer-url"},
			{[]string{"channel", "pay", "--channel", "1", "--peer-url", "http://x/", "--amount", "5"}, "want a websocket URL"},
			{[]string{"channel", "pay", "--channel", "1", "--peer-url", "ws://x/", "--amount", "5", "--count", "0"}, "at least one payment"},
			{[]string{"channel", "pay", "--channel", "1", "--peer-url", "ws://x/", "--amount", "5"}, "channel 1 is not on L2"},
			{[]string{"channel", "close", "--channel", "1"}, "or close alone with --unilateral"},
			{[]string{"channel", "close", "--channel", "1", "--unilateral", "--peer-url", "ws://x/"}, "drop --peer-url"},
			{[]string{"channel", "finalize", "--channel", "999"}, "channel 999 is not on L2"},
			{[]string{"channel", "info", "--channel", "999"}, "not in your channel store"},
			{[]string{"channel", "watch", "--channel-store", filepath.Join(dir, "nowhere")}, "no channel store at"},
			{[]string{"channel", "watch", "--fallback-blocks", "0"}, "--fallback-blocks 0"},
			{[]string{"channel", "watch", "--l1-rpc", "http://127.0.0.1:1"}, "add --l1-key"},
			{[]string{"channel", "listen", "--watch=false", "--l1-key", "0x01"}, "drop it with --watch=false"},
			{[]string{"channel", "challenge", "--channel", "1", "--rollup", "0x01"}, "are for --l1"},
			{[]string{"channel", "listen", "--log-level", "loud"}, "--log-level"},
			{[]string{"channel", "listen", "--addr", "127.0.0.1:0"}, "no open channels to serve"},
		} {
			_, err := keel(aliceEnv, tc.args...)
			require.ErrorContains(t, err, tc.want, "%q", tc.args)
		}
		_, err := keel(map[string]string{"KEEL_RPC": httpSrv.URL}, "channel", "watch")
		require.ErrorContains(t, err, "set --channel-store, or --keyfile")
		require.Zero(t, node.sentCount(), "no failed command sent anything")
	})

	// Alice opens a channel with Bob, both locking funds: Bob co-signs.
	out, err := keel(aliceEnv, "channel", "open", "--peer", "2", "--amount", "5000", "--peer-amount", "3000", "--peer-key", bobFile, "--period", "1h", "--json")
	require.NoError(t, err)
	var opened channelOpenOut
	require.NoError(t, json.Unmarshal([]byte(out), &opened))
	id := vm.ChannelIDOf(1, 0)
	require.Equal(t, strconv.FormatUint(id, 10), opened.Channel)
	require.EqualValues(t, 3, *opened.Leaf)
	require.Equal(t, client.StatusSequenced, opened.Status)
	require.EqualValues(t, 3600, opened.Period)
	tx := node.lastSent()
	require.Equal(t, vm.TxChanOpen, tx.Type)
	require.EqualValues(t, 1, tx.Fee, "the node's minimum fee")
	require.True(t, pb.VerifyElement(tx.Message(), tx.SigB), "Bob co-signed")
	st, err := statechan.OpenStore(aliceStore, nil)
	require.NoError(t, err)
	p, err := st.Params(id)
	require.NoError(t, err)
	require.NoError(t, st.Close())
	require.Equal(t, statechan.Params{ChainID: 77, ChannelID: id, A: pa, B: pb, InitialA: 5000, InitialB: 3000}, p, "recorded in Alice's store")

	// Bob listens (importing the channel from L2); Alice pays three times.
	listenURL := regexp.MustCompile(`ws://[0-9.:]+/`)
	startListener := func(channel uint64) (*syncBuffer, func() error, string) {
		stdout, stop := background(t, bobEnv, "channel", "listen", "--channel", strconv.FormatUint(channel, 10), "--addr", "127.0.0.1:0", "--poll", "50ms")
		require.Eventually(t, func() bool { return listenURL.MatchString(string(stdout.Bytes())) }, 10*time.Second, 10*time.Millisecond)
		return stdout, stop, listenURL.FindString(string(stdout.Bytes()))
	}
	bobOut, stopBob, url := startListener(id)
	out, err = keel(aliceEnv, "channel", "pay", "--channel", opened.Channel, "--peer-url", url, "--amount", "100", "--count", "3", "--json")
	require.NoError(t, err)
	var paid channelStateOut
	require.NoError(t, json.Unmarshal([]byte(out), &paid))
	require.Equal(t, channelStateOut{Channel: opened.Channel, Paid: "300", Payments: 3, Version: 3, Balance: "4700", PeerBalance: "3300"}, paid)
	require.Eventually(t, func() bool { return strings.Count(string(bobOut.Bytes()), "received 100 gwei") == 3 }, 5*time.Second, 10*time.Millisecond)

	out, err = keel(aliceEnv, "channel", "info", "--channel", opened.Channel)
	require.NoError(t, err)
	require.Contains(t, out, "on L2:    open, leaf 3, accounts 1 (A) and 2 (B)")
	require.Contains(t, out, "yours:    version 3: A 4700 gwei, B 3300 gwei")

	// A cooperative close: the final state both signed, settled at once.
	out, err = keel(aliceEnv, "channel", "close", "--channel", opened.Channel, "--peer-url", url, "--json")
	require.NoError(t, err)
	var closed channelCloseOut
	require.NoError(t, json.Unmarshal([]byte(out), &closed))
	require.Equal(t, "cooperative", closed.Kind)
	require.Equal(t, "4700", closed.BalanceA)
	tx = node.lastSent()
	require.Equal(t, vm.TxChanClose, tx.Type)
	require.True(t, tx.Final)
	require.EqualValues(t, 3300, tx.AmountB)
	require.NoError(t, stopBob())
	_, err = keel(aliceEnv, "channel", "finalize", "--channel", opened.Channel)
	require.ErrorContains(t, err, "is not on L2", "settled")

	// A second channel, opened by naming Bob's key file; Alice pays once.
	out, err = keel(aliceEnv, "channel", "open", "--peer", bobFile, "--amount", "2000", "--period", "60", "--json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(out), &opened))
	id2 := vm.ChannelIDOf(1, 1)
	require.Equal(t, strconv.FormatUint(id2, 10), opened.Channel)
	_, stopBob, url = startListener(id2)
	_, err = keel(aliceEnv, "channel", "pay", "--channel", opened.Channel, "--peer-url", url, "--amount", "500")
	require.NoError(t, err)
	require.NoError(t, stopBob())

	// Bob cheats: he disputes with the opening. Alice's watcher answers
	// with version 1.
	leaf2 := *opened.Leaf
	stale := vm.Tx{Type: vm.TxChanDispute, ChainID: 77, Channel: leaf2}
	opening := vm.ChannelState{ChainID: 77, ChannelID: id2, BalanceA: 2000}
	stale.SetChannelState(opening)
	stale.SigB, err = opening.Sign(bob)
	require.NoError(t, err)
	_, err = node.SendTransaction(&stale)
	require.NoError(t, err)
	watchOut, stopWatch := background(t, map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_KEYFILE": aliceFile, "KEEL_CHANNEL_STORE": aliceStore},
		"channel", "watch", "--poll", "50ms")
	require.Eventually(t, func() bool { return strings.Contains(string(watchOut.Bytes()), "challenged a stale close") }, 10*time.Second, 10*time.Millisecond)
	require.NoError(t, stopWatch())
	tx = node.lastSent()
	require.Equal(t, vm.TxChanChallenge, tx.Type)
	require.EqualValues(t, 1, tx.Version)
	require.EqualValues(t, 1500, tx.Amount)
	require.Contains(t, string(watchOut.Bytes()), fmt.Sprintf("channel %d with version 1", id2))

	_, err = keel(aliceEnv, "channel", "close", "--channel", opened.Channel, "--unilateral")
	require.ErrorContains(t, err, "already closing at version 1")
	out, err = keel(aliceEnv, "channel", "info", "--channel", opened.Channel)
	require.NoError(t, err)
	require.Contains(t, out, "deadline: batch time 1700000060")
	out, err = keel(aliceEnv, "channel", "finalize", "--channel", opened.Channel)
	require.NoError(t, err)
	require.Contains(t, out, "paid out:    1500 gwei to account 1, 500 gwei to account 2")
	require.Equal(t, vm.Tx{Type: vm.TxChanFinalize, ChainID: 77, Channel: leaf2}, node.lastSent())

	// A third channel, closed alone with its opening state.
	out, err = keel(aliceEnv, "channel", "open", "--peer", pb.String(), "--amount", "700", "--json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(out), &opened))
	out, err = keel(aliceEnv, "channel", "close", "--channel", opened.Channel, "--unilateral")
	require.NoError(t, err)
	require.Contains(t, out, "close:       unilateral, version 0: A gets 700 gwei, B 0 gwei")
	require.Contains(t, out, "keel channel finalize --channel "+opened.Channel)
	tx = node.lastSent()
	require.Equal(t, vm.TxChanDispute, tx.Type)
	closing := tx.ChannelState(vm.ChannelIDOf(1, 2))
	require.True(t, closing.Verify(pa, tx.Sig), "the closer signs the opening")
	require.Equal(t, vm.Signature{}, tx.SigB, "and no one else")
}
