package statechan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keel-rollup/keel/vm"
)

func TestChannelHonestFlow(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 500)
	alice, bob := pair(t, p, c.alice, c.bob)
	require.Equal(t, RoleA, alice.Role())
	require.Equal(t, RoleB, bob.Role())

	pay(t, alice, bob, 100)
	pay(t, bob, alice, 30)
	st := pay(t, alice, bob, 930) // Alice's whole balance
	require.Equal(t, uint64(3), st.State.Version)
	require.Equal(t, uint64(0), st.State.BalanceA)
	require.Equal(t, uint64(1500), st.State.BalanceB)
	require.NoError(t, st.Verify(p))

	prop, err := bob.ProposeClose()
	require.NoError(t, err)
	require.Equal(t, StatusClosing, bob.Status())
	final, err := alice.Accept(prop)
	require.NoError(t, err)
	_, _, err = bob.HandleAccept(prop.State.Version, final.SigA)
	require.NoError(t, err)
	require.Equal(t, StatusClosed, alice.Status())
	require.Equal(t, StatusClosed, bob.Status())
	require.True(t, bob.Latest().State.Final)
	require.Equal(t, alice.Latest(), bob.Latest())

	_, err = alice.ProposeUpdate(1)
	require.ErrorIs(t, err, ErrChannelClosed)
}

func TestProposeChecks(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 100, 0)
	alice, bob := pair(t, p, c.alice, c.bob)

	_, err := alice.ProposeUpdate(101)
	require.ErrorIs(t, err, ErrInsufficientFunds)
	_, err = bob.ProposeUpdate(1) // Bob has nothing yet
	require.ErrorIs(t, err, ErrInsufficientFunds)
	_, err = alice.ProposePayments([]uint64{60, 41})
	require.ErrorIs(t, err, ErrInsufficientFunds)
	_, err = alice.ProposeUpdate(0)
	require.ErrorIs(t, err, ErrZeroAmount)
	_, err = alice.ProposePayments(nil)
	require.ErrorIs(t, err, ErrMalformed)

	_, err = alice.ProposeUpdate(100)
	require.NoError(t, err)
	_, err = alice.ProposeUpdate(1)
	require.ErrorIs(t, err, ErrProposalPending, "one proposal in flight at a time")
	_, err = alice.ProposeClose()
	require.ErrorIs(t, err, ErrProposalPending)
}

// mallory builds proposals by hand, signed with her key unless a case
// says otherwise.
func signedBy(t *testing.T, k *vm.PrivateKey, s vm.ChannelState, parts ...uint64) Proposal {
	t.Helper()
	sig, err := s.Sign(k)
	require.NoError(t, err)
	return Proposal{State: s, Sig: sig, Parts: parts}
}

