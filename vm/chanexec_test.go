package vm

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

// The channel the tests open: alice (A, account 1) and bob (B, account 2)
// of the funded fixture, in leaf 10, each funding part of it.
const (
	partyA, partyB, chanLeaf = 1, 2, 10
	chanPeriod               = 3600
	fundA, fundB             = 300_000, 200_000
	chanTotal                = fundA + fundB
)

// batchAt starts the next batch at time ts.
func (c *chain) batchAt(ts uint64) *Batch {
	c.t.Helper()
	b := c.batch()
	require.NoError(c.t, b.SetTimestamp(ts))
	return b
}

// openTx builds a's open of a channel with b in leaf, signed by a and, when
// b funds it, by b.
func (c *chain) openTx(a, b, leaf uint32, amountA, amountB, fee uint64, nonce uint32) Tx {
	tx := Tx{Type: TxChanOpen, ChainID: c.cfg.ChainID, From: a, To: b, Channel: leaf, Amount: amountA, AmountB: amountB, Fee: fee, Nonce: nonce, Period: chanPeriod}
	require.NoError(c.t, tx.Sign(c.keys[a]))
	if amountB > 0 {
		require.NoError(c.t, tx.SignB(c.keys[b]))
	}
	return tx
}

// chanState is a state of the channel that account a opened with its
// transaction of the given nonce.
func chanState(a, nonce uint32, version, balA, balB uint64, final bool) ChannelState {
	return ChannelState{ChainID: testChainID, ChannelID: ChannelIDOf(a, nonce), Version: version, BalanceA: balA, BalanceB: balB, Final: final}
}

// stateTx builds a close, dispute or challenge of the channel in leaf that
// carries st, with ka's signature of it as Sig and kb's as SigB; a nil key
// leaves its signature zero.
func stateTx(t testing.TB, typ TxType, leaf uint32, st ChannelState, ka, kb *PrivateKey) Tx {
	tx := Tx{Type: typ, Channel: leaf}
	tx.SetChannelState(st)
	var err error
	if ka != nil {
		tx.Sig, err = st.Sign(ka)
		require.NoError(t, err)
	}
	if kb != nil {
		tx.SigB, err = st.Sign(kb)
		require.NoError(t, err)
	}
	return tx
}

// cosigned is stateTx signed by the accounts a and b, the channel's parties.
func (c *chain) cosigned(typ TxType, leaf uint32, st ChannelState, a, b uint32) Tx {
	return stateTx(c.t, typ, leaf, st, c.keys[a], c.keys[b])
}

func finalizeTx(leaf uint32) Tx { return Tx{Type: TxChanFinalize, ChainID: testChainID, Channel: leaf} }

func batchLeaf(t *testing.T, b *Batch, i uint32) Account {
	t.Helper()
	a, err := b.Account(i)
	require.NoError(t, err)
	return a
}

func batchChannel(t *testing.T, b *Batch, i uint32) ChannelLeaf {
	t.Helper()
	a := batchLeaf(t, b, i)
	ch, err := ChannelOf(&a)
	require.NoError(t, err)
	return ch
}

// headLeaf reads leaf i of the committed head.
func (c *chain) headLeaf(i uint32) Account {
	a, _, err := c.store.ReaderAt(c.head().BatchNumber).Leaf(uint64(i))
	require.NoError(c.t, err)
	return a
}

func (c *chain) headChannel(i uint32) ChannelLeaf {
	a := c.headLeaf(i)
	ch, err := ChannelOf(&a)
	require.NoError(c.t, err)
	return ch
}

func requireBalance(t *testing.T, a Account, balance uint64, nonce uint32, msg string) {
	t.Helper()
	require.Equal(t, KindAccount, a.Kind, msg)
	require.Equal(t, balance, a.Balance, "%s: balance", msg)
	require.Equal(t, nonce, a.Nonce, "%s: nonce", msg)
}

func applyAll(t testing.TB, b *Batch, txs ...Tx) {
	t.Helper()
	for i := range txs {
		require.NoError(t, b.Apply(&txs[i]), "tx %d (%s)", i, txs[i].Type)
	}
}

// replaySealed replays pd as the public data of the batch sb sealed, at
// time ts, on the state before it, with the L1 queue serving the batch's
// deposits.
func replaySealed(c *chain, sb *SealedBatch, ts uint64, pd []byte) (*ChangeSet, error) {
	queue := map[uint64]L1Deposit{}
	for _, tx := range sb.Txs {
		if tx.Type == TxDeposit {
			queue[tx.PriorityID] = L1Deposit{PubKey: tx.PubKey, Amount: tx.Amount}
		}
	}
	return ReplayPublicData(c.cfg, c.store.ReaderAt(sb.Before.BatchNumber), sb.Before, ts, pd, func(id uint64) (L1Deposit, error) {
		d, ok := queue[id]
		if !ok {
			return L1Deposit{}, fmt.Errorf("no L1 request %d", id)
		}
		return d, nil
	})
}

// commitChecked seals and commits b, then checks the sealed batch: the
// trace is a consistent chain of leaf updates, a node that follows L1
// rebuilds exactly the same change set from the public data alone,
// re-executing the batch's transactions gives the same batch, and no money
// appeared or vanished.
func commitChecked(t *testing.T, c *chain, b *Batch) *SealedBatch {
	t.Helper()
	sb := c.commit(b)
	requireTraceConsistent(t, sb)
	cs, err := replaySealed(c, sb, sb.After.Timestamp, sb.PublicData)
	require.NoError(t, err, "the public data replays")
	require.Equal(t, sb.After, cs.Meta)
	require.Equal(t, sb.Changes.Leaves, cs.Leaves, "replayed leaves")
	require.Equal(t, sb.Changes.Nodes, cs.Nodes, "replayed nodes")

	again, rejected, err := ExecuteAt(c.cfg, c.store.ReaderAt(sb.Before.BatchNumber), sb.Before, sb.After.Timestamp, sb.Txs)
	require.NoError(t, err)
	for i, r := range rejected {
		require.NoError(t, r, "re-executing tx %d", i)
	}
	require.Equal(t, sb.After, again.After)
	require.Equal(t, sb.PublicData, again.PublicData)
	c.requireConserved()
	return sb
}

func requireOps(t *testing.T, sb *SealedBatch, ops ...Opcode) {
	t.Helper()
	for i, st := range sb.Steps {
		want := OpNoop
		if i < len(ops) {
			want = ops[i]
		}
		require.Equal(t, want, st.Op, "step %d", i)
	}
}

func decodeOps(t *testing.T, sb *SealedBatch) []PublicOp {
	t.Helper()
	ops, err := DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	return ops
}

// doctored returns a copy of pd changed by f.
func doctored(pd []byte, f func(pd []byte)) []byte {
	out := append([]byte(nil), pd...)
	f(out)
	return out
}

// openChannel commits alice's open of the test channel (no fee) at ts.
func openChannel(t *testing.T, c *chain, ts uint64) {
	t.Helper()
	b := c.batchAt(ts)
	applyAll(t, b, c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0))
	commitChecked(t, c, b)
}

