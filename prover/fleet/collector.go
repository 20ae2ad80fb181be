package fleet

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/consensys/gnark/backend/groth16"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
)

// CollectorMetrics is what the node's side of the fleet reports.
type CollectorMetrics interface {
	// Accepted records a verified proof from worker, which took d.
	Accepted(worker string, d time.Duration)
	// Rejected records a result that failed its checks, from worker ("" if
	// the result did not decode).
	Rejected(worker string)
	// DeadLettered records a job JetStream gave up on after MaxDeliver
	// deliveries without an ack (its workers died or hung).
	DeadLettered()
}

// NoopCollectorMetrics discards everything.
type NoopCollectorMetrics struct{}

// Accepted implements CollectorMetrics.
func (NoopCollectorMetrics) Accepted(string, time.Duration) {}

// Rejected implements CollectorMetrics.
func (NoopCollectorMetrics) Rejected(string) {}

// DeadLettered implements CollectorMetrics.
func (NoopCollectorMetrics) DeadLettered() {}

// CollectorConfig is what the collector checks results against.
type CollectorConfig struct {
	// Operator is the fee account the batches' commitments bind.
	Operator uint32
	// CircuitHash and VK are the node's circuit and verifying key.
	CircuitHash [32]byte
	VK          groth16.VerifyingKey
	// Batch returns the node's own sealed batch n (the commitment a proof
	// must prove is computed from it), or an error if it has none.
	Batch func(n uint64) (*vm.SealedBatch, error)
	// Requeue is called with a batch whose result was rejected, so that
	// its job goes back on the queue. rejected is the rejected result's
	// sequence in the results stream, for RepublishJob's message id;
	// avoid names the workers whose proofs of the batch were rejected, so
	// that the job goes to another worker first (see RepublishJob).
	Requeue func(ctx context.Context, n uint64, rejected uint64, avoid []string) error
}

// Collector is the node's side of the results stream. It reads every
// result, verifies each proof against the node's verifying key and the
// commitment of the node's own batch, keeps the valid ones until the node
// takes them, and drops the rest: counted, logged with the worker's name,
// and their jobs requeued. Results stay in their stream (ResultsStream,
// kept for ResultsMaxAge), so a restarted node reads every proof already
// published again instead of proving it again.
//
// Proofs arrive in any order, as workers finish; the node takes them in
// batch order with Proof, which is what keeps L1 submission strictly in
// order however many batches are proven at once.
type Collector struct {
	cfg     CollectorConfig
	js      jetstream.JetStream
	log     zerolog.Logger
	metrics CollectorMetrics

	roster   *Roster
	mu       sync.Mutex
	proofs   map[uint64]*prover.Proof
	waiters  map[uint64][]chan struct{}
	failedBy map[uint64]map[string]struct{} // workers whose results of a batch were rejected
	// floor is the last batch the node has taken: results up to it are
	// skipped unread (a restarted node replays a week of them).
	floor    uint64
	caughtUp chan struct{}
	subs     []*nats.Subscription
	cancel   context.CancelFunc
	done     chan struct{}
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Collector)(nil)

// NewCollector returns a collector; Start runs it.
func NewCollector(cfg CollectorConfig, js jetstream.JetStream, log zerolog.Logger, metrics CollectorMetrics) (*Collector, error) {
	if cfg.VK == nil || cfg.Batch == nil || cfg.Requeue == nil {
		return nil, errors.New("fleet: collector needs a verifying key, the node's batches and a requeue function")
	}
	if metrics == nil {
		metrics = NoopCollectorMetrics{}
	}
	return &Collector{cfg: cfg, js: js, log: log.With().Str("component", "fleet-collector").Logger(), metrics: metrics,
		roster: NewRoster(), proofs: map[uint64]*prover.Proof{}, waiters: map[uint64][]chan struct{}{}, failedBy: map[uint64]map[string]struct{}{}}, nil
}

// Roster is the collector's view of the workers: their beats and the
// proofs it accepted from each.
func (c *Collector) Roster() *Roster { return c.roster }

