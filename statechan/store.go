package statechan

import (
	"errors"
	"fmt"
	"sync"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/vm"
)

// Key layout. Every key is a one-byte prefix and the channel id (8 bytes
// BE), so one channel's records sort together.
//
//	'p' | id    params: chainID, channelID (8 each), keys A and B (32 each),
//	            initial balances A and B (8 each)                       96 bytes
//	'l' | id    latest co-signed state: state(41) | sigA(64) | sigB(64)  169 bytes
//	'o' | id    our last proposal: state(41) | our sig(64)               105 bytes
//
// The 'o' record is never deleted, only overwritten by the next proposal.
// If its version is above the latest co-signed one, the proposal was in
// flight when the process stopped and the next sync settles it; either
// way it records the highest version we ever proposed, which keeps us
// from signing a second state of that version after a restart.
const (
	prefixParams   = 'p'
	prefixLatest   = 'l'
	prefixProposal = 'o'

	storeKeyLen = 1 + 8
	paramsLen   = 8 + 8 + keyLen + keyLen + 8 + 8
	signedLen   = stateLen + 2*sigLen
	proposalLen = stateLen + sigLen
)

// StoreOptions configures OpenStore. nil means the zero value: the OS
// filesystem and pebble's logs dropped.
type StoreOptions struct {
	// FS is the filesystem pebble runs on; nil means the OS filesystem.
	// Tests pass vfs.NewMem or vfs.NewCrashableMem.
	FS vfs.FS
	// Logger receives pebble's own log lines.
	Logger zerolog.Logger
}

// pebbleLogger bridges pebble's logger to zerolog.
type pebbleLogger struct{ log zerolog.Logger }

func (l pebbleLogger) Infof(format string, args ...any)  { l.log.Info().Msgf(format, args...) }
func (l pebbleLogger) Errorf(format string, args ...any) { l.log.Error().Msgf(format, args...) }

// Fatalf panics even when the logger is disabled: pebble calls it on a
// broken invariant and does not expect it to return.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.WithLevel(zerolog.FatalLevel).Msgf(format, args...)
	panic(fmt.Sprintf("statechan: pebble: "+format, args...))
}

// Store is the durable record of a party's channels: parameters, latest
// co-signed state and last own proposal of each. Every write is one synced
// pebble batch, so after a crash it holds every write that returned nil,
// each whole or not at all. Concurrent writes (sessions of several
// channels) share fsyncs through pebble's commit pipeline. It is safe for
// concurrent use; the Endpoint writes and the Watcher reads.
type Store struct {
	// mu guards db against Close: every use holds it for reading.
	mu     sync.RWMutex
	db     *pebble.DB
	closed bool
}

// OpenStore opens or creates the channel store in dir. opts may be nil.
func OpenStore(dir string, opts *StoreOptions) (*Store, error) {
	if opts == nil {
		opts = &StoreOptions{}
	}
	db, err := pebble.Open(dir, &pebble.Options{
		FS:     opts.FS,
		Logger: pebbleLogger{opts.Logger.With().Str("component", "chanstore").Logger()},
	})
	if err != nil {
		return nil, fmt.Errorf("statechan: open store %s: %w", dir, err)
	}
	return &Store{db: db}, nil
}

// Close closes the store; it waits for reads and writes in progress.
// Closing twice is a no-op.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	return s.db.Close()
}

func key(prefix byte, id uint64) []byte {
	return be.AppendUint64([]byte{prefix}, id)
}

func (s *Store) get(k []byte, want int) ([]byte, bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, false, ErrStoreClosed
	}
	v, closer, err := s.db.Get(k)
	if errors.Is(err, pebble.ErrNotFound) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("statechan: store read: %w", err)
	}
	defer closer.Close()
	if len(v) != want {
		return nil, false, fmt.Errorf("%w: record %q|%x of %d bytes, want %d", ErrCorrupt, k[0], k[1:], len(v), want)
	}
	return append([]byte(nil), v...), true, nil
}

