package circuits_test

import (
	"bytes"
	"crypto/sha256"
	"math/rand"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// testConfig is the small circuit the tests prove: depth 4, 8 slots.
var testConfig = vm.Config{ChainID: 5, Depth: 4, Operator: 0, Slots: 8}

// testChain drives the VM to produce sealed batches for the circuit.
type testChain struct {
	t     testing.TB
	cfg   vm.Config
	store *vm.MemStore
	keys  map[uint32]*vm.PrivateKey
	nonce map[uint32]uint32
	// deposited and withdrawn keep the money ledger.
	deposited, withdrawn uint64
}

func newTestChain(t testing.TB, cfg vm.Config) *testChain {
	return &testChain{t: t, cfg: cfg, store: vm.NewMemStore(cfg.Depth), keys: map[uint32]*vm.PrivateKey{}, nonce: map[uint32]uint32{}}
}

func key(t testing.TB, name string) *vm.PrivateKey {
	seed := sha256.Sum256([]byte("prover test " + name))
	k, err := vm.PrivateKeyFromSeed(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// genesis commits version 1 with raw leaves, for states deposits cannot
// reach (channel leaves, exhausted nonces, balances near 2^64); keys names
// the accounts' keys.
func (c *testChain) genesis(leaves map[uint32]vm.Account, keys map[uint32]*vm.PrivateKey) {
	tree, err := vm.NewTree(c.cfg.Depth, c.store.ReaderAt(0))
	require.NoError(c.t, err)
	for i, a := range leaves {
		require.NoError(c.t, tree.Set(uint64(i), a))
	}
	for i, k := range keys {
		c.keys[i] = k
	}
	root, err := tree.Root()
	require.NoError(c.t, err)
	nodes, ls := tree.Changes()
	require.NoError(c.t, c.store.Commit(&vm.ChangeSet{Meta: vm.Meta{BatchNumber: 1, Root: root}, Nodes: nodes, Leaves: ls}))
}

func (c *testChain) batch() *vm.Batch {
	h, err := c.store.Head()
	require.NoError(c.t, err)
	b, err := vm.NewBatch(c.cfg, c.store.ReaderAt(h.BatchNumber), h)
	require.NoError(c.t, err)
	return b
}

func (c *testChain) seal(b *vm.Batch) *vm.SealedBatch {
	sb, err := b.Seal()
	require.NoError(c.t, err)
	require.NoError(c.t, c.store.Commit(sb.Changes))
	for _, tx := range sb.Txs {
		if tx.Type == vm.TxDeposit || tx.Type == vm.TxDepositRefund {
			c.deposited += tx.Amount
		}
	}
	for _, w := range sb.Withdrawals {
		c.withdrawn += w.Amount
	}
	return sb
}

func (c *testChain) deposit(b *vm.Batch, index uint32, amount uint64) vm.Tx {
	if c.keys[index] == nil {
		c.keys[index] = key(c.t, string(rune('A'+index)))
	}
	return vm.Tx{Type: vm.TxDeposit, ChainID: c.cfg.ChainID, PriorityID: b.PriorityCount(), To: index, PubKey: c.keys[index].Public(), Amount: amount}
}

func (c *testChain) signed(tx vm.Tx) vm.Tx {
	tx.ChainID = c.cfg.ChainID
	tx.Nonce = c.nonce[tx.From]
	require.NoError(c.t, tx.Sign(c.keys[tx.From]))
	return tx
}

func (c *testChain) apply(b *vm.Batch, tx vm.Tx) error {
	err := b.Apply(&tx)
	if err == nil && tx.Type.IsSigned() {
		c.nonce[tx.From]++
	}
	return err
}

// funded seals a first batch of deposits into accounts 0..n-1.
func (c *testChain) funded(n uint32) *vm.SealedBatch {
	b := c.batch()
	for i := uint32(0); i < n; i++ {
		require.NoError(c.t, c.apply(b, c.deposit(b, i, 1_000_000+uint64(i))))
	}
	return c.seal(b)
}

// randomBatch fills a batch with random transactions of every kind; the
// VM decides which are valid.
func (c *testChain) randomBatch(rng *rand.Rand, accounts uint32) *vm.SealedBatch {
	b := c.batch()
	fill := 1 + rng.Intn(c.cfg.Slots-1) // some batches end in noop padding
	for tries := 0; tries < 20 && b.StepsUsed() < fill; tries++ {
		i, j := uint32(rng.Intn(int(accounts))), uint32(rng.Intn(int(accounts)))
		var tx vm.Tx
		switch k := rng.Intn(7); {
		case k == 0 || c.keys[i] == nil:
			tx = c.deposit(b, i, uint64(rng.Intn(100_000)+1))
		case k <= 3:
			tx = c.signed(vm.Tx{Type: vm.TxTransfer, From: i, To: j, Amount: vm.RoundAmount(uint64(rng.Intn(300_000) + 1)), Fee: vm.RoundFee(uint64(rng.Intn(3000)))})
		case k == 4:
			tx = c.signed(vm.Tx{Type: vm.TxWithdraw, From: i, L1To: common.Address{byte(i + 1), 0xee}, Amount: uint64(rng.Intn(200_000) + 1), Fee: vm.RoundFee(uint64(rng.Intn(3000)))})
		default:
			// Sponsored by j, which may be the sender, the recipient or
			// no account at all.
			tx = vm.Tx{Type: vm.TxTransfer, From: i, To: uint32(rng.Intn(int(accounts))), Amount: vm.RoundAmount(uint64(rng.Intn(300_000) + 1)), Fee: vm.RoundFee(uint64(rng.Intn(3000)))}
			if k == 6 {
				tx = vm.Tx{Type: vm.TxWithdraw, From: i, L1To: common.Address{byte(i + 1), 0xee}, Amount: uint64(rng.Intn(200_000) + 1), Fee: vm.RoundFee(uint64(rng.Intn(3000)))}
			}
			tx.Sponsored, tx.Sponsor = true, j
			tx = c.signed(tx)
			if c.keys[j] != nil {
				require.NoError(c.t, tx.SignSponsor(c.keys[j]))
			}
		}
		_ = c.apply(b, tx)
	}
	return c.seal(b)
}

func (c *testChain) requireConserved() {
	h, err := c.store.Head()
	require.NoError(c.t, err)
	r := c.store.ReaderAt(h.BatchNumber)
	var sum uint64
	for i := uint64(0); i < 1<<uint(c.cfg.Depth); i++ {
		a, _, err := r.Leaf(i)
		require.NoError(c.t, err)
		sum += a.Balance
	}
	require.Equal(c.t, c.deposited, sum+c.withdrawn, "L2 balances plus withdrawals must equal deposits")
}
