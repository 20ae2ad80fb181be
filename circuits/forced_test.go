package circuits_test

import (
	"testing"

	"github.com/consensys/gnark-crypto/ecc"
	"github.com/consensys/gnark/test"
	"github.com/keel-rollup/keel/circuits"
	"github.com/keel-rollup/keel/vm"
	"github.com/stretchr/testify/require"
)

// forcedFixture is channel 1↔2 in leaf 6, opened at 1000 with 30,000 from
// A (1) and 20,000 from B (2), period 100, and disputed with v3 at 1010:
// closing until 1110. Mallory holds account 3.
type forcedFixture struct {
	t    *testing.T
	c    *testChain
	s    *chanScript
	id   uint64
	head vm.Meta
}

func newForcedFixture(t *testing.T) *forcedFixture {
	c := newTestChain(t, testConfig)
	c.funded(4)
	s := &chanScript{t: t, c: c}
	f := &forcedFixture{t: t, c: c, s: s, id: vm.ChannelIDOf(1, c.nonce[1])}
	s.batchAt(1000, s.open(1, 2, 6, 30_000, 20_000, 100))
	s.batchAt(1010, s.state(vm.TxChanDispute, 6, 1, 2, f.state(3, 29_000)))
	var err error
	f.head, err = c.store.Head()
	require.NoError(t, err)
	return f
}

// state is a state of the channel giving A balanceA of the 50,000.
func (f *forcedFixture) state(version, balanceA uint64) vm.ChannelState {
	return vm.ChannelState{ChainID: testConfig.ChainID, ChannelID: f.id, Version: version, BalanceA: balanceA, BalanceB: 50_000 - balanceA}
}

// request is a forced challenge of leaf carrying st, signed by the keys of
// accounts a and b.
func (f *forcedFixture) request(leaf uint32, st vm.ChannelState, a, b uint32) vm.Tx {
	tx := f.s.state(vm.TxChanChallenge, leaf, a, b, st)
	tx.Type = vm.TxForcedChallenge
	return tx
}

// batch applies requests in a batch at time ts on the disputed channel,
// numbering them in queue order, and seals it without committing it.
func (f *forcedFixture) batch(ts uint64, reqs ...vm.Tx) *vm.SealedBatch {
	b, err := vm.NewBatch(f.c.cfg, f.c.store.ReaderAt(f.head.BatchNumber), f.head)
	require.NoError(f.t, err)
	require.NoError(f.t, b.SetTimestamp(ts))
	for i := range reqs {
		reqs[i].PriorityID = b.PriorityCount()
		require.NoError(f.t, b.Apply(&reqs[i]), "request %d", i)
	}
	return f.c.sealUncommitted(b)
}

// channelAfter is the channel leaf as the batch leaves it.
func channelAfter(t *testing.T, sb *vm.SealedBatch) vm.ChannelLeaf {
	for i := len(sb.Steps) - 1; i >= 0; i-- {
		if lw := sb.Steps[i].Leaves[1]; lw.Used && lw.Index == 6 {
			ch, err := vm.ChannelOf(&lw.After)
			require.NoError(t, err)
			return ch
		}
	}
	t.Fatal("the batch does not touch leaf 6")
	return vm.ChannelLeaf{}
}

