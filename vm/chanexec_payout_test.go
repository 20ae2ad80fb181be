package vm

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

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
