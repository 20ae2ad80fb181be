package prover

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/keel-rollup/keel/vm"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/rs/zerolog"
)

// Queue hands the prover sealed batches and takes back their proofs. The
// sequencer serves it in-process (MemQueue); a remote worker can serve the
// same three calls over the node's RPC, since every argument is plain data.
type Queue interface {
	// Next blocks until a batch needs proving, or ctx ends.
	Next(ctx context.Context) (*vm.SealedBatch, error)
	// Done delivers a batch's proof.
	Done(ctx context.Context, proof *Proof) error
	// Failed reports a batch that could not be proven; the queue decides
	// whether to hand it out again.
	Failed(ctx context.Context, batch uint64, err error) error
}

// BatchProver proves one batch; *Prover is the real one.
type BatchProver interface {
	Prove(sb *vm.SealedBatch) (*Proof, error)
}

// Metrics is what the service reports.
type Metrics interface {
	// Proved records a proof and how long it took.
	Proved(d time.Duration)
	// Failed records a batch that could not be proven.
	Failed()
}

// NoopMetrics discards everything; for tests and tools.
type NoopMetrics struct{}

func (NoopMetrics) Proved(time.Duration) {}
func (NoopMetrics) Failed()              {}

// PromMetrics exports the service's metrics to Prometheus.
type PromMetrics struct {
	proofs   prometheus.Counter
	failures prometheus.Counter
	duration prometheus.Histogram
}

// NewPromMetrics registers the prover metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		proofs:   prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "prover", Name: "proofs_total", Help: "Batches proven."}),
		failures: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "prover", Name: "failures_total", Help: "Batches that could not be proven."}),
		duration: prometheus.NewHistogram(prometheus.HistogramOpts{Namespace: "keel", Subsystem: "prover", Name: "prove_seconds", Help: "Time to prove one batch.", Buckets: prometheus.ExponentialBuckets(0.5, 2, 10)}),
	}
	for _, c := range []prometheus.Collector{m.proofs, m.failures, m.duration} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("prover: register metrics: %w", err)
		}
	}
	return m, nil
}

func (m *PromMetrics) Proved(d time.Duration) { m.proofs.Inc(); m.duration.Observe(d.Seconds()) }
func (m *PromMetrics) Failed()                { m.failures.Inc() }

// Service proves batches from a queue, one at a time: a proof uses every
// core, so two at once would only halve each other's speed.
type Service struct {
	prover  BatchProver
	queue   Queue
	log     zerolog.Logger
	metrics Metrics

	// retryDelay is the pause after a failed proof.
	retryDelay time.Duration

	mu      sync.Mutex
	started bool
	cancel  context.CancelFunc
	done    chan struct{}
}

var _ interface {
	Start(context.Context) error
	Stop(context.Context) error
} = (*Service)(nil)

// NewService returns a service proving batches from q with p.
func NewService(p BatchProver, q Queue, log zerolog.Logger, m Metrics) *Service {
	if m == nil {
		m = NoopMetrics{}
	}
	return &Service{prover: p, queue: q, log: log.With().Str("component", "prover").Logger(), metrics: m, retryDelay: time.Second}
}

// ErrStarted means Start was called twice.
var ErrStarted = errors.New("prover: service already started")

// Start launches the proving loop. ctx bounds only the start itself.
func (s *Service) Start(ctx context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.started {
		return ErrStarted
	}
	loopCtx, cancel := context.WithCancel(context.Background())
	s.started, s.cancel, s.done = true, cancel, make(chan struct{})
	go s.loop(loopCtx)
	s.log.Info().Msg("prover started")
	return nil
}

// Stop ends the loop. It waits for the proof in flight to finish and be
// delivered; a cancelled ctx means hurry: Stop returns at once and the
// proof in flight is dropped when it completes (its batch stays queued).
// Stop is idempotent.
func (s *Service) Stop(ctx context.Context) error {
	s.mu.Lock()
	if !s.started {
		s.mu.Unlock()
		return nil
	}
	cancel, done := s.cancel, s.done
	s.mu.Unlock()
	cancel()
	select {
	case <-done:
		s.log.Info().Msg("prover stopped")
		return nil
	case <-ctx.Done():
		return fmt.Errorf("prover: stop: %w (a proof in flight was abandoned)", ctx.Err())
	}
}

