package fleet

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
	"golang.org/x/sync/errgroup"
)

// WorkerConfig configures a worker.
type WorkerConfig struct {
	// Name identifies the worker in results, logs and the node's status
	// (default: the host name and process id).
	Name string
	// Concurrency is how many jobs it proves at once.
	Concurrency int
	// KeysDir is where it keeps the keys it fetched, by circuit hash.
	KeysDir string
	// Topology creates the fleet's streams if the worker comes first. When
	// the node's topology exists, the worker takes the ack wait and the
	// delivery limit from it and changes nothing.
	Topology Topology
	// Keys are keys the worker holds already (a node's own provers): jobs
	// of their circuit use them without compiling or fetching anything.
	Keys *prover.Keys
	// Corrupt, when set, flips a byte of every proof it publishes: a test
	// hook standing for a buggy or hostile worker.
	Corrupt bool
}

// Validate fills in defaults and checks the config.
func (c *WorkerConfig) Validate() error {
	if c.Name == "" {
		host, _ := os.Hostname()
		c.Name = fmt.Sprintf("%s-%d", host, os.Getpid())
	}
	if len(c.Name) > maxWorkerName {
		return fmt.Errorf("fleet: worker name %q is longer than %d bytes", c.Name, maxWorkerName)
	}
	if c.Concurrency < 1 {
		return fmt.Errorf("fleet: worker concurrency %d (at least 1)", c.Concurrency)
	}
	if c.KeysDir == "" {
		return errors.New("fleet: worker needs a key directory")
	}
	return c.Topology.Validate()
}

// WorkerMetrics is what a worker reports.
type WorkerMetrics interface {
	// Proved records a proof and how long it took.
	Proved(d time.Duration)
	// Failed records a job it could not prove (it goes back on the queue).
	Failed()
	// DeadLettered records a job given up.
	DeadLettered()
}

// NoopWorkerMetrics discards everything.
type NoopWorkerMetrics struct{}

// Proved implements WorkerMetrics.
func (NoopWorkerMetrics) Proved(time.Duration) {}

// Failed implements WorkerMetrics.
func (NoopWorkerMetrics) Failed() {}

// DeadLettered implements WorkerMetrics.
func (NoopWorkerMetrics) DeadLettered() {}

// Worker pulls jobs from the fleet's work queue, proves them, publishes
// each proof to the results stream and acks the job. While it proves it
// tells JetStream the job is in progress, so a live job is never handed
// to a second worker; a worker that dies stops doing so, and its job goes
// to another after the ack wait.
type Worker struct {
	cfg     WorkerConfig
	js      jetstream.JetStream
	log     zerolog.Logger
	metrics WorkerMetrics

	busy    atomic.Int32 // proofs running now, for the beats
	mu      sync.Mutex
	provers map[[32]byte]*prover.Prover // by circuit hash
	cancel  context.CancelFunc
	done    chan error
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Worker)(nil)

// NewWorker returns a worker on js; Start runs it.
func NewWorker(cfg WorkerConfig, js jetstream.JetStream, log zerolog.Logger, metrics WorkerMetrics) (*Worker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if metrics == nil {
		metrics = NoopWorkerMetrics{}
	}
	return &Worker{cfg: cfg, js: js, log: log.With().Str("worker", cfg.Name).Logger(), metrics: metrics, provers: map[[32]byte]*prover.Prover{}}, nil
}

// Start ensures the topology and starts pulling jobs.
func (w *Worker) Start(ctx context.Context) error {
	cons, bucket, err := w.join(ctx)
	if err != nil {
		return err
	}
	run, cancel := context.WithCancel(context.Background())
	w.mu.Lock()
	w.cancel, w.done = cancel, make(chan error, 1)
	w.mu.Unlock()
	go func() { w.done <- w.run(run, cons, bucket) }()
	w.log.Info().Int("concurrency", w.cfg.Concurrency).Msg("prover worker started")
	return nil
}

// AckWait is how long a job waits for this worker's heartbeat: the
// node's setting once Start has joined its queue.
func (w *Worker) AckWait() time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.cfg.Topology.AckWait
}

