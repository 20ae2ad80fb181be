package l1node_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"math/big"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/keel-rollup/keel/bridge"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/node/l1node"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/rs/zerolog"
	"github.com/stretchr/testify/require"
)

// TestEmbeddedL1SettlesARealBatch: the embedded dev node starts, the
// contracts deploy, a deposit goes in, the prover's real proof of the
// batch verifies on it through the bridge's submitter and moves the root;
// after a restart of the node the same root reads back.
func TestEmbeddedL1SettlesARealBatch(t *testing.T) {
	if testing.Short() {
		t.Skip("runs a geth node and proves; run without -short")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	log := zerolog.New(zerolog.NewTestWriter(t)).Level(zerolog.InfoLevel)
	cfg := vm.Config{ChainID: 77, Depth: 4, Operator: 0, Slots: 4}

	ccs, err := prover.CompileBatch(cfg.Slots, cfg.Depth)
	require.NoError(t, err)
	keys, err := prover.DevKeys(ctx, filepath.Join(os.TempDir(), "keel-test-keys"), ccs, log)
	require.NoError(t, err)
	p, err := prover.New(cfg, keys)
	require.NoError(t, err)

	l1cfg := l1node.DefaultConfig(t.TempDir())
	l1cfg.HTTPPort, l1cfg.WSPort = 0, 0
	n, err := l1node.New(l1cfg, log)
	require.NoError(t, err)
	require.NoError(t, n.Start(ctx))
	client, err := bridge.Dial(ctx, n.HTTPEndpoint())
	require.NoError(t, err)
	dev := n.DevAccounts()[0]
	opts := bind.NewKeyedTransactor(dev.Key, n.ChainID())
	mined := func(tx *types.Transaction) *types.Receipt {
		r, err := bind.WaitMined(ctx, client, tx.Hash())
		require.NoError(t, err)
		require.Equal(t, types.ReceiptStatusSuccessful, r.Status)
		return r
	}

	code, err := l1contracts.VerifierBytecode(keys.VK)
	require.NoError(t, err)
	vaddr, tx, err := bind.DeployContract(opts, code, client, nil)
	require.NoError(t, err)
	mined(tx)
	rollup := l1contracts.NewRollup()
	genesis := vm.GenesisMeta(cfg.Depth)
	raddr, tx, err := bind.DeployContract(opts, common.FromHex(l1contracts.RollupMetaData.Bin), client,
		rollup.PackConstructor(vaddr, vaddr, 100, uint8(cfg.Depth), cfg.ChainID, cfg.Operator, uint32(cfg.Slots), genesis.Root.BigInt(new(big.Int)), dev.Address))
	require.NoError(t, err)
	mined(tx)
	inst := rollup.Instance(client, raddr)

	seed := sha256.Sum256([]byte("embedded l1 alice"))
	alice, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	pub := alice.Public()
	o := bind.NewKeyedTransactor(dev.Key, n.ChainID())
	o.Value = big.NewInt(3e9) // 3 gwei
	tx, err = bind.Transact(inst, o, rollup.PackDeposit(vm.DepositKeyOf(pub)))
	require.NoError(t, err)
	mined(tx)

	store := vm.NewMemStore(cfg.Depth)
	// Stamped with L1 time: the Rollup refuses a batch a day behind it.
	l1Head, err := client.HeaderByNumber(ctx, nil)
	require.NoError(t, err)
	sb, rej, err := vm.ExecuteAt(cfg, store.ReaderAt(0), genesis, l1Head.Time, []vm.Tx{{Type: vm.TxDeposit, ChainID: cfg.ChainID, PriorityID: 0, To: 0, PubKey: pub, Amount: 3}})
	require.NoError(t, err)
	require.NoError(t, rej[0])
	proof, err := p.Prove(sb)
	require.NoError(t, err)
	raw, err := proof.SolidityBytes()
	require.NoError(t, err)

	sub, err := bridge.NewSubmitter(ctx, bridge.SubmitterConfig{Rollup: raddr, Key: dev.Key}, client, log)
	require.NoError(t, err)
	require.NoError(t, sub.Submit(ctx, bridge.Batch{Number: 1, NewRoot: sb.After.Root.BigInt(new(big.Int)), PrioConsumed: 1, Timestamp: sb.After.Timestamp, PublicData: sb.PublicData, Proof: raw}))
	for {
		done, err := sub.Poll(ctx)
		require.NoError(t, err)
		if len(done) > 0 {
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("batch never mined")
		case <-time.After(200 * time.Millisecond):
		}
	}
	root, err := bind.Call(inst, nil, rollup.PackStateRoot(), rollup.UnpackStateRoot)
	require.NoError(t, err)
	require.Equal(t, sb.After.Root.BigInt(new(big.Int)), root, "the L1 root is the sequencer's")
	client.Close()
	require.NoError(t, n.Stop(ctx))

	// Restart on the same data dir: the root is still there.
	n2, err := l1node.New(l1cfg, log)
	require.NoError(t, err)
	require.NoError(t, n2.Start(ctx))
	defer n2.Stop(context.Background())
	client, err = bridge.Dial(ctx, n2.HTTPEndpoint())
	require.NoError(t, err)
	defer client.Close()
	root, err = bind.Call(rollup.Instance(client, raddr), nil, rollup.PackStateRoot(), rollup.UnpackStateRoot)
	require.NoError(t, err)
	require.Equal(t, sb.After.Root.BigInt(new(big.Int)), root, "the root survives a restart")
	batch, err2 := bind.Call(rollup.Instance(client, raddr), nil, rollup.PackBatchNumber(), rollup.UnpackBatchNumber)
	require.NoError(t, err2)
	require.EqualValues(t, 1, batch)
}