// TestChannelHonestLifecycle: alice and bob open a channel both fund, pay
// each other off chain, and close it cooperatively with the final state.
func TestChannelHonestLifecycle(t *testing.T) {
	c := funded(t)
	c.requireConserved()

	b := c.batchAt(1_000)
	open := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 50, 0)
	applyAll(t, b, open)
	requireBalance(t, batchLeaf(t, b, partyA), 1_000_000-fundA-50, 1, "A pays its funding and the fee, and uses its nonce")
	requireBalance(t, batchLeaf(t, b, partyB), 500_000-fundB, 0, "B pays its funding; its nonce is its own")
	requireBalance(t, batchLeaf(t, b, 0), 1_000, 0, "the fee reaches the operator at seal, not before")
	want := ChannelLeaf{Status: ChannelOpen, A: partyA, B: partyB, OpenNonce: 0, Period: chanPeriod, SplitA: fundA, Total: chanTotal}
	require.Equal(t, want, batchChannel(t, b, chanLeaf))

	sb := commitChecked(t, c, b)
	require.EqualValues(t, 50, sb.FeeTotal)
	requireOps(t, sb, OpChanOpen, OpChanFund, OpFeePayout)
	requireBalance(t, c.headLeaf(0), 1_050, 0, "operator after seal")
	requireBalance(t, c.headLeaf(partyA), 1_000_000-fundA-50, 1, "A after seal")
	requireBalance(t, c.headLeaf(partyB), 500_000-fundB, 0, "B after seal")
	leaf := c.headLeaf(chanLeaf)
	require.Equal(t, KindChannel, leaf.Kind)
	require.EqualValues(t, chanTotal, leaf.Balance, "the leaf's balance is the locked total")
	require.Zero(t, leaf.Nonce)
	require.True(t, leaf.Aux.IsZero())
	ch := c.headChannel(chanLeaf)
	require.Equal(t, want, ch)
	require.Equal(t, leaf, ch.Leaf(), "the leaf re-encodes as stored")
	require.Equal(t, ChannelIDOf(partyA, 0), ch.ID())
	require.Equal(t, uint64(partyA)<<32, ch.ID())

	// 57 payments of 3,000 from alice to bob, each state signed by both;
	// only the last, marked final, goes on chain.
	var final ChannelState
	for v := uint64(1); v <= 57; v++ {
		final = chanState(partyA, 0, v, fundA-3_000*v, fundB+3_000*v, v == 57)
	}
	require.EqualValues(t, 129_000, final.BalanceA)
	b = c.batchAt(2_000)
	applyAll(t, b, c.cosigned(TxChanClose, chanLeaf, final, partyA, partyB))
	requireBalance(t, batchLeaf(t, b, partyA), 1_000_000-fundA-50+129_000, 1, "A paid its share")
	requireBalance(t, batchLeaf(t, b, partyB), 500_000-fundB+371_000, 0, "B paid its share")
	require.Equal(t, Account{}, batchLeaf(t, b, chanLeaf), "a settled channel leaves an empty leaf")
	sb = commitChecked(t, c, b)
	require.Zero(t, sb.FeeTotal)
	requireOps(t, sb, OpChanClose, OpChanPayB)
	require.Equal(t, []PublicOp{{Op: OpChanClose, Channel: chanLeaf, Account: partyB, Amount: 129_000, AmountB: 371_000}}, decodeOps(t, sb))
	_, err := replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[11]++ }))
	require.ErrorIs(t, err, ErrReplay, "a close that pays out more than the channel holds")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[RecordSize+3] = partyA }))
	require.ErrorIs(t, err, ErrReplay, "a close that pays B's share to another account")
	require.Equal(t, Account{}, c.headLeaf(chanLeaf))
	requireBalance(t, c.headLeaf(0), 1_050, 0, "a close pays no fee")
	requireBalance(t, c.headLeaf(partyA), 829_000-50, 1, "A after the close")
	requireBalance(t, c.headLeaf(partyB), 671_000, 0, "B after the close")

	// The leaf is free again; alice's next channel in it has a new id.
	b = c.batchAt(3_000)
	applyAll(t, b, c.openTx(partyA, partyB, chanLeaf, 100_000, 0, 0, 1))
	reopened := batchChannel(t, b, chanLeaf)
	require.Equal(t, ChannelIDOf(partyA, 1), reopened.ID())
	commitChecked(t, c, b)
}

// TestChannelDisputeChallengeFinalize is the adversarial script: Mallory
// (alice, party A) closes unilaterally with an old state she likes better;
// bob, watching, refutes it with the newer state within the challenge
// period, and the channel pays out the newer split after the deadline.
func TestChannelDisputeChallengeFinalize(t *testing.T) {
	t.Run("stale state refuted", func(t *testing.T) {
		c := funded(t)
		openChannel(t, c, 1_000)
		older := chanState(partyA, 0, 9, 290_000, 210_000, false)
		stale := chanState(partyA, 0, 10, 280_000, 220_000, false)
		latest := chanState(partyA, 0, 20, 100_000, 400_000, false)

		// Mallory disputes with version 10 at time 5,000.
		b := c.batchAt(5_000)
		applyAll(t, b, c.cosigned(TxChanDispute, chanLeaf, stale, partyA, partyB))
		closing := ChannelLeaf{Status: ChannelClosing, A: partyA, B: partyB, Period: chanPeriod, Deadline: 5_000 + chanPeriod, Version: 10, SplitA: 280_000, Total: chanTotal}
		require.Equal(t, closing, batchChannel(t, b, chanLeaf))
		requireBalance(t, batchLeaf(t, b, partyA), 1_000_000-fundA, 1, "a dispute pays nothing yet")
		requireBalance(t, batchLeaf(t, b, partyB), 500_000-fundB, 0, "a dispute pays nothing yet")
		fin := finalizeTx(chanLeaf)
		require.ErrorIs(t, b.Apply(&fin), ErrChannelState, "finalize in the dispute's batch")
		redispute := c.cosigned(TxChanDispute, chanLeaf, latest, partyA, partyB)
		require.ErrorIs(t, b.Apply(&redispute), ErrChannelState, "a closing channel cannot be disputed again")
		sb := commitChecked(t, c, b)
		require.Equal(t, []PublicOp{{Op: OpChanDispute, Channel: chanLeaf, Account: partyB, Version: 10, AmountB: 220_000}}, decodeOps(t, sb))

		// Bob challenges one second before the deadline.
		b = c.batchAt(8_599)
		for name, st := range map[string]ChannelState{"the closing version": stale, "an older version": older} {
			tx := c.cosigned(TxChanChallenge, chanLeaf, st, partyA, partyB)
			require.ErrorIs(t, b.Apply(&tx), ErrStaleState, name)
		}
		applyAll(t, b, c.cosigned(TxChanChallenge, chanLeaf, latest, partyA, partyB))
		closing.Version, closing.SplitA = 20, 100_000
		require.Equal(t, closing, batchChannel(t, b, chanLeaf), "the challenge replaces the state and keeps the deadline")
		again := c.cosigned(TxChanChallenge, chanLeaf, latest, partyA, partyB)
		require.ErrorIs(t, b.Apply(&again), ErrStaleState, "the same challenge twice")
		fin = finalizeTx(chanLeaf)
		require.ErrorIs(t, b.Apply(&fin), ErrChannelState, "finalize one second early")
		sb = commitChecked(t, c, b)
		require.Equal(t, []PublicOp{{Op: OpChanChallenge, Channel: chanLeaf, Account: partyB, Version: 20, AmountB: 400_000}}, decodeOps(t, sb))
		require.Equal(t, closing, c.headChannel(chanLeaf))

		// At the deadline the period is over: no more challenges; finalize pays.
		b = c.batchAt(8_600)
		late := c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 30, 50_000, 450_000, false), partyA, partyB)
		require.ErrorIs(t, b.Apply(&late), ErrChannelState, "challenge at the deadline")
		applyAll(t, b, finalizeTx(chanLeaf))
		requireBalance(t, batchLeaf(t, b, partyA), 1_000_000-fundA+100_000, 1, "A paid the challenged split")
		requireBalance(t, batchLeaf(t, b, partyB), 500_000-fundB+400_000, 0, "B paid the challenged split")
		require.Equal(t, Account{}, batchLeaf(t, b, chanLeaf))
		sb = commitChecked(t, c, b)
		require.Equal(t, []PublicOp{{Op: OpChanFinalize, Channel: chanLeaf, Account: partyB, Amount: 100_000, AmountB: 400_000}}, decodeOps(t, sb))

		// Settled: the channel is gone for every operation.
		b = c.batchAt(9_000)
		for _, tx := range []Tx{
			finalizeTx(chanLeaf),
			c.cosigned(TxChanClose, chanLeaf, chanState(partyA, 0, 21, 0, chanTotal, true), partyA, partyB),
			c.cosigned(TxChanDispute, chanLeaf, latest, partyA, partyB),
			c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 31, 0, chanTotal, false), partyA, partyB),
		} {
			require.ErrorIs(t, b.Apply(&tx), ErrNotChannel, "%s after finalize", tx.Type)
		}
	})

	t.Run("opening state", func(t *testing.T) {
		c := funded(t)
		openChannel(t, c, 1_000)
		b := c.batchAt(2_000)
		// Version 0 must repeat the opening split, and carries no
		// signatures (one encoding per transaction).
		wrong := chanState(partyA, 0, 0, 250_000, 250_000, false)
		tx := stateTx(t, TxChanDispute, chanLeaf, wrong, c.keys[partyA], nil)
		require.ErrorIs(t, b.Apply(&tx), ErrChannelSplit)
		opening := chanState(partyA, 0, 0, fundA, fundB, false)
		tx = c.cosigned(TxChanDispute, chanLeaf, opening, partyA, partyB)
		require.ErrorIs(t, b.Apply(&tx), ErrMalformed, "both signatures")
		tx = stateTx(t, TxChanDispute, chanLeaf, opening, nil, nil)
		require.ErrorIs(t, b.Apply(&tx), ErrMalformed, "no signature")
		// Only a party may close with the opening state.
		tx = stateTx(t, TxChanDispute, chanLeaf, opening, testKey(t, "stranger"), nil)
		require.ErrorIs(t, b.Apply(&tx), ErrBadSignature, "a stranger as A")
		tx = stateTx(t, TxChanDispute, chanLeaf, opening, nil, testKey(t, "stranger"))
		require.ErrorIs(t, b.Apply(&tx), ErrBadSignature, "a stranger as B")
		tx = stateTx(t, TxChanDispute, chanLeaf, opening, c.keys[partyB], nil)
		require.ErrorIs(t, b.Apply(&tx), ErrBadSignature, "B's signature in A's place")
		// The opening itself needs no signature: the chain recorded it.
		applyAll(t, b, stateTx(t, TxChanDispute, chanLeaf, chanState(partyA, 0, 0, fundA, fundB, false), c.keys[partyA], nil))
		closing := ChannelLeaf{Status: ChannelClosing, A: partyA, B: partyB, Period: chanPeriod, Deadline: 2_000 + chanPeriod, SplitA: fundA, Total: chanTotal}
		require.Equal(t, closing, batchChannel(t, b, chanLeaf))
		// Bob challenges in the same batch with the first update.
		applyAll(t, b, c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 1, 200_000, 300_000, false), partyA, partyB))
		closing.Version, closing.SplitA = 1, 200_000
		require.Equal(t, closing, batchChannel(t, b, chanLeaf))
		sb := commitChecked(t, c, b)
		requireOps(t, sb, OpChanDispute, OpChanPayB, OpChanChallenge, OpChanPayB)
		require.NotNil(t, sb.Steps[0].Sig, "the opening dispute checks its closer's signature (A's)")
		require.False(t, sb.Steps[0].Chan.Closer)
		require.Nil(t, sb.Steps[1].Sig, "and not B's")
		require.NotNil(t, sb.Steps[2].Sig, "a challenge checks A's signature")
		require.NotNil(t, sb.Steps[3].Sig, "and B's")
		require.Equal(t, []PublicOp{
			{Op: OpChanDispute, Channel: chanLeaf, Account: partyB, Version: 0, AmountB: fundB},
			{Op: OpChanChallenge, Channel: chanLeaf, Account: partyB, Version: 1, AmountB: 300_000},
		}, decodeOps(t, sb))

		b = c.batchAt(2_000 + chanPeriod)
		applyAll(t, b, finalizeTx(chanLeaf))
		commitChecked(t, c, b)
		requireBalance(t, c.headLeaf(partyA), 1_000_000-fundA+200_000, 1, "A")
		requireBalance(t, c.headLeaf(partyB), 500_000-fundB+300_000, 0, "B")
	})

	t.Run("unchallenged opening pays back the funding", func(t *testing.T) {
		c := funded(t)
		openChannel(t, c, 1_000)
		b := c.batchAt(1_000)
		applyAll(t, b, stateTx(t, TxChanDispute, chanLeaf, chanState(partyA, 0, 0, fundA, fundB, false), c.keys[partyA], nil))
		fin := finalizeTx(chanLeaf)
		require.ErrorIs(t, b.Apply(&fin), ErrChannelState, "the period is never zero")
		commitChecked(t, c, b)
		b = c.batchAt(1_000 + chanPeriod + 1)
		applyAll(t, b, finalizeTx(chanLeaf))
		commitChecked(t, c, b)
		requireBalance(t, c.headLeaf(partyA), 1_000_000, 1, "A")
		requireBalance(t, c.headLeaf(partyB), 500_000, 0, "B")
		require.Equal(t, Account{}, c.headLeaf(chanLeaf))
	})
}