// TestMalloryProposals: Mallory (party B) sends Alice proposals that break
// one rule each. Alice must refuse each with its error and keep her latest
// co-signed state.
func TestMalloryProposals(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)

	// base is Alice's latest state after two honest updates: A 930, M 1070.
	setup := func(t *testing.T) (alice, mallory *Channel, base vm.ChannelState, old Proposal) {
		alice, mallory = pair(t, p, c.alice, c.mallory)
		old, err := alice.ProposeUpdate(100)
		require.NoError(t, err)
		st, err := mallory.Accept(old)
		require.NoError(t, err)
		_, _, err = alice.HandleAccept(1, st.SigB)
		require.NoError(t, err)
		pay(t, mallory, alice, 30)
		return alice, mallory, alice.Latest().State, old
	}
	// next is an honest payment of amount from Mallory to Alice.
	next := func(base vm.ChannelState, amount uint64) vm.ChannelState {
		s := base
		s.Version++
		s.BalanceA += amount
		s.BalanceB -= amount
		return s
	}

	cases := []struct {
		name  string
		build func(t *testing.T, alice, mallory *Channel, base vm.ChannelState, old Proposal) Proposal
		want  error
	}{
		{"forged signature: another key signs", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			return signedBy(t, c.bob, next(base, 10), 10)
		}, ErrBadSignature},
		{"forged signature: bit flipped", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			pr := signedBy(t, c.mallory, next(base, 10), 10)
			pr.Sig[40] ^= 1
			return pr
		}, ErrBadSignature},
		{"signature of another state", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			pr := signedBy(t, c.mallory, next(base, 1), 1)
			pr.State = next(base, 10)
			pr.Parts = []uint64{10}
			return pr
		}, ErrBadSignature},
		{"version skip", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.Version++
			return signedBy(t, c.mallory, s, 10)
		}, ErrVersionSkip},
		{"stale version", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.Version = base.Version
			return signedBy(t, c.mallory, s, 10)
		}, ErrStaleVersion},
		{"replay of an old state of this channel", func(t *testing.T, _, _ *Channel, _ vm.ChannelState, old Proposal) Proposal {
			return old
		}, ErrStaleVersion},
		{"replay from another channel", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.ChannelID = vm.ChannelIDOf(9, 9)
			return signedBy(t, c.mallory, s, 10)
		}, ErrWrongChannel},
		{"replay from another channel, id rewritten", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.ChannelID = vm.ChannelIDOf(9, 9)
			pr := signedBy(t, c.mallory, s, 10)
			pr.State.ChannelID = testChannel
			return pr
		}, ErrBadSignature},
		{"replay from another chain", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.ChainID = testChain + 1
			return signedBy(t, c.mallory, s, 10)
		}, ErrWrongChain},
		{"replay from another chain, id rewritten", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 10)
			s.ChainID = testChain + 1
			pr := signedBy(t, c.mallory, s, 10)
			pr.State.ChainID = testChain
			return pr
		}, ErrBadSignature},
		{"payment beyond the channel balance", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := base
			s.Version++
			s.BalanceA += base.BalanceB + 1
			s.BalanceB = 0
			return signedBy(t, c.mallory, s, base.BalanceB+1)
		}, ErrInsufficientFunds},
		{"proposal that makes the receiver pay", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := base
			s.Version++
			s.BalanceA -= 5
			s.BalanceB += 5
			return signedBy(t, c.mallory, s, 5)
		}, ErrWrongDirection},
		{"total not conserved", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 5)
			s.BalanceB++
			return signedBy(t, c.mallory, s, 5)
		}, ErrTotalChanged},
		{"zero payment", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			return signedBy(t, c.mallory, next(base, 0), 1)
		}, ErrZeroAmount},
		{"parts do not add up", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			return signedBy(t, c.mallory, next(base, 5), 2, 2)
		}, ErrMalformed},
		{"close that moves funds", func(t *testing.T, _, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			s := next(base, 5)
			s.Final = true
			return signedBy(t, c.mallory, s)
		}, ErrBadClose},
		{"update after close", func(t *testing.T, alice, mallory *Channel, base vm.ChannelState, _ Proposal) Proposal {
			cl, err := alice.ProposeClose()
			require.NoError(t, err)
			st, err := mallory.Accept(cl)
			require.NoError(t, err)
			_, _, err = alice.HandleAccept(cl.State.Version, st.SigB)
			require.NoError(t, err)
			require.Equal(t, StatusClosed, alice.Status())
			return signedBy(t, c.mallory, next(alice.Latest().State, 10), 10)
		}, ErrChannelClosed},
		{"proposal while we proposed the same version", func(t *testing.T, alice, _ *Channel, base vm.ChannelState, _ Proposal) Proposal {
			_, err := alice.ProposeUpdate(1)
			require.NoError(t, err)
			return signedBy(t, c.mallory, next(base, 10), 10)
		}, ErrConflict},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			alice, mallory, base, old := setup(t)
			pr := tc.build(t, alice, mallory, base, old)
			before := alice.Latest()
			_, err := alice.Accept(pr)
			require.ErrorIs(t, err, tc.want)
			require.Equal(t, before, alice.Latest(), "a refused proposal must not change the latest state")
		})
	}
}

