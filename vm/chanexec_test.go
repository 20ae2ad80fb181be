package vm

import (
	"fmt"
	"testing"

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
	queue := map[uint64]PriorityRequest{}
	for _, tx := range sb.Txs {
		switch tx.Type {
		case TxDeposit:
			queue[tx.PriorityID] = PriorityRequest{Key: DepositKeyOf(tx.PubKey), Amount: tx.Amount}
		case TxForcedChallenge:
			queue[tx.PriorityID] = forcedRequest(tx)
		}
	}
	return ReplayPublicData(c.cfg, c.store.ReaderAt(sb.Before.BatchNumber), sb.Before, ts, pd, func(id uint64) (PriorityRequest, error) {
		d, ok := queue[id]
		if !ok {
			return PriorityRequest{}, fmt.Errorf("no L1 request %d", id)
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
