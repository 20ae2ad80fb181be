package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/big"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/l1view"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/statechan"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestExodus: a censored user forces a full exit through the L1 queue,
// and the sequencer pays it. Then the sequencer stops for good with a
// deposit in the queue.
// Before the deadline nobody can exit or start exodus; after it anyone
// can. Three users leave with proofs the CLI makes from L1 data alone and
// get their exact balances on L1; an exit claiming a wrong balance and a
// second exit fail; the stranded deposit is refunded; and money is
// conserved: everything deposited is paid out or still held for the one
// account that did not exit.
func TestExodus(t *testing.T) {
	if testing.Short() {
		t.Skip("runs processes, geth and proofs; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	dir := t.TempDir()
	logs := processLogs(t, dir)
	keysDir := testKeysDir

	l1 := spawn(t, logs, "l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", "0")
	defer l1.kill()
	l1URL := l1.info["rpc"].(string)
	dev := l1node.DeriveDevAccounts(10)
	const delay = 6
	n := spawn(t, logs, devnetArgs(dir, l1URL, "300ms", "--exodus-delay", strconv.Itoa(delay))...)
	defer n.kill()
	c, err := client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	defer c.Close()
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	require.EqualValues(t, delay, info.ExodusDelay)
	eth, err := ethclient.DialContext(ctx, l1URL)
	require.NoError(t, err)
	defer eth.Close()
	rollup := info.Rollup

	// Four users with key files; three are funded and trade.
	type user struct {
		key     *vm.PrivateKey
		file    string
		index   uint32
		balance uint64
	}
	users := make([]*user, 5)
	for i := range users {
		seed := sha256.Sum256(fmt.Appendf(nil, "exodus user %d", i))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		file := filepath.Join(dir, fmt.Sprintf("user%d.json", i))
		keel(t, ctx, "account", "import", "--keyfile", file, "--password", "pw", "--light-kdf", "--private-key", hexutil.Encode(k.Bytes()))
		users[i] = &user{key: k, file: file}
	}
	funding := []uint64{1_000_000, 2_000_000, 3_000_000}
	for i, amt := range funding {
		_, err := client.Deposit(ctx, eth, rollup, dev[i+1].Key, users[i].key.Public(), amt)
		require.NoError(t, err)
	}
	for _, u := range users[:3] {
		for {
			a, err := c.AccountByKey(ctx, u.key.Public())
			require.NoError(t, err)
			if a != nil {
				u.index = a.Index
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	_, err = c.Transfer(ctx, users[0].key, users[0].index, users[1].index, 250_000, 1)
	require.NoError(t, err)
	_, err = c.Transfer(ctx, users[2].key, users[2].index, users[0].index, 1_000_000, 1)
	require.NoError(t, err)
	withdrawTo := common.HexToAddress("0x00000000000000000000000000000000000e0d05")
	_, err = c.Withdraw(ctx, users[1].key, users[1].index, withdrawTo, 300_000, 1)
	require.NoError(t, err)

	// Users 0 and 1 open a channel (user 0 locks 100,000) and co-sign a
	// state giving user 1 60,000, which user 1 keeps in its channel store:
	// the channel is still open when the operator stops.
	const chanPeriod = 4
	chHash, chID, err := c.OpenChannel(ctx, users[0].key, nil, client.OpenChannelParams{From: users[0].index, To: users[1].index, Amount: 100_000, Fee: 10, Period: chanPeriod})
	require.NoError(t, err)
	_, err = c.WaitForStatus(ctx, chHash, client.StatusSequenced)
	require.NoError(t, err)
	chState := vm.ChannelState{ChainID: uint64(info.ChainID), ChannelID: chID, Version: 3, BalanceA: 40_000, BalanceB: 60_000}
	cosigned := statechan.SignedState{State: chState}
	cosigned.SigA, err = chState.Sign(users[0].key)
	require.NoError(t, err)
	cosigned.SigB, err = chState.Sign(users[1].key)
	require.NoError(t, err)
	store1 := filepath.Join(dir, "channels1")
	chStore, err := statechan.OpenStore(store1, nil)
	require.NoError(t, err)
	require.NoError(t, chStore.Create(statechan.Params{ChainID: uint64(info.ChainID), ChannelID: chID, A: users[0].key.Public(), B: users[1].key.Public(), InitialA: 100_000}))
	require.NoError(t, chStore.Save(chID, &cosigned, nil))
	require.NoError(t, chStore.Close())

	// A censored user forces a full exit through the L1 queue with the
	// CLI: the sequencer must process it, and pays the whole balance.
	forced, forceTo := users[4], common.HexToAddress("0x00000000000000000000000000000000000f0bce")
	_, err = client.Deposit(ctx, eth, rollup, dev[3].Key, forced.key.Public(), 400_000)
	require.NoError(t, err)
	_, err = keelErr(ctx, "force-exit", "--keyfile", users[3].file, "--password", "pw", "--to", forceTo.Hex(),
		"--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[2].Key)), "--l1-rpc", l1URL, "--rollup", rollup.Hex())
	require.ErrorContains(t, err, "no account in a batch verified on L1 yet", "a key L1 knows no account of")
	for {
		a, err := c.AccountByKey(ctx, forced.key.Public())
		require.NoError(t, err)
		info, err := c.ChainInfo(ctx)
		require.NoError(t, err)
		if a != nil && a.Balance == "400000" && info.Pending == 0 && info.Finalized == info.Head {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	out := keel(t, ctx, "force-exit", "--json", "--keyfile", forced.file, "--password", "pw", "--to", forceTo.Hex(),
		"--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[2].Key)), "--l1-rpc", l1URL, "--rollup", rollup.Hex())
	var fx struct {
		Account  uint32      `json:"account"`
		Nonce    uint32      `json:"nonce"`
		Request  uint64      `json:"request"`
		L1TxHash common.Hash `json:"l1TxHash"`
	}
	require.NoError(t, json.Unmarshal(out, &fx), "%s", out)
	for {
		p, err := client.PendingWithdrawal(ctx, eth, rollup, forceTo)
		require.NoError(t, err)
		if p.Sign() > 0 {
			require.Equal(t, new(big.Int).Mul(big.NewInt(400_000), big.NewInt(1e9)), p, "the forced exit pays the whole balance")
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	a, err := c.Account(ctx, fx.Account)
	require.NoError(t, err)
	require.Equal(t, "0", a.Balance)
	require.EqualValues(t, fx.Nonce+1, a.Nonce, "an honoured full exit spends its nonce")

	// The account is funded again, and anyone files the old request again,
	// copied from its public L1 log: it names a spent nonce, so the batch
	// that consumes it pays nothing, and the new funds stay on L2.
	_, err = client.Deposit(ctx, eth, rollup, dev[3].Key, forced.key.Public(), 123_000)
	require.NoError(t, err)
	refiled := refileFullExit(t, ctx, eth, rollup, fx.L1TxHash, dev[5].Key)
	for {
		st, err := l1view.ReadExodus(ctx, eth, rollup)
		require.NoError(t, err)
		if st.Consumed > refiled {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	p, err := client.PendingWithdrawal(ctx, eth, rollup, forceTo)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(big.NewInt(400_000), big.NewInt(1e9)), p, "the replayed request pays nothing more")
	a, err = c.Account(ctx, fx.Account)
	require.NoError(t, err)
	require.Equal(t, "123000", a.Balance, "the new funds stay on L2")
	for {
		info, err = c.ChainInfo(ctx)
		require.NoError(t, err)
		if info.Pending == 0 && info.Finalized == info.Head && info.Head > 0 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	// keel verify judges every batch from L1 alone, the ones that
	// consumed the full exits (paying and not) included: their queue
	// hashes follow the full-exit rule, not the deposit's.
	for b := uint64(1); b <= uint64(info.Head); b++ {
		out := keel(t, ctx, "verify", strconv.FormatUint(b, 10), "--json", "--l1-rpc", l1URL, "--rollup", rollup.Hex())
		require.Contains(t, string(out), `"valid":true`, "batch %d: %s", b, out)
	}
	openCh, err := c.GetChannel(ctx, chID)
	require.NoError(t, err)
	require.NotNil(t, openCh, "the channel is open on L2")
	var l2Total uint64
	for i := uint32(0); i < 1<<info.Depth; i++ {
		if i == openCh.Leaf {
			continue // the channel's 100,000, paid out as its two shares
		}
		a, err := c.Account(ctx, i)
		require.NoError(t, err)
		v, err := strconv.ParseUint(a.Balance, 10, 64)
		require.NoError(t, err)
		l2Total += v
		for _, u := range users[:3] {
			if u.index == i {
				u.balance = v
			}
		}
	}
	require.EqualValues(t, 1_750_000-1-100_000-10, users[0].balance, "user 0 locked 100,000 in the channel and paid its fee")

	// The sequencer stops for good; then a deposit arrives that nobody
	// will process.
	n.kill()
	r, err := client.Deposit(ctx, eth, rollup, dev[4].Key, users[3].key.Public(), 500_000)
	require.NoError(t, err)
	stranded, err := client.DepositIndex(r)
	require.NoError(t, err)

	target := []string{"--l1-rpc", l1URL, "--rollup", rollup.Hex()}
	exitArgs := func(u *user, l1Key int) []string {
		return append([]string{"exit", "--json", "--keyfile", u.file, "--password", "pw", "--keys-dir", keysDir,
			"--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[l1Key].Key))}, target...)
	}
	_, err = keelErr(ctx, exitArgs(users[0], 6)...)
	require.ErrorContains(t, err, "not in exodus mode", "an exit before exodus")
	_, err = keelErr(ctx, append([]string{"exodus", "--activate", "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[5].Key))}, target...)...)
	require.ErrorContains(t, err, "NoExpiredRequest", "exodus before the deadline")

	// L1 moves on: past the deadline, anyone activates exodus.
	for i := 0; i <= delay; i++ {
		_, err := client.Deposit(ctx, eth, rollup, dev[9].Key, users[3].key.Public(), 1) // any transaction mines a block
		if err != nil {
			require.ErrorContains(t, err, "ExodusActive")
		}
	}
	// (Those deposits queue behind the stranded one: each is refundable.)
	out = keel(t, ctx, append([]string{"exodus", "--json", "--activate", "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[5].Key))}, target...)...)
	var st l1view.ExodusStatus
	require.NoError(t, json.Unmarshal(out, &st))
	require.True(t, st.Active)
	require.Equal(t, stranded, st.Consumed)
	_, err = client.Deposit(ctx, eth, rollup, dev[9].Key, users[3].key.Public(), 1)
	require.ErrorContains(t, err, "ExodusActive", "no deposits in exodus")

	// A wrong balance: a proof of user 1's balance, claiming one gwei more.
	exitKeysCCS, err := prover.CompileExit(4)
	require.NoError(t, err)
	exitKeys, err := prover.LoadKeys(keysDir, exitKeysCCS)
	require.NoError(t, err)
	l1Key7 := dev[7].Key
	plan, err := l1view.PrepareExit(ctx, eth, rollup, 0, users[1].key, dev[7].Address, exitKeys)
	require.NoError(t, err)
	require.Equal(t, users[1].balance, plan.Balance)
	_, err = client.SubmitExit(ctx, eth, rollup, l1Key7, plan.Account, plan.Balance+1, plan.To, plan.Proof)
	require.ErrorContains(t, err, "ProofInvalid", "an exit claiming one gwei more")

	// Three exits made by the CLI; each pays exactly the balance. User 1's
	// also claims the channel on L1 with the co-signed state from its
	// store, which starts the channel's period; user 0's finds it
	// standing at a newer state than its own (the opening) and leaves it.
	for _, i := range []int{1, 0, 2} {
		u, l1Key := users[i], 6+i
		before, err := eth.BalanceAt(ctx, dev[l1Key].Address, nil)
		require.NoError(t, err)
		args := exitArgs(u, l1Key)
		if i == 1 {
			args = append(args, "--channel-store", store1)
		}
		out := keel(t, ctx, args...)
		var got struct {
			Account  uint32      `json:"account"`
			Balance  uint64      `json:"balanceGwei"`
			L1TxHash common.Hash `json:"l1TxHash"`
			Claim    common.Hash `json:"claimTxHash"`
			Channels []struct {
				Claimed *common.Hash `json:"claimTxHash"`
			} `json:"channels"`
		}
		require.NoError(t, json.Unmarshal(out, &got), "%s", out)
		require.Equal(t, u.index, got.Account)
		require.Equal(t, u.balance, got.Balance)
		after, err := eth.BalanceAt(ctx, dev[l1Key].Address, nil)
		require.NoError(t, err)
		// User 1's run also claimed the channel on L1.
		txs := []common.Hash{got.L1TxHash, got.Claim}
		for _, ch := range got.Channels {
			if ch.Claimed != nil {
				txs = append(txs, *ch.Claimed)
			}
		}
		require.Equal(t, i < 2, len(got.Channels) == 1, "%s", out)
		gas := new(big.Int)
		for _, h := range txs {
			rc, err := eth.TransactionReceipt(ctx, h)
			require.NoError(t, err)
			gas.Add(gas, new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
		}
		paid := new(big.Int).Add(new(big.Int).Sub(after, before), gas)
		require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(u.balance), big.NewInt(1e9)), paid, "user %d is paid exactly their balance", i)
	}
	_, err = keelErr(ctx, exitArgs(users[2], 8)...)
	require.ErrorContains(t, err, "AlreadyExited", "a second exit")

	// After the channel's period, keel exit again pays each party its
	// share of the co-signed state (not user 0's opening 100,000), once.
	chanLeaf := uint32(0)
	for {
		st, err := l1view.ReadSettlement(ctx, eth, rollup, chanLeaf)
		require.NoError(t, err)
		if st.Started {
			require.EqualValues(t, 3, st.Version)
			require.EqualValues(t, 40_000, st.SplitA)
			h, err := eth.HeaderByNumber(ctx, nil)
			require.NoError(t, err)
			if h.Time >= st.Deadline {
				break
			}
			_, _ = client.Deposit(ctx, eth, rollup, dev[9].Key, users[3].key.Public(), 1) // a block (refused in exodus, mined all the same)
			time.Sleep(time.Second)
			continue
		}
		chanLeaf++
		require.Less(t, chanLeaf, uint32(16), "no channel settling on L1")
	}
	for i, share := range map[int]uint64{0: 40_000, 1: 60_000} {
		u, l1Key := users[i], 6+i
		before, err := eth.BalanceAt(ctx, dev[l1Key].Address, nil)
		require.NoError(t, err)
		out := keel(t, ctx, exitArgs(u, l1Key)...)
		var got struct {
			AlreadyExited bool        `json:"alreadyExited"`
			Claim         common.Hash `json:"claimTxHash"`
			Channels      []struct {
				Leaf     uint32      `json:"leaf"`
				PaidGwei uint64      `json:"paidGwei"`
				Share    common.Hash `json:"shareTxHash"`
			} `json:"channels"`
		}
		require.NoError(t, json.Unmarshal(out, &got), "%s", out)
		require.True(t, got.AlreadyExited)
		require.Len(t, got.Channels, 1, "%s", out)
		require.Equal(t, chanLeaf, got.Channels[0].Leaf)
		require.Equal(t, share, got.Channels[0].PaidGwei, "user %d's share of the co-signed state", i)
		after, err := eth.BalanceAt(ctx, dev[l1Key].Address, nil)
		require.NoError(t, err)
		gas := new(big.Int)
		for _, h := range []common.Hash{got.Channels[0].Share, got.Claim} {
			rc, err := eth.TransactionReceipt(ctx, h)
			require.NoError(t, err)
			gas.Add(gas, new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
		}
		require.Equal(t, new(big.Int).Mul(new(big.Int).SetUint64(share), big.NewInt(1e9)), new(big.Int).Add(new(big.Int).Sub(after, before), gas), "user %d is paid its share", i)
	}
	out = keel(t, ctx, exitArgs(users[1], 7)...)
	require.Contains(t, string(out), "paid before", "a share is paid once")

	// The stranded deposits go back to their depositors.
	for idx := stranded; ; idx++ {
		_, err := keelErr(ctx, append([]string{"exodus", "--refund", strconv.FormatUint(idx, 10), "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[5].Key))}, target...)...)
		if err != nil {
			require.ErrorContains(t, err, "NotRefundable")
			require.Greater(t, idx, stranded)
			break
		}
	}
	_, err = keelErr(ctx, append([]string{"exodus", "--refund", "1", "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[5].Key))}, target...)...)
	require.ErrorContains(t, err, "NotRefundable", "a deposit a batch consumed is exited, not refunded")
	pending, err := client.PendingWithdrawal(ctx, eth, rollup, dev[4].Address)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(big.NewInt(500_000), big.NewInt(1e9)), pending)
	keel(t, ctx, append([]string{"exodus", "--claim", "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[4].Key))}, target...)...)

	// Money: the Rollup holds exactly what it still owes (the withdrawal
	// to withdrawTo, the forced exit, the 1-gwei deposits' refunds) plus
	// the balances of the accounts that did not exit (the operator's, and
	// the force-exited account's new funds, which the replay left alone).
	r2 := l1contracts.NewRollup()
	owed, err := bind.Call(r2.Instance(eth, rollup), nil, r2.PackTotalPending(), r2.UnpackTotalPending)
	require.NoError(t, err)
	held, err := eth.BalanceAt(ctx, rollup, nil)
	require.NoError(t, err)
	var exited uint64
	for _, u := range users[:3] {
		exited += u.balance
	}
	operator := l2Total - exited
	require.Equal(t, new(big.Int).Add(owed, new(big.Int).Mul(new(big.Int).SetUint64(operator), big.NewInt(1e9))), held)
	withdrawn, err := client.PendingWithdrawal(ctx, eth, rollup, withdrawTo)
	require.NoError(t, err)
	require.Equal(t, new(big.Int).Mul(big.NewInt(300_000), big.NewInt(1e9)), withdrawn, "a withdrawal verified before exodus stays claimable")
	require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
}

// refileFullExit files again, from key, the full-exit request that L1
// transaction txHash made, copied from its log as anyone could, and
// returns the new request's queue index.
func refileFullExit(t *testing.T, ctx context.Context, eth *ethclient.Client, rollup common.Address, txHash common.Hash, key *ecdsa.PrivateKey) uint64 {
	rc, err := eth.TransactionReceipt(ctx, txHash)
	require.NoError(t, err)
	r := l1contracts.NewRollup()
	var data []byte
	for _, l := range rc.Logs {
		if ev, err := r.UnpackFullExitRequestedEvent(l); err == nil {
			data = r.PackRequestFullExit(ev.Account, ev.Nonce, ev.To, ev.RX, ev.RY, ev.S)
		}
	}
	require.NotNil(t, data, "no FullExitRequested log in %s", txHash)
	chainID, err := eth.ChainID(ctx)
	require.NoError(t, err)
	opts := bind.NewKeyedTransactor(key, chainID)
	opts.Context = ctx
	tx, err := bind.Transact(r.Instance(eth, rollup), opts, data)
	require.NoError(t, err)
	again, err := bind.WaitMined(ctx, eth, tx.Hash())
	require.NoError(t, err)
	require.Equal(t, types.ReceiptStatusSuccessful, again.Status)
	index, err := client.DepositIndex(again)
	require.NoError(t, err)
	return index
}

// keel runs a keel command in process and returns its stdout.
func keel(t *testing.T, ctx context.Context, args ...string) []byte {
	t.Helper()
	out, err := keelErr(ctx, args...)
	require.NoError(t, err, "keel %v", args)
	return out
}

func keelErr(ctx context.Context, args ...string) ([]byte, error) {
	var stdout, stderr bytes.Buffer
	err := run(ctx, args, &stdout, &stderr)
	return stdout.Bytes(), err
}