// channelStage brings c to one of the stages the Mallory cases start
// from, committing its batches at fixed times so that the cases know the
// deadline (closing: 2,000 + 3,600):
//
//	fresh      the funded fixture
//	open       the test channel opened at 1,000
//	closing    ... disputed at 2,000 with version 10
//	finalized  ... finalized at the deadline
//	closed     the test channel closed cooperatively at 2,000 (version 57)
//	reopened   ... and alice's next channel with bob in the same leaf,
//	           funded as the first, at 3,000
func channelStage(t *testing.T, c *chain, stage string) {
	t.Helper()
	switch stage {
	case "fresh":
	case "open":
		openChannel(t, c, 1_000)
	case "closing":
		openChannel(t, c, 1_000)
		b := c.batchAt(2_000)
		applyAll(t, b, c.cosigned(TxChanDispute, chanLeaf, chanState(partyA, 0, 10, 280_000, 220_000, false), partyA, partyB))
		commitChecked(t, c, b)
	case "finalized":
		channelStage(t, c, "closing")
		b := c.batchAt(2_000 + chanPeriod)
		applyAll(t, b, finalizeTx(chanLeaf))
		commitChecked(t, c, b)
	case "closed":
		openChannel(t, c, 1_000)
		b := c.batchAt(2_000)
		applyAll(t, b, c.cosigned(TxChanClose, chanLeaf, chanState(partyA, 0, 57, 129_000, 371_000, true), partyA, partyB))
		commitChecked(t, c, b)
	case "reopened":
		channelStage(t, c, "closed")
		b := c.batchAt(3_000)
		applyAll(t, b, c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 1))
		commitChecked(t, c, b)
	default:
		t.Fatalf("unknown stage %q", stage)
	}
}

