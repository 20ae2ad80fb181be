package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// readmeChannelLines returns the command lines of the README's "Payment
// channels" section: its first sh block, comments stripped.
func readmeChannelLines(t *testing.T) []string {
	readme, err := os.ReadFile(filepath.Join("..", "..", "README.md"))
	require.NoError(t, err)
	s := string(readme)
	begin := strings.Index(s, "## Payment channels")
	require.True(t, begin >= 0, "README has no Payment channels section")
	s = s[begin:]
	open := strings.Index(s, "```sh\n")
	require.True(t, open >= 0, "the Payment channels section has no sh block")
	s = s[open+len("```sh\n"):]
	end := strings.Index(s, "```")
	require.True(t, end >= 0)
	var lines []string
	for _, l := range strings.Split(s[:end], "\n") {
		if i := strings.Index(l, "#"); i >= 0 {
			l = l[:i]
		}
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return lines
}

// freeAddr returns a loopback host:port nothing listens on right now.
func freeAddr(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	addr := l.Addr().String()
	require.NoError(t, l.Close())
	return addr
}

// TestChannelCommandsOnDevnet runs the README's "Payment channels"
// commands word for word (but for the listener's port and jq) against a
// real in-process node, from the state the README's quick start leaves
// (Alice account 1, Bob account 2): open, listen, 100 payments, a
// cooperative close finalized on L1, and exact balances. Then a channel
// both fund (--peer-amount, --peer-key) with a short challenge period,
// closed --unilateral by Alice while Bob is offline and paid out by
// `keel channel finalize` at Alice's latest state.
func TestChannelCommandsOnDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a devnet and proves; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	n := startTestNode(t, ctx)

	lines := walkthrough(t)
	chanLines := readmeChannelLines(t)
	t.Chdir(t.TempDir()) // the key files land here
	home := t.TempDir()
	t.Setenv("HOME", home) // the default channel stores, ~/.keel/channels/<key>
	t.Setenv("KEEL_RPC", n.RPCEndpoint())

	// keel runs one command line to completion.
	keel := func(args ...string) (string, error) {
		t.Helper()
		require.Equal(t, "keel", args[0])
		var stdout, stderr bytes.Buffer
		err := run(ctx, args[1:], &stdout, &stderr)
		t.Logf("$ %s\n%s%s", strings.Join(args, " "), stdout.String(), stderr.String())
		if err != nil {
			t.Logf("error: %v", err)
		}
		return stdout.String(), err
	}
	// listen runs `keel channel listen` in the background until the
	// returned stop; it returns once the listener says it listens.
	listen := func(args ...string) (*syncBuffer, func()) {
		t.Helper()
		require.Equal(t, []string{"keel", "channel", "listen"}, args[:3])
		lctx, stopListen := context.WithCancel(ctx)
		var stdout, stderr syncBuffer
		done := make(chan error, 1)
		go func() { done <- run(lctx, args[1:], &stdout, &stderr) }()
		for !strings.Contains(string(stdout.Bytes()), "listening on ") {
			select {
			case err := <-done:
				stopListen()
				t.Fatalf("$ %s\nexited before listening: %v\n%s", strings.Join(args, " "), err, stderr.Bytes())
			case <-time.After(20 * time.Millisecond):
			case <-ctx.Done():
				t.Fatalf("keel channel listen did not start: %s", stderr.Bytes())
			}
		}
		return &stdout, func() {
			t.Helper()
			stopListen()
			select {
			case err := <-done:
				t.Logf("$ %s\n%s%s", strings.Join(args, " "), stdout.Bytes(), stderr.Bytes())
				require.NoError(t, err, "keel channel listen stops cleanly")
			case <-time.After(10 * time.Second):
				t.Fatal("keel channel listen did not stop")
			}
		}
	}

	// The quick start, exactly as TestREADMEWalkthrough runs it.
	runWalkthrough(t, ctx, lines)

	c, err := client.Dial(ctx, n.RPCEndpoint())
	require.NoError(t, err)
	defer c.Close()
	balance := func(index uint32) uint64 {
		t.Helper()
		acc, err := c.Account(ctx, index)
		require.NoError(t, err)
		b, err := acc.BalanceGwei()
		require.NoError(t, err)
		return b
	}
	alice, bob := balance(1), balance(2)
	// What the quick start leaves (TestREADMEWalkthrough checks it too).
	require.EqualValues(t, 249_999_998, alice)
	require.EqualValues(t, 350_000_000, bob)
	aliceAcc, err := c.Account(ctx, 1)
	require.NoError(t, err)
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	minFee, err := info.MinFeeGwei()
	require.NoError(t, err)
	txHash := regexp.MustCompile(`(?m)^transaction: (0x[0-9a-f]{64})$`)
	hashOf := func(out string) common.Hash {
		t.Helper()
		m := txHash.FindStringSubmatch(out)
		require.NotNil(t, m, "no transaction hash in %q", out)
		return common.HexToHash(m[1])
	}

	// --- The README's block: open, listen, pay, close. ---
	require.Len(t, chanLines, 4, "the README's channel block: open, listen, pay, close")
	openLine, ok := strings.CutPrefix(chanLines[0], "ID=$(")
	require.True(t, ok, "the open line sets ID: %q", chanLines[0])
	openLine, ok = strings.CutSuffix(openLine, "| jq -r .channel)")
	require.True(t, ok, "the open line pipes --json through jq: %q", chanLines[0])
	require.Equal(t, "keel channel open --keyfile alice.json --peer 2 --amount 0.1eth --period 1h --json", strings.TrimSpace(openLine))
	out, err := keel(strings.Fields(openLine)...)
	require.NoError(t, err)
	var opened channelOpenOut
	require.NoError(t, json.Unmarshal([]byte(out), &opened))
	id := opened.Channel
	require.Equal(t, strconv.FormatUint(vm.ChannelIDOf(1, aliceAcc.Nonce), 10), id, "Alice's account and the open's nonce")
	require.Equal(t, client.StatusSequenced, opened.Status)
	require.NotNil(t, opened.Leaf)
	require.Equal(t, channelOpenOut{Hash: opened.Hash, Status: client.StatusSequenced, Batch: opened.Batch, Channel: id, Leaf: opened.Leaf,
		A: 1, B: 2, Amount: "100000000", PeerAmount: "0", Period: 3600, Fee: strconv.FormatUint(minFee, 10), Store: opened.Store}, opened)
	require.DirExists(t, opened.Store, "the open recorded the channel in Alice's store")
	require.Equal(t, filepath.Join(home, ".keel", "channels"), filepath.Dir(opened.Store), "the default store, named after her key")
	openFee := minFee
	// The soft-confirmed balance already shows the lock and the fee.
	require.Equal(t, alice-100_000_000-openFee, balance(1))

	// Bob listens on a free port instead of 7600.
	addr := freeAddr(t)
	url := "ws://" + addr + "/"
	sub := func(line string) []string {
		line = strings.ReplaceAll(line, "$ID", id)
		line = strings.ReplaceAll(line, "127.0.0.1:7600", addr)
		return strings.Fields(line)
	}
	require.Equal(t, "keel channel listen --keyfile bob.json --channel $ID --addr 127.0.0.1:7600", chanLines[1])
	// Bob's store lacks the channel: listen imports it from L2, which
	// shows it once the open's batch is sealed (within the batch timeout).
	require.Eventually(t, func() bool {
		ch, err := c.GetChannel(ctx, vm.ChannelIDOf(1, aliceAcc.Nonce))
		return err == nil && ch != nil
	}, 30*time.Second, 50*time.Millisecond, "the open's batch is sealed")
	bobOut, stopBob := listen(sub(chanLines[1])...)
	require.Contains(t, string(bobOut.Bytes()), "listening on "+url+" for channel(s) "+id)

	require.Equal(t, "keel channel pay --keyfile alice.json --channel $ID --peer-url ws://127.0.0.1:7600/ --amount 1000 --count 100", chanLines[2])
	out, err = keel(sub(chanLines[2])...)
	require.NoError(t, err)
	require.Equal(t, "paid:     100000 gwei in 100 payment(s)\nversion:  100\nbalances: 99900000 gwei yours, 100000 gwei the peer's\n", out)
	// Bob printed each payment once, co-signed and durable.
	require.Eventually(t, func() bool {
		return strings.Count(string(bobOut.Bytes()), "received 1000 gwei on channel "+id) == 100
	}, 10*time.Second, 20*time.Millisecond)
	require.Contains(t, string(bobOut.Bytes()), "received 1000 gwei on channel "+id+" (version 100)\n")

	// (Bob's store is his listener's while it runs: read Alice's.)
	out, err = keel("keel", "channel", "info", "--keyfile", "alice.json", "--channel", id)
	require.NoError(t, err)
	require.Contains(t, out, "on L2:    open, leaf "+strconv.Itoa(int(*opened.Leaf))+", accounts 1 (A) and 2 (B)")
	require.Contains(t, out, "locked:   100000000 gwei\nstate:    version 0: A 100000000 gwei, B 0 gwei\nperiod:   3600 s")
	require.Contains(t, out, "yours:    version 100: A 99900000 gwei, B 100000 gwei", "Alice's store holds the latest state")

	require.Equal(t, "keel channel close --keyfile alice.json --channel $ID --peer-url ws://127.0.0.1:7600/", chanLines[3])
	out, err = keel(sub(chanLines[3])...)
	require.NoError(t, err)
	require.Contains(t, out, "status:      sequenced\n")
	require.Contains(t, out, "close:       cooperative, version 101: A gets 99900000 gwei, B 100000 gwei\n")
	closeHash := hashOf(out)
	stopBob()
	out, err = keel("keel", "channel", "info", "--keyfile", "bob.json", "--channel", id)
	require.NoError(t, err)
	require.Contains(t, out, "yours:    version 101, final: A 99900000 gwei, B 100000 gwei", "Bob's store holds the final state")

	// The close settles at once; follow it to L1.
	r, err := c.WaitForStatus(ctx, closeHash, client.StatusFinalized)
	require.NoError(t, err)
	require.Equal(t, client.StatusFinalized, r.Status)
	require.Equal(t, vm.TxChanClose.String(), r.Type)
	require.NotNil(t, r.L1TxHash)
	// Alice: the open's fee and 100 × 1,000 gwei; Bob: 100,000 gwei.
	require.Equal(t, alice-openFee-100*1000, balance(1))
	require.Equal(t, bob+100*1000, balance(2))
	alice, bob = balance(1), balance(2)
	ch, err := c.GetChannel(ctx, vm.ChannelIDOf(1, aliceAcc.Nonce))
	require.NoError(t, err)
	require.Nil(t, ch, "a settled channel is gone from L2")

	// keel channel info: gone from L2; a store that has it still shows the
	// final state.
	_, err = keel("keel", "channel", "info", "--channel", id)
	require.ErrorContains(t, err, "channel "+id+" is not on L2 (never opened, its batch not sealed yet, or settled) and not in your channel store")
	out, err = keel("keel", "channel", "info", "--keyfile", "alice.json", "--channel", id)
	require.NoError(t, err)
	require.Contains(t, out, "on L2:    none (not sealed yet, or settled)")
	require.Contains(t, out, "yours:    version 101, final: A 99900000 gwei, B 100000 gwei")
	_, err = keel("keel", "channel", "finalize", "--channel", id)
	require.ErrorContains(t, err, "is not on L2", "nothing left to pay out")

	// --- Unilateral: both fund a channel with a 3 s challenge period. ---
	aliceAcc, err = c.Account(ctx, 1)
	require.NoError(t, err)
	id2n := vm.ChannelIDOf(1, aliceAcc.Nonce)
	out, err = keel("keel", "channel", "open", "--keyfile", "alice.json", "--peer", "2", "--amount", "0.01eth",
		"--peer-amount", "5000", "--peer-key", "bob.json", "--period", "3s", "--json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal([]byte(out), &opened))
	id2 := opened.Channel
	require.Equal(t, strconv.FormatUint(id2n, 10), id2)
	require.Equal(t, "10000000", opened.Amount)
	require.Equal(t, "5000", opened.PeerAmount)
	require.EqualValues(t, 3, opened.Period)
	require.Equal(t, client.StatusSequenced, opened.Status)
	require.Equal(t, alice-10_000_000-openFee, balance(1))
	require.Equal(t, bob-5000, balance(2), "Bob's share is locked too")
	require.Eventually(t, func() bool {
		ch, err := c.GetChannel(ctx, id2n)
		return err == nil && ch != nil
	}, 30*time.Second, 50*time.Millisecond, "the open's batch is sealed")

	addr2 := freeAddr(t)
	url2 := "ws://" + addr2 + "/"
	bobOut, stopBob = listen("keel", "channel", "listen", "--keyfile", "bob.json", "--channel", id2, "--addr", addr2)
	require.Contains(t, string(bobOut.Bytes()), "listening on "+url2+" for channel(s) "+id2+";",
		"the settled first channel is not advertised")
	out, err = keel("keel", "channel", "pay", "--keyfile", "alice.json", "--channel", id2, "--peer-url", url2, "--amount", "1000", "--count", "3", "--json")
	require.NoError(t, err)
	var paid channelStateOut
	require.NoError(t, json.Unmarshal([]byte(out), &paid))
	require.Equal(t, channelStateOut{Channel: id2, Paid: "3000", Payments: 3, Version: 3, Balance: "9997000", PeerBalance: "8000"}, paid)
	require.Eventually(t, func() bool {
		return strings.Count(string(bobOut.Bytes()), "received 1000 gwei on channel "+id2) == 3
	}, 10*time.Second, 20*time.Millisecond)
	stopBob() // Bob goes offline

	_, err = keel("keel", "channel", "close", "--keyfile", "alice.json", "--channel", id2, "--peer-url", url2)
	require.ErrorContains(t, err, "reach the peer", "Bob is offline")
	require.ErrorContains(t, err, "close with --unilateral")
	out, err = keel("keel", "channel", "close", "--keyfile", "alice.json", "--channel", id2, "--unilateral")
	require.NoError(t, err)
	require.Contains(t, out, "status:      sequenced\n")
	require.Contains(t, out, "close:       unilateral, version 3: A gets 9997000 gwei, B 8000 gwei\n")
	require.Contains(t, out, "next:        after the 3 s challenge period, keel channel finalize --channel "+id2+"\n")
	disputeHash := hashOf(out)
	r, err = c.WaitForStatus(ctx, disputeHash, client.StatusSequenced)
	require.NoError(t, err)
	require.Equal(t, vm.TxChanDispute.String(), r.Type)

	// The chain holds Alice's state until the deadline.
	require.Eventually(t, func() bool {
		ch, err := c.GetChannel(ctx, id2n)
		return err == nil && ch != nil && ch.Status == client.ChannelClosing
	}, 30*time.Second, 50*time.Millisecond, "the dispute's batch is sealed")
	closing, err := c.GetChannel(ctx, id2n)
	require.NoError(t, err)
	require.NotNil(t, closing)
	require.Equal(t, client.ChannelClosing, closing.Status)
	require.EqualValues(t, 3, closing.Version)
	require.EqualValues(t, 9_997_000, closing.SplitA)
	require.EqualValues(t, 8000, closing.SplitB)
	require.NotZero(t, closing.Deadline)
	out, err = keel("keel", "channel", "info", "--channel", id2)
	require.NoError(t, err)
	require.Contains(t, out, "on L2:    closing")
	require.Contains(t, out, fmt.Sprintf("deadline: batch time %d", closing.Deadline))
	_, err = keel("keel", "channel", "close", "--keyfile", "alice.json", "--channel", id2, "--unilateral")
	require.ErrorContains(t, err, "already closing at version 3")
	// Bob holds nothing newer than the closing state: a challenge, on L2
	// or through L1, has nothing to say.
	_, err = keel("keel", "channel", "challenge", "--keyfile", "bob.json", "--channel", id2)
	require.ErrorContains(t, err, "closing with version 3, and your latest state is version 3")
	_, err = keel("keel", "channel", "challenge", "--keyfile", "bob.json", "--channel", id2, "--l1-key", "0x01")
	require.ErrorContains(t, err, "--l1-key, --l1-rpc and --rollup are for --l1")
	_, err = keel("keel", "channel", "challenge", "--keyfile", "bob.json", "--channel", id2, "--l1")
	require.ErrorContains(t, err, "nothing newer to challenge with")

	// Finalize after the period. Batch time is the L1 head's, which moves
	// only when an L1 block is mined (a batch commit): when a finalize is
	// refused as early once the wall clock is past the deadline, a
	// 1-gwei transfer makes the next batch (and commit) and it is retried.
	var finalized string
	dummies := uint64(0)
	for attempt := 0; ; attempt++ {
		require.Less(t, attempt, 100, "keel channel finalize never accepted")
		out, err = keel("keel", "channel", "finalize", "--channel", id2)
		if err == nil {
			finalized = out
			break
		}
		require.ErrorContains(t, err, "challenge period ends at", "refused only as early")
		require.ErrorContains(t, err, fmt.Sprintf("the challenge period ends at batch time %d", closing.Deadline))
		if uint64(time.Now().Unix()) < uint64(closing.Deadline) {
			select {
			case <-time.After(time.Until(time.Unix(int64(closing.Deadline), 0))):
			case <-ctx.Done():
				t.Fatal(ctx.Err())
			}
			continue
		}
		_, err = keel("keel", "transfer", "--keyfile", "alice.json", "--to", "2", "--amount", "1", "--wait", "finalized")
		require.NoError(t, err)
		dummies++
	}
	require.Contains(t, finalized, "status:      sequenced\n")
	require.Contains(t, finalized, "paid out:    9997000 gwei to account 1, 8000 gwei to account 2\n")
	r, err = c.WaitForStatus(ctx, hashOf(finalized), client.StatusFinalized)
	require.NoError(t, err)
	require.Equal(t, vm.TxChanFinalize.String(), r.Type)
	// The payout is Alice's latest state: she locked 0.01 ETH and paid
	// 3 × 1,000 gwei; Bob locked 5,000 gwei. Both are paid out.
	require.Equal(t, alice-openFee-3000-dummies*(1+minFee), balance(1))
	require.Equal(t, bob+3000+dummies, balance(2))
	ch, err = c.GetChannel(ctx, id2n)
	require.NoError(t, err)
	require.Nil(t, ch, "a finalized channel is gone from L2")
	_, err = keel("keel", "channel", "info", "--channel", id2)
	require.ErrorContains(t, err, "is not on L2")
	t.Logf("finalize needed %d dummy transfer(s)", dummies)
}
