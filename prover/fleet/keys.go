package fleet

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/consensys/gnark/constraint"
	"github.com/keel-rollup/keel/prover"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
)

// Keys travel through the KeysBucket object store, named
// <circuit hash>/proving.key and <circuit hash>/verifying.key, in the
// layout prover.SaveKeys writes. A worker needs only the URL and its
// credentials: it compiles the circuit a job names, fetches that circuit's
// keys once, and keeps them in its own key directory.

// Object names, as prover.SaveKeys names the files.
const (
	provingKeyObject   = "proving.key"
	verifyingKeyObject = "verifying.key"
)

func keyObject(hashHex, file string) string { return hashHex + "/" + file }

// PublishKeys puts keys into the bucket, from the copy prover.SaveKeys
// wrote under dir, unless the bucket already holds them. The node calls it
// once its keys are ready.
func PublishKeys(ctx context.Context, bucket jetstream.ObjectStore, dir string, keys *prover.Keys) error {
	h := keys.HashHex()
	if _, err := bucket.GetInfo(ctx, keyObject(h, verifyingKeyObject)); err == nil {
		return nil
	} else if !errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("fleet: look up keys %s: %w", h[:16], err)
	}
	// The verifying key goes last: its presence marks a complete set, as
	// in prover.SaveKeys.
	for _, name := range []string{provingKeyObject, verifyingKeyObject} {
		f, err := os.Open(filepath.Join(dir, h, name))
		if err != nil {
			return fmt.Errorf("fleet: publish keys: %w", err)
		}
		_, err = bucket.Put(ctx, jetstream.ObjectMeta{Name: keyObject(h, name)}, f)
		f.Close()
		if err != nil {
			return fmt.Errorf("fleet: publish %s of circuit %s: %w", name, h[:16], err)
		}
	}
	return nil
}

// FetchKeys returns the keys of ccs from dir, fetching them from the
// bucket first if dir does not hold them. JetStream checks each object's
// SHA-256 digest as it reads it; the circuit hash the keys are filed under
// is the one this worker computed from its own compilation of the circuit.
func FetchKeys(ctx context.Context, bucket jetstream.ObjectStore, dir string, ccs constraint.ConstraintSystem, log zerolog.Logger) (*prover.Keys, error) {
	keys, err := prover.LoadKeys(dir, ccs)
	if err == nil {
		return keys, nil
	}
	if !errors.Is(err, prover.ErrNoKeys) {
		return nil, err
	}
	hash, err := prover.CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	h := fmt.Sprintf("%x", hash)
	kd := filepath.Join(dir, h)
	if err := os.MkdirAll(kd, 0o755); err != nil {
		return nil, fmt.Errorf("fleet: key directory: %w", err)
	}
	log.Info().Str("circuit", h[:16]).Msg("fetching proving keys from the fleet's key bucket")
	for _, name := range []string{provingKeyObject, verifyingKeyObject} {
		if err := fetchObject(ctx, bucket, keyObject(h, name), filepath.Join(kd, name)); err != nil {
			return nil, err
		}
	}
	return prover.LoadKeys(dir, ccs)
}

// fetchObject copies an object to path atomically: written aside, synced,
// renamed.
func fetchObject(ctx context.Context, bucket jetstream.ObjectStore, name, path string) error {
	obj, err := bucket.Get(ctx, name)
	if errors.Is(err, jetstream.ErrObjectNotFound) {
		return fmt.Errorf("%w: %s is not in the fleet's key bucket (has the node published its keys?)", ErrNoKeys, name)
	}
	if err != nil {
		return fmt.Errorf("fleet: fetch %s: %w", name, err)
	}
	defer obj.Close()
	tmp, err := os.CreateTemp(filepath.Dir(path), ".fetch-*")
	if err != nil {
		return fmt.Errorf("fleet: fetch %s: %w", name, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, obj); err != nil {
		tmp.Close()
		return fmt.Errorf("fleet: fetch %s: %w", name, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// ErrNoKeys means the key bucket holds no keys for a job's circuit.
var ErrNoKeys = errors.New("fleet: no keys for this circuit")
