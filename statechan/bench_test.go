package statechan

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// countingMetrics counts committed states, to report how many payments
// each state carried.
type countingMetrics struct {
	NoopMetrics
	states atomic.Int64
}

func (m *countingMetrics) StateCommitted() { m.states.Add(1) }

// BenchmarkPayments measures durable payments per second over one channel
// pair on a loopback websocket, both parties in this process (so on the
// same cores), each with a pebble store on disk and every write synced.
// A payment counts once Pay returns: co-signed by both and durable on the
// payer's side (the receiver made it durable before acknowledging).
//
// payers=1 is one payment per state: each costs four EdDSA operations
// (sign, verify+sign, verify: about 0.4 ms of CPU), two synced writes on
// the critical path and a round trip. With more concurrent payers, the
// payments queued while a state is in flight share the next state, so
// signatures and fsyncs are paid once per batch; payments/state reports
// the batching.
func BenchmarkPayments(b *testing.B) {
	for _, payers := range []int{1, 4, 16, 64} {
		b.Run(fmt.Sprintf("payers=%d", payers), func(b *testing.B) {
			c := newCast(b)
			p := testParams(c.alice, c.bob, 1<<62, 0)
			am := &countingMetrics{}
			alice := startNode(b, c.alice, nodeOpts{listen: true})
			bob := startNode(b, c.bob, nodeOpts{metrics: am})
			if err := alice.ep.Open(p); err != nil {
				b.Fatal(err)
			}
			if err := bob.ep.Open(p); err != nil {
				b.Fatal(err)
			}
			_, sa := connect(b, bob, alice, p.ChannelID)
			ctx := context.Background()
			// Warm up: connection buffers, pebble's WAL.
			for i := 0; i < 20; i++ {
				if err := sa.Pay(ctx, 1); err != nil {
					b.Fatal(err)
				}
			}
			states0 := am.states.Load()

			lat := make([]time.Duration, b.N)
			var next atomic.Int64
			var wg sync.WaitGroup
			var failed atomic.Pointer[error]
			b.ResetTimer()
			start := time.Now()
			for w := 0; w < payers; w++ {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for {
						i := next.Add(1) - 1
						if i >= int64(b.N) {
							return
						}
						t0 := time.Now()
						if err := sa.Pay(ctx, 1+uint64(i%1000)); err != nil {
							failed.Store(&err)
							return
						}
						lat[i] = time.Since(t0)
					}
				}()
			}
			wg.Wait()
			elapsed := time.Since(start)
			b.StopTimer()
			if err := failed.Load(); err != nil {
				b.Fatal(*err)
			}
			slices.Sort(lat)
			states := am.states.Load() - states0
			b.ReportMetric(float64(b.N)/elapsed.Seconds(), "payments/s")
			b.ReportMetric(float64(lat[len(lat)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(b.N)/float64(max(states, 1)), "payments/state")
		})
	}
}