// Start reads the results stream from its start, the workers' beats and
// JetStream's max-deliveries advisories, in the background.
func (c *Collector) Start(ctx context.Context) error {
	stream, err := c.js.Stream(ctx, ResultsStream)
	if err != nil {
		return fmt.Errorf("fleet: results stream: %w", err)
	}
	info, err := stream.Info(ctx)
	if err != nil {
		return fmt.Errorf("fleet: results stream: %w", err)
	}
	cons, err := c.js.OrderedConsumer(ctx, ResultsStream, jetstream.OrderedConsumerConfig{})
	if err != nil {
		return fmt.Errorf("fleet: read results: %w", err)
	}
	run, cancel := context.WithCancel(context.Background())
	nc := c.js.Conn()
	beats, err := nc.Subscribe(BeatSubject, func(m *nats.Msg) {
		b, err := DecodeBeat(m.Data)
		if err != nil {
			c.log.Warn().Err(err).Msg("dropped a worker beat")
			return
		}
		c.roster.Beat(b)
	})
	if err != nil {
		cancel()
		return fmt.Errorf("fleet: subscribe to worker beats: %w", err)
	}
	advisories, err := nc.Subscribe(maxDeliveriesAdvisory, func(m *nats.Msg) { c.deadLetter(run, m.Data) })
	if err != nil {
		cancel()
		_ = beats.Unsubscribe()
		return fmt.Errorf("fleet: subscribe to delivery advisories: %w", err)
	}
	c.mu.Lock()
	c.cancel, c.done, c.subs = cancel, make(chan struct{}), []*nats.Subscription{beats, advisories}
	c.caughtUp = make(chan struct{})
	if info.State.LastSeq == 0 {
		close(c.caughtUp)
	}
	c.mu.Unlock()
	go c.run(run, cons, info.State.LastSeq)
	return nil
}

// CaughtUp is closed once the collector has read every result that was in
// the stream when it started: from then on, a batch it has no proof of
// was not proven before the node's restart.
func (c *Collector) CaughtUp() <-chan struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.caughtUp
}

// Has reports whether the collector holds batch n's verified proof.
func (c *Collector) Has(n uint64) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.proofs[n] != nil
}

// maxDeliveriesAdvisory is what JetStream publishes when a job has been
// delivered MaxDeliver times without an ack: its workers died or hung on
// it, and JetStream will not hand it out again.
const maxDeliveriesAdvisory = "$JS.EVENT.ADVISORY.CONSUMER.MAX_DELIVERIES." + JobsStream + "." + WorkersConsumer

// deadLetter moves a job JetStream gave up on to the dead-letter stream
// and takes it off the work queue, so that the node can queue its batch
// again (Node's stall check) and the operator sees what happened.
func (c *Collector) deadLetter(ctx context.Context, raw []byte) {
	var adv struct {
		StreamSeq  uint64 `json:"stream_seq"`
		Deliveries uint64 `json:"deliveries"`
	}
	if err := json.Unmarshal(raw, &adv); err != nil || adv.StreamSeq == 0 {
		c.log.Warn().Err(err).Msg("dropped a max-deliveries advisory that does not decode")
		return
	}
	stream, err := c.js.Stream(ctx, JobsStream)
	if err != nil {
		c.log.Error().Err(err).Msg("dead-letter a job")
		return
	}
	msg, err := stream.GetMsg(ctx, adv.StreamSeq)
	if err != nil {
		c.log.Error().Err(err).Uint64("seq", adv.StreamSeq).Msg("dead-letter a job: read it")
		return
	}
	var n uint64
	if _, err := fmt.Sscanf(msg.Subject, "keel.jobs.%d", &n); err != nil {
		c.log.Error().Str("subject", msg.Subject).Msg("dead-letter a job: not a job subject")
		return
	}
	reason := fmt.Sprintf("delivered %d times without a proof (workers died or hung on it)", adv.Deliveries)
	dl := nats.NewMsg(DeadSubject(n))
	dl.Data = msg.Data
	dl.Header.Set(HeaderReason, reason)
	if _, err := c.js.PublishMsg(ctx, dl); err != nil {
		c.log.Error().Err(err).Uint64("batch", n).Msg("dead-letter a job: publish")
		return
	}
	if err := stream.DeleteMsg(ctx, adv.StreamSeq); err != nil && !errors.Is(err, jetstream.ErrMsgNotFound) {
		c.log.Error().Err(err).Uint64("batch", n).Msg("dead-letter a job: take it off the queue")
	}
	c.metrics.DeadLettered()
	c.log.Error().Uint64("batch", n).Str("reason", reason).Msg("a job went to the dead letters")
}

