package sequencer

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"

	"github.com/keel-rollup/keel/vm"
)

// Key layout. Every key starts with a one-byte prefix. Node and leaf keys end
// with the inverted version, so that the entries of one node sort newest
// first and a seek to ^v lands on the newest entry at or below version v.
//
//	'd'                               tree depth (1 byte)
//	'h'                               head version (8 bytes BE)
//	'p'                               prune floor: oldest readable version (8 bytes BE)
//	'm' | version                     encoded vm.Meta (metaLen bytes)
//	'n' | level | index | ^version    node hash (32 bytes)
//	'l' | index | ^version            leaf, vm.Account.MarshalBinary
const (
	prefixDepth = 'd'
	prefixHead  = 'h'
	prefixFloor = 'p'
	prefixMeta  = 'm'
	prefixNode  = 'n'
	prefixLeaf  = 'l'

	nodeKeyLen = 1 + 1 + 8 + 8
	leafKeyLen = 1 + 8 + 8
	metaKeyLen = 1 + 8
	// metaLen is BatchNumber, Root, PriorityCount, PriorityHash, Timestamp.
	metaLen    = 8 + 32 + 8 + 32 + 8
	elementLen = 32

	// pruneChunk bounds the deletes held in memory by one prune batch.
	pruneChunk = 16 << 10

	// DefaultCacheSize is the block cache of a store opened without
	// StoreOptions.CacheSize. Every Tree.Set reads depth sibling nodes, and
	// pebble's own default (8 MiB) makes most of those reads disk reads
	// once the tree outgrows it.
	DefaultCacheSize = 256 << 20
)

var be = binary.BigEndian

// StoreOptions configures OpenPebbleStore. nil means the zero value: the
// OS filesystem, DefaultCacheSize and pebble's logs dropped.
type StoreOptions struct {
	// FS is the filesystem pebble runs on; nil means the OS filesystem.
	// Tests pass vfs.NewMem or vfs.NewCrashableMem.
	FS vfs.FS
	// CacheSize is the block cache in bytes; 0 means DefaultCacheSize.
	CacheSize int64
	// Logger receives pebble's own log lines (WAL recovery, background
	// errors), which otherwise go to the global stdlib logger. The zero
	// Logger drops them.
	Logger zerolog.Logger
}

// pebbleLogger bridges pebble's logger to zerolog.
type pebbleLogger struct{ log zerolog.Logger }

func (l pebbleLogger) Infof(format string, args ...any) { l.log.Info().Msgf(format, args...) }

func (l pebbleLogger) Errorf(format string, args ...any) { l.log.Error().Msgf(format, args...) }

// Fatalf panics even when the logger is disabled: pebble calls it on a
// broken invariant and does not expect it to return.
func (l pebbleLogger) Fatalf(format string, args ...any) {
	l.log.WithLevel(zerolog.FatalLevel).Msgf(format, args...)
	panic(fmt.Sprintf("sequencer: pebble: "+format, args...))
}

// PebbleStore is the durable vm.Store: every committed batch is a version
// that stays readable until Prune drops it. It is safe for concurrent use;
// commits are serialized, reads run beside them.
type PebbleStore struct {
	depth   int
	genesis vm.Meta

	// mu guards db against Close: every use of db holds mu for reading, so
	// Close waits for in-flight reads instead of pulling the DB from under
	// them (pebble panics on a closed DB).
	mu     sync.RWMutex
	db     *pebble.DB
	closed bool

	// commitMu serializes Commit so that the version check and the write
	// are one step.
	commitMu sync.Mutex
	// head is the latest committed Meta; the implicit genesis (version 0,
	// the empty tree) in a fresh store.
	head atomic.Pointer[vm.Meta]

	// pruneMu serializes Prune.
	pruneMu sync.Mutex
	// floor is the oldest readable version. Prune raises it before it
	// deletes anything, and reads check it after they read, so a read that
	// raced a prune of its version fails instead of returning a torn view.
	floor atomic.Uint64

	// cache holds the head version's recently read and written nodes and
	// leaves (see headCache).
	cache *headCache
}