// Create records a new channel at its opening state, synced. A channel
// already stored yields ErrChannelExists.
func (s *Store) Create(p Params) error {
	if err := p.Validate(); err != nil {
		return err
	}
	_, ok, err := s.get(key(prefixParams, p.ChannelID), paramsLen)
	if err != nil {
		return err
	}
	if ok {
		return fmt.Errorf("%w: %d", ErrChannelExists, p.ChannelID)
	}
	latest := SignedState{State: p.Opening()}
	return s.apply(func(b *pebble.Batch) error {
		if err := b.Set(key(prefixParams, p.ChannelID), encodeParams(p), nil); err != nil {
			return err
		}
		return b.Set(key(prefixLatest, p.ChannelID), encodeSigned(&latest), nil)
	})
}

// Save writes a channel's latest co-signed state, our proposal, or both,
// in one synced batch; a nil argument leaves that record as it is. It
// returns once the write is durable.
func (s *Store) Save(channelID uint64, latest *SignedState, own *Proposal) error {
	return s.apply(func(b *pebble.Batch) error {
		if latest != nil {
			if err := b.Set(key(prefixLatest, channelID), encodeSigned(latest), nil); err != nil {
				return err
			}
		}
		if own != nil {
			if err := b.Set(key(prefixProposal, channelID), encodeProposal(own), nil); err != nil {
				return err
			}
		}
		return nil
	})
}

func (s *Store) apply(fill func(*pebble.Batch) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrStoreClosed
	}
	b := s.db.NewBatch()
	defer b.Close()
	if err := fill(b); err != nil {
		return fmt.Errorf("statechan: store batch: %w", err)
	}
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("statechan: store write: %w", err)
	}
	return nil
}

// Channels returns the ids of every stored channel, in order.
func (s *Store) Channels() ([]uint64, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return nil, ErrStoreClosed
	}
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefixParams}, UpperBound: []byte{prefixParams + 1}})
	if err != nil {
		return nil, fmt.Errorf("statechan: store iterate: %w", err)
	}
	var ids []uint64
	for ok := it.First(); ok; ok = it.Next() {
		k := it.Key()
		if len(k) != storeKeyLen {
			return nil, errors.Join(fmt.Errorf("%w: params key %x", ErrCorrupt, k), it.Close())
		}
		ids = append(ids, be.Uint64(k[1:]))
	}
	return ids, it.Close()
}

// Params returns a stored channel's parameters, or ErrUnknownChannel.
func (s *Store) Params(channelID uint64) (Params, error) {
	v, ok, err := s.get(key(prefixParams, channelID), paramsLen)
	if err != nil {
		return Params{}, err
	}
	if !ok {
		return Params{}, fmt.Errorf("%w: %d", ErrUnknownChannel, channelID)
	}
	p, err := decodeParams(v)
	if err != nil {
		return Params{}, err
	}
	if p.ChannelID != channelID {
		return Params{}, fmt.Errorf("%w: params of channel %d stored under %d", ErrCorrupt, p.ChannelID, channelID)
	}
	return p, nil
}

// Latest returns a channel's latest co-signed state as stored. It does not
// verify the signatures; Restore does.
func (s *Store) Latest(channelID uint64) (SignedState, error) {
	v, ok, err := s.get(key(prefixLatest, channelID), signedLen)
	if err != nil {
		return SignedState{}, err
	}
	if !ok {
		return SignedState{}, fmt.Errorf("%w: %d", ErrUnknownChannel, channelID)
	}
	return decodeSigned(v)
}

// proposal returns our last proposal, if any.
func (s *Store) proposal(channelID uint64) (*Proposal, error) {
	v, ok, err := s.get(key(prefixProposal, channelID), proposalLen)
	if err != nil || !ok {
		return nil, err
	}
	st, err := decodeStoredState(v[:stateLen])
	if err != nil {
		return nil, err
	}
	p := &Proposal{State: st}
	copy(p.Sig[:], v[stateLen:])
	return p, nil
}

