package bridge

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/keel-rollup/keel/l1contracts"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// forcedLog is the log Rollup.requestChannelChallenge emits for a state
// and its two signatures.
func forcedLog(t testing.TB, index uint64, channel uint32, st vm.ChannelState, sigA, sigB vm.Signature) *types.Log {
	ev := rollupABI.GetABI().Events[l1contracts.RollupChannelChallengeRequestedEventName]
	parts := func(s vm.Signature) [3]*big.Int {
		rx, ry, sc := s.Parts()
		return [3]*big.Int{rx.BigInt(new(big.Int)), ry.BigInt(new(big.Int)), sc.BigInt(new(big.Int))}
	}
	data, err := ev.Inputs.NonIndexed().Pack(st.Version, st.Final, st.BalanceA, st.BalanceB, parts(sigA), parts(sigB), big.NewInt(99))
	require.NoError(t, err)
	return &types.Log{Topics: []common.Hash{ev.ID, common.BigToHash(new(big.Int).SetUint64(index)), common.BigToHash(big.NewInt(int64(channel)))}, Data: data, BlockNumber: 12}
}

// TestDecodeForcedChallengeLog: a forced challenge read from its L1 log is
// the request the contract hashed (the state, both signatures), and a log
// whose R is no curve point, or whose shape is not the event's, is
// refused with the reason.
func TestDecodeForcedChallengeLog(t *testing.T) {
	a, err := vm.GenerateKey()
	require.NoError(t, err)
	b, err := vm.GenerateKey()
	require.NoError(t, err)
	st := vm.ChannelState{ChainID: 5, ChannelID: vm.ChannelIDOf(1, 0), Version: 9, BalanceA: 30, BalanceB: 70, Final: true}
	sigA, err := st.Sign(a)
	require.NoError(t, err)
	sigB, err := st.Sign(b)
	require.NoError(t, err)
	d, err := DecodePriorityLog(forcedLog(t, 4, 6, st, sigA, sigB))
	require.NoError(t, err)
	require.True(t, d.IsForcedChallenge())
	require.False(t, d.IsDeposit())
	require.EqualValues(t, 4, d.ID)
	require.EqualValues(t, 6, d.Channel)
	require.EqualValues(t, 12, d.Block)
	require.Equal(t, sigA, d.Sig)
	require.Equal(t, sigB, d.SigB)
	want := st
	want.ChainID, want.ChannelID = 0, 0
	require.Equal(t, want, d.State)
	var prev vm.Element
	require.Equal(t, vm.ForcedChallengePriorityHash(prev, 6, st, sigA, sigB), d.ChainHash(prev))

	// Another request's digest differs: the cursor tells them apart.
	other := *d
	other.State.Version++
	require.NotEqual(t, d.digest(), other.digest())
	fx := Deposit{PriorityRequest: vm.PriorityRequest{ID: 4, Kind: vm.TxFullExit}}
	require.NotEqual(t, d.digest(), fx.digest())

	bad := forcedLog(t, 4, 6, st, sigA, sigB)
	bad.Data[8*32-1] ^= 1 // party B's R.X, off the curve
	_, err = DecodePriorityLog(bad)
	require.ErrorContains(t, err, "party B's signature: R is not a curve point")
	short := forcedLog(t, 4, 6, st, sigA, sigB)
	short.Data = short.Data[:10*32]
	_, err = DecodePriorityLog(short)
	require.ErrorContains(t, err, "malformed channel-challenge log")
}

func FuzzDecodeForcedChallengeLog(f *testing.F) {
	ev := rollupABI.GetABI().Events[l1contracts.RollupChannelChallengeRequestedEventName]
	k, err := vm.GenerateKey()
	if err != nil {
		f.Fatal(err)
	}
	st := vm.ChannelState{Version: 3, BalanceA: 1, BalanceB: 2}
	sig, err := st.Sign(k)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(forcedLog(f, 1, 2, st, sig, sig).Data, uint64(1), uint32(2))
	f.Add([]byte{}, uint64(0), uint32(0))
	f.Fuzz(func(t *testing.T, data []byte, index uint64, channel uint32) {
		log := &types.Log{Topics: []common.Hash{ev.ID, common.BigToHash(new(big.Int).SetUint64(index)), common.BigToHash(big.NewInt(int64(channel)))}, Data: data}
		d, err := DecodeForcedChallengeLog(log)
		if err != nil {
			return
		}
		if !d.IsForcedChallenge() || d.ID != index || d.Channel != channel {
			t.Fatalf("decoded %+v from index %d channel %d", d.PriorityRequest, index, channel)
		}
		for i, s := range []vm.Signature{d.Sig, d.SigB} {
			rx, ry, _ := s.Parts()
			off := 32 * (4 + 3*i)
			if rx.BigInt(new(big.Int)).Cmp(new(big.Int).SetBytes(data[off:off+32])) != 0 || ry.BigInt(new(big.Int)).Cmp(new(big.Int).SetBytes(data[off+32:off+64])) != 0 {
				t.Fatalf("signature %d's R does not round-trip", i)
			}
		}
	})
}