var _ vm.Store = (*PebbleStore)(nil)

// OpenPebbleStore opens or creates the state store in dir for a tree of the
// given depth. A directory created for another depth is refused with
// ErrDepthMismatch, since its roots would be meaningless. opts may be nil.
func OpenPebbleStore(dir string, depth int, opts *StoreOptions) (*PebbleStore, error) {
	if depth < 1 || depth > vm.MaxDepth {
		return nil, fmt.Errorf("sequencer: tree depth %d out of range 1..%d", depth, vm.MaxDepth)
	}
	if opts == nil {
		opts = &StoreOptions{}
	}
	cacheSize := opts.CacheSize
	if cacheSize <= 0 {
		cacheSize = DefaultCacheSize
	}
	cache := pebble.NewCache(cacheSize)
	// The DB takes its own reference; ours goes once Open returns.
	defer cache.Unref()
	db, err := pebble.Open(dir, &pebble.Options{
		FS:     opts.FS,
		Cache:  cache,
		Logger: pebbleLogger{opts.Logger.With().Str("component", "statestore").Logger()},
	})
	if err != nil {
		return nil, fmt.Errorf("sequencer: open state store %s: %w", dir, err)
	}
	s := &PebbleStore{depth: depth, genesis: vm.GenesisMeta(depth), db: db}
	s.head.Store(&s.genesis)
	s.cache = newHeadCache(0)
	if err := s.load(); err != nil {
		// Undo the open so that the directory lock is released.
		return nil, errors.Join(fmt.Errorf("sequencer: load state store %s: %w", dir, err), db.Close())
	}
	return s, nil
}

// load reads the depth, head and prune floor, writing the depth into a
// fresh store.
func (s *PebbleStore) load() error {
	head, hasHead, err := s.getUint64([]byte{prefixHead})
	if err != nil {
		return err
	}
	floor, _, err := s.getUint64([]byte{prefixFloor})
	if err != nil {
		return err
	}
	d, closer, err := s.db.Get([]byte{prefixDepth})
	switch {
	case errors.Is(err, pebble.ErrNotFound):
		if hasHead {
			return fmt.Errorf("%w: head %d but no depth record", ErrCorrupt, head)
		}
		if err := s.db.Set([]byte{prefixDepth}, []byte{byte(s.depth)}, pebble.Sync); err != nil {
			return fmt.Errorf("write depth: %w", err)
		}
	case err != nil:
		return fmt.Errorf("read depth: %w", err)
	default:
		n, stored := len(d), -1
		if n == 1 {
			stored = int(d[0])
		}
		if err := closer.Close(); err != nil {
			return fmt.Errorf("read depth: %w", err)
		}
		if n != 1 {
			return fmt.Errorf("%w: depth record is %d bytes, want 1", ErrCorrupt, n)
		}
		if stored != s.depth {
			return fmt.Errorf("%w: directory holds depth %d, opened with %d", ErrDepthMismatch, stored, s.depth)
		}
	}
	if !hasHead {
		return nil
	}
	if floor > head {
		return fmt.Errorf("%w: prune floor %d above head %d", ErrCorrupt, floor, head)
	}
	s.floor.Store(floor)
	m, err := s.metaAt(head)
	if errors.Is(err, vm.ErrVersionNotFound) {
		return fmt.Errorf("%w: head %d has no meta", ErrCorrupt, head)
	}
	if err != nil {
		return err
	}
	s.head.Store(&m)
	s.cache = newHeadCache(head)
	return nil
}

// getUint64 reads an 8-byte big-endian value.
func (s *PebbleStore) getUint64(key []byte) (v uint64, ok bool, err error) {
	b, closer, err := s.db.Get(key)
	if errors.Is(err, pebble.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("read %q: %w", key, err)
	}
	defer closer.Close()
	if len(b) != 8 {
		return 0, false, fmt.Errorf("%w: record %q is %d bytes, want 8", ErrCorrupt, key, len(b))
	}
	return be.Uint64(b), true, nil
}

