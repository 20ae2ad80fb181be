package l1contracts_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// provenBatches are two proven batches of transfers over a funded genesis
// at depth 24: the first commit pays once for creating the Rollup's
// batch-number slot (EIP-8037 prices new state at about 100k gas on this
// chain), so the second is the steady-state cost.
type provenBatches struct {
	cfg     vm.Config
	keys    *prover.Keys
	genesis vm.Meta
	batches [2]*vm.SealedBatch
	proofs  [2][]byte
	// setup and prove are the key setup's (or the cache load's) and one
	// proof's wall time; peakSetup and peakProve the process's peak RSS
	// over each.
	setup, prove         time.Duration
	peakSetup, peakProve uint64
}

// proveTransferBatches proves two batches of slots-1 transfers (plus the
// fee payout) at depth 24, with keys cached in the prover benchmark's dir.
func proveTransferBatches(b *testing.B, slots int) *provenBatches {
	ctx := context.Background()
	out := &provenBatches{cfg: vm.Config{ChainID: 1, Depth: vm.DefaultDepth, Operator: 0, Slots: slots}}
	cfg := out.cfg
	ccs, err := prover.CompileBatch(cfg.Slots, cfg.Depth)
	require.NoError(b, err)
	start := time.Now()
	out.keys, err = prover.DevKeys(ctx, filepath.Join(os.TempDir(), "keel-bench-keys"), ccs, zerolog.New(os.Stderr))
	require.NoError(b, err)
	out.setup, out.peakSetup = time.Since(start), peakRSS(b)
	ccs = nil
	runtime.GC()
	resetPeakRSS()
	p, err := prover.New(cfg, out.keys)
	require.NoError(b, err)

	// The funded state is the Rollup's genesis.
	store := vm.NewMemStore(cfg.Depth)
	n := slots - 1
	l2 := make([]*vm.PrivateKey, n+1)
	var deposits []vm.Tx
	for i := range l2 {
		l2[i] = l2key(b, "gas"+strconv.Itoa(i))
		deposits = append(deposits, vm.Tx{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: uint64(i), To: uint32(i * 7919), PubKey: l2[i].Public(), Amount: 1 << 30})
	}
	big := vm.Config{ChainID: cfg.ChainID, Depth: cfg.Depth, Operator: 0, Slots: len(deposits) + 1}
	head, _ := store.Head()
	sb, _, err := vm.Execute(big, store.ReaderAt(0), head, deposits)
	require.NoError(b, err)
	require.NoError(b, store.Commit(sb.Changes))
	out.genesis = sb.After
	out.genesis.BatchNumber = 0
	out.genesis.PriorityCount, out.genesis.PriorityHash = 0, vm.Element{}
	head = out.genesis
	var reader vm.NodeReader = store.ReaderAt(1)
	for round := range out.batches {
		var txs []vm.Tx
		for i := 0; i < n; i++ {
			tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: uint32((i + 1) * 7919), To: uint32(((i + 2) % (n + 1)) * 7919), Amount: 1000, Fee: 1, Nonce: uint32(round)}
			require.NoError(b, tx.Sign(l2[i+1]))
			txs = append(txs, tx)
		}
		// Stamped a minute before now: the L1s the batches go to keep
		// wall-clock time, and the Rollup refuses a batch ahead of L1 or
		// a day behind it.
		tb, rej, err := vm.ExecuteAt(cfg, reader, head, max(head.Timestamp, uint64(time.Now().Unix())-60), txs)
		require.NoError(b, err)
		for _, r := range rej {
			require.NoError(b, r)
		}
		tb.Changes.Meta.BatchNumber = uint64(round + 2) // the store already holds the funding as version 1
		require.NoError(b, store.Commit(tb.Changes))
		reader = store.ReaderAt(uint64(round + 2))
		head = tb.After
		start := time.Now()
		proof, err := p.Prove(tb)
		require.NoError(b, err)
		out.prove = time.Since(start)
		out.proofs[round], err = proof.SolidityBytes()
		require.NoError(b, err)
		out.batches[round] = tb
	}
	out.peakProve = peakRSS(b)
	return out
}