// Stop stops reading results. It is idempotent.
func (c *Collector) Stop(ctx context.Context) error {
	c.mu.Lock()
	cancel, done, subs := c.cancel, c.done, c.subs
	c.cancel, c.subs = nil, nil
	c.mu.Unlock()
	if cancel == nil {
		return nil
	}
	cancel()
	for _, s := range subs {
		_ = s.Unsubscribe()
	}
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (c *Collector) run(ctx context.Context, cons jetstream.Consumer, lastAtStart uint64) {
	defer close(c.done)
	caughtUp := lastAtStart == 0
	for ctx.Err() == nil {
		msg, err := cons.Next(jetstream.FetchMaxWait(2 * time.Second))
		if err != nil {
			if !errors.Is(err, jetstream.ErrNoMessages) && !errors.Is(err, nats.ErrTimeout) && !errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
				c.log.Warn().Err(err).Msg("read a result")
				sleep(ctx, time.Second)
			}
			continue
		}
		var seq uint64
		if meta, err := msg.Metadata(); err == nil {
			seq = meta.Sequence.Stream
		}
		c.take(ctx, msg.Data(), seq)
		if meta, err := msg.Metadata(); !caughtUp && err == nil && meta.Sequence.Stream >= lastAtStart {
			caughtUp = true
			c.mu.Lock()
			close(c.caughtUp)
			c.mu.Unlock()
		}
	}
}

// take checks one result and keeps it, or rejects it.
func (c *Collector) take(ctx context.Context, raw []byte, seq uint64) {
	var r Result
	if err := r.UnmarshalBinary(raw); err != nil {
		c.metrics.Rejected("")
		c.roster.Rejected("")
		c.log.Warn().Err(err).Msg("dropped a result that does not decode")
		return
	}
	log := c.log.With().Uint64("batch", r.BatchNumber).Str("worker", r.Worker).Logger()
	c.mu.Lock()
	_, have := c.proofs[r.BatchNumber]
	taken := r.BatchNumber <= c.floor
	c.mu.Unlock()
	if have || taken {
		return // a second proof of a batch already proven
	}
	proof, err := c.check(&r)
	if err != nil {
		c.metrics.Rejected(r.Worker)
		c.roster.Rejected(r.Worker)
		log.Error().Err(err).Msg("rejected a proof result; its job goes back on the queue")
		if errors.Is(err, errUnknownBatch) {
			return
		}
		c.mu.Lock()
		if c.failedBy[r.BatchNumber] == nil {
			c.failedBy[r.BatchNumber] = map[string]struct{}{}
		}
		c.failedBy[r.BatchNumber][r.Worker] = struct{}{}
		avoid := make([]string, 0, len(c.failedBy[r.BatchNumber]))
		for w := range c.failedBy[r.BatchNumber] {
			avoid = append(avoid, w)
		}
		c.mu.Unlock()
		sort.Strings(avoid)
		if err := c.cfg.Requeue(ctx, r.BatchNumber, seq, avoid); err != nil && ctx.Err() == nil {
			log.Error().Err(err).Msg("requeue the job")
		}
		return
	}
	c.metrics.Accepted(r.Worker, r.Took)
	c.roster.Accepted(r.Worker, r.Took)
	log.Debug().Dur("took", r.Took).Msg("accepted a proof")
	c.mu.Lock()
	c.proofs[r.BatchNumber] = proof
	for _, w := range c.waiters[r.BatchNumber] {
		close(w)
	}
	delete(c.waiters, r.BatchNumber)
	c.mu.Unlock()
}

