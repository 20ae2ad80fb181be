package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestCeremonyCommandsRefuse covers what the ceremony commands refuse
// before any work: make test runs it; make ceremony runs a whole one.
func TestCeremonyCommandsRefuse(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"ceremony", "init"}, "set --dir"},
		{[]string{"ceremony", "init", "--dir", dir, "--slots", "8,x"}, `"x" is not a batch size`},
		{[]string{"ceremony", "init", "--dir", dir, "--slots", "1"}, `"1" is not a batch size`},
		{[]string{"ceremony", "contribute", "--dir", dir}, "has no ceremony.json; start a ceremony with `keel ceremony init`"},
		{[]string{"ceremony", "verify", "--dir", dir}, "has no ceremony.json"},
		{[]string{"ceremony", "seal", "--dir", dir}, `--beacon "": want the public beacon as hex`},
		{[]string{"ceremony", "seal", "--dir", dir, "--beacon", "0xzz"}, `--beacon "0xzz"`},
		{[]string{"ceremony", "frobnicate"}, `unknown command "ceremony frobnicate"`},
	} {
		_, err := keelErr(ctx, tc.args...)
		require.ErrorContains(t, err, tc.want, "%v", tc.args)
	}
	out, err := keelErr(ctx, "ceremony", "--help")
	require.NoError(t, err)
	for _, sub := range []string{"init", "contribute", "verify", "seal"} {
		require.Contains(t, string(out), "  "+sub+" ")
	}
}

