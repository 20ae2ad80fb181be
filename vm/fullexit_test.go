package vm

import (
	"math/big"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestFullExitSealsAndReplays: a batch with an honoured and an ignored
// full exit seals into the payout records and withdrawals the contract
// reads, advances the queue hash as Rollup.requestFullExit does, replays
// from its public data and the L1 queue to the same root, and conserves
// money.
func TestFullExitSealsAndReplays(t *testing.T) {
	c := funded(t)
	head := c.head()
	b := c.batch()
	good := c.fullExit(b, 1, l1Alice, c.keys[1])
	require.NoError(t, b.Apply(&good))
	bad := c.fullExit(b, 2, l1Alice, c.keys[1]) // bob's account, alice's key
	require.NoError(t, b.Apply(&bad))
	sb := c.commit(b)
	c.requireConserved()

	require.Equal(t, []Withdrawal{{Account: 1, To: l1Alice, Amount: 1_000_000}}, sb.Withdrawals)
	ops, err := DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	require.Equal(t, OpFullExit, ops[0].Op)
	require.EqualValues(t, 1_000_000, ops[0].Amount)
	require.Equal(t, l1Alice, ops[0].L1To)
	require.Equal(t, OpFullExit, ops[1].Op)
	require.Zero(t, ops[1].Amount, "an unsigned request pays nothing")

	want := FullExitPriorityHash(FullExitPriorityHash(head.PriorityHash, 1, l1Alice, good.Sig), 2, l1Alice, bad.Sig)
	require.Equal(t, want, sb.After.PriorityHash)
	require.Equal(t, head.PriorityCount+2, sb.After.PriorityCount)

	queue := map[uint64]L1Deposit{
		good.PriorityID: {Kind: TxFullExit, Account: 1, To: l1Alice, Sig: good.Sig},
		bad.PriorityID:  {Kind: TxFullExit, Account: 2, To: l1Alice, Sig: bad.Sig},
	}
	replay := func(q map[uint64]L1Deposit) (*ChangeSet, error) {
		return ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, sb.After.Timestamp, sb.PublicData,
			func(id uint64) (L1Deposit, error) { return q[id], nil })
	}
	cs, err := replay(queue)
	require.NoError(t, err)
	require.Equal(t, sb.After, cs.Meta)

	// A queue that disagrees with the public data does not replay.
	swapped := map[uint64]L1Deposit{good.PriorityID: queue[bad.PriorityID], bad.PriorityID: queue[good.PriorityID]}
	_, err = replay(swapped)
	require.ErrorIs(t, err, ErrReplay)
	forged := map[uint64]L1Deposit{good.PriorityID: {Kind: TxFullExit, Account: 1, To: l1Alice, Sig: bad.Sig}, bad.PriorityID: queue[bad.PriorityID]}
	_, err = replay(forged)
	require.ErrorIs(t, err, ErrReplay, "a payout the request's signature does not allow")
}

// TestFullExitEncodings: binary and JSON round trips, and a full exit is
// not a signed L2 transaction anyone can send.
func TestFullExitEncodings(t *testing.T) {
	c := funded(t)
	tx := c.fullExit(c.batch(), 1, l1Alice, c.keys[1])
	tx.PriorityID = 7
	bin, err := tx.MarshalBinary()
	require.NoError(t, err)
	var back Tx
	require.NoError(t, back.UnmarshalBinary(bin))
	require.Equal(t, tx, back)
	js, err := tx.MarshalJSON()
	require.NoError(t, err)
	require.NotContains(t, string(js), "amount")
	var jback Tx
	require.NoError(t, jback.UnmarshalJSON(js))
	require.Equal(t, tx, jback)
	require.False(t, TxFullExit.IsSigned())
	require.True(t, TxFullExit.IsPriority())
	rx, ry, s := tx.Sig.Parts()
	require.Equal(t, tx.Sig, SignatureFromParts(rx.BigInt(newInt()), ry.BigInt(newInt()), s.BigInt(newInt())))
}

func newInt() *big.Int { return new(big.Int) }
