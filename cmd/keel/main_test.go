package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

func TestDispatch(t *testing.T) {
	for _, tc := range []struct {
		name    string
		args    []string
		wantErr string
		stdout  string
	}{
		{name: "unknown command", args: []string{"frobnicate"}, wantErr: `unknown command "frobnicate": ` + "`keel` takes devnet, node, deploy, account,"},
		{name: "unknown subcommand", args: []string{"account", "frob"}, wantErr: `unknown command "account frob": ` + "`keel account` takes new, import, derive"},
		{name: "group without subcommand", args: []string{"account"}, wantErr: "`keel account` needs a subcommand: new, import, derive"},
		{name: "no arguments lists the commands", args: nil, stdout: "account derive"},
		{name: "help lists the commands", args: []string{"help"}, stdout: "withdraw "},
		{name: "help -h too", args: []string{"help", "-h"}, stdout: "devnet "},
		{name: "-h is not an error", args: []string{"status", "-h"}},
		{name: "version", args: []string{"version"}, stdout: "keel dev"},
		{name: "extra arguments", args: []string{"status", "now"}, wantErr: "`keel status` takes no arguments"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, stdout, _ := testGlobals(t, nil)
			err := runWith(g, tc.args)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				return
			}
			require.NoError(t, err)
			require.Contains(t, stdout.String(), tc.stdout)
		})
	}
}

func TestUsageListsEveryCommand(t *testing.T) {
	g, stdout, _ := testGlobals(t, nil)
	require.NoError(t, runWith(g, []string{"help"}))
	names, _ := leaves(nil, commandTable())
	for _, n := range names {
		require.Contains(t, stdout.String(), "  "+strings.Join(n, " ")+" ")
	}
}

func TestVersionJSON(t *testing.T) {
	g, stdout, _ := testGlobals(t, map[string]string{"KEEL_JSON": "1"})
	require.NoError(t, runWith(g, []string{"version"}))
	var out versionOut
	require.NoError(t, json.Unmarshal(stdout.Bytes(), &out))
	require.Equal(t, "dev", out.Version)
	require.True(t, strings.HasPrefix(out.Go, "go"))
}

func TestUnreachableNodeSaysWhatToDo(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	url := "http://" + l.Addr().String()
	require.NoError(t, l.Close())
	g, _, _ := testGlobals(t, map[string]string{"KEEL_RPC": url})
	err = runWith(g, []string{"status"})
	require.EqualError(t, err, "cannot reach the Keel node at "+url+": is `keel devnet` running? (set --rpc or KEEL_RPC)")
	require.ErrorIs(t, err, client.ErrUnreachable)
}

func TestAccountCommands(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"KEEL_PASSWORD": "correct horse", "KEEL_LIGHT_KDF": "true", "KEEL_JSON": "true"}
	readKey := func(path string) *vm.PrivateKey {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		k, err := vm.DecryptKey(data, "correct horse")
		require.NoError(t, err)
		return k
	}
	runJSON := func(args ...string) (keyFileOut, error) {
		g, stdout, _ := testGlobals(t, env)
		err := runWith(g, args)
		var out keyFileOut
		if err == nil {
			require.NoError(t, json.Unmarshal(stdout.Bytes(), &out))
		}
		return out, err
	}

	// new: writes a key file that decrypts to the printed key, never
	// overwrites, and wants a password.
	path := filepath.Join(dir, "keys", "alice.json")
	out, err := runJSON("account", "new", "--keyfile", path)
	require.NoError(t, err)
	alice := readKey(path)
	require.Equal(t, alice.Public(), out.PubKey)
	require.Equal(t, path, out.Keyfile)
	info, err := os.Stat(path)
	require.NoError(t, err)
	require.Equal(t, os.FileMode(0o600), info.Mode().Perm(), "key files are private")
	_, err = runJSON("account", "new", "--keyfile", path)
	require.ErrorContains(t, err, "already exists")
	require.Equal(t, alice.Public(), readKey(path).Public(), "the key file is unchanged")
	_, err = runJSON("account", "new", "--keyfile", filepath.Join(dir, "nopw.json"), "--password", "")
	require.EqualError(t, err, "set --password or KEEL_PASSWORD")

	// import: the raw key round-trips.
	path2 := filepath.Join(dir, "alice2.json")
	out, err = runJSON("account", "import", "--keyfile", path2, "--private-key", hexutil.Encode(alice.Bytes()))
	require.NoError(t, err)
	require.Equal(t, alice.Public(), out.PubKey)
	require.Equal(t, alice.Public(), readKey(path2).Public())
	_, err = runJSON("account", "import", "--keyfile", filepath.Join(dir, "bad.json"), "--private-key", "0x1234")
	require.ErrorContains(t, err, "not an L2 private key")

	// derive: the same key as vm.DeriveKey, for the given chain.
	seed := sha256.Sum256([]byte("l1 key"))
	eth, err := crypto.ToECDSA(seed[:])
	require.NoError(t, err)
	want, err := vm.DeriveKey(eth, 77)
	require.NoError(t, err)
	path3 := filepath.Join(dir, "derived.json")
	out, err = runJSON("account", "derive", "--keyfile", path3, "--l1-key", hexutil.Encode(seed[:]), "--chain-id", "77")
	require.NoError(t, err)
	require.Equal(t, want.Public(), out.PubKey)
	require.Equal(t, crypto.PubkeyToAddress(eth.PublicKey), *out.L1)
	require.EqualValues(t, 77, out.ChainID)
	require.Equal(t, want.Public(), readKey(path3).Public())
	_, err = runJSON("account", "derive", "--keyfile", filepath.Join(dir, "x.json"), "--l1-key", "0xnothex", "--chain-id", "77")
	require.ErrorContains(t, err, "--l1-key is not an Ethereum private key")
	require.NotContains(t, err.Error(), "nothex", "errors never repeat a secret")
}

