package vm

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBatchTimestamp: a batch's time defaults to the previous batch's,
// never goes back, is fixed once a transaction is applied, reaches the
// sealed Meta, and is bound by the commitment.
func TestBatchTimestamp(t *testing.T) {
	cfg := Config{ChainID: 3, Depth: 4, Slots: 4}
	store := NewMemStore(cfg.Depth)
	head := GenesisMeta(cfg.Depth)
	head.Timestamp = 1000

	b, err := NewBatch(cfg, store.ReaderAt(0), head)
	require.NoError(t, err)
	require.EqualValues(t, 1000, b.Timestamp())
	require.ErrorIs(t, b.SetTimestamp(999), ErrTimestamp)
	require.NoError(t, b.SetTimestamp(1500))
	k := channelKey(t, "timestamp")
	require.NoError(t, b.Apply(&Tx{Type: TxDeposit, ChainID: 3, To: 1, PubKey: k.Public(), Amount: 5}))
	require.Error(t, b.SetTimestamp(1600), "fixed once a transaction is in")
	sb, err := b.Seal()
	require.NoError(t, err)
	require.EqualValues(t, 1500, sb.After.Timestamp)

	later := sb.After
	later.Timestamp++
	require.NotEqual(t, sb.Commitment(0), BatchCommitment(3, 0, sb.Before, later, sb.PublicData), "the commitment binds the timestamp")

	again, _, err := ExecuteAt(cfg, store.ReaderAt(0), head, 1500, sb.Txs)
	require.NoError(t, err)
	require.Equal(t, sb.After, again.After)
	_, _, err = ExecuteAt(cfg, store.ReaderAt(0), head, 10, sb.Txs)
	require.ErrorIs(t, err, ErrTimestamp)
}
