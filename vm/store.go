package vm

import (
	"errors"
	"fmt"
	"sort"
	"sync"
)

// Meta is the state beside the tree that a batch moves forward. Its
// BatchNumber is the store version: version 0 is genesis.
type Meta struct {
	// BatchNumber counts the batches applied since genesis.
	BatchNumber uint64
	// Root is the tree root after the batch.
	Root Element
	// PriorityCount is how many L1 priority requests have been consumed.
	PriorityCount uint64
	// PriorityHash is the running hash of those requests (see PriorityHash).
	PriorityHash Element
	// Timestamp is the batch's time in unix seconds (0 at genesis): the
	// clock of time-bound rules such as a channel's challenge period. It
	// never decreases, and the L1 contract keeps it within bounds of L1
	// time, so the sequencer cannot move it at will.
	Timestamp uint64
}

// Store keeps every committed version of the tree that is still needed:
// the sequencer reads the head, the prover and RPC read older roots.
// vm.MemStore serves tests; sequencer.PebbleStore serves the node.
type Store interface {
	// Head returns the latest committed Meta. Version 0 is the empty tree
	// (Meta{Root: EmptyHashes(depth)[depth]}), which every store holds
	// implicitly, so a fresh store's head is version 0.
	Head() (Meta, error)
	// MetaAt returns the Meta committed as version.
	MetaAt(version uint64) (Meta, error)
	// ReaderAt reads the tree as of version. Asking for a version above the
	// head is a caller bug: what it reads then is not defined.
	ReaderAt(version uint64) NodeReader
	// Commit writes cs atomically as version cs.Meta.BatchNumber, which must
	// be Head().BatchNumber+1.
	Commit(cs *ChangeSet) error
}

// ErrVersionNotFound means the store holds no such version (never
// committed, or pruned).
var ErrVersionNotFound = errors.New("vm: state version not found")

// ErrVersionOrder means a commit skipped or repeated a version.
var ErrVersionOrder = errors.New("vm: commit out of version order")

// GenesisMeta is version 0 of every chain: the empty tree, nothing consumed.
func GenesisMeta(depth int) Meta {
	return Meta{Root: emptyHashes(depth)[depth]}
}

type versioned[T any] struct {
	version uint64
	value   T
}

// MemStore is an in-memory, versioned Store for tests and tools.
type MemStore struct {
	mu     sync.RWMutex
	depth  int
	metas  []Meta // metas[v] is version v
	nodes  map[NodeKey][]versioned[Element]
	leaves map[uint64][]versioned[Account]
}

// NewMemStore returns an empty store for a tree of the given depth.
func NewMemStore(depth int) *MemStore {
	return &MemStore{
		depth:  depth,
		metas:  []Meta{GenesisMeta(depth)},
		nodes:  map[NodeKey][]versioned[Element]{},
		leaves: map[uint64][]versioned[Account]{},
	}
}

// Head implements Store.
func (s *MemStore) Head() (Meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.metas[len(s.metas)-1], nil
}

// MetaAt implements Store.
func (s *MemStore) MetaAt(v uint64) (Meta, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if v >= uint64(len(s.metas)) {
		return Meta{}, fmt.Errorf("%w: %d", ErrVersionNotFound, v)
	}
	return s.metas[v], nil
}

// Commit implements Store.
func (s *MemStore) Commit(cs *ChangeSet) error {
	if cs == nil {
		return fmt.Errorf("%w: nil change set", ErrVersionOrder)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if cs.Meta.BatchNumber != uint64(len(s.metas)) {
		return fmt.Errorf("%w: got %d, want %d", ErrVersionOrder, cs.Meta.BatchNumber, len(s.metas))
	}
	v := cs.Meta.BatchNumber
	for k, h := range cs.Nodes {
		s.nodes[k] = append(s.nodes[k], versioned[Element]{v, h})
	}
	for i, a := range cs.Leaves {
		s.leaves[i] = append(s.leaves[i], versioned[Account]{v, a})
	}
	s.metas = append(s.metas, cs.Meta)
	return nil
}

// ReaderAt implements Store.
func (s *MemStore) ReaderAt(v uint64) NodeReader { return memReader{s, v} }

type memReader struct {
	s *MemStore
	v uint64
}

func latest[T any](hist []versioned[T], v uint64) (T, bool) {
	// hist is in ascending version order; find the last entry <= v.
	i := sort.Search(len(hist), func(i int) bool { return hist[i].version > v })
	if i == 0 {
		var zero T
		return zero, false
	}
	return hist[i-1].value, true
}

func (r memReader) Node(k NodeKey) (Element, bool, error) {
	r.s.mu.RLock()
	defer r.s.mu.RUnlock()
	h, ok := latest(r.s.nodes[k], r.v)
	return h, ok, nil
}

func (r memReader) Leaf(i uint64) (Account, bool, error) {
	r.s.mu.RLock()
	defer r.s.mu.RUnlock()
	a, ok := latest(r.s.leaves[i], r.v)
	return a, ok, nil
}
