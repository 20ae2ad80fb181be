package vm

import (
	"errors"
	"math"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

var l1Alice = common.HexToAddress("0x00000000000000000000000000000000000a11ce")

// TestExecutorRules is the table of every executor rule: each accept case,
// and each reject case with its sentinel. A rejected transaction must leave
// the batch exactly as it was.
func TestExecutorRules(t *testing.T) {
	const alice, bob, op, channel, exhausted, rich, nobody = 1, 2, 0, 5, 6, 7, 9
	setup := func(t *testing.T) *chain {
		c := newChain(t)
		for _, n := range []struct {
			name  string
			index uint32
		}{{"operator", op}, {"alice", alice}, {"bob", bob}, {"channel", channel}, {"exhausted", exhausted}, {"rich", rich}} {
			c.keys[n.index] = testKey(t, n.name)
		}
		pub := func(i uint32) PublicKey { return c.keys[i].Public() }
		c.genesis(map[uint32]Account{
			op:        {Kind: KindAccount, PubKey: pub(op), Balance: 1_000},
			alice:     {Kind: KindAccount, PubKey: pub(alice), Balance: 1_000_000},
			bob:       {Kind: KindAccount, PubKey: pub(bob), Balance: 500_000},
			channel:   {Kind: KindChannel, PubKey: pub(channel), Balance: 10_000, Aux: ElementFromUint64(99)},
			exhausted: {Kind: KindAccount, PubKey: pub(exhausted), Balance: 10_000, Nonce: math.MaxUint32},
			rich:      {Kind: KindAccount, PubKey: pub(rich), Balance: math.MaxUint64 - 100},
		})
		return c
	}
	type tcase struct {
		name string
		tx   func(c *chain, b *Batch) Tx
		want error // nil: accepted
		// check runs on an accepted case's batch.
		check func(t *testing.T, b *Batch)
	}
	balance := func(t *testing.T, b *Batch, i uint32) uint64 {
		a, err := b.Account(i)
		require.NoError(t, err)
		return a.Balance
	}
	cases := []tcase{
		// Deposits.
		{name: "deposit creates account", tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "carol", nobody, 5) },
			check: func(t *testing.T, b *Batch) { require.EqualValues(t, 5, balance(t, b, nobody)) }},
		{name: "deposit credits existing account", tx: func(c *chain, b *Batch) Tx {
			tx := c.deposit(b, "alice", alice, 5)
			return tx
		}, check: func(t *testing.T, b *Batch) { require.EqualValues(t, 1_000_005, balance(t, b, alice)) }},
		{name: "deposit out of queue order", want: ErrPriorityOrder, tx: func(c *chain, b *Batch) Tx {
			tx := c.deposit(b, "carol", nobody, 5)
			tx.PriorityID++
			return tx
		}},
		{name: "deposit to another key's account", want: ErrPubKeyMismatch, tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "mallory", alice, 5) }},
		{name: "deposit of zero", want: ErrZeroAmount, tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "carol", nobody, 0) }},
		{name: "deposit overflows balance", want: ErrOverflow, tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "rich", rich, 101) }},
		{name: "deposit into a channel leaf", want: ErrNotAccount, tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "channel", channel, 1) }},
		{name: "deposit with identity key", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			tx := c.deposit(b, "carol", nobody, 5)
			tx.PubKey = PublicKey{Y: ElementFromUint64(1)}
			return tx
		}},
		{name: "deposit with a signature set", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			tx := c.deposit(b, "carol", nobody, 5)
			tx.Sig[0] = 1
			return tx
		}},
		{name: "deposit index out of range", want: ErrIndexOutOfRange, tx: func(c *chain, b *Batch) Tx { return c.deposit(b, "carol", 1<<8, 5) }},

		// Full exits: always consumed; they pay only for the account's key.
		{name: "full exit pays the whole balance", tx: func(c *chain, b *Batch) Tx { return c.fullExit(b, alice, l1Alice, c.keys[alice]) },
			check: func(t *testing.T, b *Batch) {
				require.Zero(t, balance(t, b, alice))
				require.EqualValues(t, 1, b.PriorityCount())
			}},
		{name: "full exit signed by another key pays nothing", tx: func(c *chain, b *Batch) Tx { return c.fullExit(b, alice, l1Alice, c.keys[bob]) },
			check: func(t *testing.T, b *Batch) {
				require.EqualValues(t, 1_000_000, balance(t, b, alice))
				require.EqualValues(t, 1, b.PriorityCount(), "consumed all the same")
			}},
		{name: "full exit of an empty leaf pays nothing", tx: func(c *chain, b *Batch) Tx { return c.fullExit(b, nobody, l1Alice, c.keys[alice]) },
			check: func(t *testing.T, b *Batch) { require.EqualValues(t, 1, b.PriorityCount()) }},
		{name: "full exit of a channel leaf pays nothing", tx: func(c *chain, b *Batch) Tx { return c.fullExit(b, channel, l1Alice, c.keys[channel]) },
			check: func(t *testing.T, b *Batch) { require.EqualValues(t, 10_000, balance(t, b, channel)) }},
		{name: "full exit out of queue order", want: ErrPriorityOrder, tx: func(c *chain, b *Batch) Tx {
			tx := c.fullExit(b, alice, l1Alice, c.keys[alice])
			tx.PriorityID++
			return tx
		}},
		{name: "full exit to the zero address", want: ErrZeroAddress, tx: func(c *chain, b *Batch) Tx { return c.fullExit(b, alice, common.Address{}, c.keys[alice]) }},
		{name: "full exit with an amount", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			tx := c.fullExit(b, alice, l1Alice, c.keys[alice])
			tx.Amount = 5
			return tx
		}},

		// Transfers.
		{name: "transfer", tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 1000, 10, 0) },
			check: func(t *testing.T, b *Batch) {
				require.EqualValues(t, 1_000_000-1010, balance(t, b, alice))
				require.EqualValues(t, 501_000, balance(t, b, bob))
				require.EqualValues(t, 1_000, balance(t, b, op), "fees reach the operator at seal, not before")
				a, _ := b.Account(alice)
				require.EqualValues(t, 1, a.Nonce)
			}},
		{name: "transfer with zero fee", tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 1000, 0, 0) }},
		{name: "transfer to the operator", tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, op, 1000, 10, 0) }},
		{name: "transfer from the operator", tx: func(c *chain, b *Batch) Tx { return c.transfer(op, alice, 900, 100, 0) }},
		{name: "transfer bad signature", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.transfer(alice, bob, 1000, 10, 0)
			tx.Sig[40] ^= 1
			return tx
		}},
		{name: "transfer signed by the wrong key", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			return c.signed(Tx{Type: TxTransfer, ChainID: testChainID, From: alice, To: bob, Amount: 1000, Nonce: 0}, c.keys[bob])
		}},
		{name: "transfer with a changed amount", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.transfer(alice, bob, 1000, 10, 0)
			tx.Amount = 2000
			return tx
		}},
		{name: "transfer signed for another chain", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.signed(Tx{Type: TxTransfer, ChainID: testChainID + 1, From: alice, To: bob, Amount: 1000, Nonce: 0}, c.keys[alice])
			tx.ChainID = testChainID
			return tx
		}},
		{name: "transfer for another chain", want: ErrWrongChain, tx: func(c *chain, b *Batch) Tx {
			return c.signed(Tx{Type: TxTransfer, ChainID: testChainID + 1, From: alice, To: bob, Amount: 1000, Nonce: 0}, c.keys[alice])
		}},
		{name: "transfer nonce too high", want: ErrBadNonce, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 1000, 10, 1) }},
		{name: "transfer replayed", want: ErrBadNonce, tx: func(c *chain, b *Batch) Tx {
			tx := c.transfer(alice, bob, 1000, 10, 0)
			first := tx
			require.NoError(c.t, b.Apply(&first))
			return tx
		}},
		{name: "transfer nonce exhausted", want: ErrNonceExhausted, tx: func(c *chain, b *Batch) Tx { return c.transfer(exhausted, bob, 1000, 0, math.MaxUint32) }},
		{name: "transfer insufficient balance", want: ErrInsufficientBalance, tx: func(c *chain, b *Batch) Tx { return c.transfer(bob, alice, 500_000, 10, 0) }},
		{name: "transfer amount plus fee overflows", want: ErrOverflow, tx: func(c *chain, b *Batch) Tx {
			return c.transfer(alice, bob, 524287*1e13, 1800*1e16, 0)
		}},
		{name: "transfer overflows recipient", want: ErrOverflow, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, rich, 1000, 0, 0) }},
		{name: "transfer fee overflows operator", want: ErrOverflow, tx: func(c *chain, b *Batch) Tx {
			// The operator is rich here, so the fee credit would overflow.
			c.cfg.Operator = rich
			b.cfg.Operator = rich
			return c.transfer(alice, bob, 1000, 200, 0)
		}},
		{name: "transfer from unknown account", want: ErrUnknownAccount, tx: func(c *chain, b *Batch) Tx {
			c.keys[nobody] = testKey(c.t, "nobody")
			return c.transfer(nobody, bob, 1000, 0, 0)
		}},
		{name: "transfer to unknown account", want: ErrUnknownAccount, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, nobody, 1000, 0, 0) }},
		{name: "transfer from a channel leaf", want: ErrNotAccount, tx: func(c *chain, b *Batch) Tx { return c.transfer(channel, bob, 1000, 0, 0) }},
		{name: "transfer to a channel leaf", want: ErrNotAccount, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, channel, 1000, 0, 0) }},
		{name: "transfer of zero", want: ErrZeroAmount, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 0, 10, 0) }},
		{name: "transfer amount not packable", want: ErrAmountNotPackable, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 524289, 0, 0) }},
		{name: "transfer fee not packable", want: ErrFeeNotPackable, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, bob, 1000, 2049, 0) }},
		{name: "transfer to self", want: ErrSelfTransfer, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, alice, 1000, 0, 0) }},
		{name: "transfer index out of range", want: ErrIndexOutOfRange, tx: func(c *chain, b *Batch) Tx { return c.transfer(alice, 1<<8, 1000, 0, 0) }},
		{name: "transfer with l1To set", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			return c.signed(Tx{Type: TxTransfer, ChainID: testChainID, From: alice, To: bob, L1To: l1Alice, Amount: 1000}, c.keys[alice])
		}},
		{name: "transfer when the operator has no account", want: ErrUnknownAccount, tx: func(c *chain, b *Batch) Tx {
			b.cfg.Operator = nobody
			return c.transfer(alice, bob, 1000, 10, 0)
		}},
		{name: "transfer into a full batch", want: ErrBatchFull, tx: func(c *chain, b *Batch) Tx {
			for i := uint32(0); i < uint32(c.cfg.Slots-1); i++ {
				tx := c.transfer(alice, bob, 1, 1, i)
				require.NoError(c.t, b.Apply(&tx))
			}
			return c.transfer(alice, bob, 1, 1, uint32(c.cfg.Slots-1))
		}},
		{name: "unknown transaction type", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			return Tx{Type: 9, ChainID: testChainID, Amount: 1}
		}},

		// Withdrawals.
		{name: "withdraw", tx: func(c *chain, b *Batch) Tx { return c.withdraw(alice, l1Alice, 123_456, 10, 0) },
			check: func(t *testing.T, b *Batch) { require.EqualValues(t, 1_000_000-123_466, balance(t, b, alice)) }},
		{name: "withdraw to the zero address", want: ErrZeroAddress, tx: func(c *chain, b *Batch) Tx { return c.withdraw(alice, common.Address{}, 1000, 10, 0) }},
		{name: "withdraw more than the balance", want: ErrInsufficientBalance, tx: func(c *chain, b *Batch) Tx { return c.withdraw(alice, l1Alice, 1_000_000, 1, 0) }},
		{name: "withdraw bad signature", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.withdraw(alice, l1Alice, 1000, 10, 0)
			tx.L1To[0] ^= 1
			return tx
		}},
		{name: "withdraw with to set", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			return c.signed(Tx{Type: TxWithdraw, ChainID: testChainID, From: alice, To: bob, L1To: l1Alice, Amount: 1000}, c.keys[alice])
		}},
		{name: "withdraw fee not packable", want: ErrFeeNotPackable, tx: func(c *chain, b *Batch) Tx { return c.withdraw(alice, l1Alice, 1000, 12345, 0) }},
		{name: "withdraw into a batch with two slots left", want: ErrBatchFull, tx: func(c *chain, b *Batch) Tx {
			for i := uint32(0); i < uint32(c.cfg.Slots-3); i++ {
				tx := c.transfer(alice, bob, 1, 1, i)
				require.NoError(c.t, b.Apply(&tx))
			}
			return c.withdraw(alice, l1Alice, 1, 1, uint32(c.cfg.Slots-3))
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := setup(t)
			b := c.batch()
			tx := tc.tx(c, b)
			before := snapshot(t, b)
			err := b.Apply(&tx)
			if tc.want == nil {
				require.NoError(t, err)
				require.Greater(t, len(b.txs), before.txs)
				if tc.check != nil {
					tc.check(t, b)
				}
				sb, err := b.Seal()
				require.NoError(t, err)
				requireTraceConsistent(t, sb)
				return
			}
			require.ErrorIs(t, err, tc.want)
			require.True(t, IsRejection(err), "rejections must be recognised as such")
			require.Equal(t, before, snapshot(t, b), "a rejected transaction must change nothing")
		})
	}
}

