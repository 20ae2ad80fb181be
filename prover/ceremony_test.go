package prover

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/backend/groth16/bn254/mpcsetup"
	"github.com/consensys/gnark/constraint"
	cs "github.com/consensys/gnark/constraint/bn254"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/consensys/gnark/frontend/cs/scs"
	"github.com/stretchr/testify/require"
)

// ceremonyCircuit proves knowledge of a square root: Y = X² with Y public.
// Pad adds a chain of squarings so that the domain has a few hundred rows,
// like a real circuit's, while a whole ceremony still takes about a second.
// Commit adds a Pedersen commitment, which the batch circuit gets as soon
// as it uses std/rangecheck, and which phase 2 handles separately (σ).
type ceremonyCircuit struct {
	X frontend.Variable
	Y frontend.Variable `gnark:",public"`

	pad    int
	commit bool
}

func (c *ceremonyCircuit) Define(api frontend.API) error {
	api.AssertIsEqual(c.Y, api.Mul(c.X, c.X))
	v := c.X
	for i := range c.pad {
		// Coefficients 1 and 2 only: gnark's phase 2 init does a G2 scalar
		// multiplication per other coefficient, which would slow the test
		// without testing anything more.
		v = api.Add(api.Mul(v, v), i%2+1)
	}
	if c.commit {
		cm, err := api.(frontend.Committer).Commit(c.X, v)
		if err != nil {
			return err
		}
		api.AssertIsDifferent(cm, 0)
	}
	return nil
}

func compileCeremonyCircuit(t testing.TB, pad int, commit bool) constraint.ConstraintSystem {
	t.Helper()
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, &ceremonyCircuit{pad: pad, commit: commit})
	require.NoError(t, err)
	return ccs
}

// ceremonyPad gives the test circuit about 200 constraints: domain 256.
// ceremonySmallPad (domain 64) serves the tests of rejections, which do not
// depend on size and seal many times.
const (
	ceremonyPad      = 200
	ceremonySmallPad = 50
)

// runCeremonyPhase1 runs phase 1 sized for ccs with k contributions in dir and
// returns the state files, the initial one first.
func runCeremonyPhase1(t testing.TB, ccs constraint.ConstraintSystem, dir string, k int) []string {
	t.Helper()
	files := []string{filepath.Join(dir, "p1-0")}
	require.NoError(t, CeremonyInitPhase1(ccs, files[0]))
	for i := 1; i <= k; i++ {
		files = append(files, filepath.Join(dir, fmt.Sprintf("p1-%d", i)))
		hash, err := CeremonyContributePhase1(files[i-1], files[i])
		require.NoError(t, err)
		requireCeremonyHash(t, files[i], hash)
	}
	return files
}

// runCeremonyPhase2 runs phase 2 for ccs on commons with k contributions in
// dir and returns the state files, the initial one first.
func runCeremonyPhase2(t testing.TB, ccs constraint.ConstraintSystem, commons, dir string, k int) []string {
	t.Helper()
	files := []string{filepath.Join(dir, "p2-0")}
	require.NoError(t, CeremonyInitPhase2(ccs, commons, files[0]))
	for i := 1; i <= k; i++ {
		files = append(files, filepath.Join(dir, fmt.Sprintf("p2-%d", i)))
		hash, err := CeremonyContributePhase2(files[i-1], files[i])
		require.NoError(t, err)
		requireCeremonyHash(t, files[i], hash)
	}
	return files
}

// requireCeremonyHash checks that a published contribution hash is what
// sha256sum prints for the file, so participants can check it without Keel.
func requireCeremonyHash(t testing.TB, path, hash string) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	sum := sha256.Sum256(data)
	require.Equal(t, hex.EncodeToString(sum[:]), hash)
}

