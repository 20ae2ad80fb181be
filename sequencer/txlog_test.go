package sequencer

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

func logTx(t testing.TB, i int) *vm.Tx {
	seed := sha256.Sum256([]byte(fmt.Sprintf("txlog %d", i%4)))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	tx := &vm.Tx{Type: vm.TxTransfer, ChainID: 1, From: uint32(i % 4), To: 9, Amount: uint64(i + 1), Fee: 1, Nonce: uint32(i / 4)}
	require.NoError(t, tx.Sign(k))
	return tx
}

func replayAll(t *testing.T, l *TxLog) (seqs []uint64, txs []vm.Tx) {
	require.NoError(t, l.Replay(func(seq uint64, tx *vm.Tx) error {
		seqs = append(seqs, seq)
		txs = append(txs, *tx)
		return nil
	}))
	return seqs, txs
}

func TestTxLogAppendReplayTruncate(t *testing.T) {
	dir := t.TempDir()
	l, err := OpenTxLog(dir, nil)
	require.NoError(t, err)
	first, err := l.Append(logTx(t, 0), logTx(t, 1))
	require.NoError(t, err)
	require.EqualValues(t, 0, first)
	first, err = l.Append(logTx(t, 2))
	require.NoError(t, err)
	require.EqualValues(t, 2, first)
	require.NoError(t, l.Close())

	// Reopen: everything acknowledged is there, in order.
	l, err = OpenTxLog(dir, nil)
	require.NoError(t, err)
	seqs, txs := replayAll(t, l)
	require.Equal(t, []uint64{0, 1, 2}, seqs)
	for i := range txs {
		require.Equal(t, logTx(t, i).Hash(), txs[i].Hash())
	}

	// Truncate what a committed batch included; numbering continues even
	// after the log is emptied and reopened.
	require.NoError(t, l.Truncate(2))
	seqs, _ = replayAll(t, l)
	require.Equal(t, []uint64{2}, seqs)
	require.NoError(t, l.Truncate(3))
	require.NoError(t, l.Close())
	l, err = OpenTxLog(dir, nil)
	require.NoError(t, err)
	defer l.Close()
	seqs, _ = replayAll(t, l)
	require.Empty(t, seqs)
	first, err = l.Append(logTx(t, 3))
	require.NoError(t, err)
	require.EqualValues(t, 3, first, "sequence numbers are never reused")
}

// TestTxLogCrash: after a crash, every append that returned is there; the
// log is whole (no torn entries) whatever the crash kept of the rest.
func TestTxLogCrash(t *testing.T) {
	for seed := int64(0); seed < 6; seed++ {
		fs := vfs.NewCrashableMem()
		l, err := OpenTxLog("log", &TxLogOptions{FS: fs})
		require.NoError(t, err)
		for i := 0; i < 20; i++ {
			_, err := l.Append(logTx(t, i))
			require.NoError(t, err)
		}
		crashed := fs.CrashClone(vfs.CrashCloneCfg{UnsyncedDataPercent: 50, RNG: rand.New(rand.NewPCG(uint64(seed), 1))})
		require.NoError(t, l.Close())
		l, err = OpenTxLog("log", &TxLogOptions{FS: crashed})
		require.NoError(t, err)
		seqs, txs := replayAll(t, l)
		require.Len(t, seqs, 20, "seed %d: every acknowledged append survives", seed)
		for i := range txs {
			require.Equal(t, logTx(t, i).Hash(), txs[i].Hash())
		}
		require.NoError(t, l.Close())
	}
}

func TestTxLogConcurrentAppends(t *testing.T) {
	l, err := OpenTxLog(t.TempDir(), nil)
	require.NoError(t, err)
	defer l.Close()
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 25; i++ {
				_, err := l.Append(logTx(t, w*25+i))
				require.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	seqs, _ := replayAll(t, l)
	require.Len(t, seqs, 200)
	for i, s := range seqs {
		require.EqualValues(t, i, s, "no gaps, no duplicates")
	}
}

// BenchmarkTxLogAppend measures durable acknowledgements per second with
// many concurrent submitters sharing fsyncs (group commit).
func BenchmarkTxLogAppend(b *testing.B) {
	l, err := OpenTxLog(b.TempDir(), nil)
	require.NoError(b, err)
	defer l.Close()
	tx := logTx(b, 1)
	b.SetParallelism(32)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := l.Append(tx); err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "acks/s")
}
