package prover

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/backend/groth16"
	"github.com/consensys/gnark/frontend"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// fullTransferBatch seals a batch of cfg.Slots-1 transfers and the fee
// payout on a depth-24 tree.
func fullTransferBatch(b *testing.B, cfg vm.Config) *vm.SealedBatch {
	store := vm.NewMemStore(cfg.Depth)
	n := cfg.Slots - 1
	keys := make([]*vm.PrivateKey, n+1)
	var deposits []vm.Tx
	for i := range keys {
		keys[i] = testKey(b, "bench"+strconv.Itoa(i))
		deposits = append(deposits, vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: uint64(i), To: uint32(i * 7919), PubKey: keys[i].Public(), Amount: 1 << 30})
	}
	for len(deposits) > 0 {
		head, err := store.Head()
		require.NoError(b, err)
		chunk := deposits[:min(len(deposits), cfg.Slots)]
		deposits = deposits[len(chunk):]
		sb, rej, err := vm.Execute(cfg, store.ReaderAt(head.BatchNumber), head, chunk)
		require.NoError(b, err)
		for _, r := range rej {
			require.NoError(b, r)
		}
		require.NoError(b, store.Commit(sb.Changes))
	}
	var txs []vm.Tx
	for i := 0; i < n; i++ {
		tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: uint32((i + 1) * 7919), To: uint32(((i + 2) % (n + 1)) * 7919), Amount: 1000, Fee: 1}
		require.NoError(b, tx.Sign(keys[i+1]))
		txs = append(txs, tx)
	}
	head, err := store.Head()
	require.NoError(b, err)
	sb, rej, err := vm.Execute(cfg, store.ReaderAt(head.BatchNumber), head, txs)
	require.NoError(b, err)
	for _, r := range rej {
		require.NoError(b, r)
	}
	return sb
}

func peakRSSMB() float64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			f := strings.Fields(line)
			kb, _ := strconv.ParseFloat(f[1], 64)
			return kb / 1024
		}
	}
	return 0
}

// BenchmarkProve proves full transfer batches at production sizes (depth
// 24, 8 and 32 slots) and compares Prover.Prove with a bare groth16.Prove
// of the same witness. Keys come from a dev setup cached under the temp
// directory; the first run's setup time is logged.
func BenchmarkProve(b *testing.B) {
	for _, slots := range []int{circuits.SmallBatchSlots, circuits.LargeBatchSlots} {
		b.Run(fmt.Sprintf("slots=%d", slots), func(b *testing.B) {
			cfg := vm.Config{ChainID: 1, Depth: vm.DefaultDepth, Operator: 0, Slots: slots}
			ccs, err := CompileBatch(cfg.Slots, cfg.Depth)
			require.NoError(b, err)
			dir := filepath.Join(os.TempDir(), "keel-bench-keys")
			start := time.Now()
			keys, err := DevKeys(context.Background(), dir, ccs, zerolog.New(os.Stderr))
			require.NoError(b, err)
			b.Logf("%d constraints; keys ready in %v", ccs.GetNbConstraints(), time.Since(start))
			p, err := New(cfg, keys)
			require.NoError(b, err)
			sb := fullTransferBatch(b, cfg)

			assignment, err := Witness(cfg, sb)
			require.NoError(b, err)
			full, err := frontend.NewWitness(assignment, ecc.BN254.ScalarField())
			require.NoError(b, err)
			// Warm up once, so neither measurement pays for first-touch costs.
			_, err = groth16.Prove(ccs, keys.PK, full)
			require.NoError(b, err)

			for b.Loop() {
				_, err := p.Prove(sb)
				require.NoError(b, err)
			}
			per := b.Elapsed() / time.Duration(b.N)
			bareStart := time.Now()
			for i := 0; i < b.N; i++ {
				_, err = groth16.Prove(ccs, keys.PK, full)
				require.NoError(b, err)
			}
			bare := time.Since(bareStart) / time.Duration(b.N)
			b.ReportMetric(float64(bare.Milliseconds()), "bare-prove-ms")
			b.ReportMetric(100*(float64(per)-float64(bare))/float64(bare), "overhead-%")
			b.ReportMetric(peakRSSMB(), "peak-RSS-MB")
			b.ReportMetric(float64(ccs.GetNbConstraints())/float64(slots-1), "constraints/transfer")
		})
	}
}

// BenchmarkProveExit proves an exodus exit at production depth (24): what
// `keel exit` costs a user, Merkle path, signature and proof check included.
func BenchmarkProveExit(b *testing.B) {
	const depth = vm.DefaultDepth
	ccs, err := CompileExit(depth)
	require.NoError(b, err)
	start := time.Now()
	keys, err := DevKeys(context.Background(), filepath.Join(os.TempDir(), "keel-bench-keys"), ccs, zerolog.Nop())
	require.NoError(b, err)
	b.Logf("exit circuit: %d constraints, keys ready in %s", ccs.GetNbConstraints(), time.Since(start).Round(time.Millisecond))
	tree, err := vm.NewTree(depth, vm.NewMemStore(depth).ReaderAt(0))
	require.NoError(b, err)
	k := testKey(b, "bench exit")
	const index = 123_457
	require.NoError(b, tree.Set(index, vm.Account{Kind: vm.KindAccount, PubKey: k.Public(), Balance: 5_000_000, Nonce: 17}))
	root, err := tree.Root()
	require.NoError(b, err)
	acc, err := tree.Get(index)
	require.NoError(b, err)
	sibs, err := tree.Proof(index)
	require.NoError(b, err)
	to := [20]byte{1}
	sig, err := vm.SignExit(k, 1, index, to)
	require.NoError(b, err)
	e := vm.Exit{ChainID: 1, Root: root, Account: index, Balance: acc.Balance, Recipient: to}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := ProveExit(keys, e, ExitWitness{Account: acc, Siblings: sibs, Sig: sig}); err != nil {
			b.Fatal(err)
		}
	}
}