// l1Chain is the L1 the batches are committed on: a client, a funded key,
// and mine, which seals the pending transactions where blocks are not
// produced by themselves.
type l1Chain struct {
	client interface {
		bind.ContractBackend
		bind.DeployBackend
	}
	key     *ecdsa.PrivateKey
	chainID *big.Int
	mine    func()
}

// commitOn deploys the verifier and a Rollup whose genesis is the batches'
// on l1, commits both batches, and returns the second commitBatch's gas
// and the verifier call's gas alone.
func commitOn(b *testing.B, l1 *l1Chain, pb *provenBatches) (commit, verify uint64) {
	ctx := context.Background()
	cfg := pb.cfg
	from := crypto.PubkeyToAddress(l1.key.PublicKey)
	opts := bind.NewKeyedTransactor(l1.key, l1.chainID)
	code, err := l1contracts.VerifierBytecode(pb.keys.VK)
	require.NoError(b, err)
	vaddr, vtx, err := bind.DeployContract(opts, code, l1.client, nil)
	require.NoError(b, err)
	l1.mine()
	_, err = bind.WaitDeployed(ctx, l1.client, vtx.Hash())
	require.NoError(b, err)
	rollup := l1contracts.NewRollup()
	raddr, rtx, err := bind.DeployContract(opts, common.FromHex(l1contracts.RollupMetaData.Bin),
		l1.client, rollup.PackConstructor(vaddr, vaddr, 100, uint8(cfg.Depth), cfg.ChainID, 0, uint32(cfg.Slots), pb.genesis.Root.BigInt(new(bigInt)), from))
	require.NoError(b, err)
	l1.mine()
	_, err = bind.WaitDeployed(ctx, l1.client, rtx.Hash())
	require.NoError(b, err)

	verifier := l1contracts.NewVerifier()
	last := pb.batches[1]
	commitment := vm.BatchCommitment(cfg.ChainID, 0, last.Before, last.After, last.PublicData)
	var r *types.Receipt
	for round, tb := range pb.batches {
		if round == 1 {
			verify, err = l1.client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &vaddr, Data: verifier.PackVerifyProof(pb.proofs[1], [1]*bigInt{commitment.BigInt(new(bigInt))})})
			require.NoError(b, err)
		}
		tx, err := bind.Transact(rollup.Instance(l1.client, raddr), opts, rollup.PackCommitBatch(tb.After.Root.BigInt(new(bigInt)), 0, tb.After.Timestamp, tb.PublicData, pb.proofs[round]))
		require.NoError(b, err)
		l1.mine()
		r, err = bind.WaitMined(ctx, l1.client, tx.Hash())
		require.NoError(b, err)
		require.Equal(b, types.ReceiptStatusSuccessful, r.Status)
	}
	return r.GasUsed, verify
}

// commitGas proves two batches of slots-1 transfers and commits them on
// geth's simulated backend.
func commitGas(b *testing.B, slots int) (commit, verify uint64) {
	pb := proveTransferBatches(b, slots)
	key, _ := crypto.GenerateKey()
	backend := simulated.NewBackend(types.GenesisAlloc{crypto.PubkeyToAddress(key.PublicKey): {Balance: new(bigInt).Mul(newInt(1000), newInt(1e18))}})
	defer backend.Close()
	return commitOn(b, &l1Chain{client: backend.Client(), key: key, chainID: newInt(1337), mine: func() { backend.Commit() }}, pb)
}

// peakRSS is the process's peak resident set since the last resetPeakRSS
// (VmHWM), in bytes.
func peakRSS(b *testing.B) uint64 {
	status, err := os.ReadFile("/proc/self/status")
	require.NoError(b, err)
	for _, line := range strings.Split(string(status), "\n") {
		if kb, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			v, err := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(kb), "kB")), 10, 64)
			require.NoError(b, err)
			return v << 10
		}
	}
	b.Fatal("no VmHWM in /proc/self/status")
	return 0
}

