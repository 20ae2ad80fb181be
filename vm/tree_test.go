package vm

import (
	"math/rand/v2"
	"testing"

	"github.com/consensys/gnark-crypto/ecc/bn254/fr"
	"github.com/consensys/gnark-crypto/ecc/bn254/fr/poseidon2"
	"github.com/stretchr/testify/require"
)

// treeTestAccount returns a distinct, non-empty leaf for each i. Tree tests
// hash leaves but never check keys, so the key need not be a curve point.
func treeTestAccount(i uint64) Account {
	return Account{
		Kind:    KindAccount,
		PubKey:  PublicKey{X: ElementFromUint64(1000 + i), Y: ElementFromUint64(2000 + i)},
		Balance: 10 * (i + 1),
		Nonce:   uint32(i),
	}
}

func newMemTree(t testing.TB, depth int) *Tree {
	t.Helper()
	tr, err := NewTree(depth, NewMemStore(depth).ReaderAt(0))
	require.NoError(t, err)
	return tr
}

func mustRoot(t testing.TB, tr *Tree) Element {
	t.Helper()
	r, err := tr.Root()
	require.NoError(t, err)
	return r
}

func TestEmptyHashes(t *testing.T) {
	e := EmptyHashes(MaxDepth)
	require.Len(t, e, MaxDepth+1)
	require.True(t, e[0].IsZero(), "the empty leaf hashes to 0")
	for l := 1; l <= MaxDepth; l++ {
		require.Equal(t, Compress(e[l-1], e[l-1]), e[l], "level %d", l)
		require.NotEqual(t, e[l-1], e[l], "level %d", l)
	}
	// A shallower table is a prefix of a deeper one.
	require.Equal(t, e[:5], EmptyHashes(4))

	for _, depth := range []int{1, 3, DefaultDepth} {
		tr := newMemTree(t, depth)
		require.Equal(t, EmptyHashes(depth)[depth], mustRoot(t, tr), "depth %d", depth)
		require.Equal(t, GenesisMeta(depth).Root, mustRoot(t, tr), "depth %d", depth)
	}
}

func TestTreeSetGetProof(t *testing.T) {
	const depth = 5
	tr := newMemTree(t, depth)
	set := map[uint64]Account{}
	for _, i := range []uint64{0, 1, 2, 7, 16, 30, 31} {
		a := treeTestAccount(i)
		require.NoError(t, tr.Set(i, a))
		set[i] = a
	}
	root := mustRoot(t, tr)
	require.NotEqual(t, EmptyHashes(depth)[depth], root)

	for i := uint64(0); i < tr.Capacity(); i++ {
		got, err := tr.Get(i)
		require.NoError(t, err)
		want := set[i] // zero Account when unset
		require.Equal(t, want, got, "leaf %d", i)

		proof, err := tr.Proof(i)
		require.NoError(t, err)
		require.Len(t, proof, depth)
		require.True(t, VerifyProof(tr.Depth(), root, i, want.Hash(), proof), "leaf %d", i)
		require.Equal(t, root, ComputeRoot(i, want.Hash(), proof), "leaf %d", i)
	}

	// Overwriting a leaf moves the root; restoring it moves it back.
	require.NoError(t, tr.Set(7, treeTestAccount(99)))
	require.NotEqual(t, root, mustRoot(t, tr))
	require.NoError(t, tr.Set(7, set[7]))
	require.Equal(t, root, mustRoot(t, tr))

	// Clearing every leaf gives back the empty tree.
	for i := range set {
		require.NoError(t, tr.Set(i, Account{}))
	}
	require.Equal(t, EmptyHashes(depth)[depth], mustRoot(t, tr))
}

