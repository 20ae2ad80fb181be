package l1node

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics is what the embedded L1 reports: its chain head.
type Metrics interface {
	// Head records a new canonical head block and the gas it used.
	Head(number, gasUsed uint64)
}

// NoopMetrics discards everything; for tests and tools.
type NoopMetrics struct{}

// Head discards the head.
func (NoopMetrics) Head(uint64, uint64) {}

// PromMetrics exports the embedded L1's metrics to Prometheus.
type PromMetrics struct {
	head    prometheus.Gauge
	gasUsed prometheus.Counter
}

// NewPromMetrics registers the embedded L1's metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		head:    prometheus.NewGauge(prometheus.GaugeOpts{Namespace: "keel", Subsystem: "l1", Name: "head_block_number", Help: "Number of the embedded L1's head block."}),
		gasUsed: prometheus.NewCounter(prometheus.CounterOpts{Namespace: "keel", Subsystem: "l1", Name: "gas_used_total", Help: "Gas used by the embedded L1's head blocks since start."}),
	}
	for _, c := range []prometheus.Collector{m.head, m.gasUsed} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("l1node: register metrics: %w", err)
		}
	}
	return m, nil
}

// Head sets the head gauge and adds the block's gas to the gas counter.
func (m *PromMetrics) Head(number, gasUsed uint64) {
	m.head.Set(float64(number))
	m.gasUsed.Add(float64(gasUsed))
}