// fakeNode serves enough of keel_ over HTTP for the client commands.
type fakeNode struct {
	mu       sync.Mutex
	accounts []client.Account
	sent     []vm.Tx
	status   client.TxStatus
}

func (n *fakeNode) ChainInfo() client.ChainInfo {
	return client.ChainInfo{ChainID: 77, L1ChainID: 1337, Depth: 8, Slots: 4, MinFee: "10", Head: 3, Proven: 2, Finalized: 1}
}

func (n *fakeNode) GetAccount(index uint32) (client.Account, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if int(index) < len(n.accounts) {
		return n.accounts[index], nil
	}
	return client.Account{Index: index, Kind: "empty", Balance: "0"}, nil
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

func (n *fakeNode) SendTransaction(tx *vm.Tx) (common.Hash, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if !tx.VerifySignature(*n.accounts[tx.From].PubKey) {
		return common.Hash{}, errors.New("vm: bad signature")
	}
	if tx.Fee < 10 {
		return common.Hash{}, fmt.Errorf("sequencer: fee too low: fee %d gwei, minimum 10", tx.Fee)
	}
	n.sent = append(n.sent, *tx)
	return tx.Hash(), nil
}

func (n *fakeNode) GetTransactionReceipt(h common.Hash) (*client.Receipt, error) {
	b := hexutil.Uint64(3)
	return &client.Receipt{Hash: h, Type: "transfer", Status: n.status, Batch: &b}, nil
}

func (n *fakeNode) GetBatch(number uint64) (*client.Batch, error) {
	if number > 3 {
		return nil, nil
	}
	return &client.Batch{Number: hexutil.Uint64(number), Status: client.BatchSealed, FeeTotal: "10",
		Transactions: []common.Hash{{1}}, PublicData: []byte{2}}, nil
}

func TestClientCommandsAgainstAFakeNode(t *testing.T) {
	seedA, seedB := sha256.Sum256([]byte("alice")), sha256.Sum256([]byte("bob"))
	alice, err := vm.PrivateKeyFromSeed(bytes.NewReader(seedA[:]))
	require.NoError(t, err)
	bob, err := vm.PrivateKeyFromSeed(bytes.NewReader(seedB[:]))
	require.NoError(t, err)
	pa, pb := alice.Public(), bob.Public()
	node := &fakeNode{status: client.StatusSequenced, accounts: []client.Account{
		{Index: 0, Kind: "account", PubKey: &pa, Balance: "1500000000", Nonce: 4, Batch: 3},
		{Index: 1, Kind: "account", PubKey: &pb, Balance: "0", Batch: 3},
	}}
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", node))
	defer srv.Stop()
	httpSrv := httptest.NewServer(srv)
	defer httpSrv.Close()

	keyfile := filepath.Join(t.TempDir(), "alice.json")
	data, err := vm.EncryptKey(alice, "pw", vm.LightScryptN, vm.LightScryptP)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(keyfile, data, 0o600))
	env := map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_KEYFILE": keyfile, "KEEL_PASSWORD": "pw"}
	keel := func(args ...string) (string, error) {
		g, stdout, _ := testGlobals(t, env)
		err := runWith(g, args)
		return stdout.String(), err
	}

	out, err := keel("balance")
	require.NoError(t, err)
	require.Contains(t, out, "balance: 1500000000 gwei (1.5 ETH)")
	require.Contains(t, out, "nonce:   4")
	out, err = keel("balance", "--pubkey", pb.String(), "--json")
	require.NoError(t, err)
	var bal balanceOut
	require.NoError(t, json.Unmarshal([]byte(out), &bal))
	require.EqualValues(t, 1, bal.Index)
	require.Equal(t, "0", bal.ETH)
	out, err = keel("balance", "--index", "1", "--password", "")
	require.NoError(t, err, "an index needs no key file")
	require.Contains(t, out, "account: 1 (account)")
	_, err = keel("balance", "--index", "1", "--pubkey", pa.String())
	require.ErrorContains(t, err, "not both")

	// A transfer to a public key: resolved to its index, signed with the
	// account's nonce and the node's minimum fee, followed to sequenced.
	out, err = keel("transfer", "--to", pb.String(), "--amount", "0.5eth", "--json")
	require.NoError(t, err)
	var tx txOut
	require.NoError(t, json.Unmarshal([]byte(out), &tx))
	require.Len(t, node.sent, 1)
	sent := node.sent[0]
	require.Equal(t, sent.Hash(), tx.Hash)
	require.Equal(t, client.StatusSequenced, tx.Status)
	require.EqualValues(t, 3, *tx.Batch)
	require.EqualValues(t, 1, sent.To)
	require.EqualValues(t, 500_000_000, sent.Amount)
	require.EqualValues(t, 10, sent.Fee, "the fee defaults to the node's minimum")
	require.EqualValues(t, 4, sent.Nonce)
	require.EqualValues(t, 77, sent.ChainID)

	_, err = keel("transfer", "--to", "1", "--amount", "1000", "--fee", "5")
	require.EqualError(t, err, "send transfer: sequencer: fee too low: fee 5 gwei, minimum 10", "the node's error reaches the user")
	_, err = keel("transfer", "--to", "2", "--amount", "1000")
	require.ErrorContains(t, err, "account 2 is empty")
	_, err = keel("transfer", "--to", "0", "--amount", "1000")
	require.ErrorContains(t, err, "transfer to self")
	_, err = keel("transfer", "--to", "1", "--amount", "1000", "--keyfile", keyfile+".missing")
	require.ErrorContains(t, err, "read key file")
	_, err = keel("transfer", "--to", "1", "--amount", "1000", "--password", "wrong")
	require.ErrorContains(t, err, "wrong password")
	require.Len(t, node.sent, 1, "no failed command sent anything")

	// Bob has an account but no key file here; a stranger has neither.
	seedC := sha256.Sum256([]byte("carol"))
	carol, err := vm.PrivateKeyFromSeed(bytes.NewReader(seedC[:]))
	require.NoError(t, err)
	carolFile := filepath.Join(t.TempDir(), "carol.json")
	data, err = vm.EncryptKey(carol, "pw", vm.LightScryptN, vm.LightScryptP)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(carolFile, data, 0o600))
	_, err = keel("transfer", "--keyfile", carolFile, "--to", "1", "--amount", "1000")
	require.ErrorContains(t, err, "no L2 account for this key")
	require.ErrorContains(t, err, "deposit first with `keel deposit`")

	out, err = keel("batch", "3")
	require.NoError(t, err)
	require.Contains(t, out, "status:       sealed")
	_, err = keel("batch", "4")
	require.EqualError(t, err, "batch 4 is not sealed yet: the last sealed batch is 3")

	out, err = keel("status", "--json")
	require.NoError(t, err)
	var info client.ChainInfo
	require.NoError(t, json.Unmarshal([]byte(out), &info))
	require.Equal(t, node.ChainInfo(), info)
}

// TestSilentEndpointsTimeOut: a Keel node or an L1 that accepts requests
// and never answers does not hang a command.
func TestSilentEndpointsTimeOut(t *testing.T) {
	release := make(chan struct{})
	silent := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	defer silent.Close()
	defer close(release)
	prev := l1CallTimeout
	l1CallTimeout = 300 * time.Millisecond
	defer func() { l1CallTimeout = prev }()

	start := time.Now()
	_, err := keelErr(context.Background(), "exodus", "--l1-rpc", silent.URL, "--rollup", "0x0000000000000000000000000000000000000001")
	require.Error(t, err)
	require.Less(t, time.Since(start), 20*time.Second, "the L1 call gave up: %v", err)

	_, err = keelErr(context.Background(), "status", "--rpc", "localhost:9545")
	require.ErrorContains(t, err, `--rpc (or KEEL_RPC): client: bad node URL "localhost:9545": no scheme; write http://localhost:9545`)
}