func TestVerifyProofRejectsTampering(t *testing.T) {
	const depth = 4
	tr := newMemTree(t, depth)
	for _, i := range []uint64{2, 3, 5, 9, 14} {
		require.NoError(t, tr.Set(i, treeTestAccount(i)))
	}
	root := mustRoot(t, tr)
	const index = 5
	leafAcc, otherAcc := treeTestAccount(index), treeTestAccount(index+1)
	leaf := leafAcc.Hash()
	proof, err := tr.Proof(index)
	require.NoError(t, err)
	require.True(t, VerifyProof(depth, root, index, leaf, proof), "the untampered proof must verify")

	changed := func(l int) []Element {
		p := append([]Element{}, proof...)
		one := ElementFromUint64(1)
		p[l].Add(&p[l], &one)
		return p
	}
	tests := []struct {
		name  string
		root  Element
		index uint64
		leaf  Element
		proof []Element
	}{
		{"changed bottom sibling", root, index, leaf, changed(0)},
		{"changed top sibling", root, index, leaf, changed(depth - 1)},
		{"changed leaf hash", root, index, otherAcc.Hash(), proof},
		{"empty leaf hash", root, index, Element{}, proof},
		{"neighbour's index", root, index ^ 1, leaf, proof},
		{"index off by two", root, index + 2, leaf, proof},
		{"proof one short", root, index, leaf, proof[:depth-1]},
		{"proof one long", root, index, leaf, append(append([]Element{}, proof...), EmptyHashes(depth)[depth])},
		{"empty proof", root, index, leaf, nil},
		{"out-of-range index", root, index + 1<<depth, leaf, proof},
		{"other root", EmptyHashes(depth)[depth], index, leaf, proof},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			require.False(t, VerifyProof(depth, tc.root, tc.index, tc.leaf, tc.proof))
		})
	}
}

func TestTreeIndependentOfInsertionOrder(t *testing.T) {
	const depth = 8
	rng := rand.New(rand.NewPCG(1, 2))
	leaves := map[uint64]Account{}
	for len(leaves) < 40 {
		i := rng.Uint64N(1 << depth)
		leaves[i] = treeTestAccount(i)
	}
	order := make([]uint64, 0, len(leaves))
	for i := range leaves {
		order = append(order, i)
	}

	rootFor := func(order []uint64) Element {
		tr := newMemTree(t, depth)
		for _, i := range order {
			require.NoError(t, tr.Set(i, leaves[i]))
		}
		return mustRoot(t, tr)
	}
	want := rootFor(order)
	for trial := range 3 {
		shuffled := append([]uint64{}, order...)
		rng.Shuffle(len(shuffled), func(a, b int) { shuffled[a], shuffled[b] = shuffled[b], shuffled[a] })
		require.Equal(t, want, rootFor(shuffled), "trial %d", trial)
	}
	// Writing a leaf twice on the way keeps only the last value.
	tr := newMemTree(t, depth)
	require.NoError(t, tr.Set(order[0], treeTestAccount(12345)))
	for _, i := range order {
		require.NoError(t, tr.Set(i, leaves[i]))
	}
	require.Equal(t, want, mustRoot(t, tr))
}

// TestTreeRootByHand computes a depth-3 root level by level with Compress,
// independently of Tree's path updates.
func TestTreeRootByHand(t *testing.T) {
	tr := newMemTree(t, 3)
	var h [8]Element
	for _, i := range []uint64{0, 3, 4, 6} { // leaves 1, 2, 5, 7 stay empty (hash 0)
		a := treeTestAccount(i)
		require.NoError(t, tr.Set(i, a))
		h[i] = a.Hash()
	}
	l1 := [4]Element{Compress(h[0], h[1]), Compress(h[2], h[3]), Compress(h[4], h[5]), Compress(h[6], h[7])}
	l2 := [2]Element{Compress(l1[0], l1[1]), Compress(l1[2], l1[3])}
	want := Compress(l2[0], l2[1])
	require.Equal(t, want, mustRoot(t, tr))

	// Leaf 6's proof is its sibling leaf 7, then l1[2], then l2[0].
	proof, err := tr.Proof(6)
	require.NoError(t, err)
	require.Equal(t, []Element{h[7], l1[2], l2[0]}, proof)
}

