package sponsor

import (
	"github.com/keel-rollup/keel/client"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics receives the sponsor's measurements. NoopMetrics discards them;
// PromMetrics exports them to Prometheus.
type Metrics interface {
	// Signed counts a co-signed transaction and the fee it charged (0 for
	// a repeat, which is charged once).
	Signed(fee uint64)
	// Refused counts a refusal by its code.
	Refused(code client.SponsorCode)
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

func (NoopMetrics) Signed(uint64)              {}
func (NoopMetrics) Refused(client.SponsorCode) {}

// PromMetrics exports the sponsor's metrics under keel_sponsor_*.
type PromMetrics struct {
	signed  prometheus.Counter
	fees    prometheus.Counter
	refused *prometheus.CounterVec
}

// NewPromMetrics registers the sponsor's metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		signed:  prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sponsor_signed_total", Help: "Transactions co-signed (their fee charged durably first)."}),
		fees:    prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_sponsor_fees_gwei_total", Help: "Fees charged to the budget, in gwei."}),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "keel_sponsor_refused_total", Help: "Requests refused, by reason code."}, []string{"reason"}),
	}
	for _, c := range []prometheus.Collector{m.signed, m.fees, m.refused} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *PromMetrics) Signed(fee uint64) {
	m.signed.Inc()
	m.fees.Add(float64(fee))
}

func (m *PromMetrics) Refused(code client.SponsorCode) { m.refused.WithLabelValues(string(code)).Inc() }
