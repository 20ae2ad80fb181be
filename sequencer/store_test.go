package sequencer_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
)

// testDepth keeps full scans of the tree (256 leaves, 511 nodes) cheap.
const testDepth = 8

func account(seed uint64) vm.Account {
	return vm.Account{
		Kind:    vm.KindAccount,
		PubKey:  vm.PublicKey{X: vm.ElementFromUint64(seed + 1), Y: vm.ElementFromUint64(seed*7 + 3)},
		Balance: seed * 100,
		Nonce:   uint32(seed % 1000),
	}
}

// history is the reference model: the leaves of every version, built up
// independently of any store.
type history struct {
	leaves []map[uint64]vm.Account // leaves[v] is the whole tree at v
	metas  []vm.Meta
}

// randomWrites picks n leaf writes, some of them over earlier leaves.
func randomWrites(rng *rand.Rand, depth, n int) map[uint64]vm.Account {
	w := make(map[uint64]vm.Account, n)
	for range n {
		w[rng.Uint64N(1<<depth)] = account(rng.Uint64N(1 << 20))
	}
	return w
}

// buildChangeSet runs writes through a vm.Tree over version v-1 of s and
// returns the change set of version v.
func buildChangeSet(t testing.TB, s vm.Store, depth int, v uint64, writes map[uint64]vm.Account) *vm.ChangeSet {
	t.Helper()
	tree, err := vm.NewTree(depth, s.ReaderAt(v-1))
	require.NoError(t, err)
	for _, i := range slices.Sorted(maps.Keys(writes)) {
		require.NoError(t, tree.Set(i, writes[i]))
	}
	root, err := tree.Root()
	require.NoError(t, err)
	nodes, leaves := tree.Changes()
	return &vm.ChangeSet{
		Meta: vm.Meta{
			BatchNumber:   v,
			Root:          root,
			PriorityCount: v * 2,
			PriorityHash:  vm.ElementFromUint64(v*31 + 5),
		},
		Nodes:  nodes,
		Leaves: leaves,
	}
}

// commitHistory commits versions 1..n of random writes into every store
// (the change set is built on the first) and returns the model, which
// starts from the implicit genesis, version 0.
func commitHistory(t testing.TB, seed uint64, n int, stores ...vm.Store) *history {
	t.Helper()
	rng := rand.New(rand.NewPCG(seed, 1))
	cur := map[uint64]vm.Account{}
	h := &history{leaves: []map[uint64]vm.Account{cur}, metas: []vm.Meta{vm.GenesisMeta(testDepth)}}
	for v := uint64(1); v <= uint64(n); v++ {
		writes := randomWrites(rng, testDepth, 12)
		cs := buildChangeSet(t, stores[0], testDepth, v, writes)
		for _, s := range stores {
			require.NoError(t, s.Commit(cs))
		}
		cur = maps.Clone(cur)
		maps.Copy(cur, writes)
		h.leaves = append(h.leaves, cur)
		h.metas = append(h.metas, cs.Meta)
	}
	return h
}

// testOptions runs the store on fs with pebble's logs sent to t.Log.
func testOptions(t testing.TB, fs vfs.FS) *sequencer.StoreOptions {
	return &sequencer.StoreOptions{FS: fs, Logger: zerolog.New(zerolog.NewTestWriter(t))}
}

func openMem(t testing.TB, fs vfs.FS) *sequencer.PebbleStore {
	t.Helper()
	s, err := sequencer.OpenPebbleStore("db", testDepth, testOptions(t, fs))
	require.NoError(t, err)
	t.Cleanup(func() { require.NoError(t, s.Close()) })
	return s
}

// checkVersion checks that version v of s serves the model: its root, every
// leaf, proofs, and a root recomputed from the leaves alone.
func checkVersion(t *testing.T, s vm.Store, h *history, v uint64) {
	t.Helper()
	want := h.metas[v]
	m, err := s.MetaAt(v)
	require.NoError(t, err)
	require.Equal(t, want, m)

	tree, err := vm.NewTree(testDepth, s.ReaderAt(v))
	require.NoError(t, err)
	root, err := tree.Root()
	require.NoError(t, err)
	require.True(t, root.Equal(&want.Root), "stored root of version %d", v)

	// Rebuild the tree from the model's leaves on an empty store: the stored
	// nodes must hash to the same root, not just hold it.
	fresh, err := vm.NewTree(testDepth, vm.NewMemStore(testDepth).ReaderAt(0))
	require.NoError(t, err)
	for i := range uint64(1 << testDepth) {
		a, err := tree.Get(i)
		require.NoError(t, err)
		require.Equal(t, h.leaves[v][i], a, "leaf %d at version %d", i, v)
		if !a.IsEmpty() {
			require.NoError(t, fresh.Set(i, a))
			proof, err := tree.Proof(i)
			require.NoError(t, err)
			require.True(t, vm.VerifyProof(testDepth, want.Root, i, a.Hash(), proof), "proof of leaf %d at version %d", i, v)
		}
	}
	recomputed, err := fresh.Root()
	require.NoError(t, err)
	require.True(t, recomputed.Equal(&want.Root), "recomputed root of version %d", v)
}

