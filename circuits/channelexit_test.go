package circuits_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/prover"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// chanExitFixture is a depth-4 state with accounts 1 (A), 2 (B) and 3
// (Mallory) and, in leaf 6, a channel of 1 and 2 holding 50,000, opened
// with 30,000 from A and closing with version 3 (29,000 to A).
type chanExitFixture struct {
	tree *vm.Tree
	keys map[uint32]*vm.PrivateKey
	ch   vm.ChannelLeaf
}

func newChanExitFixture(t *testing.T) *chanExitFixture {
	tree, err := vm.NewTree(testConfig.Depth, vm.NewMemStore(testConfig.Depth).ReaderAt(0))
	require.NoError(t, err)
	f := &chanExitFixture{tree: tree, keys: map[uint32]*vm.PrivateKey{}}
	for i := uint32(1); i <= 3; i++ {
		f.keys[i] = key(t, "chan exit "+string(rune('a'+i)))
		require.NoError(t, tree.Set(uint64(i), vm.Account{Kind: vm.KindAccount, PubKey: f.keys[i].Public(), Balance: 1000 * uint64(i), Nonce: i}))
	}
	f.ch = vm.ChannelLeaf{Status: vm.ChannelClosing, A: 1, B: 2, OpenNonce: 4, Period: 100, Deadline: 1110, Version: 3, SplitA: 29_000, Total: 50_000}
	require.NoError(t, tree.Set(6, f.ch.Leaf()))
	return f
}

// claim is a claim on leaf 6 with the given state, and its witness with
// the state signed by the keys of accounts a and b (0: unsigned).
func (f *chanExitFixture) claim(t *testing.T, version, balanceA uint64, a, b uint32) (vm.ChannelExit, prover.ChannelExitWitness) {
	root, err := f.tree.Root()
	require.NoError(t, err)
	e := vm.ChannelExit{ChainID: testConfig.ChainID, Root: root, Channel: 6, Leaf: f.ch,
		State: vm.ChannelState{Version: version, BalanceA: balanceA, BalanceB: f.ch.Total - balanceA}}
	var w prover.ChannelExitWitness
	w.Siblings, err = f.tree.Proof(6)
	require.NoError(t, err)
	for _, p := range []struct {
		acc  *vm.Account
		sibs *[]vm.Element
		i    uint32
	}{{&w.PartyA, &w.SiblingsA, f.ch.A}, {&w.PartyB, &w.SiblingsB, f.ch.B}} {
		*p.acc, err = f.tree.Get(uint64(p.i))
		require.NoError(t, err)
		*p.sibs, err = f.tree.Proof(uint64(p.i))
		require.NoError(t, err)
	}
	st := e.State
	st.ChainID, st.ChannelID = e.ChainID, f.ch.ID()
	if a != 0 {
		w.SigA, err = st.Sign(f.keys[a])
		require.NoError(t, err)
	}
	if b != 0 {
		w.SigB, err = st.Sign(f.keys[b])
		require.NoError(t, err)
	}
	return e, w
}

func solveChannelExit(t *testing.T, e vm.ChannelExit, w prover.ChannelExitWitness, mutate func(*circuits.ExitCircuit)) error {
	a, err := prover.ChannelExitAssignment(e, w)
	require.NoError(t, err)
	if mutate != nil {
		mutate(a)
	}
	return test.IsSolved(circuits.NewExitCircuit(testConfig.Depth), a, ecc.BN254.ScalarField())
}

// TestChannelClaimCircuit: a channel claim with the leaf's own state, or
// with a newer state both parties signed, solves the exit circuit; a
// state that is not the leaf's and lacks a signature, a split that is not
// the channel's, another key passed off as a party's, or a claim of
// another leaf, fails in the circuit itself.
func TestChannelClaimCircuit(t *testing.T) {
	f := newChanExitFixture(t)
	own, ownW := f.claim(t, 3, 29_000, 0, 0)
	require.True(t, own.Recorded())
	require.NoError(t, solveChannelExit(t, own, ownW, nil), "the leaf's own state, unsigned")
	newer, newerW := f.claim(t, 7, 20_000, 1, 2)
	require.False(t, newer.Recorded())
	require.NoError(t, solveChannelExit(t, newer, newerW, nil), "a newer state both signed")
	older, olderW := f.claim(t, 1, 45_000, 1, 2)
	require.NoError(t, solveChannelExit(t, older, olderW, nil), "an older co-signed state is a fact too: the contract orders versions")

	mallory := f.keys[3]
	halfB, halfBW := f.claim(t, 7, 20_000, 1, 3)
	halfA, halfAW := f.claim(t, 7, 20_000, 3, 2)
	_, posedW := f.claim(t, 7, 20_000, 1, 3)
	posedW.PartyB.PubKey = mallory.Public()
	sameSplit, sameSplitW := f.claim(t, 7, 29_000, 1, 2)
	sameVersion, sameVersionW := f.claim(t, 3, 20_000, 1, 2)
	// v7 as signed, claimed as v6 with Final read as 2: 2·6 + 2 = 2·7 + 0,
	// the same message.
	lowered := newer
	lowered.State.Version = 6
	uneven, unevenW := f.claim(t, 7, 20_000, 1, 2)
	uneven.State.BalanceB++
	st := uneven.State
	st.ChainID, st.ChannelID = uneven.ChainID, f.ch.ID()
	unevenW.SigA, _ = st.Sign(f.keys[1])
	unevenW.SigB, _ = st.Sign(f.keys[2])
	cases := []struct {
		name string
		e    vm.ChannelExit
		w    prover.ChannelExitWitness
		mut  func(*circuits.ExitCircuit)
	}{
		{"a newer state, unsigned, passed off as the leaf's", newer, newerW, func(c *circuits.ExitCircuit) { c.Signed = 0 }},
		{"a newer version with the leaf's split, unsigned", sameSplit, sameSplitW, func(c *circuits.ExitCircuit) { c.Signed = 0 }},
		{"the leaf's version with another split, unsigned", sameVersion, sameVersionW, func(c *circuits.ExitCircuit) { c.Signed = 0 }},
		{"a signed state claimed at a lower version, Final read as 2", newer, newerW, func(c *circuits.ExitCircuit) {
			c.Version, c.Final, c.Commitment = 6, 2, lowered.Commitment()
		}},
		{"half-signed: B's signature is Mallory's", halfB, halfBW, nil},
		{"half-signed: A's signature is Mallory's", halfA, halfAW, nil},
		{"Mallory's account passed off as party B's", newer, posedW, nil},
		{"a split that is not the channel's", uneven, unevenW, nil},
		{"an account's leaf claimed as a channel", own, ownW, func(c *circuits.ExitCircuit) { c.Account = 1 }},
		{"the claim read as an account exit", own, ownW, func(c *circuits.ExitCircuit) { c.Mode = 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			require.Error(t, solveChannelExit(t, tc.e, tc.w, tc.mut))
		})
	}
}