// TestChannelMallory: every way to cheat a channel, and every malformed
// channel operation, is rejected with its sentinel and leaves the batch
// exactly as it was.
func TestChannelMallory(t *testing.T) {
	final57 := chanState(partyA, 0, 57, 129_000, 371_000, true)
	v10 := chanState(partyA, 0, 10, 280_000, 220_000, false)
	v20 := chanState(partyA, 0, 20, 100_000, 400_000, false)
	type tcase struct {
		name  string
		stage string // default "open"
		at    uint64 // batch time; default the head's + 1
		tx    func(c *chain, b *Batch) Tx
		want  error
	}
	a, bb := func(c *chain) *PrivateKey { return c.keys[partyA] }, func(c *chain) *PrivateKey { return c.keys[partyB] }
	cases := []tcase{
		// Signatures of a state.
		{name: "close signed by A only", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx { return stateTx(c.t, TxChanClose, chanLeaf, final57, a(c), nil) }},
		{name: "close signed by A twice", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx { return stateTx(c.t, TxChanClose, chanLeaf, final57, a(c), a(c)) }},
		{name: "close signed by B only", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx { return stateTx(c.t, TxChanClose, chanLeaf, final57, nil, bb(c)) }},
		{name: "close with the signatures swapped", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx { return stateTx(c.t, TxChanClose, chanLeaf, final57, bb(c), a(c)) }},
		{name: "close signed by a stranger for B", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			return stateTx(c.t, TxChanClose, chanLeaf, final57, a(c), testKey(c.t, "mallory"))
		}},
		{name: "dispute signed by A only", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx { return stateTx(c.t, TxChanDispute, chanLeaf, v10, a(c), nil) }},
		{name: "dispute with a corrupted signature", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB)
			tx.SigB[7] ^= 1
			return tx
		}},
		{name: "state of another channel of the same opener", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			st := final57
			st.ChannelID = ChannelIDOf(partyA, 1)
			return c.cosigned(TxChanClose, chanLeaf, st, partyA, partyB)
		}},
		{name: "state of a channel B opened", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			st := final57
			st.ChannelID = ChannelIDOf(partyB, 0)
			return c.cosigned(TxChanClose, chanLeaf, st, partyA, partyB)
		}},
		{name: "state signed for another chain", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			st := final57
			st.ChainID = testChainID + 1
			tx := c.cosigned(TxChanClose, chanLeaf, st, partyA, partyB)
			tx.ChainID = testChainID
			return tx
		}},
		{name: "state for another chain", want: ErrWrongChain, tx: func(c *chain, b *Batch) Tx {
			st := final57
			st.ChainID = testChainID + 1
			return c.cosigned(TxChanClose, chanLeaf, st, partyA, partyB)
		}},
		{name: "signed split shifted to A", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB)
			tx.Amount, tx.AmountB = tx.Amount+1_000, tx.AmountB-1_000
			return tx
		}},
		{name: "signed state with a raised version", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB)
			tx.Version = 1_000
			return tx
		}},
		{name: "non-final state marked final", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB)
			tx.Type, tx.Final = TxChanClose, true
			return tx
		}},

		// Splits.
		{name: "close overpays", want: ErrChannelSplit, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, chanState(partyA, 0, 5, 400_000, 200_000, true), partyA, partyB)
		}},
		{name: "close underpays", want: ErrChannelSplit, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, chanState(partyA, 0, 5, 100_000, 100_000, true), partyA, partyB)
		}},
		{name: "dispute overpays", want: ErrChannelSplit, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, chanState(partyA, 0, 5, chanTotal, 1, false), partyA, partyB)
		}},
		{name: "balances overflow", want: ErrOverflow, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, chanState(partyA, 0, 5, math.MaxUint64, chanTotal+1, true), partyA, partyB)
		}},

		// Statuses.
		{name: "close without a final state", want: ErrChannelState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, v10, partyA, partyB)
		}},
		{name: "challenge of an open channel", want: ErrChannelState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, v20, partyA, partyB)
		}},
		{name: "challenge with version 0", want: ErrStaleState, tx: func(c *chain, b *Batch) Tx {
			return stateTx(c.t, TxChanChallenge, chanLeaf, chanState(partyA, 0, 0, fundA, fundB, false), nil, nil)
		}},
		{name: "dispute whose deadline passes 2^64", at: math.MaxUint64 - chanPeriod + 1, want: ErrOverflow, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB)
		}},
		{name: "finalize of an open channel", want: ErrChannelState, tx: func(c *chain, b *Batch) Tx { return finalizeTx(chanLeaf) }},
		{name: "close of an account", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, partyB, final57, partyA, partyB)
		}},
		{name: "finalize of an empty leaf", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx { return finalizeTx(chanLeaf + 1) }},
		{name: "channel index out of range", want: ErrIndexOutOfRange, tx: func(c *chain, b *Batch) Tx { return finalizeTx(1 << 8) }},
		{name: "close twice in one batch", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			tx := c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB)
			first := tx
			require.NoError(c.t, b.Apply(&first))
			return tx
		}},
		{name: "dispute in the batch that closed it", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			applyAll(c.t, b, c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB))
			return c.cosigned(TxChanDispute, chanLeaf, v20, partyA, partyB)
		}},

		// Opens next to a channel.
		{name: "open into a channel's leaf", want: ErrLeafTaken, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, 1_000, 0, 0, 1)
		}},
		{name: "open into an account's leaf", want: ErrLeafTaken, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, 0, 1_000, 0, 0, 1)
		}},
		{name: "open replayed into another leaf", want: ErrBadNonce, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf+1, fundA, fundB, 0, 0)
		}},
		{name: "open with a channel as party B", want: ErrNotAccount, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, chanLeaf, chanLeaf+1, 1_000, 0, 0, 1)
		}},
		{name: "open from a channel", want: ErrNotAccount, tx: func(c *chain, b *Batch) Tx {
			return Tx{Type: TxChanOpen, ChainID: testChainID, From: chanLeaf, To: partyB, Channel: chanLeaf + 1, Amount: 1_000, Period: chanPeriod}
		}},

		// Opens.
		{stage: "fresh", name: "open funded by B without B's signature", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			tx.SigB = Signature{}
			return tx
		}},
		{stage: "fresh", name: "open with B's signature made by A", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			require.NoError(c.t, tx.SignB(c.keys[partyA]))
			return tx
		}},
		{stage: "fresh", name: "open with B's signature of another open", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			other := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			other.Period = 60 // bob agreed to a shorter period only
			require.NoError(c.t, other.SignB(c.keys[partyB]))
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			tx.SigB = other.SigB
			return tx
		}},
		{stage: "fresh", name: "open signed by B for A", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			require.NoError(c.t, tx.Sign(c.keys[partyB]))
			return tx
		}},
		{stage: "fresh", name: "open with B's funding raised after signing", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0)
			tx.AmountB += 1_000
			return tx
		}},
		{stage: "fresh", name: "open signed by B though B funds nothing", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, 0, 0, 0)
			require.NoError(c.t, tx.SignB(c.keys[partyB]))
			return tx
		}},
		{stage: "fresh", name: "open beyond A's balance", want: ErrInsufficientBalance, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, 1_000_000, 0, 10, 0)
		}},
		{stage: "fresh", name: "open beyond B's balance", want: ErrInsufficientBalance, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, fundA, 500_001, 0, 0)
		}},
		{stage: "fresh", name: "open with a future nonce", want: ErrBadNonce, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 1)
		}},
		{stage: "fresh", name: "open with oneself", want: ErrSelfTransfer, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyA, chanLeaf, fundA, 0, 0, 0)
		}},
		{stage: "fresh", name: "open with a zero period", want: ErrMalformed, tx: func(c *chain, b *Batch) Tx {
			tx := c.openTx(partyA, partyB, chanLeaf, fundA, 0, 0, 0)
			tx.Period = 0
			return c.signed(tx, c.keys[partyA])
		}},
		{stage: "fresh", name: "open locking nothing", want: ErrZeroAmount, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, 0, 0, 10, 0)
		}},
		{stage: "fresh", name: "open amount not packable", want: ErrAmountNotPackable, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, partyB, chanLeaf, 123_456_789, 0, 0, 0)
		}},
		{stage: "fresh", name: "open with an unknown party B", want: ErrUnknownAccount, tx: func(c *chain, b *Batch) Tx {
			return c.openTx(partyA, 12, chanLeaf, fundA, 0, 0, 0)
		}},
		{stage: "fresh", name: "open with a fee but no operator account", want: ErrUnknownAccount, tx: func(c *chain, b *Batch) Tx {
			b.cfg.Operator = 12
			return c.openTx(partyA, partyB, chanLeaf, fundA, 0, 10, 0)
		}},

		// A closing channel (disputed at 2,000 with version 10; deadline 5,600).
		{stage: "closing", name: "dispute of a closing channel", want: ErrChannelState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, v20, partyA, partyB)
		}},
		{stage: "closing", name: "challenge with the closing version", want: ErrStaleState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, v10, partyA, partyB)
		}},
		{stage: "closing", name: "challenge with an older version", want: ErrStaleState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 3, 0, chanTotal, false), partyA, partyB)
		}},
		{stage: "closing", name: "challenge at the deadline", at: 5_600, want: ErrChannelState, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, v20, partyA, partyB)
		}},
		{stage: "closing", name: "finalize before the deadline", at: 5_599, want: ErrChannelState, tx: func(c *chain, b *Batch) Tx { return finalizeTx(chanLeaf) }},
		{stage: "closing", name: "challenge signed by B only", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			return stateTx(c.t, TxChanChallenge, chanLeaf, v20, nil, bb(c))
		}},
		{stage: "closing", name: "challenge overpays", want: ErrChannelSplit, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 20, 400_000, 200_000, false), partyA, partyB)
		}},

		// A closed or finalized channel is gone.
		{stage: "closed", name: "close twice", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB)
		}},
		{stage: "closed", name: "dispute after close", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, v20, partyA, partyB)
		}},
		{stage: "closed", name: "finalize after close", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx { return finalizeTx(chanLeaf) }},
		{stage: "finalized", name: "close after finalize", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB)
		}},
		{stage: "finalized", name: "dispute after finalize", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, v20, partyA, partyB)
		}},
		{stage: "finalized", name: "challenge after finalize", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanChallenge, chanLeaf, v20, partyA, partyB)
		}},
		{stage: "finalized", name: "finalize twice", want: ErrNotChannel, tx: func(c *chain, b *Batch) Tx { return finalizeTx(chanLeaf) }},

		// A new channel in the leaf of a settled one: the old states are
		// worthless there, though the parties, leaf and total are the same.
		{stage: "reopened", name: "old final state on the new channel", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB)
		}},
		{stage: "reopened", name: "old state disputes the new channel", want: ErrBadSignature, tx: func(c *chain, b *Batch) Tx {
			return c.cosigned(TxChanDispute, chanLeaf, v20, partyA, partyB)
		}},
	}
	for _, tc := range cases {
		stage := tc.stage
		if stage == "" {
			stage = "open"
		}
		t.Run(stage+"/"+tc.name, func(t *testing.T) {
			c := funded(t)
			channelStage(t, c, stage)
			at := tc.at
			if at == 0 {
				at = c.head().Timestamp + 1
			}
			b := c.batchAt(at)
			tx := tc.tx(c, b)
			before := snapshot(t, b)
			err := b.Apply(&tx)
			require.ErrorIs(t, err, tc.want)
			require.True(t, IsRejection(err), "rejections must be recognised as such")
			require.Equal(t, before, snapshot(t, b), "a rejected transaction must change nothing")
			b.cfg.Operator = c.cfg.Operator
			commitChecked(t, c, b)
		})
	}

	// The cases that pass their sentinel must not pass for another reason:
	// the same transactions, honestly built, are accepted.
	t.Run("controls", func(t *testing.T) {
		for _, ctl := range []struct {
			stage string
			at    uint64
			tx    func(c *chain) Tx
		}{
			{"open", 0, func(c *chain) Tx { return c.cosigned(TxChanClose, chanLeaf, final57, partyA, partyB) }},
			{"open", 0, func(c *chain) Tx { return c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB) }},
			{"open", 0, func(c *chain) Tx { return c.openTx(partyA, partyB, chanLeaf+1, 1_000, 0, 0, 1) }},
			{"fresh", 0, func(c *chain) Tx { return c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 0, 0) }},
			{"fresh", 0, func(c *chain) Tx { return c.openTx(partyA, partyB, chanLeaf, 1_000_000-10, 0, 10, 0) }},
			{"fresh", 0, func(c *chain) Tx { return c.openTx(partyA, partyB, chanLeaf, fundA, 500_000, 0, 0) }},
			{"open", math.MaxUint64 - chanPeriod, func(c *chain) Tx { return c.cosigned(TxChanDispute, chanLeaf, v10, partyA, partyB) }},
			{"closing", 5_599, func(c *chain) Tx { return c.cosigned(TxChanChallenge, chanLeaf, v20, partyA, partyB) }},
			{"closing", 5_600, func(c *chain) Tx { return finalizeTx(chanLeaf) }},
			{"reopened", 0, func(c *chain) Tx {
				st := final57
				st.ChannelID = ChannelIDOf(partyA, 1)
				return c.cosigned(TxChanClose, chanLeaf, st, partyA, partyB)
			}},
		} {
			c := funded(t)
			channelStage(t, c, ctl.stage)
			at := ctl.at
			if at == 0 {
				at = c.head().Timestamp + 1
			}
			b := c.batchAt(at)
			applyAll(t, b, ctl.tx(c))
			commitChecked(t, c, b)
		}
	})
}

