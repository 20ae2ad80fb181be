package main

import (
	"bufio"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"io"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/client"
	"github.com/keel-rollup/keel/sponsor"
	"github.com/keel-rollup/keel/vm"
)

func writeKeyfile(t *testing.T, name string) (*vm.PrivateKey, string) {
	t.Helper()
	seed := sha256.Sum256([]byte(name))
	key, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), name+".json")
	data, err := vm.EncryptKey(key, "pw", vm.LightScryptN, vm.LightScryptP)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	return key, path
}

func TestSponsorSamplePolicyLoads(t *testing.T) {
	p, err := sponsor.LoadPolicy(filepath.Join("testdata", "sponsor-policy.toml"))
	require.NoError(t, err)
	require.Equal(t, []uint32{1, 2, 3}, p.Accounts)
	require.EqualValues(t, 1000, p.MaxFee)
}

// TestSponsorServeFlagErrors: a bad policy file or flag is named before
// the key file or the node is needed.
func TestSponsorServeFlagErrors(t *testing.T) {
	dir := t.TempDir()
	write := func(name, body string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(body), 0o600))
		return p
	}
	good := filepath.Join("testdata", "sponsor-policy.toml")
	unknown := write("unknown.toml", "max_fees = 10\ntypes = [\"transfer\"]\nmax_fee = 10\ndaily_budget = 100\nper_user_per_hour = 1\n")
	badFee := write("badfee.toml", "types = [\"transfer\"]\nmax_fee = \"ten\"\ndaily_budget = 100\nper_user_per_hour = 1\n")
	notTOML := write("nottoml.toml", "max_fee = = 1")
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
		want []string
	}{
		{"no policy", nil, nil, []string{"set --policy or KEEL_SPONSOR_POLICY"}},
		{"missing file", []string{"--policy", filepath.Join(dir, "nope.toml")}, nil, []string{"--policy", "nope.toml", "no such file"}},
		{"unknown key", []string{"--policy", unknown}, nil, []string{"--policy " + unknown + ": sponsor: bad policy: unknown key max_fees"}},
		{"bad value", []string{"--policy", badFee}, nil, []string{`max_fee = "ten": want a whole number of gwei`}},
		{"not toml", []string{"--policy", notTOML}, nil, []string{"nottoml.toml", "toml: line 1"}},
		{"policy from the role's variable", nil, map[string]string{"KEEL_SPONSOR_POLICY": badFee}, []string{"badfee.toml"}},
		{"bad account", []string{"--policy", good, "--account", "x"}, nil, []string{`--account "x" is not an account index`}},
		{"bad log level", []string{"--policy", good, "--log-level", "loud"}, nil, []string{`--log-level "loud"`}},
		{"no key file", []string{"--policy", good}, nil, []string{"set --keyfile or KEEL_SPONSOR_KEYFILE"}},
		{"a user's key file is not the sponsor's", []string{"--policy", good}, map[string]string{"KEEL_KEYFILE": "user.json"}, []string{"set --keyfile or KEEL_SPONSOR_KEYFILE"}},
		{"no password", []string{"--policy", good, "--keyfile", "sponsor.json"}, map[string]string{"KEEL_PASSWORD": "a user's"}, []string{"set --password or KEEL_SPONSOR_PASSWORD"}},
		{"unknown flag", []string{"--data", dir}, nil, []string{"flag provided but not defined: -data"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, _, _ := testGlobals(t, tc.env)
			err := runWith(g, append([]string{"sponsor", "serve"}, tc.args...))
			require.Error(t, err)
			for _, w := range tc.want {
				require.ErrorContains(t, err, w)
			}
		})
	}
	require.Equal(t, "KEEL_SPONSOR_KEYFILE", envVar("keel sponsor serve", "keyfile"))
	require.Equal(t, "KEEL_SPONSOR", envVar("keel transfer", "sponsor"))
}

