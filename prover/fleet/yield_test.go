package fleet_test

import (
	"bytes"
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// lockedBuffer is a log sink the worker's goroutines write concurrently.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) count(s string) int {
	b.mu.Lock()
	defer b.mu.Unlock()
	return strings.Count(b.buf.String(), s)
}

// TestWorkerYieldsAJobItFailed: a job republished after a worker's proof
// of it was rejected names that worker in its avoid header. The worker
// hands the job back on its first two deliveries, so that another worker
// can take it, and proves it itself on the third, so that a lone worker
// still proves it. A job that names another worker is proved at once.
func TestWorkerYieldsAJobItFailed(t *testing.T) {
	if testing.Short() {
		t.Skip("proves a real batch; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	srv := startFleetServer(t)
	topo := fleet.DefaultTopology()
	js, bucket := connectNode(t, ctx, srv, topo)
	keys, keyDir := fleetKeys(t)
	require.NoError(t, fleet.PublishKeys(ctx, bucket, keyDir, keys))
	batches := fleetBatches(t)
	first, second := batches[0], batches[1]
	require.NoError(t, fleet.RepublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: first}, 1, "w-broken"))

	logs := &lockedBuffer{}
	wnc, wjs, err := srv.ConnectInProcess("w-broken")
	require.NoError(t, err)
	t.Cleanup(wnc.Close)
	w, err := fleet.NewWorker(fleet.WorkerConfig{Name: "w-broken", Concurrency: 1, KeysDir: t.TempDir(), Topology: topo}, wjs, zerolog.New(logs), nil)
	require.NoError(t, err)
	require.NoError(t, w.Start(ctx))
	t.Cleanup(func() {
		stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		require.NoError(t, w.Stop(stop))
	})

	results, err := js.OrderedConsumer(ctx, fleet.ResultsStream, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	next := func() fleet.Result {
		msg, err := results.Next(jetstream.FetchMaxWait(2 * time.Minute))
		require.NoError(t, err)
		var r fleet.Result
		require.NoError(t, r.UnmarshalBinary(msg.Data()))
		return r
	}
	r := next()
	require.Equal(t, first.After.BatchNumber, r.BatchNumber)
	require.Equal(t, "w-broken", r.Worker, "a lone worker proves the job in the end")
	proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, first.Commitment(fleetConfig.Operator))
	require.NoError(t, err)
	require.NoError(t, prover.Verify(keys.VK, proof))
	const yielded = "leaving it to another worker"
	require.Equal(t, 2, logs.count(yielded), "the worker handed the job back twice before proving it")
	require.Equal(t, 1, logs.count(`"delivery":3,"message":"proving a batch"`), "and proved it on its third delivery")

	// A job whose avoid list names someone else is proved at once.
	require.NoError(t, fleet.RepublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: second}, 1, "w-other"))
	r = next()
	require.Equal(t, second.After.BatchNumber, r.BatchNumber)
	require.Equal(t, 2, logs.count(yielded), "no yield for a job that names another worker")
	require.Equal(t, 1, logs.count(`"delivery":1,"message":"proving a batch"`))
}
