package bridge

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"github.com/keel-rollup/keel/vm"

	"github.com/cockroachdb/pebble/v2"
	"github.com/ethereum/go-ethereum/common"
)

// Cursor is how far the watcher has read the L1: every log up to and
// including Block (whose hash was Hash) has been delivered, and the next
// deposit it expects has queue index NextDeposit.
type Cursor struct {
	Block       uint64      `json:"block"`
	Hash        common.Hash `json:"hash"`
	NextDeposit uint64      `json:"nextDeposit"`
}

// CursorStore persists the watcher's cursor and a digest of every deposit
// it delivered, by queue index, so that a re-read deposit is recognised
// and a conflicting one is caught.
type CursorStore interface {
	LoadCursor() (c Cursor, ok bool, err error)
	// SaveDeposits records deposit digests and the new cursor atomically.
	SaveDeposits(digests map[uint64][32]byte, c Cursor) error
	DepositDigest(index uint64) (d [32]byte, ok bool, err error)
}

// PebbleCursorStore keeps the cursor in a pebble database.
type PebbleCursorStore struct{ db *pebble.DB }

// OpenPebbleCursorStore opens (or creates) the store in dir.
func OpenPebbleCursorStore(dir string) (*PebbleCursorStore, error) {
	db, err := pebble.Open(dir, &pebble.Options{Logger: quietLogger{}})
	if err != nil {
		return nil, fmt.Errorf("bridge: open cursor store %s: %w", dir, err)
	}
	return &PebbleCursorStore{db: db}, nil
}

// Close closes the database.
func (s *PebbleCursorStore) Close() error { return s.db.Close() }

var cursorKey = []byte("c")

func depositKey(i uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte("d"), i)
}

// LoadCursor implements CursorStore.
func (s *PebbleCursorStore) LoadCursor() (Cursor, bool, error) {
	v, closer, err := s.db.Get(cursorKey)
	if errors.Is(err, pebble.ErrNotFound) {
		return Cursor{}, false, nil
	}
	if err != nil {
		return Cursor{}, false, fmt.Errorf("bridge: read cursor: %w", err)
	}
	defer closer.Close()
	var c Cursor
	if err := json.Unmarshal(v, &c); err != nil {
		return Cursor{}, false, fmt.Errorf("bridge: corrupt cursor: %w", err)
	}
	return c, true, nil
}

// SaveDeposits implements CursorStore with one synced batch.
func (s *PebbleCursorStore) SaveDeposits(digests map[uint64][32]byte, c Cursor) error {
	b := s.db.NewBatch()
	defer b.Close()
	for i, d := range digests {
		if err := b.Set(depositKey(i), d[:], nil); err != nil {
			return err
		}
	}
	v, err := json.Marshal(c)
	if err != nil {
		return err
	}
	if err := b.Set(cursorKey, v, nil); err != nil {
		return err
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("bridge: save cursor: %w", err)
	}
	return nil
}

// DepositDigest implements CursorStore.
func (s *PebbleCursorStore) DepositDigest(i uint64) ([32]byte, bool, error) {
	v, closer, err := s.db.Get(depositKey(i))
	if errors.Is(err, pebble.ErrNotFound) {
		return [32]byte{}, false, nil
	}
	if err != nil {
		return [32]byte{}, false, fmt.Errorf("bridge: read deposit %d: %w", i, err)
	}
	defer closer.Close()
	var d [32]byte
	if len(v) != len(d) {
		return d, false, fmt.Errorf("bridge: corrupt deposit digest %d", i)
	}
	copy(d[:], v)
	return d, true, nil
}

// digest identifies a deposit's content (not where it was mined, which a
// reorg may change). The cursor store persists it, so its encoding is
// fixed (TestDepositDigestStable): a full exit's fields follow the
// deposit's, whose key and amount are then zero.
func (d *Deposit) digest() [32]byte {
	var b []byte
	b = binary.BigEndian.AppendUint64(b, d.ID)
	// A valid key is hashed as its coordinates, as before deposits named
	// keys compressed; any other as x = 0, which no valid key has, and
	// its 32 bytes.
	var x, y [32]byte
	if pub, err := d.Key.PublicKey(); err == nil {
		x, y = pub.X.Bytes(), pub.Y.Bytes()
	} else if d.IsDeposit() {
		y = d.Key
	}
	b = append(b, x[:]...)
	b = append(b, y[:]...)
	b = binary.BigEndian.AppendUint64(b, d.Amount)
	b = append(b, d.From[:]...)
	if d.IsFullExit() {
		b = binary.BigEndian.AppendUint32(b, d.Account)
		b = binary.BigEndian.AppendUint32(b, d.Nonce)
		b = append(b, d.To[:]...)
		b = append(b, d.Sig[:]...)
	}
	if d.IsForcedChallenge() {
		// After the full exit's fields, zero for a challenge, so that no
		// full exit shares its digest.
		b = append(b, make([]byte, 4+4+20+vm.SignatureSize)...)
		st, err := d.State.MarshalBinary()
		if err != nil {
			panic(err) // a fixed-size encoding of integers
		}
		b = binary.BigEndian.AppendUint32(b, d.Channel)
		b = append(b, st...)
		b = append(b, d.Sig[:]...)
		b = append(b, d.SigB[:]...)
	}
	return sha256.Sum256(b)
}

type quietLogger struct{}

func (quietLogger) Infof(string, ...any)  {}
func (quietLogger) Errorf(string, ...any) {}
func (quietLogger) Fatalf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}
