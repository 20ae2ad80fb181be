package vm

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// sponsoredFixture is funded's chain plus carol (3), who holds exactly
// what she will move, and the application "app" at 4 and 5 (one key, two
// accounts), which pays fees.
func sponsoredFixture(t *testing.T) *chain {
	c := funded(t)
	b := c.batch()
	for _, d := range []struct {
		name   string
		index  uint32
		amount uint64
	}{{"carol", 3, 1_500}, {"app", 4, 25}, {"app", 5, 1_000}} {
		tx := c.deposit(b, d.name, d.index, d.amount)
		require.NoError(t, b.Apply(&tx))
	}
	c.commit(b)
	return c
}

// sponsored is a tx from `from`, naming sponsor, signed by the sender
// and, when sk is not nil, by sk as the sponsor.
func (c *chain) sponsored(tx Tx, sponsor uint32, sk *PrivateKey) Tx {
	tx.Sponsored, tx.Sponsor = true, sponsor
	tx = c.signed(tx, c.keys[tx.From])
	if sk != nil {
		require.NoError(c.t, tx.SignSponsor(sk))
	}
	return tx
}

func TestSponsoredTransferAndWithdraw(t *testing.T) {
	c := sponsoredFixture(t)
	app := testKey(t, "app")
	head := c.head()
	b := c.batch()
	tr := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 1, Amount: 1000, Fee: 10, Nonce: 0}, 4, app)
	w := c.sponsored(Tx{Type: TxWithdraw, ChainID: testChainID, From: 3, L1To: l1Alice, Amount: 500, Fee: 20, Nonce: 1}, 5, app)
	require.Equal(t, 2, tr.Steps())
	require.Equal(t, 4, w.Steps())
	require.NoError(t, b.Apply(&tr))
	require.NoError(t, b.Apply(&w), "carol holds exactly the amounts: the sponsors pay the fees")
	sb := c.commit(b)
	requireTraceConsistent(t, sb)
	c.requireConserved()

	ops := []Opcode{OpTransfer, OpSponsor, OpWithdraw, OpData, OpData, OpSponsor, OpFeePayout, OpNoop}
	for i, op := range ops {
		require.Equal(t, op, sb.Steps[i].Op, "step %d", i)
	}
	require.EqualValues(t, 30, sb.FeeTotal)
	decoded, err := DecodePublicData(sb.PublicData)
	require.NoError(t, err)
	require.Equal(t, []PublicOp{
		{Op: OpTransfer, Account: 3, To: 1, Amount: 1000, Fee: 10, Sponsored: true, Sponsor: 4},
		{Op: OpWithdraw, Account: 3, Amount: 500, Fee: 20, L1To: l1Alice, Sponsored: true, Sponsor: 5},
		{Op: OpFeePayout, Account: 0, Amount: 30},
	}, decoded)

	next := c.batch()
	for index, want := range map[uint32]uint64{3: 0, 4: 15, 5: 980, 1: 1_001_000, 0: 1_030} {
		a, err := next.Account(index)
		require.NoError(t, err)
		require.Equal(t, want, a.Balance, "account %d", index)
	}
	carol, _ := next.Account(3)
	require.EqualValues(t, 2, carol.Nonce)

	// A node that follows L1 reaches the same state from the public data.
	cs, err := ReplayPublicData(c.cfg, c.store.ReaderAt(head.BatchNumber), head, head.Timestamp, sb.PublicData,
		func(uint64) (PriorityRequest, error) { return PriorityRequest{}, nil })
	require.NoError(t, err)
	require.Equal(t, sb.After.Root, cs.Meta.Root)

	// The sponsor record's fee must be its transaction's.
	bad := append([]byte(nil), sb.PublicData...)
	bad[RecordSize+5]++ // record 1's fee
	_, err = DecodePublicData(bad)
	require.ErrorIs(t, err, ErrMalformed)
}

func TestSponsoredRejections(t *testing.T) {
	c := sponsoredFixture(t)
	app, other := testKey(t, "app"), testKey(t, "mallory")
	b := c.batch()
	base := Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 1, Amount: 1000, Fee: 10, Nonce: 0}

	unsigned := c.sponsored(base, 4, nil)
	require.ErrorIs(t, b.Apply(&unsigned), ErrBadSignature, "a sponsor that did not sign")
	wrongKey := c.sponsored(base, 4, other)
	require.ErrorIs(t, b.Apply(&wrongKey), ErrBadSignature, "signed by a key that is not the sponsor's")

	// The sponsor's signature serves neither another transaction nor
	// another sponsor, even one of the same key.
	good := c.sponsored(base, 4, app)
	moved := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 2, Amount: 1000, Fee: 10, Nonce: 0}, 4, nil)
	moved.SponsorSig = good.SponsorSig
	require.ErrorIs(t, b.Apply(&moved), ErrBadSignature, "replayed for another transaction")
	responsored := c.sponsored(base, 5, nil)
	responsored.SponsorSig = good.SponsorSig
	require.ErrorIs(t, b.Apply(&responsored), ErrBadSignature, "replayed by another sponsor")

	// The operator cannot move the fee onto the sender, or onto another
	// sponsor: the sender signed the sponsor.
	dropped := good
	dropped.Sponsored, dropped.Sponsor, dropped.SponsorSig = false, 0, Signature{}
	require.ErrorIs(t, b.Apply(&dropped), ErrBadSignature, "the fee taken from the sender")
	swapped := good
	swapped.Sponsor = 5
	require.NoError(t, swapped.SignSponsor(app))
	require.ErrorIs(t, b.Apply(&swapped), ErrBadSignature, "another sponsor than the sender named")

	// A sponsor that cannot pay the fee is refused, and so is a sponsor
	// that is no account.
	dry := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 1, Amount: 1000, Fee: 30, Nonce: 0}, 4, app)
	err := b.Apply(&dry)
	require.ErrorIs(t, err, ErrSponsorFunds)
	require.ErrorIs(t, err, ErrInsufficientBalance)
	require.Contains(t, err.Error(), "sponsor 4 cannot pay the fee: it has 25, the fee is 30")
	nobody := c.sponsored(base, 9, app)
	require.ErrorIs(t, b.Apply(&nobody), ErrUnknownAccount)

	// The sender's balance covers the amount, not the fee; the fee is not
	// the sender's problem.
	all := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 1, Amount: 1_500, Fee: 10, Nonce: 0}, 4, app)
	require.NoError(t, b.Apply(&all))
	require.Equal(t, 1, b.Len(), "every refused transaction left the batch alone")

	// Only transfers and withdrawals are sponsored.
	open := Tx{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Amount: 10, Sponsored: true, Sponsor: 4}
	require.ErrorIs(t, open.CheckStatic(testChainID, c.cfg.Depth), ErrMalformed)
	stray := base
	stray.Sponsor = 4
	require.ErrorIs(t, stray.CheckStatic(testChainID, c.cfg.Depth), ErrMalformed, "a sponsor index without the flag")
}

