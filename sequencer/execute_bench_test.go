package sequencer

import (
	"context"
	"fmt"
	"testing"

	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// benchChain is a depth-24 state with funded accounts and a pool of signed
// transfers among them, built once per process.
type benchChain struct {
	cfg       vm.Config
	store     *vm.MemStore
	transfers []vm.Tx
}

func newBenchChain(tb testing.TB, accounts, transfers int) *benchChain {
	cfg := vm.Config{ChainID: 1, Depth: vm.DefaultDepth, Operator: 0, Slots: max(accounts, transfers) + 1}
	store := vm.NewMemStore(cfg.Depth)
	head, err := store.Head()
	require.NoError(tb, err)
	b, err := vm.NewBatch(cfg, store.ReaderAt(0), head)
	require.NoError(tb, err)
	keys := make([]*vm.PrivateKey, accounts)
	for i := range keys {
		keys[i], err = vm.GenerateKey()
		require.NoError(tb, err)
		// Spread accounts over the tree so paths share little.
		tx := vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: uint64(i), To: uint32(i * 104729 % (1 << 24)), PubKey: keys[i].Public(), Amount: 1 << 40}
		require.NoError(tb, b.Apply(&tx))
	}
	sb, err := b.Seal()
	require.NoError(tb, err)
	require.NoError(tb, store.Commit(sb.Changes))

	c := &benchChain{cfg: cfg, store: store}
	nonces := make([]uint32, accounts)
	for n := 0; n < transfers; n++ {
		from, to := n%accounts, (n*7+1)%accounts
		if from == to {
			to = (to + 1) % accounts
		}
		tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: uint32(from * 104729 % (1 << 24)), To: uint32(to * 104729 % (1 << 24)), Amount: 1000, Fee: 1, Nonce: nonces[from]}
		nonces[from]++
		require.NoError(tb, tx.Sign(keys[from]))
		c.transfers = append(c.transfers, tx)
	}
	return c
}

// execute runs the sequencer's execution path on fresh copies of the
// transfers: parallel signature checks, then the sequential VM.
func (c *benchChain) execute(tb testing.TB, workers int) *vm.Batch {
	head, err := c.store.Head()
	require.NoError(tb, err)
	reader := c.store.ReaderAt(head.BatchNumber)
	txs := make([]*vm.Tx, len(c.transfers))
	for i := range c.transfers {
		tx := c.transfers[i]
		txs[i] = &tx
	}
	res, err := PreVerify(context.Background(), txs, StoreKeyLookup(reader), workers)
	require.NoError(tb, err)
	b, err := vm.NewBatch(c.cfg, reader, head)
	require.NoError(tb, err)
	for i, tx := range txs {
		require.NoError(tb, res[i])
		require.NoError(tb, b.Apply(tx))
	}
	return b
}

// BenchmarkExecuteTransfers measures transfers executed per second,
// signature checks included, with every core in use: the rate at which the
// sequencer can soft-confirm. Merkle hashing is deferred to the seal and
// measured by BenchmarkSealTransfers.
func BenchmarkExecuteTransfers(b *testing.B) {
	const n = 4096
	c := newBenchChain(b, 256, n)
	for _, workers := range []int{1, 0} {
		name := "workers=all"
		if workers == 1 {
			name = "workers=1"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				c.execute(b, workers)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "transfers/s")
		})
	}
}

// BenchmarkSealTransfers measures the batch seal: replaying executed
// transfers on the depth-24 tree to produce roots and the per-step trace.
func BenchmarkSealTransfers(b *testing.B) {
	for _, n := range []int{32, 1024} {
		b.Run(fmt.Sprintf("transfers=%d", n), func(b *testing.B) {
			c := newBenchChain(b, 256, n)
			for b.Loop() {
				b.StopTimer()
				batch := c.execute(b, 0)
				b.StartTimer()
				_, err := batch.Seal()
				require.NoError(b, err)
			}
			b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "transfers/s")
		})
	}
}

func TestPreVerify(t *testing.T) {
	c := newBenchChain(t, 4, 16)
	head, err := c.store.Head()
	require.NoError(t, err)
	txs := make([]*vm.Tx, len(c.transfers))
	for i := range c.transfers {
		tx := c.transfers[i]
		txs[i] = &tx
	}
	txs[3].Sig[10] ^= 1 // bad signature
	txs[5].From = 12345 // no account there
	res, err := PreVerify(context.Background(), txs, StoreKeyLookup(c.store.ReaderAt(head.BatchNumber)), 2)
	require.NoError(t, err)
	for i, r := range res {
		switch i {
		case 3:
			require.ErrorIs(t, r, vm.ErrBadSignature)
		case 5:
			require.ErrorIs(t, r, ErrKeyUnknown)
		default:
			require.NoError(t, r, "tx %d", i)
		}
	}
	// The executor still rejects the bad one on its own.
	b, err := vm.NewBatch(c.cfg, c.store.ReaderAt(head.BatchNumber), head)
	require.NoError(t, err)
	require.NoError(t, b.Apply(txs[0]))
	require.NoError(t, b.Apply(txs[1]))
	require.NoError(t, b.Apply(txs[2]))
	require.ErrorIs(t, b.Apply(txs[3]), vm.ErrBadSignature)
}
