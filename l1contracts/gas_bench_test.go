package l1contracts_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient/simulated"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// commitGas proves a batch of slots-1 transfers (plus the fee payout) at
// depth 24 and returns commitBatch's gas and the verifier call's gas.
func commitGas(b *testing.B, slots int) (commit, verify uint64) {
	ctx := context.Background()
	cfg := vm.Config{ChainID: 1, Depth: vm.DefaultDepth, Operator: 0, Slots: slots}
	ccs, err := prover.CompileBatch(cfg.Slots, cfg.Depth)
	require.NoError(b, err)
	keys, err := prover.DevKeys(ctx, filepath.Join(os.TempDir(), "keel-bench-keys"), ccs, zerolog.New(os.Stderr))
	require.NoError(b, err)
	p, err := prover.New(cfg, keys)
	require.NoError(b, err)

	// The funded state is the Rollup's genesis, so the benchmark proves one
	// batch only.
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
	genesis := sb.After
	genesis.BatchNumber = 0
	genesis.PriorityCount, genesis.PriorityHash = 0, vm.Element{}
	// Two batches of transfers: the first commit pays once for creating
	// the Rollup's batch-number slot (EIP-8037 prices new state at about
	// 100k gas on this chain), so the second is the steady-state cost.
	var proven [2]*vm.SealedBatch
	var raws [2][]byte
	head = genesis
	var reader vm.NodeReader = store.ReaderAt(1)
	for round := range proven {
		var txs []vm.Tx
		for i := 0; i < n; i++ {
			tx := vm.Tx{Type: vm.TxTransfer, ChainID: cfg.ChainID, From: uint32((i + 1) * 7919), To: uint32(((i + 2) % (n + 1)) * 7919), Amount: 1000, Fee: 1, Nonce: uint32(round)}
			require.NoError(b, tx.Sign(l2[i+1]))
			txs = append(txs, tx)
		}
		tb, rej, err := vm.Execute(cfg, reader, head, txs)
		require.NoError(b, err)
		for _, r := range rej {
			require.NoError(b, r)
		}
		tb.Changes.Meta.BatchNumber = uint64(round + 2) // the store already holds the funding as version 1
		require.NoError(b, store.Commit(tb.Changes))
		reader = store.ReaderAt(uint64(round + 2))
		head = tb.After
		proof, err := p.Prove(tb)
		require.NoError(b, err)
		raws[round], err = proof.SolidityBytes()
		require.NoError(b, err)
		proven[round] = tb
	}

	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	backend := simulated.NewBackend(types.GenesisAlloc{from: {Balance: new(bigInt).Mul(newInt(1000), newInt(1e18))}})
	defer backend.Close()
	client := backend.Client()
	opts := bind.NewKeyedTransactor(key, newInt(1337))
	code, err := l1contracts.VerifierBytecode(keys.VK)
	require.NoError(b, err)
	vaddr, _, err := bind.DeployContract(opts, code, client, nil)
	require.NoError(b, err)
	backend.Commit()
	rollup := l1contracts.NewRollup()
	raddr, _, err := bind.DeployContract(opts, common.FromHex(l1contracts.RollupMetaData.Bin),
		client, rollup.PackConstructor(vaddr, vaddr, 100, uint8(cfg.Depth), cfg.ChainID, 0, uint32(slots), genesis.Root.BigInt(new(bigInt)), from))
	require.NoError(b, err)
	backend.Commit()

	verifier := l1contracts.NewVerifier()
	commitment := vm.BatchCommitment(cfg.ChainID, 0, proven[1].Before, proven[1].After, proven[1].PublicData)
	var r *types.Receipt
	for round, tb := range proven {
		if round == 1 {
			verify, err = client.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &vaddr, Data: verifier.PackVerifyProof(raws[1], [1]*bigInt{commitment.BigInt(new(bigInt))})})
			require.NoError(b, err)
		}
		tx, err := bind.Transact(rollup.Instance(client, raddr), opts, rollup.PackCommitBatch(tb.After.Root.BigInt(new(bigInt)), 0, tb.After.Timestamp, tb.PublicData, raws[round]))
		require.NoError(b, err)
		backend.Commit()
		r, err = bind.WaitMined(ctx, client, tx.Hash())
		require.NoError(b, err)
		require.Equal(b, types.ReceiptStatusSuccessful, r.Status)
	}
	return r.GasUsed, verify
}

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
