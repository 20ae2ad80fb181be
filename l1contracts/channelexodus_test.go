package l1contracts_test

import (
	"context"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// channelClaim proves a claim on the channel in leaf with state st
// (signed by both parties unless it is the leaf's own) from the env's
// committed state, and returns channelExit's calldata.
func (e *env) channelClaim(leaf uint32, st vm.ChannelState, sigA, sigB vm.Signature) []byte {
	head, err := e.store.Head()
	require.NoError(e.t, err)
	tree, err := vm.NewTree(rollupConfig.Depth, e.store.ReaderAt(head.BatchNumber))
	require.NoError(e.t, err)
	l, err := tree.Get(uint64(leaf))
	require.NoError(e.t, err)
	ch, err := vm.ChannelOf(&l)
	require.NoError(e.t, err)
	w := prover.ChannelExitWitness{SigA: sigA, SigB: sigB}
	w.Siblings, err = tree.Proof(uint64(leaf))
	require.NoError(e.t, err)
	w.PartyA, err = tree.Get(uint64(ch.A))
	require.NoError(e.t, err)
	w.SiblingsA, err = tree.Proof(uint64(ch.A))
	require.NoError(e.t, err)
	w.PartyB, err = tree.Get(uint64(ch.B))
	require.NoError(e.t, err)
	w.SiblingsB, err = tree.Proof(uint64(ch.B))
	require.NoError(e.t, err)
	claim := vm.ChannelExit{ChainID: rollupConfig.ChainID, Root: head.Root, Channel: leaf, Leaf: ch, State: st}
	p, err := prover.ProveChannelExit(e.exitKeys, claim, w)
	require.NoError(e.t, err)
	raw, err := p.SolidityBytes()
	require.NoError(e.t, err)
	packed := ch.Leaf()
	return e.rollup.PackChannelExit(leaf, packed.PubKey.X.BigInt(new(big.Int)), packed.PubKey.Y.BigInt(new(big.Int)), ch.Total, st.Version, st.BalanceA, st.BalanceB, raw)
}

// TestRollupExodusSettlesChannels: the operator stops for good with three
// channels open, one of them closing with a stale state. In exodus mode,
// each channel is settled on L1 time from the last verified root: a
// party's first claim starts an open channel's period (the closing one
// keeps its deadline), a newer co-signed state replaces a stale one, an
// older one is refused, and after the deadline each party's share of the
// latest split goes where its account exited, once. The Rollup ends
// holding exactly what it owes.
func TestRollupExodusSettlesChannels(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	var deposits []vm.Tx
	for i, amount := range []uint64{10, 5000, 4000, 3000} {
		d, _ := e.depositL2(uint32(i), amount)
		deposits = append(deposits, d)
	}
	e.commitBatch(deposits...)
	const alice, bob, carol = 1, 2, 3
	open := func(a, b, leaf uint32, amountA, amountB uint64, period uint32, nonce uint32) (vm.Tx, uint64) {
		tx := vm.Tx{Type: vm.TxChanOpen, ChainID: rollupConfig.ChainID, From: a, To: b, Channel: leaf, Amount: amountA, AmountB: amountB, Period: period, Nonce: nonce}
		require.NoError(t, tx.Sign(e.l2keys[a]))
		if amountB > 0 {
			require.NoError(t, tx.SignB(e.l2keys[b]))
		}
		return tx, vm.ChannelIDOf(a, nonce)
	}
	// 1↔2 in leaf 6, 2↔3 in leaf 7, 1↔3 in leaf 8.
	open6, id6 := open(alice, bob, 6, 3000, 1000, 3600, 0)
	open7, _ := open(bob, carol, 7, 2000, 0, 3600, 0)
	open8, id8 := open(alice, carol, 8, 500, 500, 7200, 1)
	e.commitBatch(open6, open7, open8)
	type signed struct {
		st   vm.ChannelState
		a, b vm.Signature
	}
	state := func(id, v, a, total uint64, pa, pb uint32) signed {
		st := vm.ChannelState{ChainID: rollupConfig.ChainID, ChannelID: id, Version: v, BalanceA: a, BalanceB: total - a}
		sa, err := st.Sign(e.l2keys[pa])
		require.NoError(t, err)
		sb, err := st.Sign(e.l2keys[pb])
		require.NoError(t, err)
		return signed{st, sa, sb}
	}
	// Off-chain: 6 went to v5 (2,000 each) through v2 (1,000 to Alice);
	// 8 went to v4 (600 to Alice), and Carol closes it with v1 (200).
	v2of6, v3of6, v5of6 := state(id6, 2, 1000, 4000, alice, bob), state(id6, 3, 1500, 4000, alice, bob), state(id6, 5, 2000, 4000, alice, bob)
	v1of8, v4of8 := state(id8, 1, 200, 1000, alice, carol), state(id8, 4, 600, 1000, alice, carol)
	dispute := vm.Tx{Type: vm.TxChanDispute, ChainID: rollupConfig.ChainID, Channel: 8, Sig: v1of8.a, SigB: v1of8.b}
	dispute.SetChannelState(v1of8.st)
	disputed := e.commitBatch(dispute)
	deadline8 := disputed.After.Timestamp + 7200

	// The operator stops for good with a deposit in the queue.
	_, _ = e.depositL2(4, 700)
	for i := 0; i < exodusDelay+1; i++ {
		e.backend.Commit()
	}
	_, err := e.send(e.user, nil, e.rollup.PackActivateExodus())
	require.NoError(t, err)

	send := func(what string, data []byte) {
		t.Helper()
		r, err := e.send(e.user, nil, data)
		require.NoError(t, err, what)
		t.Logf("%s gas: %d", what, r.GasUsed)
	}
	settlement := func(leaf uint32) (version, splitA, deadline uint64) {
		s, err := bind.Call(e.inst, nil, e.rollup.PackChannelSettlements(leaf), e.rollup.UnpackChannelSettlements)
		require.NoError(t, err)
		return s.Version, s.SplitA, s.Deadline
	}
	// Leaf 6: Bob starts it with a stale v2; Alice answers with v5; Bob's
	// v3 is then refused.
	send("channelExit (first claim, a co-signed state)", e.channelClaim(6, v2of6.st, v2of6.a, v2of6.b))
	v, split, dl6 := settlement(6)
	require.EqualValues(t, 2, v)
	require.EqualValues(t, 1000, split)
	require.InDelta(t, e.l1Time()+3600, dl6, 5, "an open channel's period starts at its first claim")
	send("channelExit (challenge)", e.channelClaim(6, v5of6.st, v5of6.a, v5of6.b))
	v, split, _ = settlement(6)
	require.EqualValues(t, 5, v)
	require.EqualValues(t, 2000, split)
	_, err = e.send(e.user, nil, e.channelClaim(6, v3of6.st, v3of6.a, v3of6.b))
	requireRevert(t, err, errID("StaleChannelState(uint32,uint64,uint64)"), "an older state after a newer one")
	// Leaf 7: nobody signed anything; Bob claims the opening split.
	send("channelExit (the recorded state)", e.channelClaim(7, vm.ChannelState{BalanceA: 2000}, vm.Signature{}, vm.Signature{}))
	// Leaf 8 was closing with Carol's v1: it keeps its deadline, and
	// Alice's v4 replaces v1.
	send("channelExit (recorded closing state)", e.channelClaim(8, vm.ChannelState{Version: 1, BalanceA: 200, BalanceB: 800}, vm.Signature{}, vm.Signature{}))
	_, _, dl8 := settlement(8)
	require.Equal(t, deadline8, dl8, "a closing channel keeps its deadline")
	send("channelExit (challenge of a closing channel)", e.channelClaim(8, v4of8.st, v4of8.a, v4of8.b))

	// Everyone exits, which says where their channel shares go.
	addr := map[uint32]common.Address{0: common.HexToAddress("0x0e"), alice: common.HexToAddress("0xa11ce"), bob: common.HexToAddress("0xb0b"), carol: common.HexToAddress("0xca201")}
	claim := func(leaf uint32, partyB bool) error {
		_, err := e.send(e.user, nil, e.rollup.PackClaimChannelShare(leaf, partyB))
		return err
	}
	requireRevert(t, claim(6, false), errID("ChannelPeriodRunning(uint32,uint64)"), "a share before the deadline")
	for _, acct := range []uint32{0, alice, bob} {
		send("exit", e.rollup.PackExit(acct, e.balanceOf(acct), addr[acct], e.exitProof(acct, addr[acct])))
	}

	// After the deadlines, challenges are over and shares are paid once.
	e.adjustTime(7300 * time.Second)
	e.backend.Commit()
	_, err = e.send(e.user, nil, e.channelClaim(6, state(id6, 9, 0, 4000, alice, bob).st, state(id6, 9, 0, 4000, alice, bob).a, state(id6, 9, 0, 4000, alice, bob).b))
	requireRevert(t, err, errID("ChannelPeriodOver(uint32,uint64)"), "a challenge after the deadline")
	requireRevert(t, claim(8, true), errID("NotExited(uint32)"), "a share of an account that has not exited")
	send("exit", e.rollup.PackExit(carol, e.balanceOf(carol), addr[carol], e.exitProof(carol, addr[carol])))
	for _, c := range []struct {
		leaf   uint32
		partyB bool
	}{{6, false}, {6, true}, {7, false}, {7, true}, {8, false}, {8, true}} {
		send("claimChannelShare", e.rollup.PackClaimChannelShare(c.leaf, c.partyB))
	}
	requireRevert(t, claim(6, false), errID("ShareAlreadyPaid(uint32,uint32)"), "a second claim")

	// Each party got its balance and its latest co-signed splits.
	want := map[uint32]uint64{
		alice: e.balanceOf(alice) + 2000 + 600,
		bob:   e.balanceOf(bob) + 2000 + 2000,
		carol: e.balanceOf(carol) + 0 + 400,
	}
	for acct, gweiOwed := range want {
		require.Equal(t, new(big.Int).SetUint64(gweiOwed*gwei), e.pending(addr[acct]), "account %d", acct)
	}
	// The unprocessed deposit goes back; then the Rollup holds exactly
	// what it owes.
	_, err = e.send(e.owner, nil, e.rollup.PackRefundDeposit(4))
	require.NoError(t, err)
	owed, err := bind.Call(e.inst, nil, e.rollup.PackTotalPending(), e.rollup.UnpackTotalPending)
	require.NoError(t, err)
	held, err := e.client.BalanceAt(ctx, e.addr, nil)
	require.NoError(t, err)
	require.Equal(t, owed, held, "the Rollup holds exactly what it owes")
	require.Equal(t, new(big.Int).SetUint64((e.deposited)*gwei), held)
}
