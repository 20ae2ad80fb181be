package vm

import (
	"math"
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

	want := FullExitPriorityHash(FullExitPriorityHash(head.PriorityHash, 1, good.Nonce, l1Alice, good.Sig), 2, bad.Nonce, l1Alice, bad.Sig)
	require.Equal(t, want, sb.After.PriorityHash)
	require.Equal(t, head.PriorityCount+2, sb.After.PriorityCount)

	queue := map[uint64]PriorityRequest{
		good.PriorityID: {Kind: TxFullExit, Account: 1, Nonce: good.Nonce, To: l1Alice, Sig: good.Sig},
		bad.PriorityID:  {Kind: TxFullExit, Account: 2, Nonce: bad.Nonce, To: l1Alice, Sig: bad.Sig},
	}
	replay := func(q map[uint64]PriorityRequest) (*ChangeSet, error) {
		return ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, sb.After.Timestamp, sb.PublicData,
			func(id uint64) (PriorityRequest, error) { return q[id], nil })
	}
	cs, err := replay(queue)
	require.NoError(t, err)
	require.Equal(t, sb.After, cs.Meta)

	// A queue that disagrees with the public data does not replay.
	swapped := map[uint64]PriorityRequest{good.PriorityID: queue[bad.PriorityID], bad.PriorityID: queue[good.PriorityID]}
	_, err = replay(swapped)
	require.ErrorIs(t, err, ErrReplay)
	forged := map[uint64]PriorityRequest{good.PriorityID: {Kind: TxFullExit, Account: 1, Nonce: good.Nonce, To: l1Alice, Sig: bad.Sig}, bad.PriorityID: queue[bad.PriorityID]}
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

// TestFullExitReplayPaysNothing: an honoured full exit advances the
// account's nonce, so the same signed request, filed again after the
// account is funded anew, is consumed as a no-op; a request for a nonce
// the account has not reached, or for the last nonce, pays nothing either.
// The public data replays to the same state, and money is conserved.
func TestFullExitReplayPaysNothing(t *testing.T) {
	c := funded(t)
	b := c.batch()
	first := c.fullExit(b, 1, l1Alice, c.keys[1])
	require.NoError(t, b.Apply(&first))
	sb := c.commit(b)
	require.Equal(t, []Withdrawal{{Account: 1, To: l1Alice, Amount: 1_000_000}}, sb.Withdrawals)
	acc, _, err := c.store.ReaderAt(c.head().BatchNumber).Leaf(1)
	require.NoError(t, err)
	require.Zero(t, acc.Balance)
	require.EqualValues(t, first.Nonce+1, acc.Nonce, "an honoured full exit spends its nonce")

	// The account is funded again; the old request is filed again, and a
	// request signed for a nonce the account has not reached yet.
	b = c.batch()
	dep := c.deposit(b, "alice", 1, 777)
	require.NoError(t, b.Apply(&dep))
	replayed := first
	replayed.PriorityID = b.PriorityCount()
	require.NoError(t, b.Apply(&replayed))
	ahead := c.fullExit(b, 1, l1Alice, nil)
	ahead.Nonce += 5
	sig, err := c.keys[1].SignElement(ahead.Message())
	require.NoError(t, err)
	ahead.Sig = sig
	require.NoError(t, b.Apply(&ahead))
	head := c.head()
	sb = c.commit(b)
	require.Empty(t, sb.Withdrawals, "a replayed or early request pays nothing")
	acc, _, err = c.store.ReaderAt(c.head().BatchNumber).Leaf(1)
	require.NoError(t, err)
	require.EqualValues(t, 777, acc.Balance)
	require.EqualValues(t, first.Nonce+1, acc.Nonce, "a no-op request leaves the nonce")
	c.requireConserved()

	queue := map[uint64]PriorityRequest{
		dep.PriorityID:      {Key: DepositKeyOf(dep.PubKey), Amount: dep.Amount},
		replayed.PriorityID: {Kind: TxFullExit, Account: 1, Nonce: replayed.Nonce, To: l1Alice, Sig: replayed.Sig},
		ahead.PriorityID:    {Kind: TxFullExit, Account: 1, Nonce: ahead.Nonce, To: l1Alice, Sig: ahead.Sig},
	}
	cs, err := ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, sb.After.Timestamp, sb.PublicData,
		func(id uint64) (PriorityRequest, error) { return queue[id], nil })
	require.NoError(t, err)
	require.Equal(t, sb.After, cs.Meta)

	// The request signed with the account's current nonce is honoured.
	b = c.batch()
	now := c.fullExit(b, 1, l1Alice, c.keys[1])
	require.Equal(t, first.Nonce+1, now.Nonce)
	require.NoError(t, b.Apply(&now))
	sb = c.commit(b)
	require.Equal(t, []Withdrawal{{Account: 1, To: l1Alice, Amount: 777}}, sb.Withdrawals)
	c.requireConserved()
}

// TestFullExitAtTheLastNonce: an account whose nonce cannot advance cannot
// be paid by a full exit (it would make the request unprovable).
func TestFullExitAtTheLastNonce(t *testing.T) {
	c := newChain(t)
	k := testKey(t, "exhausted")
	c.keys[1] = k
	c.genesis(map[uint32]Account{0: {Kind: KindAccount, PubKey: testKey(t, "operator").Public()}, 1: {Kind: KindAccount, PubKey: k.Public(), Balance: 5_000, Nonce: math.MaxUint32}})
	b := c.batch()
	tx := c.fullExit(b, 1, l1Alice, k)
	require.EqualValues(t, uint32(math.MaxUint32), tx.Nonce)
	require.NoError(t, b.Apply(&tx))
	sb := c.commit(b)
	require.Empty(t, sb.Withdrawals)
	c.requireConserved()
}
