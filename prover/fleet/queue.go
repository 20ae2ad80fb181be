package fleet

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// The JetStream topology of the fleet. Jobs are a work-queue stream: each
// message is delivered to one worker at a time and removed when acked.
// Results and dead letters are plain limit streams the node reads.
const (
	// JobsStream holds one message per sealed batch, subject
	// keel.jobs.<batch number>.
	JobsStream = "KEEL_JOBS"
	// ResultsStream holds the proofs, subject keel.results.<batch number>.
	ResultsStream = "KEEL_RESULTS"
	// DeadStream holds jobs no worker could prove, subject
	// keel.dead.<batch number>, with the reason in a header.
	DeadStream = "KEEL_DEAD"
	// KeysBucket is the object store of proving and verifying keys, one
	// pair of objects per circuit hash.
	KeysBucket = "KEEL_KEYS"
	// WorkersConsumer is the durable pull consumer all workers share.
	WorkersConsumer = "provers"

	jobsSubjects    = "keel.jobs.>"
	resultsSubjects = "keel.results.>"
	deadSubjects    = "keel.dead.>"

	// HeaderReason carries a dead letter's reason.
	HeaderReason = "Keel-Reason"
	// HeaderWorker names the worker that dead-lettered a job.
	HeaderWorker = "Keel-Worker"
)

// Topology sets the consumer's redelivery rules and the streams' replica
// count. The zero value is not valid; see DefaultTopology.
type Topology struct {
	// Replicas is each stream's replica count: 1 on one server, 3 on a
	// three-server cluster.
	Replicas int
	// AckWait is how long a job stays with a worker that sends no
	// heartbeat before JetStream hands it to another. Workers send one
	// every AckWait/3 while proving.
	AckWait time.Duration
	// MaxDeliver is how many times a job is handed out before it is given
	// up as a dead letter.
	MaxDeliver int
	// ResultsMaxAge is how long results and dead letters are kept.
	ResultsMaxAge time.Duration
}

// DefaultTopology is one server, a 30 s ack wait, five deliveries, and a
// week of results.
func DefaultTopology() Topology {
	return Topology{Replicas: 1, AckWait: 30 * time.Second, MaxDeliver: 5, ResultsMaxAge: 7 * 24 * time.Hour}
}

// Validate checks the topology.
func (t Topology) Validate() error {
	switch {
	case t.Replicas < 1 || t.Replicas > 5:
		return fmt.Errorf("fleet: %d stream replicas (1..5; 3 on a three-server cluster)", t.Replicas)
	case t.AckWait < time.Second:
		return fmt.Errorf("fleet: ack wait %v is below a second", t.AckWait)
	case t.MaxDeliver < 1:
		return fmt.Errorf("fleet: max deliver %d (at least 1)", t.MaxDeliver)
	case t.ResultsMaxAge <= 0:
		return fmt.Errorf("fleet: results max age %v", t.ResultsMaxAge)
	}
	return nil
}