// TestCeremonyEndToEnd is the production path with real keys (make
// ceremony, about 50 minutes on 2 cores): a three-party ceremony over the
// real circuits (depth 4, 2-slot batches, and the exit circuit) with the
// CLI, then a node on a separately started L1 that proves and finalizes
// batches with the sealed keys and no dev setup, then exodus, where a
// user leaves with `keel exit` and the sealed exit key, paid exactly its
// balance.
func TestCeremonyEndToEnd(t *testing.T) {
	if os.Getenv("KEEL_CEREMONY") == "" {
		t.Skip("a real ceremony takes about 50 minutes; run make ceremony")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Minute)
	defer cancel()
	dir := t.TempDir()
	cer := filepath.Join(dir, "ceremony")
	keys := filepath.Join(dir, "sealed-keys")

	keel(t, ctx, "ceremony", "init", "--dir", cer, "--slots", "2", "--depth", "4")
	published := map[string]bool{}
	contribute := func() {
		out := keel(t, ctx, "ceremony", "contribute", "--json", "--dir", cer)
		var res struct {
			Contributions []struct{ Chain, File, Hash string }
		}
		require.NoError(t, json.Unmarshal(out, &res), "%s", out)
		for _, c := range res.Contributions {
			published[c.Hash] = true
		}
	}
	for range 3 {
		contribute()
	}
	keel(t, ctx, "ceremony", "seal", "--dir", cer, "--beacon", "0x"+hex32("phase 1 beacon"))
	for range 3 {
		contribute()
	}
	keel(t, ctx, "ceremony", "seal", "--dir", cer, "--beacon", hex32("phase 2 beacon"), "--keys-dir", keys)
	out := keel(t, ctx, "ceremony", "verify", "--json", "--dir", cer, "--keys-dir", keys)
	var report struct {
		Hashes map[string][]string
	}
	require.NoError(t, json.Unmarshal(out, &report))
	listed := map[string]bool{}
	for _, hs := range report.Hashes {
		for _, h := range hs {
			listed[h] = true
		}
	}
	require.Len(t, published, 9, "3 participants: phase 1, then batch-2 and exit in phase 2")
	for h := range published {
		require.True(t, listed[h], "verify lists every published contribution")
	}

	// keel deploy onto a separately started L1, then keel node with the
	// sealed keys and no dev setup.
	logs := processLogs(t, dir)
	l1 := spawn(t, logs, "l1", "--json", "--datadir", filepath.Join(dir, "l1"), "--port", "0")
	defer l1.kill()
	l1URL := l1.info["rpc"].(string)
	dev := l1node.DeriveDevAccounts(10)
	const delay = 4
	seqKey := common.Bytes2Hex(crypto.FromECDSA(dev[0].Key))
	nodeDir := filepath.Join(dir, "node")
	deployArgs := []string{"deploy", "--json", "--datadir", nodeDir, "--l1-rpc", l1URL, "--sequencer-key", seqKey,
		"--keys-dir", keys, "--slots", "2", "--depth", "4", "--exodus-delay", fmt.Sprint(delay)}
	out = keel(t, ctx, deployArgs...)
	var deployed struct {
		Rollup common.Address `json:"rollup"`
	}
	require.NoError(t, json.Unmarshal(out, &deployed), "%s", out)
	_, err := keelErr(ctx, deployArgs...)
	require.ErrorContains(t, err, "already holds the deployment at "+deployed.Rollup.Hex(), "one deployment a data dir")

	nodeArgs := func(extra ...string) []string {
		return append([]string{"node", "--json", "--datadir", nodeDir, "--l1-rpc", l1URL, "--keys-dir", keys,
			"--slots", "2", "--depth", "4", "--l1-confirmations", "0", "--batch-timeout", "200ms",
			"--rpc-addr", "127.0.0.1:0", "--metrics-addr", "", "--nats-listen", "127.0.0.1:0", "--log-level", "warn"}, extra...)
	}
	_, err = keelErr(ctx, nodeArgs("--sequencer-key", seqKey, "--rollup", common.HexToAddress("0x1234").Hex())...)
	require.ErrorContains(t, err, "belongs to the deployment at "+deployed.Rollup.Hex(), "a data dir of another deployment")
	_, err = keelErr(ctx, nodeArgs("--sequencer-key", seqKey, "--keys-dir", filepath.Join(dir, "no-keys"))...)
	require.ErrorContains(t, err, "no keys for this circuit", "keel node never makes dev keys")
	n := spawnEnv(t, logs, []string{"KEEL_NODE_SEQUENCER_KEY=" + seqKey}, nodeArgs()...)
	defer n.kill()
	c, err := client.Dial(ctx, n.info["rpc"].(string))
	require.NoError(t, err)
	defer c.Close()
	eth, err := ethclient.DialContext(ctx, l1URL)
	require.NoError(t, err)
	defer eth.Close()
	info, err := c.ChainInfo(ctx)
	require.NoError(t, err)
	rollup := info.Rollup

	type user struct {
		key   *vm.PrivateKey
		file  string
		index uint32
	}
	users := make([]*user, 2)
	for i := range users {
		seed := sha256.Sum256(fmt.Appendf(nil, "ceremony user %d", i))
		k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
		require.NoError(t, err)
		file := filepath.Join(dir, fmt.Sprintf("user%d.json", i))
		keel(t, ctx, "account", "import", "--keyfile", file, "--password", "pw", "--light-kdf", "--private-key", hexutil.Encode(k.Bytes()))
		users[i] = &user{key: k, file: file}
		_, err = client.Deposit(ctx, eth, rollup, dev[i+1].Key, k.Public(), 1_000_000)
		require.NoError(t, err)
	}
	for _, u := range users {
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
	for {
		a, err := c.Account(ctx, users[1].index)
		require.NoError(t, err)
		info, err := c.ChainInfo(ctx)
		require.NoError(t, err)
		if a.Balance == "1250000" && info.Pending == 0 && info.Finalized == info.Head {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}

	// The operator stops for good with a deposit queued; past the delay
	// anyone activates exodus, and user 1 leaves with the sealed exit key.
	n.kill()
	_, err = client.Deposit(ctx, eth, rollup, dev[4].Key, users[0].key.Public(), 500_000)
	require.NoError(t, err)
	for i := 0; i <= delay; i++ {
		_, _ = client.Deposit(ctx, eth, rollup, dev[9].Key, users[0].key.Public(), 1) // mines a block
	}
	target := []string{"--l1-rpc", l1URL, "--rollup", rollup.Hex()}
	keel(t, ctx, append([]string{"exodus", "--activate", "--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[5].Key))}, target...)...)
	before, err := eth.BalanceAt(ctx, dev[6].Address, nil)
	require.NoError(t, err)
	out = keel(t, ctx, append([]string{"exit", "--json", "--keyfile", users[1].file, "--password", "pw", "--keys-dir", keys,
		"--l1-key", common.Bytes2Hex(crypto.FromECDSA(dev[6].Key))}, target...)...)
	var got struct {
		Balance  uint64      `json:"balanceGwei"`
		L1TxHash common.Hash `json:"l1TxHash"`
		Claim    common.Hash `json:"claimTxHash"`
	}
	require.NoError(t, json.Unmarshal(out, &got), "%s", out)
	require.EqualValues(t, 1_250_000, got.Balance)
	after, err := eth.BalanceAt(ctx, dev[6].Address, nil)
	require.NoError(t, err)
	gas := new(big.Int)
	for _, h := range []common.Hash{got.L1TxHash, got.Claim} {
		rc, err := eth.TransactionReceipt(ctx, h)
		require.NoError(t, err)
		gas.Add(gas, new(big.Int).Mul(new(big.Int).SetUint64(rc.GasUsed), rc.EffectiveGasPrice))
	}
	paid := new(big.Int).Add(new(big.Int).Sub(after, before), gas)
	require.Equal(t, new(big.Int).Mul(big.NewInt(1_250_000), big.NewInt(1e9)), paid, "the exit pays exactly the balance")
}

// hex32 is the hex sha256 of s: a stand-in for an announced L1 block hash.
func hex32(s string) string {
	h := sha256.Sum256([]byte(s))
	return common.Bytes2Hex(h[:])
}
