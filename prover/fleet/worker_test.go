package fleet_test

import (
	"context"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// fleetConfig is the smallest batch circuit (2 slots, depth 4), whose dev
// keys the prover tests cache on this machine too.
var fleetConfig = vm.Config{ChainID: 9, Depth: 4, Operator: 0, Slots: 2}

// fleetBatches seals a deposit batch and a transfer batch (with its fee
// payout) for fleetConfig.
func fleetBatches(t testing.TB) []*vm.SealedBatch {
	cfg := fleetConfig
	store := vm.NewMemStore(cfg.Depth)
	op, alice := jobKey(t, "fleet operator"), jobKey(t, "fleet alice")
	transfer := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: 3, To: 0, Amount: 700, Fee: 3}
	require.NoError(t, transfer.Sign(alice))
	var out []*vm.SealedBatch
	for _, txs := range [][]vm.Tx{
		{
			{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: 0, To: 0, PubKey: op.Public(), Amount: 10},
			{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: 1, To: 3, PubKey: alice.Public(), Amount: 5000},
		},
		{transfer},
	} {
		head, err := store.Head()
		require.NoError(t, err)
		sb, rejected, err := vm.ExecuteAt(cfg, store.ReaderAt(head.BatchNumber), head, head.Timestamp+1, txs)
		require.NoError(t, err)
		for _, r := range rejected {
			require.NoError(t, r)
		}
		require.NoError(t, store.Commit(sb.Changes))
		out = append(out, sb)
	}
	return out
}

// fleetKeys returns the dev keys of fleetConfig's circuit, cached on this
// machine under the circuit hash, and the directory they are in.
func fleetKeys(t testing.TB) (*prover.Keys, string) {
	dir := filepath.Join(os.TempDir(), "keel-test-keys")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	ccs, err := prover.CompileBatch(fleetConfig.Slots, fleetConfig.Depth)
	require.NoError(t, err)
	keys, err := prover.DevKeys(context.Background(), dir, ccs, zerolog.Nop())
	require.NoError(t, err)
	return keys, dir
}

// startFleetServer starts an in-process embedded server.
func startFleetServer(t *testing.T) *fleet.Server {
	cfg := fleet.DefaultServerConfig(t.TempDir())
	cfg.Listen = ""
	s, err := fleet.NewServer(cfg, zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.WarnLevel))
	require.NoError(t, err)
	require.NoError(t, s.Start(context.Background()))
	t.Cleanup(func() { _ = s.Stop(context.Background()) })
	return s
}

// connectNode connects to srv in-process as the node does and creates the
// topology.
func connectNode(t *testing.T, ctx context.Context, srv *fleet.Server, topo fleet.Topology) (jetstream.JetStream, jetstream.ObjectStore) {
	nc, js, err := srv.ConnectInProcess("node")
	require.NoError(t, err)
	t.Cleanup(nc.Close)
	_, bucket, err := fleet.Ensure(ctx, js, topo)
	require.NoError(t, err)
	return js, bucket
}

// countingMetrics counts a worker's proofs, failures and dead letters.
type countingMetrics struct {
	mu                   sync.Mutex
	proved, failed, dead int
}

func (m *countingMetrics) Proved(time.Duration) { m.mu.Lock(); m.proved++; m.mu.Unlock() }
func (m *countingMetrics) Failed()              { m.mu.Lock(); m.failed++; m.mu.Unlock() }
func (m *countingMetrics) DeadLettered()        { m.mu.Lock(); m.dead++; m.mu.Unlock() }

