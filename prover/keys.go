package prover

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/constraint"
	"github.com/consensys/gnark/frontend"
	"github.com/consensys/gnark/frontend/cs/r1cs"
	"github.com/keel-rollup/keel/circuits"
	"github.com/rs/zerolog"
)

// Keys are a compiled batch circuit and its Groth16 keys.
type Keys struct {
	// CCS is the compiled constraint system.
	CCS constraint.ConstraintSystem
	// Hash identifies CCS: sha256 of its serialization. Keys are only ever
	// used with the circuit of the same hash.
	Hash [32]byte
	PK   groth16.ProvingKey
	VK   groth16.VerifyingKey
}

// HashHex is the circuit hash in hex, the name of its key directory.
func (k *Keys) HashHex() string { return hex.EncodeToString(k.Hash[:]) }

// CompileBatch compiles the batch circuit for the given slots and depth.
func CompileBatch(slots, depth int) (constraint.ConstraintSystem, error) {
	ccs, err := frontend.Compile(ecc.BN254.ScalarField(), r1cs.NewBuilder, circuits.NewBatchCircuit(slots, depth))
	if err != nil {
		return nil, fmt.Errorf("prover: compile batch circuit (%d slots, depth %d): %w", slots, depth, err)
	}
	return ccs, nil
}

// CircuitHash is the sha256 of the constraint system's serialization: any
// change to the circuit, however small, changes it, and so the key cache.
func CircuitHash(ccs constraint.ConstraintSystem) ([32]byte, error) {
	h := sha256.New()
	if _, err := ccs.WriteTo(h); err != nil {
		return [32]byte{}, fmt.Errorf("prover: hash circuit: %w", err)
	}
	var out [32]byte
	copy(out[:], h.Sum(nil))
	return out, nil
}

// Key file names inside a key directory.
const (
	pkFile = "proving.key"
	vkFile = "verifying.key"
)

// ErrNoKeys means the key directory holds no keys for this circuit.
var ErrNoKeys = errors.New("prover: no keys for this circuit")

// LoadKeys reads the keys for ccs from dir/<circuit hash>/. It fails with
// ErrNoKeys when there are none. The proving key is read without subgroup
// checks (it is large and local); the verifying key is checked.
func LoadKeys(dir string, ccs constraint.ConstraintSystem) (*Keys, error) {
	hash, err := CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	k := &Keys{CCS: ccs, Hash: hash, PK: groth16.NewProvingKey(ecc.BN254), VK: groth16.NewVerifyingKey(ecc.BN254)}
	kd := filepath.Join(dir, k.HashHex())
	if _, err := os.Stat(filepath.Join(kd, vkFile)); errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%w (looked in %s)", ErrNoKeys, kd)
	}
	if err := readFile(filepath.Join(kd, pkFile), func(r io.Reader) error { _, err := k.PK.UnsafeReadFrom(r); return err }); err != nil {
		return nil, err
	}
	if err := readFile(filepath.Join(kd, vkFile), func(r io.Reader) error { _, err := k.VK.ReadFrom(r); return err }); err != nil {
		return nil, err
	}
	return k, nil
}

// SaveKeys writes the keys under dir/<circuit hash>/, each file atomically
// (written aside, synced, renamed), so a crash never leaves a torn key.
func SaveKeys(dir string, k *Keys) error {
	kd := filepath.Join(dir, k.HashHex())
	if err := os.MkdirAll(kd, 0o755); err != nil {
		return fmt.Errorf("prover: save keys: %w", err)
	}
	// The verifying key goes last: its presence marks a complete set.
	if err := writeFileAtomic(filepath.Join(kd, pkFile), func(w io.Writer) error { _, err := k.PK.WriteRawTo(w); return err }); err != nil {
		return err
	}
	return writeFileAtomic(filepath.Join(kd, vkFile), func(w io.Writer) error { _, err := k.VK.WriteTo(w); return err })
}

// DevKeys returns the keys for ccs from the cache in dir, or runs a dev
// Groth16 setup and caches them. The dev setup's toxic waste is known to
// this machine: its keys are for development and tests only. Production
// keys come from the MPC ceremony (ceremony.go) and are loaded with
// LoadKeys.
//
// Setup takes minutes at production sizes, so DevKeys logs progress with
// an estimate of the time left, from the measured rate of about 7.7k
// constraints per second on 2 cores (ten times a proof).
func DevKeys(ctx context.Context, dir string, ccs constraint.ConstraintSystem, log zerolog.Logger) (*Keys, error) {
	k, err := LoadKeys(dir, ccs)
	if err == nil {
		log.Info().Str("circuit", k.HashHex()[:16]).Msg("loaded cached proving keys")
		return k, nil
	}
	if !errors.Is(err, ErrNoKeys) {
		return nil, fmt.Errorf("prover: key cache: %w; delete %s to regenerate", err, dir)
	}
	hash, err := CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	n := ccs.GetNbConstraints()
	estimate := time.Duration(float64(n)/setupRate*float64(time.Second)) + time.Second
	log.Info().Int("constraints", n).Dur("estimate", estimate.Round(time.Second)).
		Msg("first run: generating dev proving keys (cached afterwards)")

	start := time.Now()
	done := make(chan struct{})
	progress := make(chan struct{})
	go func() {
		defer close(progress)
		t := time.NewTicker(10 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
				el := time.Since(start)
				left := max(estimate-el, 0)
				log.Info().Dur("elapsed", el.Round(time.Second)).Dur("eta", left.Round(time.Second)).
					Int("percent", int(min(99, 100*el/estimate))).Msg("generating dev proving keys")
			}
		}
	}()
	pk, vk, err := groth16.Setup(ccs)
	close(done)
	<-progress
	if err != nil {
		return nil, fmt.Errorf("prover: dev setup: %w", err)
	}
	k = &Keys{CCS: ccs, Hash: hash, PK: pk, VK: vk}
	if err := SaveKeys(dir, k); err != nil {
		return nil, err
	}
	log.Info().Dur("took", time.Since(start).Round(time.Millisecond)).Str("circuit", k.HashHex()[:16]).Msg("dev proving keys ready")
	return k, nil
}

// setupRate is the measured Groth16 setup speed on 2 cores, in
// constraints per second.
const setupRate = 7_700

func readFile(path string, read func(io.Reader) error) error {
	f, err := os.Open(path)
	if err != nil {
		return fmt.Errorf("prover: open %s: %w", path, err)
	}
	defer f.Close()
	if err := read(bufio.NewReaderSize(f, 1<<20)); err != nil {
		return fmt.Errorf("prover: read %s: %w", path, err)
	}
	return nil
}

// writeFileAtomic writes path through a uniquely named temporary file that
// is synced and renamed into place, so readers see all of it or none.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("prover: create temporary file for %s: %w", path, err)
	}
	tmp := f.Name()
	bw := bufio.NewWriterSize(f, 1<<20)
	err = write(bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return fmt.Errorf("prover: write %s: %w", path, err)
	}
	return nil
}