// TestChannelTraceAndPublicData follows two channels through a batch of
// each operation: every batch's trace is consistent, its public data
// decodes to the operations with their fields, and replays, from the data
// alone, to exactly the sealed state; doctored data does not replay.
func TestChannelTraceAndPublicData(t *testing.T) {
	c := funded(t)
	kA, kB := c.keys[partyA].Public(), c.keys[partyB].Public()
	const leaf2 = chanLeaf + 1 // bob's channel with alice, which alice does not fund

	b := c.batchAt(1_000)
	openAB := c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 50, 0)
	openBA := c.openTx(partyB, partyA, leaf2, 40_000, 0, 20, 0)
	applyAll(t, b, openAB, openBA, c.transfer(partyA, partyB, 1_000, 10, 1))
	sb := commitChecked(t, c, b)
	requireOps(t, sb, OpChanOpen, OpChanFund, OpChanOpen, OpChanFund, OpTransfer, OpFeePayout)
	require.Equal(t, []PublicOp{
		{Op: OpChanOpen, Account: partyA, To: partyB, Channel: chanLeaf, Amount: fundA, Fee: 50, AmountB: fundB, Period: chanPeriod},
		{Op: OpChanOpen, Account: partyB, To: partyA, Channel: leaf2, Amount: 40_000, Fee: 20, Period: chanPeriod},
		{Op: OpTransfer, Account: partyA, To: partyB, Amount: 1_000, Fee: 10},
		{Op: OpFeePayout, Account: 0, Amount: 80},
	}, decodeOps(t, sb))
	for i, want := range []int{0, 0, 1, 1, 2, -1, -1} {
		require.Equal(t, want, sb.Steps[i].TxIndex, "step %d", i)
	}
	head := sb.Steps[0]
	require.Equal(t, &SigWitness{PubKey: kA, Message: openAB.Message(), Sig: openAB.Sig}, head.Sig, "A signs the open")
	require.Equal(t, &ChanWitness{Leaf: ChannelLeaf{Status: ChannelOpen, A: partyA, B: partyB, Period: chanPeriod, SplitA: fundA, Total: chanTotal}, AmountB: fundB}, head.Chan)
	require.Equal(t, []uint32{partyA, chanLeaf}, []uint32{head.Leaves[0].Index, head.Leaves[1].Index})
	require.True(t, head.Leaves[1].Before.IsEmpty())
	require.Equal(t, &SigWitness{PubKey: kB, Message: openAB.Message(), Sig: openAB.SigB}, sb.Steps[1].Sig, "B signs the same message")
	require.Equal(t, uint32(partyB), sb.Steps[1].Leaves[0].Index)
	require.False(t, sb.Steps[1].Leaves[1].Used, "the funding step touches B only")
	require.Nil(t, sb.Steps[3].Sig, "an unfunded B signs nothing")
	require.Equal(t, uint32(partyA), sb.Steps[3].Leaves[0].Index, "but its account is still in the step")
	require.Equal(t, sb.Steps[3].Leaves[0].Before, sb.Steps[3].Leaves[0].After)

	// Doctored open data: B funds more than it has; A opens into a taken leaf.
	_, err := replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[RecordSize+4], pd[RecordSize+5], pd[RecordSize+6] = 0x3f, 0xff, 0xff }))
	require.ErrorIs(t, err, ErrReplay, "B's funding beyond its balance")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[3*RecordSize-RecordSize+6] = partyB }))
	require.ErrorIs(t, err, ErrReplay, "an open into an account's leaf")

	// Disputes: channel 10 with a co-signed state, channel 11 with its opening.
	b = c.batchAt(2_000)
	st7 := chanState(partyA, 0, 7, 250_000, 250_000, false)
	d10 := c.cosigned(TxChanDispute, chanLeaf, st7, partyA, partyB)
	applyAll(t, b, d10, stateTx(t, TxChanDispute, leaf2, chanState(partyB, 0, 0, 40_000, 0, false), nil, c.keys[partyA]))
	sb = commitChecked(t, c, b)
	requireOps(t, sb, OpChanDispute, OpChanPayB, OpChanDispute, OpChanPayB)
	require.Equal(t, []PublicOp{
		{Op: OpChanDispute, Channel: chanLeaf, Account: partyB, Version: 7, AmountB: 250_000},
		{Op: OpChanDispute, Channel: leaf2, Account: partyA, Version: 0, AmountB: 0},
	}, decodeOps(t, sb))
	require.Equal(t, &SigWitness{PubKey: kA, Message: st7.Message(), Sig: d10.Sig}, sb.Steps[0].Sig)
	require.Equal(t, &SigWitness{PubKey: kB, Message: st7.Message(), Sig: d10.SigB}, sb.Steps[1].Sig)
	require.Equal(t, &ChanWitness{Leaf: ChannelLeaf{Status: ChannelOpen, A: partyA, B: partyB, Period: chanPeriod, SplitA: fundA, Total: chanTotal}, Version: 7, AmountB: 250_000},
		sb.Steps[0].Chan, "a dispute shows the leaf before it")
	require.Nil(t, sb.Steps[2].Sig, "the opening dispute by its B checks only B's signature")
	require.True(t, sb.Steps[2].Chan.Closer)
	require.NotNil(t, sb.Steps[3].Sig)
	require.Equal(t, kA, sb.Steps[3].Sig.PubKey, "party B of the second channel is account A")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[4*RecordSize-1] = 1 }))
	require.ErrorIs(t, err, ErrReplay, "an opening dispute that does not repeat the opening split")

	b = c.batchAt(3_000)
	applyAll(t, b, c.cosigned(TxChanChallenge, chanLeaf, chanState(partyA, 0, 8, 200_000, 300_000, false), partyA, partyB))
	sb = commitChecked(t, c, b)
	require.Equal(t, []PublicOp{{Op: OpChanChallenge, Channel: chanLeaf, Account: partyB, Version: 8, AmountB: 300_000}}, decodeOps(t, sb))
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[11] = 7 }))
	require.ErrorIs(t, err, ErrReplay, "a challenge that is not newer")
	_, err = replaySealed(c, sb, 2_000+chanPeriod, sb.PublicData)
	require.ErrorIs(t, err, ErrReplay, "a challenge at the deadline")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[0] = byte(OpChanDispute) }))
	require.ErrorIs(t, err, ErrReplay, "a dispute of a closing channel")

	// Both deadlines are 2,000 + period.
	b = c.batchAt(2_000 + chanPeriod)
	applyAll(t, b, finalizeTx(chanLeaf), finalizeTx(leaf2))
	sb = commitChecked(t, c, b)
	require.Equal(t, []PublicOp{
		{Op: OpChanFinalize, Channel: chanLeaf, Account: partyB, Amount: 200_000, AmountB: 300_000},
		{Op: OpChanFinalize, Channel: leaf2, Account: partyA, Amount: 40_000, AmountB: 0},
	}, decodeOps(t, sb))
	for i := 0; i < 4; i++ {
		require.Nil(t, sb.Steps[i].Sig, "finalize is unsigned")
	}
	_, err = replaySealed(c, sb, 2_000+chanPeriod-1, sb.PublicData)
	require.ErrorIs(t, err, ErrReplay, "finalize before the deadline")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[11]++ }))
	require.ErrorIs(t, err, ErrReplay, "a finalize that pays A more than the recorded split")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[2*RecordSize-1]++ }))
	require.ErrorIs(t, err, ErrReplay, "a finalize that pays B more than the recorded split")
	_, err = replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[11]++; pd[2*RecordSize-1]-- }))
	require.ErrorIs(t, err, ErrReplay, "a finalize that shifts the recorded split")
	require.Equal(t, Account{}, c.headLeaf(chanLeaf))
	require.Equal(t, Account{}, c.headLeaf(leaf2))
	requireBalance(t, c.headLeaf(partyA), 1_000_000-fundA-50-1_010+200_000, 2, "alice: A of channel 10, B of channel 11")
	requireBalance(t, c.headLeaf(partyB), 500_000-fundB-40_020+1_000+300_000+40_000, 1, "bob: B of channel 10, A of channel 11")
	requireBalance(t, c.headLeaf(0), 1_080, 0, "operator")
}