func TestTreeBounds(t *testing.T) {
	const depth = 4
	tr := newMemTree(t, depth)
	require.Equal(t, uint64(1<<depth), tr.Capacity())
	require.Equal(t, depth, tr.Depth())
	require.NoError(t, tr.Set(1, treeTestAccount(1)))
	before := mustRoot(t, tr)
	for _, i := range []uint64{tr.Capacity(), tr.Capacity() + 1, 1 << 63, ^uint64(0)} {
		_, err := tr.Get(i)
		require.ErrorIs(t, err, ErrIndexOutOfRange, "Get(%d)", i)
		require.ErrorIs(t, tr.Set(i, treeTestAccount(1)), ErrIndexOutOfRange, "Set(%d)", i)
		_, err = tr.Proof(i)
		require.ErrorIs(t, err, ErrIndexOutOfRange, "Proof(%d)", i)
	}
	require.Equal(t, before, mustRoot(t, tr), "a refused Set changes nothing")
	_, leaves := tr.Changes()
	require.Len(t, leaves, 1, "a refused Set records no change")
	require.NoError(t, tr.Set(tr.Capacity()-1, treeTestAccount(1)), "the last leaf is in range")

	for _, tc := range []struct {
		name  string
		depth int
		ok    bool
	}{
		{"negative", -1, false},
		{"zero", 0, false},
		{"one", 1, true},
		{"max", MaxDepth, true},
		{"max+1", MaxDepth + 1, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewTree(tc.depth, NewMemStore(MaxDepth).ReaderAt(0))
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
		})
	}
}

func TestAccountBinaryRoundTrip(t *testing.T) {
	k := newTestKey(t)
	var aux Element
	aux.SetRandom()
	var maxField Element
	maxField.SetOne()
	maxField.Neg(&maxField) // q-1, the largest canonical value
	tests := []struct {
		name string
		a    Account
	}{
		{"empty", Account{}},
		{"account", Account{Kind: KindAccount, PubKey: k.Public(), Balance: 123, Nonce: 4}},
		{"max numbers", Account{Kind: KindAccount, PubKey: k.Public(), Balance: ^uint64(0), Nonce: ^uint32(0)}},
		{"channel", Account{Kind: KindChannel, PubKey: k.Public(), Balance: 9, Nonce: 2, Aux: aux}},
		{"largest field values", Account{Kind: KindChannel, PubKey: PublicKey{X: maxField, Y: maxField}, Aux: maxField}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			b, err := tc.a.MarshalBinary()
			require.NoError(t, err)
			require.Len(t, b, AccountSize)
			var back Account
			require.NoError(t, back.UnmarshalBinary(b))
			require.Equal(t, tc.a, back)
		})
	}
}

func TestAccountUnmarshalRejects(t *testing.T) {
	good := treeTestAccount(3)
	enc, err := good.MarshalBinary()
	require.NoError(t, err)
	modulus := fr.Modulus().FillBytes(make([]byte, fr.Bytes)) // q itself: not canonical
	with := func(off int, b []byte) []byte {
		out := append([]byte{}, enc...)
		copy(out[off:], b)
		return out
	}
	allOnes := make([]byte, 32)
	for i := range allOnes {
		allOnes[i] = 0xff
	}
	tests := []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"short", enc[:AccountSize-1]},
		{"long", append(append([]byte{}, enc...), 0)},
		{"kind 3", with(0, []byte{3})},
		{"kind 255", with(0, []byte{255})},
		{"x = modulus", with(1, modulus)},
		{"y = modulus", with(33, modulus)},
		{"aux = modulus", with(77, modulus)},
		{"aux all ones", with(77, allOnes)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			var a Account
			a.Balance = 77
			require.ErrorIs(t, a.UnmarshalBinary(tc.in), ErrMalformed)
			require.Equal(t, uint64(77), a.Balance, "a failed decode leaves the account untouched")
		})
	}
}