func TestPebbleStoreVersions(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	h := commitHistory(t, 1, 5, s)

	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, h.metas[5], head)
	for v := range uint64(6) {
		t.Run("", func(t *testing.T) { checkVersion(t, s, h, v) })
	}
}

func TestPebbleStoreEmpty(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, vm.Meta{Root: vm.EmptyHashes(testDepth)[testDepth]}, head)
	m, err := s.MetaAt(0)
	require.NoError(t, err)
	require.Equal(t, head, m)
	_, err = s.MetaAt(1)
	require.ErrorIs(t, err, vm.ErrVersionNotFound)
	_, ok, err := s.ReaderAt(0).Node(vm.NodeKey{Level: testDepth})
	require.NoError(t, err)
	require.False(t, ok)
}

// readAll reads every node and leaf of version v.
func readAll(t *testing.T, r vm.NodeReader) (nodes []any, leaves []any) {
	t.Helper()
	for l := 0; l <= testDepth; l++ {
		for i := range uint64(1) << (testDepth - l) {
			h, ok, err := r.Node(vm.NodeKey{Level: uint8(l), Index: i})
			require.NoError(t, err)
			nodes = append(nodes, [2]any{h, ok})
		}
	}
	for i := range uint64(1 << testDepth) {
		a, ok, err := r.Leaf(i)
		require.NoError(t, err)
		leaves = append(leaves, [2]any{a, ok})
	}
	return nodes, leaves
}

func TestPebbleStoreMemStoreParity(t *testing.T) {
	p := openMem(t, vfs.NewMem())
	m := vm.NewMemStore(testDepth)
	const n = 5
	commitHistory(t, 2, n, p, m)

	ph, err := p.Head()
	require.NoError(t, err)
	mh, err := m.Head()
	require.NoError(t, err)
	require.Equal(t, mh, ph)
	// n+1 is above the head: both read the head.
	for v := range uint64(n + 2) {
		pm, perr := p.MetaAt(v)
		mm, merr := m.MetaAt(v)
		require.Equal(t, merr == nil, perr == nil, "MetaAt(%d) errors: pebble %v, mem %v", v, perr, merr)
		require.Equal(t, mm, pm)

		pn, pl := readAll(t, p.ReaderAt(v))
		mn, ml := readAll(t, m.ReaderAt(v))
		require.Equal(t, mn, pn, "nodes at version %d", v)
		require.Equal(t, ml, pl, "leaves at version %d", v)
	}
}

func TestPebbleStoreVersionOrder(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	m := vm.NewMemStore(testDepth)
	commitHistory(t, 3, 2, s, m) // versions 1 and 2

	for _, tc := range []struct {
		name    string
		version uint64
	}{
		{"repeat head", 2},
		{"rewrite a version", 1},
		{"rewrite genesis", 0},
		{"skip a version", 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cs := &vm.ChangeSet{Meta: vm.Meta{BatchNumber: tc.version}}
			require.ErrorIs(t, s.Commit(cs), vm.ErrVersionOrder)
			require.ErrorIs(t, m.Commit(cs), vm.ErrVersionOrder, "MemStore disagrees")
			head, err := s.Head()
			require.NoError(t, err)
			require.Equal(t, uint64(2), head.BatchNumber)
		})
	}

	t.Run("first commit is version 1", func(t *testing.T) {
		e := openMem(t, vfs.NewMem())
		require.ErrorIs(t, e.Commit(&vm.ChangeSet{Meta: vm.Meta{BatchNumber: 0}}), vm.ErrVersionOrder)
		require.ErrorIs(t, e.Commit(&vm.ChangeSet{Meta: vm.Meta{BatchNumber: 2}}), vm.ErrVersionOrder)
		require.NoError(t, e.Commit(&vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1}}))
	})
}