// TestMalloryHalfSigned: Mallory offers states that carry only her own
// signature as if both had signed: in a reconnect sync, and as the
// countersignature of Alice's proposal.
func TestMalloryHalfSigned(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.mallory, 1000, 1000)

	t.Run("sync with a state Alice never signed", func(t *testing.T) {
		alice, mallory := pair(t, p, c.alice, c.mallory)
		pay(t, alice, mallory, 10)
		// Mallory claims version 5 in which Alice paid her everything.
		s := alice.Latest().State
		s.Version, s.BalanceA, s.BalanceB = 5, 0, 2000
		pr := signedBy(t, c.mallory, s)
		for name, sigA := range map[string]vm.Signature{"zero": {}, "mallory's": pr.Sig, "old": alice.Latest().SigA} {
			_, err := alice.Reconcile(SyncInfo{Latest: SignedState{State: s, SigA: sigA, SigB: pr.Sig}, Next: 6})
			require.ErrorIs(t, err, ErrNotCoSigned, name)
			require.Equal(t, uint64(1), alice.Latest().State.Version)
		}
	})
	t.Run("sync with a fake opening state", func(t *testing.T) {
		alice, _ := pair(t, p, c.alice, c.mallory)
		s := p.Opening()
		s.BalanceA, s.BalanceB = 0, 2000
		_, err := alice.Reconcile(SyncInfo{Latest: SignedState{State: s}, Next: 1})
		require.ErrorIs(t, err, ErrNotCoSigned)
	})
	t.Run("acknowledgement with a bad countersignature", func(t *testing.T) {
		alice, _ := pair(t, p, c.alice, c.mallory)
		prop, err := alice.ProposeUpdate(10)
		require.NoError(t, err)
		_, _, err = alice.HandleAccept(prop.State.Version, prop.Sig) // her own signature back
		require.ErrorIs(t, err, ErrBadSignature)
		require.Equal(t, uint64(0), alice.Latest().State.Version)
		_, pending := alice.Pending()
		require.True(t, pending, "the proposal stays unsettled until a sync")
	})
	t.Run("acknowledgement of a version never proposed", func(t *testing.T) {
		alice, mallory := pair(t, p, c.alice, c.mallory)
		st := pay(t, alice, mallory, 10)
		_, _, err := alice.HandleAccept(st.State.Version+1, st.SigB)
		require.ErrorIs(t, err, ErrNoProposal)
	})
}

func TestConflictBurnsTheVersion(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)
	alice, bob := pair(t, p, c.alice, c.bob)
	pa, err := alice.ProposeUpdate(10)
	require.NoError(t, err)
	pb, err := bob.ProposeUpdate(20)
	require.NoError(t, err)
	require.Equal(t, pa.State.Version, pb.State.Version)

	_, err = alice.Accept(pb)
	require.ErrorIs(t, err, ErrConflict)
	_, err = bob.Accept(pa)
	require.ErrorIs(t, err, ErrConflict)
	_, err = alice.HandleReject(pa.State.Version)
	require.NoError(t, err)
	_, err = bob.HandleReject(pb.State.Version)
	require.NoError(t, err)

	// Each holds the other's signature on a dead version 1. The next
	// state is version 2 and supersedes both.
	st := pay(t, alice, bob, 10)
	require.Equal(t, uint64(2), st.State.Version)
	st = pay(t, bob, alice, 20)
	require.Equal(t, uint64(3), st.State.Version)
	require.Equal(t, uint64(1010), st.State.BalanceA)
}

func TestReconcile(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 1000, 1000)

	t.Run("adopts the peer's newer state and completes our proposal", func(t *testing.T) {
		alice, bob := pair(t, p, c.alice, c.bob)
		pay(t, alice, bob, 1)
		prop, err := alice.ProposeUpdate(5)
		require.NoError(t, err)
		_, err = bob.Accept(prop) // the acknowledgement is lost
		require.NoError(t, err)
		res, err := alice.Reconcile(bob.SyncInfo())
		require.NoError(t, err)
		require.True(t, res.Adopted)
		require.NotNil(t, res.Completed)
		require.Nil(t, res.Dropped)
		require.Equal(t, bob.Latest(), alice.Latest())
		res, err = bob.Reconcile(alice.SyncInfo())
		require.NoError(t, err)
		require.False(t, res.Adopted)
		pay(t, bob, alice, 3) // and on they go
	})
	t.Run("drops our proposal the peer never saw, on both sides", func(t *testing.T) {
		alice, bob := pair(t, p, c.alice, c.bob)
		pay(t, alice, bob, 1)
		prop, err := alice.ProposeUpdate(5)
		require.NoError(t, err)
		aInfo, bInfo := alice.SyncInfo(), bob.SyncInfo()
		res, err := alice.Reconcile(bInfo)
		require.NoError(t, err)
		require.False(t, res.Adopted)
		require.NotNil(t, res.Dropped)
		_, err = bob.Reconcile(aInfo)
		require.NoError(t, err)
		require.Equal(t, alice.Latest(), bob.Latest())
		// Version 2 is burned on both sides: Alice never signs another
		// version-2 state, and Bob expects version 3.
		require.Equal(t, prop.State.Version+1, bob.NextVersion())
		st := pay(t, bob, alice, 1)
		require.Equal(t, prop.State.Version+1, st.State.Version)
	})
	t.Run("detects a fork", func(t *testing.T) {
		alice, bob := pair(t, p, c.alice, c.bob)
		pay(t, alice, bob, 1)
		// A different version-1 state signed by both keys: only possible
		// if a party signed twice, which the state machine never does.
		s := alice.Latest().State
		s.BalanceA, s.BalanceB = s.BalanceA-1, s.BalanceB+1
		sa, err := s.Sign(c.alice)
		require.NoError(t, err)
		sb, err := s.Sign(c.bob)
		require.NoError(t, err)
		_, err = alice.Reconcile(SyncInfo{Latest: SignedState{State: s, SigA: sa, SigB: sb}})
		require.ErrorIs(t, err, ErrForked)
	})
	t.Run("refuses to move next version too far", func(t *testing.T) {
		alice, bob := pair(t, p, c.alice, c.bob)
		info := bob.SyncInfo()
		info.Next = 1 << 62
		_, err := alice.Reconcile(info)
		require.ErrorIs(t, err, ErrVersionSkip)
	})
}