type batchSnapshot struct {
	txs, steps int
	fee, prio  uint64
	accounts   map[uint32]Account
}

func snapshot(t *testing.T, b *Batch) batchSnapshot {
	s := batchSnapshot{txs: len(b.txs), steps: b.steps, fee: b.feeAcc, prio: b.prio, accounts: map[uint32]Account{}}
	for i := uint32(0); i < 16; i++ {
		a, err := b.Account(i)
		require.NoError(t, err)
		s.accounts[i] = a
	}
	return s
}

// requireTraceConsistent checks that the trace is a chain of valid leaf
// updates from the old root to the new, that registers end clean, and that
// the public data is the concatenation of the records and their payout map.
func requireTraceConsistent(t *testing.T, sb *SealedBatch) {
	t.Helper()
	root := sb.Before.Root
	require.Len(t, sb.PublicData, PublicDataSize(len(sb.Steps)))
	for i, st := range sb.Steps {
		for j, w := range st.Leaves {
			require.Equal(t, root, w.RootBefore, "step %d leaf %d starts at the running root", i, j)
			before, after := w.Before.Hash(), w.After.Hash()
			require.True(t, VerifyProof(len(w.Siblings), w.RootBefore, uint64(w.Index), before, w.Siblings), "step %d leaf %d old path", i, j)
			require.True(t, VerifyProof(len(w.Siblings), w.RootAfter, uint64(w.Index), after, w.Siblings), "step %d leaf %d new path", i, j)
			if !w.Used {
				require.Equal(t, w.Before, w.After)
			}
			root = w.RootAfter
		}
		require.Equal(t, st.Record[:], sb.PublicData[i*RecordSize:(i+1)*RecordSize])
		payoutBit := sb.PublicData[len(sb.Steps)*RecordSize+i/8]&(0x80>>(i%8)) != 0
		require.Equal(t, st.Op == OpWithdraw || st.Op == OpFullExit, payoutBit, "step %d's payout bit", i)
		require.Equal(t, st.Op, st.Record.Op())
		switch {
		case st.Op == OpFullExit:
			// The signature decides the payout; it need not hold.
			a := st.Leaves[0].Before
			pays := a.Kind == KindAccount && st.Sig.PubKey == a.PubKey && st.Sig.PubKey.VerifyElement(st.Sig.Message, st.Sig.Sig)
			want := uint64(0)
			if pays {
				want = a.Balance
			}
			require.Equal(t, want, st.Regs.Amount, "step %d full exit amount", i)
			require.Equal(t, a.Balance-want, st.Leaves[0].After.Balance)
		case st.Op == OpForcedChallenge || st.Op == OpForcedChallengeB:
			// The signatures decide the verdict; they need not hold, and
			// a leaf that is no account is checked against any key.
			if a := st.Leaves[0].Before; a.Kind == KindAccount {
				require.Equal(t, st.Sig.PubKey, a.PubKey, "step %d checks leaf A's owner", i)
			}
		case st.Sig != nil:
			require.True(t, st.Sig.PubKey.VerifyElement(st.Sig.Message, st.Sig.Sig), "step %d signature", i)
			require.Equal(t, st.Sig.PubKey, st.Leaves[0].Before.PubKey, "step %d is signed by leaf A's owner", i)
		}
	}
	require.Equal(t, sb.After.Root, root)
	last := sb.Steps[len(sb.Steps)-1].Regs
	require.Zero(t, last.FeeAcc, "fees must all be paid out")
	require.Zero(t, last.Pending)
	require.Equal(t, sb.After.PriorityCount, last.PriorityCount)
	require.Equal(t, sb.After.PriorityHash, last.PriorityHash)
}

