package fleet_test

import (
	"context"
	"testing"
	"time"

	"github.com/keel-rollup/keel/prover/fleet"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/stretchr/testify/require"
)

// TestPublishJobAfterItWasTaken: JetStream's deduplication keeps a
// restarted node from queueing a batch twice while its job waits; but a
// job a worker already took and acked (its proof corrupt, or never read
// by the node that was then killed) is queued again, or the batch would
// have neither a job nor a proof. The same holds for a republished job.
func TestPublishJobAfterItWasTaken(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	srv := startFleetServer(t)
	js, _ := connectNode(t, ctx, srv, fleet.DefaultTopology())
	sb := jobBatches(t)[0]
	n := sb.After.BatchNumber
	job := &fleet.Job{Config: jobConfig, Batch: sb}
	jobs, err := js.Stream(ctx, fleet.JobsStream)
	require.NoError(t, err)
	msgs := func() uint64 {
		info, err := jobs.Info(ctx)
		require.NoError(t, err)
		return info.State.Msgs
	}
	cons, err := js.Consumer(ctx, fleet.JobsStream, fleet.WorkersConsumer)
	require.NoError(t, err)
	take := func() {
		batch, err := cons.Fetch(1, jetstream.FetchMaxWait(5*time.Second))
		require.NoError(t, err)
		var got int
		for msg := range batch.Messages() {
			require.NoError(t, msg.DoubleAck(ctx))
			got++
		}
		require.Equal(t, 1, got, "a job to take")
	}

	require.NoError(t, fleet.PublishJob(ctx, js, job))
	require.NoError(t, fleet.PublishJob(ctx, js, job))
	require.EqualValues(t, 1, msgs(), "a job still queued is not queued twice")
	take()
	require.EqualValues(t, 0, msgs())
	require.NoError(t, fleet.PublishJob(ctx, js, job))
	queued, err := fleet.JobQueued(ctx, js, n)
	require.NoError(t, err)
	require.True(t, queued, "a job already taken is queued again")
	require.EqualValues(t, 1, msgs())

	take()
	require.NoError(t, fleet.RepublishJob(ctx, js, job, 7, "w"))
	require.NoError(t, fleet.RepublishJob(ctx, js, job, 7, "w"))
	require.EqualValues(t, 1, msgs(), "the same rejected result requeues once while its job waits")
	take()
	require.NoError(t, fleet.RepublishJob(ctx, js, job, 7, "w"))
	require.EqualValues(t, 1, msgs(), "and again once that job was taken")
}
