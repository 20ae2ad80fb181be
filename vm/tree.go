package vm

import (
	"fmt"
	"sync"
)

// DefaultDepth is the production tree depth: 16.7M leaves.
const DefaultDepth = 24

// MaxDepth is the deepest tree the public-data format can address: account
// indices are 3 bytes in every record (see pubdata.go).
const MaxDepth = 24

// NodeKey names a tree node: Level 0 holds leaf hashes, Level depth the root;
// Index counts from the left within the level.
type NodeKey struct {
	Level uint8
	Index uint64
}

// NodeReader reads one version of a tree. A node or leaf never written reads
// as absent (ok = false) and stands for the empty subtree or empty leaf.
type NodeReader interface {
	Node(k NodeKey) (h Element, ok bool, err error)
	Leaf(index uint64) (a Account, ok bool, err error)
}

var (
	emptyMu    sync.Mutex
	emptyCache = map[int][]Element{}
)

// EmptyHashes returns the hash of an empty subtree at every level 0..depth:
// level 0 is the empty leaf (0), level l is Compress(e[l-1], e[l-1]). The
// slice is the caller's own.
func EmptyHashes(depth int) []Element {
	return append([]Element(nil), emptyHashes(depth)...)
}

func emptyHashes(depth int) []Element {
	emptyMu.Lock()
	defer emptyMu.Unlock()
	if e, ok := emptyCache[depth]; ok {
		return e
	}
	e := make([]Element, depth+1)
	for l := 1; l <= depth; l++ {
		e[l] = Compress(e[l-1], e[l-1])
	}
	emptyCache[depth] = e
	return e
}

// Tree is a sparse Merkle tree over a NodeReader with an in-memory overlay
// of changes. Reads fall through the overlay to the base version; Changes
// returns what to commit. A Tree is not safe for concurrent use.
type Tree struct {
	depth  int
	empty  []Element
	base   NodeReader
	nodes  map[NodeKey]Element // written or read-through nodes
	leaves map[uint64]Account  // written or read-through leaves
	dirtyN map[NodeKey]struct{}
	dirtyL map[uint64]struct{}
}

// NewTree returns a tree of the given depth reading from base.
func NewTree(depth int, base NodeReader) (*Tree, error) {
	if depth < 1 || depth > MaxDepth {
		return nil, fmt.Errorf("vm: tree depth %d out of range 1..%d", depth, MaxDepth)
	}
	return &Tree{
		depth:  depth,
		empty:  emptyHashes(depth),
		base:   base,
		nodes:  make(map[NodeKey]Element),
		leaves: make(map[uint64]Account),
		dirtyN: make(map[NodeKey]struct{}),
		dirtyL: make(map[uint64]struct{}),
	}, nil
}

// Depth returns the tree depth.
func (t *Tree) Depth() int { return t.depth }

// Capacity returns the number of leaves.
func (t *Tree) Capacity() uint64 { return 1 << uint(t.depth) }

func (t *Tree) node(k NodeKey) (Element, error) {
	if h, ok := t.nodes[k]; ok {
		return h, nil
	}
	h, ok, err := t.base.Node(k)
	if err != nil {
		return Element{}, fmt.Errorf("vm: read node %d/%d: %w", k.Level, k.Index, err)
	}
	if !ok {
		h = t.empty[k.Level]
	}
	t.nodes[k] = h
	return h, nil
}

// Root returns the current root.
func (t *Tree) Root() (Element, error) {
	return t.node(NodeKey{Level: uint8(t.depth)})
}

// Get returns the leaf at index; an unused leaf is the zero Account.
func (t *Tree) Get(index uint64) (Account, error) {
	if index >= t.Capacity() {
		return Account{}, fmt.Errorf("%w: %d >= %d", ErrIndexOutOfRange, index, t.Capacity())
	}
	if a, ok := t.leaves[index]; ok {
		return a, nil
	}
	a, _, err := t.base.Leaf(index)
	if err != nil {
		return Account{}, fmt.Errorf("vm: read leaf %d: %w", index, err)
	}
	t.leaves[index] = a
	return a, nil
}

// Proof returns the siblings of the path from leaf index to the root,
// bottom first.
func (t *Tree) Proof(index uint64) ([]Element, error) {
	if index >= t.Capacity() {
		return nil, fmt.Errorf("%w: %d >= %d", ErrIndexOutOfRange, index, t.Capacity())
	}
	sib := make([]Element, t.depth)
	for l := 0; l < t.depth; l++ {
		h, err := t.node(NodeKey{Level: uint8(l), Index: (index >> uint(l)) ^ 1})
		if err != nil {
			return nil, err
		}
		sib[l] = h
	}
	return sib, nil
}

// Set writes the leaf at index and rehashes its path, depth Compress calls.
func (t *Tree) Set(index uint64, a Account) error {
	if index >= t.Capacity() {
		return fmt.Errorf("%w: %d >= %d", ErrIndexOutOfRange, index, t.Capacity())
	}
	t.leaves[index] = a
	t.dirtyL[index] = struct{}{}
	h := a.Hash()
	idx := index
	for l := 0; l < t.depth; l++ {
		k := NodeKey{Level: uint8(l), Index: idx}
		t.nodes[k] = h
		t.dirtyN[k] = struct{}{}
		sib, err := t.node(NodeKey{Level: uint8(l), Index: idx ^ 1})
		if err != nil {
			return err
		}
		if idx&1 == 0 {
			h = Compress(h, sib)
		} else {
			h = Compress(sib, h)
		}
		idx >>= 1
	}
	k := NodeKey{Level: uint8(t.depth)}
	t.nodes[k] = h
	t.dirtyN[k] = struct{}{}
	return nil
}

// ComputeRoot folds a leaf hash up its path of siblings (bottom first).
func ComputeRoot(index uint64, leaf Element, siblings []Element) Element {
	h := leaf
	for l, s := range siblings {
		if (index>>uint(l))&1 == 0 {
			h = Compress(h, s)
		} else {
			h = Compress(s, h)
		}
	}
	return h
}

// VerifyProof reports whether leaf sits at index in a tree of the given
// depth under root. The depth is not taken from the proof: an interior
// node with a shorter path would otherwise pass as a leaf.
func VerifyProof(depth int, root Element, index uint64, leaf Element, siblings []Element) bool {
	if depth < 1 || depth > MaxDepth || len(siblings) != depth || index>>uint(depth) != 0 {
		return false
	}
	r := ComputeRoot(index, leaf, siblings)
	return r.Equal(&root)
}

// ChangeSet is what a batch wrote to the tree, with the state metadata it
// leaves behind. A store commits it atomically as version Meta.BatchNumber.
type ChangeSet struct {
	Meta   Meta
	Nodes  map[NodeKey]Element
	Leaves map[uint64]Account
}

// Changes returns the overlay's writes. The tree stays usable.
func (t *Tree) Changes() (nodes map[NodeKey]Element, leaves map[uint64]Account) {
	nodes = make(map[NodeKey]Element, len(t.dirtyN))
	for k := range t.dirtyN {
		nodes[k] = t.nodes[k]
	}
	leaves = make(map[uint64]Account, len(t.dirtyL))
	for i := range t.dirtyL {
		leaves[i] = t.leaves[i]
	}
	return nodes, leaves
}