// Close flushes nothing (every commit is already synced) and releases the
// directory. It waits for in-flight reads and prunes; later calls return
// ErrStoreClosed, and a second Close returns nil.
func (s *PebbleStore) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("sequencer: close state store: %w", err)
	}
	return nil
}

// Depth returns the depth of the tree the store holds.
func (s *PebbleStore) Depth() int { return s.depth }

// Head implements vm.Store.
func (s *PebbleStore) Head() (vm.Meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return vm.Meta{}, ErrStoreClosed
	}
	return *s.head.Load(), nil
}

// MetaAt implements vm.Store. Version 0 is the implicit genesis, which is
// never written. A version above the head or below the prune floor returns
// an error wrapping vm.ErrVersionNotFound.
func (s *PebbleStore) MetaAt(v uint64) (vm.Meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return vm.Meta{}, ErrStoreClosed
	}
	if err := s.checkFloor(v); err != nil {
		return vm.Meta{}, err
	}
	m, err := s.metaAt(v)
	if err != nil {
		return vm.Meta{}, err
	}
	// A concurrent Prune may have deleted the meta after we read it; the
	// answer must not depend on that race.
	if err := s.checkFloor(v); err != nil {
		return vm.Meta{}, err
	}
	return m, nil
}

func (s *PebbleStore) metaAt(v uint64) (vm.Meta, error) {
	if v == 0 {
		return s.genesis, nil
	}
	b, closer, err := s.db.Get(metaKey(v))
	if errors.Is(err, pebble.ErrNotFound) {
		return vm.Meta{}, fmt.Errorf("%w: %d", vm.ErrVersionNotFound, v)
	}
	if err != nil {
		return vm.Meta{}, fmt.Errorf("sequencer: read meta %d: %w", v, err)
	}
	defer closer.Close()
	m, err := decodeMeta(b)
	if err != nil {
		return vm.Meta{}, fmt.Errorf("%w: meta at version %d: %v", ErrCorrupt, v, err)
	}
	if m.BatchNumber != v {
		return vm.Meta{}, fmt.Errorf("%w: meta at version %d has batch number %d", ErrCorrupt, v, m.BatchNumber)
	}
	return m, nil
}

func (s *PebbleStore) checkFloor(v uint64) error {
	if f := s.floor.Load(); v < f {
		return fmt.Errorf("%w: %d pruned (oldest kept %d)", vm.ErrVersionNotFound, v, f)
	}
	return nil
}

// Commit implements vm.Store. The whole change set, its meta and the new
// head go into one pebble batch committed with Sync, so a crash leaves the
// store at the previous version or at this one, never between.
func (s *PebbleStore) Commit(cs *vm.ChangeSet) error {
	if cs == nil {
		return fmt.Errorf("%w: nil change set", ErrBadChangeSet)
	}
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrStoreClosed
	}
	b, err := s.commitBatch(cs)
	if err != nil {
		return err
	}
	defer b.Close()
	if err := b.Commit(pebble.Sync); err != nil {
		return fmt.Errorf("sequencer: commit version %d: %w", cs.Meta.BatchNumber, err)
	}
	m := cs.Meta
	s.head.Store(&m)
	s.cache.commit(cs)
	return nil
}

