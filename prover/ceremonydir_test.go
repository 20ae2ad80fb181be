package prover

import (
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/stretchr/testify/require"
)

// smallCeremonyCircuits makes the ceremony directory key small stand-ins
// for the real circuits (whose phase 1 takes minutes): each name gets a
// square-root circuit of its own size, so that the largest one sizes phase
// 1 and the others fit it. make ceremony runs the real ones.
func smallCeremonyCircuits(t *testing.T) {
	t.Helper()
	prev := ceremonyCompiler
	ceremonyCompiler = func(c CeremonyCircuit, depth int) (constraint.ConstraintSystem, error) {
		pad := ceremonySmallPad + c.Slots*10 + depth
		return frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &ceremonyCircuit{pad: pad})
	}
	t.Cleanup(func() { ceremonyCompiler = prev })
}

// runCeremonyDir runs a whole three-party ceremony in a new directory and
// returns it and the keys dir.
func runCeremonyDir(t *testing.T) (dir, keys string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "ceremony")
	keys = filepath.Join(dir, "keys")
	m, err := CeremonyDirInit(dir, 4, []int{8, 2})
	require.NoError(t, err)
	require.Equal(t, []string{"batch-2", "batch-8", "exit"}, []string{m.Circuits[0].Name, m.Circuits[1].Name, m.Circuits[2].Name})
	for range 3 {
		cs, err := CeremonyDirContribute(dir)
		require.NoError(t, err)
		require.Len(t, cs, 1)
		requireCeremonyHash(t, cs[0].File, cs[0].Hash)
	}
	m, err = CeremonyDirSeal(dir, []byte("phase 1 beacon"), keys)
	require.NoError(t, err)
	require.Equal(t, CeremonyPhase2, m.Phase)
	for range 3 {
		cs, err := CeremonyDirContribute(dir)
		require.NoError(t, err)
		require.Len(t, cs, 3, "one contribution a circuit")
		for _, c := range cs {
			requireCeremonyHash(t, c.File, c.Hash)
		}
	}
	m, err = CeremonyDirSeal(dir, []byte("phase 2 beacon"), keys)
	require.NoError(t, err)
	require.Equal(t, CeremonySealed, m.Phase)
	return dir, keys
}

// TestCeremonyDirThreeParties runs a ceremony directory through both
// phases with three participants, verifies the transcript and the sealed
// keys, and proves with every circuit's keys.
func TestCeremonyDirThreeParties(t *testing.T) {
	smallCeremonyCircuits(t)
	dir, keys := runCeremonyDir(t)

	r, err := CeremonyDirVerify(dir, keys)
	require.NoError(t, err)
	require.Equal(t, 3, r.Contributions["phase1"])
	require.Len(t, r.Hashes["phase1"], 4)
	m, err := ReadCeremonyManifest(dir)
	require.NoError(t, err)
	for _, c := range m.Circuits {
		require.Equal(t, 3, r.Contributions[filepath.Join("phase2", c.Name)], c.Name)
		ccs, err := ceremonyCompiler(c, m.Depth)
		require.NoError(t, err)
		k, err := LoadKeys(keys, ccs)
		require.NoError(t, err, c.Name)
		require.Equal(t, c.Hash, k.HashHex())
		requireCeremonyKeysProve(t, ccs, k.PK, k.VK)
	}

	// A sealed ceremony takes nothing more.
	_, err = CeremonyDirContribute(dir)
	require.ErrorIs(t, err, ErrCeremonyDir)
	_, err = CeremonyDirSeal(dir, []byte("again"), keys)
	require.ErrorIs(t, err, ErrCeremonyDir)
}