func TestPebbleStoreBadChangeSet(t *testing.T) {
	for _, tc := range []struct {
		name string
		cs   *vm.ChangeSet
	}{
		{"nil", nil},
		{"level above root", &vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1}, Nodes: map[vm.NodeKey]vm.Element{{Level: testDepth + 1}: {}}}},
		{"index past level", &vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1}, Nodes: map[vm.NodeKey]vm.Element{{Level: 1, Index: 1 << (testDepth - 1)}: {}}}},
		{"second root", &vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1}, Nodes: map[vm.NodeKey]vm.Element{{Level: testDepth, Index: 1}: {}}}},
		{"leaf past capacity", &vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1}, Leaves: map[uint64]vm.Account{1 << testDepth: account(1)}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := openMem(t, vfs.NewMem())
			require.ErrorIs(t, s.Commit(tc.cs), sequencer.ErrBadChangeSet)
			n, err := s.CountEntriesForTest()
			require.NoError(t, err)
			require.Zero(t, n, "a refused change set wrote entries")
		})
	}
}

func TestPebbleStoreMetaAtMissing(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	commitHistory(t, 4, 3, s)
	for _, v := range []uint64{4, 5, 1 << 40, ^uint64(0)} {
		_, err := s.MetaAt(v)
		require.ErrorIs(t, err, vm.ErrVersionNotFound, "version %d", v)
	}
}

func TestPebbleStoreReopen(t *testing.T) {
	fs := vfs.NewMem()
	s, err := sequencer.OpenPebbleStore("db", testDepth, testOptions(t, fs))
	require.NoError(t, err)
	h := commitHistory(t, 5, 4, s)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "second Close")
	_, err = s.Head()
	require.ErrorIs(t, err, sequencer.ErrStoreClosed)
	_, _, err = s.ReaderAt(1).Leaf(0)
	require.ErrorIs(t, err, sequencer.ErrStoreClosed)
	require.ErrorIs(t, s.Commit(&vm.ChangeSet{Meta: vm.Meta{BatchNumber: 5}}), sequencer.ErrStoreClosed)

	_, err = sequencer.OpenPebbleStore("db", testDepth+1, testOptions(t, fs))
	require.ErrorIs(t, err, sequencer.ErrDepthMismatch)

	s = openMem(t, fs)
	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, h.metas[4], head)
	for v := range uint64(5) {
		checkVersion(t, s, h, v)
	}
}

// TestPebbleStoreAbandonedBatch builds the next version's batch on a real
// directory and drops it, as a process killed before Batch.Commit would.
func TestPebbleStoreAbandonedBatch(t *testing.T) {
	dir := t.TempDir()
	s, err := sequencer.OpenPebbleStore(dir, testDepth, testOptions(t, nil))
	require.NoError(t, err)
	h := commitHistory(t, 6, 2, s)
	rng := rand.New(rand.NewPCG(6, 6))
	cs := buildChangeSet(t, s, testDepth, 3, randomWrites(rng, testDepth, 12))
	require.NoError(t, s.AbandonCommitForTest(cs))
	require.NoError(t, s.Close())

	s, err = sequencer.OpenPebbleStore(dir, testDepth, testOptions(t, nil))
	require.NoError(t, err)
	defer func() { require.NoError(t, s.Close()) }()
	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, h.metas[2], head)
	checkVersion(t, s, h, 2)
	_, err = s.MetaAt(3)
	require.ErrorIs(t, err, vm.ErrVersionNotFound)
	// The abandoned version can be committed afresh.
	require.NoError(t, s.Commit(cs))
}

