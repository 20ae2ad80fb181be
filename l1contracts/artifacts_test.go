package l1contracts_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/consensys/gnark/logger"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/stretchr/testify/require"
)

// TestArtifactsFresh fails when the committed contracts are stale: the
// verifier template against gnark's export, the compiled artifacts
// against the sources (with the pinned solc-js, which .ci/run installs),
// and the bindings against the artifacts. Fix with make contracts.
func TestArtifactsFresh(t *testing.T) {
	logger.Disable()
	src, err := l1contracts.TemplateVerifierSource()
	require.NoError(t, err)
	committed, err := os.ReadFile(filepath.Join("src", "Verifier.sol"))
	require.NoError(t, err)
	require.Equal(t, string(committed), src, "src/Verifier.sol is stale: run make contracts")

	// Bindings embed the artifacts they were generated from.
	for name, md := range map[string]struct{ abi, bin string }{
		"Rollup":           {l1contracts.RollupMetaData.ABI, l1contracts.RollupMetaData.Bin},
		"Verifier":         {l1contracts.VerifierMetaData.ABI, l1contracts.VerifierMetaData.Bin},
		"Poseidon2Harness": {l1contracts.Poseidon2HarnessMetaData.ABI, l1contracts.Poseidon2HarnessMetaData.Bin},
		"ReentrantClaimer": {l1contracts.ReentrantClaimerMetaData.ABI, l1contracts.ReentrantClaimerMetaData.Bin},
	} {
		bin, err := os.ReadFile(filepath.Join("build", name+".bin"))
		require.NoError(t, err)
		require.Equal(t, "0x"+strings.TrimSpace(string(bin)), md.bin, "%s binding is stale: run make contracts", name)
		abi, err := os.ReadFile(filepath.Join("build", name+".abi"))
		require.NoError(t, err)
		// abigen strips all whitespace from the ABI, inside strings too.
		var compact strings.Builder
		for _, r := range string(abi) {
			if !unicode.IsSpace(r) {
				compact.WriteRune(r)
			}
		}
		require.Equal(t, compact.String(), md.abi, "%s binding ABI is stale: run make contracts", name)
	}

	// Recompile the sources and compare with the committed artifacts.
	if _, err := os.Stat(filepath.Join("node_modules", "solc")); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("solc-js is missing: .ci/run installs it (cd l1contracts && npm ci)")
		}
		t.Skip("solc-js not installed (cd l1contracts && npm ci); skipping the recompilation check")
	}
	out := t.TempDir()
	cmd := exec.Command("node", "compile.js", out)
	b, err := cmd.CombinedOutput()
	require.NoError(t, err, string(b))
	fresh, err := filepath.Glob(filepath.Join(out, "*"))
	require.NoError(t, err)
	require.NotEmpty(t, fresh)
	for _, f := range fresh {
		want, err := os.ReadFile(f)
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("build", filepath.Base(f)))
		require.NoError(t, err, "build/%s is missing: run make contracts", filepath.Base(f))
		if strings.HasSuffix(f, ".abi") {
			var a, b any
			require.NoError(t, json.Unmarshal(want, &a))
			require.NoError(t, json.Unmarshal(got, &b))
			require.Equal(t, a, b, "build/%s is stale: run make contracts", filepath.Base(f))
			continue
		}
		require.Equal(t, string(want), string(got), "build/%s is stale: run make contracts", filepath.Base(f))
	}
}

// TestRollupABINamesTheVerifierErrors: commitBatch and exit pass the
// verifiers' reverts through unchanged, so every error of Verifier.sol is
// declared in the Rollup's ABI too, where wallets and tools decode them.
func TestRollupABINamesTheVerifierErrors(t *testing.T) {
	rollup, err := l1contracts.RollupMetaData.ParseABI()
	require.NoError(t, err)
	verifier, err := l1contracts.VerifierMetaData.ParseABI()
	require.NoError(t, err)
	require.NotEmpty(t, verifier.Errors)
	for name, e := range verifier.Errors {
		got, ok := rollup.Errors[name]
		require.True(t, ok, "the Rollup ABI lacks the verifier's %s", name)
		require.Equal(t, e.ID, got.ID, name)
	}
}