// TestCeremonyDirTampered checks that verify names what was changed: a
// contribution altered, one dropped, a sealed key swapped, a circuit of
// another version.
func TestCeremonyDirTampered(t *testing.T) {
	smallCeremonyCircuits(t)
	dir, keys := runCeremonyDir(t)
	copyDir := func(t *testing.T) string {
		t.Helper()
		out := filepath.Join(t.TempDir(), "copy")
		require.NoError(t, os.CopyFS(out, os.DirFS(dir)))
		return out
	}

	t.Run("a phase-1 contribution altered", func(t *testing.T) {
		d := copyDir(t)
		f := filepath.Join(d, "phase1", "0002.state")
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		data[len(data)/2] ^= 1
		require.NoError(t, os.Chmod(f, 0o600))
		require.NoError(t, os.WriteFile(f, data, 0o600))
		_, err = CeremonyDirVerify(d, filepath.Join(d, "keys"))
		require.Error(t, err)
		require.True(t, errors.Is(err, ErrCeremonyRejected) || errors.Is(err, ErrCeremonyMalformed), "%v", err)
		require.Contains(t, err.Error(), "phase 1 contribution 2 of 3")
		require.Contains(t, err.Error(), "0002.state")
	})
	t.Run("a phase-2 contribution dropped", func(t *testing.T) {
		d := copyDir(t)
		require.NoError(t, os.Remove(filepath.Join(d, "phase2", "batch-8", "0002.state")))
		_, err := CeremonyDirVerify(d, filepath.Join(d, "keys"))
		require.ErrorIs(t, err, ErrCeremonyDir)
		require.Contains(t, err.Error(), filepath.Join("phase2", "batch-8")+": found 0003.state where 0002.state comes next")
	})
	t.Run("a phase-2 contribution dropped and the rest renumbered", func(t *testing.T) {
		d := copyDir(t)
		chain := filepath.Join(d, "phase2", "exit")
		require.NoError(t, os.Rename(filepath.Join(chain, "0003.state"), filepath.Join(chain, "0002.state")))
		_, err := CeremonyDirVerify(d, filepath.Join(d, "keys"))
		require.ErrorIs(t, err, ErrCeremonyRejected)
		require.Contains(t, err.Error(), "circuit exit")
		require.Contains(t, err.Error(), "phase 2 contribution 2 of 2")
	})
	t.Run("a sealed verifying key swapped for another circuit's", func(t *testing.T) {
		d := copyDir(t)
		m, err := ReadCeremonyManifest(d)
		require.NoError(t, err)
		a := filepath.Join(d, "keys", m.Circuits[0].Hash, vkFile)
		b := filepath.Join(d, "keys", m.Circuits[1].Hash, vkFile)
		data, err := os.ReadFile(b)
		require.NoError(t, err)
		require.NoError(t, os.Chmod(a, 0o600))
		require.NoError(t, os.WriteFile(a, data, 0o600))
		_, err = CeremonyDirVerify(d, filepath.Join(d, "keys"))
		require.ErrorIs(t, err, ErrCeremonyRejected)
		require.Contains(t, err.Error(), "circuit batch-2")
	})
	t.Run("a circuit of another Keel version", func(t *testing.T) {
		d := copyDir(t)
		m, err := ReadCeremonyManifest(d)
		require.NoError(t, err)
		m.Circuits[2].Hash = strings.Repeat("ab", 32)
		require.NoError(t, writeCeremonyManifest(d, m))
		_, err = CeremonyDirVerify(d, filepath.Join(d, "keys"))
		require.ErrorIs(t, err, ErrCeremonyDir)
		require.Contains(t, err.Error(), "circuit exit compiles to")
	})
	_ = keys
}

// TestCeremonyDirSealRedone: a phase-1 seal interrupted after it wrote
// some of its files (the manifest still says phase 1) is simply run again.
func TestCeremonyDirSealRedone(t *testing.T) {
	smallCeremonyCircuits(t)
	dir := filepath.Join(t.TempDir(), "ceremony")
	_, err := CeremonyDirInit(dir, 4, []int{2})
	require.NoError(t, err)
	_, err = CeremonyDirContribute(dir)
	require.NoError(t, err)
	// What a crash in the middle of sealing leaves.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "phase1.commons"), []byte("torn"), 0o600))
	require.NoError(t, os.MkdirAll(filepath.Join(dir, "phase2", "batch-2"), 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "phase2", "batch-2", "0000.state"), []byte("torn"), 0o600))
	m, err := CeremonyDirSeal(dir, []byte("beacon"), "")
	require.NoError(t, err)
	require.Equal(t, CeremonyPhase2, m.Phase)
	_, err = CeremonyDirContribute(dir)
	require.NoError(t, err)
	_, err = CeremonyDirSeal(dir, []byte("beacon 2"), filepath.Join(dir, "keys"))
	require.NoError(t, err)
	_, err = CeremonyDirVerify(dir, filepath.Join(dir, "keys"))
	require.NoError(t, err)
}