var errUnknownBatch = errors.New("fleet: result for a batch this node has not sealed")

// check verifies a result against the node's key and its own batch.
func (c *Collector) check(r *Result) (*prover.Proof, error) {
	if r.CircuitHash != c.cfg.CircuitHash {
		return nil, fmt.Errorf("%w: proved with circuit %x, the node's is %x", prover.ErrInvalidProof, r.CircuitHash[:8], c.cfg.CircuitHash[:8])
	}
	sb, err := c.cfg.Batch(r.BatchNumber)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", errUnknownBatch, err)
	}
	proof, err := prover.ProofFromSolidity(r.Proof, r.BatchNumber, sb.Commitment(c.cfg.Operator))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", prover.ErrInvalidProof, err)
	}
	if err := prover.Verify(c.cfg.VK, proof); err != nil {
		return nil, err
	}
	return proof, nil
}

// Proof waits for batch n's verified proof, or for ctx to end.
func (c *Collector) Proof(ctx context.Context, n uint64) (*prover.Proof, error) {
	c.mu.Lock()
	if p := c.proofs[n]; p != nil {
		c.mu.Unlock()
		return p, nil
	}
	w := make(chan struct{})
	c.waiters[n] = append(c.waiters[n], w)
	c.mu.Unlock()
	select {
	case <-w:
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.proofs[n], nil
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// Forget drops the proofs of batches up to n, once the node has taken
// them, and skips any later result for them.
func (c *Collector) Forget(n uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.floor = max(c.floor, n)
	for b := range c.proofs {
		if b <= n {
			delete(c.proofs, b)
		}
	}
	for b := range c.failedBy {
		if b <= n {
			delete(c.failedBy, b)
		}
	}
}

// PromCollectorMetrics exports the collector's metrics to Prometheus:
// proofs and proving time per worker, rejected results per worker.
type PromCollectorMetrics struct {
	accepted *prometheus.CounterVec
	rejected *prometheus.CounterVec
	took     *prometheus.HistogramVec
	dead     prometheus.Counter
}

// NewPromCollectorMetrics registers the collector's metrics on reg.
func NewPromCollectorMetrics(reg prometheus.Registerer) (*PromCollectorMetrics, error) {
	m := &PromCollectorMetrics{
		accepted: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet", Name: "proofs_accepted_total", Help: "Verified proofs, by worker."}, []string{"worker"}),
		rejected: prometheus.NewCounterVec(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet", Name: "proofs_rejected_total", Help: "Results that failed verification or did not decode, by worker."}, []string{"worker"}),
		took:     prometheus.NewHistogramVec(prometheus.HistogramOpts{Namespace: "keel", Subsystem: "fleet", Name: "prove_seconds", Help: "Proving time reported with each accepted proof, by worker.", Buckets: prometheus.ExponentialBuckets(0.5, 2, 10)}, []string{"worker"}),
		dead:     prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "fleet", Name: "max_deliveries_total", Help: "Jobs JetStream gave up on after MaxDeliver deliveries without an ack, moved to the dead letters by the node."}),
	}
	for _, col := range []prometheus.Collector{m.accepted, m.rejected, m.took, m.dead} {
		if err := reg.Register(col); err != nil {
			return nil, fmt.Errorf("fleet: register collector metrics: %w", err)
		}
	}
	return m, nil
}

// Accepted implements CollectorMetrics.
func (m *PromCollectorMetrics) Accepted(worker string, d time.Duration) {
	m.accepted.WithLabelValues(worker).Inc()
	m.took.WithLabelValues(worker).Observe(d.Seconds())
}

// Rejected implements CollectorMetrics.
func (m *PromCollectorMetrics) Rejected(worker string) { m.rejected.WithLabelValues(worker).Inc() }

// DeadLettered implements CollectorMetrics.
func (m *PromCollectorMetrics) DeadLettered() { m.dead.Inc() }
