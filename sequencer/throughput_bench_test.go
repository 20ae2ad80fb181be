package sequencer_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/keel-rollup/keel/sequencer"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// BenchmarkSequencerDrain measures how fast the sequencer turns pooled
// transfers into sealed, durable batches on its own (no ingest beside
// it): execution, the seal's hashing and trace, and the synced writes of
// each batch, on pebble on disk at depth 24. It reports sealed-tx/s and
// the CPU-free wall time per batch.
func BenchmarkSequencerDrain(b *testing.B) {
	for _, slots := range []int{8, 64, 256} {
		b.Run(fmt.Sprintf("slots=%d", slots), func(b *testing.B) {
			const accounts, transfers = 256, 4096
			s, clock, keys, index := newThroughputSequencer(b, slots, accounts)
			defer s.Stop(context.Background())
			nonce := make([]uint32, accounts)
			for b.Loop() {
				b.StopTimer()
				txs := make([]*vm.Tx, transfers)
				for n := range txs {
					from := n % accounts
					txs[n] = &vm.Tx{Type: vm.TxTransfer, ChainID: 5, From: index[from], To: index[(from+1)%accounts], Amount: 1, Fee: 1, Nonce: nonce[from]}
					nonce[from]++
					require.NoError(b, txs[n].Sign(keys[from]))
				}
				for i := 0; i < len(txs); i += sequencer.MaxSendBatch {
					_, errs := s.SendTransactions(txs[i:min(i+sequencer.MaxSendBatch, len(txs))])
					for _, err := range errs {
						require.NoError(b, err)
					}
				}
				b.StartTimer()
				// Step seals whenever the batch is full; the clock only
				// moves for the last, partial one.
				for s.PendingCount() > 0 {
					require.NoError(b, s.Step())
					if s.PendingCount() > 0 && s.PendingCount() < slots {
						clock.Advance(2 * time.Hour)
					}
				}
			}
			b.ReportMetric(float64(transfers*b.N)/b.Elapsed().Seconds(), "sealed-tx/s")
		})
	}
}

// newThroughputSequencer opens a sequencer on disk at depth 24 with
// accounts funded accounts, all deposits sealed.
func newThroughputSequencer(b *testing.B, slots, accounts int) (*sequencer.Sequencer, *fakeClock, []*vm.PrivateKey, []uint32) {
	clock := &fakeClock{now: time.Unix(1_700_000_000, 0)}
	op := seqKey(b, "operator")
	cfg := sequencer.Config{VM: vm.Config{ChainID: 5, Depth: vm.DefaultDepth, Operator: 0, Slots: slots}, OperatorKey: op.Public(),
		DataDir: b.TempDir(), BatchTimeout: time.Hour, Clock: clock.Now}
	cfg.Mempool = sequencer.DefaultMempoolConfig()
	cfg.Mempool.MaxTxs = 1 << 20
	s, err := sequencer.New(cfg, zerolog.Nop(), nil)
	require.NoError(b, err)
	keys := make([]*vm.PrivateKey, accounts)
	deps := []vm.PriorityRequest{{ID: 0, Key: vm.DepositKeyOf(op.Public()), Amount: 1}}
	for i := range keys {
		keys[i] = seqKey(b, fmt.Sprint("user ", i))
		deps = append(deps, vm.PriorityRequest{ID: uint64(i + 1), Key: vm.DepositKeyOf(keys[i].Public()), Amount: 1 << 40})
	}
	require.NoError(b, s.AddDeposits(deps))
	for s.PendingCount() > 0 {
		require.NoError(b, s.Step())
		clock.Advance(2 * time.Hour)
		require.NoError(b, s.Step())
	}
	index := make([]uint32, accounts)
	for i, k := range keys {
		idx, ok, err := s.IndexOf(k.Public())
		require.NoError(b, err)
		require.True(b, ok)
		index[i] = idx
	}
	return s, clock, keys, index
}

// BenchmarkSendTransactions measures admission alone (no RPC, no
// sequencing beside it): static checks, the senders' keys, the batch
// signature check, the pool and the synced journal write, for calls of
// 1 to 256 transfers. It reports the CPU-bound rate with calls made from
// two goroutines, as the RPC server would.
func BenchmarkSendTransactions(b *testing.B) {
	for _, per := range []int{1, 16, 64, 256} {
		b.Run(fmt.Sprintf("per-call=%d", per), func(b *testing.B) {
			const accounts = 256
			s, _, keys, index := newThroughputSequencer(b, 8, accounts)
			defer s.Stop(context.Background())
			nonce := make([]uint32, accounts)
			const calls = 2
			for b.Loop() {
				b.StopTimer()
				txs := make([]*vm.Tx, 2048)
				for n := range txs {
					from := n % accounts
					txs[n] = &vm.Tx{Type: vm.TxTransfer, ChainID: 5, From: index[from], To: index[(from+1)%accounts], Amount: 1, Fee: 1, Nonce: nonce[from]}
					nonce[from]++
					require.NoError(b, txs[n].Sign(keys[from]))
				}
				b.StartTimer()
				var wg sync.WaitGroup
				for g := range calls {
					wg.Go(func() {
						// Each goroutine takes whole rounds of accounts, so one
						// account's nonces arrive in order.
						for i := g * accounts; i < len(txs); i += calls * accounts {
							for j := i; j < i+accounts; j += per {
								_, errs := s.SendTransactions(txs[j:min(j+per, i+accounts)])
								for _, err := range errs {
									if err != nil {
										b.Error(err)
										return
									}
								}
							}
						}
					})
				}
				wg.Wait()
			}
			b.ReportMetric(float64(2048*b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}
