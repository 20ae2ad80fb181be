package vm

import (
	"math"
	"testing"

	"github.com/stretchr/testify/require"
)

// forcedTx is a forced challenge of the test channel carrying st, signed
// with ka and kb (nil: a zero signature), as request id of the L1 queue.
func forcedTx(t testing.TB, id uint64, leaf uint32, st ChannelState, ka, kb *PrivateKey) Tx {
	tx := stateTx(t, TxForcedChallenge, leaf, st, ka, kb)
	tx.PriorityID = id
	return tx
}

// forcedRequest is the L1 queue entry a forced challenge came from.
func forcedRequest(tx Tx) PriorityRequest {
	return PriorityRequest{ID: tx.PriorityID, Kind: TxForcedChallenge, Channel: tx.Channel, State: tx.ChannelState(0), Sig: tx.Sig, SigB: tx.SigB}
}

// TestForcedChallenge: a challenge filed on L1 applies exactly when an L2
// challenge of the same state would, and is consumed as a no-op
// otherwise; either way it advances the queue as the contract does, and
// the batch replays from its public data and the L1 queue.
func TestForcedChallenge(t *testing.T) {
	c := funded(t)
	openChannel(t, c, 1_000)
	alice, bob, mallory := c.keys[partyA], c.keys[partyB], testKey(t, "forced mallory")
	b := c.batchAt(1_100)
	applyAll(t, b, c.cosigned(TxChanDispute, chanLeaf, chanState(partyA, 0, 3, 290_000, 210_000, false), partyA, partyB))
	commitChecked(t, c, b)
	deadline := uint64(1_100 + chanPeriod)

	st := func(v, a uint64) ChannelState { return chanState(partyA, 0, v, a, chanTotal-a, false) }
	cases := []struct {
		name    string
		ts      uint64
		tx      func(id uint64) Tx
		applies bool
	}{
		{"an older version", 1_200, func(id uint64) Tx { return forcedTx(t, id, chanLeaf, st(2, 1), alice, bob) }, false},
		{"B's signature missing", 1_200, func(id uint64) Tx { return forcedTx(t, id, chanLeaf, st(5, 1), alice, nil) }, false},
		{"B's signature Mallory's", 1_200, func(id uint64) Tx { return forcedTx(t, id, chanLeaf, st(5, 1), alice, mallory) }, false},
		{"balances past 2^64", 1_200, func(id uint64) Tx {
			s := st(5, 1)
			s.BalanceB = math.MaxUint64
			return forcedTx(t, id, chanLeaf, s, alice, bob)
		}, false},
		{"an account's leaf", 1_200, func(id uint64) Tx { return forcedTx(t, id, partyA, st(5, 1), alice, bob) }, false},
		{"an empty leaf", 1_200, func(id uint64) Tx { return forcedTx(t, id, 13, st(5, 1), alice, bob) }, false},
		{"a newer co-signed state", 1_200, func(id uint64) Tx { return forcedTx(t, id, chanLeaf, st(5, 100_000), alice, bob) }, true},
		{"at the deadline", deadline, func(id uint64) Tx { return forcedTx(t, id, chanLeaf, st(6, 1), alice, bob) }, false},
	}
	for _, tc := range cases {
		before := c.headChannel(chanLeaf)
		head := c.head()
		b := c.batchAt(tc.ts)
		tx := tc.tx(b.PriorityCount())
		require.NoError(t, tx.CheckStatic(c.cfg.ChainID, c.cfg.Depth), tc.name)
		require.NoError(t, b.Apply(&tx), tc.name)
		sb := commitChecked(t, c, b)
		requireOps(t, sb, OpForcedChallenge, OpForcedChallengeB)
		ops := decodeOps(t, sb)
		require.Equal(t, []PublicOp{{Op: OpForcedChallenge, Channel: tx.Channel, Version: tx.Version, Amount: tx.Amount, Applied: tc.applies}}, ops, tc.name)
		req := forcedRequest(tx)
		require.Equal(t, req.ChainHash(head.PriorityHash), sb.After.PriorityHash, tc.name)
		require.Equal(t, head.PriorityCount+1, sb.After.PriorityCount, tc.name)
		after := c.headChannel(chanLeaf)
		if tc.applies {
			before.Version, before.SplitA = tx.Version, tx.Amount
		}
		require.Equal(t, before, after, tc.name)

		// The public data must state the verdict the rules give.
		_, err := replaySealed(c, sb, sb.After.Timestamp, doctored(sb.PublicData, func(pd []byte) { pd[RecordSize+1] ^= 1 }))
		require.ErrorIs(t, err, ErrReplay, "%s: the verdict flipped", tc.name)
	}
	// The L2 rules see the new state: the finalize pays its split.
	b = c.batchAt(deadline)
	applyAll(t, b, finalizeTx(chanLeaf))
	commitChecked(t, c, b)
	requireBalance(t, c.headLeaf(partyA), 1_000_000-fundA+100_000, 1, "A is paid the forced state's share")
}

// TestForcedChallengeEncodings: binary and JSON round trips; the type is a
// priority request, never a signed L2 transaction; and a decoder refuses
// a verdict byte other than 0 or 1.
func TestForcedChallengeEncodings(t *testing.T) {
	c := funded(t)
	tx := forcedTx(t, 42, chanLeaf, chanState(partyA, 0, 9, 5, 7, true), c.keys[partyA], c.keys[partyB])
	tx.ChainID = testChainID
	bin, err := tx.MarshalBinary()
	require.NoError(t, err)
	require.Len(t, bin, forcedSize)
	var back Tx
	require.NoError(t, back.UnmarshalBinary(bin))
	require.Equal(t, tx, back)
	js, err := tx.MarshalJSON()
	require.NoError(t, err)
	var jback Tx
	require.NoError(t, jback.UnmarshalJSON(js))
	require.Equal(t, tx, jback)
	require.True(t, TxForcedChallenge.IsPriority())
	require.False(t, TxForcedChallenge.IsSigned())
	require.False(t, TxForcedChallenge.IsChannel())
	require.Equal(t, 2, tx.Steps())
	req := forcedRequest(tx)
	require.Equal(t, tx, req.Tx(testChainID))

	tx.Nonce = 1
	require.ErrorIs(t, tx.CheckStatic(testChainID, c.cfg.Depth), ErrMalformed)

	var recs [8]Record
	recs[0] = chanHeadRecord(OpForcedChallenge, chanLeaf, 9)
	recs[1] = forcedVerdictRecord(true, 5)
	pd := EncodePublicData(recs[:])
	ops, err := DecodePublicData(pd)
	require.NoError(t, err)
	require.Equal(t, []PublicOp{{Op: OpForcedChallenge, Channel: chanLeaf, Version: 9, Amount: 5, Applied: true}}, ops)
	pd[RecordSize+1] = 2
	_, err = DecodePublicData(pd)
	require.ErrorIs(t, err, ErrMalformed)
	recs[1] = Record{}
	_, err = DecodePublicData(EncodePublicData(recs[:]))
	require.ErrorIs(t, err, ErrMalformed, "a head without its verdict")
}