// TestForcedChallengesInCircuit: forced challenges, the valid one and
// every kind of invalid one, prove with the commitment exactly as the VM
// decides them: the valid one replaces the closing state, the others are
// consumed and change nothing. The queue hash the circuit computes is the
// one vm.ForcedChallengePriorityHash gives, which Rollup.sol computes.
func TestForcedChallengesInCircuit(t *testing.T) {
	f := newForcedFixture(t)
	cfg := f.c.cfg
	field := ecc.BN254.ScalarField()
	proves := func(name string, sb *vm.SealedBatch) {
		t.Helper()
		require.NoError(t, test.IsSolved(circuits.NewBatchCircuit(cfg.Slots, cfg.Depth), witnessOf(t, cfg, sb), field), name)
	}
	other := f.state(7, 20_000)
	other.ChannelID = vm.ChannelIDOf(2, 0)
	cases := []struct {
		name    string
		ts      uint64
		req     vm.Tx
		applies bool
	}{
		{"a newer co-signed state", 1020, f.request(6, f.state(5, 28_000), 1, 2), true},
		{"an older version", 1020, f.request(6, f.state(2, 29_500), 1, 2), false},
		{"the same version", 1020, f.request(6, f.state(3, 10_000), 1, 2), false},
		{"another channel's state", 1020, f.request(6, other, 1, 2), false},
		{"half-signed: B's signature is Mallory's", 1020, f.request(6, f.state(7, 40_000), 1, 3), false},
		{"half-signed: A's signature is Mallory's", 1020, f.request(6, f.state(7, 10_000), 3, 2), false},
		{"at the deadline", 1110, f.request(6, f.state(5, 28_000), 1, 2), false},
		{"balances that do not add up", 1020, func() vm.Tx {
			st := f.state(5, 28_000)
			st.BalanceB++
			return f.request(6, st, 1, 2)
		}(), false},
		{"a leaf that is an account", 1020, f.request(1, f.state(5, 28_000), 1, 2), false},
		{"an empty leaf", 1020, f.request(9, f.state(5, 28_000), 1, 2), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sb := f.batch(tc.ts, tc.req)
			require.Equal(t, vm.OpForcedChallenge, sb.Steps[0].Op)
			require.Equal(t, vm.OpForcedChallengeB, sb.Steps[1].Op)
			ops, err := vm.DecodePublicData(sb.PublicData)
			require.NoError(t, err)
			require.Equal(t, tc.applies, ops[0].Applied)
			req := vm.PriorityRequest{ID: tc.req.PriorityID, Kind: vm.TxForcedChallenge, Channel: tc.req.Channel, State: tc.req.ChannelState(0), Sig: tc.req.Sig, SigB: tc.req.SigB}
			require.Equal(t, req.ChainHash(f.head.PriorityHash), sb.After.PriorityHash)
			require.Equal(t, f.head.PriorityCount+1, sb.After.PriorityCount)
			if tc.req.Channel == 6 {
				ch := channelAfter(t, sb)
				if tc.applies {
					require.Equal(t, tc.req.Version, ch.Version)
					require.Equal(t, tc.req.Amount, ch.SplitA)
				} else {
					require.EqualValues(t, 3, ch.Version)
					require.EqualValues(t, 29_000, ch.SplitA)
				}
				require.Equal(t, vm.ChannelClosing, ch.Status)
				require.EqualValues(t, 1110, ch.Deadline)
			}
			proves(tc.name, sb)
		})
	}
	// Several in one batch: the valid one applies, and a stale one after
	// it sees the new version.
	sb := f.batch(1020, f.request(6, f.state(5, 28_000), 1, 2), f.request(6, f.state(4, 1), 1, 2), f.request(6, f.state(6, 27_000), 1, 2))
	ch := channelAfter(t, sb)
	require.EqualValues(t, 6, ch.Version)
	require.EqualValues(t, 27_000, ch.SplitA)
	proves("three requests", sb)
}