// TestSponsorIsSenderOrRecipient: the sponsor may be the sender or the
// recipient itself; it pays after the transfer's own changes, as the
// circuit's steps do.
func TestSponsorIsSenderOrRecipient(t *testing.T) {
	c := sponsoredFixture(t)
	b := c.batch()
	self := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 1, To: 2, Amount: 100, Fee: 10, Nonce: 0}, 1, c.keys[1])
	require.NoError(t, b.Apply(&self))
	recip := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 2, Amount: 100, Fee: 10, Nonce: 0}, 2, c.keys[2])
	require.NoError(t, b.Apply(&recip))
	sb := c.commit(b)
	requireTraceConsistent(t, sb)
	c.requireConserved()
	next := c.batch()
	bob, _ := next.Account(2)
	require.EqualValues(t, 500_000+200-10, bob.Balance)
}

func TestSponsoredEncoding(t *testing.T) {
	c := sponsoredFixture(t)
	tx := c.sponsored(Tx{Type: TxWithdraw, ChainID: testChainID, From: 3, L1To: l1Alice, Amount: 500, Fee: 20, Nonce: 1}, 5, testKey(t, "app"))
	plain := c.withdraw(3, l1Alice, 500, 20, 1)
	require.NotEqual(t, plain.Message(), tx.Message(), "the sender signs the sponsor")

	bin, err := tx.MarshalBinary()
	require.NoError(t, err)
	require.Len(t, bin, withdrawSize+sponsorSuffixSize)
	require.LessOrEqual(t, len(bin), MaxTxSize, "the longest encoding is within the bound decoders apply")
	var back Tx
	require.NoError(t, back.UnmarshalBinary(bin))
	require.Equal(t, tx, back)
	require.ErrorIs(t, back.UnmarshalBinary(bin[:len(bin)-1]), ErrMalformed)

	js, err := json.Marshal(tx)
	require.NoError(t, err)
	require.Contains(t, string(js), `"sponsor":5`)
	require.Contains(t, string(js), `"sponsorSignature"`)
	back = Tx{}
	require.NoError(t, json.Unmarshal(js, &back))
	require.Equal(t, tx, back)

	// On its way to the sponsor, a transaction has no sponsor signature.
	pending := tx
	pending.SponsorSig = Signature{}
	js, err = json.Marshal(pending)
	require.NoError(t, err)
	require.NotContains(t, string(js), "sponsorSignature")
	back = Tx{}
	require.NoError(t, json.Unmarshal(js, &back))
	require.Equal(t, pending, back)

	depJSON, err := json.Marshal(Tx{Type: TxDeposit, ChainID: testChainID, To: 1, Amount: 5, PubKey: c.keys[1].Public()})
	require.NoError(t, err)
	var dep Tx
	require.NoError(t, json.Unmarshal(depJSON, &dep))
	err = json.Unmarshal(append(depJSON[:len(depJSON)-1], []byte(`,"sponsor":4}`)...), &dep)
	require.ErrorIs(t, err, ErrMalformed)
	require.Contains(t, err.Error(), `does not take "sponsor"`)
}

// TestPreVerifySponsorIsBoundToTheTransaction: the sponsor's mark spares
// Apply the check only for the very transaction and sponsor key checked.
func TestPreVerifySponsorIsBoundToTheTransaction(t *testing.T) {
	c := sponsoredFixture(t)
	app := testKey(t, "app")
	tx := c.sponsored(Tx{Type: TxTransfer, ChainID: testChainID, From: 3, To: 1, Amount: 1000, Fee: 10, Nonce: 0}, 4, app)
	require.Error(t, tx.PreVerifySponsor(app.Public()), "the sender's signature first")
	require.NoError(t, tx.PreVerify(c.keys[3].Public()))
	require.ErrorIs(t, tx.PreVerifySponsor(c.keys[3].Public()), ErrBadSignature)
	require.NoError(t, tx.PreVerifySponsor(app.Public()))
	require.True(t, tx.isSponsorPreVerified(app.Public()))

	// A signature swapped after the check is checked again, and fails.
	forged := tx
	forged.SponsorSig[40] ^= 1
	require.False(t, forged.isSponsorPreVerified(app.Public()))
	b := c.batch()
	require.ErrorIs(t, b.Apply(&forged), ErrBadSignature)
	require.NoError(t, b.Apply(&tx))
}
