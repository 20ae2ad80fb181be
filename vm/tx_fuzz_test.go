package vm

import (
	"encoding/json"
	"math"
	"strings"
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
	for _, tx := range channelEdgeTxs() {
		b, err := tx.MarshalBinary()
		require.NoError(f, err)
		f.Add(b)
	}
	closeBin, err := channelTxs(f)["channelClose"].MarshalBinary()
	require.NoError(f, err)
	closeBin[21] = 2 // a final flag other than 0 or 1
	f.Add(closeBin)
	f.Add([]byte{})
	f.Add([]byte{2})
	f.Add([]byte{byte(TxChanFinalize)})
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

// channelEdgeTxs are channel operations at the edges of their encodings:
// an open with no leaf and no B, the unsigned opening dispute, the widest
// values.
func channelEdgeTxs() []Tx {
	return []Tx{
		{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Amount: 5, Period: 1},
		{Type: TxChanDispute, ChainID: testChainID, Channel: 3, Amount: 5},
		{Type: TxChanChallenge, ChainID: math.MaxUint64, Channel: math.MaxUint32, Version: math.MaxUint64, Amount: math.MaxUint64, AmountB: math.MaxUint64,
			Sig: Signature{0xff}, SigB: Signature{63: 0xff}},
		{Type: TxChanFinalize, ChainID: math.MaxUint64, Channel: math.MaxUint32},
		// A forced challenge from L1: every field as wide as the queue
		// allows, and one as unsigned as the contract lets through.
		{Type: TxForcedChallenge, ChainID: math.MaxUint64, PriorityID: math.MaxUint64, Channel: math.MaxUint32, Version: math.MaxUint64, Final: true,
			Amount: math.MaxUint64, AmountB: math.MaxUint64, Sig: Signature{0xff}, SigB: Signature{63: 0xff}},
		{Type: TxForcedChallenge, ChainID: testChainID, PriorityID: 3, Channel: 6},
	}
}

// FuzzTxUnmarshalJSON: the JSON decoder never panics, and what it accepts
// survives a JSON and a binary round trip unchanged.
func FuzzTxUnmarshalJSON(f *testing.F) {
	for _, tx := range goldenTxs(f) {
		b, err := json.Marshal(tx)
		require.NoError(f, err)
		f.Add(b)
	}
	for _, tx := range channelEdgeTxs() {
		b, err := json.Marshal(tx)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"type":"transfer"}`))
	f.Add([]byte(`{"type":"channelFinalize","chainId":"7","channel":3}`))
	f.Add([]byte(`{"type":"channelOpen","chainId":"7","from":1,"to":2,"amount":"5","amountB":"0","fee":"0","nonce":0,"period":60,"signature":"0x` + strings.Repeat("00", SignatureSize) + `"}`))
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
	// Channel records as a batch seals them: open and fund, dispute and close
	// with their B records.
	for _, ts := range [][]Tx{
		{c.openTx(1, 2, 10, 30_000, 20_000, 50, 0), stateTx(f, TxChanDispute, 10, chanState(1, 0, 0, 30_000, 20_000, false), c.keys[1], nil)},
		{c.openTx(1, 2, 10, 30_000, 20_000, 0, 0), c.cosigned(TxChanClose, 10, chanState(1, 0, 3, 10_000, 40_000, true), 1, 2)},
	} {
		cb := c.batch()
		for i := range ts {
			require.NoError(f, cb.Apply(&ts[i]))
		}
		csb, err := cb.Seal()
		require.NoError(f, err)
		f.Add(csb.PublicData)
	}
	f.Add(make([]byte, 13))
	f.Add(make([]byte, PublicDataSize(8)))
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
