package vm

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

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