// Ensure creates or updates the streams, the workers' consumer and the
// keys bucket. The node and every worker call it at start; it is
// idempotent, so whoever comes first creates the topology.
func Ensure(ctx context.Context, js jetstream.JetStream, t Topology) (jetstream.Consumer, jetstream.ObjectStore, error) {
	if err := t.Validate(); err != nil {
		return nil, nil, err
	}
	for _, sc := range []jetstream.StreamConfig{
		{Name: JobsStream, Subjects: []string{jobsSubjects}, Retention: jetstream.WorkQueuePolicy, Storage: jetstream.FileStorage, Replicas: t.Replicas,
			// A job republished after a node restart is the same message.
			Duplicates: 24 * time.Hour},
		{Name: ResultsStream, Subjects: []string{resultsSubjects}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage, Replicas: t.Replicas, MaxAge: t.ResultsMaxAge},
		{Name: DeadStream, Subjects: []string{deadSubjects}, Retention: jetstream.LimitsPolicy, Storage: jetstream.FileStorage, Replicas: t.Replicas, MaxAge: t.ResultsMaxAge},
	} {
		if _, err := js.CreateOrUpdateStream(ctx, sc); err != nil {
			return nil, nil, fmt.Errorf("fleet: stream %s: %w", sc.Name, err)
		}
	}
	cons, err := js.CreateOrUpdateConsumer(ctx, JobsStream, jetstream.ConsumerConfig{
		Durable:    WorkersConsumer,
		AckPolicy:  jetstream.AckExplicitPolicy,
		AckWait:    t.AckWait,
		MaxDeliver: t.MaxDeliver,
	})
	if err != nil {
		return nil, nil, fmt.Errorf("fleet: consumer %s: %w", WorkersConsumer, err)
	}
	keys, err := js.CreateOrUpdateObjectStore(ctx, jetstream.ObjectStoreConfig{Bucket: KeysBucket, Storage: jetstream.FileStorage, Replicas: t.Replicas,
		Description: "Keel Groth16 proving and verifying keys, by circuit hash"})
	if err != nil {
		return nil, nil, fmt.Errorf("fleet: keys bucket: %w", err)
	}
	return cons, keys, nil
}

// JobSubject is the subject of batch n's job.
func JobSubject(n uint64) string { return fmt.Sprintf("keel.jobs.%d", n) }

// ResultSubject is the subject of batch n's proof.
func ResultSubject(n uint64) string { return fmt.Sprintf("keel.results.%d", n) }

// DeadSubject is the subject of batch n's dead letter.
func DeadSubject(n uint64) string { return fmt.Sprintf("keel.dead.%d", n) }

// jobMsgID deduplicates a job: the same batch for the same circuit is the
// same job, however often a restarted node publishes it.
func jobMsgID(n uint64, circuit [32]byte) string {
	return fmt.Sprintf("job-%d-%s", n, hex.EncodeToString(circuit[:8]))
}

// PublishJob queues job for the workers. Publishing the same batch again
// (a node restarted before it saw the proof) is deduplicated by JetStream
// while the first copy is still on the queue (see publishJob).
func PublishJob(ctx context.Context, js jetstream.JetStream, job *Job) error {
	raw, err := job.MarshalBinary()
	if err != nil {
		return err
	}
	n := job.Batch.After.BatchNumber
	msg := &nats.Msg{Subject: JobSubject(n), Data: raw, Header: nats.Header{}}
	if err := publishJob(ctx, js, n, msg, jobMsgID(n, job.CircuitHash)); err != nil {
		return fmt.Errorf("fleet: publish job for batch %d: %w", n, err)
	}
	return nil
}

// AvoidHeader is the header of a republished job that names a worker
// whose proof of the batch was rejected, once per such worker.
const AvoidHeader = "Keel-Avoid"

// RepublishJob queues job again after its result was rejected. The
// message id names the rejected result (its sequence in the results
// stream), so a node that reads the same result again after a restart
// does not queue the job twice.
//
// avoid names the workers whose proofs of the batch were rejected. A job
// handed back to the queue goes to whichever worker fetches first, and
// that is most often the worker that just failed it, since it is the one
// that has just become free: a worker with a broken key cache or bad
// memory would hold the batch, and every batch after it, forever. So a
// worker named in avoid hands the job back a few times first (see
// Worker.handle), and another worker gets to prove it; it proves the job
// itself only when no other worker took it meanwhile.
func RepublishJob(ctx context.Context, js jetstream.JetStream, job *Job, rejected uint64, avoid ...string) error {
	raw, err := job.MarshalBinary()
	if err != nil {
		return err
	}
	n := job.Batch.After.BatchNumber
	msg := &nats.Msg{Subject: JobSubject(n), Data: raw, Header: nats.Header{}}
	for _, w := range avoid {
		msg.Header.Add(AvoidHeader, w)
	}
	if err := publishJob(ctx, js, n, msg, fmt.Sprintf("%s-retry-%d", jobMsgID(n, job.CircuitHash), rejected)); err != nil {
		return fmt.Errorf("fleet: republish job for batch %d: %w", n, err)
	}
	return nil
}

