package prover

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// proveConfig is the smallest useful batch circuit: 2 slots, depth 4
// (about 130k constraints; dev setup ~20 s on 2 cores).
var proveConfig = vm.Config{ChainID: 9, Depth: 4, Operator: 0, Slots: 2}

// testKeyDir caches dev keys across test runs on this machine; they are
// keyed by the circuit hash, so a changed circuit gets fresh keys.
func testKeyDir(t testing.TB) string {
	dir := filepath.Join(os.TempDir(), "keel-test-keys")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	return dir
}

func testLogger(t testing.TB) zerolog.Logger {
	return zerolog.New(zerolog.NewTestWriter(t))
}

func testKey(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("prover " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// twoBatches returns a deposit batch and a transfer batch with its fee
// payout, sealed on a fresh chain.
func twoBatches(t testing.TB, cfg vm.Config) []*vm.SealedBatch {
	store := vm.NewMemStore(cfg.Depth)
	op, alice := testKey(t, "operator"), testKey(t, "alice")
	var out []*vm.SealedBatch
	for _, txs := range [][]vm.Tx{
		{
			{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: 0, To: 0, PubKey: op.Public(), Amount: 10},
			{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: 1, To: 3, PubKey: alice.Public(), Amount: 5000},
		},
		{func() vm.Tx {
			tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: 3, To: 0, Amount: 700, Fee: 3}
			require.NoError(t, tx.Sign(alice))
			return tx
		}()},
	} {
		head, err := store.Head()
		require.NoError(t, err)
		sb, rejected, err := vm.Execute(cfg, store.ReaderAt(head.BatchNumber), head, txs)
		require.NoError(t, err)
		for _, r := range rejected {
			require.NoError(t, r)
		}
		require.NoError(t, store.Commit(sb.Changes))
		out = append(out, sb)
	}
	return out
}

// TestProveAndVerify proves real batches with dev keys and verifies them;
// a changed public input or a proof for another batch is rejected.
func TestProveAndVerify(t *testing.T) {
	if testing.Short() {
		t.Skip("proving takes tens of seconds; run without -short")
	}
	ccs, err := CompileBatch(proveConfig.Slots, proveConfig.Depth)
	require.NoError(t, err)
	dir := testKeyDir(t)
	start := time.Now()
	keys, err := DevKeys(context.Background(), dir, ccs, testLogger(t))
	require.NoError(t, err)
	t.Logf("%d constraints; keys in %v", ccs.GetNbConstraints(), time.Since(start))

	// The cache serves the same keys the second time.
	again, err := DevKeys(context.Background(), dir, ccs, testLogger(t))
	require.NoError(t, err)
	var a, b bytes.Buffer
	_, err = keys.VK.WriteTo(&a)
	require.NoError(t, err)
	_, err = again.VK.WriteTo(&b)
	require.NoError(t, err)
	require.Equal(t, a.Bytes(), b.Bytes())

	p, err := New(proveConfig, keys)
	require.NoError(t, err)
	batches := twoBatches(t, proveConfig)
	var proofs []*Proof
	for _, sb := range batches {
		start := time.Now()
		proof, err := p.Prove(sb)
		require.NoError(t, err)
		t.Logf("batch %d proved in %v", sb.After.BatchNumber, time.Since(start))
		require.NoError(t, Verify(keys.VK, proof))
		words, input, err := proof.SolidityProof()
		require.NoError(t, err)
		c := sb.Commitment(proveConfig.Operator)
		require.Equal(t, c.BigInt(new(big.Int)), input[0])
		for _, w := range words {
			require.NotNil(t, w)
		}
		proofs = append(proofs, proof)
	}
	checkWithSnarkjs(t, keys, proofs)

	// The Solidity bytes parse back into a proof that verifies; a
	// flipped coordinate does not parse, or does not verify.
	raw, err := proofs[0].SolidityBytes()
	require.NoError(t, err)
	parsed, err := ProofFromSolidity(raw, 1, proofs[0].Commitment)
	require.NoError(t, err)
	require.NoError(t, Verify(keys.VK, parsed))
	bad := append([]byte(nil), raw...)
	bad[31] ^= 1
	if parsed, err := ProofFromSolidity(bad, 1, proofs[0].Commitment); err == nil {
		require.ErrorIs(t, Verify(keys.VK, parsed), ErrInvalidProof)
	} else {
		require.ErrorIs(t, err, ErrInvalidProof)
	}

	// A proof checked against another batch's public input fails.
	swapped := *proofs[0]
	swapped.Commitment = proofs[1].Commitment
	require.ErrorIs(t, Verify(keys.VK, &swapped), ErrInvalidProof)
}

func TestKeysMissing(t *testing.T) {
	ccs, err := CompileBatch(2, 2)
	require.NoError(t, err)
	_, err = LoadKeys(t.TempDir(), ccs)
	require.ErrorIs(t, err, ErrNoKeys)
}

// checkWithSnarkjs verifies the exported JSON with snarkjs, a Groth16
// verifier Keel did not write, when .ci/run has installed it; in CI it
// must be there.
func checkWithSnarkjs(t *testing.T, keys *Keys, proofs []*Proof) {
	bin, err := filepath.Abs(filepath.Join("..", ".ci", "node", "node_modules", ".bin", "snarkjs"))
	require.NoError(t, err)
	if _, err := os.Stat(bin); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("snarkjs missing at %s: .ci/run installs it", bin)
		}
		t.Logf("snarkjs not installed (run .ci/run); skipping the third-party check")
		return
	}
	dir := t.TempDir()
	vkJSON, err := ExportVerifyingKeyJSON(keys.VK)
	require.NoError(t, err)
	vkPath := filepath.Join(dir, "verification_key.json")
	require.NoError(t, os.WriteFile(vkPath, vkJSON, 0o644))
	verify := func(proofJSON, publicJSON []byte) (string, error) {
		pp, pub := filepath.Join(dir, "proof.json"), filepath.Join(dir, "public.json")
		require.NoError(t, os.WriteFile(pp, proofJSON, 0o644))
		require.NoError(t, os.WriteFile(pub, publicJSON, 0o644))
		out, err := exec.Command(bin, "groth16", "verify", vkPath, pub, pp).CombinedOutput()
		return string(out), err
	}
	for _, p := range proofs {
		proofJSON, publicJSON, err := p.ExportJSON()
		require.NoError(t, err)
		out, err := verify(proofJSON, publicJSON)
		require.NoError(t, err, out)
		require.Contains(t, out, "OK!", "snarkjs must accept batch %d", p.BatchNumber)
	}
	// And it rejects a proof under another public input.
	proofJSON, _, err := proofs[0].ExportJSON()
	require.NoError(t, err)
	_, otherPublic, err := proofs[1].ExportJSON()
	require.NoError(t, err)
	out, _ := verify(proofJSON, otherPublic)
	require.NotContains(t, out, "OK!")
}