func (s *Service) loop(ctx context.Context) {
	defer close(s.done)
	for {
		sb, err := s.queue.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			s.log.Error().Err(err).Msg("prover queue; retrying in a second")
			select {
			case <-time.After(time.Second):
				continue
			case <-ctx.Done():
				return
			}
		}
		n := sb.After.BatchNumber
		start := time.Now()
		proof, err := s.prover.Prove(sb)
		if err != nil {
			s.metrics.Failed()
			s.log.Error().Err(err).Uint64("batch", n).Msg("proving failed")
			if ferr := s.queue.Failed(context.Background(), n, err); ferr != nil {
				s.log.Error().Err(ferr).Uint64("batch", n).Msg("reporting the failure")
			}
			// Back off, so a batch that always fails does not spin a core.
			select {
			case <-time.After(s.retryDelay):
				continue
			case <-ctx.Done():
				return
			}
		}
		took := time.Since(start)
		s.metrics.Proved(took)
		s.log.Info().Uint64("batch", n).Dur("took", took).Msg("batch proven")
		// Delivery is not cut short by Stop: a finished proof is worth
		// keeping. The queue bounds its own blocking.
		if err := s.queue.Done(context.Background(), proof); err != nil {
			s.log.Error().Err(err).Uint64("batch", n).Msg("delivering proof")
		}
	}
}

// MemQueue is an in-process Queue: batches go in with Push, proofs come out
// of Proofs. A failed batch goes back to the front, so batches are proven
// in order and none is dropped.
type MemQueue struct {
	mu       sync.Mutex
	pending  []*vm.SealedBatch
	inflight map[uint64]*vm.SealedBatch
	fails    map[uint64]int
	wake     chan struct{}
	proofs   chan *Proof
}

// NewMemQueue returns a queue whose proof channel holds up to buffer proofs.
func NewMemQueue(buffer int) *MemQueue {
	return &MemQueue{
		inflight: map[uint64]*vm.SealedBatch{},
		fails:    map[uint64]int{},
		wake:     make(chan struct{}, 1),
		proofs:   make(chan *Proof, buffer),
	}
}

func (q *MemQueue) signal() {
	select {
	case q.wake <- struct{}{}:
	default:
	}
}

// Push queues a sealed batch.
func (q *MemQueue) Push(sb *vm.SealedBatch) {
	q.mu.Lock()
	q.pending = append(q.pending, sb)
	q.mu.Unlock()
	q.signal()
}

// Proofs delivers proofs in the order they are made.
func (q *MemQueue) Proofs() <-chan *Proof { return q.proofs }

// Failures returns how often batch n has failed.
func (q *MemQueue) Failures(n uint64) int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.fails[n]
}

// Next implements Queue.
func (q *MemQueue) Next(ctx context.Context) (*vm.SealedBatch, error) {
	for {
		q.mu.Lock()
		if len(q.pending) > 0 {
			sb := q.pending[0]
			q.pending = q.pending[1:]
			q.inflight[sb.After.BatchNumber] = sb
			q.mu.Unlock()
			return sb, nil
		}
		q.mu.Unlock()
		select {
		case <-q.wake:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Done implements Queue.
func (q *MemQueue) Done(ctx context.Context, p *Proof) error {
	q.mu.Lock()
	delete(q.inflight, p.BatchNumber)
	q.mu.Unlock()
	select {
	case q.proofs <- p:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Failed implements Queue: the batch goes back to the front.
func (q *MemQueue) Failed(ctx context.Context, n uint64, err error) error {
	q.mu.Lock()
	q.fails[n]++
	sb, ok := q.inflight[n]
	delete(q.inflight, n)
	if ok {
		q.pending = append([]*vm.SealedBatch{sb}, q.pending...)
	}
	q.mu.Unlock()
	if !ok {
		return fmt.Errorf("prover: batch %d was not in flight", n)
	}
	q.signal()
	return nil
}