func TestAccountHash(t *testing.T) {
	var empty Account
	require.Equal(t, Element{}, empty.Hash(), "the empty leaf hashes to 0")

	base := Account{
		Kind:    KindAccount,
		PubKey:  PublicKey{X: ElementFromUint64(11), Y: ElementFromUint64(12)},
		Balance: 13,
		Nonce:   14,
		Aux:     ElementFromUint64(15),
	}
	baseHash := base.Hash()
	require.False(t, baseHash.IsZero())
	require.Equal(t, Compress(Compress(base.PubKey.X, base.PubKey.Y), Compress(base.packedState(), base.Aux)), baseHash)

	tests := []struct {
		name   string
		change func(a *Account)
	}{
		{"kind", func(a *Account) { a.Kind = KindChannel }},
		{"x", func(a *Account) { a.PubKey.X = ElementFromUint64(99) }},
		{"y", func(a *Account) { a.PubKey.Y = ElementFromUint64(99) }},
		{"x and y swapped", func(a *Account) { a.PubKey.X, a.PubKey.Y = a.PubKey.Y, a.PubKey.X }},
		{"balance +1", func(a *Account) { a.Balance++ }},
		{"balance top bit", func(a *Account) { a.Balance |= 1 << 63 }},
		{"nonce +1", func(a *Account) { a.Nonce++ }},
		{"nonce top bit", func(a *Account) { a.Nonce |= 1 << 31 }},
		{"aux", func(a *Account) { a.Aux = ElementFromUint64(99) }},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			a := base
			tc.change(&a)
			h := a.Hash()
			require.NotEqual(t, baseHash, h)
		})
	}
}

func TestPackedStateLayout(t *testing.T) {
	a := Account{Kind: 0xAB, Nonce: 0x01020304, Balance: 0x05060708090A0B0C}
	packed := a.packedState()
	b := packed.Bytes()
	want := make([]byte, 32)
	copy(want[32-13:], []byte{0xAB, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0A, 0x0B, 0x0C})
	require.Equal(t, want, b[:], "kind | nonce | balance, big-endian in the low 104 bits")
}

func commitTree(t *testing.T, s *MemStore, tr *Tree, version uint64) Meta {
	t.Helper()
	nodes, leaves := tr.Changes()
	m := Meta{BatchNumber: version, Root: mustRoot(t, tr), PriorityCount: version}
	require.NoError(t, s.Commit(&ChangeSet{Meta: m, Nodes: nodes, Leaves: leaves}))
	return m
}

func TestMemStoreVersions(t *testing.T) {
	const depth = 4
	s := NewMemStore(depth)
	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, GenesisMeta(depth), head, "a fresh store is at version 0")
	m0, err := s.MetaAt(0)
	require.NoError(t, err)
	require.Equal(t, GenesisMeta(depth), m0)

	// Version 1: leaves 1 and 2.
	tr1, err := NewTree(depth, s.ReaderAt(0))
	require.NoError(t, err)
	require.NoError(t, tr1.Set(1, treeTestAccount(1)))
	require.NoError(t, tr1.Set(2, treeTestAccount(2)))
	m1 := commitTree(t, s, tr1, 1)

	// Version 2: leaf 1 changes, leaf 9 appears, leaf 2 is untouched.
	tr2, err := NewTree(depth, s.ReaderAt(1))
	require.NoError(t, err)
	require.Equal(t, m1.Root, mustRoot(t, tr2), "a tree over version 1 starts at its root")
	require.NoError(t, tr2.Set(1, treeTestAccount(101)))
	require.NoError(t, tr2.Set(9, treeTestAccount(9)))
	m2 := commitTree(t, s, tr2, 2)
	require.NotEqual(t, m1.Root, m2.Root)

	head, err = s.Head()
	require.NoError(t, err)
	require.Equal(t, m2, head)

	want := []struct {
		meta   Meta
		leaves map[uint64]Account
	}{
		{GenesisMeta(depth), map[uint64]Account{}},
		{m1, map[uint64]Account{1: treeTestAccount(1), 2: treeTestAccount(2)}},
		{m2, map[uint64]Account{1: treeTestAccount(101), 2: treeTestAccount(2), 9: treeTestAccount(9)}},
	}
	for v, w := range want {
		got, err := s.MetaAt(uint64(v))
		require.NoError(t, err)
		require.Equal(t, w.meta, got, "meta at %d", v)

		tr, err := NewTree(depth, s.ReaderAt(uint64(v)))
		require.NoError(t, err)
		require.Equal(t, w.meta.Root, mustRoot(t, tr), "root at %d", v)
		for i := uint64(0); i < tr.Capacity(); i++ {
			a, err := tr.Get(i)
			require.NoError(t, err)
			require.Equal(t, w.leaves[i], a, "leaf %d at version %d", i, v)
			proof, err := tr.Proof(i)
			require.NoError(t, err)
			require.True(t, VerifyProof(depth, w.meta.Root, i, a.Hash(), proof), "proof of leaf %d at version %d", i, v)
		}
	}

	// Version 2, reached through two commits, has the root of a tree that
	// sets its leaves in one go.
	fresh := newMemTree(t, depth)
	for i, a := range want[2].leaves {
		require.NoError(t, fresh.Set(i, a))
	}
	require.Equal(t, m2.Root, mustRoot(t, fresh))

	for _, v := range []uint64{0, 1, 2, 4} {
		err := s.Commit(&ChangeSet{Meta: Meta{BatchNumber: v}})
		require.ErrorIs(t, err, ErrVersionOrder, "commit as version %d", v)
	}
	head, err = s.Head()
	require.NoError(t, err)
	require.Equal(t, m2, head, "a refused commit changes nothing")

	_, err = s.MetaAt(3)
	require.ErrorIs(t, err, ErrVersionNotFound)
	_, err = s.MetaAt(^uint64(0))
	require.ErrorIs(t, err, ErrVersionNotFound)
}