// channelTxs returns one deterministic transaction of each channel type.
func channelTxs(t testing.TB) map[string]Tx {
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	open := Tx{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Channel: 10, Amount: 300_000, AmountB: 200_000, Fee: 50, Nonce: 4, Period: 86_400}
	require.NoError(t, open.Sign(alice))
	require.NoError(t, open.SignB(bob))
	state := func(typ TxType, version, a, b uint64, final bool) Tx {
		return stateTx(t, typ, 10, ChannelState{ChainID: testChainID, ChannelID: ChannelIDOf(1, 4), Version: version, BalanceA: a, BalanceB: b, Final: final}, alice, bob)
	}
	return map[string]Tx{
		"channelOpen":      open,
		"channelClose":     state(TxChanClose, 57, 129_000, 371_000, true),
		"channelDispute":   state(TxChanDispute, 10, 280_000, 220_000, false),
		"channelChallenge": state(TxChanChallenge, 1<<40, 100_000, 400_000, false),
		"channelFinalize":  {Type: TxChanFinalize, ChainID: testChainID, Channel: 10},
	}
}

func jsonKeys(t *testing.T, js []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(js, &m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestChannelTxEncodings: both encodings of every channel type round-trip,
// carry exactly the type's fields, and refuse the fields it does not use.
func TestChannelTxEncodings(t *testing.T) {
	sizes := map[TxType]int{TxChanOpen: chanOpenSize, TxChanClose: chanStateSize, TxChanDispute: chanStateSize, TxChanChallenge: chanStateSize, TxChanFinalize: chanFinalizeSize}
	stateKeys := []string{"amount", "amountB", "chainId", "channel", "final", "signature", "signatureB", "type", "version"}
	keys := map[TxType][]string{
		TxChanOpen:      {"amount", "amountB", "chainId", "channel", "fee", "from", "nonce", "period", "signature", "signatureB", "to", "type"},
		TxChanClose:     stateKeys,
		TxChanDispute:   stateKeys,
		TxChanChallenge: stateKeys,
		TxChanFinalize:  {"chainId", "channel", "type"},
	}
	txs := channelTxs(t)
	require.Len(t, txs, 5)
	for name, tx := range txs {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, name, tx.Type.String())
			require.True(t, tx.Type.IsChannel())
			require.Equal(t, 2, tx.Steps())
			require.NoError(t, tx.CheckStatic(testChainID, 8))

			bin, err := tx.MarshalBinary()
			require.NoError(t, err)
			require.Len(t, bin, sizes[tx.Type])
			require.LessOrEqual(t, len(bin), MaxTxSize)
			require.Equal(t, byte(tx.Type), bin[0])
			var fromBin Tx
			require.NoError(t, fromBin.UnmarshalBinary(bin))
			require.Equal(t, tx, fromBin)
			for _, n := range []int{len(bin) - 1, len(bin) + 1} {
				cut := append(append([]byte(nil), bin...), 0)[:n]
				require.ErrorIs(t, new(Tx).UnmarshalBinary(cut), ErrMalformed, "%d bytes", n)
			}

			js, err := json.Marshal(tx)
			require.NoError(t, err)
			require.Equal(t, keys[tx.Type], jsonKeys(t, js), "%s", js)
			var fromJSON Tx
			require.NoError(t, json.Unmarshal(js, &fromJSON))
			require.Equal(t, tx, fromJSON)
		})
	}

	// Field positions in the binary layouts.
	open, _ := txs["channelOpen"].MarshalBinary()
	require.Equal(t, []byte{0, 0, 0, 10}, open[17:21], "open: channel after from and to")
	require.Equal(t, []byte{0, 1, 0x51, 0x80}, open[49:53], "open: period after the nonce")
	closeBin, _ := txs["channelClose"].MarshalBinary()
	require.Equal(t, []byte{0, 0, 0, 0, 0, 0, 0, 57}, closeBin[13:21], "state: version after the channel")
	require.Equal(t, byte(1), closeBin[21], "state: final flag")
	for _, flag := range []byte{2, 0xff} {
		bad := append([]byte(nil), closeBin...)
		bad[21] = flag
		require.ErrorIs(t, new(Tx).UnmarshalBinary(bad), ErrMalformed, "final flag %d", flag)
	}
	var notFinal Tx
	bad := append([]byte(nil), closeBin...)
	bad[21] = 0
	require.NoError(t, notFinal.UnmarshalBinary(bad))
	require.False(t, notFinal.Final)
	require.ErrorIs(t, notFinal.CheckStatic(testChainID, 8), ErrChannelState, "a close decoded without its final flag")

	// An open's leaf is the sequencer's choice: neither the hash nor the
	// signed message depends on it, while every signed field counts.
	o := txs["channelOpen"]
	moved := o
	moved.Channel = 99
	require.Equal(t, o.Hash(), moved.Hash())
	require.Equal(t, o.Message(), moved.Message())
	require.True(t, moved.VerifySignature(testKey(t, "alice").Public()))
	for name, mut := range map[string]func(*Tx){
		"amountB": func(tx *Tx) { tx.AmountB++ },
		"period":  func(tx *Tx) { tx.Period++ },
		"to":      func(tx *Tx) { tx.To = 3 },
		"nonce":   func(tx *Tx) { tx.Nonce++ },
		"fee":     func(tx *Tx) { tx.Fee++ },
		"amount":  func(tx *Tx) { tx.Amount++ },
	} {
		changed := o
		mut(&changed)
		require.NotEqual(t, o.Hash(), changed.Hash(), name)
		require.NotEqual(t, o.Message(), changed.Message(), name)
	}
	for _, name := range []string{"channelClose", "channelFinalize"} {
		tx := txs[name]
		moved := tx
		moved.Channel = 11
		require.NotEqual(t, tx.Hash(), moved.Hash(), "%s names its channel", name)
	}

	// Only an open is signed as a transaction.
	cl := txs["channelClose"]
	require.ErrorIs(t, cl.Sign(testKey(t, "alice")), ErrMalformed)
	require.ErrorIs(t, cl.SignB(testKey(t, "bob")), ErrMalformed)
	require.True(t, TxChanOpen.IsSigned())
	for _, typ := range []TxType{TxChanClose, TxChanDispute, TxChanChallenge, TxChanFinalize} {
		require.False(t, typ.IsSigned(), "%s", typ)
		require.False(t, typ.IsPriority(), "%s", typ)
	}
	require.Equal(t, chanState(1, 4, 57, 129_000, 371_000, true), cl.ChannelState(ChannelIDOf(1, 4)))

	// CheckStatic refuses fields a type does not use and out-of-range values.
	for _, tc := range []struct {
		name string
		tx   string
		mut  func(*Tx)
		want error
	}{
		{"finalize with an amount", "channelFinalize", func(tx *Tx) { tx.Amount = 1 }, ErrMalformed},
		{"finalize with amountB", "channelFinalize", func(tx *Tx) { tx.AmountB = 1 }, ErrMalformed},
		{"finalize with a version", "channelFinalize", func(tx *Tx) { tx.Version = 1 }, ErrMalformed},
		{"finalize marked final", "channelFinalize", func(tx *Tx) { tx.Final = true }, ErrMalformed},
		{"finalize with a signature", "channelFinalize", func(tx *Tx) { tx.Sig[0] = 1 }, ErrMalformed},
		{"finalize with signature B", "channelFinalize", func(tx *Tx) { tx.SigB[0] = 1 }, ErrMalformed},
		{"finalize with a fee", "channelFinalize", func(tx *Tx) { tx.Fee = 1 }, ErrMalformed},
		{"finalize with a sender", "channelFinalize", func(tx *Tx) { tx.From = 1 }, ErrMalformed},
		{"finalize with a period", "channelFinalize", func(tx *Tx) { tx.Period = 1 }, ErrMalformed},
		{"close without final", "channelClose", func(tx *Tx) { tx.Final = false }, ErrChannelState},
		{"close with a fee", "channelClose", func(tx *Tx) { tx.Fee = 10 }, ErrMalformed},
		{"close with a nonce", "channelClose", func(tx *Tx) { tx.Nonce = 1 }, ErrMalformed},
		{"close with a sender", "channelClose", func(tx *Tx) { tx.From = 1 }, ErrMalformed},
		{"close with a recipient", "channelClose", func(tx *Tx) { tx.To = 2 }, ErrMalformed},
		{"close with a period", "channelClose", func(tx *Tx) { tx.Period = 1 }, ErrMalformed},
		{"dispute with an L1 address", "channelDispute", func(tx *Tx) { tx.L1To = l1Alice }, ErrMalformed},
		{"dispute with a key", "channelDispute", func(tx *Tx) { tx.PubKey = testKey(t, "alice").Public() }, ErrMalformed},
		{"dispute with a priority id", "channelDispute", func(tx *Tx) { tx.PriorityID = 1 }, ErrMalformed},
		{"dispute balances overflow", "channelDispute", func(tx *Tx) { tx.Amount, tx.AmountB = math.MaxUint64, 1 }, ErrOverflow},
		{"challenge with version 0", "channelChallenge", func(tx *Tx) { tx.Version = 0 }, ErrStaleState},
		{"channel out of range", "channelChallenge", func(tx *Tx) { tx.Channel = 1 << 8 }, ErrIndexOutOfRange},
		{"open with a version", "channelOpen", func(tx *Tx) { tx.Version = 1 }, ErrMalformed},
		{"open marked final", "channelOpen", func(tx *Tx) { tx.Final = true }, ErrMalformed},
		{"open with an L1 address", "channelOpen", func(tx *Tx) { tx.L1To = common.Address{1} }, ErrMalformed},
		{"open with a priority id", "channelOpen", func(tx *Tx) { tx.PriorityID = 1 }, ErrMalformed},
		{"open with signature B, unfunded", "channelOpen", func(tx *Tx) { tx.AmountB = 0 }, ErrMalformed},
		{"open with a zero period", "channelOpen", func(tx *Tx) { tx.Period = 0 }, ErrMalformed},
		{"open with oneself", "channelOpen", func(tx *Tx) { tx.To = tx.From }, ErrSelfTransfer},
		{"open locking nothing", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB, tx.SigB = 0, 0, Signature{} }, ErrZeroAmount},
		{"open funding overflows", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB = 18e18, 18e18 }, ErrOverflow},
		{"open funding plus fee overflows", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB, tx.Fee = 18e18, 0, 1e18 }, ErrOverflow},
		{"open B's funding not packable", "channelOpen", func(tx *Tx) { tx.AmountB = 524_289 }, ErrAmountNotPackable},
		{"open fee not packable", "channelOpen", func(tx *Tx) { tx.Fee = 2_049 }, ErrFeeNotPackable},
		{"open for another chain", "channelOpen", func(tx *Tx) { tx.ChainID++ }, ErrWrongChain},
		{"open to an index out of range", "channelOpen", func(tx *Tx) { tx.To = 1 << 8 }, ErrIndexOutOfRange},
	} {
		tx := txs[tc.tx]
		tc.mut(&tx)
		require.ErrorIs(t, tx.CheckStatic(testChainID, 8), tc.want, tc.name)
	}

	// The JSON decoder refuses missing fields and fields of other types.
	withJSON := func(name string, f func(m map[string]any)) []byte {
		js, err := json.Marshal(txs[name])
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(js, &m))
		f(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
	del := func(k string) func(map[string]any) { return func(m map[string]any) { delete(m, k) } }
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"finalize with an amount", withJSON("channelFinalize", set("amount", "1"))},
		{"finalize with a signature", withJSON("channelFinalize", set("signature", "0x"+fmt.Sprintf("%0128x", 1)))},
		{"finalize with a version", withJSON("channelFinalize", set("version", "1"))},
		{"finalize without a channel", withJSON("channelFinalize", del("channel"))},
		{"close with a fee", withJSON("channelClose", set("fee", "0"))},
		{"close with a nonce", withJSON("channelClose", set("nonce", 0))},
		{"close with a period", withJSON("channelClose", set("period", 1))},
		{"close with a sender", withJSON("channelClose", set("from", 1))},
		{"close without final", withJSON("channelClose", del("final"))},
		{"close without signature B", withJSON("channelClose", del("signatureB"))},
		{"close without a version", withJSON("channelClose", del("version"))},
		{"close with final not a bool", withJSON("channelClose", set("final", "yes"))},
		{"dispute without a channel", withJSON("channelDispute", del("channel"))},
		{"dispute without amountB", withJSON("channelDispute", del("amountB"))},
		{"challenge with a version as a number", withJSON("channelChallenge", set("version", 3))},
		{"open with a version", withJSON("channelOpen", set("version", "0"))},
		{"open with final", withJSON("channelOpen", set("final", false))},
		{"open without a period", withJSON("channelOpen", del("period"))},
		{"open without amountB", withJSON("channelOpen", del("amountB"))},
		{"open without a nonce", withJSON("channelOpen", del("nonce"))},
		{"transfer with a channel", withJSON("channelOpen", func(m map[string]any) {
			m["type"] = "transfer"
			delete(m, "amountB")
			delete(m, "period")
			delete(m, "signatureB")
		})},
		{"transfer with signature B", func() []byte {
			js, err := json.Marshal(goldenTxs(t)["transfer"])
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(js, &m))
			m["signatureB"] = m["signature"]
			out, err := json.Marshal(m)
			require.NoError(t, err)
			return out
		}()},
	} {
		var tx Tx
		require.ErrorIs(t, json.Unmarshal(tc.in, &tx), ErrMalformed, "%s: %s", tc.name, tc.in)
	}

	// The control: the transfer made from the open's JSON decodes once its
	// channel is gone.
	var transfer Tx
	require.NoError(t, json.Unmarshal(withJSON("channelOpen", func(m map[string]any) {
		m["type"] = "transfer"
		for _, k := range []string{"amountB", "period", "signatureB", "channel"} {
			delete(m, k)
		}
	}), &transfer))
	require.Equal(t, TxTransfer, transfer.Type)

	// An unfunded open may leave out B's signature and its leaf.
	unfunded := Tx{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Amount: 1_000, Nonce: 0, Period: 60}
	require.NoError(t, unfunded.Sign(testKey(t, "alice")))
	var fromJSON Tx
	js := withJSON("channelOpen", func(m map[string]any) {
		delete(m, "channel")
		delete(m, "signatureB")
		m["amountB"], m["amount"], m["fee"], m["nonce"], m["period"] = "0", "1000", "0", 0, 60
		m["signature"] = "0x" + fmt.Sprintf("%x", unfunded.Sig[:])
	})
	require.NoError(t, json.Unmarshal(js, &fromJSON), "%s", js)
	require.Equal(t, unfunded, fromJSON)
	require.NoError(t, fromJSON.CheckStatic(testChainID, 8))
}