// TestForcedChallengeSoundness: a sequencer that withholds a valid forced
// challenge, applies an invalid one, or applies a state the parties did
// not sign is caught by the circuit itself. Each case is a consistent
// forgery (see forge) without the commitment check.
func TestForcedChallengeSoundness(t *testing.T) {
	f := newForcedFixture(t)
	cfg := f.c.cfg
	base := f.c.store.ReaderAt(f.head.BatchNumber)

	valid := f.batch(1020, f.request(6, f.state(5, 28_000), 1, 2))
	// applied makes the channel leaf of an honest no-op take the request's
	// state, as an applied challenge would.
	applied := func(sb *vm.SealedBatch) {
		lw := &sb.Steps[1].Leaves[1]
		ch, err := vm.ChannelOf(&lw.Before)
		require.NoError(t, err)
		tx := sb.Txs[0]
		ch.Version, ch.SplitA = tx.Version, tx.Amount
		lw.After = ch.Leaf()
	}
	invalid := func(ts uint64, req vm.Tx) func() *circuits.BatchCircuit {
		return func() *circuits.BatchCircuit {
			sb := f.batch(ts, req)
			require.False(t, channelAfter(t, sb).Version == req.Version, "the VM must not apply it")
			return forge(t, cfg, base, sb, applied)
		}
	}
	mallory := f.c.keys[3]
	cases := []soundCase{
		{"a valid request withheld", false, "update", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				lw := &sb.Steps[1].Leaves[1]
				lw.After = lw.Before
			})
		}},
		{"a valid request read at another leaf, to find no channel", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				lw := &sb.Steps[1].Leaves[1]
				lw.Index = 9
				lw.Before, lw.After = vm.Account{}, vm.Account{}
			})
		}},
		{"a valid request read at another leaf than the queue names, to find no channel", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				sb.Steps[1].Regs.Target = vm.ElementFromUint64(9)
				lw := &sb.Steps[1].Leaves[1]
				lw.Index = 9
				lw.Before, lw.After = vm.Account{}, vm.Account{}
			})
		}},
		{"a valid request withheld by reading party A at another account", false, "slot", func() *circuits.BatchCircuit {
			// Account 3's key did not sign, so the head finds A's
			// signature invalid, and the request does nothing.
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				sb.Steps[0].Leaves[0].Index = 3
				sb.Steps[0].Regs.Account = 3
				sb.Steps[0].Sig.PubKey = mallory.Public()
				lw := &sb.Steps[1].Leaves[1]
				lw.After = lw.Before
			})
		}},
		{"a valid request withheld by reading party B at another account", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				sb.Steps[0].Chan.Leaf.B = 3
				sb.Steps[1].Regs.Account = 3
				sb.Steps[1].Leaves[0].Index = 3
				sb.Steps[1].Sig.PubKey = mallory.Public()
				lw := &sb.Steps[1].Leaves[1]
				lw.After = lw.Before
			})
		}},
		{"a valid request withheld by reading the channel as open", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				sb.Steps[1].Chan.Leaf.Status = vm.ChannelOpen
				lw := &sb.Steps[1].Leaves[1]
				lw.After = lw.Before
			})
		}},
		{"a valid request withheld by reading the channel at a newer version", false, "slot", func() *circuits.BatchCircuit {
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				sb.Steps[1].Chan.Leaf.Version = 9
				lw := &sb.Steps[1].Leaves[1]
				lw.After = lw.Before
			})
		}},
		{"applied with a split B alone signed", false, "slot", func() *circuits.BatchCircuit {
			// Party B (with the sequencer) signs the state with another
			// split, and the second step carries it: the queue bound A's
			// signature to the first.
			return forge(t, cfg, base, valid, func(sb *vm.SealedBatch) {
				st := sb.Txs[0].ChannelState(f.id)
				st.BalanceA, st.BalanceB = 1_000, 49_000
				sb.Steps[1].Regs.Amount = st.BalanceA
				sb.Steps[1].Chan.AmountB = st.BalanceB
				resignStep(t, &sb.Steps[1], st.Message(), f.c.keys[2])
				lw := &sb.Steps[1].Leaves[1]
				ch := channelAfter(t, valid)
				ch.SplitA = st.BalanceA
				lw.After = ch.Leaf()
			})
		}},
		{"an older version applied", false, "update", invalid(1020, f.request(6, f.state(2, 29_500), 1, 2))},
		{"another channel's state applied", false, "update", invalid(1020, func() vm.Tx {
			st := f.state(7, 20_000)
			st.ChannelID = vm.ChannelIDOf(2, 0)
			return f.request(6, st, 1, 2)
		}())},
		{"a half-signed state applied", false, "update", invalid(1020, f.request(6, f.state(7, 40_000), 1, 3))},
		{"a request at the deadline applied", false, "update", invalid(1110, f.request(6, f.state(5, 28_000), 1, 2))},
		{"balances that do not add up applied", false, "update", invalid(1020, func() vm.Tx {
			st := f.state(5, 28_000)
			st.BalanceA--
			return f.request(6, st, 1, 2)
		}())},
		{"Mallory's key passed off as B's", false, "slot", func() *circuits.BatchCircuit {
			sb := f.batch(1020, f.request(6, f.state(7, 40_000), 1, 3))
			return forge(t, cfg, base, sb, func(sb *vm.SealedBatch) {
				applied(sb)
				sb.Steps[1].Sig.PubKey = mallory.Public()
			})
		}},
	}
	runSoundCases(t, cfg, cases)
}
