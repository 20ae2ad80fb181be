package vm

import (
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite golden files in testdata/")

// goldenTxs returns one deterministic transaction of every kind.
func goldenTxs(t testing.TB) map[string]Tx {
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	transfer := Tx{Type: TxTransfer, ChainID: testChainID, From: 1, To: 2, Amount: 1_500_000, Fee: 2_000, Nonce: 3}
	require.NoError(t, transfer.Sign(alice))
	withdraw := Tx{Type: TxWithdraw, ChainID: testChainID, From: 2, L1To: l1Alice, Amount: 123_456_789_012, Fee: 1_000, Nonce: 0}
	require.NoError(t, withdraw.Sign(bob))
	deposit := Tx{Type: TxDeposit, ChainID: testChainID, PriorityID: 41, To: 5, PubKey: alice.Public(), Amount: 1_000_000_000}
	fullExit := Tx{Type: TxFullExit, ChainID: testChainID, PriorityID: 42, From: 1, Nonce: 3, L1To: l1Alice}
	sig, err := alice.SignElement(fullExit.Message())
	require.NoError(t, err)
	fullExit.Sig = sig
	txs := map[string]Tx{"deposit": deposit, "transfer": transfer, "withdraw": withdraw, "fullExit": fullExit}
	for name, tx := range channelTxs(t) {
		txs[name] = tx
	}
	return txs
}

type goldenTx struct {
	Binary  string          `json:"binary"`
	JSON    json.RawMessage `json:"json"`
	Message string          `json:"message"`
	Hash    string          `json:"hash"`
}

// TestGoldenEncodings pins the binary and JSON encodings, the signed
// message and the hash of every transaction kind. Run with -update after a
// deliberate format change.
func TestGoldenEncodings(t *testing.T) {
	path := filepath.Join("..", "testdata", "vm", "transactions.golden.json")
	got := map[string]goldenTx{}
	for name, tx := range goldenTxs(t) {
		bin, err := tx.MarshalBinary()
		require.NoError(t, err)
		js, err := json.Marshal(tx)
		require.NoError(t, err)
		m := tx.Message()
		msg := m.Bytes()
		got[name] = goldenTx{Binary: hex.EncodeToString(bin), JSON: js, Message: hex.EncodeToString(msg[:]), Hash: tx.Hash().Hex()}

		// Both encodings round-trip.
		var fromBin, fromJSON Tx
		require.NoError(t, fromBin.UnmarshalBinary(bin))
		require.Equal(t, tx, fromBin)
		require.NoError(t, json.Unmarshal(js, &fromJSON))
		require.Equal(t, tx, fromJSON)
	}
	out, err := json.MarshalIndent(got, "", "  ")
	require.NoError(t, err)
	out = append(out, '\n')
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, out, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "run go test ./vm -run Golden -update to create it")
	require.JSONEq(t, string(want), string(out))
}

func TestDecodeErrors(t *testing.T) {
	txs := goldenTxs(t)
	transfer, err := txs["transfer"].MarshalBinary()
	require.NoError(t, err)
	deposit, err := txs["deposit"].MarshalBinary()
	require.NoError(t, err)
	badKey := append([]byte{}, deposit...)
	copy(badKey[21:53], make([]byte, 32)) // the zero encoding is not a valid key here
	badKey[21] = 0xff
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"empty", nil},
		{"unknown type", append([]byte{9}, transfer[1:]...)},
		{"short", transfer[:len(transfer)-1]},
		{"long", append(append([]byte{}, transfer...), 0)},
		{"bad deposit key", badKey},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var tx Tx
			require.ErrorIs(t, tx.UnmarshalBinary(tc.in), ErrMalformed)
		})
	}
	for _, tc := range []struct{ name, in string }{
		{"not json", `{`},
		{"unknown type", `{"type":"mint","chainId":"7","amount":"1"}`},
		{"unknown field", `{"type":"transfer","chainId":"7","from":1,"to":2,"amount":"1","fee":"0","nonce":0,"signature":"0x` + hex.EncodeToString(make([]byte, 64)) + `","extra":1}`},
		{"missing field", `{"type":"transfer","chainId":"7","from":1,"to":2,"amount":"1","fee":"0","nonce":0}`},
		{"field of another type", `{"type":"deposit","chainId":"7","to":2,"amount":"1","priorityId":"0","pubKey":"0x00","nonce":1}`},
		{"amount as number", `{"type":"transfer","chainId":"7","from":1,"to":2,"amount":1,"fee":"0","nonce":0,"signature":"0x` + hex.EncodeToString(make([]byte, 64)) + `"}`},
		{"negative amount", `{"type":"transfer","chainId":"7","from":1,"to":2,"amount":"-1","fee":"0","nonce":0,"signature":"0x` + hex.EncodeToString(make([]byte, 64)) + `"}`},
		{"short signature", `{"type":"transfer","chainId":"7","from":1,"to":2,"amount":"1","fee":"0","nonce":0,"signature":"0x00"}`},
		{"trailing data", `{"type":"deposit"} {}`},
	} {
		t.Run("json "+tc.name, func(t *testing.T) {
			var tx Tx
			err := json.Unmarshal([]byte(tc.in), &tx)
			require.Error(t, err)
			if tc.name != "not json" && tc.name != "trailing data" { // encoding/json's own syntax errors
				require.ErrorIs(t, err, ErrMalformed)
			}
		})
	}
}