// TestCeremonyDirBadInputs covers the commands' refusals.
func TestCeremonyDirBadInputs(t *testing.T) {
	smallCeremonyCircuits(t)
	dir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(dir, "x"), nil, 0o644))
	_, err := CeremonyDirInit(dir, 4, []int{2})
	require.ErrorContains(t, err, "is not empty")
	_, err = CeremonyDirInit(filepath.Join(dir, "a"), 4, nil)
	require.ErrorContains(t, err, "no batch sizes")
	_, err = CeremonyDirInit(filepath.Join(dir, "b"), 4, []int{2, 2})
	require.ErrorContains(t, err, "distinct")
	_, err = CeremonyDirContribute(filepath.Join(dir, "none"))
	require.ErrorContains(t, err, "keel ceremony init")

	d := filepath.Join(dir, "c")
	_, err = CeremonyDirInit(d, 4, []int{2})
	require.NoError(t, err)
	_, err = CeremonyDirSeal(d, nil, "")
	require.ErrorIs(t, err, ErrCeremonyBeacon)
	_, err = CeremonyDirSeal(d, []byte("b"), "")
	require.ErrorIs(t, err, ErrCeremonyNoContributions, "phase 1 without a contribution")
}

// TestDecodeCeremonyManifestErrors names each kind of bad manifest.
func TestDecodeCeremonyManifestErrors(t *testing.T) {
	h := hex.EncodeToString(make([]byte, 32))
	good := `{"version":1,"depth":4,"circuits":[{"name":"batch-2","slots":2,"hash":"` + h + `"},{"name":"exit","hash":"` + h + `"}],"phase":1}`
	_, err := DecodeCeremonyManifest([]byte(good))
	require.NoError(t, err)
	for _, tc := range []struct{ in, want string }{
		{`{`, "unexpected EOF"},
		{strings.Replace(good, `"version":1`, `"version":2`, 1), "version 2"},
		{strings.Replace(good, `"depth":4`, `"depth":0`, 1), "depth 0"},
		{strings.Replace(good, `"phase":1`, `"phase":4`, 1), "phase 4"},
		{strings.Replace(good, `"phase":1`, `"phase":2`, 1), "phase 1's beacon"},
		{strings.Replace(good, `"name":"batch-2"`, `"name":"batch-3"`, 1), `circuit "batch-3"`},
		{strings.Replace(good, `"name":"exit"`, `"name":"batch-2","slots":2`, 1), "listed twice"},
		{strings.Replace(good, `"hash":"`+h+`"}]`, `"hash":"zz"}]`, 1), "not 32 bytes of hex"},
		{strings.Replace(good, `"phase":1`, `"phase":1,"extra":1`, 1), "unknown field"},
		{good + `{}`, "data after"},
		{`{"version":1,"depth":4,"circuits":[],"phase":1}`, "no circuits"},
	} {
		_, err := DecodeCeremonyManifest([]byte(tc.in))
		require.ErrorIs(t, err, ErrCeremonyDir, tc.in)
		require.ErrorContains(t, err, tc.want, tc.in)
	}
}

// FuzzDecodeCeremonyManifest: a manifest comes from another participant's
// machine; no input may panic, and what decodes re-encodes to a manifest
// that decodes the same.
func FuzzDecodeCeremonyManifest(f *testing.F) {
	h := hex.EncodeToString(make([]byte, 32))
	f.Add([]byte(`{"version":1,"depth":4,"circuits":[{"name":"batch-2","slots":2,"hash":"` + h + `"},{"name":"exit","hash":"` + h + `"}],"phase":1}`))
	f.Add([]byte(`{"version":1,"depth":24,"circuits":[{"name":"exit","hash":"` + h + `"}],"phase":3,"phase1Beacon":"01","commons":"02","phase2Beacon":"03"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := DecodeCeremonyManifest(data)
		if err != nil {
			return
		}
		again, err := DecodeCeremonyManifest(mustJSON(m))
		require.NoError(t, err)
		require.Equal(t, m, again)
	})
}
