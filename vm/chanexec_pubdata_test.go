package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

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