// requireCeremonyKeysProve proves Y = 3² with the ceremony's keys, checks the
// proof, and checks that it does not verify for Y = 10.
func requireCeremonyKeysProve(t *testing.T, ccs constraint.ConstraintSystem, pk groth16.ProvingKey, vk groth16.VerifyingKey) {
	t.Helper()
	full, err := frontend.NewWitness(&ceremonyCircuit{X: 3, Y: 9}, ecc.BN254.ScalarField())
	require.NoError(t, err)
	public, err := full.Public()
	require.NoError(t, err)
	proof, err := groth16.Prove(ccs, pk, full)
	require.NoError(t, err)
	require.NoError(t, groth16.Verify(proof, vk, public))

	wrong, err := frontend.NewWitness(&ceremonyCircuit{Y: 10}, ecc.BN254.ScalarField(), frontend.PublicOnly())
	require.NoError(t, err)
	require.Error(t, groth16.Verify(proof, vk, wrong), "proof verified for a wrong public input")
}

// TestCeremonyFullRun runs whole ceremonies, two contributions per phase,
// and proves with the keys they produce.
func TestCeremonyFullRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		commit bool
		// phase1Pad sizes phase 1 for another circuit than the one keyed.
		phase1Pad int
		// withInitial passes the initial state files to the seals too.
		withInitial bool
	}{
		{name: "plain", phase1Pad: ceremonyPad},
		{name: "with commitment", commit: true, phase1Pad: ceremonyPad, withInitial: true},
		// One powers-of-τ run serves every circuit that fits its domain.
		{name: "phase 1 larger than the circuit", phase1Pad: 2 * ceremonyPad},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			ccs := compileCeremonyCircuit(t, ceremonyPad, tc.commit)
			p1 := runCeremonyPhase1(t, compileCeremonyCircuit(t, tc.phase1Pad, false), dir, 2)
			if !tc.withInitial {
				p1 = p1[1:]
			}
			commons := filepath.Join(dir, "commons")
			require.NoError(t, CeremonySealPhase1(p1, []byte("phase 1 beacon: L1 block 1000 hash"), commons))

			p2 := runCeremonyPhase2(t, ccs, commons, dir, 2)
			if !tc.withInitial {
				p2 = p2[1:]
			}
			pk, vk, err := CeremonySealPhase2(ccs, commons, p2, []byte("phase 2 beacon: L1 block 2000 hash"))
			require.NoError(t, err)
			requireCeremonyKeysProve(t, ccs, pk, vk)
			if !tc.commit {
				require.NoError(t, vk.ExportSolidity(io.Discard))
			}

			// Sealing is deterministic: anyone re-running it on the same
			// transcript gets the same keys.
			_, vk2, err := CeremonySealPhase2(ccs, commons, p2, []byte("phase 2 beacon: L1 block 2000 hash"))
			require.NoError(t, err)
			var a, b bytes.Buffer
			_, err = vk.WriteTo(&a)
			require.NoError(t, err)
			_, err = vk2.WriteTo(&b)
			require.NoError(t, err)
			require.Equal(t, a.Bytes(), b.Bytes())
		})
	}
}

// ceremonyFlipped copies path with one byte changed at offset (from the end
// when negative) and returns the copy's path.
func ceremonyFlipped(t *testing.T, path string, offset int) string {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	if offset < 0 {
		offset += len(data)
	}
	data[offset] ^= 0x01
	out := path + fmt.Sprintf(".flip%d", offset)
	require.NoError(t, os.WriteFile(out, data, 0o644))
	return out
}

// errCeremonyTampered stands for either ErrCeremonyMalformed or
// ErrCeremonyRejected: a flipped bit in a compressed point gives an invalid
// point or, about half the time, another valid one, which verification then
// rejects.
var errCeremonyTampered = errors.New("malformed or rejected")