func TestSealTraceAndPublicData(t *testing.T) {
	c := funded(t)
	c.requireConserved()
	b := c.batch()
	txs := []Tx{
		c.transfer(1, 2, 1000, 10, 0),
		c.deposit(b, "carol", 3, 77),
		c.withdraw(2, l1Alice, 5000, 20, 0),
		c.transfer(2, 1, 3, 0, 1),
	}
	for i := range txs {
		require.NoError(t, b.Apply(&txs[i]))
	}
	sb := c.commit(b)
	requireTraceConsistent(t, sb)
	c.requireConserved()

	require.Len(t, sb.Steps, c.cfg.Slots)
	ops := []Opcode{OpTransfer, OpDeposit, OpWithdraw, OpData, OpData, OpTransfer, OpFeePayout, OpNoop}
	for i, op := range ops {
		require.Equal(t, op, sb.Steps[i].Op, "step %d", i)
	}
	require.EqualValues(t, 30, sb.FeeTotal)
	require.Equal(t, []Withdrawal{{Account: 2, To: l1Alice, Amount: 5000}}, sb.Withdrawals)

	decoded, err := DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	require.Equal(t, []PublicOp{
		{Op: OpTransfer, Account: 1, To: 2, Amount: 1000, Fee: 10},
		{Op: OpDeposit, Account: 3, Amount: 77},
		{Op: OpWithdraw, Account: 2, Amount: 5000, Fee: 20, L1To: l1Alice},
		{Op: OpTransfer, Account: 2, To: 1, Amount: 3},
		{Op: OpFeePayout, Account: 0, Amount: 30},
	}, decoded)

	// The committed state is what the next batch reads.
	next := c.batch()
	opAcct, err := next.Account(0)
	require.NoError(t, err)
	require.EqualValues(t, 1_030, opAcct.Balance)
	carol, err := next.Account(3)
	require.NoError(t, err)
	require.Equal(t, testKey(t, "carol").Public(), carol.PubKey)
}

