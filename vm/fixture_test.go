package vm

import (
	"bytes"
	"crypto/sha256"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

const testChainID = 7

// testKey returns a deterministic key per name, so golden files are stable.
func testKey(t testing.TB, name string) *PrivateKey {
	t.Helper()
	seed := sha256.Sum256([]byte("keel test key " + name))
	k, err := generateKeyFrom(bytes.NewReader(seed[:]))
	require.NoError(t, err)
	return k
}

// chain is a small in-memory chain for executor tests.
type chain struct {
	t     testing.TB
	cfg   Config
	store *MemStore
	keys  map[uint32]*PrivateKey
	// deposited and withdrawn track money in and out for conservation checks.
	deposited, withdrawn uint64
}

func newChain(t testing.TB) *chain {
	cfg := Config{ChainID: testChainID, Depth: 8, Operator: 0, Slots: 16}
	return &chain{t: t, cfg: cfg, store: NewMemStore(cfg.Depth), keys: map[uint32]*PrivateKey{}}
}

func (c *chain) head() Meta {
	h, err := c.store.Head()
	require.NoError(c.t, err)
	return h
}

// genesis commits version 1 with raw leaves (for states deposits cannot
// reach, such as channel leaves or exhausted nonces).
func (c *chain) genesis(leaves map[uint32]Account) {
	tree, err := NewTree(c.cfg.Depth, c.store.ReaderAt(0))
	require.Equal(c.t, uint64(0), c.head().BatchNumber, "genesis goes first")
	require.NoError(c.t, err)
	for i, a := range leaves {
		require.NoError(c.t, tree.Set(uint64(i), a))
		c.deposited += a.Balance
	}
	root, err := tree.Root()
	require.NoError(c.t, err)
	nodes, ls := tree.Changes()
	require.NoError(c.t, c.store.Commit(&ChangeSet{Meta: Meta{BatchNumber: 1, Root: root}, Nodes: nodes, Leaves: ls}))
}

func (c *chain) batch() *Batch {
	h := c.head()
	b, err := NewBatch(c.cfg, c.store.ReaderAt(h.BatchNumber), h)
	require.NoError(c.t, err)
	return b
}

// commit seals b and commits it, keeping the money ledger.
func (c *chain) commit(b *Batch) *SealedBatch {
	sb, err := b.Seal()
	require.NoError(c.t, err)
	for _, tx := range sb.Txs {
		if tx.Type == TxDeposit || tx.Type == TxDepositRefund {
			c.deposited += tx.Amount
		}
	}
	for _, w := range sb.Withdrawals {
		c.withdrawn += w.Amount
	}
	require.NoError(c.t, c.store.Commit(sb.Changes))
	return sb
}

// deposit builds the next deposit for key name into index.
func (c *chain) deposit(b *Batch, name string, index uint32, amount uint64) Tx {
	k := testKey(c.t, name)
	c.keys[index] = k
	return Tx{Type: TxDeposit, ChainID: c.cfg.ChainID, PriorityID: b.PriorityCount(), To: index, PubKey: k.Public(), Amount: amount}
}

func (c *chain) signed(tx Tx, k *PrivateKey) Tx {
	require.NoError(c.t, tx.Sign(k))
	return tx
}

func (c *chain) transfer(from, to uint32, amount, fee uint64, nonce uint32) Tx {
	return c.signed(Tx{Type: TxTransfer, ChainID: c.cfg.ChainID, From: from, To: to, Amount: amount, Fee: fee, Nonce: nonce}, c.keys[from])
}

func (c *chain) withdraw(from uint32, to common.Address, amount, fee uint64, nonce uint32) Tx {
	return c.signed(Tx{Type: TxWithdraw, ChainID: c.cfg.ChainID, From: from, L1To: to, Amount: amount, Fee: fee, Nonce: nonce}, c.keys[from])
}

// fullExit builds the next full-exit request of account from to `to`,
// signed by k (nil: unsigned).
func (c *chain) fullExit(b *Batch, from uint32, to common.Address, k *PrivateKey) Tx {
	a, err := b.Account(from)
	require.NoError(c.t, err)
	tx := Tx{Type: TxFullExit, ChainID: c.cfg.ChainID, PriorityID: b.PriorityCount(), From: from, Nonce: a.Nonce, L1To: to}
	if k != nil {
		sig, err := k.SignElement(tx.Message())
		require.NoError(c.t, err)
		tx.Sig = sig
	}
	return tx
}

// funded returns a chain with operator 0, alice 1 and bob 2 funded.
func funded(t testing.TB) *chain {
	c := newChain(t)
	b := c.batch()
	for _, d := range []struct {
		name   string
		index  uint32
		amount uint64
	}{{"operator", 0, 1_000}, {"alice", 1, 1_000_000}, {"bob", 2, 500_000}} {
		tx := c.deposit(b, d.name, d.index, d.amount)
		require.NoError(t, b.Apply(&tx))
	}
	c.commit(b)
	return c
}

// totalBalance sums every leaf's balance at the head.
func (c *chain) totalBalance() uint64 {
	h := c.head()
	r := c.store.ReaderAt(h.BatchNumber)
	var sum uint64
	for i := uint64(0); i < 1<<uint(c.cfg.Depth); i++ {
		a, _, err := r.Leaf(i)
		require.NoError(c.t, err)
		sum += a.Balance
	}
	return sum
}

func (c *chain) requireConserved() {
	c.t.Helper()
	require.Equal(c.t, c.deposited, c.totalBalance()+c.withdrawn, "L2 balances plus withdrawals must equal deposits")
}