// TestChannelLeafEncoding: a channel leaf decodes to what encoded it, at the
// widest values, and ChannelOf refuses leaves no channel encodes to.
func TestChannelLeafEncoding(t *testing.T) {
	for _, ch := range []ChannelLeaf{
		{Status: ChannelOpen, A: 1, B: 2, OpenNonce: 3, Period: 4, SplitA: 5, Total: 6},
		{Status: ChannelClosing, A: math.MaxUint32, B: math.MaxUint32 - 1, OpenNonce: math.MaxUint32, Period: math.MaxUint32,
			Deadline: math.MaxUint64, Version: math.MaxUint64, SplitA: math.MaxUint64, Total: math.MaxUint64},
		{Status: ChannelClosing, Deadline: 1, Version: 1},
	} {
		leaf := ch.Leaf()
		require.Equal(t, KindChannel, leaf.Kind)
		got, err := ChannelOf(&leaf)
		require.NoError(t, err)
		require.Equal(t, ch, got)
		require.Equal(t, uint64(ch.A)<<32|uint64(ch.OpenNonce), got.ID())
		bin, err := leaf.MarshalBinary()
		require.NoError(t, err)
		var back Account
		require.NoError(t, back.UnmarshalBinary(bin))
		require.Equal(t, leaf, back)
	}
	good := ChannelLeaf{Status: ChannelOpen, A: 1, B: 2, SplitA: 5, Total: 6}
	for _, tc := range []struct {
		name string
		leaf func() Account
		want error
	}{
		{"empty leaf", func() Account { return Account{} }, ErrNotChannel},
		{"account", func() Account { a := good.Leaf(); a.Kind = KindAccount; return a }, ErrNotChannel},
		{"status 0", func() Account { c := good; c.Status = 0; return c.Leaf() }, ErrMalformed},
		{"status 3", func() Account { c := good; c.Status = 3; return c.Leaf() }, ErrMalformed},
		{"split above the total", func() Account { c := good; c.SplitA = 7; return c.Leaf() }, ErrMalformed},
		{"a nonce", func() Account { a := good.Leaf(); a.Nonce = 1; return a }, ErrMalformed},
		{"aux", func() Account { a := good.Leaf(); a.Aux = ElementFromUint64(1); return a }, ErrMalformed},
		{"x beyond 200 bits", func() Account {
			a := good.Leaf()
			a.PubKey.X = packUints([]uint64{1, 0, 0, 0, 0}, []uint{1, 8, 64, 64, 64}) // bit 200
			return a
		}, ErrMalformed},
		{"y beyond 128 bits", func() Account {
			a := good.Leaf()
			a.PubKey.Y = packUints([]uint64{1, 0, 0}, []uint{8, 64, 64}) // bit 128
			return a
		}, ErrMalformed},
	} {
		a := tc.leaf()
		_, err := ChannelOf(&a)
		require.ErrorIs(t, err, tc.want, tc.name)
	}
}

