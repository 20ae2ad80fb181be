package sequencer_test

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
)

// benchBatch is the number of leaf updates per committed version.
const benchBatch = 1000

// benchTreeUpdate measures the sequencer's write path at production depth:
// a batch of random leaf updates through a vm.Tree over the head, then one
// Commit. Each loop iteration is one batch; updates/s counts leaf updates,
// hashing and commit included.
func benchTreeUpdate(b *testing.B, s vm.Store) {
	rng := rand.New(rand.NewPCG(1, 2))
	for b.Loop() {
		head, err := s.Head()
		require.NoError(b, err)
		tree, err := vm.NewTree(vm.DefaultDepth, s.ReaderAt(head.BatchNumber))
		require.NoError(b, err)
		for range benchBatch {
			require.NoError(b, tree.Set(rng.Uint64N(tree.Capacity()), account(rng.Uint64())))
		}
		root, err := tree.Root()
		require.NoError(b, err)
		nodes, leaves := tree.Changes()
		cs := &vm.ChangeSet{Meta: vm.Meta{BatchNumber: head.BatchNumber + 1, Root: root}, Nodes: nodes, Leaves: leaves}
		require.NoError(b, s.Commit(cs))
	}
	b.ReportMetric(float64(b.N*benchBatch)/b.Elapsed().Seconds(), "updates/s")
}

func BenchmarkTreeUpdatePebble(b *testing.B) {
	// A real directory, so that the synced commit costs what it costs.
	s, err := sequencer.OpenPebbleStore(b.TempDir(), vm.DefaultDepth, nil)
	require.NoError(b, err)
	defer func() { require.NoError(b, s.Close()) }()
	benchTreeUpdate(b, s)
}

func BenchmarkTreeUpdateMem(b *testing.B) {
	benchTreeUpdate(b, vm.NewMemStore(vm.DefaultDepth))
}
