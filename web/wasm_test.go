package web_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// TestWasmSignaturesVerifyInGo runs the JS API's tests (web/test) against
// a module built now from the current Go code, not the committed
// keel.wasm.gz, and checks in Go what the module made: its signatures
// verify under package vm and its hashes are vm's, its derived key and key
// file are the ones `keel account` makes and opens, and its deposit
// calldata is the ABI binding's. The committed module is not compared with
// a fresh build: builds are not byte-reproducible across machines and Go
// releases.
func TestWasmSignaturesVerifyInGo(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the WebAssembly module and runs Node: not in -short")
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("node is not on PATH: install Node 20 or later to test the WebAssembly module and keel.mjs")
	}
	requireNode20(t, node)
	ctx, cancel := context.WithTimeout(t.Context(), 5*time.Minute)
	defer cancel()

	// The module, gzipped beside a copy of keel.mjs and the wasm_exec.js of
	// the Go that built it, as web/static holds them.
	dir := t.TempDir()
	raw := filepath.Join(dir, "keel.wasm")
	build := exec.CommandContext(ctx, "go", "build", "-trimpath", "-ldflags=-s -w", "-o", raw, "../wasm/keel")
	build.Env = append(os.Environ(), "GOOS=js", "GOARCH=wasm")
	out, err := build.CombinedOutput()
	require.NoError(t, err, "build the module: %s", out)
	goroot, err := exec.CommandContext(ctx, "go", "env", "GOROOT").Output()
	require.NoError(t, err)
	copyFile(t, filepath.Join(strings.TrimSpace(string(goroot)), "lib", "wasm", "wasm_exec.js"), filepath.Join(dir, "wasm_exec.js"))
	copyFile(t, filepath.Join("static", "keel.mjs"), filepath.Join(dir, "keel.mjs"))
	wasm, err := os.ReadFile(raw)
	require.NoError(t, err)
	var gz bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	_, err = zw.Write(wasm)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.NoError(t, os.WriteFile(filepath.Join(dir, "keel.wasm.gz"), gz.Bytes(), 0o644))
	t.Logf("module: %d bytes, %d gzipped", len(wasm), gz.Len())

	signed := filepath.Join(dir, "signed.json")
	// The files, not the directory: Node 22 reads --test's arguments as
	// globs, and a bare directory no longer matches.
	files, err := filepath.Glob(filepath.Join("test", "*.test.mjs"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	run := exec.CommandContext(ctx, node, append([]string{"--test"}, files...)...)
	run.Env = append(os.Environ(), "KEEL_MODULE="+filepath.Join(dir, "keel.mjs"), "KEEL_SIGNED_OUT="+signed)
	out, err = run.CombinedOutput()
	require.NoError(t, err, "node --test web/test/:\n%s", out)
	t.Logf("node --test web/test/:\n%s", out)

	data, err := os.ReadFile(signed)
	require.NoError(t, err, "the JS test wrote nothing to KEEL_SIGNED_OUT")
	var got struct {
		PublicKey vm.PublicKey  `json:"publicKey"`
		Txs       []vm.Tx       `json:"txs"`
		Hashes    []common.Hash `json:"hashes"`
		Derive    struct {
			Signature hexutil.Bytes `json:"signature"`
			PublicKey vm.PublicKey  `json:"publicKey"`
		} `json:"derive"`
		DepositCalldata hexutil.Bytes `json:"depositCalldata"`
		KeyFile         string        `json:"keyFile"`
		Password        string        `json:"password"`
	}
	// vm.Tx's decoder is the node's: strict, so the JSON the module writes
	// is exactly what keel_sendTransaction takes.
	require.NoError(t, json.Unmarshal(data, &got))
	require.Len(t, got.Txs, 3)
	require.Len(t, got.Hashes, 3)
	require.Equal(t, vm.TxTransfer, got.Txs[0].Type)
	require.Equal(t, vm.TxWithdraw, got.Txs[1].Type)
	// The third is sponsored by account 9: the sender's signature covers
	// the sponsor, as the node and the circuit read it.
	require.True(t, got.Txs[2].Sponsored)
	require.EqualValues(t, 9, got.Txs[2].Sponsor)

	other, err := vm.GenerateKey()
	require.NoError(t, err)
	for i, tx := range got.Txs {
		t.Run(tx.Type.String(), func(t *testing.T) {
			require.NoError(t, tx.CheckStatic(tx.ChainID, vm.MaxDepth))
			require.True(t, tx.VerifySignature(got.PublicKey), "the module's signature does not verify in Go")
			require.Equal(t, got.Hashes[i], tx.Hash(), "the module's hash is not vm's")
			require.False(t, tx.VerifySignature(other.Public()), "verifies under another key")
			tampered := tx
			tampered.Amount++
			require.False(t, tampered.VerifySignature(got.PublicKey), "verifies with a tampered amount")
			tampered = tx
			tampered.Nonce++
			require.False(t, tampered.VerifySignature(got.PublicKey), "verifies with a tampered nonce")
			tampered = tx
			tampered.Sponsored, tampered.Sponsor = true, tx.Sponsor+1
			require.False(t, tampered.VerifySignature(got.PublicKey), "verifies with another sponsor")
		})
	}

	t.Run("derived key", func(t *testing.T) {
		k, err := vm.DeriveKeyFromSignature(got.Derive.Signature)
		require.NoError(t, err)
		require.Equal(t, k.Public(), got.Derive.PublicKey, "not the key `keel account derive` makes")
	})
	t.Run("key file", func(t *testing.T) {
		k, err := vm.DecryptKey([]byte(got.KeyFile), got.Password)
		require.NoError(t, err, "vm cannot open the module's key file")
		require.Equal(t, got.PublicKey, k.Public())
		_, err = vm.DecryptKey([]byte(got.KeyFile), got.Password+"x")
		require.ErrorIs(t, err, vm.ErrWrongPassword)
	})
	t.Run("deposit calldata", func(t *testing.T) {
		// The module packs it by hand, to leave l1contracts out of it.
		want := l1contracts.NewRollup().PackDeposit(vm.DepositKeyOf(got.PublicKey))
		require.Equal(t, hexutil.Bytes(want), got.DepositCalldata)
	})
}

// requireNode20 skips the test on a Node older than 20, which lacks what
// keel.mjs and the test runner rely on (global fetch and crypto,
// DecompressionStream, node --test on a directory).
func requireNode20(t *testing.T, node string) {
	t.Helper()
	v, err := exec.Command(node, "--version").Output()
	require.NoError(t, err)
	m := regexp.MustCompile(`^v(\d+)\.`).FindSubmatch(v)
	if m == nil {
		t.Skipf("cannot read the Node version from %q", v)
	}
	if major, _ := strconv.Atoi(string(m[1])); major < 20 {
		t.Skipf("node is %s; the WebAssembly module's JS API needs Node 20 or later", bytes.TrimSpace(v))
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	b, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, b, 0o644))
}
