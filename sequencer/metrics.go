package sequencer

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics receives the sequencer's measurements. NoopMetrics discards them;
// PromMetrics exports them to Prometheus.
type Metrics interface {
	// TxAccepted counts a transaction acknowledged by SendTransaction.
	TxAccepted()
	// AdmissionChecked observes one admission's batch signature check:
	// how many signatures it held and how many failed.
	AdmissionChecked(sigs, bad int)
	// TxSequenced counts a transaction or deposit applied to a batch.
	TxSequenced()
	// TxRejected counts an acknowledged transaction that did not execute.
	TxRejected()
	// BatchSealed observes a sealed batch: its transactions and how long
	// sealing and committing took.
	BatchSealed(txs int, took time.Duration)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

func (NoopMetrics) TxAccepted()                    {}
func (NoopMetrics) AdmissionChecked(int, int)      {}
func (NoopMetrics) TxSequenced()                   {}
func (NoopMetrics) TxRejected()                    {}
func (NoopMetrics) BatchSealed(int, time.Duration) {}

// PromMetrics exports the sequencer's metrics under keel_sequencer_*.
type PromMetrics struct {
	accepted, sequenced, rejected prometheus.Counter
	batches                       prometheus.Counter
	batchTxs                      prometheus.Histogram
	sealTime                      prometheus.Histogram
	sigBatch                      prometheus.Histogram
	badSigs                       prometheus.Counter
}

// NewPromMetrics registers the sequencer's metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		accepted:  prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sequencer_txs_accepted_total", Help: "Transactions acknowledged (durable)."}),
		sequenced: prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sequencer_txs_sequenced_total", Help: "Transactions and deposits executed in a batch."}),
		rejected:  prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sequencer_txs_rejected_total", Help: "Acknowledged transactions that did not execute."}),
		batches:   prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sequencer_batches_sealed_total", Help: "Batches sealed."}),
		batchTxs:  prometheus.NewHistogram(prometheus.HistogramOpts{Name: "keel_sequencer_batch_txs", Help: "Transactions per sealed batch.", Buckets: prometheus.ExponentialBuckets(1, 2, 10)}),
		sealTime:  prometheus.NewHistogram(prometheus.HistogramOpts{Name: "keel_sequencer_seal_seconds", Help: "Time to seal and durably commit a batch.", Buckets: prometheus.ExponentialBuckets(0.0005, 2, 14)}),
		sigBatch:  prometheus.NewHistogram(prometheus.HistogramOpts{Name: "keel_sequencer_admission_signatures", Help: "Signatures checked together per admission (keel_sendTransactions groups them).", Buckets: prometheus.ExponentialBuckets(1, 2, 9)}),
		badSigs:   prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sequencer_bad_signatures_total", Help: "Transactions refused at admission for a bad signature."}),
	}
	for _, c := range []prometheus.Collector{m.accepted, m.sequenced, m.rejected, m.batches, m.batchTxs, m.sealTime, m.sigBatch, m.badSigs} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *PromMetrics) TxAccepted()  { m.accepted.Inc() }
func (m *PromMetrics) TxSequenced() { m.sequenced.Inc() }
func (m *PromMetrics) AdmissionChecked(sigs, bad int) {
	m.sigBatch.Observe(float64(sigs))
	m.badSigs.Add(float64(bad))
}
func (m *PromMetrics) TxRejected() { m.rejected.Inc() }
func (m *PromMetrics) BatchSealed(txs int, took time.Duration) {
	m.batches.Inc()
	m.batchTxs.Observe(float64(txs))
	m.sealTime.Observe(took.Seconds())
}
