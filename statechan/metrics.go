package statechan

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics receives the package's measurements. NoopMetrics discards them;
// PromMetrics exports them to Prometheus.
type Metrics interface {
	// PaymentSent observes a payment of ours that is co-signed and
	// durable, and how long Pay took.
	PaymentSent(latency time.Duration)
	// PaymentFailed counts a Pay that returned an error.
	PaymentFailed()
	// PaymentReceived counts a payment to us, co-signed and durable.
	PaymentReceived()
	// StateCommitted counts a co-signed state made durable, which may
	// carry several payments.
	StateCommitted()
	// BytesSent and BytesReceived count wire bytes (message bodies).
	BytesSent(n int)
	BytesReceived(n int)
	// Sessions adds delta to the number of open sessions.
	Sessions(delta int)
	// ChallengeSubmitted counts a watcher's challenge of a stale close.
	ChallengeSubmitted()
	// ChallengeForced counts a challenge the watcher filed on L1 because
	// L2 did not take it in time.
	ChallengeForced()
}

// NoopMetrics discards everything.
type NoopMetrics struct{}

func (NoopMetrics) PaymentSent(time.Duration) {}
func (NoopMetrics) PaymentFailed()            {}
func (NoopMetrics) PaymentReceived()          {}
func (NoopMetrics) StateCommitted()           {}
func (NoopMetrics) BytesSent(int)             {}
func (NoopMetrics) BytesReceived(int)         {}
func (NoopMetrics) Sessions(int)              {}
func (NoopMetrics) ChallengeSubmitted()       {}
func (NoopMetrics) ChallengeForced()          {}

// PromMetrics exports the package's metrics under keel_statechan_*.
type PromMetrics struct {
	sent, failed, received, states prometheus.Counter
	bytesOut, bytesIn              prometheus.Counter
	sessions                       prometheus.Gauge
	challenges, forced             prometheus.Counter
	latency                        prometheus.Histogram
}

// NewPromMetrics registers the package's metrics on reg.
func NewPromMetrics(reg prometheus.Registerer) (*PromMetrics, error) {
	m := &PromMetrics{
		sent:       prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_payments_sent_total", Help: "Payments of ours co-signed and durable."}),
		failed:     prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_payments_failed_total", Help: "Pay calls that returned an error."}),
		received:   prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_payments_received_total", Help: "Payments to us co-signed and durable."}),
		states:     prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_states_committed_total", Help: "Co-signed states made durable."}),
		bytesOut:   prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_bytes_sent_total", Help: "Wire bytes sent."}),
		bytesIn:    prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_bytes_received_total", Help: "Wire bytes received."}),
		sessions:   prometheus.NewGauge(prometheus.GaugeOpts{Name: "keel_statechan_sessions", Help: "Open authenticated sessions."}),
		challenges: prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_challenges_total", Help: "Stale closes challenged by the watcher."}),
		forced:     prometheus.NewCounter(prometheus.CounterOpts{Name: "keel_statechan_challenges_forced_total", Help: "Challenges the watcher filed on L1 because L2 did not take them in time."}),
		latency: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "keel_statechan_payment_seconds", Help: "Pay latency until co-signed and durable.",
			Buckets: prometheus.ExponentialBuckets(0.0001, 2, 16),
		}),
	}
	for _, c := range []prometheus.Collector{m.sent, m.failed, m.received, m.states, m.bytesOut, m.bytesIn, m.sessions, m.challenges, m.forced, m.latency} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}

func (m *PromMetrics) PaymentSent(latency time.Duration) {
	m.sent.Inc()
	m.latency.Observe(latency.Seconds())
}
func (m *PromMetrics) PaymentFailed()      { m.failed.Inc() }
func (m *PromMetrics) PaymentReceived()    { m.received.Inc() }
func (m *PromMetrics) StateCommitted()     { m.states.Inc() }
func (m *PromMetrics) BytesSent(n int)     { m.bytesOut.Add(float64(n)) }
func (m *PromMetrics) BytesReceived(n int) { m.bytesIn.Add(float64(n)) }
func (m *PromMetrics) Sessions(delta int)  { m.sessions.Add(float64(delta)) }
func (m *PromMetrics) ChallengeSubmitted() { m.challenges.Inc() }

// ChallengeForced implements Metrics.
func (m *PromMetrics) ChallengeForced() { m.forced.Inc() }