// TestPebbleStoreCrash commits version 3 without its sync and crashes: the
// reopened store is whole at version 2, or whole at version 3 where a later
// sync made it durable, never in between.
func TestPebbleStoreCrash(t *testing.T) {
	for _, tc := range []struct {
		name string
		// writes is version 3's size. Pebble's WAL writer holds a record in
		// memory until its 32 KiB block fills or a sync asks for it, so 200
		// writes (about 50 KiB) reach the file, unsynced, in several blocks
		// that a crash can keep or drop one by one.
		writes   int
		unsynced int  // percent of unsynced file blocks that survive the crash
		synced   bool // a later synced write makes version 3 durable
		seeds    int
		heads    []uint64 // the heads a correct store may come back at
	}{
		{"unsynced batch lost", 12, 0, false, 1, []uint64{2}},
		{"a later sync covers it", 12, 0, true, 1, []uint64{3}},
		{"written blocks survive", 200, 100, false, 1, []uint64{2, 3}},
		{"torn batch", 200, 50, false, 8, []uint64{2, 3}},
		{"large batch synced later", 200, 50, true, 1, []uint64{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for seed := range uint64(tc.seeds) {
				fs := vfs.NewCrashableMem()
				s, err := sequencer.OpenPebbleStore("db", testDepth, testOptions(t, fs))
				require.NoError(t, err)
				h := commitHistory(t, 7+seed, 2, s)
				writes := randomWrites(rand.New(rand.NewPCG(seed, 7)), testDepth, tc.writes)
				cs := buildChangeSet(t, s, testDepth, 3, writes)
				before := walSize(t, fs)
				require.NoError(t, s.CommitNoSyncForTest(cs))
				if tc.writes > 100 {
					// Wait for the WAL goroutine to write the full blocks.
					require.Eventually(t, func() bool { return walSize(t, fs) > before }, 5*time.Second, time.Millisecond)
				}
				if tc.synced {
					require.NoError(t, s.PutRawForTest([]byte("z"), nil, true))
				}
				h.metas = append(h.metas, cs.Meta)
				next := maps.Clone(h.leaves[2])
				maps.Copy(next, writes)
				h.leaves = append(h.leaves, next)

				crashed := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: tc.unsynced, RNG: rand.New(rand.NewPCG(seed, 8))})
				require.NoError(t, s.Close())

				s = openMem(t, crashed)
				head, err := s.Head()
				require.NoError(t, err)
				require.Contains(t, tc.heads, head.BatchNumber)
				t.Logf("seed %d: head %d after the crash", seed, head.BatchNumber)
				for v := range head.BatchNumber + 1 {
					checkVersion(t, s, h, v)
				}
				// Nothing of a lost version 3 is readable: its reader is the head's.
				if head.BatchNumber == 2 {
					pn, pl := readAll(t, s.ReaderAt(3))
					hn, hl := readAll(t, s.ReaderAt(2))
					require.Equal(t, hn, pn)
					require.Equal(t, hl, pl)
				}
			}
		})
	}
}

// walSize sums the sizes of the store's WAL files, synced or not.
func walSize(t *testing.T, fs vfs.FS) int64 {
	names, err := fs.List("db")
	require.NoError(t, err)
	var n int64
	for _, name := range names {
		if strings.HasSuffix(name, ".log") {
			fi, err := fs.Stat(fs.PathJoin("db", name))
			require.NoError(t, err)
			n += fi.Size()
		}
	}
	return n
}

// TestPebbleStoreTornWrite writes version 3's nodes outside a commit and
// crashes with them on disk: version 2 must not see them, and the head
// stays at 2 because no meta or head record was written.
func TestPebbleStoreTornWrite(t *testing.T) {
	fs := vfs.NewCrashableMem()
	s, err := sequencer.OpenPebbleStore("db", testDepth, testOptions(t, fs))
	require.NoError(t, err)
	h := commitHistory(t, 9, 2, s)
	cs := buildChangeSet(t, s, testDepth, 3, randomWrites(rand.New(rand.NewPCG(9, 9)), testDepth, 12))
	for k, e := range cs.Nodes {
		b := e.Bytes()
		require.NoError(t, s.PutRawForTest(sequencer.NodeKeyForTest(k, 3), b[:], true))
	}
	crashed := fs.CrashClone(vfs.CrashCloneCfg{})
	require.NoError(t, s.Close())

	s = openMem(t, crashed)
	head, err := s.Head()
	require.NoError(t, err)
	require.Equal(t, h.metas[2], head)
	checkVersion(t, s, h, 2)
}

