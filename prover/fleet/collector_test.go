package fleet_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// collectorMetrics counts accepted and rejected results by worker.
type collectorMetrics struct {
	mu                 sync.Mutex
	accepted, rejected map[string]int
	dead               int
}

func (m *collectorMetrics) Accepted(w string, _ time.Duration) {
	m.mu.Lock()
	m.accepted[w]++
	m.mu.Unlock()
}

func (m *collectorMetrics) Rejected(w string) { m.mu.Lock(); m.rejected[w]++; m.mu.Unlock() }

func (m *collectorMetrics) DeadLettered() { m.mu.Lock(); m.dead++; m.mu.Unlock() }

func (m *collectorMetrics) counts() (map[string]int, map[string]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	a, r := map[string]int{}, map[string]int{}
	for k, v := range m.accepted {
		a[k] = v
	}
	for k, v := range m.rejected {
		r[k] = v
	}
	return a, r
}

// TestCollector: results arrive out of order and from a hostile worker.
// The node takes verified proofs in batch order; a corrupt proof, a proof
// of another circuit, a result for a batch the node never sealed and
// bytes that are not a result are all rejected and counted by worker, and
// the corrupt ones' jobs are requeued. A collector started again (a node
// restart) finds every published proof again, with nothing re-proven.
func TestCollector(t *testing.T) {
	if testing.Short() {
		t.Skip("proves real batches; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	js, _ := connectNode(t, ctx, startFleetServer(t), fleet.DefaultTopology())
	keys, _ := fleetKeys(t)
	p, err := prover.New(fleetConfig, keys)
	require.NoError(t, err)
	batches := fleetBatches(t)
	byNumber := map[uint64]*vm.SealedBatch{}
	proofs := map[uint64][]byte{}
	for _, sb := range batches {
		n := sb.After.BatchNumber
		byNumber[n] = sb
		pr, err := p.Prove(sb)
		require.NoError(t, err)
		proofs[n], err = pr.SolidityBytes()
		require.NoError(t, err)
	}

	var requeueMu sync.Mutex
	var requeued []uint64
	var avoided [][]string
	newCollector := func(m fleet.CollectorMetrics) *fleet.Collector {
		c, err := fleet.NewCollector(fleet.CollectorConfig{
			Operator: fleetConfig.Operator, CircuitHash: keys.Hash, VK: keys.VK,
			Batch: func(n uint64) (*vm.SealedBatch, error) {
				if sb := byNumber[n]; sb != nil {
					return sb, nil
				}
				return nil, errors.New("no such batch")
			},
			Requeue: func(ctx context.Context, n uint64, rejected uint64, avoid []string) error {
				requeueMu.Lock()
				requeued = append(requeued, n)
				avoided = append(avoided, avoid)
				requeueMu.Unlock()
				return fleet.RepublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: byNumber[n]}, rejected, avoid...)
			},
		}, js, zerolog.New(zerolog.NewTestWriter(t)), m)
		require.NoError(t, err)
		require.NoError(t, c.Start(ctx))
		return c
	}
	m := &collectorMetrics{accepted: map[string]int{}, rejected: map[string]int{}}
	c := newCollector(m)

	publish := func(n uint64, worker string, circuit [32]byte, proof []byte) {
		raw, err := (&fleet.Result{BatchNumber: n, CircuitHash: circuit, Worker: worker, Took: time.Second, Proof: proof}).MarshalBinary()
		require.NoError(t, err)
		_, err = js.Publish(ctx, fleet.ResultSubject(n), raw)
		require.NoError(t, err)
	}
	first, second := batches[0].After.BatchNumber, batches[1].After.BatchNumber
	corrupt := append([]byte(nil), proofs[first]...)
	corrupt[100] ^= 1
	// The second batch's proof comes first; the first batch's is corrupt,
	// then of another circuit, then good.
	publish(second, "w2", keys.Hash, proofs[second])
	publish(first, "evil", keys.Hash, corrupt)
	publish(first, "stale", [32]byte{9}, proofs[first])
	publish(7, "lost", keys.Hash, proofs[first])
	_, err = js.Publish(ctx, fleet.ResultSubject(first), []byte("garbage"))
	require.NoError(t, err)

	// In batch order: the first batch waits for a good proof.
	waitCtx, waitCancel := context.WithTimeout(ctx, 2*time.Second)
	_, err = c.Proof(waitCtx, first)
	waitCancel()
	require.ErrorIs(t, err, context.DeadlineExceeded, "no good proof of the first batch yet")
	publish(first, "w1", keys.Hash, proofs[first])
	for _, n := range []uint64{first, second} {
		pr, err := c.Proof(ctx, n)
		require.NoError(t, err)
		require.Equal(t, n, pr.BatchNumber)
		require.NoError(t, prover.Verify(keys.VK, pr))
	}
	accepted, rejected := m.counts()
	require.Equal(t, map[string]int{"w1": 1, "w2": 1}, accepted)
	require.Equal(t, map[string]int{"evil": 1, "stale": 1, "lost": 1, "": 1}, rejected)
	requeueMu.Lock()
	require.Equal(t, []uint64{first, first}, requeued, "the corrupt and the stale proof's job is requeued; the unknown batch's is not")
	require.Equal(t, [][]string{{"evil"}, {"evil", "stale"}}, avoided, "a requeued job names every worker whose proof of it was rejected")
	requeueMu.Unlock()
	jobs, err := js.Stream(ctx, fleet.JobsStream)
	require.NoError(t, err)
	info, err := jobs.Info(ctx)
	require.NoError(t, err)
	require.EqualValues(t, 2, info.State.Msgs, "each rejected result requeued the job under a new attempt id")

	// A node restart: a new collector reads the published proofs again.
	require.NoError(t, c.Stop(ctx))
	require.NoError(t, c.Stop(ctx), "Stop is idempotent")
	again := newCollector(nil)
	defer again.Stop(context.Background())
	for _, n := range []uint64{first, second} {
		pr, err := again.Proof(ctx, n)
		require.NoError(t, err)
		require.NoError(t, prover.Verify(keys.VK, pr))
	}
	again.Forget(second)
	waitCtx, waitCancel = context.WithTimeout(ctx, 300*time.Millisecond)
	defer waitCancel()
	_, err = again.Proof(waitCtx, first)
	require.ErrorIs(t, err, context.DeadlineExceeded, "a forgotten proof is gone")
}