func TestPackedAmounts(t *testing.T) {
	for _, tc := range []struct {
		v      uint64
		ok     bool
		packed uint32
	}{
		{0, true, 0}, {1, true, 1}, {524287, true, 524287}, {524288, false, 0}, {5242870, true, 1<<19 | 524287}, {5242880, false, 0},
		{1_000_000_000, true, 1}, {18_000_000_000_000_000_000, true, 18<<19 | 18}, {123_456_789, false, 0},
	} {
		p, ok := PackAmount(tc.v)
		require.Equal(t, tc.ok, ok, "%d", tc.v)
		if !ok {
			require.Less(t, RoundAmount(tc.v), tc.v)
			_, ok := PackAmount(RoundAmount(tc.v))
			require.True(t, ok)
			continue
		}
		v, err := UnpackAmount(p)
		require.NoError(t, err)
		require.Equal(t, tc.v, v)
	}
	_, err := UnpackAmount(19<<19 | 524287)
	require.ErrorIs(t, err, ErrOverflow)
	_, err = UnpackAmount(31<<19 | 1)
	require.ErrorIs(t, err, ErrOverflow)
	// One encoding per amount: the smallest exponent, and zero as 0×10^0.
	for _, p := range []uint32{3<<19 | 1, 1<<19 | 52428, 1 << 19} {
		_, err = UnpackAmount(p)
		require.ErrorIs(t, err, ErrMalformed, "%#x", p)
	}
	v, err := UnpackAmount(1<<19 | 52429) // 10×52429 does not fit 19 bits
	require.NoError(t, err)
	require.EqualValues(t, 524290, v)
	for _, v := range []uint64{0, 7, 2047, 2048, 20470, 99_999} {
		p, ok := PackFee(v)
		if !ok {
			require.Less(t, RoundFee(v), v)
			continue
		}
		got, err := UnpackFee(p)
		require.NoError(t, err)
		require.Equal(t, v, got)
	}
}

func TestDecodePublicDataErrors(t *testing.T) {
	rec := func(b ...byte) []byte { r := make([]byte, RecordSize); copy(r, b); return r }
	// cat lays records out as public data, with their payout map.
	cat := func(rs ...[]byte) []byte {
		records := make([]Record, len(rs))
		for i, r := range rs {
			copy(records[i][:], r)
		}
		return EncodePublicData(records)
	}
	withdrawal := func(mapByte byte) []byte {
		pd := cat(rec(byte(OpWithdraw), 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 5), rec(byte(OpData)), rec(byte(OpData)))
		pd[len(pd)-1] = mapByte
		return pd
	}
	_, err := DecodePublicData(withdrawal(0x80))
	require.NoError(t, err, "the honest map")
	for _, tc := range []struct {
		name string
		in   []byte
		want error
	}{
		{"ragged length", make([]byte, 14), ErrMalformed},
		{"records without their map", make([]byte, 2*RecordSize), ErrMalformed},
		{"payout missing from the map", withdrawal(0), ErrMalformed},
		{"a data record in the map", withdrawal(0xc0), ErrMalformed},
		{"a transfer in the map", append(cat(rec(byte(OpTransfer), 0, 0, 1, 0, 0, 2, 0, 0, 1))[:RecordSize], 0x80), ErrMalformed},
		{"map padding bit", withdrawal(0x81), ErrMalformed},
		{"dirty noop", cat(rec(0, 1)), ErrMalformed},
		{"unknown opcode", cat(rec(15)), ErrMalformed},
		{"stray data", cat(rec(byte(OpData))), ErrMalformed},
		{"withdraw without data", cat(rec(byte(OpWithdraw))), ErrMalformed},
		{"withdraw with one data", cat(rec(byte(OpWithdraw)), rec(byte(OpData))), ErrMalformed},
		{"overflowing transfer amount", cat(rec(byte(OpTransfer), 0, 0, 1, 0, 0, 2, 0xff, 0xff, 0xff)), ErrOverflow},
		// 1000 as 1×10^3 (canonical: 1000×10^0), a zero fee as 0×10^1.
		{"non-canonical transfer amount", cat(rec(byte(OpTransfer), 0, 0, 1, 0, 0, 2, 3<<3, 0, 1)), ErrMalformed},
		{"non-canonical zero fee", cat(rec(byte(OpTransfer), 0, 0, 1, 0, 0, 2, 0, 0, 1, 1<<3, 0)), ErrMalformed},
		{"transfer after padding", cat(rec(), rec(byte(OpDeposit), 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1)), ErrMalformed},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodePublicData(tc.in)
			require.ErrorIs(t, err, tc.want)
		})
	}
}