// commitBatch checks cs against the head and the tree shape and builds the
// batch that commits it. The caller holds commitMu and mu for reading.
func (s *PebbleStore) commitBatch(cs *vm.ChangeSet) (*pebble.Batch, error) {
	want := s.head.Load().BatchNumber + 1
	v := cs.Meta.BatchNumber
	if v != want {
		return nil, fmt.Errorf("%w: got %d, want %d", vm.ErrVersionOrder, v, want)
	}
	for k := range cs.Nodes {
		if int(k.Level) > s.depth || k.Index>>uint(s.depth-int(k.Level)) != 0 {
			return nil, fmt.Errorf("%w: node %d/%d at depth %d", ErrBadChangeSet, k.Level, k.Index, s.depth)
		}
	}
	for i := range cs.Leaves {
		if i>>uint(s.depth) != 0 {
			return nil, fmt.Errorf("%w: leaf %d at depth %d", ErrBadChangeSet, i, s.depth)
		}
	}

	size := len(cs.Nodes)*(nodeKeyLen+elementLen+8) + len(cs.Leaves)*(leafKeyLen+vm.AccountSize+8) + 128
	b := s.db.NewBatchWithSize(size)
	fail := func(err error) (*pebble.Batch, error) {
		b.Close()
		return nil, fmt.Errorf("sequencer: build batch %d: %w", v, err)
	}
	// Batch.Set copies key and value, so one buffer serves every entry.
	key := make([]byte, 0, nodeKeyLen)
	for k, h := range cs.Nodes {
		hb := h.Bytes()
		if err := b.Set(appendNodeKey(key[:0], k, v), hb[:], nil); err != nil {
			return fail(err)
		}
	}
	for i, a := range cs.Leaves {
		ab, err := a.MarshalBinary()
		if err != nil {
			return fail(fmt.Errorf("encode leaf %d: %w", i, err))
		}
		if err := b.Set(appendLeafKey(key[:0], i, v), ab, nil); err != nil {
			return fail(err)
		}
	}
	if err := b.Set(metaKey(v), encodeMeta(&cs.Meta), nil); err != nil {
		return fail(err)
	}
	if err := b.Set([]byte{prefixHead}, be.AppendUint64(nil, v), nil); err != nil {
		return fail(err)
	}
	return b, nil
}

// ReaderAt implements vm.Store. The reader sees, for every node and leaf,
// the newest entry written at or below version v, so reads never see a
// later batch. A version above the head reads as the head until newer
// batches are committed, as vm.MemStore does. Reads of a pruned version
// return an error wrapping vm.ErrVersionNotFound.
func (s *PebbleStore) ReaderAt(v uint64) vm.NodeReader { return pebbleReader{s: s, v: v} }

type pebbleReader struct {
	s *PebbleStore
	v uint64
}

// Node implements vm.NodeReader.
func (r pebbleReader) Node(k vm.NodeKey) (vm.Element, bool, error) {
	c := r.s.cache
	e, hit, seen := lookup(c, c.nodes, r.v, k)
	if hit {
		return e.h, e.ok, nil
	}
	h, ok, err := r.node(k)
	if err == nil {
		fill(c, c.nodes, r.v, seen, k, cachedNode{h: h, ok: ok})
	}
	return h, ok, err
}

func (r pebbleReader) node(k vm.NodeKey) (vm.Element, bool, error) {
	var h vm.Element
	var buf [nodeKeyLen]byte
	ok, err := r.s.newest(appendNodeKey(buf[:0], k, r.v), r.v, func(ver uint64, val []byte) error {
		if err := decodeElement(&h, val); err != nil {
			return fmt.Errorf("%w: node %d/%d at version %d: %v", ErrCorrupt, k.Level, k.Index, ver, err)
		}
		return nil
	})
	if err != nil || !ok {
		return vm.Element{}, false, err
	}
	return h, true, nil
}

// Leaf implements vm.NodeReader.
func (r pebbleReader) Leaf(i uint64) (vm.Account, bool, error) {
	c := r.s.cache
	e, hit, seen := lookup(c, c.leaves, r.v, i)
	if hit {
		return e.a, e.ok, nil
	}
	a, ok, err := r.leaf(i)
	if err == nil {
		fill(c, c.leaves, r.v, seen, i, cachedLeaf{a: a, ok: ok})
	}
	return a, ok, err
}