// TestCeremonyRejectsBadTranscripts feeds the seals transcripts that were
// altered, reordered, cut or mixed with another ceremony: each must fail,
// naming the first bad file.
func TestCeremonyRejectsBadTranscripts(t *testing.T) {
	dir := t.TempDir()
	ccs := compileCeremonyCircuit(t, ceremonySmallPad, false)
	beacon := []byte("beacon")

	p1 := runCeremonyPhase1(t, ccs, dir, 3)
	// fork1 is a second contribution made on p1-1 too: a valid
	// contribution, but on another branch than p1-3.
	fork1 := filepath.Join(dir, "p1-fork")
	_, err := CeremonyContributePhase1(p1[1], fork1)
	require.NoError(t, err)

	commons := filepath.Join(dir, "commons")
	require.NoError(t, CeremonySealPhase1(p1[1:], beacon, commons))
	otherCommons := filepath.Join(dir, "commons-other-beacon")
	require.NoError(t, CeremonySealPhase1(p1[1:], []byte("another beacon"), otherCommons))

	p2 := runCeremonyPhase2(t, ccs, commons, dir, 3)
	fork2 := filepath.Join(dir, "p2-fork")
	_, err = CeremonyContributePhase2(p2[1], fork2)
	require.NoError(t, err)

	type tcase struct {
		name    string
		files   []string
		beacon  []byte
		wantErr error  // nil: the transcript is good
		where   string // the error must name this file
	}
	// badCases builds the same attacks for either phase's files.
	badCases := func(s []string, fork string) []tcase {
		return []tcase{
			{name: "control", files: s[1:], beacon: beacon},
			{name: "control with initial state", files: s, beacon: beacon},
			{name: "byte flipped in a point", files: []string{s[1], ceremonyFlipped(t, s[2], 200), s[3]}, beacon: beacon, wantErr: errCeremonyTampered, where: "contribution 2 of 3"},
			{name: "byte flipped in the challenge", files: []string{s[1], ceremonyFlipped(t, s[2], -1), s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 2 of 3"},
			{name: "byte flipped in the last file", files: []string{s[1], s[2], ceremonyFlipped(t, s[3], 100)}, beacon: beacon, wantErr: errCeremonyTampered, where: "contribution 3 of 3"},
			{name: "swapped", files: []string{s[2], s[1], s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 1 of 3"},
			{name: "middle one skipped", files: []string{s[1], s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 2 of 2"},
			{name: "first one skipped", files: []string{s[2], s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 1 of 2"},
			// The initial state is not counted: the first real file is
			// contribution 1.
			{name: "first one skipped after the initial state", files: []string{s[0], s[2], s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 1 of 2 (" + s[2] + ")"},
			{name: "fork mixed in", files: []string{s[1], fork, s[3]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 3 of 3"},
			{name: "duplicate", files: []string{s[1], s[1]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 2 of 2"},
			{name: "initial state later", files: []string{s[1], s[0]}, beacon: beacon, wantErr: ErrCeremonyRejected, where: "contribution 2 of 2"},
			{name: "only the initial state", files: s[:1], beacon: beacon, wantErr: ErrCeremonyNoContributions},
			{name: "no files", beacon: beacon, wantErr: ErrCeremonyNoContributions},
			{name: "no beacon", files: s[1:], wantErr: ErrCeremonyBeacon},
		}
	}

	check := func(t *testing.T, tc tcase, err error) {
		switch tc.wantErr {
		case nil:
			require.NoError(t, err)
			return
		case errCeremonyTampered:
			require.True(t, errors.Is(err, ErrCeremonyMalformed) || errors.Is(err, ErrCeremonyRejected), "got %v", err)
		default:
			require.ErrorIs(t, err, tc.wantErr)
		}
		require.Contains(t, err.Error(), tc.where)
		t.Log(err)
	}

	t.Run("phase 1", func(t *testing.T) {
		for _, tc := range append(badCases(p1, fork1),
			tcase{name: "phase 2 file", files: []string{p1[1], p2[1]}, beacon: beacon, wantErr: ErrCeremonyMalformed, where: "contribution 2 of 2"},
		) {
			t.Run(tc.name, func(t *testing.T) {
				_, err := CeremonyVerifyPhase1(tc.files, tc.beacon)
				check(t, tc, err)
			})
		}
	})
	t.Run("phase 2", func(t *testing.T) {
		for _, tc := range append(badCases(p2, fork2),
			tcase{name: "phase 1 file", files: []string{p2[1], p1[2]}, beacon: beacon, wantErr: ErrCeremonyMalformed, where: "file 2 of 2"},
		) {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := CeremonySealPhase2(ccs, commons, tc.files, tc.beacon)
				check(t, tc, err)
			})
		}
		// The same contributions against commons sealed with another
		// beacon: the recomputed initial state differs, so the first
		// contribution was not made on it.
		t.Run("other commons", func(t *testing.T) {
			_, _, err := CeremonySealPhase2(ccs, otherCommons, p2[1:], beacon)
			check(t, tcase{wantErr: ErrCeremonyRejected, where: "contribution 1 of 3"}, err)
		})
		// Keys for another circuit cannot be sealed from this transcript.
		t.Run("other circuit", func(t *testing.T) {
			_, _, err := CeremonySealPhase2(compileCeremonyCircuit(t, ceremonySmallPad, true), commons, p2[1:], beacon)
			require.ErrorIs(t, err, ErrCeremonyRejected)
		})
	})
}

// TestCeremonyBadInputs checks that garbage, crafted and misplaced files,
// and unsuitable circuits, give errors rather than panics or huge
// allocations, and that no output file is left behind.
func TestCeremonyBadInputs(t *testing.T) {
	dir := t.TempDir()
	ccs := compileCeremonyCircuit(t, ceremonySmallPad, false)
	p1 := runCeremonyPhase1(t, ccs, dir, 1)
	commons := filepath.Join(dir, "commons")
	require.NoError(t, CeremonySealPhase1(p1[1:], []byte("beacon"), commons))
	p2 := runCeremonyPhase2(t, ccs, commons, dir, 1)

	write := func(name string, data []byte) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return path
	}
	read := func(path string) []byte {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		return data
	}
	// patched copies path with b written at offset.
	patched := func(name, path string, offset int, b []byte) string {
		data := read(path)
		copy(data[offset:], b)
		return write(name, data)
	}
	be32 := func(v uint32) []byte { return binary.BigEndian.AppendUint32(nil, v) }
	be64 := func(v uint64) []byte { return binary.BigEndian.AppendUint64(nil, v) }
	garbage := make([]byte, 4096)
	for i := range garbage {
		garbage[i] = byte(rand.N(256))
	}
	// Offsets in gnark's encodings: a phase-1 state starts with three
	// update proofs (a 32-byte G1 and a 64-byte G2 point each), then N; a
	// phase-2 state starts with a 2-byte commitment count and [δ]₁, then
	// the length of PKK.
	const phase1N, phase2PKKLen = 3 * (32 + 64), 2 + 32

	bad := []struct{ name, path string }{
		{"missing", filepath.Join(dir, "nope")},
		{"directory", dir},
		{"empty", write("empty", nil)},
		{"garbage", write("garbage", garbage)},
		{"zeros", write("zeros", make([]byte, 4096))},
		{"phase 1 truncated", write("p1-trunc", read(p1[1])[:len(read(p1[1]))/2])},
		{"phase 1 trailing bytes", write("p1-trail", append(read(p1[1]), 0))},
		{"phase 1 huge N", patched("p1-hugeN", p1[1], phase1N, be64(1<<40))},
		{"phase 1 N that does not fit", patched("p1-bigN", p1[1], phase1N, be64(1<<27))},
		{"phase 1 N zero", patched("p1-zeroN", p1[1], phase1N, be64(0))},
		{"phase 2 truncated", write("p2-trunc", read(p2[1])[:len(read(p2[1]))-10])},
		{"phase 2 huge slice", patched("p2-hugeslice", p2[1], phase2PKKLen, be32(1<<32-1))},
		{"commons truncated", write("commons-trunc", read(commons)[:1000])},
		{"commons huge N", patched("commons-hugeN", commons, 0, be64(1<<62))},
	}

	out := filepath.Join(dir, "out")
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CeremonyContributePhase1(tc.path, out)
			require.Error(t, err)
			_, err = CeremonyContributePhase2(tc.path, out)
			require.Error(t, err)
			require.Error(t, CeremonyInitPhase2(ccs, tc.path, out))
			_, err = CeremonyVerifyPhase1([]string{tc.path}, []byte("beacon"))
			require.Error(t, err)
			_, _, err = CeremonySealPhase2(ccs, commons, []string{tc.path}, []byte("beacon"))
			require.Error(t, err)
			require.NoFileExists(t, out)
			t.Log(err)
		})
	}

	t.Run("wrong files for the step", func(t *testing.T) {
		_, err := CeremonyContributePhase1(p2[1], out)
		require.ErrorIs(t, err, ErrCeremonyMalformed)
		_, err = CeremonyContributePhase2(p1[1], out)
		require.ErrorIs(t, err, ErrCeremonyMalformed)
		require.ErrorIs(t, CeremonyInitPhase2(ccs, p1[1], out), ErrCeremonyMalformed)
		require.NoFileExists(t, out)
	})

	t.Run("never overwrites", func(t *testing.T) {
		before := read(p1[1])
		_, err := CeremonyContributePhase1(p1[0], p1[1])
		require.ErrorContains(t, err, "already exists")
		require.Equal(t, before, read(p1[1]))
		require.ErrorContains(t, CeremonyInitPhase1(ccs, p1[0]), "already exists")
	})

	t.Run("not a BN254 R1CS", func(t *testing.T) {
		plonk, err := frontend.Compile(ecc.BN254.ScalarField(), scs.NewBuilder, &ceremonyCircuit{})
		require.NoError(t, err)
		bls, err := frontend.Compile(ecc.BLS12_381.ScalarField(), r1cs.NewBuilder, &ceremonyCircuit{})
		require.NoError(t, err)
		for _, c := range []constraint.ConstraintSystem{plonk, bls} {
			require.ErrorIs(t, CeremonyInitPhase1(c, out), ErrCeremonyCircuit)
			require.ErrorIs(t, CeremonyInitPhase2(c, commons, out), ErrCeremonyCircuit)
			_, _, err := CeremonySealPhase2(c, commons, p2[1:], []byte("beacon"))
			require.ErrorIs(t, err, ErrCeremonyCircuit)
		}
		require.NoFileExists(t, out)
	})

	t.Run("phase 1 too small for the circuit", func(t *testing.T) {
		small := runCeremonyPhase1(t, compileCeremonyCircuit(t, 0, false), t.TempDir(), 1)
		smallCommons := filepath.Join(t.TempDir(), "commons")
		require.NoError(t, CeremonySealPhase1(small[1:], []byte("beacon"), smallCommons))
		require.ErrorContains(t, CeremonyInitPhase2(ccs, smallCommons, out), "smaller than the circuit")
	})
}

// FuzzCeremonyDecode feeds arbitrary bytes to the decoders of ceremony
// files, which come from other participants: they must return an error or
// a state, never panic, hang, or allocate far beyond the input's size.
func FuzzCeremonyDecode(f *testing.F) {
	// Seeds: real states for the smallest domain (N = 2).
	ccs := compileCeremonyCircuit(f, 0, false)
	encode := func(v io.WriterTo) []byte {
		var b bytes.Buffer
		_, err := v.WriteTo(&b)
		require.NoError(f, err)
		return b.Bytes()
	}
	p1 := mpcsetup.NewPhase1(2)
	f.Add(encode(p1))
	p1.Contribute()
	f.Add(encode(p1))
	commons := p1.Seal([]byte("beacon"))
	f.Add(encode(&commons))
	var p2 mpcsetup.Phase2
	p2.Initialize(ccs.(*cs.R1CS), &commons)
	f.Add(encode(&p2))
	p2.Contribute()
	f.Add(encode(&p2))
	f.Add([]byte{})

	f.Fuzz(func(t *testing.T, data []byte) {
		if p, _, err := decodeCeremonyPhase1(data); err == nil {
			_, err := ceremonyStateHash(p)
			require.NoError(t, err)
		}
		if p, err := decodeCeremonyPhase2(data); err == nil {
			_, err := ceremonyStateHash(p)
			require.NoError(t, err)
		}
		if c, err := decodeCeremonyCommons(data); err == nil {
			require.GreaterOrEqual(t, len(c.G1.AlphaTau), 2)
		}
	})
}