// resetPeakRSS restarts VmHWM from the current resident set (Linux
// clear_refs value 5).
func resetPeakRSS() { _ = os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) }

type bigInt = big.Int

func newInt(v int64) *bigInt { return big.NewInt(v) }

// BenchmarkCommitBatchGas measures commitBatch at 8 and 32 slots (depth
// 24, full of transfers) and derives the fixed cost and the cost per
// transfer, extrapolated to 256 slots. It reuses the prover benchmark's
// cached keys (a multi-minute setup on first run).
func BenchmarkCommitBatchGas(b *testing.B) {
	var g8, g32, v uint64
	for b.Loop() {
		g8, v = commitGas(b, 8)
		g32, _ = commitGas(b, 32)
	}
	per := float64(g32-g8) / float64(31-7)
	fixed := float64(g8) - 7*per
	b.ReportMetric(float64(v), "verify-gas(incl-21k)")
	b.ReportMetric(float64(g8), "commit-gas-8")
	b.ReportMetric(float64(g32), "commit-gas-32")
	b.ReportMetric(per, "gas/transfer")
	b.ReportMetric(fixed, "fixed-gas")
	b.ReportMetric(fixed+255*per, "commit-gas-256")
	b.ReportMetric((fixed+255*per)/255, "gas/transfer-at-256")
	fmt.Fprintf(os.Stderr, "commitBatch gas: 8 slots %d, 32 slots %d; %.0f a transfer, %.0f fixed; verify %d\n", g8, g32, per, fixed, v)
}

// BenchmarkCommit256 is the real thing at 256 slots: it proves two full
// batches of transfers (a dev setup of about 9M constraints first, cached
// in the prover benchmark's dir) and commits them on Keel's embedded L1
// node. It reports the setup's and a proof's time and peak RSS, and the
// commit's gas against EIP-7825's per-transaction cap. It takes most of
// an hour on 2 cores the first time, so it runs only from make bench-256
// (KEEL_BENCH_256=1).
func BenchmarkCommit256(b *testing.B) {
	if os.Getenv("KEEL_BENCH_256") == "" {
		b.Skip("set KEEL_BENCH_256=1 (make bench-256): a 256-slot setup and two proofs")
	}
	const slots = 256
	var pb *provenBatches
	var gas uint64
	for b.Loop() {
		pb = proveTransferBatches(b, slots)
		ctx := context.Background()
		cfg := l1node.DefaultConfig(b.TempDir())
		cfg.HTTPPort, cfg.WSPort = 0, 0
		n, err := l1node.New(cfg, zerolog.Nop())
		require.NoError(b, err)
		require.NoError(b, n.Start(ctx))
		client, err := n.Client()
		require.NoError(b, err)
		gas, _ = commitOn(b, &l1Chain{client: client, key: n.DevAccounts()[0].Key, chainID: n.ChainID(), mine: func() {}}, pb)
		client.Close()
		require.NoError(b, n.Stop(ctx))
	}
	require.Less(b, gas, uint64(l1node.MaxTxGas), "a commit must fit one transaction")
	b.ReportMetric(float64(gas), "commit-gas")
	b.ReportMetric(float64(gas)/float64(slots-1), "gas/transfer")
	b.ReportMetric(pb.setup.Seconds(), "setup-s")
	b.ReportMetric(pb.prove.Seconds(), "prove-s")
	b.ReportMetric(float64(pb.peakSetup)/(1<<30), "setup-peak-GiB")
	b.ReportMetric(float64(pb.peakProve)/(1<<30), "prove-peak-GiB")
	fmt.Fprintf(os.Stderr, "256 slots: commitBatch %d gas (%.0f a transfer, cap %d); setup %s (peak %.1f GiB), proof %s (peak %.1f GiB)\n",
		gas, float64(gas)/float64(slots-1), l1node.MaxTxGas, pb.setup.Round(time.Second), float64(pb.peakSetup)/(1<<30), pb.prove.Round(time.Second), float64(pb.peakProve)/(1<<30))
}
