package circuits_test

import (
	"math/rand"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

func solve(t testing.TB, w *circuits.BatchCircuit) error {
	return test.IsSolved(circuits.NewBatchCircuit(testConfig.Slots, testConfig.Depth), w, ecc.BN254.ScalarField())
}

// TestParityRandomBatches: random valid batches of every kind go from the
// VM through the witness and solve in the circuit.
func TestParityRandomBatches(t *testing.T) {
	batches := 300
	if testing.Short() {
		batches = 100
	}
	rng := rand.New(rand.NewSource(7))
	c := newTestChain(t, testConfig)
	start := time.Now()
	sb := c.funded(6)
	w, err := prover.Witness(c.cfg, sb)
	require.NoError(t, err)
	require.NoError(t, solve(t, w))
	ops := map[vm.Opcode]int{}
	for i := 0; i < batches; i++ {
		sb := c.randomBatch(rng, 10)
		for _, st := range sb.Steps {
			ops[st.Op]++
		}
		w, err := prover.Witness(c.cfg, sb)
		require.NoError(t, err)
		require.NoError(t, solve(t, w), "batch %d", i)
		c.requireConserved()
	}
	t.Logf("%d batches in %v; steps by opcode: %v", batches, time.Since(start), ops)
	for _, op := range []vm.Opcode{vm.OpNoop, vm.OpDeposit, vm.OpTransfer, vm.OpWithdraw, vm.OpData, vm.OpFeePayout, vm.OpSponsor} {
		require.Greater(t, ops[op], batches/10, "the generator must exercise %s", op)
	}
}