// TestWorkersProveJobs: the node publishes its keys and two jobs; two
// workers that know only the server fetch the keys from the bucket, prove
// the jobs and publish proofs that verify against the node's own
// commitment. A worker that corrupts its proofs is caught by that check,
// and bytes that are not a job end as a dead letter with their reason.
func TestWorkersProveJobs(t *testing.T) {
	if testing.Short() {
		t.Skip("proves real batches; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	srv := startFleetServer(t)
	topo := fleet.DefaultTopology()
	topo.AckWait = 5 * time.Second
	js, bucket := connectNode(t, ctx, srv, topo)
	keys, keyDir := fleetKeys(t)
	require.NoError(t, fleet.PublishKeys(ctx, bucket, keyDir, keys))
	require.NoError(t, fleet.PublishKeys(ctx, bucket, keyDir, keys), "publishing twice is a no-op")

	startWorker := func(name string, corrupt bool) (*fleet.Worker, *countingMetrics) {
		wnc, wjs, err := srv.ConnectInProcess(name)
		require.NoError(t, err)
		t.Cleanup(wnc.Close)
		m := &countingMetrics{}
		w, err := fleet.NewWorker(fleet.WorkerConfig{Name: name, Concurrency: 1, KeysDir: t.TempDir(), Topology: topo, Corrupt: corrupt}, wjs, zerolog.New(zerolog.NewTestWriter(t)), m)
		require.NoError(t, err)
		require.NoError(t, w.Start(ctx))
		t.Cleanup(func() {
			stop, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			require.NoError(t, w.Stop(stop))
		})
		return w, m
	}
	batches := fleetBatches(t)
	byNumber := map[uint64]*vm.SealedBatch{}
	for _, sb := range batches {
		byNumber[sb.After.BatchNumber] = sb
		require.NoError(t, fleet.PublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: sb}))
		// The same job again (a restarted node) is deduplicated.
		require.NoError(t, fleet.PublishJob(ctx, js, &fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: sb}))
	}
	jobs, err := js.Stream(ctx, fleet.JobsStream)
	require.NoError(t, err)
	info, err := jobs.Info(ctx)
	require.NoError(t, err)
	require.EqualValues(t, len(batches), info.State.Msgs, "one job per batch")

	wa, a := startWorker("worker-a", false)
	wb, b := startWorker("worker-b", false)
	results, err := js.OrderedConsumer(ctx, fleet.ResultsStream, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	verified := map[uint64]string{}
	for len(verified) < len(batches) {
		msg, err := results.Next(jetstream.FetchMaxWait(3 * time.Minute))
		require.NoError(t, err)
		var r fleet.Result
		require.NoError(t, r.UnmarshalBinary(msg.Data()))
		sb := byNumber[r.BatchNumber]
		require.NotNil(t, sb, "a result for batch %d, which was never a job", r.BatchNumber)
		require.Equal(t, keys.Hash, r.CircuitHash)
		// The node checks the proof against its own commitment.
		proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, sb.Commitment(fleetConfig.Operator))
		require.NoError(t, err)
		require.NoError(t, prover.Verify(keys.VK, proof), "batch %d proved by %s", r.BatchNumber, r.Worker)
		verified[r.BatchNumber] = r.Worker
	}
	require.Eventually(t, func() bool {
		a.mu.Lock()
		b.mu.Lock()
		defer a.mu.Unlock()
		defer b.mu.Unlock()
		return a.proved+b.proved == len(batches)
	}, 10*time.Second, 50*time.Millisecond, "each job proved once")
	require.Eventually(t, func() bool {
		info, err := jobs.Info(ctx)
		return err == nil && info.State.Msgs == 0
	}, 10*time.Second, 100*time.Millisecond, "acked jobs leave the work queue")

	// A corrupting worker alone: its proof of batch 1 does not verify.
	require.NoError(t, wa.Stop(ctx))
	require.NoError(t, wb.Stop(ctx))
	_, corrupt := startWorker("worker-corrupt", true)
	sb := batches[0]
	resubmitted := fleet.Job{CircuitHash: keys.Hash, Config: fleetConfig, Batch: sb}
	raw, err := resubmitted.MarshalBinary()
	require.NoError(t, err)
	// (A new message id: the node republishing a batch it rejected.)
	_, err = js.Publish(ctx, fleet.JobSubject(sb.After.BatchNumber), raw, jetstream.WithMsgID("retry-1"))
	require.NoError(t, err)
	msg, err := results.Next(jetstream.FetchMaxWait(3 * time.Minute))
	require.NoError(t, err)
	var r fleet.Result
	require.NoError(t, r.UnmarshalBinary(msg.Data()))
	require.Equal(t, "worker-corrupt", r.Worker)
	proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, sb.Commitment(fleetConfig.Operator))
	if err == nil {
		err = prover.Verify(keys.VK, proof)
	}
	require.Error(t, err, "a corrupted proof must not verify")
	require.Eventually(t, func() bool {
		corrupt.mu.Lock()
		defer corrupt.mu.Unlock()
		return corrupt.proved == 1 // counted once the job is acked
	}, 10*time.Second, 50*time.Millisecond)

	// Bytes that are not a job: dead-lettered at once, with the reason.
	_, err = js.Publish(ctx, fleet.JobSubject(99), []byte("not a job"))
	require.NoError(t, err)
	dead, err := js.OrderedConsumer(ctx, fleet.DeadStream, jetstream.OrderedConsumerConfig{})
	require.NoError(t, err)
	msg, err = dead.Next(jetstream.FetchMaxWait(30 * time.Second))
	require.NoError(t, err)
	require.Equal(t, "not a job", string(msg.Data()))
	require.Contains(t, msg.Headers().Get(fleet.HeaderReason), "malformed proving job")
}

// TestWorkerStops: a worker waiting for jobs stops promptly, and Stop is
// idempotent.
func TestWorkerStops(t *testing.T) {
	srv := startFleetServer(t)
	nc, js, err := srv.ConnectInProcess("idle")
	require.NoError(t, err)
	defer nc.Close()
	w, err := fleet.NewWorker(fleet.WorkerConfig{Name: "idle", Concurrency: 2, KeysDir: t.TempDir(), Topology: fleet.DefaultTopology()}, js, zerolog.New(zerolog.NewTestWriter(t)), nil)
	require.NoError(t, err)
	require.NoError(t, w.Start(context.Background()))
	time.Sleep(300 * time.Millisecond) // inside a fetch
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(t, w.Stop(ctx), "an idle worker stops at once")
	require.NoError(t, w.Stop(ctx), "a second Stop is a no-op")

	reg := prometheus.NewRegistry()
	pm, err := fleet.NewPromWorkerMetrics(reg)
	require.NoError(t, err)
	pm.Proved(2 * time.Second)
	pm.DeadLettered()
	families, err := reg.Gather()
	require.NoError(t, err)
	seen := map[string]bool{}
	for _, f := range families {
		seen[f.GetName()] = true
	}
	require.True(t, seen["keel_fleet_worker_proofs_total"] && seen["keel_fleet_worker_dead_letters_total"] && seen["keel_fleet_worker_prove_seconds"])
	_, err = fleet.NewPromWorkerMetrics(reg)
	require.Error(t, err, "registering twice")

	_, err = fleet.NewWorker(fleet.WorkerConfig{Name: "bad", Concurrency: 0, KeysDir: t.TempDir(), Topology: fleet.DefaultTopology()}, js, zerolog.Nop(), nil)
	require.Error(t, err)
	_, err = fleet.NewWorker(fleet.WorkerConfig{Name: "bad", Concurrency: 1, Topology: fleet.DefaultTopology()}, js, zerolog.Nop(), nil)
	require.Error(t, err)
}