// TestChannelOpenFeeReservesPayoutSlot: an open's fee, like a transfer's,
// keeps a slot free for the batch's fee payout.
func TestChannelOpenFeeReservesPayoutSlot(t *testing.T) {
	c := funded(t)
	b := c.batchAt(1_000)
	applyAll(t, b, c.openTx(partyA, partyB, chanLeaf, fundA, fundB, 50, 0))
	nonce := uint32(1)
	for ; b.StepsUsed() < c.cfg.Slots-2; nonce++ {
		applyAll(t, b, c.transfer(partyA, partyB, 1, 0, nonce))
	}
	dispute := stateTx(t, TxChanDispute, chanLeaf, chanState(partyA, 0, 0, fundA, fundB, false), c.keys[partyA], nil)
	require.False(t, b.Fits(&dispute))
	require.ErrorIs(t, b.Apply(&dispute), ErrBatchFull, "two steps and the payout do not fit in two slots")
	applyAll(t, b, c.transfer(partyA, partyB, 1, 0, nonce))
	sb := commitChecked(t, c, b)
	require.Equal(t, OpFeePayout, sb.Steps[c.cfg.Slots-1].Op)
	require.EqualValues(t, 50, sb.FeeTotal)
}

// TestChannelWithTheOperator: the operator as party A pays its funding and
// the fee from the balance the fee payout then credits, and is paid out
// like anyone else.
func TestChannelWithTheOperator(t *testing.T) {
	c := funded(t)
	b := c.batchAt(1_000)
	applyAll(t, b, c.openTx(0, partyA, chanLeaf, 990, 10_000, 10, 0))
	requireBalance(t, batchLeaf(t, b, 0), 0, 1, "the operator's whole balance, before the payout")
	sb := commitChecked(t, c, b)
	require.EqualValues(t, 10, sb.FeeTotal)
	requireBalance(t, c.headLeaf(0), 10, 1, "the operator after the payout")

	b = c.batchAt(2_000)
	applyAll(t, b, c.transfer(partyA, partyB, 1_000, 20, 0), c.cosigned(TxChanClose, chanLeaf, ChannelState{ChainID: testChainID, ChannelID: ChannelIDOf(0, 0), Version: 4, BalanceA: 5_990, BalanceB: 5_000, Final: true}, 0, partyA))
	commitChecked(t, c, b)
	requireBalance(t, c.headLeaf(0), 10+5_990+20, 1, "the operator's share and the batch's fee")
	requireBalance(t, c.headLeaf(partyA), 1_000_000-10_000-1_020+5_000, 1, "alice")
}

// TestChannelPayoutOverflow: a payout that would overflow a party's
// balance is refused, the operator's pending fees counted. No real supply
// reaches 2^64 gwei; the state is built directly.
func TestChannelPayoutOverflow(t *testing.T) {
	for _, tc := range []struct {
		name   string
		a      uint32 // party A, the rich one: 2^64 - 1 - 1,000 gwei
		split  uint64 // paid to A
		feeTx  bool   // a fee is pending for the operator
		accept bool
	}{
		{name: "rich party, exact fit", a: 1, split: 1_000, accept: true},
		{name: "rich party, one too many", a: 1, split: 1_001},
		{name: "operator without pending fees", a: 0, split: 1_000, accept: true},
		{name: "operator with a pending fee", a: 0, split: 1_000, feeTx: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newChain(t)
			for i, name := range []string{"operator", "alice", "bob"} {
				c.keys[uint32(i)] = testKey(t, name)
			}
			pub := func(i uint32) PublicKey { return c.keys[i].Public() }
			leaves := map[uint32]Account{
				0: {Kind: KindAccount, PubKey: pub(0), Balance: 0},
				1: {Kind: KindAccount, PubKey: pub(1), Balance: 0},
				2: {Kind: KindAccount, PubKey: pub(2), Balance: 1_000},
			}
			rich := leaves[tc.a]
			rich.Balance = math.MaxUint64 - 1_000
			leaves[tc.a] = rich
			ch := ChannelLeaf{Status: ChannelClosing, A: tc.a, B: 2, Period: 1, Deadline: 10, Version: 3, SplitA: tc.split, Total: tc.split}
			leaves[chanLeaf] = ch.Leaf()
			c.genesis(leaves)
			b := c.batchAt(10)
			if tc.feeTx {
				applyAll(t, b, c.transfer(2, 1-tc.a, 10, 1, 0))
			}
			fin := finalizeTx(chanLeaf)
			before := snapshot(t, b)
			err := b.Apply(&fin)
			if tc.accept {
				require.NoError(t, err)
				require.EqualValues(t, uint64(math.MaxUint64), batchLeaf(t, b, tc.a).Balance)
				return
			}
			require.ErrorIs(t, err, ErrOverflow)
			require.Equal(t, before, snapshot(t, b))
		})
	}
}