func (r pebbleReader) leaf(i uint64) (vm.Account, bool, error) {
	var a vm.Account
	var buf [leafKeyLen]byte
	ok, err := r.s.newest(appendLeafKey(buf[:0], i, r.v), r.v, func(ver uint64, val []byte) error {
		if err := a.UnmarshalBinary(val); err != nil {
			return fmt.Errorf("%w: leaf %d at version %d: %v", ErrCorrupt, i, ver, err)
		}
		return nil
	})
	if err != nil || !ok {
		return vm.Account{}, false, err
	}
	return a, true, nil
}

// newest finds the newest entry of the node or leaf whose seek key (with
// ^v as its last 8 bytes) is lo and hands it to decode while the iterator
// still owns the value, which saves a copy.
func (s *PebbleStore) newest(lo []byte, v uint64, decode func(ver uint64, val []byte) error) (bool, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return false, ErrStoreClosed
	}
	if err := s.checkFloor(v); err != nil {
		return false, err
	}
	// The upper bound is just past the entry at version 0 (^0 = all ones),
	// so every key in range shares lo's prefix and has version <= v.
	var hiBuf [nodeKeyLen + 1]byte
	hi := append(hiBuf[:0], lo[:len(lo)-8]...)
	hi = append(hi, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00)
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return false, fmt.Errorf("sequencer: read state: %w", err)
	}
	found := it.First()
	var derr error
	if found {
		key := it.Key()
		val, err := it.ValueAndErr()
		switch {
		case err != nil:
			derr = fmt.Errorf("sequencer: read state: %w", err)
		case len(key) != len(lo):
			derr = fmt.Errorf("%w: key %x is %d bytes, want %d", ErrCorrupt, key, len(key), len(lo))
		default:
			derr = decode(^be.Uint64(key[len(key)-8:]), val)
		}
	}
	if err := it.Close(); err != nil {
		return false, fmt.Errorf("sequencer: read state: %w", err)
	}
	if derr != nil {
		return false, derr
	}
	// A Prune of v that started during the read may have deleted entries
	// the read needed; its raised floor tells us so.
	if err := s.checkFloor(v); err != nil {
		return false, err
	}
	return found, nil
}

// Prune drops the history that no reader at version keepFrom or later can
// see: every node and leaf entry shadowed by a newer entry at or below
// keepFrom, and every meta below keepFrom. Afterwards versions below
// keepFrom answer vm.ErrVersionNotFound; versions from keepFrom on read
// exactly as before.
//
// The sequencer calls it once the batches below keepFrom are proven or
// finalized on L1 and no RPC or prover needs their state. It scans all node
// and leaf entries, so call it now and then, not per batch. It is safe
// beside Commit and reads of retained versions. A crash midway leaves the
// floor raised and some shadowed entries behind; the next Prune drops them.
// Space is reclaimed as pebble compacts the deletions.
func (s *PebbleStore) Prune(keepFrom uint64) error {
	s.pruneMu.Lock()
	defer s.pruneMu.Unlock()
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.closed {
		return ErrStoreClosed
	}
	oldFloor := s.floor.Load()
	if keepFrom <= oldFloor {
		return nil
	}
	if head := s.head.Load().BatchNumber; keepFrom > head {
		return fmt.Errorf("%w: keep from %d, head %d", ErrPruneBeyondHead, keepFrom, head)
	}

	// Raise the floor before deleting, so that reads of the versions about
	// to lose entries fail rather than see a half-pruned tree. The floor
	// and the metas go in one synced batch: once it is durable the dropped
	// versions are gone for good, whatever happens to the rest.
	s.floor.Store(keepFrom)
	b := s.db.NewBatch()
	err := errors.Join(
		b.Set([]byte{prefixFloor}, be.AppendUint64(nil, keepFrom), nil),
		b.DeleteRange(metaKey(oldFloor), metaKey(keepFrom), nil),
	)
	if err == nil {
		err = b.Commit(pebble.Sync)
	}
	b.Close()
	if err != nil {
		// Nothing was deleted, so the old versions are still whole.
		s.floor.Store(oldFloor)
		return fmt.Errorf("sequencer: prune to %d: %w", keepFrom, err)
	}

	for _, prefix := range []byte{prefixNode, prefixLeaf} {
		if err := s.pruneEntries(prefix, keepFrom); err != nil {
			return fmt.Errorf("sequencer: prune to %d: %w", keepFrom, err)
		}
	}
	return nil
}