// join opens the node's consumer and keys bucket, adopting the consumer's
// ack wait and delivery limit, or creates the topology if there is none
// yet. A worker never rewrites the node's settings.
func (w *Worker) join(ctx context.Context) (jetstream.Consumer, jetstream.ObjectStore, error) {
	cons, err := w.js.Consumer(ctx, JobsStream, WorkersConsumer)
	if errors.Is(err, jetstream.ErrStreamNotFound) || errors.Is(err, jetstream.ErrConsumerNotFound) {
		return Ensure(ctx, w.js, w.cfg.Topology)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("fleet: open the jobs consumer: %w", err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		return nil, nil, fmt.Errorf("fleet: read the jobs consumer: %w", err)
	}
	topo := w.cfg.Topology
	topo.AckWait, topo.MaxDeliver = info.Config.AckWait, info.Config.MaxDeliver
	if err := topo.Validate(); err != nil {
		return nil, nil, fmt.Errorf("fleet: the node's jobs consumer: %w", err)
	}
	w.mu.Lock()
	w.cfg.Topology = topo
	w.mu.Unlock()
	bucket, err := w.js.ObjectStore(ctx, KeysBucket)
	if err != nil {
		return nil, nil, fmt.Errorf("fleet: open the keys bucket: %w", err)
	}
	return cons, bucket, nil
}

// Stop stops pulling jobs and waits for the proofs in progress; with ctx
// cancelled it abandons them (their jobs go to another worker after the
// ack wait). It is idempotent.
func (w *Worker) Stop(ctx context.Context) error {
	w.mu.Lock()
	cancel, done := w.cancel, w.done
	w.cancel = nil
	w.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	select {
	case err := <-done:
		if errors.Is(err, context.Canceled) {
			return nil
		}
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// run pulls one job per free slot until ctx ends.
func (w *Worker) run(ctx context.Context, cons jetstream.Consumer, bucket jetstream.ObjectStore) error {
	g, gctx := errgroup.WithContext(ctx)
	g.Go(func() error { w.beat(gctx); return nil })
	for range w.cfg.Concurrency {
		g.Go(func() error {
			for gctx.Err() == nil {
				batch, err := cons.Fetch(1, jetstream.FetchMaxWait(2*time.Second))
				if err != nil {
					if gctx.Err() != nil {
						return gctx.Err()
					}
					w.log.Warn().Err(err).Msg("fetch a job")
					sleep(gctx, time.Second)
					continue
				}
				if err := w.drain(gctx, batch, bucket); err != nil {
					return err
				}
			}
			return gctx.Err()
		})
	}
	return g.Wait()
}

// beat announces the worker on BeatSubject every BeatInterval, so that
// the node lists it while it proves a long job.
func (w *Worker) beat(ctx context.Context) {
	t := time.NewTicker(BeatInterval)
	defer t.Stop()
	for {
		raw, err := Beat{Name: w.cfg.Name, Concurrency: w.cfg.Concurrency, Busy: int(w.busy.Load())}.Encode()
		if err == nil {
			err = w.js.Conn().Publish(BeatSubject, raw)
		}
		if err != nil && ctx.Err() == nil {
			w.log.Warn().Err(err).Msg("worker beat")
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// drain handles a fetched batch's messages; it returns as soon as ctx
// ends, without waiting for the fetch to expire.
func (w *Worker) drain(ctx context.Context, batch jetstream.MessageBatch, bucket jetstream.ObjectStore) error {
	msgs := batch.Messages()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case msg, ok := <-msgs:
			if !ok {
				if err := batch.Error(); err != nil && !errors.Is(err, nats.ErrTimeout) && ctx.Err() == nil {
					w.log.Warn().Err(err).Msg("fetch a job")
				}
				return nil
			}
			w.handle(ctx, msg, bucket)
		}
	}
}

// handle proves one job and acks it, or hands it back.
func (w *Worker) handle(ctx context.Context, msg jetstream.Msg, bucket jetstream.ObjectStore) {
	meta, _ := msg.Metadata()
	var job Job
	if err := job.UnmarshalBinary(msg.Data()); err != nil {
		// No worker can prove bytes that do not decode: give up on it now.
		w.deadLetter(ctx, msg, 0, err)
		return
	}
	n := job.Batch.After.BatchNumber
	log := w.log.With().Uint64("batch", n).Logger()
	if w.shouldYield(msg, meta) {
		log.Info().Uint64("delivery", deliveries(meta)).Msg("my proof of this batch was rejected; leaving it to another worker for now")
		_ = msg.NakWithDelay(yieldDelay)
		return
	}
	start := time.Now()
	log.Info().Uint64("delivery", deliveries(meta)).Msg("proving a batch")
	w.busy.Add(1)
	proofBytes, err := w.prove(ctx, msg, &job, bucket)
	w.busy.Add(-1)
	if err != nil {
		if ctx.Err() != nil {
			// Stopping: leave the job to its ack wait and another worker.
			return
		}
		w.metrics.Failed()
		if meta != nil && int(meta.NumDelivered) >= w.cfg.Topology.MaxDeliver {
			w.deadLetter(ctx, msg, n, err)
			return
		}
		log.Error().Err(err).Msg("could not prove the batch; it goes back on the queue")
		_ = msg.NakWithDelay(time.Second)
		return
	}
	took := time.Since(start)
	res := Result{BatchNumber: n, CircuitHash: job.CircuitHash, Worker: w.cfg.Name, Took: took, Proof: proofBytes}
	raw, err := res.MarshalBinary()
	if err == nil {
		// One id per delivery of a job: a publish retried after a lost
		// answer is deduplicated, a job delivered again is proven again.
		var seq uint64
		if meta != nil {
			seq = meta.Sequence.Stream
		}
		_, err = w.js.Publish(ctx, ResultSubject(n), raw, jetstream.WithMsgID(fmt.Sprintf("result-%d-%s-%d-%d", n, w.cfg.Name, seq, deliveries(meta))))
	}
	if err != nil {
		log.Error().Err(err).Msg("could not publish the proof; the job goes back on the queue")
		_ = msg.Nak()
		return
	}
	if err := msg.DoubleAck(ctx); err != nil {
		// The proof is published; a second worker proving the job again
		// only publishes the same batch's proof twice, which the node
		// takes once.
		log.Warn().Err(err).Msg("ack the job")
	}
	w.metrics.Proved(took)
	log.Info().Dur("took", took).Msg("proved a batch")
}

// yieldDelay is how long a job a worker yields stays out of the queue,
// time for a busy worker to finish and fetch it.
const yieldDelay = 5 * time.Second

// yieldDeliveries is how many deliveries of a job whose avoid list names
// this worker it hands back before it proves the job itself: a lone
// worker, or one whose proof was rejected for a passing reason, still
// proves it, and a job keeps deliveries in hand before MaxDeliver.
const yieldDeliveries = 2

// shouldYield reports whether the job names this worker in its avoid list
// (RepublishJob) and this delivery is among the first yieldDeliveries.
func (w *Worker) shouldYield(msg jetstream.Msg, meta *jetstream.MsgMetadata) bool {
	if meta == nil || int(meta.NumDelivered) > yieldDeliveries || int(meta.NumDelivered) >= w.cfg.Topology.MaxDeliver {
		return false
	}
	for _, name := range msg.Headers().Values(AvoidHeader) {
		if name == w.cfg.Name {
			return true
		}
	}
	return false
}

// prove builds the job's witness and proves it, telling JetStream the job
// is in progress every AckWait/3 meanwhile.
func (w *Worker) prove(ctx context.Context, msg jetstream.Msg, job *Job, bucket jetstream.ObjectStore) ([]byte, error) {
	beat, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		t := time.NewTicker(w.cfg.Topology.AckWait / 3)
		defer t.Stop()
		for {
			select {
			case <-beat.Done():
				return
			case <-t.C:
				if err := msg.InProgress(); err != nil {
					w.log.Warn().Err(err).Msg("job heartbeat")
				}
			}
		}
	}()
	p, err := w.proverFor(ctx, job, bucket)
	if err != nil {
		return nil, err
	}
	proof, err := p.Prove(job.Batch)
	if err != nil {
		return nil, err
	}
	raw, err := proof.SolidityBytes()
	if err != nil {
		return nil, err
	}
	if w.cfg.Corrupt {
		raw[len(raw)/2] ^= 0x01
	}
	return raw, nil
}

// proverFor returns the prover of the job's circuit: it compiles the
// circuit the job's config names, checks its hash against the job's, and
// fetches the keys once.
func (w *Worker) proverFor(ctx context.Context, job *Job, bucket jetstream.ObjectStore) (*prover.Prover, error) {
	w.mu.Lock()
	p := w.provers[job.CircuitHash]
	w.mu.Unlock()
	if p != nil {
		return p, nil
	}
	if k := w.cfg.Keys; k != nil && k.Hash == job.CircuitHash {
		return w.keep(job, k)
	}
	ccs, err := prover.CompileBatch(job.Config.Slots, job.Config.Depth)
	if err != nil {
		return nil, err
	}
	hash, err := prover.CircuitHash(ccs)
	if err != nil {
		return nil, err
	}
	if hash != job.CircuitHash {
		return nil, fmt.Errorf("%w: the job's circuit is %x, this worker compiles %x for %d slots at depth %d (another Keel version?)",
			ErrCircuitMismatch, job.CircuitHash[:8], hash[:8], job.Config.Slots, job.Config.Depth)
	}
	keys, err := FetchKeys(ctx, bucket, w.cfg.KeysDir, ccs, w.log)
	if err != nil {
		return nil, err
	}
	return w.keep(job, keys)
}

// keep makes and remembers the prover of the job's circuit.
func (w *Worker) keep(job *Job, keys *prover.Keys) (*prover.Prover, error) {
	p, err := prover.New(vm.Config{ChainID: job.Config.ChainID, Depth: job.Config.Depth, Operator: job.Config.Operator, Slots: job.Config.Slots}, keys)
	if err != nil {
		return nil, err
	}
	w.mu.Lock()
	w.provers[job.CircuitHash] = p
	w.mu.Unlock()
	return p, nil
}

// deadLetter records a job no worker can prove and takes it off the queue.
func (w *Worker) deadLetter(ctx context.Context, msg jetstream.Msg, n uint64, reason error) {
	w.metrics.DeadLettered()
	w.log.Error().Err(reason).Uint64("batch", n).Msg("giving up on a job: dead letter")
	dl := nats.NewMsg(DeadSubject(n))
	dl.Data = msg.Data()
	dl.Header.Set(HeaderReason, reason.Error())
	dl.Header.Set(HeaderWorker, w.cfg.Name)
	if _, err := w.js.PublishMsg(ctx, dl); err != nil {
		w.log.Error().Err(err).Msg("publish a dead letter; the job stays on the queue")
		_ = msg.Nak()
		return
	}
	_ = msg.Term()
}

func deliveries(meta *jetstream.MsgMetadata) uint64 {
	if meta == nil {
		return 0
	}
	return meta.NumDelivered
}

// ErrCircuitMismatch means a job names a circuit this worker does not
// compile: worker and node run different Keel versions.
var ErrCircuitMismatch = errors.New("fleet: job for another circuit")

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}

// PromWorkerMetrics exports a worker's metrics to Prometheus.
type PromWorkerMetrics struct {
	proofs, failures, dead prometheus.Counter
	duration               prometheus.Histogram
}

// NewPromWorkerMetrics registers the worker metrics on reg.
func NewPromWorkerMetrics(reg prometheus.Registerer) (*PromWorkerMetrics, error) {
	m := &PromWorkerMetrics{
		proofs:   prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet_worker", Name: "proofs_total", Help: "Jobs proved and acked."}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet_worker", Name: "failures_total", Help: "Jobs this worker could not prove (handed back)."}),
		dead:     prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet_worker", Name: "dead_letters_total", Help: "Jobs given up as dead letters."}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "keel", Subsystem: "fleet_worker", Name: "prove_seconds", Help: "Time to prove one job.", Buckets: prometheus.ExponentialBuckets(0.5, 2, 10)}),
	}
	for _, c := range []prometheus.Collector{m.proofs, m.failures, m.dead, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("fleet: register worker metrics: %w", err)
		}
	}
	return m, nil
}

// Proved implements WorkerMetrics.
func (m *PromWorkerMetrics) Proved(d time.Duration) { m.proofs.Inc(); m.duration.Observe(d.Seconds()) }

// Failed implements WorkerMetrics.
func (m *PromWorkerMetrics) Failed() { m.failures.Inc() }

// DeadLettered implements WorkerMetrics.
func (m *PromWorkerMetrics) DeadLettered() { m.dead.Inc() }