// TestRandomExchanges drives two honest channels through random payments
// in both directions, conflicts, rejections and lost acknowledgements
// settled by sync, and checks the safety rules after every step: the
// total is conserved, both agree once settled, versions only grow, and
// neither party ever signs two different states of one version.
func TestRandomExchanges(t *testing.T) {
	c := newCast(t)
	p := testParams(c.alice, c.bob, 5000, 5000)
	alice, bob := pair(t, p, c.alice, c.bob)
	rng := rand.New(rand.NewPCG(1, 2))
	signed := map[Role]map[uint64]vm.ChannelState{RoleA: {}, RoleB: {}}
	record := func(r Role, s vm.ChannelState) {
		if prev, ok := signed[r][s.Version]; ok {
			require.Equal(t, prev, s, "%s signed two states of version %d", r, s.Version)
		}
		signed[r][s.Version] = s
	}
	steps := 300
	if testing.Short() {
		steps = 60
	}
	lastVersion := uint64(0)
	for i := 0; i < steps; i++ {
		x, y := alice, bob
		if rng.IntN(2) == 1 {
			x, y = bob, alice
		}
		own, _ := x.Balances()
		if own == 0 {
			continue
		}
		amount := 1 + rng.Uint64N(min(own, 300))
		prop, err := x.ProposeUpdate(amount)
		require.NoError(t, err)
		record(x.Role(), prop.State)
		switch rng.IntN(4) {
		case 0: // conflict: y proposes the same version at once
			oy, _ := y.Balances()
			if oy == 0 {
				_, err = x.HandleReject(prop.State.Version)
				require.NoError(t, err)
				break
			}
			py, err := y.ProposeUpdate(1)
			require.NoError(t, err)
			record(y.Role(), py.State)
			_, err = y.Accept(prop)
			require.ErrorIs(t, err, ErrConflict)
			_, err = x.Accept(py)
			require.ErrorIs(t, err, ErrConflict)
			_, err = x.HandleReject(prop.State.Version)
			require.NoError(t, err)
			_, err = y.HandleReject(py.State.Version)
			require.NoError(t, err)
		case 1: // the acknowledgement is lost; a sync settles it
			st, err := y.Accept(prop)
			require.NoError(t, err)
			record(y.Role(), st.State)
			xi, yi := x.SyncInfo(), y.SyncInfo()
			_, err = x.Reconcile(yi)
			require.NoError(t, err)
			_, err = y.Reconcile(xi)
			require.NoError(t, err)
		case 2: // the proposal is lost; a sync drops it
			xi, yi := x.SyncInfo(), y.SyncInfo()
			_, err = x.Reconcile(yi)
			require.NoError(t, err)
			_, err = y.Reconcile(xi)
			require.NoError(t, err)
		default:
			st, err := y.Accept(prop)
			require.NoError(t, err)
			record(y.Role(), st.State)
			sig := st.SigA
			if y.Role() == RoleB {
				sig = st.SigB
			}
			_, _, err = x.HandleAccept(prop.State.Version, sig)
			require.NoError(t, err)
		}
		require.Equal(t, alice.Latest(), bob.Latest(), "step %d", i)
		l := alice.Latest()
		require.NoError(t, l.Verify(p))
		require.GreaterOrEqual(t, l.State.Version, lastVersion)
		lastVersion = l.State.Version
	}
	require.Greater(t, lastVersion, uint64(steps/3))
}
