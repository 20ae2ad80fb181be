package vm

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/stretchr/testify/require"
)

// channelTxs returns one deterministic transaction of each channel type.
func channelTxs(t testing.TB) map[string]Tx {
	alice, bob := testKey(t, "alice"), testKey(t, "bob")
	open := Tx{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Channel: 10, Amount: 300_000, AmountB: 200_000, Fee: 50, Nonce: 4, Period: 86_400}
	require.NoError(t, open.Sign(alice))
	require.NoError(t, open.SignB(bob))
	state := func(typ TxType, version, a, b uint64, final bool) Tx {
		return stateTx(t, typ, 10, ChannelState{ChainID: testChainID, ChannelID: ChannelIDOf(1, 4), Version: version, BalanceA: a, BalanceB: b, Final: final}, alice, bob)
	}
	return map[string]Tx{
		"channelOpen":      open,
		"channelClose":     state(TxChanClose, 57, 129_000, 371_000, true),
		"channelDispute":   state(TxChanDispute, 10, 280_000, 220_000, false),
		"channelChallenge": state(TxChanChallenge, 1<<40, 100_000, 400_000, false),
		"channelFinalize":  {Type: TxChanFinalize, ChainID: testChainID, Channel: 10},
	}
}

func jsonKeys(t *testing.T, js []byte) []string {
	t.Helper()
	var m map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(js, &m))
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestChannelTxEncodings: both encodings of every channel type round-trip,
// carry exactly the type's fields, and refuse the fields it does not use.
func TestChannelTxEncodings(t *testing.T) {
	sizes := map[TxType]int{TxChanOpen: chanOpenSize, TxChanClose: chanStateSize, TxChanDispute: chanStateSize, TxChanChallenge: chanStateSize, TxChanFinalize: chanFinalizeSize}
	stateKeys := []string{"amount", "amountB", "chainId", "channel", "final", "signature", "signatureB", "type", "version"}
	keys := map[TxType][]string{
		TxChanOpen:      {"amount", "amountB", "chainId", "channel", "fee", "from", "nonce", "period", "signature", "signatureB", "to", "type"},
		TxChanClose:     stateKeys,
		TxChanDispute:   stateKeys,
		TxChanChallenge: stateKeys,
		TxChanFinalize:  {"chainId", "channel", "type"},
	}
	txs := channelTxs(t)
	require.Len(t, txs, 5)
	for name, tx := range txs {
		t.Run(name, func(t *testing.T) {
			require.Equal(t, name, tx.Type.String())
			require.True(t, tx.Type.IsChannel())
			require.Equal(t, 2, tx.Steps())
			require.NoError(t, tx.CheckStatic(testChainID, 8))

			bin, err := tx.MarshalBinary()
			require.NoError(t, err)
			require.Len(t, bin, sizes[tx.Type])
			require.LessOrEqual(t, len(bin), MaxTxSize)
			require.Equal(t, byte(tx.Type), bin[0])
			var fromBin Tx
			require.NoError(t, fromBin.UnmarshalBinary(bin))
			require.Equal(t, tx, fromBin)
			for _, n := range []int{len(bin) - 1, len(bin) + 1} {
				cut := append(append([]byte(nil), bin...), 0)[:n]
				require.ErrorIs(t, new(Tx).UnmarshalBinary(cut), ErrMalformed, "%d bytes", n)
			}

			js, err := json.Marshal(tx)
			require.NoError(t, err)
			require.Equal(t, keys[tx.Type], jsonKeys(t, js), "%s", js)
			var fromJSON Tx
			require.NoError(t, json.Unmarshal(js, &fromJSON))
			require.Equal(t, tx, fromJSON)
		})
	}

	// Field positions in the binary layouts.
	open, _ := txs["channelOpen"].MarshalBinary()
	require.Equal(t, []byte{0, 0, 0, 10}, open[17:21], "open: channel after from and to")
	require.Equal(t, []byte{0, 1, 0x51, 0x80}, open[49:53], "open: period after the nonce")
	closeBin, _ := txs["channelClose"].MarshalBinary()
	require.Equal(t, []byte{0, 0, 0, 0, 0, 0, 0, 57}, closeBin[13:21], "state: version after the channel")
	require.Equal(t, byte(1), closeBin[21], "state: final flag")
	for _, flag := range []byte{2, 0xff} {
		bad := append([]byte(nil), closeBin...)
		bad[21] = flag
		require.ErrorIs(t, new(Tx).UnmarshalBinary(bad), ErrMalformed, "final flag %d", flag)
	}
	var notFinal Tx
	bad := append([]byte(nil), closeBin...)
	bad[21] = 0
	require.NoError(t, notFinal.UnmarshalBinary(bad))
	require.False(t, notFinal.Final)
	require.ErrorIs(t, notFinal.CheckStatic(testChainID, 8), ErrChannelState, "a close decoded without its final flag")

	// An open's leaf is the sequencer's choice: neither the hash nor the
	// signed message depends on it, while every signed field counts.
	o := txs["channelOpen"]
	moved := o
	moved.Channel = 99
	require.Equal(t, o.Hash(), moved.Hash())
	require.Equal(t, o.Message(), moved.Message())
	require.True(t, moved.VerifySignature(testKey(t, "alice").Public()))
	for name, mut := range map[string]func(*Tx){
		"amountB": func(tx *Tx) { tx.AmountB++ },
		"period":  func(tx *Tx) { tx.Period++ },
		"to":      func(tx *Tx) { tx.To = 3 },
		"nonce":   func(tx *Tx) { tx.Nonce++ },
		"fee":     func(tx *Tx) { tx.Fee++ },
		"amount":  func(tx *Tx) { tx.Amount++ },
	} {
		changed := o
		mut(&changed)
		require.NotEqual(t, o.Hash(), changed.Hash(), name)
		require.NotEqual(t, o.Message(), changed.Message(), name)
	}
	for _, name := range []string{"channelClose", "channelFinalize"} {
		tx := txs[name]
		moved := tx
		moved.Channel = 11
		require.NotEqual(t, tx.Hash(), moved.Hash(), "%s names its channel", name)
	}

	// Only an open is signed as a transaction.
	cl := txs["channelClose"]
	require.ErrorIs(t, cl.Sign(testKey(t, "alice")), ErrMalformed)
	require.ErrorIs(t, cl.SignB(testKey(t, "bob")), ErrMalformed)
	require.True(t, TxChanOpen.IsSigned())
	for _, typ := range []TxType{TxChanClose, TxChanDispute, TxChanChallenge, TxChanFinalize} {
		require.False(t, typ.IsSigned(), "%s", typ)
		require.False(t, typ.IsPriority(), "%s", typ)
	}
	require.Equal(t, chanState(1, 4, 57, 129_000, 371_000, true), cl.ChannelState(ChannelIDOf(1, 4)))

	// CheckStatic refuses fields a type does not use and out-of-range values.
	for _, tc := range []struct {
		name string
		tx   string
		mut  func(*Tx)
		want error
	}{
		{"finalize with an amount", "channelFinalize", func(tx *Tx) { tx.Amount = 1 }, ErrMalformed},
		{"finalize with amountB", "channelFinalize", func(tx *Tx) { tx.AmountB = 1 }, ErrMalformed},
		{"finalize with a version", "channelFinalize", func(tx *Tx) { tx.Version = 1 }, ErrMalformed},
		{"finalize marked final", "channelFinalize", func(tx *Tx) { tx.Final = true }, ErrMalformed},
		{"finalize with a signature", "channelFinalize", func(tx *Tx) { tx.Sig[0] = 1 }, ErrMalformed},
		{"finalize with signature B", "channelFinalize", func(tx *Tx) { tx.SigB[0] = 1 }, ErrMalformed},
		{"finalize with a fee", "channelFinalize", func(tx *Tx) { tx.Fee = 1 }, ErrMalformed},
		{"finalize with a sender", "channelFinalize", func(tx *Tx) { tx.From = 1 }, ErrMalformed},
		{"finalize with a period", "channelFinalize", func(tx *Tx) { tx.Period = 1 }, ErrMalformed},
		{"close without final", "channelClose", func(tx *Tx) { tx.Final = false }, ErrChannelState},
		{"close with a fee", "channelClose", func(tx *Tx) { tx.Fee = 10 }, ErrMalformed},
		{"close with a nonce", "channelClose", func(tx *Tx) { tx.Nonce = 1 }, ErrMalformed},
		{"close with a sender", "channelClose", func(tx *Tx) { tx.From = 1 }, ErrMalformed},
		{"close with a recipient", "channelClose", func(tx *Tx) { tx.To = 2 }, ErrMalformed},
		{"close with a period", "channelClose", func(tx *Tx) { tx.Period = 1 }, ErrMalformed},
		{"dispute with an L1 address", "channelDispute", func(tx *Tx) { tx.L1To = l1Alice }, ErrMalformed},
		{"dispute with a key", "channelDispute", func(tx *Tx) { tx.PubKey = testKey(t, "alice").Public() }, ErrMalformed},
		{"dispute with a priority id", "channelDispute", func(tx *Tx) { tx.PriorityID = 1 }, ErrMalformed},
		{"dispute balances overflow", "channelDispute", func(tx *Tx) { tx.Amount, tx.AmountB = math.MaxUint64, 1 }, ErrOverflow},
		{"challenge with version 0", "channelChallenge", func(tx *Tx) { tx.Version = 0 }, ErrStaleState},
		{"channel out of range", "channelChallenge", func(tx *Tx) { tx.Channel = 1 << 8 }, ErrIndexOutOfRange},
		{"open with a version", "channelOpen", func(tx *Tx) { tx.Version = 1 }, ErrMalformed},
		{"open marked final", "channelOpen", func(tx *Tx) { tx.Final = true }, ErrMalformed},
		{"open with an L1 address", "channelOpen", func(tx *Tx) { tx.L1To = common.Address{1} }, ErrMalformed},
		{"open with a priority id", "channelOpen", func(tx *Tx) { tx.PriorityID = 1 }, ErrMalformed},
		{"open with signature B, unfunded", "channelOpen", func(tx *Tx) { tx.AmountB = 0 }, ErrMalformed},
		{"open with a zero period", "channelOpen", func(tx *Tx) { tx.Period = 0 }, ErrMalformed},
		{"open with oneself", "channelOpen", func(tx *Tx) { tx.To = tx.From }, ErrSelfTransfer},
		{"open locking nothing", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB, tx.SigB = 0, 0, Signature{} }, ErrZeroAmount},
		{"open funding overflows", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB = 18e18, 18e18 }, ErrOverflow},
		{"open funding plus fee overflows", "channelOpen", func(tx *Tx) { tx.Amount, tx.AmountB, tx.Fee = 18e18, 0, 1e18 }, ErrOverflow},
		{"open B's funding not packable", "channelOpen", func(tx *Tx) { tx.AmountB = 524_289 }, ErrAmountNotPackable},
		{"open fee not packable", "channelOpen", func(tx *Tx) { tx.Fee = 2_049 }, ErrFeeNotPackable},
		{"open for another chain", "channelOpen", func(tx *Tx) { tx.ChainID++ }, ErrWrongChain},
		{"open to an index out of range", "channelOpen", func(tx *Tx) { tx.To = 1 << 8 }, ErrIndexOutOfRange},
	} {
		tx := txs[tc.tx]
		tc.mut(&tx)
		require.ErrorIs(t, tx.CheckStatic(testChainID, 8), tc.want, tc.name)
	}

	// The JSON decoder refuses missing fields and fields of other types.
	withJSON := func(name string, f func(m map[string]any)) []byte {
		js, err := json.Marshal(txs[name])
		require.NoError(t, err)
		var m map[string]any
		require.NoError(t, json.Unmarshal(js, &m))
		f(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	set := func(k string, v any) func(map[string]any) { return func(m map[string]any) { m[k] = v } }
	del := func(k string) func(map[string]any) { return func(m map[string]any) { delete(m, k) } }
	for _, tc := range []struct {
		name string
		in   []byte
	}{
		{"finalize with an amount", withJSON("channelFinalize", set("amount", "1"))},
		{"finalize with a signature", withJSON("channelFinalize", set("signature", "0x"+fmt.Sprintf("%0128x", 1)))},
		{"finalize with a version", withJSON("channelFinalize", set("version", "1"))},
		{"finalize without a channel", withJSON("channelFinalize", del("channel"))},
		{"close with a fee", withJSON("channelClose", set("fee", "0"))},
		{"close with a nonce", withJSON("channelClose", set("nonce", 0))},
		{"close with a period", withJSON("channelClose", set("period", 1))},
		{"close with a sender", withJSON("channelClose", set("from", 1))},
		{"close without final", withJSON("channelClose", del("final"))},
		{"close without signature B", withJSON("channelClose", del("signatureB"))},
		{"close without a version", withJSON("channelClose", del("version"))},
		{"close with final not a bool", withJSON("channelClose", set("final", "yes"))},
		{"dispute without a channel", withJSON("channelDispute", del("channel"))},
		{"dispute without amountB", withJSON("channelDispute", del("amountB"))},
		{"challenge with a version as a number", withJSON("channelChallenge", set("version", 3))},
		{"open with a version", withJSON("channelOpen", set("version", "0"))},
		{"open with final", withJSON("channelOpen", set("final", false))},
		{"open without a period", withJSON("channelOpen", del("period"))},
		{"open without amountB", withJSON("channelOpen", del("amountB"))},
		{"open without a nonce", withJSON("channelOpen", del("nonce"))},
		{"transfer with a channel", withJSON("channelOpen", func(m map[string]any) {
			m["type"] = "transfer"
			delete(m, "amountB")
			delete(m, "period")
			delete(m, "signatureB")
		})},
		{"transfer with signature B", func() []byte {
			js, err := json.Marshal(goldenTxs(t)["transfer"])
			require.NoError(t, err)
			var m map[string]any
			require.NoError(t, json.Unmarshal(js, &m))
			m["signatureB"] = m["signature"]
			out, err := json.Marshal(m)
			require.NoError(t, err)
			return out
		}()},
	} {
		var tx Tx
		require.ErrorIs(t, json.Unmarshal(tc.in, &tx), ErrMalformed, "%s: %s", tc.name, tc.in)
	}

	// The control: the transfer made from the open's JSON decodes once its
	// channel is gone.
	var transfer Tx
	require.NoError(t, json.Unmarshal(withJSON("channelOpen", func(m map[string]any) {
		m["type"] = "transfer"
		for _, k := range []string{"amountB", "period", "signatureB", "channel"} {
			delete(m, k)
		}
	}), &transfer))
	require.Equal(t, TxTransfer, transfer.Type)

	// An unfunded open may leave out B's signature and its leaf.
	unfunded := Tx{Type: TxChanOpen, ChainID: testChainID, From: 1, To: 2, Amount: 1_000, Nonce: 0, Period: 60}
	require.NoError(t, unfunded.Sign(testKey(t, "alice")))
	var fromJSON Tx
	js := withJSON("channelOpen", func(m map[string]any) {
		delete(m, "channel")
		delete(m, "signatureB")
		m["amountB"], m["amount"], m["fee"], m["nonce"], m["period"] = "0", "1000", "0", 0, 60
		m["signature"] = "0x" + fmt.Sprintf("%x", unfunded.Sig[:])
	})
	require.NoError(t, json.Unmarshal(js, &fromJSON), "%s", js)
	require.Equal(t, unfunded, fromJSON)
	require.NoError(t, fromJSON.CheckStatic(testChainID, 8))
}

// TestChannelLeafEncoding: a channel leaf decodes to what encoded it, at the
// widest values, and ChannelOf refuses leaves no channel encodes to.
func TestChannelLeafEncoding(t *testing.T) {
	for _, ch := range []ChannelLeaf{
		{Status: ChannelOpen, A: 1, B: 2, OpenNonce: 3, Period: 4, SplitA: 5, Total: 6},
		{Status: ChannelClosing, A: math.MaxUint32, B: math.MaxUint32 - 1, OpenNonce: math.MaxUint32, Period: math.MaxUint32,
			Deadline: math.MaxUint64, Version: math.MaxUint64, SplitA: math.MaxUint64, Total: math.MaxUint64},
		{Status: ChannelClosing, Deadline: 1, Version: 1},
	} {
		leaf := ch.Leaf()
		require.Equal(t, KindChannel, leaf.Kind)
		got, err := ChannelOf(&leaf)
		require.NoError(t, err)
		require.Equal(t, ch, got)
		require.Equal(t, uint64(ch.A)<<32|uint64(ch.OpenNonce), got.ID())
		bin, err := leaf.MarshalBinary()
		require.NoError(t, err)
		var back Account
		require.NoError(t, back.UnmarshalBinary(bin))
		require.Equal(t, leaf, back)
	}
	good := ChannelLeaf{Status: ChannelOpen, A: 1, B: 2, SplitA: 5, Total: 6}
	for _, tc := range []struct {
		name string
		leaf func() Account
		want error
	}{
		{"empty leaf", func() Account { return Account{} }, ErrNotChannel},
		{"account", func() Account { a := good.Leaf(); a.Kind = KindAccount; return a }, ErrNotChannel},
		{"status 0", func() Account { c := good; c.Status = 0; return c.Leaf() }, ErrMalformed},
		{"status 3", func() Account { c := good; c.Status = 3; return c.Leaf() }, ErrMalformed},
		{"split above the total", func() Account { c := good; c.SplitA = 7; return c.Leaf() }, ErrMalformed},
		{"a nonce", func() Account { a := good.Leaf(); a.Nonce = 1; return a }, ErrMalformed},
		{"aux", func() Account { a := good.Leaf(); a.Aux = ElementFromUint64(1); return a }, ErrMalformed},
		{"x beyond 200 bits", func() Account {
			a := good.Leaf()
			a.PubKey.X = packUints([]uint64{1, 0, 0, 0, 0}, []uint{1, 8, 64, 64, 64}) // bit 200
			return a
		}, ErrMalformed},
		{"y beyond 128 bits", func() Account {
			a := good.Leaf()
			a.PubKey.Y = packUints([]uint64{1, 0, 0}, []uint{8, 64, 64}) // bit 128
			return a
		}, ErrMalformed},
	} {
		a := tc.leaf()
		_, err := ChannelOf(&a)
		require.ErrorIs(t, err, tc.want, tc.name)
	}
}