// TestSponsorServeAndTransfer runs `keel sponsor serve` against a fake
// node, and `keel transfer --sponsor` through it.
func TestSponsorServeAndTransfer(t *testing.T) {
	alice, aliceFile := writeKeyfile(t, "alice")
	bob, _ := writeKeyfile(t, "bob")
	sam, samFile := writeKeyfile(t, "sam")
	pa, pb, ps := alice.Public(), bob.Public(), sam.Public()
	node := &fakeNode{status: client.StatusSequenced, accounts: []client.Account{
		{Index: 0, Kind: "account", PubKey: &pa, Balance: "1500000000", Nonce: 4},
		{Index: 1, Kind: "account", PubKey: &pb, Balance: "0"},
		{Index: 2, Kind: "account", PubKey: &ps, Balance: "1000000"},
	}}
	srv := rpc.NewServer()
	require.NoError(t, srv.RegisterName("keel", node))
	defer srv.Stop()
	httpSrv := httptest.NewServer(srv)
	defer httpSrv.Close()
	policy := filepath.Join(t.TempDir(), "policy.toml")
	require.NoError(t, os.WriteFile(policy, []byte("types = [\"transfer\"]\nmax_fee = 50\ndaily_budget = 1000\nper_user_per_hour = 5\n"), 0o600))

	// serve: its account is found by its key; it prints its URL once it
	// listens, and stops when its context ends.
	ctx, cancel := context.WithCancel(context.Background())
	pr, pw := io.Pipe()
	var stderr bytes.Buffer
	g := newGlobals(ctx, pw, &stderr)
	env := map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_SPONSOR_KEYFILE": samFile, "KEEL_SPONSOR_PASSWORD": "pw"}
	g.lookupEnv = func(k string) (string, bool) { v, ok := env[k]; return v, ok }
	done := make(chan error, 1)
	go func() {
		done <- runWith(g, []string{"sponsor", "serve", "--policy", policy, "--listen", "127.0.0.1:0", "--datadir", t.TempDir(), "--json", "--log-level", "warn"})
		pw.Close()
	}()
	line, err := bufio.NewReader(pr).ReadBytes('\n')
	require.NoError(t, err, "serve printed nothing: %s", stderr.String())
	var out sponsorServeOut
	require.NoError(t, json.Unmarshal(line, &out))
	require.EqualValues(t, 2, out.Sponsor)
	require.EqualValues(t, 77, out.ChainID)
	defer func() {
		cancel()
		require.NoError(t, <-done)
	}()

	userEnv := map[string]string{"KEEL_RPC": httpSrv.URL, "KEEL_KEYFILE": aliceFile, "KEEL_PASSWORD": "pw"}
	keel := func(args ...string) (string, error) {
		g, stdout, _ := testGlobals(t, userEnv)
		err := runWith(g, args)
		return stdout.String(), err
	}
	res, err := keel("transfer", "--to", "1", "--amount", "1000", "--sponsor", out.URL, "--json")
	require.NoError(t, err)
	var tx txOut
	require.NoError(t, json.Unmarshal([]byte(res), &tx))
	require.EqualValues(t, 2, *tx.FeePaidBy)
	require.Len(t, node.sent, 1)
	sent := node.sent[0]
	require.Equal(t, sent.Hash(), tx.Hash)
	require.True(t, sent.Sponsored)
	require.EqualValues(t, 2, sent.Sponsor)
	require.EqualValues(t, 10, sent.Fee, "the node's minimum fee, which the sponsor pays")
	require.True(t, sent.VerifySponsorSignature(ps))

	_, err = keel("transfer", "--to", "1", "--amount", "1000", "--sponsor", out.URL, "--fee", "60")
	require.EqualError(t, err, "send transfer: --fee 60 is above the sponsor's max fee of 50 gwei: lower --fee, or leave it out")
	_, err = keel("withdraw", "--to", "0x00000000000000000000000000000000000000fe", "--claim=false", "--amount", "1000", "--sponsor", out.URL)
	require.ErrorContains(t, err, "pays for transfer only, not a withdraw")
	_, err = keel("transfer", "--to", "1", "--amount", "1000", "--sponsor", "127.0.0.1:1")
	require.ErrorContains(t, err, `--sponsor: client: bad sponsor URL "127.0.0.1:1"`)
	require.Len(t, node.sent, 1)
}