func TestPebbleStorePrune(t *testing.T) {
	fs := vfs.NewMem()
	s := openMem(t, fs)
	m := vm.NewMemStore(testDepth)
	const n, keepFrom = 6, 3
	h := commitHistory(t, 10, n, s, m)

	before, err := s.CountEntriesForTest()
	require.NoError(t, err)
	require.ErrorIs(t, s.Prune(n+1), sequencer.ErrPruneBeyondHead)
	require.NoError(t, s.Prune(keepFrom))
	require.NoError(t, s.Prune(keepFrom), "a repeated prune is a no-op")
	require.NoError(t, s.Prune(1), "a lower prune is a no-op")
	after, err := s.CountEntriesForTest()
	require.NoError(t, err)
	require.Less(t, after, before, "prune deleted nothing")

	check := func(t *testing.T, s *sequencer.PebbleStore) {
		for v := range uint64(keepFrom) {
			_, err := s.MetaAt(v)
			require.ErrorIs(t, err, vm.ErrVersionNotFound, "meta %d", v)
			_, _, err = s.ReaderAt(v).Node(vm.NodeKey{Level: testDepth})
			require.ErrorIs(t, err, vm.ErrVersionNotFound, "root node %d", v)
			_, _, err = s.ReaderAt(v).Leaf(0)
			require.ErrorIs(t, err, vm.ErrVersionNotFound, "leaf %d", v)
		}
		for v := uint64(keepFrom); v <= n; v++ {
			checkVersion(t, s, h, v)
			pn, pl := readAll(t, s.ReaderAt(v))
			mn, ml := readAll(t, m.ReaderAt(v))
			require.Equal(t, mn, pn, "nodes at version %d", v)
			require.Equal(t, ml, pl, "leaves at version %d", v)
		}
	}
	check(t, s)

	// Pruning to the head keeps exactly one entry per written node and leaf.
	require.NoError(t, s.Prune(n))
	final, err := s.CountEntriesForTest()
	require.NoError(t, err)
	nodes, leaves := readAll(t, s.ReaderAt(n))
	present := 0
	for _, e := range append(nodes, leaves...) {
		if e.([2]any)[1].(bool) {
			present++
		}
	}
	require.Equal(t, present, final)
	checkVersion(t, s, h, n)

	// The floor survives a reopen, and commits go on after a prune.
	require.NoError(t, s.Close())
	s = openMem(t, fs)
	_, err = s.MetaAt(n - 1)
	require.ErrorIs(t, err, vm.ErrVersionNotFound)
	checkVersion(t, s, h, n)
	cs := buildChangeSet(t, s, testDepth, n+1, randomWrites(rand.New(rand.NewPCG(10, 10)), testDepth, 12))
	require.NoError(t, s.Commit(cs))
}

func TestPebbleStoreCorrupt(t *testing.T) {
	const v = 1
	root := vm.NodeKey{Level: testDepth}
	nonCanonical := bytes.Repeat([]byte{0xff}, 32)
	badKind := make([]byte, vm.AccountSize)
	badKind[0] = 9

	for _, tc := range []struct {
		name string
		key  []byte
		val  []byte
		// read does what a user of the store would and returns its error.
		read func(s *sequencer.PebbleStore, fs vfs.FS) error
	}{
		{"short node", sequencer.NodeKeyForTest(root, v), []byte{1, 2, 3}, readRoot(v)},
		{"non-canonical node", sequencer.NodeKeyForTest(root, v), nonCanonical, readRoot(v)},
		// Written above the head, where a seek from version 3 meets it first.
		{"node key with trailing bytes", append(sequencer.NodeKeyForTest(root, 3), 'x'), make([]byte, 32), readRoot(3)},
		{"short leaf", sequencer.LeafKeyForTest(0, v), []byte{1}, readLeaf0},
		{"unknown leaf kind", sequencer.LeafKeyForTest(0, v), badKind, readLeaf0},
		{"short meta", sequencer.MetaKeyForTest(v), []byte{1}, readMeta},
		{"meta of another version", sequencer.MetaKeyForTest(v), append(binary.BigEndian.AppendUint64(nil, 7), make([]byte, 72)...), readMeta},
		{"short head", sequencer.HeadKeyForTest(), []byte{1}, reopen},
		{"head without meta", sequencer.HeadKeyForTest(), []byte{0, 0, 0, 0, 0, 0, 0, 9}, reopen},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fs := vfs.NewMem()
			s, err := sequencer.OpenPebbleStore("db", testDepth, testOptions(t, fs))
			require.NoError(t, err)
			t.Cleanup(func() { require.NoError(t, s.Close()) })
			commitHistory(t, 11, 2, s)
			require.NoError(t, s.PutRawForTest(tc.key, tc.val, true))
			err = tc.read(s, fs)
			require.ErrorIs(t, err, sequencer.ErrCorrupt)
			require.Contains(t, err.Error(), "sequencer: corrupt")
		})
	}
}

func readRoot(v uint64) func(*sequencer.PebbleStore, vfs.FS) error {
	return func(s *sequencer.PebbleStore, _ vfs.FS) error {
		tree, err := vm.NewTree(testDepth, s.ReaderAt(v))
		if err != nil {
			return err
		}
		_, err = tree.Root()
		return err
	}
}

func readLeaf0(s *sequencer.PebbleStore, _ vfs.FS) error {
	tree, err := vm.NewTree(testDepth, s.ReaderAt(1))
	if err != nil {
		return err
	}
	_, err = tree.Get(0)
	return err
}