func TestTreeChangesAreTheWrites(t *testing.T) {
	const depth = 4
	tr := newMemTree(t, depth)
	nodes, leaves := tr.Changes()
	require.Empty(t, nodes)
	require.Empty(t, leaves)

	_, err := tr.Get(3) // reads are not changes
	require.NoError(t, err)
	_, err = tr.Proof(3)
	require.NoError(t, err)
	nodes, leaves = tr.Changes()
	require.Empty(t, nodes)
	require.Empty(t, leaves)

	require.NoError(t, tr.Set(3, treeTestAccount(3)))
	nodes, leaves = tr.Changes()
	require.Equal(t, map[uint64]Account{3: treeTestAccount(3)}, leaves)
	require.Len(t, nodes, depth+1, "one node per level on the path, root included")
	require.Equal(t, mustRoot(t, tr), nodes[NodeKey{Level: depth}])

	// The tree stays usable after Changes.
	require.NoError(t, tr.Set(4, treeTestAccount(4)))
	_, leaves = tr.Changes()
	require.Len(t, leaves, 2)
}

// fixedElements are edge values the random inputs would never hit.
func fixedElements() []Element {
	var minusOne Element
	minusOne.SetOne()
	minusOne.Neg(&minusOne)
	return []Element{{}, ElementFromUint64(1), ElementFromUint64(2), minusOne}
}

func randomElements(t *testing.T, n int) []Element {
	t.Helper()
	out := fixedElements()
	for range n {
		var e Element
		_, err := e.SetRandom()
		require.NoError(t, err)
		out = append(out, e)
	}
	return out
}

func TestCompressMatchesGnarkCrypto(t *testing.T) {
	perm := poseidon2.NewDefaultPermutation()
	xs := randomElements(t, 12)
	for i, l := range xs {
		r := xs[(i*7+3)%len(xs)]
		want, err := perm.Compress(l.Marshal(), r.Marshal())
		require.NoError(t, err)
		got := Compress(l, r)
		require.Equal(t, want, got.Marshal(), "Compress(%s, %s)", l.String(), r.String())
	}
	a, b := ElementFromUint64(1), ElementFromUint64(2)
	require.NotEqual(t, Compress(a, b), Compress(b, a), "Compress is not symmetric")
}

func TestHashChainMatchesGnarkCrypto(t *testing.T) {
	xs := randomElements(t, 8)
	for n := 0; n <= 3; n++ {
		for i := 0; i+n <= len(xs); i += 3 {
			in := xs[i : i+n]
			h := poseidon2.NewMerkleDamgardHasher()
			for _, x := range in {
				_, err := h.Write(x.Marshal())
				require.NoError(t, err)
			}
			got := HashChain(in...)
			require.Equal(t, h.Sum(nil), got.Marshal(), "%d elements from %d", n, i)
		}
	}
	require.Equal(t, Element{}, HashChain())
	x := ElementFromUint64(5)
	require.Equal(t, Compress(Element{}, x), HashChain(x))
}

