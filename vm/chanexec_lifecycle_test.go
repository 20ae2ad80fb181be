package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

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