func TestSealTwiceFails(t *testing.T) {
	c := funded(t)
	b := c.batch()
	_, err := b.Seal()
	require.NoError(t, err)
	_, err = b.Seal()
	require.ErrorIs(t, err, ErrSealed)
	tx := c.transfer(1, 2, 1, 0, 0)
	require.ErrorIs(t, b.Apply(&tx), ErrSealed)
}

func TestPreVerifyIsBoundToTheTransaction(t *testing.T) {
	c := funded(t)
	b := c.batch()
	tx := c.transfer(1, 2, 1000, 10, 0)
	require.NoError(t, tx.PreVerify(c.keys[1].Public()))
	tx.Amount = 2000 // changed after verification: must be checked again
	require.ErrorIs(t, b.Apply(&tx), ErrBadSignature)

	tx = c.transfer(1, 2, 1000, 10, 0)
	tx.Sig[5] ^= 1
	require.ErrorIs(t, tx.PreVerify(c.keys[1].Public()), ErrBadSignature)
	require.ErrorIs(t, b.Apply(&tx), ErrBadSignature)

	// Verified against another key than the sender's: checked again.
	tx = c.signed(Tx{Type: TxTransfer, ChainID: testChainID, From: 1, To: 2, Amount: 1000}, c.keys[2])
	require.NoError(t, tx.PreVerify(c.keys[2].Public()))
	require.ErrorIs(t, b.Apply(&tx), ErrBadSignature)

	tx = c.transfer(1, 2, 1000, 10, 0)
	require.NoError(t, tx.PreVerify(c.keys[1].Public()))
	require.NoError(t, b.Apply(&tx))
}

func TestExecuteReportsRejections(t *testing.T) {
	c := funded(t)
	h := c.head()
	txs := []Tx{c.transfer(1, 2, 1000, 10, 0), c.transfer(1, 2, 1000, 10, 0), c.transfer(2, 1, 1000, 0, 0)}
	sb, rejected, err := Execute(c.cfg, c.store.ReaderAt(h.BatchNumber), h, txs)
	require.NoError(t, err)
	require.NoError(t, rejected[0])
	require.ErrorIs(t, rejected[1], ErrBadNonce)
	require.NoError(t, rejected[2])
	require.Len(t, sb.Txs, 2)
}

type failingReader struct{}

var errDisk = errors.New("disk on fire")

func (failingReader) Node(NodeKey) (Element, bool, error) { return Element{}, false, errDisk }
func (failingReader) Leaf(uint64) (Account, bool, error)  { return Account{}, false, errDisk }

func TestStoreErrorsAreNotRejections(t *testing.T) {
	c := funded(t)
	txs := []Tx{c.transfer(1, 2, 1000, 10, 0)}
	_, _, err := Execute(c.cfg, failingReader{}, c.head(), txs)
	require.ErrorIs(t, err, errDisk)
	require.False(t, IsRejection(err))
}