// TestVerifyProofNeedsTheDepth: an interior node with the upper part of a
// path must not pass as a leaf of the tree.
func TestVerifyProofNeedsTheDepth(t *testing.T) {
	const depth = 4
	tr := newMemTree(t, depth)
	require.NoError(t, tr.Set(5, treeTestAccount(5)))
	root := mustRoot(t, tr)
	proof, err := tr.Proof(5)
	require.NoError(t, err)
	interior, err := tr.node(NodeKey{Level: 1, Index: 5 >> 1})
	require.NoError(t, err)
	require.True(t, VerifyProof(depth-1, root, 5>>1, interior, proof[1:]), "the forgery is a valid depth-3 proof")
	require.False(t, VerifyProof(depth, root, 5>>1, interior, proof[1:]))
}

// TestTreeDeferredMatchesSet: a random sequence of deferred writes and
// reads, flushed level by level in parallel, yields exactly the paths and
// roots that immediate Set, Proof and Root calls see, and the same
// changes, including writes that land on one leaf twice and on siblings.
func TestTreeDeferredMatchesSet(t *testing.T) {
	for seed := uint64(1); seed <= 8; seed++ {
		rng := rand.New(rand.NewPCG(seed, 99))
		const depth = 10
		base := NewMemStore(depth)
		// A committed base with some leaves, so siblings come from it too.
		pre, err := NewTree(depth, base.ReaderAt(0))
		require.NoError(t, err)
		for i := range 20 {
			require.NoError(t, pre.Set(rng.Uint64N(1<<depth), treeTestAccount(uint64(i+1))))
		}
		root, err := pre.Root()
		require.NoError(t, err)
		nodes, leaves := pre.Changes()
		require.NoError(t, base.Commit(&ChangeSet{Meta: Meta{BatchNumber: 1, Root: root}, Nodes: nodes, Leaves: leaves}))

		eager, err := NewTree(depth, base.ReaderAt(1))
		require.NoError(t, err)
		lazy, err := NewTree(depth, base.ReaderAt(1))
		require.NoError(t, err)
		var want []PathWitness
		var tickets []int
		hot := rng.Uint64N(1 << depth)
		for op := range 1 + rng.IntN(60) {
			idx := rng.Uint64N(1 << depth)
			switch rng.IntN(4) {
			case 0:
				idx = hot // the same leaf again
			case 1:
				idx = hot ^ 1 // its sibling
			}
			write := rng.IntN(3) > 0
			sib, err := eager.Proof(idx)
			require.NoError(t, err)
			before, err := eager.Root()
			require.NoError(t, err)
			var ticket int
			if write {
				a := treeTestAccount(uint64(1000 + op))
				require.NoError(t, eager.Set(idx, a))
				ticket, err = lazy.SetDeferred(idx, a)
			} else {
				ticket, err = lazy.ReadDeferred(idx)
			}
			require.NoError(t, err)
			after, err := eager.Root()
			require.NoError(t, err)
			want = append(want, PathWitness{Siblings: sib, RootBefore: before, RootAfter: after})
			tickets = append(tickets, ticket)
		}
		for i, tk := range tickets {
			got, err := lazy.PathAt(tk)
			require.NoError(t, err)
			require.Equal(t, want[i], got, "seed %d op %d", seed, i)
		}
		r1, err := eager.Root()
		require.NoError(t, err)
		r2, err := lazy.Root()
		require.NoError(t, err)
		require.Equal(t, r1, r2)
		n1, l1 := eager.Changes()
		n2, l2 := lazy.Changes()
		require.Equal(t, n1, n2, "seed %d: changed nodes", seed)
		require.Equal(t, l1, l2)
	}
	tr, err := NewTree(4, NewMemStore(4).ReaderAt(0))
	require.NoError(t, err)
	_, err = tr.SetDeferred(16, Account{})
	require.ErrorIs(t, err, ErrIndexOutOfRange)
	_, err = tr.PathAt(0)
	require.ErrorContains(t, err, "no deferred path 0")
}
