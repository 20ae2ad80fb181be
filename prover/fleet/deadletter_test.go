package fleet_test

import (
	"context"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// TestMaxDeliveriesDeadLetter: a job whose worker takes it and never
// answers (a worker that hangs, or dies on every try) is delivered
// MaxDeliver times; then JetStream gives up on it, and the node's
// collector moves it to the dead letters with the reason, takes it off
// the work queue and counts it. The node can then queue the batch again,
// and the new job is handed out.
func TestMaxDeliveriesDeadLetter(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	topo := fleet.DefaultTopology()
	topo.AckWait, topo.MaxDeliver = time.Second, 2
	js, _ := connectNode(t, ctx, startFleetServer(t), topo)
	metrics := &collectorMetrics{accepted: map[string]int{}, rejected: map[string]int{}}
	col, err := fleet.NewCollector(fleet.CollectorConfig{VK: groth16.NewVerifyingKey(ecc.BN254),
		Batch:   func(uint64) (*vm.SealedBatch, error) { return nil, nil },
		Requeue: func(context.Context, uint64, uint64, []string) error { return nil }}, js, zerolog.New(zerolog.NewTestWriter(t)), metrics)
	require.NoError(t, err)
	require.NoError(t, col.Start(ctx))
	defer col.Stop(context.Background())

	batch := fleetBatches(t)[0]
	job := &fleet.Job{CircuitHash: [32]byte{1}, Config: fleetConfig, Batch: batch}
	n := batch.After.BatchNumber
	require.NoError(t, fleet.PublishJob(ctx, js, job))
	queued, err := fleet.JobQueued(ctx, js, n)
	require.NoError(t, err)
	require.True(t, queued)

	// A hanging worker: it fetches the job each time it is offered and
	// never acks it.
	cons, err := js.Consumer(ctx, fleet.JobsStream, fleet.WorkersConsumer)
	require.NoError(t, err)
	for i := 0; i < topo.MaxDeliver; i++ {
		msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		require.NoError(t, err)
		got := 0
		for range msgs.Messages() {
			got++
		}
		require.Equal(t, 1, got, "delivery %d", i+1)
	}
	// JetStream gives up on the job when a worker asks for work after its
	// last delivery's ack wait, as live workers always do.
	asking := make(chan struct{})
	go func() {
		defer close(asking)
		for ctx.Err() == nil {
			if msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(time.Second)); err == nil {
				for range msgs.Messages() {
				}
			}
			metrics.mu.Lock()
			dead := metrics.dead
			metrics.mu.Unlock()
			if dead > 0 {
				return
			}
		}
	}()
	require.Eventually(t, func() bool {
		metrics.mu.Lock()
		defer metrics.mu.Unlock()
		return metrics.dead == 1
	}, 20*time.Second, 50*time.Millisecond, "the collector counts the dead letter")

	dead, err := js.Stream(ctx, fleet.DeadStream)
	require.NoError(t, err)
	msg, err := dead.GetLastMsgForSubject(ctx, fleet.DeadSubject(n))
	require.NoError(t, err)
	require.Contains(t, msg.Header.Get(fleet.HeaderReason), "delivered 2 times")
	var back fleet.Job
	require.NoError(t, back.UnmarshalBinary(msg.Data), "the dead letter holds the job")
	queued, err = fleet.JobQueued(ctx, js, n)
	require.NoError(t, err)
	require.False(t, queued, "the job is off the work queue")
	st, err := fleet.Stats(ctx, js)
	require.NoError(t, err)
	require.EqualValues(t, 1, st.DeadLetters)

	// Queued again, the batch is handed out again.
	<-asking
	require.NoError(t, fleet.RequeueStalled(ctx, js, job))
	msgs, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
	require.NoError(t, err)
	var again []jetstream.Msg
	for m := range msgs.Messages() {
		again = append(again, m)
	}
	require.Len(t, again, 1)
	meta, err := again[0].Metadata()
	require.NoError(t, err)
	require.EqualValues(t, 1, meta.NumDelivered, "a fresh job")
}