// Restore rebuilds party key's Channel from the store after a restart or a
// crash: the latest co-signed state, and our last proposal if it is above
// it (in flight when we stopped; the next session's sync settles it). It
// verifies every stored signature, so a damaged store yields ErrCorrupt
// rather than a state the chain would refuse.
func Restore(s *Store, k *vm.PrivateKey, channelID uint64) (*Channel, error) {
	p, err := s.Params(channelID)
	if err != nil {
		return nil, err
	}
	latest, err := s.Latest(channelID)
	if err != nil {
		return nil, err
	}
	if err := latest.Verify(p); err != nil {
		return nil, fmt.Errorf("%w: channel %d latest state: %v", ErrCorrupt, channelID, err)
	}
	c, err := newChannel(p, k, latest, nil)
	if err != nil {
		return nil, err
	}
	own, err := s.proposal(channelID)
	if err != nil || own == nil {
		return c, err
	}
	if err := checkIDs(p, &own.State); err != nil {
		return nil, fmt.Errorf("%w: channel %d proposal: %v", ErrCorrupt, channelID, err)
	}
	if !own.State.Verify(k.Public(), own.Sig) {
		return nil, fmt.Errorf("%w: channel %d: our last proposal is not signed by this key; is this another party's directory?", ErrCorrupt, channelID)
	}
	// Whether settled or not, we signed it: never sign another state of
	// its version.
	c.signed = max(c.signed, own.State.Version)
	if own.State.Version > latest.State.Version {
		c.own = own
	}
	return c, nil
}

func encodeParams(p Params) []byte {
	b := make([]byte, 0, paramsLen)
	b = be.AppendUint64(b, p.ChainID)
	b = be.AppendUint64(b, p.ChannelID)
	ka, kb := p.A.Bytes(), p.B.Bytes()
	b = append(b, ka[:]...)
	b = append(b, kb[:]...)
	b = be.AppendUint64(b, p.InitialA)
	return be.AppendUint64(b, p.InitialB)
}

func decodeParams(v []byte) (Params, error) {
	if len(v) != paramsLen {
		return Params{}, fmt.Errorf("%w: channel params are %d bytes, want %d", ErrCorrupt, len(v), paramsLen)
	}
	p := Params{ChainID: be.Uint64(v), ChannelID: be.Uint64(v[8:]), InitialA: be.Uint64(v[80:]), InitialB: be.Uint64(v[88:])}
	var err error
	if p.A, err = vm.PublicKeyFromBytes(v[16:48]); err != nil {
		return Params{}, fmt.Errorf("%w: key A: %v", ErrCorrupt, err)
	}
	if p.B, err = vm.PublicKeyFromBytes(v[48:80]); err != nil {
		return Params{}, fmt.Errorf("%w: key B: %v", ErrCorrupt, err)
	}
	if err := p.Validate(); err != nil {
		return Params{}, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return p, nil
}

func encodeSigned(s *SignedState) []byte {
	b := appendState(make([]byte, 0, signedLen), &s.State)
	b = append(b, s.SigA[:]...)
	return append(b, s.SigB[:]...)
}

func decodeSigned(v []byte) (SignedState, error) {
	if len(v) != signedLen {
		return SignedState{}, fmt.Errorf("%w: signed state is %d bytes, want %d", ErrCorrupt, len(v), signedLen)
	}
	st, err := decodeStoredState(v[:stateLen])
	if err != nil {
		return SignedState{}, err
	}
	s := SignedState{State: st}
	copy(s.SigA[:], v[stateLen:])
	copy(s.SigB[:], v[stateLen+sigLen:])
	return s, nil
}

func encodeProposal(p *Proposal) []byte {
	b := appendState(make([]byte, 0, proposalLen), &p.State)
	return append(b, p.Sig[:]...)
}

func decodeStoredState(v []byte) (vm.ChannelState, error) {
	var st vm.ChannelState
	if err := st.UnmarshalBinary(v); err != nil {
		return st, fmt.Errorf("%w: %v", ErrCorrupt, err)
	}
	return st, nil
}
