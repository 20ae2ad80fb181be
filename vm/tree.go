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

	// deferred holds leaf writes and path reads whose hashing waits for
	// the next flush (see SetDeferred); paths holds the flushed ones'
	// witnesses, by ticket.
	deferred []deferredOp
	paths    []PathWitness
}

// deferredOp is a leaf write (update) or a path read, in program order.
type deferredOp struct {
	index  uint64
	update bool
	leaf   Account
}

// PathWitness is a leaf's Merkle path at one point of a sequence of
// updates: the siblings (bottom first) and the roots just before and
// just after that point.
type PathWitness struct {
	Siblings   []Element
	RootBefore Element
	RootAfter  Element
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
	if err := t.flush(); err != nil {
		return Element{}, err
	}
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
	if err := t.flush(); err != nil {
		return nil, err
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
	if err := t.flush(); err != nil {
		return err
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

// SetDeferred writes the leaf at index now (Get sees it at once) and
// defers the hashing of its path to the next flush, which Root, Proof, Set
// and PathAt run. It returns a ticket for PathAt, which then tells the
// path and roots the update saw, exactly as Proof and Root before and
// after a Set would have.
//
// Deferring is what lets a batch's seal hash in parallel: a sequence of
// Set calls is a chain (each path hashes over the previous update's
// nodes), but level by level the updates are independent. At level l,
// every update's sibling is known once level l of the earlier updates
// is, so a flush walks the levels bottom up, finds each update's sibling
// by a cheap scan in program order, and hashes all of the level's nodes
// at once on every core. The hashes are the same ones Set computes, so
// the witnesses and the final tree are too.
func (t *Tree) SetDeferred(index uint64, a Account) (ticket int, err error) {
	if index >= t.Capacity() {
		return 0, fmt.Errorf("%w: %d >= %d", ErrIndexOutOfRange, index, t.Capacity())
	}
	t.leaves[index] = a
	t.dirtyL[index] = struct{}{}
	t.deferred = append(t.deferred, deferredOp{index: index, update: true, leaf: a})
	return len(t.paths) + len(t.deferred) - 1, nil
}

// ReadDeferred records a read of index's path at this point of the
// deferred sequence; PathAt(ticket) tells it after the flush, with
// RootBefore == RootAfter.
func (t *Tree) ReadDeferred(index uint64) (ticket int, err error) {
	if index >= t.Capacity() {
		return 0, fmt.Errorf("%w: %d >= %d", ErrIndexOutOfRange, index, t.Capacity())
	}
	t.deferred = append(t.deferred, deferredOp{index: index})
	return len(t.paths) + len(t.deferred) - 1, nil
}

// PathAt returns the witness of a SetDeferred or ReadDeferred ticket,
// flushing first if needed.
func (t *Tree) PathAt(ticket int) (PathWitness, error) {
	if err := t.flush(); err != nil {
		return PathWitness{}, err
	}
	if ticket < 0 || ticket >= len(t.paths) {
		return PathWitness{}, fmt.Errorf("vm: no deferred path %d", ticket)
	}
	return t.paths[ticket], nil
}

// parallelUpdates is the fewest updates a flush spreads over the cores.
const parallelUpdates = 32

// flush hashes the deferred operations level by level; see SetDeferred.
func (t *Tree) flush() error {
	ops := t.deferred
	if len(ops) == 0 {
		return nil
	}
	t.deferred = nil
	n := len(ops)
	out := make([]PathWitness, n)
	pos := make([]uint64, n)
	cur := make([]Element, n) // each update's node at the level being walked
	var updates []int         // the ops that write; reads only need siblings
	for k := range ops {
		out[k].Siblings = make([]Element, t.depth)
		pos[k] = ops[k].index
		if ops[k].update {
			updates = append(updates, k)
		}
	}
	// Spreading a level over the cores pays only when it has many hashes:
	// waking a second core costs about as much as a few compressions
	// (measured: 16 compressions run no faster on 2 cores than on 1).
	parallel := len(updates) >= parallelUpdates
	pairFor(len(updates), parallel,
		func(u int) { cur[updates[u]] = ops[updates[u]].leaf.Hash() },
		func(u, v int) {
			cur[updates[u]], cur[updates[v]] = accountHash2(&ops[updates[u]].leaf, &ops[updates[v]].leaf)
		})
	// children orders an update's node and its sibling at level l.
	children := func(k, l int) (left, right Element) {
		if pos[k]&1 == 0 {
			return cur[k], out[k].Siblings[l]
		}
		return out[k].Siblings[l], cur[k]
	}
	for l := 0; l < t.depth; l++ {
		// In program order: each op's sibling is the latest earlier write
		// at that position in this flush, or the tree's value before it.
		latest := make(map[uint64]Element, n)
		for k := range ops {
			sib, ok := latest[pos[k]^1]
			if !ok {
				var err error
				if sib, err = t.node(NodeKey{Level: uint8(l), Index: pos[k] ^ 1}); err != nil {
					return err
				}
			}
			out[k].Siblings[l] = sib
			if ops[k].update {
				latest[pos[k]] = cur[k]
			}
		}
		for p, h := range latest {
			k := NodeKey{Level: uint8(l), Index: p}
			t.nodes[k] = h
			t.dirtyN[k] = struct{}{}
		}
		pairFor(len(updates), parallel,
			func(u int) {
				k := updates[u]
				cur[k] = Compress(children(k, l))
			},
			func(u, v int) {
				k, j := updates[u], updates[v]
				l0, r0 := children(k, l)
				l1, r1 := children(j, l)
				cur[k], cur[j] = Compress2(l0, r0, l1, r1)
			})
		for k := range pos {
			pos[k] >>= 1
		}
	}
	rootKey := NodeKey{Level: uint8(t.depth)}
	root, err := t.node(rootKey)
	if err != nil {
		return err
	}
	updated := false
	for k := range ops {
		out[k].RootBefore = root
		if ops[k].update {
			root, updated = cur[k], true
		}
		out[k].RootAfter = root
	}
	if updated { // reads alone leave the tree as it was
		t.nodes[rootKey] = root
		t.dirtyN[rootKey] = struct{}{}
	}
	t.paths = append(t.paths, out...)
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

// Changes returns the overlay's writes; deferred ones must have been
// flushed by Root first. The tree stays usable.
func (t *Tree) Changes() (nodes map[NodeKey]Element, leaves map[uint64]Account) {
	if len(t.deferred) > 0 {
		// A broken invariant, not bad input: Root flushes and reports
		// read errors, and every caller takes the root first.
		panic("vm: Tree.Changes with unflushed deferred writes; call Root first")
	}
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