// pruneEntries deletes, under one key prefix, every entry that an entry of
// the same node or leaf at a version in (its version, keepFrom] shadows.
// Entries of one node sort newest first, so the first one at or below
// keepFrom is the one retained readers see, and all after it are dead.
func (s *PebbleStore) pruneEntries(prefix byte, keepFrom uint64) error {
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: []byte{prefix}, UpperBound: []byte{prefix + 1}})
	if err != nil {
		return err
	}
	defer it.Close()
	b := s.db.NewBatch()
	defer func() { b.Close() }()
	var group []byte // the key without its version
	seenVisible := false
	for ok := it.First(); ok; ok = it.Next() {
		key := it.Key()
		if len(key) < 9 {
			return fmt.Errorf("%w: key %x too short", ErrCorrupt, key)
		}
		g, ver := key[:len(key)-8], ^be.Uint64(key[len(key)-8:])
		if string(g) != string(group) {
			group = append(group[:0], g...)
			seenVisible = false
		}
		switch {
		case seenVisible:
			if err := b.Delete(key, nil); err != nil {
				return err
			}
		case ver <= keepFrom:
			seenVisible = true
		}
		if b.Count() >= pruneChunk {
			// No sync: a lost chunk only leaves dead entries for the next
			// Prune, and the WAL keeps chunks in order.
			if err := b.Commit(pebble.NoSync); err != nil {
				return err
			}
			b.Close()
			b = s.db.NewBatch()
		}
	}
	if err := it.Error(); err != nil {
		return err
	}
	return b.Commit(pebble.NoSync)
}

func appendNodeKey(dst []byte, k vm.NodeKey, v uint64) []byte {
	dst = append(dst, prefixNode, k.Level)
	dst = be.AppendUint64(dst, k.Index)
	return be.AppendUint64(dst, ^v)
}

func appendLeafKey(dst []byte, i, v uint64) []byte {
	dst = append(dst, prefixLeaf)
	dst = be.AppendUint64(dst, i)
	return be.AppendUint64(dst, ^v)
}

func metaKey(v uint64) []byte {
	return be.AppendUint64(append(make([]byte, 0, metaKeyLen), prefixMeta), v)
}

func encodeMeta(m *vm.Meta) []byte {
	b := make([]byte, 0, metaLen)
	root, ph := m.Root.Bytes(), m.PriorityHash.Bytes()
	b = be.AppendUint64(b, m.BatchNumber)
	b = append(b, root[:]...)
	b = be.AppendUint64(b, m.PriorityCount)
	b = append(b, ph[:]...)
	return be.AppendUint64(b, m.Timestamp)
}

func decodeMeta(b []byte) (vm.Meta, error) {
	if len(b) != metaLen {
		return vm.Meta{}, fmt.Errorf("%d bytes, want %d", len(b), metaLen)
	}
	var m vm.Meta
	m.BatchNumber = be.Uint64(b[0:8])
	if err := decodeElement(&m.Root, b[8:40]); err != nil {
		return vm.Meta{}, fmt.Errorf("root: %v", err)
	}
	m.PriorityCount = be.Uint64(b[40:48])
	if err := decodeElement(&m.PriorityHash, b[48:80]); err != nil {
		return vm.Meta{}, fmt.Errorf("priority hash: %v", err)
	}
	m.Timestamp = be.Uint64(b[80:88])
	return m, nil
}

// decodeElement reads a canonical 32-byte field element; a non-canonical
// one could only come from corruption, since the store writes Bytes().
func decodeElement(e *vm.Element, b []byte) error {
	if len(b) != elementLen {
		return fmt.Errorf("element is %d bytes, want %d", len(b), elementLen)
	}
	return e.SetBytesCanonical(b)
}