// publishJob publishes msg under id. JetStream drops a message whose id
// it has seen in its deduplication window, which is right while the
// first copy is still on the queue, and wrong once a worker has taken
// and acked it: a corrupt proof, or one the node never read before it
// was killed, leaves the batch with neither a job nor a proof. So a
// duplicate whose batch has no job on the queue is published again
// under a fresh id, at once, rather than found by the stall check an ack
// wait or two later, one batch at a time.
func publishJob(ctx context.Context, js jetstream.JetStream, n uint64, msg *nats.Msg, id string) error {
	ack, err := js.PublishMsg(ctx, msg, jetstream.WithMsgID(id))
	if err != nil || !ack.Duplicate {
		return err
	}
	queued, err := JobQueued(ctx, js, n)
	if err != nil || queued {
		return err
	}
	_, err = js.PublishMsg(ctx, msg, jetstream.WithMsgID(fmt.Sprintf("%s-again-%d", id, time.Now().UnixNano())))
	return err
}

// QueueStats is the work queue as JetStream sees it.
type QueueStats struct {
	// Queued jobs wait for a worker; InFlight ones are with a worker now.
	Queued, InFlight int
	// Redelivered counts the jobs in flight that were handed out before:
	// their first worker died, hung, or failed to prove them.
	Redelivered int
	// DeadLetters is how many dead letters the dead-letter stream keeps.
	DeadLetters uint64
}

// Stats reads the work queue's and the dead letters' state.
func Stats(ctx context.Context, js jetstream.JetStream) (QueueStats, error) {
	cons, err := js.Consumer(ctx, JobsStream, WorkersConsumer)
	if err != nil {
		return QueueStats{}, fmt.Errorf("fleet: jobs consumer: %w", err)
	}
	ci, err := cons.Info(ctx)
	if err != nil {
		return QueueStats{}, fmt.Errorf("fleet: jobs consumer: %w", err)
	}
	dead, err := js.Stream(ctx, DeadStream)
	if err != nil {
		return QueueStats{}, fmt.Errorf("fleet: dead letters: %w", err)
	}
	di, err := dead.Info(ctx)
	if err != nil {
		return QueueStats{}, fmt.Errorf("fleet: dead letters: %w", err)
	}
	return QueueStats{Queued: int(ci.NumPending), InFlight: ci.NumAckPending, Redelivered: ci.NumRedelivered, DeadLetters: di.State.Msgs}, nil
}

// JobQueued reports whether batch n's job is on the work queue, waiting
// or with a worker. A proven job is acked and so gone.
func JobQueued(ctx context.Context, js jetstream.JetStream, n uint64) (bool, error) {
	stream, err := js.Stream(ctx, JobsStream)
	if err != nil {
		return false, fmt.Errorf("fleet: jobs stream: %w", err)
	}
	_, err = stream.GetLastMsgForSubject(ctx, JobSubject(n))
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("fleet: look up batch %d's job: %w", n, err)
	}
	return true, nil
}

// RequeueStalled queues job again when its batch has neither a proof nor
// a job on the queue: the job went to the dead letters, or the queue lost
// it. The message id is new every time, so deduplication cannot swallow it.
func RequeueStalled(ctx context.Context, js jetstream.JetStream, job *Job) error {
	raw, err := job.MarshalBinary()
	if err != nil {
		return err
	}
	n := job.Batch.After.BatchNumber
	id := fmt.Sprintf("%s-stalled-%d", jobMsgID(n, job.CircuitHash), time.Now().UnixNano())
	if _, err := js.Publish(ctx, JobSubject(n), raw, jetstream.WithMsgID(id)); err != nil {
		return fmt.Errorf("fleet: requeue batch %d's job: %w", n, err)
	}
	return nil
}