func readMeta(s *sequencer.PebbleStore, _ vfs.FS) error {
	_, err := s.MetaAt(1)
	return err
}

// reopen closes s and opens its directory again; s stays closed.
func reopen(s *sequencer.PebbleStore, fs vfs.FS) error {
	if err := s.Close(); err != nil {
		return err
	}
	r, err := sequencer.OpenPebbleStore("db", testDepth, &sequencer.StoreOptions{FS: fs})
	if err == nil {
		r.Close()
	}
	return err
}

// TestPebbleStoreConcurrentReads reads old versions while new ones are
// committed; run with -race.
func TestPebbleStoreConcurrentReads(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	h := commitHistory(t, 12, 2, s)
	rng := rand.New(rand.NewPCG(12, 12))
	var css []*vm.ChangeSet
	shadow := vm.NewMemStore(testDepth)
	commitHistory(t, 12, 2, shadow)
	for v := uint64(3); v <= 6; v++ {
		cs := buildChangeSet(t, shadow, testDepth, v, randomWrites(rng, testDepth, 12))
		require.NoError(t, shadow.Commit(cs))
		css = append(css, cs)
	}

	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for r := range 4 {
		wg.Go(func() {
			v := uint64(r % 3)
			for range 20 {
				tree, err := vm.NewTree(testDepth, s.ReaderAt(v))
				if err != nil {
					errs <- err
					return
				}
				for i := range uint64(1 << testDepth) {
					a, err := tree.Get(i)
					if err != nil {
						errs <- err
						return
					}
					if a != h.leaves[v][i] {
						errs <- fmt.Errorf("leaf %d at version %d changed under a reader", i, v)
						return
					}
				}
			}
		})
	}
	for _, cs := range css {
		require.NoError(t, s.Commit(cs))
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestPebbleStoreHeadCacheFollowsCommits: readers of the head version,
// served from the head cache, race commits; every read equals the model's
// value at the version read, and older versions still read as they were.
// A cache that let a later version's value into an earlier one, or kept a
// value a commit changed, fails here.
func TestPebbleStoreHeadCacheFollowsCommits(t *testing.T) {
	s := openMem(t, vfs.NewMem())
	shadow := vm.NewMemStore(testDepth)
	rng := rand.New(rand.NewPCG(21, 21))
	var css []*vm.ChangeSet
	for v := uint64(1); v <= 30; v++ {
		cs := buildChangeSet(t, shadow, testDepth, v, randomWrites(rng, testDepth, 6))
		require.NoError(t, shadow.Commit(cs))
		css = append(css, cs)
	}
	// One hot leaf changes in every version, so stale cache entries show.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	stop := make(chan struct{})
	for r := range 3 {
		wg.Go(func() {
			for i := uint64(0); ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				m, err := s.Head()
				if err != nil {
					errs <- err
					return
				}
				v := m.BatchNumber
				if r == 2 && v > 0 {
					v = v / 2 // an older reader
				}
				leaf := (i * 37) % (1 << testDepth)
				got, gotOK, err := s.ReaderAt(v).Leaf(leaf)
				if err != nil {
					errs <- err
					return
				}
				want, wantOK, _ := shadow.ReaderAt(v).Leaf(leaf)
				if got != want || gotOK != wantOK {
					errs <- fmt.Errorf("leaf %d at version %d: got %v, want %v", leaf, v, got, want)
					return
				}
				k := vm.NodeKey{Level: uint8(i % testDepth), Index: (i * 13) % (1 << (testDepth - i%testDepth))}
				gh, gOK, err := s.ReaderAt(v).Node(k)
				if err != nil {
					errs <- err
					return
				}
				wh, wOK, _ := shadow.ReaderAt(v).Node(k)
				if gh != wh || gOK != wOK {
					errs <- fmt.Errorf("node %v at version %d differs", k, v)
					return
				}
			}
		})
	}
	for _, cs := range css {
		require.NoError(t, s.Commit(cs))
		time.Sleep(time.Millisecond)
	}
	close(stop)
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	for v := uint64(0); v <= 30; v++ {
		for i := range uint64(1 << testDepth) {
			got, _, err := s.ReaderAt(v).Leaf(i)
			require.NoError(t, err)
			want, _, _ := shadow.ReaderAt(v).Leaf(i)
			require.Equal(t, want, got, "leaf %d at version %d", i, v)
		}
	}
}
