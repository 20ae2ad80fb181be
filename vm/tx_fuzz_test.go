package vm

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzTxUnmarshalBinary: the binary decoder never panics, and whatever it
// accepts re-encodes to the same bytes (one encoding per transaction).
func FuzzTxUnmarshalBinary(f *testing.F) {
	for _, tx := range goldenTxs(f) {
		b, err := tx.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{2})
	f.Fuzz(func(t *testing.T, in []byte) {
		var tx Tx
		if err := tx.UnmarshalBinary(in); err != nil {
			require.ErrorIs(t, err, ErrMalformed)
			return
		}
		out, err := tx.MarshalBinary()
		require.NoError(t, err)
		require.Equal(t, in, out)
		_ = tx.CheckStatic(testChainID, DefaultDepth)
	})
}

// FuzzTxUnmarshalJSON: the JSON decoder never panics, and what it accepts
// survives a JSON and a binary round trip unchanged.
func FuzzTxUnmarshalJSON(f *testing.F) {
	for _, tx := range goldenTxs(f) {
		b, err := json.Marshal(tx)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"transfer"}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var tx Tx
		if err := json.Unmarshal(in, &tx); err != nil {
			return
		}
		js, err := json.Marshal(tx)
		require.NoError(t, err)
		var again Tx
		require.NoError(t, json.Unmarshal(js, &again))
		require.Equal(t, tx, again)
		bin, err := tx.MarshalBinary()
		require.NoError(t, err)
		var fromBin Tx
		require.NoError(t, fromBin.UnmarshalBinary(bin))
		require.Equal(t, tx, fromBin)
	})
}

// FuzzDecodePublicData: the public-data parser, which mirrors what the L1
// contract and a syncing node read, never panics and names its errors.
func FuzzDecodePublicData(f *testing.F) {
	c := funded(f)
	b := c.batch()
	txs := []Tx{c.transfer(1, 2, 1000, 10, 0), c.withdraw(2, l1Alice, 5000, 20, 0)}
	for i := range txs {
		require.NoError(f, b.Apply(&txs[i]))
	}
	sb, err := b.Seal()
	require.NoError(f, err)
	f.Add(sb.PublicData)
	f.Add(make([]byte, 13))
	f.Fuzz(func(t *testing.T, in []byte) {
		ops, err := DecodePublicData(in)
		if err != nil {
			require.True(t, IsRejection(err), "%v", err)
			return
		}
		for _, op := range ops {
			require.NotEqual(t, OpNoop, op.Op)
			require.NotEqual(t, OpData, op.Op)
		}
	})
}
