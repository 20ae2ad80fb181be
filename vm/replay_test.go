package vm

import (
	"encoding/binary"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

// TestReplayRejectsDataThatDoesNotApply: public data that no honest batch
// could have produced on the state is refused with ErrReplay, naming what
// is wrong.
func TestReplayRejectsDataThatDoesNotApply(t *testing.T) {
	c := funded(t)
	b := c.batch()
	tr := c.transfer(1, 2, 1500, 10, 0)
	require.NoError(t, b.Apply(&tr))
	w := c.withdraw(2, common.Address{9}, 700, 10, 0)
	require.NoError(t, b.Apply(&w))
	head := c.head()
	sb, err := b.Seal()
	require.NoError(t, err)
	replay := func(pd []byte, deposits map[uint64]PriorityRequest) error {
		_, err := ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, head.Timestamp, pd,
			func(id uint64) (PriorityRequest, error) { return deposits[id], nil })
		return err
	}
	require.NoError(t, replay(sb.PublicData, nil), "the honest data applies")

	mutate := func(f func(pd []byte)) []byte {
		pd := append([]byte(nil), sb.PublicData...)
		f(pd)
		return pd
	}
	cases := map[string][]byte{
		// Record 0 is the transfer: account 1 → 2.
		"overdraft": mutate(func(pd []byte) { pd[7], pd[8], pd[9] = 0x3f, 0xff, 0xff }), // the largest Float24
		"to self":   mutate(func(pd []byte) { pd[6] = 1 }),
		"to nobody": mutate(func(pd []byte) { pd[6] = 77 }),
		// The fee payout (last used record) pays more than the fees.
		"fee payout mismatch": mutate(func(pd []byte) {
			off := 4 * RecordSize
			binary.BigEndian.PutUint64(pd[off+4:off+12], 21)
		}),
		"wrong length": sb.PublicData[:len(sb.PublicData)-RecordSize],
	}
	for name, pd := range cases {
		require.ErrorIs(t, replay(pd, nil), ErrReplay, name)
	}

	// A deposit must agree with the L1 queue, and go to its key's account.
	d := c.deposit(c.batch(), "carol", 3, 5000)
	b = c.batch()
	require.NoError(t, b.Apply(&d))
	sb, err = b.Seal()
	require.NoError(t, err)
	require.NoError(t, replay(sb.PublicData, map[uint64]PriorityRequest{d.PriorityID: {Key: DepositKeyOf(d.PubKey), Amount: 5000}}))
	require.ErrorIs(t, replay(sb.PublicData, map[uint64]PriorityRequest{d.PriorityID: {Key: DepositKeyOf(d.PubKey), Amount: 4000}}), ErrReplay, "amount differs from L1")
	toAlice := append([]byte(nil), sb.PublicData...)
	toAlice[3] = 1 // credit account 1 (alice's) with carol's deposit
	require.ErrorIs(t, replay(toAlice, map[uint64]PriorityRequest{d.PriorityID: {Key: DepositKeyOf(d.PubKey), Amount: 5000}}), ErrReplay, "an existing account of another key")
}

// TestPriorityRequestChainHash: a request advances the queue hash by its
// own kind's rule, the one the contract and the circuit use.
func TestPriorityRequestChainHash(t *testing.T) {
	var prev Element
	prev.SetUint64(7)
	k := testKey(t, "chain hash")
	dep := PriorityRequest{Kind: TxDeposit, Key: DepositKeyOf(k.Public()), Amount: 5}
	fx := PriorityRequest{Kind: TxFullExit, Account: 3, Nonce: 2, To: common.Address{9}, Amount: 5, Key: DepositKeyOf(k.Public())}
	if got, want := dep.ChainHash(prev), PriorityHash(prev, 5, DepositKeyOf(k.Public())); got != want {
		t.Fatalf("deposit: %v, want %v", got, want)
	}
	if got, want := fx.ChainHash(prev), FullExitPriorityHash(prev, 3, 2, common.Address{9}, Signature{}); got != want {
		t.Fatalf("full exit: %v, want %v", got, want)
	}
	if dep.ChainHash(prev) == fx.ChainHash(prev) {
		t.Fatal("a deposit and a full exit hash alike")
	}
}
